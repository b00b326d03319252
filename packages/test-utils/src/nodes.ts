/**
 * The Node-RED side of the node packages' tests: node-red-node-test-helper (typed), a job
 * node's test flow against the emulator, observers (outputs, status, completion, timers),
 * and the behaviours every job node shares, as one suite each job package runs.
 *
 * Import as '@node-red-tencent-ci/test-utils/src/nodes'.
 */
import { strict as assert } from 'node:assert';
import { getDescriptor, nodeTypeOf, type JobDescriptor, type JobTag } from '@node-red-tencent-ci/core';
import type { NodeAPI } from 'node-red';
import testHelper from 'node-red-node-test-helper';
import { catchNode, configNode, putClip, startTestEmulator, type Emulator } from './index';

// ---- the test helper, typed ----------------------------------------------------------

/** A Node-RED module as loaded by Node-RED: `module.exports = function (RED) { … }`. */
export type NodeModule = (RED: NodeAPI) => void;

export interface FlowNode {
  id: string;
  type: string;
  z?: string;
  wires?: string[][];
  [key: string]: unknown;
}

export type FlowCredentials = Record<string, Record<string, string>>;

/** node-red-node-test-helper, typed by test-utils/types/node-red-node-test-helper.d.ts. */
export const helper: typeof testHelper = testHelper;

/** A node of a loaded flow (the runtime's Node, with the helper's `call:*` events). */
export type TestNode = ReturnType<typeof helper.getNode>;

helper.init(require.resolve('node-red'));

// eslint-disable-next-line @typescript-eslint/no-require-imports
const RED: { hooks: { add(name: string, fn: (event: any) => void): void; remove(name: string): void } } = require('node-red');

/** The config node module as Node-RED loads it (the built file). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const configModule: NodeModule = require('@node-red-tencent-ci/config/dist/tencent-ci-config.js');

/** The config package's tracking registry: waits a closed node hands to its next instance. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { resetTracking, startingProps: configStartingProps } = require('@node-red-tencent-ci/config') as {
  resetTracking(): void;
  startingProps(descriptor: JobDescriptor): Record<string, string>;
};

/** Mocha hook: the flow a test loaded is stopped after it, and nothing it left is handed to the next test's nodes (same ids). */
export function useNodeRed(): void {
  afterEach(async () => {
    await helper.unload();
    resetTracking();
  });
}

// ---- observers ------------------------------------------------------------------------

export type Port = 'ok' | 'bad' | 'caught';

export interface Outcome {
  /** Where the message went: output 1, output 2, or the Catch node. */
  port: Port;
  msg: any;
}

/** The next message on output 1 (`ok`), output 2 (`bad`) or the Catch node (`caught`). */
export function nextOutcome(nodes: Record<Port, TestNode>, ms = 15_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(new Error(`no message on output 1, output 2 or Catch within ${ms} ms`));
    }, ms);
    for (const port of ['ok', 'bad', 'caught'] as const) {
      nodes[port].on('input', (msg: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ port, msg });
      });
    }
  });
}

/** Every status a node shows from now on. */
export function recordStatus(node: TestNode): Array<{ fill?: string; shape?: string; text?: string }> {
  const shown: Array<{ fill?: string; shape?: string; text?: string }> = [];
  node.on('call:status', (call: { args: [Record<string, string>] }) => shown.push(call.args[0]));
  return shown;
}

let hookSeq = 0;

/** Messages whose `done` a node calls from now on (Node-RED's onComplete hook); `stop()` removes the hook. */
export function recordCompletions(nodeId: string): { done: Array<{ msg: any; error?: unknown }>; stop(): void } {
  const name = `onComplete.tciTest${(hookSeq += 1)}`;
  const done: Array<{ msg: any; error?: unknown }> = [];
  RED.hooks.add(name, (event: { node: { id: string }; msg: unknown; error?: unknown }) => {
    if (event.node.id === nodeId) done.push({ msg: event.msg, error: event.error });
  });
  return { done, stop: () => RED.hooks.remove(name) };
}

/**
 * Timers keeping the process alive (ref'd setTimeout/setInterval), counted after pending
 * callbacks had a turn (mocha arms its own test timer once the test's first await is reached).
 */
