/**
 * Node-RED module: the `tencent-ci-wait` node. It waits for CI jobs to end through the config
 * node's shared JobWatcher (batched describes on an adaptive interval, settled at once by
 * callbacks through `notify()`), and sends each message on with the terminal JobsDetail:
 * output 1 Success, output 2 Failed, Cancel or timeout.
 *
 * Waits in progress are kept in node context (key `pending`) so that, with a persistent
 * context store, a restart or redeploy resumes them and emits their results with
 * `msg.resumed = true`.
 */
import { CiError, ErrorCodes, type JobsDetail, type JobWatcher } from '@node-red-tencent-ci/core';
import {
  connectionOf,
  StatusTracker,
  type CiConnection,
  type DoneFn,
  type Node,
  type NodeAPI,
  type NodeDef,
  type NodeMessage,
  type NodeStatus,
  type SendFn,
} from '@node-red-tencent-ci/config';
import { describeValue } from '@node-red-tencent-ci/core';
import { jobRefsOf, type JobRef } from './job-ids';
import { jsonSafeMessage } from './json-safe';
import { isPersistentStore, PendingStore, savedWaits, type SavedWait } from './persistence';

const NODE_TYPE = 'tencent-ci-wait';

/** Seconds a wait lasts when the node does not say. */
const DEFAULT_TIMEOUT_S = 600;
/** Close gives up waiting for the context store after this long (Node-RED allows 15 s). */
const CLOSE_GUARD_MS = 10_000;

interface WaitNodeProps extends NodeDef {
  config?: string;
  /** Where the JobId is: a property (TypedInput), `jobId` by default. */
  jobId?: string;
  jobIdType?: string;
  /** Seconds; 0 = no limit; `msg.timeout` overrides. */
  timeout?: number | string;
  cancelOnTimeout?: boolean;
  /** Context store for the waits in progress; blank = the default store. */
  store?: string;
}

/** One input message (or one resumed entry) and the waits it started. */
interface Origin {
  /** Waits of this origin still running. */
  open: number;
  send: SendFn;
  /** Called once, when its last wait ends. */
  done: DoneFn;
  /** More than one job: each job's error goes to Catch with that job's message. */
  several: boolean;
  error?: Error;
}

interface Wait {
  readonly jobId: string;
  /** The message to send when the job ends. */
  readonly msg: NodeMessage;
  /** Its JSON-safe copy, as kept in context. */
  readonly saved: Record<string, unknown>;
  /** Epoch ms; 0 = none. */
  readonly deadline: number;
  readonly abort: AbortController;
  readonly origin: Origin;
}

