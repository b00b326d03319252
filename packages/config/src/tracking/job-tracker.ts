/**
 * JobTracker: the waits of one node (a job node in "when the job ends" mode, or a wait
 * node), kept so that no result is lost to a redeploy, a restart or a crash.
 *
 * - A wait is saved in the node's context store before the node reports it as waiting.
 * - A redeploy hands live waits to the node's next instance (see parked.ts); a restart
 *   resumes saved waits, checked at once in batches by the config node's JobWatcher.
 * - A result is sent, then its wait removed from the store: a crash in between repeats
 *   the delivery once after the restart, with the same `msg.ci.deliveryId` (flagged
 *   `msg.ci.redelivered` when the store had recorded the delivery as begun).
 * - A timeout keeps its original deadline across restarts.
 * - Deleting the node drops its waits, with a warning.
 */
import { CiError, ErrorCodes, type JobsDetail } from '@node-red-tencent-ci/core';
import { connectionOf } from '../connection';
import type { Node, NodeAPI, NodeMessage, SendFn } from '../node-red';
import { reportable } from '../node-error';
import type { EndedStatus, StatusTracker } from '../status';
import { jsonSafeMessage } from './json-safe';
import { jobBoard } from './job-board';
import { applyOutcome, deliveredState, toPorts, type Delivery, type Outcome } from './outcome';
import { claim, clearParked, park, sweep, type ParkedWait } from './parked';
import { isPersistentStore, newWaitId, type SavedWait } from './saved-wait';
import { ContextWaitStore, EPHEMERAL_STORE, type WaitStore } from './wait-store';

/** How a wait's msg ends: its input msg's send and done, or the node's own for resumed waits. */
export interface Completion {
  send: SendFn;
  /** Ends the msg; an error comes as reportable() made it (node-error.ts). */
  done(err?: Error | string): void;
}

export interface TrackerOptions {
  /** The config node's id (the node's `config` setting). */
  config: unknown;
  /** Context store for the waits; blank: the default store. */
  store?: string;
  cancelOnTimeout: boolean;
  /** The node's status, shared with what else the node shows (e.g. submitting). */
  status: StatusTracker;
  /** Overrides where waits are kept (tests, other stores). */
  waitStore?: WaitStore;
  /**
   * Completes a result's msg before it is sent (a job node adds `msg.ci.outputs`, maybe
   * reading images): a promise holds the send, and the wait stays saved until the msg is
   * sent, so a crash meanwhile delivers it after the restart.
   */
  prepare?: (msg: NodeMessage, delivery: Delivery) => Promise<void> | undefined;
}

export interface TrackOptions {
  /** 0 = no limit. */
  timeoutMs: number;
  completion: Completion;
}

/** What the watcher offers (core's JobWatcher). */
type WatchOutcome = { detail: JobsDetail } | { error: CiError };

interface Wait {
  readonly id: string;
  readonly jobId: string;
  readonly msg: NodeMessage;
  /** Epoch ms; 0 = none. */
  readonly deadline: number;
  /** The stored form (durable stores only). */
  saved?: SavedWait;
  completion: Completion;
  unwatch?: () => void;
  /** The result, once its delivery has begun. */
  outcome?: Outcome;
  /** Saved as being delivered before a restart: it may have been sent already. */
  redelivered?: boolean;
}

/** Close gives up waiting for the context store after this long (Node-RED allows 15 s). */
/** How each end of a wait shows in the node status: a green dot for Success, a red ring for Failed, grey for Cancel, yellow for a timeout. */
const ENDED: Record<Delivery['shown'], Omit<EndedStatus, 'jobId' | 'code'>> = {
  success: { fill: 'green', shape: 'dot', key: 'success' },
  failed: { fill: 'red', shape: 'ring', key: 'failed' },
  cancelled: { fill: 'grey', shape: 'ring', key: 'cancelled' },
  timeout: { fill: 'yellow', shape: 'ring', key: 'timeout' },
};

const CLOSE_GUARD_MS = 10_000;
/** A wait whose watcher closed under it (its config node restarted) tries again after this. */
const REWATCH_MS = 1000;

interface RuntimeEvents {
  on(event: string, listener: () => void): unknown;
}

let warnedEphemeral = false;

/** The running tracker of each node id: where a wait that comes in after its node closed goes. */
const liveTrackers = new Map<string, JobTracker>();

/** Per runtime: one `flows:started` listener for every tracker (not one each: there may be thousands of nodes). */
const flowStartWaiters = new WeakMap<object, Set<() => void>>();

