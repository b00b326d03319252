/**
 * Objects and the bucket listing as COS serves them, driven by the official Node SDK
 * (cos-nodejs-sdk-v5, a dev dependency of packages/core): `getObjectUrl({ Sign: true })`
 * URLs (the signature in the query string) must fetch the exact bytes with the right
 * Content-Type and Content-Length and be refused exactly when the real service refuses them,
 * and `getBucket` must decode the `<ListBucketResult>` unchanged.
 *
 * SDK facts these tests rely on (sdk/base.js getObjectUrl, util.js getAuth): the URL is
 * `<Protocol>//<bucket>.cos.<region>.myqcloud.com/<key, encoded but for '/'>?q-sign-algorithm=
 * sha1&q-ak=…&q-sign-time=…&q-key-time=…&q-header-list=host&q-url-param-list=…&q-signature=…`,
 * then `&x-cos-security-token=<token>` with STS keys and the `Query` parameters (which are
 * signed); the signed Host is the URL's host; the KeyTime is `<now - 1>;<now - 1 + Expires>`
 * on the SDK's clock (shifted by `SystemClockOffset`).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
import { BUCKET, REGION, SECRET_ID, SECRET_KEY, errorOf, signedRequest, suiteEmulator, withEmulator } from './helpers/emulator';

const COS_HOST = `${BUCKET}.cos.${REGION}.myqcloud.com`;
const APPID = BUCKET.slice(BUCKET.lastIndexOf('-') + 1);
/** Shaped like a real STS sessionToken (URL-safe characters only). */
const STS_TOKEN = 'c6xnSYAxyFbX8Y50627y9AA79u6Qfucw6924760b61588b79fea4c277b01ba157UVdr_10Y30bdpYtO8CXedYZe3KKZ_DyzaPiSFfNAcbr2MTfAgwJe-dhYhfyLMkeC';

interface Fetched {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Sends `url` as it is written (path and query bytes untouched) to the emulator on loopback,
 * with the URL's own host as Host, so a URL signed for the COS host name reaches the emulator.
 */
function send(url: string, port: number, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Fetched> {
  const m = /^https?:\/\/([^/]+)(\/.*)$/.exec(url);
  if (!m) throw new Error(`not an absolute URL: ${url}`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: m[2], headers: { host: m[1]!, ...options.headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The SDK's signed URL (its callback form, the one the SDK documents). */
function objectUrl(cos: COS, params: Partial<COS.GetObjectUrlParams> & { Key: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    cos.getObjectUrl({ Bucket: BUCKET, Region: REGION, Sign: true, ...params }, (err, data) => (err ? reject(err) : resolve(data.Url)));
  });
}

function sdk(options: COS.COSOptions = {}): COS {
  return new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY, Protocol: 'http:', ...options });
}

/** Asserts an `<Error>` answer with this status and Code (and COS's headers); returns its Message. */
function refused(res: Fetched, status: number, code: string): string {
  const err = errorOf({ status: res.status, headers: res.headers, body: res.body.toString('utf8') });
  assert.ok(err, `expected an <Error> body, got HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`);
  assert.deepEqual({ status: res.status, code: err.Code }, { status, code }, res.body.toString('utf8'));
  assert.equal(res.headers['content-type'], 'application/xml');
  assert.equal(res.headers.server, 'tencent-cos');
  assert.ok(res.headers['x-cos-request-id']);
  return err.Message ?? '';
}

/** The SDK signs whatever method it is given; its typings leave HEAD out. */
const HEAD = 'HEAD' as COS.Method;

const md5 = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;

/** Bytes that start like a JPEG, and bytes that start like an MP4 (ftyp box), of the given sizes. */
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(48_000)]);
const MP4 = Buffer.concat([Buffer.from('000000206674797069736f6d', 'hex'), randomBytes(1_500_000)]);

function replaceParam(url: string, name: string, value: string | undefined): string {
  const [base, query = ''] = url.split('?');
  const parts = query.split('&').filter((p) => !p.startsWith(`${name}=`));
  if (value !== undefined) parts.push(`${name}=${value}`);
  return `${base}?${parts.join('&')}`;
}

function param(url: string, name: string): string | undefined {
  const part = url
    .split('?')[1]
    ?.split('&')
    .find((p) => p.startsWith(`${name}=`));
  return part === undefined ? undefined : decodeURIComponent(part.slice(name.length + 1));
}