/** `RED.events`: the runtime's event emitter (not in config's NodeAPI type). */
interface RuntimeEvents {
  once(event: string, listener: () => void): unknown;
  removeListener(event: string, listener: () => void): unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A number of seconds >= 0 from a number or numeric text, else undefined. */
function seconds(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function evaluate(RED: NodeAPI, node: Node, msg: NodeMessage, value: string, type: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    RED.util.evaluateNodeProperty(value, type, node, msg, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

export = function register(RED: NodeAPI): void {
  function userError(key: string, substitutions: Record<string, unknown> = {}, code = 'InvalidArgument'): CiError {
    return new CiError({ code, message: RED._(key, substitutions) });
  }

  function WaitNode(this: Node, def: WaitNodeProps): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const status = new StatusTracker(RED, node);
    const nodeTimeoutS = seconds(def.timeout) ?? DEFAULT_TIMEOUT_S;
    const cancelOnTimeout = def.cancelOnTimeout === true;
    const store = typeof def.store === 'string' && def.store.trim() ? def.store.trim() : undefined;
    const property = typeof def.jobId === 'string' ? def.jobId.trim() : '';
    const propertyType = def.jobIdType || 'msg';
    const waits = new Set<Wait>();
    let closing = false;
    /** What close keeps in context (not removed): the waits running then. */
    let atClose: SavedWait[] = [];
    /** Saved waits read back after close began: kept, not resumed. */
    let unresumed: SavedWait[] = [];

    if (!isPersistentStore(RED.settings.contextStorage, store)) node.warn(RED._('wait.warn.noPersistentStore'));

    // ---- context -------------------------------------------------------------------

    const saved = new PendingStore(node, store, (err) => node.warn(RED._('wait.warn.saveFailed', { error: err.message })));

    function running(): SavedWait[] {
      return [...waits].map((w) => ({ jobId: w.jobId, msg: w.saved, deadline: w.deadline }));
    }

    /** What the context should hold now. */
    function entries(): SavedWait[] {
      return [...unresumed, ...(closing ? atClose : running())];
    }

    function persist(): void {
      saved.save(entries);
    }

    // ---- status --------------------------------------------------------------------

    function showWaiting(): void {
      status.show('blue', 'ring', 'waiting');
    }

    function ended(outcome: { fill: NodeStatus['fill']; shape: NodeStatus['shape']; key: string; detail?: string }): void {
      status.end(outcome);
      if (status.count > 0) showWaiting();
    }

    /** A wait ended without a result (msg.reset / msg.cancel). */
    function stoppedStatus(jobId: string): void {
      status.end({ fill: 'grey', shape: 'ring', key: 'waiting' });
      if (status.count > 0) showWaiting();
      else node.status({ fill: 'grey', shape: 'ring', text: RED._('wait.status.stopped', { detail: jobId }) });
    }

    // ---- waits ---------------------------------------------------------------------

    /** One wait of an origin is over; the origin is done when all of its waits are. */
    function finishPart(wait: Wait, err?: Error): void {
      const origin = wait.origin;
      if (err) {
        if (origin.several) node.error(err, wait.msg);
        else origin.error = err;
      }
      origin.open -= 1;
      if (origin.open === 0) origin.done(origin.error);
    }

    function onDetail(wait: Wait, detail: JobsDetail): void {
      if (!waits.delete(wait)) return; // stopped meanwhile
      persist();
      const msg = wait.msg;
      msg.payload = detail;
      msg.jobId = wait.jobId;
      msg.ci = { tag: detail.Tag, state: detail.State };
      const ok = detail.State === 'Success';
      ended({
        fill: ok ? 'green' : 'red',
        shape: ok ? 'dot' : 'ring',
        key: ok ? 'success' : 'failed',
        detail: ok ? wait.jobId : `${detail.State} ${detail.Code ?? ''}`.trim(),
      });
      wait.origin.send(ok ? [msg, null] : [null, msg]);
      finishPart(wait);
    }

    function onError(wait: Wait, err: unknown): void {
      if (!waits.delete(wait)) return; // stopped by msg.reset / msg.cancel or by close
      const error = err instanceof Error ? err : new Error(String(err));
      const code = (error as CiError).code;
      if (closing) {
        finishPart(wait); // the message ends quietly; its context entry stays for the next start
        return;
      }
      persist();
      if (code === ErrorCodes.Aborted) {
        stoppedStatus(wait.jobId);
        finishPart(wait);
        return;
      }
      const msg = wait.msg;
      msg.jobId = wait.jobId;
      if (code === ErrorCodes.WaitTimeout) {
        const tag = isObject(msg.payload) && typeof msg.payload.Tag === 'string' ? msg.payload.Tag : undefined;
        msg.ci = { ...(tag ? { tag } : {}), state: 'Timeout', timedOut: true };
        msg.error = { message: error.message, code: ErrorCodes.WaitTimeout };
        ended({ fill: 'yellow', shape: 'ring', key: 'timeout', detail: wait.jobId });
        wait.origin.send([null, msg]);
        finishPart(wait);
        return;
      }
      ended({ fill: 'red', shape: 'ring', key: 'error', detail: code ?? '' });
      finishPart(wait, error);
    }

    /**
     * Starts one wait. `deadline`: epoch ms (0 = none); `timeoutMs`: what is left of it
     * (given exactly for a new wait, so messages say "within 0.3 s", not 0.299).
     */
    function start(ci: CiConnection, watcher: JobWatcher, jobId: string, msg: NodeMessage, savedMsg: Record<string, unknown>, { deadline, timeoutMs }: { deadline: number; timeoutMs: number }, origin: Origin): void {
      const wait: Wait = { jobId, msg, saved: savedMsg, deadline, abort: new AbortController(), origin };
      waits.add(wait);
      status.begin('waiting');
      showWaiting();
      persist();
      let result: Promise<JobsDetail>;
      if (deadline > 0 && timeoutMs <= 0) {
        // Resumed after its deadline (Node-RED was stopped meanwhile).
        result = Promise.reject(new CiError({ code: ErrorCodes.WaitTimeout, message: RED._('wait.errors.expired', { jobId }), retryable: true }));
        if (cancelOnTimeout) {
          Promise.resolve().then(() => ci.client().cancel(jobId)).catch(() => undefined);
        }
      } else {
        result = watcher.wait(jobId, { timeoutMs: deadline > 0 ? timeoutMs : 0, signal: wait.abort.signal, cancelOnTimeout });
      }
      result.then((detail) => onDetail(wait, detail), (err: unknown) => onError(wait, err)).catch((err: Error) => node.error(err, msg));
    }

    /** Stops waiting for these jobs: their messages end quietly (done() without output). */
    function stopWaiting(jobIds: Set<string>): void {
      for (const wait of [...waits]) {
        if (!jobIds.has(wait.jobId)) continue;
        waits.delete(wait);
        wait.abort.abort();
        stoppedStatus(wait.jobId);
        finishPart(wait);
      }
      persist();
    }

    // ---- input ---------------------------------------------------------------------

    function timeoutMsOf(msg: NodeMessage): number {
      if (msg.timeout === undefined || msg.timeout === null || msg.timeout === '') return nodeTimeoutS * 1000;
      const s = seconds(msg.timeout);
      if (s === undefined) throw userError('wait.errors.timeout', { value: describeValue(msg.timeout) });
      return s * 1000;
    }

    /** One job of a message naming several: a copy of the message holding that job's detail. */
    function messageFor(msg: NodeMessage, ref: JobRef): NodeMessage {
      const copy = RED.util.cloneMessage(msg);
      if (ref.detail) copy.payload = ref.detail;
      copy.jobId = ref.jobId;
      return copy;
    }

    async function handle(msg: NodeMessage, send: SendFn, done: DoneFn): Promise<void> {
      const configured = property ? await evaluate(RED, node, msg, property, propertyType) : undefined;
      const refs = jobRefsOf(configured, msg);
      if (refs.kind === 'empty') {
        throw userError('wait.errors.noJobId', { property: property ? `${propertyType}.${property}` : 'msg.jobId' });
      }
      if (refs.kind === 'invalid') throw userError('wait.errors.invalidJobId', { value: describeValue(refs.value) });
      const ids = new Set(refs.jobs.map((ref) => ref.jobId));

      if (msg.cancel === true || msg.reset === true) {
        const ci = msg.cancel === true ? connectionOf(RED, def.config) : undefined;
        if (msg.cancel === true && !ci) throw userError('common.errors.noConfig', {}, 'MissingConfig');
        stopWaiting(ids);
        if (ci) {
          const client = ci.client();
          const results = await Promise.allSettled([...ids].map((jobId) => client.cancel(jobId)));
          const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
          if (failed) throw failed.reason;
        }
        done();
        return;
      }

      const ci = connectionOf(RED, def.config);
      if (!ci) throw userError('common.errors.noConfig', {}, 'MissingConfig');
      const timeoutMs = timeoutMsOf(msg);
      const watcher = ci.watcher(); // throws when credentials are missing
      const limit = { timeoutMs, deadline: timeoutMs > 0 ? Date.now() + timeoutMs : 0 };
      const several = refs.jobs.length > 1;
      const origin: Origin = { open: refs.jobs.length, send, done, several };
      for (const ref of refs.jobs) {
        const m = several ? messageFor(msg, ref) : msg;
        start(ci, watcher, ref.jobId, m, jsonSafeMessage(m), limit, origin);
      }
    }

    node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      handle(msg, send, done).catch((err: Error) => done(err));
    });

    // ---- resume after a restart or redeploy ----------------------------------------

    function resume(entry: SavedWait): void {
      const msg = RED.util.cloneMessage(entry.msg) as NodeMessage;
      msg.resumed = true;
      const origin: Origin = {
        open: 1,
        several: false,
        send: (m) => node.send(m),
        done: (err) => {
          if (err) node.error(err, msg);
        },
      };
      try {
        const ci = connectionOf(RED, def.config);
        if (!ci) throw userError('common.errors.noConfig', {}, 'MissingConfig');
        const left = entry.deadline > 0 ? entry.deadline - Date.now() : 0;
        start(ci, ci.watcher(), entry.jobId, msg, entry.msg, { deadline: entry.deadline, timeoutMs: left }, origin);
      } catch (err) {
        node.error(err, msg);
      }
    }

    // Resume once every node of the flows exists (messages sent earlier could be lost): on
    // `flows:started`, or at close if that comes first.
    let flowsStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      flowsStarted = () => resolve();
    });
    const events = (RED as NodeAPI & { events?: RuntimeEvents }).events;
    if (events) events.once('flows:started', flowsStarted);
    else setImmediate(flowsStarted);

    const restoring = saved.read().then(
      async (value) => {
        await started;
        const list = savedWaits(value);
        if (closing) {
          unresumed = list;
          return;
        }
        for (const entry of list) resume(entry);
        if (list.length > 0) persist(); // drops entries that could not be resumed
      },
      (err: Error) => node.warn(RED._('wait.warn.restoreFailed', { error: err.message })),
    );
    saved.hold(restoring);

    // ---- close ---------------------------------------------------------------------

    node.on('close', (removed: boolean, done: () => void) => {
      atClose = removed ? [] : running();
      closing = true;
      events?.removeListener('flows:started', flowsStarted);
      flowsStarted();
      const stopped = [...waits];
      waits.clear();
      for (const wait of stopped) {
        wait.abort.abort();
        finishPart(wait);
      }
      status.clear();
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(guard);
        done();
      };
      const guard = setTimeout(finish, CLOSE_GUARD_MS);
      // Not removed: keep the waits for the next start. Removed: forget them.
      saved.saveNow(() => (removed ? undefined : entries())).then(finish, finish);
    });
  }

  RED.nodes.registerType(NODE_TYPE, WaitNode as unknown as (this: Node, def: NodeDef) => void);
};
