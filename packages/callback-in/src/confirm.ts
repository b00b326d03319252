/**
 * When a callback's job is trusted with Confirm on. CI does not sign callbacks, so a job is
 * emitted only when the service reports it finished (Success, Failed or Cancel) and with the
 * same State and Code as the callback.
 */
import { isJobId, isTerminalState, type JobsDetail } from '@node-red-tencent-ci/core';

export type Verdict = 'confirmed' | 'notFound' | 'notTerminal' | 'mismatch';

/**
 * Why a claim is refused without asking the service: a callback reports a finished job, and
 * a JobId the service cannot know; undefined when it is worth asking.
 */
export function refusedUnasked(claimed: JobsDetail): 'notTerminal' | 'notFound' | undefined {
  if (!isTerminalState(claimed.State)) return 'notTerminal';
  if (!isJobId(claimed.JobId)) return 'notFound';
  return undefined;
}

/** The service's answer (`actual`, undefined when it does not know the job) judged against the claim. */
export function verdictOf(claimed: JobsDetail, actual: JobsDetail | undefined): Verdict {
  if (!actual) return 'notFound';
  if (actual.State !== claimed.State || (actual.Code ?? '') !== (claimed.Code ?? '')) return 'mismatch';
  if (!isTerminalState(actual.State)) return 'notTerminal';
  return 'confirmed';
}
