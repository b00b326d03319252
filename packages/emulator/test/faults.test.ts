/**
 * Fault injection (faults.ts): per-route rules with probabilities, deterministic under a
 * seed, changeable at run time, counted in stats — and core's client and JobWatcher
 * getting through them.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CiClient, CiError, CiOutcomeUnknownError, JobWatcher } from '@node-red-tencent-ci/core';
import { parseFaults } from '../src/faults';
import { startEmulator } from '../src/emulator';
import { SECRET_ID, SECRET_KEY, eventually, startTestEmulator, videoTag, waitForEnd, type TestEmulator } from './helpers/emulator';
import { rejection } from './helpers/assert';
import { startSink } from './helpers/http-sink';

const FAST_RETRY = { minDelayMs: 5, maxDelayMs: 40 };

/** `n` sequential describes; true where the answer was an injected 503. */
async function describeOutcomes(client: CiClient, n: number): Promise<boolean[]> {
  const out: boolean[] = [];
  for (let i = 0; i < n; i += 1) {
    try {
      await client.describe('jprobe');
      out.push(false);
    } catch (err) {
      assert.ok(err instanceof CiError && err.code === 'ServiceUnavailable' && err.status === 503, `unexpected ${String(err)}`);
      out.push(true);
    }
  }
  return out;
}

