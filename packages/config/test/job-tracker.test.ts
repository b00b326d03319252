/**
 * JobTracker on its own, with a fake watcher and a store whose writes the test releases
 * one by one: what is written when, what is sent when, and what a new instance of the
 * node (a redeploy) or of Node-RED (a restart) does with what the last one left.
 */
import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { CiError, type JobsDetail } from '@node-red-tencent-ci/core';
import { JobTracker, resetTracking, StatusTracker, type SavedWait, type WaitStore } from '../src/index';
import type { TrackerOptions } from '../src/tracking/job-tracker';

const JOB = 'j8d121820f5e411ec926ef19d53ba9c6f';
const JOB2 = 'j0a1b2c3d4e5f60718293a4b5c6d7e8f9';

type Listener = (outcome: { detail: JobsDetail } | { error: CiError }) => void;

/** A watcher that answers when the test says. */
class FakeWatcher {
  readonly watches: Array<{ jobId: string; listener: Listener; options: Record<string, unknown>; unwatched: boolean }> = [];
  watch(jobId: string, listener: Listener, options: Record<string, unknown> = {}): () => void {
    const entry = { jobId, listener, options, unwatched: false };
    this.watches.push(entry);
    return () => {
      entry.unwatched = true;
    };
  }
  /** Ends every live watch of `jobId` with this state. */
  finish(jobId: string, State = 'Success'): void {
    for (const w of this.watches.filter((x) => x.jobId === jobId && !x.unwatched)) w.listener({ detail: { JobId: jobId, Tag: 'VideoTag', State } });
  }
  fail(jobId: string, error: CiError): void {
    for (const w of this.watches.filter((x) => x.jobId === jobId && !x.unwatched)) w.listener({ error });
  }
}

