/**
 * Signing rows: `sign()` for POST /jobs against the official SDK's `COS.getAuthorization`,
 * and against the floor (the two digests every request must pay: SHA-1 of the HttpString
 * and HMAC-SHA1 of the StringToSign with a SignKey cached for the KeyTime window, each with
 * the cheapest primitive Node offers: one-shot `crypto.hash` and an HMAC key object).
 */
import * as crypto from 'node:crypto';
import { sign } from '../src';
import { formatTable, sideBySide, throughputRow, type BenchRow } from './harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const COS = require('cos-nodejs-sdk-v5');

const SECRET_ID = 'AKIDbenchSign0123456789';
const SECRET_KEY = 'benchsecretkey0123456789abcdef01';
const KEY_TIME = '1700000000;1700003600';
const HOST = 'examplebucket-1250000000.ci.ap-guangzhou.myqcloud.com';
/** Submit bodies differ in length: each call signs the next of these (as a client builds them, a new object each time). */
const LENGTHS = ['166', '181', '202', '175', '190', '212', '168', '199'];
let call = 0;
const headers = () => ({ host: HOST, 'content-type': 'application/xml', 'content-length': LENGTHS[(call += 1) & 7]! });

const hash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha1 = (s: string) => (hash ? hash('sha1', s, 'hex') : crypto.createHash('sha1').update(s).digest('hex'));

/** The floor: what a request's signature costs with nothing but its two digests. */
function floor(h = headers()): string {
  const signKey = FLOOR_SIGN_KEY;
  const http = `post\n/jobs\n\ncontent-length=${h['content-length']}&content-type=application%2Fxml&host=${h.host}\n`;
  return crypto
    .createHmac('sha1', signKey)
    .update(`sha1\n${KEY_TIME}\n${sha1(http)}\n`)
    .digest('hex');
}
/** Cached as our sign() caches it: an HMAC key object (cheaper per HMAC than a string key). */
const FLOOR_SIGN_KEY = crypto.createSecretKey(Buffer.from(crypto.createHmac('sha1', SECRET_KEY).update(KEY_TIME).digest('hex')));

const ours = (h = headers()) => sign({ secretId: SECRET_ID, secretKey: SECRET_KEY, method: 'POST', pathname: '/jobs', headers: h, keyTime: KEY_TIME });
const sdk = () =>
  COS.getAuthorization({ SecretId: SECRET_ID, SecretKey: SECRET_KEY, Method: 'POST', Pathname: '/jobs', Headers: headers(), KeyTime: KEY_TIME });

export async function benchSign(): Promise<BenchRow[]> {
  const h = headers();
  if (ours(h).split('q-signature=')[1] !== floor(h)) throw new Error('bench/sign: the floor does not compute the same signature as sign()');
  const vsSdk = sideBySide(() => ours(), sdk);
  const vsFloor = sideBySide(
    () => ours(),
    () => floor(),
  );
  const slower = vsFloor.peer / vsFloor.ours;
  return [
    throughputRow('sign POST /jobs', vsSdk, 'cos-nodejs-sdk-v5 getAuthorization', 3),
    {
      ...throughputRow('sign POST /jobs vs the floor', vsFloor, 'SHA-1 + HMAC-SHA1 only', 0),
      ratio: slower,
      goal: '<= 1.25x slower',
      met: slower <= 1.25,
      note: 'ratio = floor ops/s / ours',
    },
  ];
}

if (require.main === module) void benchSign().then((rows) => console.log(formatTable(rows)));
