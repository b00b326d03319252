/**
 * Shared scaffolding of the JobWatcher suites: a scripted fake describer, job details,
 * timer counting, and watchers that are closed after each test (which also fails on any
 * unhandled rejection).
 */
import assert from 'node:assert/strict';

import { CiError } from '../../src/errors';
import type { JobsDetail } from '../../src/types';
import { JobWatcher, type DescriberAnswer, type JobDescriber } from '../../src/watcher';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function detail(jobId: string, state: string): JobsDetail {
  return {
    JobId: jobId,
    Tag: 'MediaInfo',
    State: state,
    Code: state === 'Failed' ? 'InternalError' : 'Success',
    Message: state === 'Failed' ? 'transcode failed' : '',
  };
}

export function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

/** Active timers before the watcher exists (after a turn, so mocha's own test timer is counted). */
export async function timeoutBaseline(): Promise<number> {
  await nextTurn();
  return activeTimeouts();
}

/**
 * Answers describe calls from a script: script[jobId] lists the state the job reports at its
 * 1st, 2nd, … describe (the last one repeats; `missing` = reported in NonExistJobIds).
 * Jobs without a script follow `fallback`. `failures` are thrown by the next calls, in order.
 */
export class FakeDescriber implements JobDescriber {
  readonly calls: { ids: string[]; at: number }[] = [];
  readonly cancels: string[] = [];
  readonly failures: unknown[] = [];
  /** A request that includes one of these ids throws its error (after `failures` are used up). */
  readonly poison = new Map<string, unknown>();
  delayMs = 0;
  inFlight = 0;
  maxInFlight = 0;
  private readonly answered = new Map<string, number>();

  constructor(
    private readonly script: Record<string, string[]> = {},
    private readonly fallback: string[] = ['Running'],
  ) {}

  async describe(ids: string[]): Promise<DescriberAnswer> {
    this.calls.push({ ids: [...ids], at: Date.now() });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.delayMs > 0) await sleep(this.delayMs);
      if (this.failures.length > 0) throw this.failures.shift();
      for (const id of ids) if (this.poison.has(id)) throw this.poison.get(id);
      const result: DescriberAnswer = { JobsDetail: [] };
      for (const id of ids) {
        const n = this.answered.get(id) ?? 0;
        this.answered.set(id, n + 1);
        const states = this.script[id] ?? this.fallback;
        const state = states[Math.min(n, states.length - 1)]!;
        if (state === 'missing') (result.NonExistJobIds ??= []).push(id);
        else result.JobsDetail.push(detail(id, state));
      }
      return result;
    } finally {
      this.inFlight -= 1;
    }
  }

  async cancel(jobId: string): Promise<unknown> {
    this.cancels.push(jobId);
    throw new CiError({ code: 'InvalidArgument', message: 'The job provided can not be modified', status: 400 });
  }

  /** How many describe calls included this id. */
  checksOf(jobId: string): number {
    return this.calls.filter((call) => call.ids.includes(jobId)).length;
  }
}

export type WatcherOptions = ConstructorParameters<typeof JobWatcher>[1];

/**
 * Registers the hooks of a suite and returns its watcher factory (fast intervals unless
 * told otherwise). Call inside a `describe`.
 */
export function useWatchers(): (describer: JobDescriber, options?: WatcherOptions) => JobWatcher {
  const watchers: JobWatcher[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  function watcher(describer: JobDescriber, options: WatcherOptions = {}): JobWatcher {
    const w = new JobWatcher(describer, { minIntervalMs: 10, maxIntervalMs: 40, ...options });
    watchers.push(w);
    return w;
  }

  before(() => process.on('unhandledRejection', onUnhandled));
  after(() => process.off('unhandledRejection', onUnhandled));
  afterEach(async () => {
    for (const w of watchers.splice(0)) w.close();
    await nextTurn();
    assert.deepEqual(unhandled.splice(0), [], 'no unhandled rejection');
  });

  return watcher;
}
