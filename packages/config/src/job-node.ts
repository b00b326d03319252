/**
 * The runtime every job node shares: one descriptor in, one Node-RED node type out.
 * Node settings give the job parameters, `msg.ciParams` overrides them per message
 * (unless the node blocks overrides), the job is submitted through the config node's
 * client and, in "when the job ends" mode, awaited through the JobTracker, which keeps the
 * wait across redeploys, restarts and crashes. A Success output lists what the job wrote in
 * `msg.ci.outputs`, with links (job-outputs.ts).
 */
import { CiError, getDescriptor, isObject, nodeTypeOf, type FieldSpec, type InstantTag, type JobsDetail, type JobTag } from '@node-red-tencent-ci/core';
import type { CiConnection } from './config-node';
import { connectionOf } from './connection';
import { mergeParams, paramsFromNode } from './fields';
import { resolveInput } from './input';
import { callInstant, instantParams } from './instant-call';
import { attachImages, linkedOutputs, outputSettings, type OutputProblems } from './job-outputs';
import type { DoneFn, Node, NodeAPI, NodeDef, NodeMessage, SendFn } from './node-red';
import { endWithError } from './node-error';
import { evaluateProperty } from './node-property';
import { registerNodeType } from './register';
import { StatusTracker } from './status';
import { JobTracker } from './tracking/job-tracker';

export interface JobNodeProps extends NodeDef {
  config?: string;
  input?: string;
  inputType?: string;
  /**
   * `none`: emit when submitted; `result` (the default, as in the editor): emit when the job
   * ends; `instant`: no job, the job type's instant API answers at once (MediaInfo, Snapshot).
   */
  wait?: 'none' | 'result' | 'instant';
  /** Seconds to wait for the result (0 = no limit). */
  timeout?: number | string;
  cancelOnTimeout?: boolean;
  blockOverrides?: boolean;
  /** Context store for the waits in progress; blank = the default store. */
  store?: string;
  /** Seconds the links in `msg.ci.outputs` stay valid (default 3600). */
  linkValidity?: number | string;
  /** Add the bytes of image outputs to `msg.ci.outputs` as `data` (default false). */
  attachImages?: boolean;
  /** The most MiB of images one message carries (default 5). */
  attachLimit?: number | string;
}

/**
 * The Operation containers with fields the config node fills when left blank (Output's
 * Region and Bucket, `fromConfig` in the descriptor), and whether the job always sends them.
 */
function configFilled(operation: Readonly<Record<string, FieldSpec>>): Array<{ name: string; required: boolean; fill: Array<[string, 'region' | 'bucket']> }> {
  return Object.entries(operation).flatMap(([name, spec]) => {
    const fill = Object.entries(spec.fields ?? {}).flatMap(([child, c]) => (c.fromConfig ? [[child, c.fromConfig] as [string, 'region' | 'bucket']] : []));
    return fill.length > 0 ? [{ name, required: Boolean(spec.required), fill }] : [];
  });
}

/** An Error whose message is what the user reads in the debug sidebar and Catch node; keeps `code`. */
function userError(RED: NodeAPI, key: string, substitutions: Record<string, unknown> = {}, code = 'InvalidArgument'): CiError {
  return new CiError({ code, message: RED._(`common.errors.${key}`, substitutions) });
}