/** A durable store that logs every call and holds each write until `release()`. */
class HeldStore implements WaitStore {
  readonly durable = true;
  readonly log: string[] = [];
  readonly entries = new Map<string, SavedWait>();
  private held: Array<() => void> = [];
  hold = false;
  constructor(private readonly saved: SavedWait[] = []) {
    for (const w of saved) this.entries.set(w.id, w);
  }
  load(): Promise<SavedWait[]> {
    return Promise.resolve(this.saved);
  }
  private write(entry: string): Promise<void> {
    this.log.push(entry);
    if (!this.hold) return Promise.resolve();
    return new Promise((resolve) => this.held.push(resolve));
  }
  put(wait: SavedWait): Promise<void> {
    this.entries.set(wait.id, wait);
    return this.write(`put ${wait.jobId}${wait.delivered ? ` delivered=${wait.delivered}` : ''}`);
  }
  remove(id: string): Promise<void> {
    const w = this.entries.get(id);
    this.entries.delete(id);
    return this.write(`remove ${w?.jobId ?? id}`);
  }
  clear(): Promise<void> {
    this.entries.clear();
    return this.write('clear');
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  release(): void {
    const held = this.held;
    this.held = [];
    for (const r of held) r();
  }
}

interface Rig {
  RED: any;
  flowDefs: Array<Record<string, unknown>>;
  node: any;
  sent: any[];
  warnings: string[];
  errors: Array<{ err: Error; msg: any }>;
  logWarnings: string[];
  statuses: any[];
  watcher: FakeWatcher;
  events: EventEmitter;
  cancelled: string[];
  tracker(store: WaitStore, cancelOnTimeout?: boolean | Partial<TrackerOptions>): JobTracker;
}

/** A Node-RED runtime with one config node ("cfg") whose watcher is `watcher`, and one node "n1". */
function rig(watcher = new FakeWatcher(), events = new EventEmitter()): Rig {
  const cancelled: string[] = [];
  const ci = { bucket: 'b', region: 'r', watcher: () => watcher, client: () => ({ cancel: async (id: string) => void cancelled.push(id) }), notify: () => 0 };
  const logWarnings: string[] = [];
  const nodes = new Map<string, unknown>([['cfg', { type: 'tencent-ci-config', ci }]]);
  // The deployed flow as RED.nodes.eachNode gives it: a Catch node on the tracked node's tab.
  const flowDefs: Array<Record<string, unknown>> = [{ id: 'c1', type: 'catch', z: 'tab', scope: null }];
  const RED = {
    _: (key: string, subs?: Record<string, unknown>) => (subs ? `${key} ${JSON.stringify(subs)}` : key),
    util: { cloneMessage: <T>(m: T) => structuredClone(m) },
    settings: {},
    nodes: { getNode: (id: string) => nodes.get(id) ?? null, eachNode: (cb: (n: unknown) => void) => flowDefs.forEach(cb) },
    log: { warn: (m: string) => logWarnings.push(m), info: () => undefined, error: () => undefined },
    events,
  };
  const r: Rig = {
    RED,
    flowDefs,
    node: undefined,
    sent: [],
    warnings: [],
    errors: [],
    logWarnings,
    statuses: [],
    watcher,
    events,
    cancelled,
    tracker(store, options = false) {
      const extra = typeof options === 'boolean' ? { cancelOnTimeout: options } : { cancelOnTimeout: false, ...options };
      const node = {
        id: 'n1',
        z: 'tab',
        send: (m: any) => r.sent.push(m),
        warn: (m: string) => r.warnings.push(m),
        error: (err: Error, msg: any) => r.errors.push({ err, msg }),
        status: (s: any) => r.statuses.push(s),
      };
      r.node = node;
      nodes.set('n1', node);
      return new JobTracker(RED as any, node as any, { config: 'cfg', ...extra, status: new StatusTracker(RED as any, node as any), waitStore: store });
    },
  };
  return r;
}

const tick = () => new Promise((r) => setImmediate(r));

/** A completion that records what the tracker does with one input msg. */
function completion() {
  const c = { sent: [] as any[], done: [] as Array<Error | undefined> };
  return { c, completion: { send: (m: any) => c.sent.push(m), done: (err?: Error) => c.done.push(err) } };
}

/** A new instance of node n1 on `store`, once the flows started and it took up what it was handed. */
async function started(r: Rig, store: WaitStore = new HeldStore(), cancelOnTimeout = false): Promise<JobTracker> {
  const t = r.tracker(store, cancelOnTimeout);
  r.events.emit('flows:started');
  await t.ready;
  return t;
}

/** A rig whose node n1 (on a HeldStore that does not hold yet) tracks JOB for `msg`, with no timeout. */
async function tracking(msg: Record<string, unknown> = {}) {
  const r = rig();
  const store = new HeldStore();
  const t = r.tracker(store);
  r.events.emit('flows:started');
  const { c, completion: done } = completion();
  await t.track(JOB, msg, { timeoutMs: 0, completion: done });
  return { r, store, t, c };
}

describe('JobTracker', () => {
  afterEach(() => resetTracking());

  describe('saving before waiting', () => {
    it('saves the wait (JSON-safe msg, deadline) before it watches the job or shows "waiting"', async () => {
      const r = rig();
      const store = new HeldStore();
      store.hold = true;
      const t = r.tracker(store);
      r.events.emit('flows:started');
      const { completion: done } = completion();
      const before = Date.now();
      const tracked = t.track(JOB, { _msgid: 'm1', topic: 'a', res: { socket: {} }, fn: () => 1 }, { timeoutMs: 60_000, completion: done });
      await tick();
      assert.deepEqual(store.log, [`put ${JOB}`]);
      assert.equal(r.watcher.watches.length, 0, 'not watched before it is saved');
      const saved = [...store.entries.values()][0]!;
      assert.deepEqual(Object.keys(saved.msg).sort(), ['_msgid', 'topic']);
      assert.ok(saved.deadline >= before + 60_000 && saved.deadline <= Date.now() + 60_000);
      store.release();
      await tracked;
      assert.equal(r.watcher.watches.length, 1);
      assert.equal(r.watcher.watches[0]!.options.timeoutMs, 60_000);
      assert.equal(r.statuses.at(-1).text, 'common.status.waiting {"count":1}');
    });
  });

  describe('delivering', () => {
    it('sends at once, without waiting for the store, after asking it to record the delivery; then removes the wait', async () => {
      const { r, store, t, c } = await tracking({ topic: 'a' });
      store.hold = true; // a slow store (a file store rewriting thousands of waits)
      r.watcher.finish(JOB);
      await tick();
      assert.equal(c.sent.length, 1, 'sent while the store is still writing');
      assert.deepEqual(store.log.slice(0, 2), [`put ${JOB}`, `put ${JOB} delivered=Success`], 'the record was asked for before the send');
      const [ok, bad] = c.sent[0];
      assert.equal(bad, null);
      assert.deepEqual(ok.ci, { tag: 'VideoTag', state: 'Success', deliveryId: `${JOB}:Success` });
      assert.deepEqual(c.done, [undefined]);
      assert.deepEqual(store.log.at(-1), `remove ${JOB}`);
      assert.equal(t.size, 0);
      store.release();
      await tick();
      assert.equal(c.sent.length, 1, 'sent once');
    });

    it('holds the send while prepare completes the msg, and keeps the wait saved until it is sent', async () => {
      const r = rig();
      const store = new HeldStore();
      let release: () => void = () => undefined;
      const t = r.tracker(store, { prepare: (msg: any) => new Promise<void>((resolve) => (release = () => ((msg.prepared = true), resolve()))) });
      r.events.emit('flows:started');
      const { c, completion: done } = completion();
      await t.track(JOB, { topic: 'p' }, { timeoutMs: 0, completion: done });
      r.watcher.finish(JOB);
      await tick();
      assert.equal(c.sent.length, 0, 'not sent while preparing');
      assert.ok(!store.log.includes(`remove ${JOB}`), 'still saved while preparing');
      release();
      await tick();
      assert.equal(c.sent.length, 1);
      assert.equal(c.sent[0][0].prepared, true);
      assert.equal(store.log.at(-1), `remove ${JOB}`);
      assert.deepEqual(c.done, [undefined]);
    });

    it('sends Failed and Cancel to output 2 and a timeout to output 2 with msg.error', async () => {
      const r = rig();
      const t = r.tracker(new HeldStore());
      r.events.emit('flows:started');
      const outs = [completion(), completion(), completion()];
      await t.track(JOB, { n: 1 }, { timeoutMs: 0, completion: outs[0]!.completion });
      await t.track(JOB2, { n: 2 }, { timeoutMs: 0, completion: outs[1]!.completion });
      await t.track('j3', { n: 3, ci: { requestId: 'rq' } }, { timeoutMs: 1000, completion: outs[2]!.completion });
      r.watcher.finish(JOB, 'Failed');
      r.watcher.finish(JOB2, 'Cancel');
      r.watcher.fail('j3', new CiError({ code: 'WaitTimeout', message: 'Job j3 did not finish within 1 s' }));
      await tick();
      await tick();
      assert.equal(outs[0]!.c.sent[0][1].ci.state, 'Failed');
      assert.equal(outs[1]!.c.sent[0][1].ci.deliveryId, `${JOB2}:Cancel`);
      const timedOut = outs[2]!.c.sent[0][1];
      assert.deepEqual(timedOut.ci, { requestId: 'rq', state: 'Timeout', timedOut: true, deliveryId: 'j3:Timeout' });
      assert.deepEqual(timedOut.error, { message: 'Job j3 did not finish within 1 s', code: 'WaitTimeout' });
    });

    it('ends the input msg with the error of a job the service does not know (for Catch)', async () => {
      const { r, c } = await tracking();
      r.watcher.fail(JOB, new CiError({ code: 'JobNotFound', message: 'no such job' }));
      await tick();
      assert.deepEqual(c.sent, []);
      assert.equal((c.done[0] as CiError).code, 'JobNotFound');
    });

    it('ends the input msg with the error text alone when no Catch node covers the node (the debug sidebar shows it whole)', async () => {
      const { r, c } = await tracking();
      r.flowDefs.splice(0, r.flowDefs.length, { id: 'c2', type: 'catch', z: 'other-tab', scope: null }, { id: 'c3', type: 'catch', z: 'tab', scope: ['n9'] });
      r.watcher.fail(JOB, new CiError({ code: 'JobNotFound', message: 'no such job' }));
      await tick();
      assert.deepEqual(c.done, ['no such job']);
    });
  });

  describe('redeploy', () => {
    it('hands its waits to the next instance of the node, which sends the result once (any context store)', async () => {
      const { r, t: first, c } = await tracking({ topic: 'kept', res: { live: true } });
      await first.close(false);
      assert.deepEqual(c.done, [undefined], 'the input msg ended quietly at close');
      assert.equal(r.watcher.watches[0]!.unwatched, true);

      await started(r);
      assert.equal(r.watcher.watches.length, 2);
      assert.equal(r.watcher.watches[1]!.options.checkNow, true, 'checked at once');
      r.watcher.finish(JOB);
      await tick();
      assert.equal(r.sent.length, 1);
      const [msg] = r.sent[0];
      assert.equal(msg.topic, 'kept');
      assert.deepEqual(msg.res, { live: true }, 'the live msg, not a JSON copy');
      assert.equal(msg.resumed, true);
      assert.deepEqual(c.sent, [], 'nothing from the old instance');
    });

    it("a job whose submit ends after the node closed is waited for by the node's new instance", async () => {
      const r = rig();
      const first = r.tracker(new HeldStore());
      r.events.emit('flows:started');
      await first.close(false);
      const second = await started(r);
      const { c, completion: done } = completion();
      await first.track(JOB, { topic: 'late' }, { timeoutMs: 0, completion: done });
      assert.deepEqual(c.done, [undefined], 'the input msg ends with the old instance');
      await tick();
      assert.equal(r.watcher.watches.length, 1, 'the new instance watches it');
      r.watcher.finish(JOB);
      await tick();
      assert.equal(r.sent.length, 1);
      assert.equal(r.sent[0][0].topic, 'late');
      assert.equal(second.size, 0);
    });

    it('a result that ends while the store is slow is sent by this instance, not again by the next', async () => {
      const { r, store, t: first, c } = await tracking({ topic: 'x' });
      store.hold = true;
      r.watcher.finish(JOB);
      await tick();
      await first.close(false);
      store.release();
      await tick();
      assert.equal(c.sent.length, 1);
      assert.equal(c.sent[0][0].ci.deliveryId, `${JOB}:Success`);

      await started(r);
      await tick();
      assert.equal(r.sent.length, 0, 'nothing handed on');
      assert.equal(r.watcher.watches.length, 1, 'no second describe');
    });

    it('drops the waits of a deleted node with a warning, clearing its store', async () => {
      const { r, store, t, c } = await tracking();
      await t.close(true);
      assert.deepEqual(r.warnings, ['common.tracker.droppedRemoved {"count":1}']);
      assert.equal(store.log.at(-1), 'clear');
      assert.deepEqual(c.done, [undefined]);
      await started(r);
      assert.equal(r.watcher.watches.length, 1, 'nothing handed on');
    });

    it('drops parked waits no node claims once the flows started again, with one log warning', async () => {
      const { r, t } = await tracking();
      await t.close(false);
      r.RED.nodes.getNode = (id: string) => (id === 'cfg' ? { type: 'tencent-ci-config' } : null); // n1 is gone
      r.events.emit('flows:started');
      assert.deepEqual(r.logWarnings, ['common.tracker.droppedDeleted {"count":1,"node":"n1"}']);
    });
  });

  describe('restart', () => {
    const saved = (over: Partial<SavedWait> = {}): SavedWait => ({ id: 'w1', jobId: JOB, msg: { _msgid: 'm', topic: 'before' }, deadline: 0, ...over });

    it('resumes saved waits once the flows started, checking them at once, and sends with msg.resumed', async () => {
      const r = rig();
      const t = r.tracker(new HeldStore([saved(), saved({ id: 'w2', jobId: JOB2 })]));
      await tick();
      assert.equal(r.watcher.watches.length, 0, 'nothing before flows:started');
      r.events.emit('flows:started');
      await t.ready;
      assert.deepEqual(
        r.watcher.watches.map((w) => [w.jobId, w.options.checkNow]),
        [
          [JOB, true],
          [JOB2, true],
        ],
      );
      r.watcher.finish(JOB);
      await tick();
      assert.equal(r.sent.length, 1);
      assert.equal(r.sent[0][0].resumed, true);
      assert.equal(r.sent[0][0].topic, 'before');
      assert.equal(r.sent[0][0].ci.redelivered, undefined);
    });

    it("keeps the original deadline: what is left of it, not the node's timeout", async () => {
      const r = rig();
      await started(r, new HeldStore([saved({ deadline: Date.now() + 700 })]));
      const left = r.watcher.watches[0]!.options.timeoutMs as number;
      assert.ok(left > 500 && left <= 700, `${left} ms left`);
    });

    it('times out at once a wait whose deadline passed while Node-RED was stopped, cancelling the job if asked', async () => {
      const r = rig();
      await started(r, new HeldStore([saved({ deadline: Date.now() - 1 })]), true);
      await tick();
      assert.equal(r.watcher.watches.length, 0);
      const [, msg] = r.sent[0];
      assert.equal(msg.ci.state, 'Timeout');
      assert.match(msg.error.message, /common\.tracker\.expired/);
      await tick();
      assert.deepEqual(r.cancelled, [JOB]);
    });

    it('flags a result whose delivery had begun before a crash as redelivered, with the same deliveryId', async () => {
      const r = rig();
      await started(r, new HeldStore([saved({ delivered: 'Success' })]));
      r.watcher.finish(JOB);
      await tick();
      assert.deepEqual(r.sent[0][0].ci, { tag: 'VideoTag', state: 'Success', deliveryId: `${JOB}:Success`, redelivered: true });
    });
  });

  it('stop() ends the waiting msg quietly and forgets the wait', async () => {
    const { r, store, t, c } = await tracking();
    assert.equal(t.stop(new Set([JOB])), 1);
    assert.deepEqual(c.done, [undefined]);
    assert.equal(r.watcher.watches[0]!.unwatched, true);
    assert.equal(store.log.at(-1), `remove ${JOB}`);
    r.watcher.finish(JOB);
    await tick();
    assert.deepEqual(c.sent, []);
  });

  it('listens to flows:started once for any number of nodes', () => {
    const r = rig();
    for (let i = 0; i < 25; i++) r.tracker(new HeldStore());
    assert.equal(r.events.listenerCount('flows:started'), 1);
  });
});
