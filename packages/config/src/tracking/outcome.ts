/**
 * How a wait ends, and what that means for the msg, the output and the node status: one
 * mapping for the job nodes ("when the job ends") and the wait node.
 *
 * - Success: output 1.
 * - Failed, Cancel: output 2, with CI's Code and Message in msg.payload.
 * - Timeout: output 2, msg.ci.state "Timeout", msg.error { code: WaitTimeout }.
 * - Anything else (unknown job, no config, a describe error that no retry can fix): an
 *   error for Catch, with the msg.
 *
 * Every msg sent carries `msg.ci.deliveryId` (`<JobId>:<final state>`), stable across
 * restarts, so a flow can recognise the one delivery a crash may repeat.
 */
import { ErrorCodes, isTerminalState, type JobsDetail } from '@node-red-tencent-ci/core';
import type { NodeMessage } from '../node-red';
import { isObject } from '@node-red-tencent-ci/core';
import type { DeliveredState } from './saved-wait';

export type Outcome = { kind: 'detail'; detail: JobsDetail } | { kind: 'timeout'; message: string } | { kind: 'error'; error: Error };

export interface Delivery {
  /** Output index: 0 = Success, 1 = Failed, Cancel or timeout. */
  port: 0 | 1;
  /** What the node status says (see endedStatus in ../status.ts). */
  shown: 'success' | 'failed' | 'cancelled' | 'timeout';
  /** CI's Code of a failed job. */
  code?: string;
}

/** The final state an outcome delivers (undefined for an error). */
export function deliveredState(outcome: Outcome): DeliveredState | undefined {
  if (outcome.kind === 'timeout') return 'Timeout';
  if (outcome.kind === 'detail') return isTerminalState(outcome.detail.State) ? outcome.detail.State : undefined;
  return undefined;
}

function deliveryId(jobId: string, state: string): string {
  return `${jobId}:${state}`;
}

/** What the previous node put in msg.ci, kept (requestId, tag), minus what this delivery sets. */
function previousCi(msg: NodeMessage): Record<string, unknown> {
  const ci = isObject(msg.ci) ? { ...msg.ci } : {};
  delete ci.timedOut;
  delete ci.redelivered;
  return ci;
}

/**
 * Fills `msg` for a Success, Failed, Cancel or timeout outcome and answers where it goes.
 * `redelivered`: a delivery of this wait may have been sent before a crash.
 */
export function applyOutcome(msg: NodeMessage, jobId: string, outcome: Exclude<Outcome, { kind: 'error' }>, redelivered = false): Delivery {
  const ci = previousCi(msg);
  msg.jobId = jobId;
  const flag = redelivered ? { redelivered: true } : {};
  if (outcome.kind === 'timeout') {
    const tag = typeof ci.tag === 'string' ? ci.tag : isObject(msg.payload) && typeof msg.payload.Tag === 'string' ? msg.payload.Tag : undefined;
    msg.ci = { ...ci, ...(tag ? { tag } : {}), state: 'Timeout', timedOut: true, deliveryId: deliveryId(jobId, 'Timeout'), ...flag };
    msg.error = { message: outcome.message, code: ErrorCodes.WaitTimeout };
    return { port: 1, shown: 'timeout' };
  }
  const detail = outcome.detail;
  const state = String(detail.State);
  msg.payload = detail;
  msg.ci = { ...ci, tag: detail.Tag, state, deliveryId: deliveryId(jobId, state), ...flag };
  if (state === 'Success') return { port: 0, shown: 'success' };
  if (state === 'Cancel') return { port: 1, shown: 'cancelled' };
  return { port: 1, shown: 'failed', code: typeof detail.Code === 'string' && detail.Code && detail.Code !== 'Success' ? detail.Code : undefined };
}

/** `[msg, null]` or `[null, msg]`. */
export function toPorts(msg: NodeMessage, port: 0 | 1): Array<NodeMessage | null> {
  return port === 0 ? [msg, null] : [null, msg];
}