/** Forgets what this process remembers between node instances (tests that reuse node ids). */
export function resetTracking(): void {
  warnedEphemeral = false;
  clearParked();
  liveTrackers.clear();
  jobBoard.reset();
}

/** The runtime's events (`flows:started`); a stand-in `RED` (unit tests) may have none. */
function eventsOf(RED: NodeAPI): RuntimeEvents | undefined {
  const events: RuntimeEvents | undefined = RED.events;
  return events;
}

/**
 * Calls `callback` at the next start of the flows; answers a function that forgets it. After
 * every start, parked waits whose node no longer exists are dropped, with a log warning.
 */
function atNextFlowsStart(RED: NodeAPI, callback: () => void): () => void {
  const events = eventsOf(RED);
  if (!events) {
    const timer = setImmediate(callback);
    return () => clearImmediate(timer);
  }
  let waiters = flowStartWaiters.get(events);
  if (!waiters) {
    const set = new Set<() => void>();
    waiters = set;
    flowStartWaiters.set(events, set);
    events.on('flows:started', () => {
      const due = [...set];
      set.clear();
      for (const fn of due) fn();
      for (const { nodeId, count } of sweep((id) => Boolean(RED.nodes.getNode(id)))) {
        RED.log.warn(RED._('common.tracker.droppedDeleted', { count, node: nodeId }));
      }
    });
  }
  const set = waiters;
  set.add(callback);
  return () => set.delete(callback);
}

/** What a closing node hands to its next instance. */
function parkedForm(w: Wait): ParkedWait {
  return { id: w.id, jobId: w.jobId, msg: w.msg, deadline: w.deadline, saved: w.saved, outcome: w.outcome };
}

export class JobTracker {
  private readonly RED: NodeAPI;
  private readonly node: Node;
  private readonly options: TrackerOptions;
  private readonly store: WaitStore;
  private readonly waits = new Map<string, Wait>();
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Resolves once parked and saved waits were taken up (or close came first). */
  readonly ready: Promise<void>;
  private flowsStarted: () => void = () => undefined;
  private forgetFlowsStart: () => void = () => undefined;

  constructor(RED: NodeAPI, node: Node, options: TrackerOptions) {
    this.RED = RED;
    this.node = node;
    this.options = options;
    this.store = options.waitStore ?? this.storeFor(options.store);
    if (!this.store.durable && !warnedEphemeral) {
      warnedEphemeral = true;
      node.warn(RED._('common.tracker.ephemeral'));
    }
    const parked = claim(node.id);
    liveTrackers.set(node.id, this);
    const started = new Promise<void>((resolve) => {
      this.flowsStarted = resolve;
    });
    this.forgetFlowsStart = atNextFlowsStart(RED, this.flowsStarted);
    // Results are sent only once every node of the flows exists (earlier sends could be lost).
    this.ready = Promise.all([this.store.load(), started]).then(([saved]) => this.resume(parked, saved));
  }

  /** Waits in progress. */
  get size(): number {
    return this.waits.size;
  }

  /**
   * Waits for `jobId` on behalf of `msg`. Resolves once the wait is saved: only then does
   * the node show it as waiting. The result goes out through `completion`.
   */
  async track(jobId: string, msg: NodeMessage, { timeoutMs, completion }: TrackOptions): Promise<void> {
    const wait: Wait = { id: newWaitId(), jobId, msg, deadline: timeoutMs > 0 ? Date.now() + timeoutMs : 0, completion };
    if (this.store.durable) wait.saved = this.savedForm(wait);
    if (this.closed) {
      // The node closed (a redeploy) while the job was being submitted: its next instance waits for it.
      const next = liveTrackers.get(this.node.id);
      const handed = parkedForm(wait);
      if (next && next !== this) {
        next.adopt(handed);
      } else {
        park(this.node.id, [handed]);
        if (wait.saved) await this.store.put(wait.saved);
      }
      completion.done();
      return;
    }
    this.waits.set(wait.id, wait);
    this.onBoard(wait);
    this.options.status.begin('waiting', 'ring');
    if (wait.saved) await this.store.put(wait.saved);
    if (this.closed || !this.waits.has(wait.id)) return; // closed or stopped meanwhile
    this.watch(wait, { timeoutMs, checkNow: false });
  }

  /** Takes a wait from this node's previous instance, which closed while it was being started. */
  adopt(wait: ParkedWait): void {
    if (this.closed) {
      park(this.node.id, [wait]);
      return;
    }
    void this.ready.then(() => this.resume([wait], []));
  }

