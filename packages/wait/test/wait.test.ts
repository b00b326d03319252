import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import helper from 'node-red-node-test-helper';
import { CiClient, type JobsDetail } from '@node-red-tencent-ci/core';
import { resetTracking } from '@node-red-tencent-ci/config';
import { configNode, nextMessage, putClip, putScript, SECRET_ID, SECRET_KEY, startTestEmulator, type Emulator } from '@node-red-tencent-ci/test-utils';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const configModule = require('@node-red-tencent-ci/config/dist/tencent-ci-config.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const waitModule = require('../dist/tencent-ci-wait.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hooks = require('@node-red/util').hooks as { add(name: string, fn: (event: any) => void): void; remove(name: string): void };

helper.init(require.resolve('node-red'));

/** The parts of the test helper it does not document, used to restart Node-RED without wiping context. */
interface HelperInternals {
  _redNodes: { stopFlows(): Promise<void>; clearRegistry(): void };
  _context: { load(): Promise<void>; close(): Promise<void> };
  _logSpy?: { restore(): void };
  _sandbox: { restore(): void };
}
const internals = helper as unknown as HelperInternals;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Messages a helper node receives, as they come. */
function collect(id: string): NodeMessage[] {
  const got: NodeMessage[] = [];
  helper.getNode(id).on('input', (msg: NodeMessage) => got.push(msg));
  return got;
}
type NodeMessage = Record<string, any>;

/** Every message the wait node n1 finishes with done() (no error), via Node-RED's onComplete hook. */
function doneCalls(): NodeMessage[] {
  const got: NodeMessage[] = [];
  hooks.add('onComplete.tci-wait-test', (event: { msg: NodeMessage; error?: unknown; node: { id: string } }) => {
    if (event.node.id === 'n1' && !event.error) got.push(event.msg);
  });
  return got;
}

describe('tencent-ci-wait node', function () {
  /** Jobs run at once: VideoTag results are scripted. */
  let fast: Emulator;
  /** Jobs stay Submitted for a minute (and can be cancelled). */
  let slow: Emulator;
  const clients: CiClient[] = [];

  function client(em: Emulator): CiClient {
    const c = new CiClient({ secretId: SECRET_ID, secretKey: SECRET_KEY, bucket: em.bucket, region: em.region, endpoint: em.url });
    clients.push(c);
    return c;
  }

  async function submit(em: Emulator, key = 'input/clip.mp4'): Promise<JobsDetail> {
    const { JobsDetail } = await client(em).submit('VideoTag', { Input: { Object: key }, Operation: { VideoTag: { Scenario: 'Stream' } } });
    return JobsDetail;
  }

  /** The job's final JobsDetail, asked for by the test itself (not by the node). */
  async function finished(em: Emulator, jobId: string): Promise<JobsDetail> {
    const c = client(em);
    return until(`job ${jobId} to end`, async () => {
      const [detail] = (await c.describe(jobId)).JobsDetail;
      return detail && ['Success', 'Failed', 'Cancel'].includes(String(detail.State)) ? detail : undefined;
    });
  }

  function flow(em: Emulator, props: Record<string, unknown> = {}, config: Record<string, unknown> = {}) {
    const cfg = configNode(em, 'cfg', config);
    return {
      nodes: [
        { id: 'tab', type: 'tab' },
        cfg.node,
        {
          id: 'n1',
          z: 'tab',
          type: 'tencent-ci-wait',
          config: 'cfg',
          jobId: 'jobId',
          jobIdType: 'msg',
          timeout: 30,
          cancelOnTimeout: false,
          store: '',
          wires: [['ok'], ['bad']],
          ...props,
        },
        { id: 'ok', z: 'tab', type: 'helper' },
        { id: 'bad', z: 'tab', type: 'helper' },
        { id: 'c1', z: 'tab', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', z: 'tab', type: 'helper' },
      ],
      credentials: cfg.credentials,
    };
  }

  async function load(f: ReturnType<typeof flow>, extra: unknown[] = []): Promise<void> {
    await helper.load([configModule, waitModule, ...extra], f.nodes, f.credentials);
  }

  before(async () => {
    [fast, slow] = await Promise.all([startTestEmulator(), startTestEmulator({ startDelayMs: 60_000 })]);
    for (const em of [fast, slow]) putClip(em, 'input/clip.mp4', 1);
    putClip(fast, 'input/broken.mp4', 1);
    putScript(fast, 'input/broken.mp4', { State: 'Failed', Code: 'InternalError', Message: 'scripted failure' });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all([fast.close(), slow.close()]);
  });
  afterEach(async () => {
    hooks.remove('*.tci-wait-test');
    await helper.unload();
    resetTracking(); // the next test reuses the node ids: nothing may be handed on between tests
  });

  describe('waiting', () => {
    it('sends a Success job to output 1 with its final JobsDetail, msg.jobId and msg.ci, keeping the other properties', async () => {
      const job = await submit(fast);
      await load(flow(fast));
      const out = nextMessage(helper.getNode('ok'));
      helper.getNode('n1').receive({ jobId: job.JobId, topic: 'keep-me', order: { id: 42 } });
      const msg = await out;
      assert.equal(msg.payload.State, 'Success');
      assert.equal(msg.payload.JobId, job.JobId);
      assert.equal(msg.payload.Tag, 'VideoTag');
      assert.equal(msg.jobId, job.JobId);
      assert.deepEqual(msg.ci, { tag: 'VideoTag', state: 'Success', deliveryId: `${job.JobId}:Success` });
      assert.equal(msg.topic, 'keep-me');
      assert.deepEqual(msg.order, { id: 42 });
    });

    it("sends a scripted Failed job to output 2 with CI's Code and Message", async () => {
      const job = await submit(fast, 'input/broken.mp4');
      await load(flow(fast));
      const out = nextMessage(helper.getNode('bad'));
      helper.getNode('n1').receive({ jobId: job.JobId });
      const msg = await out;
      assert.equal(msg.payload.State, 'Failed');
      assert.equal(msg.payload.Code, 'InternalError');
      assert.equal(msg.payload.Message, 'scripted failure');
      assert.deepEqual(msg.ci, { tag: 'VideoTag', state: 'Failed', deliveryId: `${job.JobId}:Failed` });
    });

    it('takes the JobId from msg.payload.JobId (the output of a job node) when msg.jobId is missing', async () => {
      const job = await submit(fast);
      await load(flow(fast));
      const out = nextMessage(helper.getNode('ok'));
      helper.getNode('n1').receive({ payload: job });
      const msg = await out;
      assert.equal(msg.jobId, job.JobId);
      assert.equal(msg.payload.State, 'Success');
    });

    it('waits for each job of msg.payload.JobsDetail and sends one message per job', async () => {
      const jobs = [await submit(fast), await submit(fast, 'input/broken.mp4')];
      await load(flow(fast));
      const ok = nextMessage(helper.getNode('ok'));
      const bad = nextMessage(helper.getNode('bad'));
      helper.getNode('n1').receive({ payload: { JobsDetail: jobs }, topic: 'batch' });
      const [success, failure] = await Promise.all([ok, bad]);
      assert.equal(success.jobId, jobs[0]!.JobId);
      assert.equal(success.payload.State, 'Success');
      assert.equal(failure.jobId, jobs[1]!.JobId);
      assert.equal(failure.payload.State, 'Failed');
      assert.equal(success.topic, 'batch');
      assert.equal(failure.topic, 'batch');
    });

    it('reads the JobId from the property set in the node (msg.payload.id here)', async () => {
      const job = await submit(fast);
      await load(flow(fast, { jobId: 'payload.id', jobIdType: 'msg' }));
      const out = nextMessage(helper.getNode('ok'));
      helper.getNode('n1').receive({ payload: { id: job.JobId } });
      assert.equal((await out).jobId, job.JobId);
    });

    it('settles at once when the config node is notified (a callback), with at most 1 describe request', async () => {
      const job = await submit(fast);
      const final = await finished(fast, job.JobId);
      const describes = fast.stats().requests.describe;
      await load(flow(fast, {}, { minInterval: 30, maxInterval: 30 }));
      const out = nextMessage(helper.getNode('ok'), 2000);
      const started = Date.now();
      helper.getNode('n1').receive({ jobId: job.JobId });
      await sleep(50);
      assert.equal(helper.getNode('cfg').ci.notify(final), 1, 'one wait settled');
      const msg = await out;
      assert.ok(Date.now() - started < 1000, `settled in ${Date.now() - started} ms`);
      assert.equal(msg.payload.State, 'Success');
      assert.ok(fast.stats().requests.describe - describes <= 1);
    });
  });

  describe('timeouts', () => {
    it('sends a job still running after the timeout (0.3 s) to output 2 with ci.state Timeout and msg.error', async () => {
      const job = await submit(slow);
      await load(flow(slow, { timeout: 0.3 }));
      const out = nextMessage(helper.getNode('bad'));
      const started = Date.now();
      helper.getNode('n1').receive({ jobId: job.JobId, payload: 'as sent' });
      const msg = await out;
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 290 && elapsed < 3000, `timed out after ${elapsed} ms`);
      assert.deepEqual(msg.ci, { state: 'Timeout', timedOut: true, deliveryId: `${job.JobId}:Timeout` });
      assert.equal(msg.error.code, 'WaitTimeout');
      assert.match(msg.error.message, new RegExp(`Job ${job.JobId} did not finish within 0.3 s`));
      assert.equal(msg.jobId, job.JobId);
      assert.equal(msg.payload, 'as sent');
      assert.equal(slow.job(job.JobId)?.State, 'Submitted', 'the job is left alone');
    });

    it('takes the timeout from msg.timeout (seconds) over the node setting', async () => {
      const job = await submit(slow);
      await load(flow(slow, { timeout: 60 }));
      const out = nextMessage(helper.getNode('bad'), 3000);
      helper.getNode('n1').receive({ jobId: job.JobId, timeout: 0.2 });
      assert.equal((await out).ci.state, 'Timeout');
    });

    it('cancels the job on timeout when "cancel the job" is ticked', async () => {
      const job = await submit(slow);
      await load(flow(slow, { timeout: 0.3, cancelOnTimeout: true }));
      const out = nextMessage(helper.getNode('bad'));
      helper.getNode('n1').receive({ jobId: job.JobId });
      assert.equal((await out).ci.state, 'Timeout');
      await until('the job to be cancelled', () => slow.job(job.JobId)?.State === 'Cancel');
    });
  });

  describe('msg.cancel and msg.reset', () => {
    it('msg.cancel stops waiting, ends the waiting message quietly and cancels the job', async () => {
      const job = await submit(slow);
      await load(flow(slow));
      const done = doneCalls();
      const sent = [...collect('ok'), ...collect('bad')];
      const caught = collect('caught');
      const n1 = helper.getNode('n1');
      n1.receive({ jobId: job.JobId, topic: 'waiting' });
      await sleep(50);
      n1.receive({ jobId: job.JobId, cancel: true, topic: 'control' });
      await until('both messages to be done', () => done.length === 2);
      assert.deepEqual(
        done.map((m) => m.topic),
        ['waiting', 'control'],
      );
      assert.equal(slow.job(job.JobId)?.State, 'Cancel');
      await sleep(200);
      assert.equal(sent.length, 0, 'nothing is sent');
      assert.equal(caught.length, 0, 'no error');
    });

    it('msg.reset stops waiting without cancelling the job', async () => {
      const job = await submit(slow);
      await load(flow(slow));
      const done = doneCalls();
      const n1 = helper.getNode('n1');
      n1.receive({ jobId: job.JobId, topic: 'waiting' });
      await sleep(50);
      n1.receive({ jobId: job.JobId, reset: true });
      await until('both messages to be done', () => done.length === 2);
      assert.equal(done[0]!.topic, 'waiting');
      assert.equal(slow.job(job.JobId)?.State, 'Submitted');
    });
  });

  describe('errors', () => {
    it('reports a message without a JobId to Catch and sends no request', async () => {
      const describes = fast.stats().requests.describe;
      await load(flow(fast));
      const sent = [...collect('ok'), ...collect('bad')];
      const caught = nextMessage(helper.getNode('caught'));
      helper.getNode('n1').receive({ payload: 'input/clip.mp4', topic: 'no id' });
      const msg = await caught;
      // The test helper's RED._ returns the key; the catalogs hold the text (see units.test.ts).
      assert.match(msg.error.message, /wait\.errors\.noJobId$/);
      assert.equal(msg.error.code, 'InvalidArgument');
      assert.equal(msg.topic, 'no id');
      await sleep(100);
      assert.equal(sent.length, 0);
      assert.equal(fast.stats().requests.describe, describes);
    });

    it('reports a value that is not a JobId to Catch', async () => {
      await load(flow(fast));
      const caught = nextMessage(helper.getNode('caught'));
      helper.getNode('n1').receive({ jobId: '../jobs?x=1' });
      assert.match((await caught).error.message, /wait\.errors\.invalidJobId$/);
    });

    it('reports a job CI does not know to Catch with code JobNotFound', async () => {
      await load(flow(fast));
      const caught = nextMessage(helper.getNode('caught'));
      helper.getNode('n1').receive({ jobId: 'j00000000000000000000000000000000' });
      const msg = await caught;
      assert.match(msg.error.message, /does not exist/);
      assert.equal(msg.error.code, 'JobNotFound');
    });
  });

  describe('close', () => {
    it('ends every waiting message with done() on close and leaves no timer behind', async () => {
      const jobs = [await submit(slow), await submit(slow)];
      const baseline = timers();
      const describes = slow.stats().requests.describe;
      await load(flow(slow));
      const done = doneCalls();
      const n1 = helper.getNode('n1');
      for (const job of jobs) n1.receive({ jobId: job.JobId, topic: job.JobId });
      await until('a describe request', () => slow.stats().requests.describe > describes);
      const started = Date.now();
      await helper.unload();
      assert.ok(Date.now() - started < 1000, 'closed within 1 s');
      assert.deepEqual(done.map((m) => m.topic).sort(), jobs.map((j) => j.JobId).sort());
      await sleep(20);
      assert.equal(timers(), baseline);
    });
  });

  describe('persistence', () => {
    /** Jobs stay Submitted for 1.5 s, then succeed. */
    let paced: Emulator;
    let contextDir: string;

    before(async () => {
      paced = await startTestEmulator({ startDelayMs: 1500 });
      putClip(paced, 'input/clip.mp4', 1);
    });
    after(async () => {
      helper.settings({ contextStorage: undefined });
      await paced.close();
    });
    beforeEach(() => {
      contextDir = mkdtempSync(join(tmpdir(), 'tci-wait-context-'));
      helper.settings({ contextStorage: { default: { module: 'localfilesystem', config: { dir: contextDir, flushInterval: 0 } } } });
    });

    /** The helper never loads contextStorage; this does, as Node-RED does at start. */
    const loadContextStores = () => internals._context.load();

    /**
     * Stops Node-RED the way a shutdown does: close handlers run with removed = false and
     * file stores flush. (helper.unload() would also wipe every node's context first.)
     */
    async function stopNodeRed(): Promise<void> {
      await internals._redNodes.stopFlows();
      await internals._context.close();
      resetTracking(); // a new process remembers nothing: what resumes comes from the store
      internals._redNodes.clearRegistry();
      internals._logSpy?.restore();
      internals._sandbox.restore();
    }

    function saved(): Promise<any> {
      return new Promise((resolve, reject) =>
        helper
          .getNode('n1')
          .context()
          .get('pending', (err, v) => (err ? reject(err) : resolve(v))),
      );
    }

    it('keeps each wait in node context under "pending" with a JSON-safe msg and the deadline', async () => {
      const job = await submit(slow);
      await load(flow(slow, { timeout: 60 }), [loadContextStores]);
      const before = Date.now();
      helper.getNode('n1').receive({ jobId: job.JobId, topic: 'kept', req: { socket: {} }, res: {}, fn: () => 1 });
      const entries = await until('the wait to be saved', async () => (await saved()) as any[] | undefined);
      assert.equal(entries.length, 1);
      assert.equal(entries[0].jobId, job.JobId);
      assert.deepEqual(Object.keys(entries[0].msg).sort(), ['_msgid', 'jobId', 'topic']);
      assert.ok(entries[0].deadline >= before + 60_000 && entries[0].deadline <= Date.now() + 60_000);
    });

    it('resumes a wait after a restart and sends the result with msg.resumed = true', async () => {
      const job = await submit(paced);
      const f = flow(paced, { timeout: 60 });
      await load(f, [loadContextStores]);
      const early = collect('ok');
      helper.getNode('n1').receive({ jobId: job.JobId, topic: 'before the restart' });
      await until('the wait to be saved', async () => (await saved())?.length === 1);
      await stopNodeRed();
      assert.equal(early.length, 0, 'the job had not ended before the restart');

      await load(f, [loadContextStores]);
      const msg = await nextMessage(helper.getNode('ok'), 5000);
      assert.equal(msg.resumed, true);
      assert.equal(msg.topic, 'before the restart');
      assert.equal(msg.jobId, job.JobId);
      assert.equal(msg.payload.State, 'Success');
      await until('the saved wait to be removed', async () => (await saved()) === undefined);
    });

    it('sends a saved wait whose deadline passed while stopped to output 2 as a timeout at start', async () => {
      const job = await submit(slow);
      const f = flow(slow, { timeout: 0.4 });
      await load(f, [loadContextStores]);
      const early = collect('bad');
      helper.getNode('n1').receive({ jobId: job.JobId });
      await until('the wait to be saved', async () => (await saved())?.length === 1);
      await stopNodeRed();
      assert.equal(early.length, 0, 'the wait had not timed out before the restart');
      await sleep(450);

      await load(f, [loadContextStores]);
      const msg = await nextMessage(helper.getNode('bad'), 2000);
      assert.equal(msg.resumed, true);
      assert.deepEqual(msg.ci, { state: 'Timeout', timedOut: true, deliveryId: `${job.JobId}:Timeout` });
      assert.equal(msg.error.code, 'WaitTimeout');
    });

    it('deletes its saved waits when the node is removed', async () => {
      const job = await submit(slow);
      await load(flow(slow), [loadContextStores]);
      helper.getNode('n1').receive({ jobId: job.JobId });
      await until('the wait to be saved', async () => (await saved())?.length === 1);
      const n1 = helper.getNode('n1');
      await n1.close(true);
      assert.equal(await saved(), undefined);
    });

    it('does not warn about persistence when a localfilesystem store is configured', async () => {
      await load(flow(fast), [loadContextStores]);
      const warnings = helper.log().args.filter(([e]) => e.id === 'n1' && e.level === 30);
      assert.deepEqual(warnings, []);
    });

    it('warns once that waits will not survive a restart when no context store is configured', async () => {
      helper.settings({ contextStorage: undefined });
      await load(flow(fast));
      const n1 = helper.getNode('n1');
      const job = await submit(fast);
      n1.receive({ jobId: job.JobId });
      await nextMessage(helper.getNode('ok'));
      const warnings = helper
        .log()
        .args.filter(([e]) => e.id === 'n1' && e.level === 30)
        .map(([e]) => e.msg);
      assert.deepEqual(warnings, ['common.tracker.ephemeral']);
    });
  });
});
