/**
 * CI's synchronous media APIs on the COS object host, GetMediaInfo
 * (`GET /<key>?ci-process=videoinfo`, https://cloud.tencent.com/document/product/436/55672)
 * and GetSnapshot (`GET /<key>?ci-process=snapshot&time=…`,
 * https://cloud.tencent.com/document/product/436/55671), driven by the official Node SDK
 * (cos-nodejs-sdk-v5, a dev dependency of packages/core) on real clips made by ffmpeg.
 *
 * SDK facts these tests rely on (sdk/base.js request, getObjectUrl): `request({ Bucket,
 * Region, Key, Query })` sends the Query on the wire and signs every parameter of it in
 * q-url-param-list; `RawBody: true` hands back a 2xx body as a Buffer in `data.Body`; with
 * `Ip` the request goes to that address with the COS host name as Host; `getObjectUrl({ Sign:
 * true, Query })` signs the Query into the URL's signature and appends it after the signature.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import COS from 'cos-nodejs-sdk-v5';
import { imageInfo } from '../src/media/image-size';
import { locateMediaTools } from '../src/media/tools';
import { BUCKET, REGION, SECRET_ID, SECRET_KEY, errorOf, signedRequest, suiteEmulator, waitForEnd } from './helpers/emulator';
import { sdkFailure } from './helpers/assert';
import { ffmpegPath, hasMediaTools, makeAudioOnlyClip, makeCleanClip, makeNotMedia, makeVideoOnlyClip } from './helpers/media';

const run = promisify(execFile);
const COS_HOST = `${BUCKET}.cos.${REGION}.myqcloud.com`;

type Result = COS.RequestResult & { Body?: Buffer };

function call(cos: COS, params: Partial<COS.RequestParams>): Promise<Result> {
  return new Promise((resolve, reject) => {
    cos.request({ Bucket: BUCKET, Region: REGION, Method: 'GET', ...params } as COS.RequestParams, (err, data) =>
      err ? reject(err) : resolve(data as Result),
    );
  });
}

/** Asserts the SDK's error: HTTP status and COS code; returns the message. */
async function refused(promise: Promise<unknown>, status: number, code: string): Promise<string> {
  const err = await sdkFailure(promise);
  assert.deepEqual({ status: err.statusCode, code: err.code }, { status, code }, err.message);
  return err.message;
}

/** `Ip` keeps the COS host name (the Host header and the signature) but connects to the emulator. */
function sdk(port: number, options: COS.COSOptions = {}): COS {
  return new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY, Protocol: 'http:', Ip: `127.0.0.1:${port}`, ...options });
}

