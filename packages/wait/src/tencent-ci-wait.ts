/**
 * Node-RED module: the `tencent-ci-wait` node. It waits for CI jobs to end and sends each
 * message on with the terminal JobsDetail: output 1 Success, output 2 Failed, Cancel or
 * timeout. The config package's JobTracker does the waiting (batched describes through the
 * config node's JobWatcher, settled at once by callbacks), keeps each wait in the node's
 * context store, and resumes it after a redeploy, a restart or a crash (`msg.resumed`).
 */
import { CiError, describeValue, numberSetting } from '@node-red-tencent-ci/core';
import {
  connectionOf,
  JobTracker,
  endWithError,
  evaluateProperty,
  registerNodeType,
  StatusTracker,
  type Completion,
  type DoneFn,
  type Node,
  type NodeAPI,
  type NodeDef,
  type NodeMessage,
  type SendFn,
} from '@node-red-tencent-ci/config';
import { jobRefsOf, type JobRef } from './job-ids';

const NODE_TYPE = 'tencent-ci-wait';

/** Seconds a wait lasts when the node does not say. */
const DEFAULT_TIMEOUT_S = 600;

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

/** A number of seconds >= 0 from a number or numeric text, else undefined. */
function seconds(value: unknown): number | undefined {
  const n = numberSetting(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * One input message's completions, one per job it names: its `done` is called once, when
 * the last of them ends. With several jobs, each job's error goes to Catch with that job's
 * message; with one, the error ends the input message.
 */
function completionsFor(node: Node, send: SendFn, done: DoneFn, msgs: NodeMessage[]): Completion[] {
  let open = msgs.length;
  let error: Error | string | undefined;
  const several = msgs.length > 1;
  return msgs.map((msg) => ({
    send,
    done: (err?: Error | string) => {
      if (err) {
        if (several) node.error(err, msg);
        else error = err;
      }
      open -= 1;
      if (open === 0) (done as Completion['done'])(error);
    },
  }));
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
    const property = typeof def.jobId === 'string' ? def.jobId.trim() : '';
    const propertyType = def.jobIdType || 'msg';
    const tracker = new JobTracker(RED, node, {
      config: def.config,
      store: typeof def.store === 'string' && def.store.trim() ? def.store.trim() : undefined,
      cancelOnTimeout: def.cancelOnTimeout === true,
      status,
    });

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
      const configured = property ? await evaluateProperty(RED, node, msg, property, propertyType) : undefined;
      const refs = jobRefsOf(configured, msg);
      if (refs.kind === 'empty') {
        throw userError('wait.errors.noJobId', { property: property ? `${propertyType}.${property}` : 'msg.jobId' });
      }
      if (refs.kind === 'invalid') throw userError('wait.errors.invalidJobId', { value: describeValue(refs.value) });
      const ids = new Set(refs.jobs.map((ref) => ref.jobId));

      if (msg.cancel === true || msg.reset === true) {
        const ci = msg.cancel === true ? connectionOf(RED, def.config) : undefined;
        if (msg.cancel === true && !ci) throw userError('common.errors.noConfig', {}, 'MissingConfig');
        tracker.stop(ids);
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
      ci.watcher(); // throws when credentials are missing
      const msgs = refs.jobs.length > 1 ? refs.jobs.map((ref) => messageFor(msg, ref)) : [msg];
      const completions = completionsFor(node, send, done, msgs);
      await Promise.all(refs.jobs.map((ref, i) => tracker.track(ref.jobId, msgs[i]!, { timeoutMs, completion: completions[i]! })));
    }

    node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      handle(msg, send, done).catch((err: unknown) => endWithError(RED, node, done, err));
    });

    node.on('close', (removed: boolean, done: () => void) => {
      tracker.close(removed).then(done, done);
    });
  }

  registerNodeType(RED, NODE_TYPE, WaitNode);
};
