/**
 * The instant (synchronous) MediaInfo and Snapshot APIs (docs/api/instant.md): GetMediaInfo
 * `GET /<key>?ci-process=videoinfo` and GetSnapshot `GET /<key>?ci-process=snapshot&time=…`.
 *
 * - instantQuery: the descriptor's parameters, validated as job fields are, unknown ones refused;
 * - parseInstantMediaInfo on the Go SDK's test body (fixtures/mediainfo-sync-go-test.xml);
 * - against cos-nodejs-sdk-v5 `request` (its generic call, with `Query`) as the oracle: the same
 *   path and query, and our Authorization equal to the SDK's `getAuthorization` at our KeyTime;
 * - against the real emulator (from its source) with a clip made by ffmpeg: the instant
 *   MediaInfo equals the MediaInfo job's, and frames have the asked size and format.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CiClient, type CiClientOptions } from '../src/client';
import { CiError, CiValidationError } from '../src/errors';
import { instantQuery, parseInstantMediaInfo } from '../src/instant';
import { parseAuthorization } from '../src/sign';
import { rejection } from './helpers/assert';
import { recordingClient, startTestServer, type RecordedRequest, type TestServer } from './helpers/ci-test-server';

// The official SDK, used as a test oracle (see sign.test.ts and list-objects.test.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const COS = require('cos-nodejs-sdk-v5') as {
  new (options: Record<string, unknown>): { request(params: Record<string, unknown>, callback: (err: unknown, data?: unknown) => void): void };
  getAuthorization(options: Record<string, unknown>): string;
};

interface Emulator {
  url: string;
  close(): Promise<void>;
}
// The emulator and its sample clip from their source (tsx runs them): the emulator depends on core.
/* eslint-disable @typescript-eslint/no-require-imports */
const { startEmulator } = require('../../emulator/src/emulator') as {
  startEmulator(options: { secretId: string; secretKey: string; root: string; bucket: string; region: string; persistJobs?: boolean }): Promise<Emulator>;
};
const { makeSampleClip } = require('../../emulator/src/media/sample-clip') as {
  makeSampleClip(file: string, options?: { seconds?: number; size?: string }): void;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const SECRET_ID = 'AKIDinstant00000001';
const SECRET_KEY = 'instantSecretKey00001';
const BUCKET = 'examplebucket-1250000000';
const REGION = 'ap-guangzhou';

function invalid(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof CiValidationError, String(err));
    assert.equal(err.code, 'InvalidArgument');
    assert.match(err.message, pattern);
    return true;
  });
}

describe('instantQuery', () => {
  it('sends ci-process first and only the parameters given, in the documented order', () => {
    assert.deepEqual(instantQuery('MediaInfo'), { 'ci-process': 'videoinfo' });
    assert.deepEqual(instantQuery('Snapshot', { time: 1.5 }), { 'ci-process': 'snapshot', time: '1.5' });
    assert.deepEqual(Object.keys(instantQuery('Snapshot', { mode: 'keyframe', format: 'png', width: '320', time: '2', height: 0, rotate: 'off' })), [
      'ci-process',
      'time',
      'width',
      'height',
      'format',
      'rotate',
      'mode',
    ]);
    assert.deepEqual(instantQuery('Snapshot', { time: ' 3 ', width: '0320', format: '' }), { 'ci-process': 'snapshot', time: '3', width: '320' });
  });

  it('refuses each bad parameter before sending, naming it and what is allowed', () => {
    invalid(() => instantQuery('Snapshot', {}), /^Invalid instant Snapshot: time is required: a number >= 0$/);
    invalid(() => instantQuery('Snapshot', { time: -1 }), /time is -1/);
    invalid(() => instantQuery('Snapshot', { time: 'soon' }), /time is "soon"/);
    invalid(() => instantQuery('Snapshot', { time: 1, width: 4097 }), /width is 4097.*4096/);
    invalid(() => instantQuery('Snapshot', { time: 1, height: -2 }), /height is -2/);
    invalid(() => instantQuery('Snapshot', { time: 1, width: 1.5 }), /width is 1\.5/);
    invalid(() => instantQuery('Snapshot', { time: 1, format: 'gif' }), /format is "gif".*jpg.*png/);
    invalid(() => instantQuery('Snapshot', { time: 1, rotate: 'left' }), /rotate is "left".*auto.*off/);
    invalid(() => instantQuery('Snapshot', { time: 1, mode: 'nearest' }), /mode is "nearest".*exactframe.*keyframe/);
  });

  it('never drops an unknown parameter: it is an error that names it', () => {
    invalid(() => instantQuery('Snapshot', { time: 1, Width: 320 }), /Width/);
    invalid(() => instantQuery('MediaInfo', { time: 1 }), /time/);
    invalid(() => instantQuery('Snapshot', 'time=1'), /\(parameters\) is "time=1"/);
  });
});

