/**
 * Describe over loopback: `CiClient.describe` (sign, request on a keep-alive undici pool,
 * read and parse the answer into the normalised result) against the official SDK's
 * `describeMediaJob`-style request through `cos.request` (sign, request, xml2json), both
 * against one loopback server answering `GET /jobs/<id>` with a documented answer.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CiClient } from '../src';
import { formatTable, sideBySideAsync, throughputRow, type BenchRow } from './harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const COS = require('cos-nodejs-sdk-v5');

const JOB_ID = 'j9c0a4726f6ac11ec96aaa9b64ab18d00';

export async function benchDescribe(): Promise<BenchRow[]> {
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
  const account = { secretId: 'AKIDbenchDescribe0123', secretKey: 'benchdescribesecret0123456789', bucket: 'examplebucket-1250000000', region: 'ap-guangzhou' };
  const client = new CiClient({ ...account, endpoint: url });
  const cos = new COS({ SecretId: account.secretId, SecretKey: account.secretKey, KeepAlive: true });
  const sdk = () =>
    new Promise((resolve, reject) => {
      cos.request({ Method: 'GET', Url: `${url}/jobs/${JOB_ID}`, Key: `jobs/${JOB_ID}` }, (err: unknown, data: unknown) => (err ? reject(err) : resolve(data)));
    });
  const ours = () => client.describe(JOB_ID);
  const rows: BenchRow[] = [];
  try {
    for (const concurrency of [1, 16]) {
      rows.push(
        throughputRow(
          `describe over loopback, ${concurrency} in flight`,
          await sideBySideAsync(ours, sdk, { concurrency, count: 600 }),
          'cos-nodejs-sdk-v5 request',
          1.2,
        ),
      );
    }
  } finally {
    await client.close();
    server.close();
    server.closeAllConnections();
  }
  return rows;
}

if (require.main === module) void benchDescribe().then((rows) => console.log(formatTable(rows)));