/** Registers the node type of a job type (`tencent-ci-snapshot` for Snapshot), driven by its core descriptor. */
export function registerJobNode(RED: NodeAPI, tag: JobTag): void {
  const descriptor = getDescriptor(tag);
  const acceptsUrl = 'Url' in descriptor.input;
  const filled = configFilled(descriptor.operation);

  function JobNode(this: Node, def: JobNodeProps): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const status = new StatusTracker(RED, node);
    const baseParams = paramsFromNode(descriptor, def);
    // "At once, without a job": the job type's instant API (instant-call.ts).
    const instant = def.wait === 'instant';
    const waitForResult = def.wait !== 'none' && !instant;
    const timeoutMs = Math.max(0, Number(def.timeout ?? 600) || 0) * 1000;
    const tracker = waitForResult
      ? new JobTracker(RED, node, {
          config: def.config,
          store: typeof def.store === 'string' && def.store.trim() ? def.store.trim() : undefined,
          cancelOnTimeout: Boolean(def.cancelOnTimeout),
          status,
          // A Success result gets its outputs before it is sent (fresh and resumed waits alike).
          prepare: (msg, delivery) => (delivery.port === 0 && isObject(msg.ci) && msg.ci.state === 'Success' ? addOutputs(msg) : undefined),
        })
      : undefined;
    const outputs = outputSettings(def);

    /**
     * Fills `msg.ci.outputs` of a Success result; answers a promise while images are being
     * read. Warns once per msg for images left out and for links or images that failed.
     */
    function addOutputs(msg: NodeMessage): Promise<void> | undefined {
      const ci = connectionOf(RED, def.config);
      const problems: OutputProblems = { leftOut: 0, failed: 0 };
      const entries = ci ? linkedOutputs(msg.payload as JobsDetail, ci, outputs, problems) : [];
      (msg.ci as Record<string, unknown>).outputs = entries;
      const warn = () => {
        if (problems.leftOut > 0) {
          node.warn(RED._('common.outputFiles.leftOut', { count: problems.leftOut, limit: Number((outputs.attachMaxBytes / 1048576).toFixed(2)) }));
        }
        if (problems.failed > 0) node.warn(RED._('common.outputFiles.failed', { count: problems.failed, error: problems.firstError ?? '' }));
      };
      if (!ci || !outputs.attachImages || entries.length === 0) {
        warn();
        return undefined;
      }
      return attachImages(entries, ci, outputs.attachMaxBytes, problems)
        .catch((err: unknown) => {
          problems.failed += 1;
          problems.firstError ??= (err as Error)?.message;
        })
        .then(warn);
    }

    /** The node's input property for `msg`, as `Request.Input`. */
    async function inputOf(msg: NodeMessage): Promise<{ Object?: string; Url?: string }> {
      const inputType = def.inputType || 'msg';
      // A msg path through a missing parent (msg.file.key without msg.file) is simply empty.
      const raw = await evaluateProperty(RED, node, msg, def.input || 'payload', inputType).catch((err: unknown) => {
        if (inputType === 'msg') return undefined;
        throw err;
      });
      const resolved = resolveInput(raw, acceptsUrl);
      if ('error' in resolved) {
        throw userError(RED, `input.${resolved.error}`, { property: `${def.inputType || 'msg'}.${def.input || 'payload'}` });
      }
      return resolved.input;
    }

    async function paramsFor(msg: NodeMessage, ci: CiConnection): Promise<Record<string, unknown>> {
      let params: Record<string, unknown> = { ...baseParams, Input: await inputOf(msg) };
      if (msg.ciParams !== undefined && !def.blockOverrides) {
        if (!isObject(msg.ciParams)) throw userError(RED, 'ciParams');
        params = { ...params, Operation: mergeParams(isObject(params.Operation) ? params.Operation : {}, msg.ciParams) };
      }
      const operation = isObject(params.Operation) ? { ...params.Operation } : undefined;
      // Results go to the config node's bucket unless the node or the message says otherwise.
      for (const { name, required, fill } of operation ? filled : []) {
        const given = operation![name];
        if (!required && !isObject(given)) continue;
        const defaults = Object.fromEntries(fill.map(([child, from]) => [child, ci[from]]));
        operation![name] = { ...defaults, ...(isObject(given) ? given : {}) };
      }
      if (operation) params.Operation = operation;
      return params;
    }

    /** The instant mode: the input object's answer at once, on output 1 (errors go to Catch, as a refused submit's do). */
    async function handleInstant(msg: NodeMessage, ci: CiConnection, send: SendFn, done: DoneFn): Promise<void> {
      if (!descriptor.instant) throw userError(RED, 'noInstant', { tag });
      const input = await inputOf(msg);
      if (!input.Object) throw userError(RED, 'instantUrl');
      if (msg.ciParams !== undefined && !def.blockOverrides && !isObject(msg.ciParams)) throw userError(RED, 'ciParamsInstant');
      const params = instantParams(descriptor, def, def.blockOverrides ? undefined : msg.ciParams);
      status.begin('requesting');
      try {
        await callInstant(ci, tag as InstantTag, input.Object, params, msg);
      } catch (err) {
        status.end({ fill: 'red', shape: 'ring', key: 'error', code: (err as CiError).code });
        throw err;
      }
      status.end({ fill: 'green', shape: 'dot', key: 'answered' });
      // One output in this mode, as with "as soon as the job is submitted" (the editor sets outputs: 1).
      send(msg);
      done();
    }

    async function handle(msg: NodeMessage, send: SendFn, done: DoneFn): Promise<void> {
      const ci = connectionOf(RED, def.config);
      if (!ci) throw userError(RED, 'noConfig', {}, 'MissingConfig');
      if (instant) return handleInstant(msg, ci, send, done);
      const params = await paramsFor(msg, ci);
      status.begin('submitting');
      let submitted: { JobsDetail: JobsDetail; requestId?: string };
      try {
        submitted = await ci.client().submit(tag, params);
      } catch (err) {
        status.end({ fill: 'red', shape: 'ring', key: 'error', code: (err as CiError).code });
        throw err;
      }
      const detail = submitted.JobsDetail;
      msg.payload = detail;
      msg.jobId = detail.JobId;
      msg.ci = { requestId: submitted.requestId, tag: tag, state: detail.State };
      if (!tracker) {
        status.end({ fill: 'green', shape: 'dot', key: 'submitted', jobId: detail.JobId });
        send(msg);
        done();
        return;
      }
      // The tracker keeps the wait (and saves it) from here on; `done` comes with the result.
      status.release();
      await tracker.track(detail.JobId, msg, { timeoutMs, completion: { send, done } });
    }

    node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      handle(msg, send, done).catch((err: unknown) => endWithError(RED, node, done, err));
    });

    node.on('close', (removed: boolean, done: () => void) => {
      if (!tracker) {
        status.clear();
        done();
        return;
      }
      tracker.close(removed).then(done, done);
    });
  }

  registerNodeType(RED, nodeTypeOf(tag), JobNode);
}