describe('GetMediaInfo and GetSnapshot (ci-process on objects)', function () {
  this.timeout(120_000);
  const t = suiteEmulator({ startDelayMs: 0 });
  let work: string;
  /** The clean clip's key frame times (seconds). */
  let keyFrames: number[];

  before(async function () {
    if (!hasMediaTools()) this.skip();
    work = await mkdtemp(join(tmpdir(), 'ci-emu-instant-'));
    const media = join(t.bucketDir, 'media');
    await mkdir(media, { recursive: true });
    await makeCleanClip(media, 'clean.mp4'); // 4 s, 640x360, 25 fps, h264/aac
    await makeAudioOnlyClip(media, 'audio.m4a');
    await makeNotMedia(media, 'text.mp4');
    // 320x180 with a 90° display matrix: turned, it is 180x320.
    const plain = await makeVideoOnlyClip(work, 'plain.mp4');
    await run(ffmpegPath(), [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-y',
      '-i',
      plain,
      '-c',
      'copy',
      '-metadata:s:v:0',
      'rotate=90',
      join(work, 'rotated.mp4'),
    ]);
    await rename(join(work, 'rotated.mp4'), join(media, 'rotated.mp4'));
    const { stdout } = await run(locateMediaTools().ffprobe!, [
      '-v',
      'error',
      '-skip_frame',
      'nokey',
      '-select_streams',
      'v:0',
      '-show_entries',
      'frame=pts_time',
      '-of',
      'csv=p=0',
      join(media, 'clean.mp4'),
    ]);
    keyFrames = stdout.split(/\s+/).filter(Boolean).map(Number);
  });
  after(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

  const snapshot = (query: Record<string, string>, key = 'media/clean.mp4', cos = sdk(t.emu.port)) =>
    call(cos, { Key: key, Query: { 'ci-process': 'snapshot', ...query }, RawBody: true } as Partial<COS.RequestParams>);
  const videoinfo = (key = 'media/clean.mp4', cos = sdk(t.emu.port)) => call(cos, { Key: key, Query: { 'ci-process': 'videoinfo' } });

  describe('videoinfo', () => {
    it('answers 200 application/xml <Response><MediaInfo> equal to the MediaInfo job result for the same object', async () => {
      const cos = sdk(t.emu.port);
      const sent: Array<{ headers: Record<string, string> }> = [];
      (cos as unknown as { on(e: string, fn: (o: { headers: Record<string, string> }) => void): void }).on('before-send', (o) =>
        sent.push({ headers: { ...o.headers } }),
      );
      const data = await videoinfo('media/clean.mp4', cos);
      assert.equal(data.statusCode, 200);
      assert.equal(data.headers?.['content-type'], 'application/xml');
      assert.equal(data.headers?.server, 'tencent-ci');
      assert.ok(data.headers?.['x-cos-request-id']);
      assert.match(sent[0]!.headers.Authorization ?? '', /&q-url-param-list=ci-process&/);
      const instant = (data as unknown as { Response: { MediaInfo: Record<string, unknown> } }).Response.MediaInfo;

      // The job, submitted and described through the emulator; its result read by the same SDK parser.
      const { JobId } = (await t.client().submit('MediaInfo', { Input: { Object: 'media/clean.mp4' } })).JobsDetail;
      assert.equal((await waitForEnd(t.client(), JobId, 60_000)).State, 'Success');
      const described = await new Promise<COS.RequestResult>((resolve, reject) =>
        new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY }).request({ Method: 'GET', Url: `${t.emu.url}/jobs/${JobId}` }, (err, d) =>
          err ? reject(err) : resolve(d),
        ),
      );
      const job = (described as unknown as { Response: { JobsDetail: { Operation: { MediaInfo: Record<string, unknown> } } } }).Response.JobsDetail.Operation
        .MediaInfo;
      assert.deepEqual(instant, job);
      const format = instant.Format as Record<string, string>;
      const video = (instant.Stream as { Video: Record<string, string> }).Video;
      assert.deepEqual([format.Duration, video.Width, video.Height, video.CodecName], ['4.000000', '640', '360', 'h264']);
    });

    it('refuses a file that is not media with the MediaInfo job code ResourceNotSupported (400)', async () => {
      assert.match(await refused(videoinfo('media/text.mp4'), 400, 'ResourceNotSupported'), /not a media file/);
    });

    it('answers 404 NoSuchKey for a missing object', async () => {
      await refused(videoinfo('media/nope.mp4'), 404, 'NoSuchKey');
    });
  });

  describe('snapshot', () => {
    it('defaults: a JPEG of the video size, image/jpeg, Content-Length = the body', async () => {
      const data = await snapshot({ time: '1' });
      assert.equal(data.statusCode, 200);
      const body = data.Body!;
      assert.deepEqual([body[0], body[1]], [0xff, 0xd8]);
      assert.equal(data.headers?.['content-type'], 'image/jpeg');
      assert.equal(Number(data.headers?.['content-length']), body.length);
      assert.deepEqual(imageInfo(body), { type: 'jpeg', width: 640, height: 360 });
    });

    it('width only keeps the aspect ratio, height only too, both give exactly that size', async () => {
      assert.deepEqual(imageInfo((await snapshot({ time: '0.5', width: '320' })).Body!), { type: 'jpeg', width: 320, height: 180 });
      assert.deepEqual(imageInfo((await snapshot({ time: '0.5', height: '90' })).Body!), { type: 'jpeg', width: 160, height: 90 });
      assert.deepEqual(imageInfo((await snapshot({ time: '0.5', width: '200', height: '100' })).Body!), { type: 'jpeg', width: 200, height: 100 });
      assert.deepEqual(imageInfo((await snapshot({ time: '0.5', width: '0', height: '0' })).Body!), { type: 'jpeg', width: 640, height: 360 });
    });

    it('format=png gives a PNG (magic bytes, image/png, Content-Length)', async () => {
      const data = await snapshot({ time: '2', format: 'png' });
      const body = data.Body!;
      assert.deepEqual([...body.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.equal(data.headers?.['content-type'], 'image/png');
      assert.equal(Number(data.headers?.['content-length']), body.length);
      assert.deepEqual(imageInfo(body), { type: 'png', width: 640, height: 360 });
    });

    it('mode=keyframe gives the last key frame at or before time; exactframe the frame at time', async () => {
      const at = 1.5;
      const key = keyFrames.filter((k) => k <= at).at(-1)!;
      assert.ok(key < at - 0.1, `the clip needs a key frame well before ${at} s, has ${keyFrames.join(', ')}`);
      const png = async (query: Record<string, string>) => (await snapshot({ format: 'png', ...query })).Body!;
      const keyframe = await png({ time: String(at), mode: 'keyframe' });
      const exact = await png({ time: String(at), mode: 'exactframe' });
      const atKey = await png({ time: String(key) });
      assert.ok(keyframe.equals(atKey), 'keyframe at 1.5 s is the frame at the key frame before it');
      assert.ok(!exact.equals(atKey), 'exactframe at 1.5 s is another frame');
      assert.ok(exact.equals(await png({ time: String(at) })), 'exactframe is the default');
    });

    it('a time in the last frame (up to the duration) gives that frame', async () => {
      assert.deepEqual(imageInfo((await snapshot({ time: '4' })).Body!), { type: 'jpeg', width: 640, height: 360 });
    });

    it('rotate=auto turns the frame by the rotation metadata (the default), rotate=off does not', async () => {
      assert.deepEqual(imageInfo((await snapshot({ time: '1' }, 'media/rotated.mp4')).Body!), { type: 'jpeg', width: 180, height: 320 });
      assert.deepEqual(imageInfo((await snapshot({ time: '1', rotate: 'auto' }, 'media/rotated.mp4')).Body!), { type: 'jpeg', width: 180, height: 320 });
      assert.deepEqual(imageInfo((await snapshot({ time: '1', rotate: 'off' }, 'media/rotated.mp4')).Body!), { type: 'jpeg', width: 320, height: 180 });
      // Width applies to the turned frame.
      assert.deepEqual(imageInfo((await snapshot({ time: '1', width: '90' }, 'media/rotated.mp4')).Body!), { type: 'jpeg', width: 90, height: 160 });
    });

    it('ignores unknown query parameters (which are signed all the same)', async () => {
      const data = await snapshot({ time: '1', 'x-unknown': 'yes', quality: '10' });
      assert.equal(data.statusCode, 200);
      assert.deepEqual(imageInfo(data.Body!), { type: 'jpeg', width: 640, height: 360 });
    });

    const invalid: Array<[string, Record<string, string>, string]> = [
      ['time missing', {}, 'time'],
      ['time empty', { time: '' }, 'time'],
      ['time negative', { time: '-1' }, 'time'],
      ['time not a number', { time: 'abc' }, 'time'],
      ['time infinite', { time: 'Infinity' }, 'time'],
      ['time in exponent form', { time: '1e1' }, 'time'],
      ['width above 4096', { time: '1', width: '4097' }, 'width'],
      ['width not whole', { time: '1', width: '1.5' }, 'width'],
      ['height negative', { time: '1', height: '-2' }, 'height'],
      ['height not a number', { time: '1', height: 'tall' }, 'height'],
      ['format gif', { time: '1', format: 'gif' }, 'format'],
      ['format JPG (case matters)', { time: '1', format: 'JPG' }, 'format'],
      ['rotate on', { time: '1', rotate: 'on' }, 'rotate'],
      ['mode fast', { time: '1', mode: 'fast' }, 'mode'],
    ];
    for (const [what, query, name] of invalid) {
      it(`400 InvalidArgument naming ${name}: ${what}`, async () => {
        const message = await refused(snapshot(query), 400, 'InvalidArgument');
        assert.match(message, new RegExp(`^${name} `), message);
      });
    }

    it('names the allowed values in its messages', async () => {
      assert.match(await refused(snapshot({ time: '1', width: '5000' }), 400, 'InvalidArgument'), /from 0 to 4096/);
      assert.match(await refused(snapshot({ time: '1', format: 'gif' }), 400, 'InvalidArgument'), /jpg or png/);
      assert.match(await refused(snapshot({ time: '1', rotate: 'x' }), 400, 'InvalidArgument'), /auto or off/);
      assert.match(await refused(snapshot({ time: '1', mode: 'x' }), 400, 'InvalidArgument'), /exactframe or keyframe/);
    });

    it('checks the parameters before the object: bad ones on a missing object are 400, not 404', async () => {
      await refused(snapshot({ time: 'x' }, 'media/nope.mp4'), 400, 'InvalidArgument');
    });

    it('400 InvalidArgument naming time and the duration for a time beyond the clip', async () => {
      const message = await refused(snapshot({ time: '10' }), 400, 'InvalidArgument');
      assert.match(message, /^time 10 is beyond the end/);
      assert.match(message, /4\.000 s/);
    });

    it('404 NoSuchKey for a missing object', async () => {
      await refused(snapshot({ time: '1' }, 'media/nope.mp4'), 404, 'NoSuchKey');
    });

    it('refuses a file that is not media, and audio without video, with the Snapshot job code ResourceNotSupported (400)', async () => {
      await refused(snapshot({ time: '1' }, 'media/text.mp4'), 400, 'ResourceNotSupported');
      assert.match(await refused(snapshot({ time: '1' }, 'media/audio.m4a'), 400, 'ResourceNotSupported'), /no video stream/);
    });
  });

  describe('pre-signed URLs (getObjectUrl) fetched with fetch()', () => {
    const url = (query: Record<string, string>, key = 'media/clean.mp4') =>
      new Promise<string>((resolve, reject) =>
        new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY, Protocol: 'http:', Domain: `127.0.0.1:${t.emu.port}` }).getObjectUrl(
          { Bucket: BUCKET, Region: REGION, Key: key, Sign: true, Query: query },
          (err, data) => (err ? reject(err) : resolve(data.Url)),
        ),
      );

    it('serves the snapshot of a signed URL: a PNG of the asked width', async () => {
      const signed = await url({ 'ci-process': 'snapshot', time: '1.2', width: '320', format: 'png' });
      assert.match(signed, /q-url-param-list=ci-process%3bformat%3btime%3bwidth&/i);
      const res = await fetch(signed);
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(res.headers.get('content-type'), 'image/png');
      const body = Buffer.from(await res.arrayBuffer());
      assert.equal(Number(res.headers.get('content-length')), body.length);
      assert.deepEqual(imageInfo(body), { type: 'png', width: 320, height: 180 });
    });

    it('serves videoinfo of a signed URL', async () => {
      const res = await fetch(await url({ 'ci-process': 'videoinfo' }));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/xml');
      assert.match(await res.text(), /^<Response><MediaInfo><Format>.*<Width>640<\/Width>.*<\/MediaInfo><\/Response>$/);
    });

    it('403 SignatureDoesNotMatch when a signed parameter is changed after signing', async () => {
      const signed = (await url({ 'ci-process': 'snapshot', time: '1' })).replace(/&time=1$/, '&time=2');
      assert.match(signed, /&time=2$/);
      const res = await fetch(signed);
      const body = await res.text();
      assert.equal(res.status, 403, body);
      assert.equal(errorOf({ status: res.status, headers: {}, body })?.Code, 'SignatureDoesNotMatch');
    });
  });

  describe('requests COS refuses', () => {
    it('403 SignatureDoesNotMatch with a wrong SecretKey, as for other objects', async () => {
      const wrong = sdk(t.emu.port, { SecretKey: 'wrong-secret-key' });
      await refused(videoinfo('media/clean.mp4', wrong), 403, 'SignatureDoesNotMatch');
      await refused(snapshot({ time: '1' }, 'media/clean.mp4', wrong), 403, 'SignatureDoesNotMatch');
    });

    it('400 InvalidArgument naming an unknown ci-process', async () => {
      const message = await refused(call(sdk(t.emu.port), { Key: 'media/clean.mp4', Query: { 'ci-process': 'zippreview' } }), 400, 'InvalidArgument');
      assert.match(message, /^ci-process "zippreview" is not supported/);
      assert.match(message, /videoinfo or snapshot/);
    });

    it('400 InvalidArgument for ci-process on the bucket root /', async () => {
      const res = await signedRequest(t.emu.url, { method: 'GET', pathname: '/', query: { 'ci-process': 'videoinfo' }, host: COS_HOST });
      assert.equal(res.status, 400, res.body);
      assert.equal(errorOf(res)?.Code, 'InvalidArgument');
      assert.match(errorOf(res)?.Message ?? '', /needs an object/);
    });

    it('405 MethodNotAllowed for HEAD (and PUT) with ci-process', async () => {
      for (const method of ['HEAD', 'PUT'] as const) {
        const res = await signedRequest(t.emu.url, {
          method,
          pathname: '/media/clean.mp4',
          query: { 'ci-process': 'videoinfo' },
          host: COS_HOST,
          body: method === 'PUT' ? '' : undefined,
        });
        assert.equal(res.status, 405, `${method}: ${res.body}`);
        assert.equal(res.headers['content-type'], 'application/xml');
      }
    });

    it('counts the requests in the stats under object and under videoinfo / snapshot', async () => {
      const before = t.emu.stats().requests;
      await videoinfo();
      await snapshot({ time: '1', width: '64' });
      await sdkFailure(snapshot({ time: 'x' }));
      await sdkFailure(call(sdk(t.emu.port), { Key: 'media/clean.mp4', Query: { 'ci-process': 'nope' } }));
      const after = t.emu.stats().requests;
      assert.deepEqual(
        { object: after.object - before.object, videoinfo: after.videoinfo - before.videoinfo, snapshot: after.snapshot - before.snapshot },
        { object: 4, videoinfo: 1, snapshot: 2 },
      );
    });
  });
});
