/**
 * Job callbacks (docs/api/callbacks.md): TaskFinish bodies POSTed as XML or Tencent's collapsed JSON,
 * the emulator's default callback URL, `CallBack: no`, delivery retries, and TDMQ topics.
 */
import assert from 'node:assert/strict';
import { parseCallback, type JobsDetail } from '@node-red-tencent-ci/core';
import { eventually, startTestEmulator, videoTag, waitForEnd, type TestEmulator } from './helpers/emulator';
import { startSink, type HttpSink } from './helpers/http-sink';
import { haveFfmpeg, makeTinyClip } from './helpers/clip';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

const CAT_SCRIPT = { VideoTagResult: { StreamData: { SubErrCode: '0', SubErrMsg: 'ok', Data: { Tags: [{ Tag: 'Cat', Confidence: '0.9' }] } } } };

/** A JobsDetail without what differs between two runs of the same job. */
function withoutIdAndTimes(d: JobsDetail): Record<string, unknown> {
  const { JobId, CreationTime, StartTime, EndTime, ...rest } = d;
  return rest;
}

describe('callbacks', function () {
  let sink: HttpSink;
  let t: TestEmulator;

  afterEach(async () => {
    await t?.close();
    await sink?.close();
  });

  type Options = NonNullable<Parameters<typeof startTestEmulator>[0]>;

  /**
   * Starts a sink answering `statuses`, an emulator (options may use the sink's URL), and
   * puts input/cat.mp4 with a one-tag script.
   */
  async function setup(statuses: number[] = [200], options: Options | ((sinkUrl: string) => Options) = {}): Promise<void> {
    sink = await startSink(statuses);
    t = await startTestEmulator(typeof options === 'function' ? options(sink.url) : options);
    await t.put('input/cat.mp4');
    await t.put('input/cat.mp4.ci-result.json', JSON.stringify(CAT_SCRIPT));
  }

  async function runJob(params: Record<string, unknown>): Promise<string> {
    const client = t.client();
    const { JobId } = (await client.submit('VideoTag', videoTag('input/cat.mp4', params))).JobsDetail;
    await waitForEnd(client, JobId);
    return JobId;
  }

  it("POSTs an XML TaskFinish body as application/xml to the job's CallBack when it ends", async () => {
    await setup();
    const jobId = await runJob({ CallBack: sink.url });
    const [req] = await sink.waitFor(1);
    assert.equal(req!.method, 'POST');
    assert.equal(req!.path, '/callback');
    assert.equal(req!.headers['content-type'], 'application/xml');
    assert.match(req!.body, /^<Response><EventName>TaskFinish<\/EventName><JobsDetail><Code>Success<\/Code>/);
    const cb = parseCallback(req!.body);
    assert.equal(cb.EventName, 'TaskFinish');
    assert.deepEqual(
      cb.JobsDetail.map((d) => [d.JobId, d.State]),
      [[jobId, 'Success']],
    );
  });

  it("POSTs a JSON body as application/json in Tencent's collapsed form with CallBackFormat JSON", async () => {
    await setup();
    const jobId = await runJob({ CallBack: sink.url, CallBackFormat: 'JSON' });
    const [req] = await sink.waitFor(1);
    assert.equal(req!.headers['content-type'], 'application/json');
    const raw = JSON.parse(req!.body);
    assert.equal(raw.EventName, 'TaskFinish');
    assert.ok(!Array.isArray(raw.JobsDetail), 'one JobsDetail is an object');
    assert.equal(raw.JobsDetail.JobId, jobId);
    // A one-element list is an object, and every value is a string.
    assert.deepEqual(raw.JobsDetail.Operation.VideoTagResult.StreamData.Data.Tags, { Tag: 'Cat', Confidence: '0.9' });
    // Every leaf is a non-empty string (empty elements are dropped) and no list has one element.
    const leaves: unknown[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) {
        assert.ok(v.length > 1, 'a one-element list is collapsed');
        v.forEach(walk);
      } else if (v !== null && typeof v === 'object') {
        Object.values(v).forEach(walk);
      } else {
        leaves.push(v);
      }
    };
    walk(raw);
    assert.deepEqual(
      leaves.filter((v) => typeof v !== 'string' || v === ''),
      [],
    );
    assert.equal(raw.JobsDetail.Operation.JobLevel, '0');
  });

  it('sends XML and JSON bodies that parseCallback reads to the same JobsDetail (apart from JobId and times)', async () => {
    await setup();
    await runJob({ CallBack: sink.url, CallBackFormat: 'XML', Operation: { UserData: 'u-1' } });
    await runJob({ CallBack: sink.url, CallBackFormat: 'JSON', Operation: { UserData: 'u-1' } });
    const [xml, json] = await sink.waitFor(2);
    const fromXml = parseCallback(xml!.body).JobsDetail[0]!;
    const fromJson = parseCallback(json!.body).JobsDetail[0]!;
    assert.deepEqual(withoutIdAndTimes(fromJson), withoutIdAndTimes(fromXml));
    assert.deepEqual((fromJson.Operation?.VideoTagResult as { StreamData: { Data: { Tags: unknown } } }).StreamData.Data.Tags, [
      { Tag: 'Cat', Confidence: '0.9' },
    ]);
    assert.equal(fromJson.Operation?.UserData, 'u-1');
  });

  it('sends a real MediaInfo result that reads the same from XML and JSON (one video stream: an object in the JSON)', async function () {
    if (!haveFfmpeg()) this.skip();
    await setup();
    await mkdir(join(t.bucketDir, 'input'), { recursive: true });
    await makeTinyClip(join(t.bucketDir, 'input', 'tiny.mp4'));
    const client = t.client();
    for (const format of ['XML', 'JSON']) {
      const { JobId } = (await client.submit('MediaInfo', { Input: { Object: 'input/tiny.mp4' }, CallBack: sink.url, CallBackFormat: format })).JobsDetail;
      assert.equal((await waitForEnd(client, JobId, 15_000)).State, 'Success');
    }
    const [xml, json] = await sink.waitFor(2);
    assert.ok(!Array.isArray(JSON.parse(json!.body).JobsDetail.Operation.MediaInfo.Stream.Video), 'collapsed in the raw JSON');
    const fromXml = parseCallback(xml!.body).JobsDetail[0]!;
    const fromJson = parseCallback(json!.body).JobsDetail[0]!;
    assert.deepEqual(withoutIdAndTimes(fromJson), withoutIdAndTimes(fromXml));
    const info = fromJson.Operation?.MediaInfo as { Stream: { Video: Array<{ Width: string; Height: string }>; Audio: unknown[] } };
    assert.deepEqual(
      info.Stream.Video.map((v) => [v.Width, v.Height]),
      [['160', '120']],
    );
    assert.equal(info.Stream.Audio.length, 1);
  });

  it("uses the emulator's callbackUrl for a job without CallBack", async () => {
    await setup([200], (url) => ({ callbackUrl: url }));
    const jobId = await runJob({});
    const [req] = await sink.waitFor(1);
    assert.equal(parseCallback(req!.body).JobsDetail[0]!.JobId, jobId);
  });

  it("prefers the job's CallBack to the emulator's callbackUrl", async () => {
    const other = await startSink();
    try {
      await setup([200], { callbackUrl: other.url });
      await runJob({ CallBack: sink.url });
      await sink.waitFor(1);
      await t.emu.callbacksIdle();
      assert.equal(other.received.length, 0);
    } finally {
      await other.close();
    }
  });

  it('sends nothing for CallBack "no", even with a callbackUrl configured', async () => {
    await setup([200], (url) => ({ callbackUrl: url }));
    await runJob({ CallBack: 'no' });
    await t.emu.callbacksIdle();
    assert.equal(sink.received.length, 0);
    assert.deepEqual(t.emu.stats().callbacks, { delivered: 0, failed: 0, attempts: 0 });
  });

  it('sends nothing for a job without CallBack when no callbackUrl is configured', async () => {
    await setup();
    await runJob({});
    await t.emu.callbacksIdle();
    assert.equal(sink.received.length, 0);
  });

  it('retries a failed delivery: a target answering 500, 500, 200 gets 3 attempts and counts as delivered', async () => {
    await setup([500, 500, 200], { callbackRetries: 3, callbackRetryDelayMs: 10 });
    await runJob({ CallBack: sink.url });
    await sink.waitFor(3);
    await t.emu.callbacksIdle();
    assert.deepEqual(t.emu.stats().callbacks, { delivered: 1, failed: 0, attempts: 3 });
    assert.equal(new Set(sink.received.map((r) => r.body)).size, 1, 'every attempt sends the same body');
  });

  it('gives up after 1 + callbackRetries attempts on a target that always fails, counting one failure', async () => {
    await setup([503], { callbackRetries: 2, callbackRetryDelayMs: 5 });
    await runJob({ CallBack: sink.url });
    await sink.waitFor(3);
    await t.emu.callbacksIdle();
    assert.deepEqual(t.emu.stats().callbacks, { delivered: 0, failed: 1, attempts: 3 });
    assert.equal(sink.received.length, 3);
  });

  it('counts an unreachable callback target as failed after its attempts', async () => {
    await setup([200], { callbackRetries: 1, callbackRetryDelayMs: 5 });
    const closed = await startSink();
    await closed.close(); // nothing listens on its port now
    await runJob({ CallBack: closed.url });
    await t.emu.callbacksIdle();
    assert.deepEqual(t.emu.stats().callbacks, { delivered: 0, failed: 1, attempts: 2 });
  });

  it('aborts a callback delivery in flight when the emulator closes', async () => {
    const { createServer } = await import('node:http');
    let arrived = false;
    let closedAt = 0;
    const held = createServer((req) => {
      arrived = true; // and never answered
      req.socket.on('close', () => {
        closedAt = Date.now();
      });
    });
    await new Promise<void>((r) => held.listen(0, '127.0.0.1', () => r()));
    try {
      await setup();
      const url = `http://127.0.0.1:${(held.address() as { port: number }).port}/cb`;
      await runJob({ CallBack: url });
      await eventually(() => (arrived ? true : undefined), 3000, 'the delivery to arrive');
      const closing = Date.now();
      await t.emu.close();
      await eventually(() => (closedAt ? true : undefined), 1000, 'the callback connection to close');
      assert.ok(closedAt - closing < 1000);
    } finally {
      held.closeAllConnections();
      held.close();
    }
  });

  it("never logs a callback URL's token (query or path), query values or userinfo", async () => {
    const lines: string[] = [];
    await setup([200], { log: (line) => lines.push(line), callbackRetries: 1, callbackRetryDelayMs: 5 });
    const origin = new URL(sink.url).origin;
    const byQuery = await runJob({ CallBack: `${origin}/tencent-ci/callback/jobs?token=QueryToken0001&other=QueryValue0002` });
    const byPath = await runJob({ CallBack: `${origin}/tencent-ci/callback/jobs/PathToken0003` });
    const withUser = await runJob({ CallBack: `http://someone:Password0004@127.0.0.1:${new URL(origin).port}/tencent-ci/callback/jobs/PathToken0005` });
    await sink.waitFor(2);
    await t.emu.callbacksIdle();
    // The tokens really were in the URLs the emulator called.
    assert.deepEqual(sink.received.map((r) => r.path).sort(), [
      '/tencent-ci/callback/jobs/PathToken0003',
      '/tencent-ci/callback/jobs?token=QueryToken0001&other=QueryValue0002',
    ]);
    const callbackLines = lines.filter((l) => l.startsWith('callback '));
    assert.deepEqual(callbackLines.slice(0, 2), [
      `callback ${byQuery} -> ${origin}/tencent-ci/callback/jobs?token=***&other=***: 200`,
      `callback ${byPath} -> ${origin}/tencent-ci/callback/jobs/***: 200`,
    ]);
    assert.equal(
      callbackLines.filter((l) => l.startsWith(`callback ${withUser} -> http://***:***@127.0.0.1:`) && l.includes('/tencent-ci/callback/jobs/*** failed'))
        .length,
      2,
    );
    for (const secret of ['QueryToken0001', 'QueryValue0002', 'PathToken0003', 'someone', 'Password0004', 'PathToken0005']) {
      assert.deepEqual(
        lines.filter((l) => l.includes(secret)),
        [],
        `${secret} in the log`,
      );
    }
  });

  it('calls back for a cancelled job with State Cancel', async () => {
    await setup([200], { startDelayMs: 5000 });
    const client = t.client();
    const { JobId } = (await client.submit('VideoTag', videoTag('input/cat.mp4', { CallBack: sink.url }))).JobsDetail;
    await client.cancel(JobId);
    const [req] = await sink.waitFor(1);
    assert.deepEqual(
      parseCallback(req!.body).JobsDetail.map((d) => [d.JobId, d.State]),
      [[JobId, 'Cancel']],
    );
  });

  it('puts a CallBackType TDMQ message in the named topic (emulator.mq and GET /_emulator/mq/<name>) and POSTs nothing', async () => {
    await setup([200], (url) => ({ callbackUrl: url }));
    const jobId = await runJob({ CallBackType: 'TDMQ', CallBackMqConfig: { MqMode: 'Queue', MqRegion: 'gz', MqName: 'ci-jobs' } });
    await t.emu.callbacksIdle();
    const messages = t.emu.mq('ci-jobs');
    assert.equal(messages.length, 1);
    assert.deepEqual(
      { ...messages[0], body: undefined, time: undefined },
      { MqMode: 'Queue', MqRegion: 'gz', MqName: 'ci-jobs', format: 'XML', body: undefined, time: undefined },
    );
    assert.equal(parseCallback(messages[0]!.body).JobsDetail[0]!.JobId, jobId);
    const fromRoute = (await (await fetch(`${t.emu.url}/_emulator/mq/ci-jobs`)).json()) as { name: string; messages: unknown[] };
    assert.equal(fromRoute.name, 'ci-jobs');
    assert.deepEqual(fromRoute.messages, messages);
    assert.equal(sink.received.length, 0);
    assert.deepEqual(t.emu.mq('other-topic'), []);
    assert.equal(t.emu.stats().callbacks.delivered, 1);
  });
});