export async function activeTimeouts(): Promise<number> {
  await new Promise((r) => setImmediate(r));
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

/**
 * activeTimeouts() once the emulators have no job queued or running (their ffmpeg/ffprobe
 * runs hold timers of their own): a baseline that jobs of earlier tests do not disturb.
 */
export async function activeTimeoutsWhenIdle(...emulators: Emulator[]): Promise<number> {
  const busy = () =>
    emulators.some((e) => {
      const { jobs, queued } = e.stats();
      return queued > 0 || jobs.Running > 0;
    });
  await waitFor(() => !busy(), 10_000, 'the emulator going idle');
  return activeTimeouts();
}

/** Resolves once `check()` is true; rejects after `ms`. */
export async function waitFor(check: () => boolean, ms = 5_000, what = 'the condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`${what} did not hold within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sets (or with undefined, removes) environment variables; returns a function that restores them. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  return () => apply(saved);
}

// ---- a job node's test flow -----------------------------------------------------------

export const CLIP = 'input/clip.mp4';
export const CLIP_SECONDS = 2;

export interface JobNodeSpec {
  /** The package's built Node-RED module. */
  module: NodeModule;
  type: string;
  tag: JobTag;
  /** Node settings that make a valid, quick job (besides config, input and wiring). */
  props: Record<string, unknown>;
}

export interface FlowOptions {
  /** Another emulator than the harness's (e.g. one that delays jobs). */
  emulator?: Emulator;
  /** Config node settings besides the emulator's. */
  config?: Record<string, unknown>;
  /** The config node's credentials (default: the emulator's). */
  credentials?: Record<string, string>;
  /** Nodes the Catch node watches (default: all, so it handles the job node's errors; others are logged). */
  catchScope?: string[] | null;
}

export interface LoadedJob extends Record<Port, TestNode> {
  n1: TestNode;
  cfg: TestNode;
}

/**
 * One job node type under test: an emulator (started before the suite, with a
 * CLIP_SECONDS clip at CLIP) and the flow
 * `cfg` + `n1` (the job node; output 1 -> `ok`, output 2 -> `bad`) + Catch `c1` -> `caught`.
 */
export class JobNodeHarness {
  private current?: Emulator;

  constructor(readonly spec: JobNodeSpec) {}

  /** The harness of the job `tag` (node type nodeTypeOf(tag)), its settings a new node's (startingProps) unless `props` are given. */
  static forTag(tag: JobTag, module: NodeModule, props: Record<string, unknown> = startingProps(tag)): JobNodeHarness {
    return new JobNodeHarness({ module, type: nodeTypeOf(tag), tag, props });
  }

  get emulator(): Emulator {
    if (!this.current) throw new Error("the emulator starts in the suite's before hook: call install() inside describe()");
    return this.current;
  }

  /** Registers the mocha hooks: the emulator for the suite, the flow unloaded after each test. */
  install(): this {
    before(async () => {
      this.current = await startTestEmulator();
      putClip(this.current, CLIP, CLIP_SECONDS);
    });
    after(async () => {
      await this.current?.close();
    });
    useNodeRed();
    return this;
  }

  /** The test flow with the job node's settings `props` (over the spec's). */
  flow(props: Record<string, unknown> = {}, options: FlowOptions = {}): { nodes: FlowNode[]; credentials: FlowCredentials } {
    const cfg = configNode(options.emulator ?? this.emulator, 'cfg', options.config);
    return {
      nodes: [
        { id: 'tab', type: 'tab' },
        cfg.node,
        { id: 'n1', z: 'tab', type: this.spec.type, config: 'cfg', input: 'payload', inputType: 'msg', wires: [['ok'], ['bad']], ...this.spec.props, ...props },
        { id: 'ok', z: 'tab', type: 'helper' },
        { id: 'bad', z: 'tab', type: 'helper' },
        { id: 'c1', z: 'tab', type: 'catch', scope: options.catchScope ?? null, uncaught: false, wires: [['caught']] },
        { id: 'caught', z: 'tab', type: 'helper' },
      ],
      credentials: options.credentials ? { cfg: options.credentials } : cfg.credentials,
    };
  }

  async load(props: Record<string, unknown> = {}, options: FlowOptions = {}): Promise<LoadedJob> {
    const f = this.flow(props, options);
    await helper.load([configModule, this.spec.module, catchNode], f.nodes, f.credentials);
    const get = (id: string) => helper.getNode(id);
    return { n1: get('n1'), cfg: get('cfg'), ok: get('ok'), bad: get('bad'), caught: get('caught') };
  }

  /** Loads the flow, sends `msg` to the job node, resolves with where the next message went. */
  async run(props: Record<string, unknown>, msg: Record<string, unknown>, options: FlowOptions = {}): Promise<Outcome & { nodes: LoadedJob }> {
    const nodes = await this.load(props, options);
    const outcome = nextOutcome(nodes);
    nodes.n1.receive(msg);
    return { ...(await outcome), nodes };
  }

  /** Runs the flow (as run()), asserts that the message went to output 1 and gives the Operation the emulator received. */
  async submitted(props: Record<string, unknown>, msg: Record<string, unknown>, options: FlowOptions = {}): Promise<Record<string, any>> {
    const outcome = await this.run(props, msg, options);
    assert.equal(outcome.port, 'ok');
    return submittedOperation(this.emulator, outcome.msg.jobId);
  }

  /** Submit requests the emulator has had so far. */
  submits(): number {
    return this.emulator.stats().requests.submit;
  }
}

/** The Operation of a job as the emulator received it (and reports it). */
export function submittedOperation(emulator: Emulator, jobId: string): Record<string, any> {
  const detail = emulator.job(jobId);
  assert.ok(detail, `the emulator knows no job ${jobId}`);
  return detail.Operation as Record<string, any>;
}

/** The Input of a job as the emulator received it. */
export function submittedInput(emulator: Emulator, jobId: string): { Object?: string; Url?: string } {
  const detail = emulator.job(jobId);
  assert.ok(detail, `the emulator knows no job ${jobId}`);
  return detail.Input as { Object?: string; Url?: string };
}

/** An emulator whose jobs stay Submitted for a minute (for waits that time out or are cut short). */
export async function startSlowEmulator(): Promise<Emulator> {
  const emulator = await startTestEmulator({ startDelayMs: 60_000 });
  putClip(emulator, CLIP, CLIP_SECONDS);
  return emulator;
}

// ---- what every job node does -----------------------------------------------------------

/**
 * The suite of a job node, `describe('<type> node')`: the harness installed, the behaviours
 * every job node shares, then `body` with what is particular to the node.
 */
export function describeJobNode(harness: JobNodeHarness, body: (harness: JobNodeHarness) => void): void {
  describe(`${harness.spec.type} node`, () => {
    harness.install();
    describeJobNodeBasics(harness);
    body(harness);
  });
}

/**
 * The behaviours every job node shares, run against one node type. describeJobNode runs it
 * for each job package; another suite calls it inside its describe(), after `harness.install()`.
 */
export function describeJobNodeBasics(harness: JobNodeHarness): void {
  const { tag } = harness.spec;

  /** The statuses the node showed for `msg` once it went to `port` and there were `count` of them. */
  async function statuses(props: Record<string, unknown>, msg: Record<string, unknown>, port: Port, count: number) {
    const nodes = await harness.load(props);
    const shown = recordStatus(nodes.n1);
    const outcome = nextOutcome(nodes);
    nodes.n1.receive(msg);
    assert.equal((await outcome).port, port);
    await waitFor(() => shown.length >= count, 1_000, `${count} statuses`);
    return shown;
  }

  describe(`what every job node does (${tag})`, () => {
    it('emits the submitted JobsDetail on output 1 with msg.jobId and msg.ci when it does not wait', async () => {
      const { port, msg } = await harness.run({ wait: 'none' }, { payload: CLIP, topic: 'kept' });
      assert.equal(port, 'ok');
      assert.equal(msg.payload.State, 'Submitted');
      assert.equal(msg.payload.Tag, tag);
      assert.match(msg.jobId, /^[ja][0-9a-f]{32}$/);
      assert.equal(msg.jobId, msg.payload.JobId);
      assert.equal(typeof msg.ci.requestId, 'string');
      assert.ok(msg.ci.requestId.length > 0);
      assert.equal(msg.ci.tag, tag);
      assert.equal(msg.ci.state, 'Submitted');
      assert.equal(msg.topic, 'kept');
      assert.equal(harness.emulator.job(msg.jobId)?.Tag, tag);
    });

    it('waits for the result when its settings say nothing of waiting (a new node in the editor does too)', async () => {
      assert.equal(harness.spec.props.wait, undefined, 'the harness starts from a new node’s settings, which name no wait mode');
      const { port, msg } = await harness.run({}, { payload: CLIP });
      assert.equal(port, 'ok');
      assert.equal(msg.payload.State, 'Success');
    });

    it('shows "submitting" in blue, then "submitted" in green', async () => {
      const shown = await statuses({ wait: 'none' }, { payload: CLIP }, 'ok', 2);
      assert.deepEqual(shown, [
        { fill: 'blue', shape: 'dot', text: 'common.status.submitting' },
        { fill: 'green', shape: 'dot', text: 'common.status.submitted' },
      ]);
    });

    it('shows "waiting" while it waits, then "success" in green', async () => {
      const shown = await statuses({ wait: 'result', timeout: 30 }, { payload: CLIP }, 'ok', 3);
      assert.deepEqual(shown, [
        { fill: 'blue', shape: 'dot', text: 'common.status.submitting' },
        { fill: 'blue', shape: 'ring', text: 'common.status.waiting' },
        { fill: 'green', shape: 'dot', text: 'common.status.success' },
      ]);
    });

    it('shows "error" in red with the code when the service refuses the job', async () => {
      const shown = await statuses({}, { payload: 'input/no-such-clip.mp4' }, 'caught', 2);
      assert.deepEqual(shown.at(-1), { fill: 'red', shape: 'ring', text: 'common.status.error' });
    });

    it('reports an empty input to Catch and submits nothing', async () => {
      const before = harness.submits();
      const { port, msg } = await harness.run({}, { payload: '  ' });
      assert.equal(port, 'caught');
      assert.match(msg.error.message, /common\.errors\.input\.empty/);
      assert.equal(msg.error.source.id, 'n1');
      assert.equal(harness.submits(), before);
    });

    it('reports a number as input to Catch and submits nothing', async () => {
      const before = harness.submits();
      const { port, msg } = await harness.run({}, { payload: 42 });
      assert.equal(port, 'caught');
      assert.match(msg.error.message, /common\.errors\.input\.type/);
      assert.equal(harness.submits(), before);
    });

    it('reports an array as input to Catch and submits nothing', async () => {
      const before = harness.submits();
      const { port, msg } = await harness.run({}, { payload: [CLIP] });
      assert.equal(port, 'caught');
      assert.match(msg.error.message, /common\.errors\.input\.type/);
      assert.equal(harness.submits(), before);
    });

    it('reports a msg.ciParams that is not an object to Catch and submits nothing', async () => {
      const before = harness.submits();
      const { port, msg } = await harness.run({}, { payload: CLIP, ciParams: 'UserData=x' });
      assert.equal(port, 'caught');
      assert.match(msg.error.message, /common\.errors\.ciParams/);
      assert.equal(harness.submits(), before);
    });

    it('reports an input object missing from the bucket to Catch as ResourceNotFound', async () => {
      const { port, msg } = await harness.run({}, { payload: 'input/no-such-clip.mp4' });
      assert.equal(port, 'caught');
      assert.match(msg.error.message, /ResourceNotFound/);
      assert.match(msg.error.message, /input\/no-such-clip\.mp4/);
    });

    it('lets msg.ciParams override a node setting (UserData)', async () => {
      const { port, msg } = await harness.run({ UserData: 'from-node' }, { payload: CLIP, ciParams: { UserData: 'from-msg' } });
      assert.equal(port, 'ok');
      assert.equal(submittedOperation(harness.emulator, msg.jobId).UserData, 'from-msg');
    });

    it('keeps its own setting and ignores msg.ciParams when overrides are blocked', async () => {
      const { port, msg } = await harness.run({ UserData: 'from-node', blockOverrides: true }, { payload: CLIP, ciParams: { UserData: 'from-msg' } });
      assert.equal(port, 'ok');
      assert.equal(submittedOperation(harness.emulator, msg.jobId).UserData, 'from-node');
    });

    it('takes the input object of a JobsDetail from an earlier job (chaining)', async () => {
      putClip(harness.emulator, 'chain/earlier.mp4', CLIP_SECONDS);
      const earlier = {
        JobId: `j${'0'.repeat(32)}`,
        Tag: 'MediaInfo',
        State: 'Success',
        Input: { BucketId: harness.emulator.bucket, Object: 'chain/earlier.mp4', Region: harness.emulator.region },
        Operation: {},
      };
      const { port, msg } = await harness.run({}, { payload: earlier });
      assert.equal(port, 'ok');
      assert.notEqual(msg.jobId, earlier.JobId);
      assert.equal(submittedInput(harness.emulator, msg.jobId).Object, 'chain/earlier.mp4');
    });

    it('sends a wait that times out to output 2 with msg.ci.state Timeout, shows "timed out" in yellow, and cancels the job', async () => {
      const slow = await startSlowEmulator();
      try {
        const nodes = await harness.load({ wait: 'result', timeout: 0.3, cancelOnTimeout: true }, { emulator: slow });
        const shown = recordStatus(nodes.n1);
        const outcome = nextOutcome(nodes);
        nodes.n1.receive({ payload: CLIP });
        const { port, msg } = await outcome;
        assert.equal(port, 'bad');
        assert.equal(msg.ci.state, 'Timeout');
        await waitFor(() => shown.length >= 3, 1_000, 'three statuses');
        assert.deepEqual(shown.at(-1), { fill: 'yellow', shape: 'ring', text: 'common.status.timeout' });
        assert.equal(msg.ci.timedOut, true);
        assert.equal(msg.error.code, 'WaitTimeout');
        assert.equal(msg.payload.JobId, msg.jobId);
        await waitFor(() => slow.job(msg.jobId)?.State === 'Cancel', 3_000, "the emulator's job state Cancel");
      } finally {
        await helper.unload();
        await slow.close();
      }
    });

    it('leaves the job alone when a wait times out without cancelOnTimeout', async () => {
      const slow = await startSlowEmulator();
      try {
        const { port, msg } = await harness.run({ wait: 'result', timeout: 0.3, cancelOnTimeout: false }, { payload: CLIP }, { emulator: slow });
        assert.equal(port, 'bad');
        assert.equal(msg.ci.state, 'Timeout');
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(slow.job(msg.jobId)?.State, 'Submitted');
      } finally {
        await helper.unload();
        await slow.close();
      }
    });

    it('ends a pending wait at once when the flow stops: done is called and no timer is left', async () => {
      const baseline = await activeTimeoutsWhenIdle(harness.emulator);
      const slow = await startSlowEmulator();
      const completions = recordCompletions('n1');
      try {
        const nodes = await harness.load({ wait: 'result', timeout: 0 }, { emulator: slow });
        const shown = recordStatus(nodes.n1);
        nodes.n1.receive({ payload: CLIP });
        await waitFor(() => shown.some((s) => s.text === 'common.status.waiting'), 5_000, 'the waiting status');
        await waitFor(() => slow.stats().requests.describe >= 1, 5_000, 'a first describe');
        const started = Date.now();
        await helper.unload();
        assert.ok(Date.now() - started < 1_000, `unload took ${Date.now() - started} ms`);
        assert.equal(completions.done.length, 1, 'done was called for the pending message');
        assert.equal(completions.done[0]!.error, undefined);
      } finally {
        completions.stop();
        await slow.close();
      }
      assert.equal(await activeTimeoutsWhenIdle(harness.emulator), baseline, 'Timeout handles left after close');
    });
  });
}

/** A job node's settings as a new node starts with them in the editor (config's startingProps of the descriptor). */
export function startingProps(tag: JobTag): Record<string, string> {
  return configStartingProps(getDescriptor(tag));
}
