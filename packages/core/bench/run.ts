/**
 * `npm run bench` (core): our implementation against the official SDK, cos-nodejs-sdk-v5,
 * measured side by side in the same process. Prints operations per second and the ratio
 * ours / SDK (above 1 = we are faster). Loopback only, bounded in count and time.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildJobRequest, CiClient, parseCallback, sign } from '../src';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const COS = require('cos-nodejs-sdk-v5');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkUtil = require('cos-nodejs-sdk-v5/sdk/util');

const SECRET_ID = 'AKIDbench';
const SECRET_KEY = 'benchsecretkey0123456789';
const rows: string[][] = [];

function time(fn: () => void, ms = 700): number {
  for (let i = 0; i < 200; i += 1) fn(); // warm up
  let n = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(ms) * 1_000_000n;
  while (process.hrtime.bigint() - start < limit) {
    for (let i = 0; i < 50; i += 1) fn();
    n += 50;
  }
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function timeAsync(fn: () => Promise<unknown>, count: number, concurrency: number): Promise<number> {
  for (let i = 0; i < 20; i += 1) await fn();
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        await fn();
      }
    }),
  );
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

function row(name: string, ours: number, sdk: number, note = ''): void {
  rows.push([name, ours.toFixed(0), sdk.toFixed(0), (ours / sdk).toFixed(2), note]);
}

async function main(): Promise<void> {
  const keyTime = '1700000000;1700003600';
  const headers = { host: 'examplebucket-1250000000.ci.ap-guangzhou.myqcloud.com', 'content-type': 'application/xml', 'content-length': '166' };
  row(
    'sign POST /jobs',
    time(() => sign({ secretId: SECRET_ID, secretKey: SECRET_KEY, method: 'POST', pathname: '/jobs', headers, keyTime })),
    time(() => COS.getAuthorization({ SecretId: SECRET_ID, SecretKey: SECRET_KEY, Method: 'POST', Pathname: '/jobs', Headers: headers, KeyTime: keyTime })),
  );

  const params = {
    Input: { Object: 'input/demo.mp4' },
    Operation: {
      Snapshot: {
        Mode: 'Interval',
        Start: '1',
        TimeInterval: '2',
        Count: '10',
        SnapshotOutMode: 'SnapshotAndSprite',
        SpriteSnapshotConfig: { Color: 'Azure', Columns: '3', Lines: '2' },
      },
      Output: { Region: 'ap-chongqing', Bucket: 'test-123456789', Object: 'output/snapshot-${number}.jpg', SpriteObject: 'output/sprite-${number}.jpg' },
      UserData: 'This is my data.',
      JobLevel: '0',
    },
    CallBack: 'http://callback.demo.com',
    CallBackFormat: 'JSON',
  };
  row(
    'build Snapshot request',
    time(() => buildJobRequest('Snapshot', params)),
    time(() => sdkUtil.json2xml({ Request: { Tag: 'Snapshot', ...params } })),
    'ours also validates every field',
  );

  const callback = readFileSync(join(__dirname, '..', 'test', 'fixtures', 'callback-videotag-stream.xml'), 'utf8');
  row(
    'parse VideoTag callback',
    time(() => parseCallback(callback)),
    time(() => sdkUtil.xml2json(callback)),
    'ours also validates and normalises arrays',
  );

  // One loopback server answers GET /jobs/<id> for both clients.
  const body = readFileSync(join(__dirname, '..', 'test', 'fixtures', 'describe-job-success-transcode.xml'));
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/xml', 'content-length': body.length, 'x-ci-request-id': 'bench' });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new CiClient({ secretId: SECRET_ID, secretKey: SECRET_KEY, bucket: 'examplebucket-1250000000', region: 'ap-guangzhou', endpoint: url });
  const cos = new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY, KeepAlive: true });
  const sdkDescribe = () =>
    new Promise((resolve, reject) => {
      cos.request(
        { Method: 'GET', Url: `${url}/jobs/j9c0a4726f6ac11ec96aaa9b64ab18d00`, Key: 'jobs/j9c0a4726f6ac11ec96aaa9b64ab18d00' },
        (err: unknown, data: unknown) => (err ? reject(err) : resolve(data)),
      );
    });
  const oursDescribe = () => client.describe('j9c0a4726f6ac11ec96aaa9b64ab18d00');
  for (const concurrency of [1, 16]) {
    row(
      `describe over loopback (x${concurrency})`,
      await timeAsync(oursDescribe, 1500, concurrency),
      await timeAsync(sdkDescribe, 1500, concurrency),
      'ours also parses and normalises',
    );
  }
  await client.close();
  server.close();
  server.closeAllConnections();

  const heap = process.memoryUsage();
  const widths = [32, 12, 12, 8];
  const line = (r: string[]) => r.map((c, i) => (i < widths.length ? c.padEnd(widths[i]!) : c)).join(' ');
  console.log(line(['operation (ops/s)', 'ours', 'SDK', 'ratio', 'note']));
  for (const r of rows) console.log(line(r));
  console.log(`heap used after the run: ${(heap.heapUsed / 1048576).toFixed(1)} MiB, rss ${(heap.rss / 1048576).toFixed(1)} MiB`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