  /** Stops waiting for these jobs: their msgs end quietly (no output). Answers how many. */
  stop(jobIds: ReadonlySet<string>): number {
    let count = 0;
    for (const wait of [...this.waits.values()]) {
      if (!jobIds.has(wait.jobId) || wait.outcome) continue;
      wait.unwatch?.();
      this.waits.delete(wait.id);
      jobBoard.released([wait.id], 'stopped');
      void this.store.remove(wait.id);
      this.options.status.end({ fill: 'grey', shape: 'ring', key: 'stopped', jobId: wait.jobId });
      wait.completion.done();
      count += 1;
    }
    return count;
  }

  /**
   * Ends every waiting msg quietly. Not removed (redeploy, stop): the waits go to the next
   * instance of the node and stay saved. Removed: they are dropped, with a warning.
   */
  async close(removed: boolean): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (liveTrackers.get(this.node.id) === this) liveTrackers.delete(this.node.id);
    this.forgetFlowsStart();
    this.flowsStarted();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const waits = [...this.waits.values()];
    this.waits.clear();
    for (const wait of waits) wait.unwatch?.();
    if (removed) {
      if (waits.length > 0) this.node.warn(this.RED._('common.tracker.droppedRemoved', { count: waits.length }));
      jobBoard.released(
        waits.map((w) => w.id),
        'removed',
      );
      void this.store.clear();
    } else {
      this.parkAll(waits);
    }
    for (const wait of waits) wait.completion.done();
    this.options.status.clear();
    let guard: NodeJS.Timeout | undefined;
    await Promise.race([this.store.flush(), new Promise<void>((resolve) => (guard = setTimeout(resolve, CLOSE_GUARD_MS)))]);
    clearTimeout(guard);
  }

  // ---- internals ---------------------------------------------------------------------

  /** The config node's id, as the sidebar's job board files the node's jobs. */
  private get configId(): string {
    return typeof this.options.config === 'string' ? this.options.config : '';
  }

  /** Lists the wait on the editor's Tencent CI sidebar (job-board.ts). */
  private onBoard(wait: Wait): void {
    jobBoard.tracked(this.configId, wait.jobId, wait.id, { id: this.node.id, type: this.node.type, name: this.node.name || undefined });
  }

  private storeFor(name: string | undefined): WaitStore {
    if (!isPersistentStore(this.RED.settings.contextStorage, name)) return EPHEMERAL_STORE;
    return new ContextWaitStore(this.node, name, (err) => this.node.warn(this.RED._('common.tracker.saveFailed', { error: err.message })));
  }

  private savedForm(wait: Wait): SavedWait {
    return { id: wait.id, jobId: wait.jobId, msg: jsonSafeMessage(wait.msg), deadline: wait.deadline };
  }

  private parkAll(waits: Wait[]): void {
    park(this.node.id, waits.map(parkedForm));
  }

  /** The completion of a msg that came back from a redeploy or a restart: no input msg is waiting for it. */
  private resumedCompletion(msg: NodeMessage): Completion {
    return {
      send: (m) => this.node.send(m),
      done: (err) => {
        if (err) this.node.error(err, msg);
      },
    };
  }

  private resume(parked: ParkedWait[], saved: SavedWait[]): void {
    if (this.closed) {
      park(this.node.id, parked); // closed before the flows started: hand them on again
      return;
    }
    const taken = new Set<string>();
    const resumed: Wait[] = [];
    for (const p of parked) {
      taken.add(p.id);
      p.msg.resumed = true;
      resumed.push({
        id: p.id,
        jobId: p.jobId,
        msg: p.msg,
        deadline: p.deadline,
        saved: p.saved,
        outcome: p.outcome,
        completion: this.resumedCompletion(p.msg),
      });
    }
    for (const s of saved) {
      if (taken.has(s.id)) continue;
      const msg = this.RED.util.cloneMessage(s.msg) as NodeMessage;
      msg.resumed = true;
      resumed.push({
        id: s.id,
        jobId: s.jobId,
        msg,
        deadline: s.deadline,
        saved: s,
        redelivered: s.delivered !== undefined,
        completion: this.resumedCompletion(msg),
      });
    }
    for (const wait of resumed) {
      this.waits.set(wait.id, wait);
      this.onBoard(wait);
      this.options.status.begin('waiting', 'ring');
    }
    // Saved waits are in the store already; handed-on ones may not be (a late submit).
    for (const p of parked) if (p.saved) void this.store.put(p.saved);
    for (const wait of resumed) {
      if (wait.outcome) {
        const outcome = wait.outcome;
        wait.outcome = undefined;
        this.deliver(wait, outcome);
      } else if (wait.redelivered && wait.saved?.delivered === 'Timeout') {
        this.deliver(wait, { kind: 'timeout', message: this.RED._('common.tracker.expired', { jobId: wait.jobId }) });
      } else {
        this.watch(wait, { checkNow: true });
      }
    }
  }

  /** Asks the config node's watcher for the wait's result. */
  private watch(wait: Wait, { timeoutMs, checkNow }: { timeoutMs?: number; checkNow: boolean }): void {
    const ci = connectionOf(this.RED, this.options.config);
    if (!ci) {
      this.deliver(wait, { kind: 'error', error: new CiError({ code: 'MissingConfig', message: this.RED._('common.errors.noConfig') }) });
      return;
    }
    const left = wait.deadline > 0 ? wait.deadline - Date.now() : 0;
    if (wait.deadline > 0 && left <= 0) {
      // The deadline passed while Node-RED was stopped.
      if (this.options.cancelOnTimeout) {
        Promise.resolve()
          .then(() => ci.client().cancel(wait.jobId))
          .catch(() => undefined);
      }
      this.deliver(wait, { kind: 'timeout', message: this.RED._('common.tracker.expired', { jobId: wait.jobId }) });
      return;
    }
    try {
      wait.unwatch = ci.watcher().watch(wait.jobId, (outcome: WatchOutcome) => this.onWatched(wait, outcome), {
        timeoutMs: wait.deadline > 0 ? (timeoutMs ?? left) : 0,
        cancelOnTimeout: this.options.cancelOnTimeout,
        checkNow,
      });
    } catch (err) {
      this.deliver(wait, { kind: 'error', error: err as Error });
    }
  }

  private onWatched(wait: Wait, outcome: WatchOutcome): void {
    wait.unwatch = undefined;
    if (this.closed || this.waits.get(wait.id) !== wait) return;
    if ('detail' in outcome) {
      this.deliver(wait, { kind: 'detail', detail: outcome.detail });
      return;
    }
    const code = outcome.error.code;
    if (code === ErrorCodes.WaitTimeout) {
      this.deliver(wait, { kind: 'timeout', message: outcome.error.message });
    } else if (code === ErrorCodes.WatcherClosed) {
      // The config node restarted while this node did not: watch again with its new watcher.
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!this.closed && this.waits.get(wait.id) === wait) this.watch(wait, { checkNow: true });
      }, REWATCH_MS);
      this.timers.add(timer);
    } else {
      this.deliver(wait, { kind: 'error', error: outcome.error });
    }
  }

  private showEnded({ shown, code }: Delivery, jobId: string): void {
    this.options.status.end({ ...ENDED[shown], jobId, code });
  }

  /**
   * Sends the msg, then forgets the wait. The record that its delivery has begun goes to the
   * store first but is not waited for: at-least-once needs only the saved wait and its
   * removal after the send, and a write of a node's waits costs time that grows with their
   * number (a file store rewrites them all), which the output must not wait behind. A
   * record that reached the store before a crash makes the repeat carry `redelivered`.
   */
  private deliver(wait: Wait, outcome: Outcome): void {
    if (wait.outcome) return; // already being delivered
    wait.outcome = outcome;
    const state = deliveredState(outcome);
    if (wait.saved && state) {
      wait.saved = { ...wait.saved, delivered: state };
      void this.store.put(wait.saved);
    }
    if (this.closed || this.waits.get(wait.id) !== wait) return;
    this.waits.delete(wait.id);
    jobBoard.ended(this.configId, wait.jobId, wait.id, outcome);
    if (outcome.kind === 'error') {
      this.options.status.end({ fill: 'red', shape: 'ring', key: 'error', code: (outcome.error as { code?: string }).code });
      void this.store.remove(wait.id);
      wait.completion.done(reportable(this.RED, this.node, outcome.error));
      return;
    }
    const delivery = applyOutcome(wait.msg, wait.jobId, outcome, wait.redelivered === true);
    const send = () => {
      this.showEnded(delivery, wait.jobId);
      wait.completion.send(toPorts(wait.msg, delivery.port));
      void this.store.remove(wait.id);
      wait.completion.done();
    };
    let preparing: Promise<void> | undefined;
    try {
      preparing = this.options.prepare?.(wait.msg, delivery);
    } catch (err) {
      this.node.error(err, wait.msg); // a result is sent even when completing it failed
    }
    if (!preparing) send();
    else
      preparing.then(send, (err: unknown) => {
        this.node.error(err, wait.msg);
        send();
      });
  }
}
