/**
 * The runtime every job node shares: one descriptor in, one Node-RED node type out.
 * Node settings give the job parameters, `msg.ciParams` overrides them per message
 * (unless the node blocks overrides), the job is submitted through the config node's
 * client and, optionally, awaited through its JobWatcher (which callback-in feeds too).
 */
import { CiError, ErrorCodes, getDescriptor, type JobsDetail, type JobTag } from '@node-red-tencent-ci/core';
import { CONFIG_TYPE, type CiConnection } from './config-node';
import { mergeParams, paramsFromNode } from './fields';
import { resolveInput } from './input';
import type { DoneFn, Node, NodeAPI, NodeDef, NodeMessage, SendFn } from './node-red';
import { StatusTracker } from './status';

export interface JobNodeOptions {
  /** Node type, e.g. `tencent-ci-snapshot`. */
  type: string;
  tag: JobTag;
}

export interface JobNodeProps extends NodeDef {
  config?: string;
  input?: string;
  inputType?: string;
  /** `none`: emit when submitted; `result`: emit when the job ends. */
  wait?: 'none' | 'result';
  /** Seconds to wait for the result (0 = no limit). */
  timeout?: number | string;
  cancelOnTimeout?: boolean;
  blockOverrides?: boolean;
}

/** The config node's runtime, or undefined. */
export function connectionOf(RED: NodeAPI, id: unknown): CiConnection | undefined {
  if (typeof id !== 'string' || !id) return undefined;
  const node = RED.nodes.getNode(id) as { type?: string; ci?: CiConnection } | null;
  return node && node.type === CONFIG_TYPE ? node.ci : undefined;
}

function evaluate(RED: NodeAPI, node: Node, msg: NodeMessage, value: string, type: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // A msg path through a missing parent (msg.file.key without msg.file) is simply empty.
    const failed = (err: unknown) => (type === 'msg' ? resolve(undefined) : reject(err));
    try {
      RED.util.evaluateNodeProperty(value, type, node, msg, (err, result) => (err ? failed(err) : resolve(result)));
    } catch (err) {
      failed(err);
    }
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** An Error whose message is what the user reads in the debug sidebar and Catch node; keeps `code`. */
function userError(RED: NodeAPI, key: string, substitutions: Record<string, unknown> = {}, code = 'InvalidArgument'): CiError {
  return new CiError({ code, message: RED._(`common.errors.${key}`, substitutions) });
}

export function registerJobNode(RED: NodeAPI, options: JobNodeOptions): void {
  const descriptor = getDescriptor(options.tag);
  const acceptsUrl = 'Url' in descriptor.input;
  const outputTemplate = 'Output' in descriptor.operation;

  function JobNode(this: Node, def: JobNodeProps): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const status = new StatusTracker(RED, node);
    const baseParams = paramsFromNode(descriptor, def);
    const waitForResult = def.wait === 'result';
    const timeoutMs = Math.max(0, Number(def.timeout ?? 600) || 0) * 1000;
    const pending = new Set<AbortController>();
    let closing = false;

    async function paramsFor(msg: NodeMessage, ci: CiConnection): Promise<Record<string, unknown>> {
      const raw = await evaluate(RED, node, msg, def.input || 'payload', def.inputType || 'msg');
      const resolved = resolveInput(raw, acceptsUrl);
      if ('error' in resolved) {
        throw userError(RED, `input.${resolved.error}`, { property: `${def.inputType || 'msg'}.${def.input || 'payload'}` });
      }
      let params: Record<string, unknown> = { ...baseParams, Input: resolved.input };
      if (msg.ciParams !== undefined && !def.blockOverrides) {
        if (!isObject(msg.ciParams)) throw userError(RED, 'ciParams');
        params = { ...params, Operation: mergeParams(isObject(params.Operation) ? params.Operation : {}, msg.ciParams) };
      }
      const operation = isObject(params.Operation) ? { ...params.Operation } : undefined;
      // Results go to the config node's bucket unless the node or the message says otherwise.
      if (outputTemplate && operation && (descriptor.tag === 'Snapshot' || isObject(operation.Output))) {
        operation.Output = { Region: ci.region, Bucket: ci.bucket, ...(isObject(operation.Output) ? operation.Output : {}) };
      }
      if (operation) params.Operation = operation;
      return params;
    }

    async function handle(msg: NodeMessage, send: SendFn, done: DoneFn): Promise<void> {
      const ci = connectionOf(RED, def.config);
      if (!ci) throw userError(RED, 'noConfig', {}, 'MissingConfig');
      const params = await paramsFor(msg, ci);
      status.begin('submitting');
      let submitted: { JobsDetail: JobsDetail; requestId?: string };
      try {
        submitted = await ci.client().submit(options.tag, params);
      } catch (err) {
        status.end({ fill: 'red', shape: 'ring', key: 'error', detail: (err as CiError).code ?? '' });
        throw err;
      }
      const detail = submitted.JobsDetail;
      msg.payload = detail;
      msg.jobId = detail.JobId;
      msg.ci = { requestId: submitted.requestId, tag: options.tag, state: detail.State };
      if (!waitForResult) {
        status.end({ fill: 'green', shape: 'dot', key: 'submitted', detail: detail.JobId });
        send(msg);
        done();
        return;
      }
      status.show('blue', 'ring', 'waiting');
      const abort = new AbortController();
      pending.add(abort);
      try {
        const final = await ci.watcher().wait(detail.JobId, { timeoutMs, signal: abort.signal, cancelOnTimeout: Boolean(def.cancelOnTimeout) });
        msg.payload = final;
        msg.ci = { ...(msg.ci as object), state: final.State };
        const ok = final.State === 'Success';
        status.end({ fill: ok ? 'green' : 'red', shape: ok ? 'dot' : 'ring', key: ok ? 'success' : 'failed', detail: ok ? detail.JobId : `${final.State} ${final.Code ?? ''}`.trim() });
        send(ok ? [msg, null] : [null, msg]);
        done();
      } catch (err) {
        const code = (err as CiError).code;
        if (code === ErrorCodes.Aborted || (closing && code === ErrorCodes.WatcherClosed)) {
          done(); // the node is closing: the message ends here, quietly
          return;
        }
        if (code === ErrorCodes.WaitTimeout) {
          msg.ci = { ...(msg.ci as object), state: 'Timeout', timedOut: true };
          msg.error = { message: (err as Error).message, code };
          status.end({ fill: 'yellow', shape: 'ring', key: 'timeout', detail: detail.JobId });
          send([null, msg]);
          done();
          return;
        }
        status.end({ fill: 'red', shape: 'ring', key: 'error', detail: code ?? '' });
        throw err;
      } finally {
        pending.delete(abort);
      }
    }

    node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      handle(msg, send, done).catch((err: Error) => done(err));
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      closing = true;
      for (const abort of pending) abort.abort();
      pending.clear();
      status.clear();
      done();
    });
  }

  RED.nodes.registerType(options.type, JobNode as unknown as (this: Node, def: NodeDef) => void);
}