describe('objects and the bucket listing (COS)', function () {
  const t = suiteEmulator();
  before(async () => {
    await t.put('media/photo.jpg', JPEG);
    await t.put('media/clip.mp4', MP4);
  });

  describe('signed URLs from getObjectUrl', () => {
    it('fetch an image through the COS host name: exact bytes, image/jpeg, Content-Length, ETag, Last-Modified', async () => {
      const url = await objectUrl(sdk(), { Key: 'media/photo.jpg', Expires: 600 });
      assert.match(url, new RegExp(`^http://${COS_HOST.replace(/\./g, '\\.')}/media/photo\\.jpg\\?q-sign-algorithm=sha1&q-ak=${SECRET_ID}&`));
      assert.match(url, /&q-header-list=host&q-url-param-list=&q-signature=[0-9a-f]{40}$/);
      const res = await send(url, t.emu.port);
      assert.equal(res.status, 200, res.body.toString('utf8').slice(0, 300));
      assert.ok(res.body.equals(JPEG), 'the bytes differ');
      assert.equal(res.headers['content-type'], 'image/jpeg');
      assert.equal(res.headers['content-length'], String(JPEG.length));
      assert.equal(res.headers.etag, md5(JPEG));
      assert.equal(res.headers['accept-ranges'], 'bytes');
      assert.ok(Date.parse(String(res.headers['last-modified'])) > 0);
      assert.equal(res.headers.server, 'tencent-cos');
      assert.ok(res.headers['x-cos-request-id']);
    });

    it('fetch a video with plain fetch() when the SDK is pointed at the emulator (Domain): video/mp4, every byte', async () => {
      const url = await objectUrl(sdk({ Domain: `127.0.0.1:${t.emu.port}` }), { Key: 'media/clip.mp4' });
      assert.ok(url.startsWith(`http://127.0.0.1:${t.emu.port}/media/clip.mp4?q-sign-algorithm=sha1&`), url);
      const res = await fetch(url);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'video/mp4');
      assert.equal(res.headers.get('content-length'), String(MP4.length));
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(MP4), 'the bytes differ');
    });

    it('answer HEAD signed for HEAD with the headers and no body; a GET signature does not do for HEAD', async () => {
      const cos = sdk();
      const head = await send(await objectUrl(cos, { Key: 'media/clip.mp4', Method: HEAD }), t.emu.port, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.headers['content-length'], String(MP4.length));
      assert.equal(head.headers['content-type'], 'video/mp4');
      assert.equal(head.headers.etag, md5(MP4));
      assert.equal(head.body.length, 0);
      const wrongMethod = await send(await objectUrl(cos, { Key: 'media/clip.mp4' }), t.emu.port, { method: 'HEAD' });
      assert.equal(wrongMethod.status, 403);
      assert.equal(wrongMethod.body.length, 0);
    });

    it('serve one byte range (206, Content-Range), a suffix range, and 416 InvalidRange past the end', async () => {
      const url = await objectUrl(sdk(), { Key: 'media/clip.mp4' });
      const part = await send(url, t.emu.port, { headers: { range: 'bytes=1000-1999' } });
      assert.equal(part.status, 206);
      assert.equal(part.headers['content-range'], `bytes 1000-1999/${MP4.length}`);
      assert.equal(part.headers['content-length'], '1000');
      assert.ok(part.body.equals(MP4.subarray(1000, 2000)));
      const tail = await send(url, t.emu.port, { headers: { range: 'bytes=-500' } });
      assert.equal(tail.status, 206);
      assert.ok(tail.body.equals(MP4.subarray(MP4.length - 500)));
      const open = await send(url, t.emu.port, { headers: { range: `bytes=${MP4.length - 10}-` } });
      assert.ok(open.body.equals(MP4.subarray(MP4.length - 10)));
      const past = await send(url, t.emu.port, { headers: { range: `bytes=${MP4.length}-` } });
      refused(past, 416, 'InvalidRange');
      assert.equal(past.headers['content-range'], `bytes */${MP4.length}`);
      const several = await send(url, t.emu.port, { headers: { range: 'bytes=0-1,5-6' } });
      assert.equal(several.status, 200, 'several ranges are not served: the whole object is');
      assert.equal(several.body.length, MP4.length);
    });

    it('work for keys with unicode, spaces, "+", "%" and brackets', async () => {
      const cos = sdk();
      for (const key of ['input/腾讯云 视频.mp4', 'input/a+b c.jpg', 'input/100% (final)!.png', 'input/ü/ß~*.webp']) {
        const data = randomBytes(777);
        await t.put(key, data);
        const url = await objectUrl(cos, { Key: key });
        const res = await send(url, t.emu.port);
        assert.equal(res.status, 200, `${key}: ${res.body.toString('utf8').slice(0, 300)}`);
        assert.ok(res.body.equals(data), key);
      }
      // In a path "+" is a plus, sent raw or as %2B; the key "input/a b c.jpg" is another key, so the signature does not fit it.
      const url = await objectUrl(cos, { Key: 'input/a+b c.jpg' });
      assert.equal((await send(url.replace('a%2Bb', 'a+b'), t.emu.port)).status, 200);
      refused(await send(url.replace('a%2Bb', 'a%20b'), t.emu.port), 403, 'SignatureDoesNotMatch');
    });

    it('sign the Query parameters the SDK was given, in the callback URL and in the URL it returns', async () => {
      const cos = sdk();
      const url = await objectUrl(cos, { Key: 'media/photo.jpg', Query: { 'response-content-disposition': 'attachment' } });
      assert.equal(param(url, 'q-url-param-list'), 'response-content-disposition');
      const res = await send(url, t.emu.port);
      assert.equal(res.status, 200);
      assert.ok(res.body.equals(JPEG));
      // A name that needs encoding: the callback URL encodes q-url-param-list once more (a%2520b%3bc), the returned one does not (a%20b;c).
      const params = { Bucket: BUCKET, Region: REGION, Key: 'media/photo.jpg', Sign: true, Query: { 'a b': '1', c: '2' } };
      const returned = cos.getObjectUrl(params, () => undefined);
      const called = await objectUrl(cos, params);
      assert.match(returned, /&q-url-param-list=a%20b;c&/);
      assert.match(called, /&q-url-param-list=a%2520b%3bc&/);
      for (const u of [returned, called]) assert.equal((await send(u, t.emu.port)).status, 200, u);
    });
  });

  describe('refused signed URLs', () => {
    it('an unsigned GET: 403 AccessDenied "Access Denied." (a private bucket)', async () => {
      const res = await send(`http://${COS_HOST}/media/photo.jpg`, t.emu.port);
      assert.equal(refused(res, 403, 'AccessDenied'), 'Access Denied.');
      assert.match(res.body.toString('utf8'), new RegExp(`<Resource>${COS_HOST}/media/photo.jpg</Resource>`));
    });

    it('a tampered signature: 403 SignatureDoesNotMatch', async () => {
      const url = await objectUrl(sdk(), { Key: 'media/photo.jpg' });
      const signature = param(url, 'q-signature')!;
      const flipped = (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1);
      refused(await send(replaceParam(url, 'q-signature', flipped), t.emu.port), 403, 'SignatureDoesNotMatch');
      refused(await send(replaceParam(url, 'q-signature', signature.slice(0, 39)), t.emu.port), 403, 'SignatureDoesNotMatch');
    });

    it('the signature of one key used for another: 403 SignatureDoesNotMatch', async () => {
      const url = await objectUrl(sdk(), { Key: 'media/photo.jpg' });
      refused(await send(url.replace('/media/photo.jpg?', '/media/clip.mp4?'), t.emu.port), 403, 'SignatureDoesNotMatch');
    });

    it('a URL signed for one bucket, sent to another: 403 SignatureDoesNotMatch (the Host is signed)', async () => {
      const other = 'otherbucket-1250000000';
      await mkdir(join(t.bucketDir, '..', other, 'media'), { recursive: true });
      const url = await objectUrl(sdk(), { Key: 'media/photo.jpg' });
      refused(await send(url.replace(BUCKET, other), t.emu.port), 403, 'SignatureDoesNotMatch');
    });

    it('a signed parameter changed or removed, or the time window edited: 403 SignatureDoesNotMatch', async () => {
      const url = await objectUrl(sdk(), { Key: 'media/photo.jpg', Query: { 'response-content-disposition': 'attachment' } });
      refused(await send(replaceParam(url, 'response-content-disposition', 'inline'), t.emu.port), 403, 'SignatureDoesNotMatch');
      const removed = await send(replaceParam(url, 'response-content-disposition', undefined), t.emu.port);
      assert.match(refused(removed, 403, 'SignatureDoesNotMatch'), /response-content-disposition is not in the request/);
      const [start, end] = param(url, 'q-key-time')!.split(';');
      const longer = `${start};${Number(end) + 86_400}`;
      refused(await send(replaceParam(replaceParam(url, 'q-key-time', longer), 'q-sign-time', longer), t.emu.port), 403, 'SignatureDoesNotMatch');
    });

    it('an expired URL (its KeyTime in the past): 403 AccessDenied "Request has expired", the message the SDK reads as a clock error', async () => {
      // The SDK's clock two hours behind: the KeyTime ends long before the emulator's now.
      const url = await objectUrl(sdk({ SystemClockOffset: -7_200_000 }), { Key: 'media/photo.jpg', Expires: 60 });
      assert.equal(refused(await send(url, t.emu.port), 403, 'AccessDenied'), 'Request has expired');
    });

    it('a URL that expired on the emulator clock (clockSkewMs): 403 AccessDenied "Request has expired"', async () => {
      await withEmulator({ clockSkewMs: 3_600_000 }, async (f) => {
        await f.put('media/photo.jpg', JPEG);
        const url = await objectUrl(sdk(), { Key: 'media/photo.jpg', Expires: 900 });
        assert.equal(refused(await send(url, f.emu.port), 403, 'AccessDenied'), 'Request has expired');
        const longer = await objectUrl(sdk(), { Key: 'media/photo.jpg', Expires: 7200 });
        assert.equal((await send(longer, f.emu.port)).status, 200);
      });
    });

    it('a URL that starts far in the future: 403 RequestTimeTooSkewed', async () => {
      const url = await objectUrl(sdk({ SystemClockOffset: 7_200_000 }), { Key: 'media/photo.jpg' });
      refused(await send(url, t.emu.port), 403, 'RequestTimeTooSkewed');
    });

    it('a foreign SecretId: 403 InvalidAccessKeyId', async () => {
      const url = await objectUrl(sdk({ SecretId: 'AKIDforeign0000000000000000000000000', SecretKey: 'foreignSecretKey' }), { Key: 'media/photo.jpg' });
      assert.match(refused(await send(url, t.emu.port), 403, 'InvalidAccessKeyId'), /^The access key Id format you provided is invalid\./);
    });

    it('a malformed signature (q-key-time not "<start>;<end>", a field repeated, another algorithm): 403 AccessDenied', async () => {
      const url = await objectUrl(sdk(), { Key: 'media/photo.jpg' });
      refused(await send(replaceParam(url, 'q-key-time', 'yesterday'), t.emu.port), 403, 'AccessDenied');
      refused(await send(`${url}&q-ak=${SECRET_ID}`, t.emu.port), 403, 'AccessDenied');
      refused(await send(replaceParam(url, 'q-sign-algorithm', 'md5'), t.emu.port), 403, 'AccessDenied');
    });

    it('a missing object: 404 NoSuchKey; a bucket with no folder: 404 NoSuchBucket', async () => {
      refused(await send(await objectUrl(sdk(), { Key: 'media/none.jpg' }), t.emu.port), 404, 'NoSuchKey');
      const url = await objectUrl(sdk(), { Bucket: 'nofolder-1250000000', Key: 'media/photo.jpg' });
      refused(await send(url, t.emu.port), 404, 'NoSuchBucket');
    });
  });

  describe('with STS credentials', () => {
    const s = suiteEmulator({ sessionToken: STS_TOKEN });
    before(() => s.put('media/photo.jpg', JPEG));
    const sts = () => sdk({ SecurityToken: STS_TOKEN });

    it('a URL with its x-cos-security-token fetches the object; the token may also come as a header', async () => {
      const url = await objectUrl(sts(), { Key: 'media/photo.jpg' });
      assert.equal(param(url, 'x-cos-security-token'), STS_TOKEN);
      assert.doesNotMatch(param(url, 'q-url-param-list') ?? '', /token/, 'the SDK does not sign the token');
      const res = await send(url, s.emu.port);
      assert.equal(res.status, 200);
      assert.ok(res.body.equals(JPEG));
      const asHeader = await send(replaceParam(url, 'x-cos-security-token', undefined), s.emu.port, { headers: { 'x-cos-security-token': STS_TOKEN } });
      assert.equal(asHeader.status, 200);
    });

    it('works with temporary keys from a getAuthorization callback', async () => {
      const now = Math.floor(Date.now() / 1000);
      const cos = new COS({
        Protocol: 'http:',
        getAuthorization: (_options, callback) =>
          callback({ TmpSecretId: SECRET_ID, TmpSecretKey: SECRET_KEY, SecurityToken: STS_TOKEN, StartTime: now - 10, ExpiredTime: now + 900 }),
      });
      const res = await send(await objectUrl(cos, { Key: 'media/photo.jpg', Expires: 300 }), s.emu.port);
      assert.equal(res.status, 200);
    });

    it('a missing token: 403 InvalidAccessKeyId (x-ci-security-token does not count on a COS host)', async () => {
      const url = replaceParam(await objectUrl(sts(), { Key: 'media/photo.jpg' }), 'x-cos-security-token', undefined);
      assert.match(refused(await send(url, s.emu.port), 403, 'InvalidAccessKeyId'), /needs its x-cos-security-token/);
      refused(await send(url, s.emu.port, { headers: { 'x-ci-security-token': STS_TOKEN } }), 403, 'InvalidAccessKeyId');
    });

    it('a wrong token: 403 InvalidAccessKeyId', async () => {
      const url = replaceParam(await objectUrl(sts(), { Key: 'media/photo.jpg' }), 'x-cos-security-token', `${STS_TOKEN}x`);
      assert.match(refused(await send(url, s.emu.port), 403, 'InvalidAccessKeyId'), /does not belong/);
    });
  });

  describe('Content-Type by extension', () => {
    const cases: Array<[string, string]> = [
      ['a.jpg', 'image/jpeg'],
      ['a.JPEG', 'image/jpeg'],
      ['a.png', 'image/png'],
      ['a.webp', 'image/webp'],
      ['a.gif', 'image/gif'],
      ['a.mp4', 'video/mp4'],
      ['a.mov', 'video/quicktime'],
      ['a.m3u8', 'application/vnd.apple.mpegurl'],
      ['a.ts', 'video/mp2t'],
      ['a.flv', 'video/x-flv'],
      ['a.mp3', 'audio/mpeg'],
      ['a.m4a', 'audio/mp4'],
      ['a.wav', 'audio/wave'],
      ['a.bin', 'application/octet-stream'],
      ['noextension', 'application/octet-stream'],
    ];
    it(`is what the official SDK uploads such a file with (${cases.length} extensions), with Content-Length the file size`, async () => {
      const cos = sdk();
      for (const [name, type] of cases) {
        const data = randomBytes(100 + name.length);
        await t.put(`types/${name}`, data);
        const head = await send(await objectUrl(cos, { Key: `types/${name}`, Method: HEAD }), t.emu.port, { method: 'HEAD' });
        assert.equal(head.status, 200, name);
        assert.deepEqual([name, head.headers['content-type'], head.headers['content-length']], [name, type, String(data.length)]);
      }
    });
  });

  describe('header-signed requests (the SDK pointed at the emulator with Ip)', () => {
    const cos = () => sdk({ Ip: `127.0.0.1:${t.emu.port}` });

    it('getObject and headObject', async () => {
      const data = await cos().getObject({ Bucket: BUCKET, Region: REGION, Key: 'media/photo.jpg' });
      assert.ok(Buffer.from(data.Body as Buffer).equals(JPEG));
      const head = await cos().headObject({ Bucket: BUCKET, Region: REGION, Key: 'media/clip.mp4' });
      assert.equal(head.headers?.['content-length'], String(MP4.length));
      assert.equal(head.ETag, md5(MP4));
    });

    it('getObject of a missing key: err.code NoSuchKey, statusCode 404', async () => {
      const err = await cos()
        .getObject({ Bucket: BUCKET, Region: REGION, Key: 'media/none.jpg' })
        .then(
          () => undefined,
          (e: COS.CosSdkError) => e,
        );
      assert.deepEqual([err?.code, err?.statusCode], ['NoSuchKey', 404]);
    });
  });
});