describe('fault injection', function () {
  let t: TestEmulator | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  describe('describe:503@0.5 with seed 42', () => {
    it('fails about half of 200 describes with 503 ServiceUnavailable', async () => {
      t = await startTestEmulator({ faults: 'describe:503@0.5', seed: 42 });
      const outcomes = await describeOutcomes(t.client(), 200);
      const rate = outcomes.filter(Boolean).length / outcomes.length;
      assert.ok(rate >= 0.4 && rate <= 0.6, `503 rate ${rate}`);
      assert.equal(t.emu.stats().faults['describe:503'], outcomes.filter(Boolean).length);
    });

    it('gives the identical sequence again after reseeding with the same seed, and another with seed 43', async () => {
      t = await startTestEmulator({ faults: 'describe:503@0.5', seed: 42 });
      const client = t.client();
      const first = await describeOutcomes(client, 200);
      t.emu.setFaults('describe:503@0.5', 42);
      const second = await describeOutcomes(client, 200);
      assert.deepEqual(second, first);
      t.emu.setFaults('describe:503@0.5', 43);
      const other = await describeOutcomes(client, 200);
      assert.notDeepEqual(other, first);
    });
  });

  it('answers every submit with 429 SlowDown under submit:429@1, creating no job', async () => {
    t = await startTestEmulator({ faults: 'submit:429@1' });
    await t.put('input/a.mp4');
    const err = await rejection(t.client().submit('VideoTag', videoTag('input/a.mp4')));
    assert.deepEqual({ code: err.code, status: err.status, retryable: err.retryable }, { code: 'SlowDown', status: 429, retryable: true });
    assert.equal(t.emu.stats().jobs.Submitted + t.emu.stats().jobs.Success, 0);
  });

  it('answers 500 InternalError under describe:500@1', async () => {
    t = await startTestEmulator({ faults: 'describe:500@1' });
    const err = await rejection(t.client().describe('jabc'));
    assert.deepEqual({ code: err.code, status: err.status }, { code: 'InternalError', status: 500 });
  });

  it('delays every API request by at least 100 ms under *:latency=100@1', async () => {
    t = await startTestEmulator({ faults: '*:latency=100@1' });
    const client = t.client();
    await client.describe('jwarm'); // connection set up
    const started = performance.now();
    const res = await client.describe('jabc');
    assert.ok(performance.now() - started >= 100, 'at least 100 ms');
    assert.deepEqual(res.NonExistJobIds, ['jabc']);
    assert.equal(t.emu.stats().faults['describe:latency'], 2);
  });

  it('closes the connection without an answer under describe:drop-before@1 (the client sees a network error)', async () => {
    t = await startTestEmulator({ faults: 'describe:drop-before@1' });
    const err = await rejection(t.client().describe('jabc'));
    assert.equal(err.code, 'NetworkError');
    assert.equal(err.status, undefined);
    assert.equal(err.retryable, true);
  });

  it('creates the job but drops the answer under submit:drop-after@1 (the client cannot know: CiOutcomeUnknownError)', async () => {
    t = await startTestEmulator({ faults: 'submit:drop-after@1', startDelayMs: 60_000 });
    await t.put('input/a.mp4');
    const err = await rejection(t.client().submit('VideoTag', videoTag('input/a.mp4')));
    assert.ok(err instanceof CiOutcomeUnknownError, `got ${err.name} ${err.code}`);
    assert.equal(t.emu.stats().jobs.Submitted, 1);
  });

  it("lets core's retrying CiClient complete 30 describes and 10 submits through 503s, dropped connections and 429s", async () => {
    t = await startTestEmulator({ faults: 'describe:503@0.3,describe:drop-before@0.1,submit:429@0.3', seed: 7 });
    await t.put('input/a.mp4');
    // A describe attempt fails with probability 1 - 0.7 * 0.9 = 0.37, so the default 4 attempts
    // lose about 2 % of describes (30 describes: a 43 % chance of a failure); 9 attempts make a
    // loss about 1e-4 per describe, so this holds for any seed, not just a lucky one.
    const client = t.client({ retry: { ...FAST_RETRY, retries: 8 } });
    const jobIds: string[] = [];
    for (let i = 0; i < 10; i += 1) jobIds.push((await client.submit('VideoTag', videoTag('input/a.mp4'))).JobsDetail.JobId);
    for (let i = 0; i < 30; i += 1) {
      const { JobsDetail } = await client.describe(jobIds[i % jobIds.length]!);
      assert.equal(JobsDetail.length, 1);
    }
    const { faults } = t.emu.stats();
    assert.ok((faults['describe:503'] ?? 0) > 0 && (faults['describe:drop-before'] ?? 0) > 0 && (faults['submit:429'] ?? 0) > 0, JSON.stringify(faults));
    assert.equal(t.emu.stats().requests.submit, 10 + faults['submit:429']!, 'a 429 submit is repeated, a successful one never');
  });

  it('lets a JobWatcher settle 20 VideoTag jobs under describe:503@0.3, even with a client that does not retry', async () => {
    // Jobs wait 300 ms before they run, so the watcher polls (in batches of 5) several times.
    t = await startTestEmulator({ faults: 'describe:503@0.3', seed: 11, startDelayMs: 300 });
    await t.put('input/a.mp4');
    const client = t.client({ retry: false });
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) ids.push((await client.submit('VideoTag', videoTag('input/a.mp4'))).JobsDetail.JobId);
    const watcher = new JobWatcher(client, { minIntervalMs: 20, maxIntervalMs: 100, batchSize: 5, defaultTimeoutMs: 10_000 });
    try {
      const details = await Promise.all(ids.map((id) => watcher.wait(id)));
      assert.deepEqual(
        details.map((d) => d.State),
        ids.map(() => 'Success'),
      );
      assert.deepEqual(
        details.map((d) => d.JobId),
        ids,
      );
      assert.ok((t.emu.stats().faults['describe:503'] ?? 0) > 0);
    } finally {
      watcher.close();
    }
  });

  it('fails every callback attempt under callback:fail@1 without sending it', async () => {
    const sink = await startSink();
    try {
      t = await startTestEmulator({ faults: 'callback:fail@1', callbackRetries: 2, callbackRetryDelayMs: 5 });
      await t.put('input/a.mp4');
      const client = t.client();
      const { JobId } = (await client.submit('VideoTag', videoTag('input/a.mp4', { CallBack: sink.url }))).JobsDetail;
      await waitForEnd(client, JobId);
      await t.emu.callbacksIdle();
      assert.deepEqual(t.emu.stats().callbacks, { delivered: 0, failed: 1, attempts: 3 });
      assert.equal(t.emu.stats().faults['callback:fail'], 3);
      assert.equal(sink.received.length, 0);
    } finally {
      await sink.close();
    }
  });

  it('does not apply * rules to callbacks', async () => {
    const sink = await startSink();
    try {
      t = await startTestEmulator({ startDelayMs: 100, callbackRetries: 0 });
      await t.put('input/a.mp4');
      const { JobId } = (await t.client().submit('VideoTag', videoTag('input/a.mp4', { CallBack: sink.url }))).JobsDetail;
      t.emu.setFaults('*:503@1'); // before the job runs and calls back
      await eventually(() => (t!.emu.job(JobId)?.State === 'Success' ? true : undefined), 3000, 'the job to end');
      await t.emu.callbacksIdle();
      assert.equal(sink.received.length, 1);
      assert.deepEqual(t.emu.stats().callbacks, { delivered: 1, failed: 0, attempts: 1 });
    } finally {
      await sink.close();
    }
  });

  describe('parseFaults', () => {
    it('reads route:kind[=value][@probability] rules, probability 1 when left out', () => {
      assert.deepEqual(parseFaults('describe:503@0.2, *:latency=300, callback:fail@0.5'), [
        { route: 'describe', kind: '503', probability: 0.2, value: undefined },
        { route: '*', kind: 'latency', probability: 1, value: 300 },
        { route: 'callback', kind: 'fail', probability: 0.5, value: undefined },
      ]);
      assert.deepEqual(parseFaults(''), []);
    });

    const BAD: Array<[string, RegExp]> = [
      ['describe:teapot@1', /describe:teapot@1: unknown kind teapot/],
      ['upload:503@1', /upload:503@1: unknown route upload/],
      ['describe:503@1.5', /describe:503@1\.5: probability must be in \[0, 1\]/],
      ['*:latency@1', /\*:latency@1: latency needs a value/],
      ['describe-503', /"describe-503" is not route:kind/],
    ];
    for (const [spec, message] of BAD) {
      it(`rejects ${JSON.stringify(spec)} with a message naming the rule`, () => {
        assert.throws(() => parseFaults(`submit:429@0.1,${spec}`), message);
      });
    }

    it('makes startEmulator reject a bad faults option', async () => {
      const root = await mkdtemp(join(tmpdir(), 'ci-emu-faults-'));
      try {
        await assert.rejects(startEmulator({ secretId: SECRET_ID, secretKey: SECRET_KEY, root, faults: 'describe:teapot@1' }), /unknown kind teapot/);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    });
  });

  describe('/_emulator/faults', () => {
    it('POST replaces the rules at run time and answers them; GET shows them', async () => {
      t = await startTestEmulator();
      const client = t.client();
      await client.describe('jabc');
      const posted = await fetch(`${t.emu.url}/_emulator/faults`, { method: 'POST', body: 'describe:503@1' });
      assert.equal(posted.status, 200);
      assert.deepEqual(await posted.json(), [{ route: 'describe', kind: '503', probability: 1 }]);
      assert.equal((await rejection(client.describe('jabc'))).code, 'ServiceUnavailable');
      assert.deepEqual(await (await fetch(`${t.emu.url}/_emulator/faults`)).json(), [{ route: 'describe', kind: '503', probability: 1 }]);
      await fetch(`${t.emu.url}/_emulator/faults`, { method: 'POST', body: '' });
      assert.deepEqual((await client.describe('jabc')).NonExistJobIds, ['jabc']);
    });

    it('POST of a bad spec answers 400 with the message and keeps the rules', async () => {
      t = await startTestEmulator({ faults: 'list:500@1' });
      const res = await fetch(`${t.emu.url}/_emulator/faults`, { method: 'POST', body: 'describe:teapot@1' });
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { error: string }).error, /describe:teapot@1: unknown kind teapot/);
      assert.deepEqual(await (await fetch(`${t.emu.url}/_emulator/faults`)).json(), [{ route: 'list', kind: '500', probability: 1 }]);
    });
  });

  it('counts injected faults in stats().faults by route:kind', async () => {
    t = await startTestEmulator({ faults: 'describe:503@1,list:latency=1@1' });
    const client = t.client();
    for (let i = 0; i < 3; i += 1) await rejection(client.describe('jabc'));
    await client.list({ tag: 'VideoTag' });
    assert.deepEqual(t.emu.stats().faults, { 'describe:503': 3, 'list:latency': 1 });
  });
});