describe('parseInstantMediaInfo', () => {
  const body = readFileSync(join(__dirname, 'fixtures', 'mediainfo-sync-go-test.xml'));

  it("reads the Go SDK's GetMediaInfo body with the job result's arrays", () => {
    const { MediaInfo } = parseInstantMediaInfo(body);
    assert.equal(MediaInfo.Format?.Duration, '10.125000');
    assert.ok(Array.isArray(MediaInfo.Stream?.Video) && MediaInfo.Stream.Video.length === 1);
    assert.ok(Array.isArray(MediaInfo.Stream?.Audio) && MediaInfo.Stream.Audio[0]!.CodecName === 'aac');
  });

  it('throws the CiError of an <Error> body, and MalformedResponse for another root', () => {
    const err = (() => {
      try {
        parseInstantMediaInfo('<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>r1</RequestId></Error>', {
          status: 404,
        });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof CiError && err.code === 'NoSuchKey');
    assert.throws(
      () => parseInstantMediaInfo('<ListBucketResult/>'),
      (e: unknown) => e instanceof CiError && e.code === 'MalformedResponse',
    );
  });
});

describe('CiClient instant calls: the request cos-nodejs-sdk-v5 sends', () => {
  let server: TestServer;
  const clients: CiClient[] = [];

  beforeEach(async () => {
    // The head of a 1x1 PNG (signature and IHDR) answers every request.
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    server = await startTestServer(() => ({ status: 200, headers: { 'content-type': 'image/png' }, body: Buffer.concat([png, Buffer.alloc(16)]) }), {
      secretKey: SECRET_KEY,
    });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.close();
  });

  function sdkRequest(key: string, query: Record<string, string>, token?: string): Promise<RecordedRequest> {
    const cos = new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY, SecurityToken: token ?? '', Domain: server.url, Protocol: 'http:' });
    const from = server.requests.length;
    return new Promise((resolve) => {
      // The SDK reads the PNG as text and may complain: only the request it sent matters here.
      cos.request({ Bucket: BUCKET, Region: REGION, Method: 'GET', Key: key, Query: query, RawBody: true }, () => resolve(server.requests[from]!));
    });
  }

  const client = (token?: string): CiClient =>
    recordingClient(server, { secretId: SECRET_ID, secretKey: SECRET_KEY, bucket: BUCKET, region: REGION }, clients, token);

  const KEYS = ['input/demo.mp4', '腾讯云/视频 1.mp4', 'plus/a+b c.mp4'];
  const PARAMS: Array<Record<string, string>> = [
    { time: '1' },
    { time: '1.5', width: '320', format: 'png' },
    { time: '0', width: '0', height: '180', format: 'jpg', rotate: 'off', mode: 'keyframe' },
  ];

  for (const token of [undefined, 'sts-token_0123456789-abcdefABCDEF']) {
    it(`sends the SDK's path and query, signed as the SDK signs them${token ? ' (with an STS token)' : ''}`, async () => {
      for (const key of KEYS) {
        for (const params of PARAMS) {
          const query = instantQuery('Snapshot', params);
          const sdk = await sdkRequest(key, query, token);
          const from = server.requests.length;
          await client(token).getSnapshot(key, params);
          const mine = server.requests[from]!;
          assert.equal(mine.url, sdk.url, `${key} ${JSON.stringify(params)}`);
          assert.ok(mine.signatureValid && sdk.signatureValid);
          const a = parseAuthorization(mine.headers.authorization)!;
          const s = parseAuthorization(sdk.headers.authorization)!;
          assert.deepEqual(a.urlParamList, s.urlParamList, 'the same signed query parameters');
          const headers = Object.fromEntries(a.headerList.map((name) => [name, String(sdk.headers[name])]));
          const expected = COS.getAuthorization({
            SecretId: SECRET_ID,
            SecretKey: SECRET_KEY,
            Method: 'GET',
            Pathname: `/${key}`,
            Query: Object.fromEntries(new URL(sdk.url, 'http://x').searchParams),
            Headers: headers,
            KeyTime: a.keyTime,
          });
          assert.equal(mine.headers.authorization, expected);
        }
      }
      const sdk = await sdkRequest('input/demo.mp4', { 'ci-process': 'videoinfo' }, token);
      assert.equal(sdk.url, '/input/demo.mp4?ci-process=videoinfo');
    });
  }

  it('sends nothing for bad parameters, and refuses an answer that is no image', async () => {
    const c = client();
    assert.match((await rejection(c.getSnapshot('input/demo.mp4', { time: 1, width: 99999 }))).message, /width is 99999/);
    assert.equal(server.requests.length, 0);
    server.respond([{ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>a login page</html>' }]);
    const err = await c.getSnapshot('input/demo.mp4', { time: 1 }).catch((e: unknown) => e);
    assert.ok(err instanceof CiError && err.code === 'MalformedResponse', String(err));
  });
});

describe('CiClient instant calls against the emulator', function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let root: string;
  let c: CiClient;
  const CLIP = 'input/clip.mp4';

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'core-instant-'));
    makeSampleClip(join(root, BUCKET, CLIP), { seconds: 3, size: '640x360' });
    await writeFile(join(root, BUCKET, 'input', 'notes.txt'), 'not a video\n');
    emulator = await startEmulator({ secretId: SECRET_ID, secretKey: SECRET_KEY, root, bucket: BUCKET, region: REGION, persistJobs: false });
    const options: CiClientOptions = { secretId: SECRET_ID, secretKey: SECRET_KEY, bucket: BUCKET, region: REGION, endpoint: emulator.url, retry: false };
    c = new CiClient(options);
  });
  after(async () => {
    await c?.close();
    await emulator?.close();
    await rm(root, { recursive: true, force: true });
  });

  it("answers the MediaInfo job's MediaInfo for the same clip, at once", async () => {
    const instant = await c.getMediaInfo(CLIP);
    const jobId = (await c.submit('MediaInfo', { Input: { Object: CLIP } })).JobsDetail.JobId;
    let detail;
    for (let i = 0; i < 200; i++) {
      detail = (await c.describe(jobId)).JobsDetail[0];
      if (detail && ['Success', 'Failed'].includes(String(detail.State))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(detail?.State, 'Success');
    assert.deepEqual(instant.MediaInfo, (detail!.Operation as { MediaInfo: unknown }).MediaInfo);
    assert.equal(instant.MediaInfo.Stream?.Video?.[0]?.Width, '640');
  });

  it('takes frames of the asked size and format', async () => {
    const whole = await c.getSnapshot(CLIP, { time: 1 });
    assert.deepEqual(whole.image, { type: 'jpeg', width: 640, height: 360 });
    assert.equal(whole.contentType, 'image/jpeg');
    const narrow = await c.getSnapshot(CLIP, { time: 1.5, width: 320, format: 'png' });
    assert.deepEqual(narrow.image, { type: 'png', width: 320, height: 180 });
    assert.equal(narrow.contentType, 'image/png');
    assert.deepEqual(narrow.params, { time: '1.5', width: '320', format: 'png' });
    const both = await c.getSnapshot(CLIP, { time: 0, width: 200, height: 200, mode: 'keyframe' });
    assert.deepEqual(both.image, { type: 'jpeg', width: 200, height: 200 });
  });

  it("gives the service's errors: NoSuchKey for a missing object, and an error for an object that is no video", async () => {
    const missing = await c.getMediaInfo('input/missing.mp4').catch((e: unknown) => e);
    assert.ok(missing instanceof CiError && missing.code === 'NoSuchKey', String(missing));
    const notVideo = await c.getSnapshot('input/notes.txt', { time: 0 }).catch((e: unknown) => e);
    assert.ok(notVideo instanceof CiError && notVideo.status === 400, String(notVideo));
    const tooSmall = await c.getSnapshot(CLIP, { time: 1 }, { maxBytes: 100 }).catch((e: unknown) => e);
    assert.ok(tooSmall instanceof CiError && tooSmall.code === 'BodyTooLarge', String(tooSmall));
  });
});