describe('GET Bucket (List Objects) with cos.getBucket', function () {
  const KEYS = ['a.jpg', 'input/a.mp4', 'input/b.mp4', 'input/sub/c.mp4', 'input/sub/d.jpg', 'input-2/e.mp4', 'out/x.jpg', 'zeta.txt'];
  const l = suiteEmulator();
  before(async () => {
    for (const key of KEYS) await l.put(key, `content of ${key}`);
  });
  const cos = () => sdk({ Ip: `127.0.0.1:${l.emu.port}` });
  const list = (params: Partial<COS.GetBucketParams> = {}) => cos().getBucket({ Bucket: BUCKET, Region: REGION, ...params });

  /** Every page of a listing, following NextMarker. */
  async function allPages(params: Partial<COS.GetBucketParams>): Promise<COS.GetBucketResult[]> {
    const pages: COS.GetBucketResult[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await list({ ...params, Marker: marker });
      pages.push(page);
      if (page.IsTruncated !== 'true') return pages;
      assert.ok(page.NextMarker, 'a truncated page has a NextMarker');
      marker = page.NextMarker;
      assert.ok(pages.length < 50, 'the listing does not end');
    }
  }

  it('lists every key in byte order with the documented fields', async () => {
    const data = await list();
    assert.equal(data.statusCode, 200);
    assert.equal(data.headers?.['content-type'], 'application/xml');
    assert.equal(data.Name, BUCKET);
    assert.equal(data.Prefix, '');
    assert.equal(data.Marker, '');
    assert.equal(data.MaxKeys, '1000');
    assert.equal(data.IsTruncated, 'false');
    assert.equal(data.NextMarker, undefined);
    assert.deepEqual(data.CommonPrefixes, []);
    assert.deepEqual(
      data.Contents.map((c) => c.Key),
      [...KEYS].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
    const first = data.Contents[0]!;
    const body = Buffer.from(`content of ${first.Key}`);
    assert.deepEqual(
      { ...first, LastModified: undefined },
      { Key: 'a.jpg', LastModified: undefined, ETag: md5(body), Size: String(body.length), Owner: { ID: APPID, DisplayName: APPID }, StorageClass: 'STANDARD' },
    );
    assert.match(first.LastModified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('lists one folder with Prefix and Delimiter: its objects, and its sub-folders as CommonPrefixes', async () => {
    const data = await list({ Prefix: 'input/', Delimiter: '/' });
    assert.equal(data.Prefix, 'input/');
    assert.equal((data as unknown as { Delimiter: string }).Delimiter, '/');
    assert.deepEqual(
      data.Contents.map((c) => c.Key),
      ['input/a.mp4', 'input/b.mp4'],
    );
    assert.deepEqual(data.CommonPrefixes, [{ Prefix: 'input/sub/' }]);
    const root = await list({ Delimiter: '/' });
    assert.deepEqual(
      root.Contents.map((c) => c.Key),
      ['a.jpg', 'zeta.txt'],
    );
    // '-' (0x2d) sorts before '/' (0x2f), as in the page's own example (example-folder-2/ before example-folder/).
    assert.deepEqual(
      root.CommonPrefixes.map((p) => p.Prefix),
      ['input-2/', 'input/', 'out/'],
    );
    const partial = await list({ Prefix: 'input/s' });
    assert.deepEqual(
      partial.Contents.map((c) => c.Key),
      ['input/sub/c.mp4', 'input/sub/d.jpg'],
    );
  });

  it('paginates with MaxKeys and Marker: every key once, in order, NextMarker the last key of the page', async () => {
    const pages = await allPages({ MaxKeys: 3 });
    assert.deepEqual(
      pages.map((p) => p.Contents.length),
      [3, 3, 2],
    );
    assert.equal(pages[0]!.MaxKeys, '3');
    assert.equal(pages[0]!.NextMarker, pages[0]!.Contents.at(-1)!.Key);
    assert.equal(pages[1]!.Marker, pages[0]!.NextMarker);
    assert.deepEqual(
      pages.flatMap((p) => p.Contents.map((c) => c.Key)),
      (await list()).Contents.map((c) => c.Key),
    );
  });

  it('paginates with a Delimiter too: a CommonPrefix counts as one entry and never comes back on the next page', async () => {
    const pages = await allPages({ Delimiter: '/', MaxKeys: 1 });
    const entries = pages.map((p) => [...p.CommonPrefixes.map((c) => c.Prefix), ...p.Contents.map((c) => c.Key)]);
    assert.deepEqual(entries, [['a.jpg'], ['input-2/'], ['input/'], ['out/'], ['zeta.txt']]);
    assert.equal(pages[2]!.NextMarker, 'input/');
  });

  it('answers keys URL-encoded with EncodingType url, and lists in UTF-8 byte order (not UTF-16 order)', async () => {
    await withEmulator({}, async (f) => {
      // U+FF5E is EF BD 9E in UTF-8, U+1F600 F0 9F 98 80: byte order puts U+FF5E first; UTF-16 order (D83D…) would not.
      const keys = ['腾讯云/a b.txt', 'x/\u{1F600}.txt', 'x/\uFF5E.txt', 'x/a+b.txt'];
      for (const key of keys) await f.put(key, 'x');
      const c = sdk({ Ip: `127.0.0.1:${f.emu.port}` });
      const plain = await c.getBucket({ Bucket: BUCKET, Region: REGION, Prefix: 'x/' });
      assert.deepEqual(
        plain.Contents.map((o) => o.Key),
        ['x/a+b.txt', 'x/\uFF5E.txt', 'x/\u{1F600}.txt'],
      );
      const encoded = await c.getBucket({ Bucket: BUCKET, Region: REGION, EncodingType: 'url', Delimiter: '/' });
      assert.equal(encoded.EncodingType, 'url');
      assert.deepEqual(
        encoded.CommonPrefixes.map((p) => p.Prefix),
        ['x%2F', '%E8%85%BE%E8%AE%AF%E4%BA%91%2F'],
      );
      assert.equal((encoded as unknown as { Delimiter: string }).Delimiter, '%2F');
      const inFolder = await c.getBucket({ Bucket: BUCKET, Region: REGION, EncodingType: 'url', Prefix: '腾讯云/' });
      assert.deepEqual(
        inFolder.Contents.map((o) => o.Key),
        ['%E8%85%BE%E8%AE%AF%E4%BA%91%2Fa%20b.txt'],
      );
      assert.equal(inFolder.Prefix, '%E8%85%BE%E8%AE%AF%E4%BA%91%2F');
    });
  });

  it('caps max-keys at 1000 and refuses one that is not a number with 400 InvalidArgument', async () => {
    assert.equal((await list({ MaxKeys: 5000 })).MaxKeys, '1000');
    const bad = await signedRequest(l.emu.url, { method: 'GET', pathname: '/', query: { 'max-keys': 'ten' } });
    assert.equal(bad.status, 400);
    assert.equal(errorOf(bad)?.Code, 'InvalidArgument');
    const badEncoding = await signedRequest(l.emu.url, { method: 'GET', pathname: '/', query: { 'encoding-type': 'base64' } });
    assert.equal(errorOf(badEncoding)?.Code, 'InvalidArgument');
  });

  it('is signed like any request: unsigned 403 AccessDenied, a wrong key 403 SignatureDoesNotMatch, a bucket with no folder 404 NoSuchBucket', async () => {
    const unsigned = await send(`http://${COS_HOST}/?prefix=input%2F`, l.emu.port);
    assert.equal(refused(unsigned, 403, 'AccessDenied'), 'Access Denied.');
    const wrongKey = await sdk({ Ip: `127.0.0.1:${l.emu.port}`, SecretKey: 'wrong' })
      .getBucket({ Bucket: BUCKET, Region: REGION })
      .then(
        () => undefined,
        (e: COS.CosSdkError) => e,
      );
    assert.deepEqual([wrongKey?.code, wrongKey?.statusCode], ['SignatureDoesNotMatch', 403]);
    const noFolder = await list({ Bucket: 'nofolder-1250000000' }).then(
      () => undefined,
      (e: COS.CosSdkError) => e,
    );
    assert.deepEqual([noFolder?.code, noFolder?.statusCode], ['NoSuchBucket', 404]);
  });

  it('lists nothing for a prefix with an empty, "." or ".." segment (no key has one), and never leaves the bucket folder', async () => {
    for (const Prefix of ['../', 'input/../', './a', 'input//a']) {
      const data = await list({ Prefix });
      assert.deepEqual([Prefix, data.Contents.length], [Prefix, 0]);
    }
  });

  it('answers HEAD Bucket (cos.headBucket) with 200, and 404 for a bucket with no folder', async () => {
    assert.equal((await cos().headBucket({ Bucket: BUCKET, Region: REGION })).statusCode, 200);
    const err = await cos()
      .headBucket({ Bucket: 'nofolder-1250000000', Region: REGION })
      .then(
        () => undefined,
        (e: COS.CosSdkError) => e,
      );
    assert.equal(err?.statusCode, 404);
  });

  it('counts listings as object requests in /_emulator/stats', async () => {
    const before = l.emu.stats().requests.object;
    await list();
    assert.equal(l.emu.stats().requests.object - before, 1);
  });
});
