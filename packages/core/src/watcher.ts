/**
 * JobWatcher: waits for many CI jobs to reach a terminal state at a cost that does not
 * grow per job.
 *
 * - One timer for the whole watcher, re-armed to the earliest due time among job check
 *   times and wait deadlines; no timer is armed while nothing waits.
 * - Due jobs are grouped into describe requests of up to `batchSize` ids
 *   (`GET /jobs/id1,id2,…`, ci-api.md §4.1), with at most `maxConcurrentRequests` in flight.
 * - Each job's check interval starts at `minIntervalMs` and grows by `backoff` after every
 *   non-terminal answer, up to `maxIntervalMs`.
 * - `notify()` settles waits at once from callback bodies, and remembers terminal details
 *   for a while so a wait registered after its callback still settles at once.
 *
 * Failed and Cancel jobs resolve (with their JobsDetail); only the watcher's own problems
 * (timeout, abort, unknown job, non-retryable describe error, close) reject.
 */

import { CiError, ErrorCodes } from './errors';
import { isTerminalState, type JobsDetail } from './types';

/** What a describe request answers (ci-api.md §4.1). */
export interface DescribeResult {
  JobsDetail: JobsDetail[];
  /** Ids asked for that the service does not know. */
  NonExistJobIds?: string[];
}

/** What the watcher needs from a client; `CiClient` satisfies it. */
export interface JobDescriber {
  /** Describe these jobs in ONE request (the watcher does the batching). */
  describe(jobIds: string[]): Promise<DescribeResult>;
  /** Cancel a job; used only for `cancelOnTimeout`. */
  cancel?(jobId: string): Promise<unknown>;
}

export interface JobWatcherOptions {
  /** First check of a job after this many ms; default 1000. */
  minIntervalMs?: number;
  /** The interval grows by `backoff` per check up to this; default 15000. */
  maxIntervalMs?: number;
  /** Interval multiplier after each non-terminal answer; default 1.5. */
  backoff?: number;
  /** Ids per describe request; default 50. */
  batchSize?: number;
  /** Describe requests in flight at once; default 2. */
  maxConcurrentRequests?: number;
  /** Timeout of a wait without its own `timeoutMs`; default 30 min; 0 = none. */
  defaultTimeoutMs?: number;
  /**
   * A job reported in `NonExistJobIds` is checked this many more times before its waits
   * fail with JobNotFound (jobs can be briefly invisible right after submit); default 3.
   */
  notFoundRetries?: number;
  /**
   * How long a terminal JobsDetail learned from notify()/describe is remembered so that a
   * later wait() for it settles at once; default 10 min; 0 = not remembered. At most 1000
   * details are kept (least recently stored/used dropped first).
   */
  recentTtlMs?: number;
  /** Clock, for tests; default Date.now. */
  now?: () => number;
}

export interface WaitOptions {
  /** Reject with WaitTimeout after this many ms; default the watcher's defaultTimeoutMs; 0 = none. */
  timeoutMs?: number;
  /** Abort rejects the wait with code Aborted. */
  signal?: AbortSignal;
  /** On timeout, cancel the job (fire and forget) unless another wait still waits for it. */
  cancelOnTimeout?: boolean;
}

export interface JobWatcherStats {
  /** Jobs being waited for. */
  jobs: number;
  /** Pending waits (several waits may share one job). */
  waits: number;
  /** Describe requests sent since the watcher was created. */
  requests: number;
  /** Describe requests in flight now. */
  inFlight: number;
}

/** Job ids go into a URL path joined by commas: only these characters are accepted. */
const JOB_ID_PATTERN = /^[A-Za-z0-9_-]+$/;
/** setTimeout's largest delay. */
const MAX_TIMER_DELAY = 2_147_483_647;
/** Most terminal details remembered. */
const RECENT_MAX = 1000;
/**
 * When a describe request is sent anyway and has room, jobs due within this fraction of
 * their interval ride along (checked slightly early) instead of needing their own request.
 */
const COALESCE_FRACTION = 0.25;

const DEFAULTS = {
  minIntervalMs: 1000,
  maxIntervalMs: 15_000,
  backoff: 1.5,
  batchSize: 50,
  maxConcurrentRequests: 2,
  defaultTimeoutMs: 30 * 60_000,
  notFoundRetries: 3,
  recentTtlMs: 10 * 60_000,
};

interface Waiter {
  readonly entry: Entry;
  /** Absolute time (watcher clock); Infinity = none. */
  readonly deadline: number;
  readonly timeoutMs: number;
  readonly cancelOnTimeout: boolean;
  readonly resolve: (detail: JobsDetail) => void;
  readonly reject: (error: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Entry {
  readonly jobId: string;
  readonly waiters: Set<Waiter>;
  interval: number;
  nextCheck: number;
  inFlight: boolean;
  lastState?: string;
  /** Consecutive answers that listed this job in NonExistJobIds. */
  notFound: number;
}

interface Remembered {
  detail: JobsDetail;
  at: number;
}

function invalidArgument(message: string): CiError {
  return new CiError({ code: 'InvalidArgument', message, retryable: false });
}

function checkNumber(name: string, value: number | undefined, fallback: number, min: number, integer = false): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    value >= min &&
    (integer ? Number.isInteger(value) : value === Infinity || Number.isFinite(value));
  if (!ok) {
    throw invalidArgument(`JobWatcher option ${name} is ${String(value)}; allowed: ${integer ? 'an integer' : 'a number'} >= ${min}`);
  }
  return value;
}

function formatSeconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

function byNextCheck(a: Entry, b: Entry): number {
  return a.nextCheck - b.nextCheck;
}

export class JobWatcher {
  private readonly describer: JobDescriber;
  private readonly minInterval: number;
  private readonly maxInterval: number;
  private readonly backoff: number;
  private readonly batchSize: number;
  private readonly maxConcurrent: number;
  private readonly defaultTimeout: number;
  private readonly notFoundRetries: number;
  private readonly recentTtl: number;
  private readonly now: () => number;

  private readonly entries = new Map<string, Entry>();
  /** Insertion order = least recently stored/used first. */
  private readonly recent = new Map<string, Remembered>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private waitCount = 0;
  private requestCount = 0;
  private inFlight = 0;
  private closed = false;

  constructor(describer: JobDescriber, options: JobWatcherOptions = {}) {
    if (!describer || typeof describer.describe !== 'function') {
      throw invalidArgument('JobWatcher needs a describer with a describe(jobIds) method');
    }
    this.describer = describer;
    this.minInterval = checkNumber('minIntervalMs', options.minIntervalMs, DEFAULTS.minIntervalMs, 1);
    this.maxInterval = checkNumber('maxIntervalMs', options.maxIntervalMs, Math.max(DEFAULTS.maxIntervalMs, this.minInterval), this.minInterval);
    this.backoff = checkNumber('backoff', options.backoff, DEFAULTS.backoff, 1);
    this.batchSize = checkNumber('batchSize', options.batchSize, DEFAULTS.batchSize, 1, true);
    this.maxConcurrent = checkNumber('maxConcurrentRequests', options.maxConcurrentRequests, DEFAULTS.maxConcurrentRequests, 1, true);
    this.defaultTimeout = checkNumber('defaultTimeoutMs', options.defaultTimeoutMs, DEFAULTS.defaultTimeoutMs, 0);
    this.notFoundRetries = checkNumber('notFoundRetries', options.notFoundRetries, DEFAULTS.notFoundRetries, 0, true);
    this.recentTtl = checkNumber('recentTtlMs', options.recentTtlMs, DEFAULTS.recentTtlMs, 0);
    if (options.now !== undefined && typeof options.now !== 'function') {
      throw invalidArgument('JobWatcher option now must be a function returning milliseconds');
    }
    this.now = options.now ?? Date.now;
  }

  /** Jobs being waited for. */
  get size(): number {
    return this.entries.size;
  }

  stats(): JobWatcherStats {
    return { jobs: this.entries.size, waits: this.waitCount, requests: this.requestCount, inFlight: this.inFlight };
  }

  /**
   * Resolves with the job's terminal JobsDetail (State Success, Failed or Cancel).
   * Rejects with a CiError: InvalidArgument, WaitTimeout, Aborted, JobNotFound,
   * WatcherClosed, or a non-retryable describe error.
   */
  wait(jobId: string, options: WaitOptions = {}): Promise<JobsDetail> {
    if (this.closed) return Promise.reject(this.closedError());
    if (typeof jobId !== 'string' || !JOB_ID_PATTERN.test(jobId)) {
      return Promise.reject(
        invalidArgument(`JobId ${JSON.stringify(jobId) ?? String(jobId)} is invalid; allowed: a non-empty string of A-Z, a-z, 0-9, _ and -`),
      );
    }
    const { timeoutMs, signal, cancelOnTimeout = false } = options ?? {};
    if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0)) {
      return Promise.reject(invalidArgument(`timeoutMs is ${String(timeoutMs)}; allowed: a number >= 0 (0 = no timeout)`));
    }
    if (signal?.aborted) return Promise.reject(this.abortedError(jobId, signal));

    const cached = this.recall(jobId);
    if (cached) return Promise.resolve(cached);

    const now = this.now();
    let entry = this.entries.get(jobId);
    if (!entry) {
      entry = { jobId, waiters: new Set(), interval: this.minInterval, nextCheck: now + this.minInterval, inFlight: false, notFound: 0 };
      this.entries.set(jobId, entry);
    }
    const timeout = timeoutMs ?? this.defaultTimeout;
    const deadline = timeout > 0 ? now + timeout : Infinity;
    const target = entry;

    return new Promise<JobsDetail>((resolve, reject) => {
      const waiter: Waiter = { entry: target, deadline, timeoutMs: timeout, cancelOnTimeout: cancelOnTimeout === true, resolve, reject };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          if (!target.waiters.has(waiter)) return;
          this.detach(waiter);
          reject(this.abortedError(jobId, signal));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      target.waiters.add(waiter);
      this.waitCount += 1;
      this.armAt(target.inFlight ? deadline : Math.min(target.nextCheck, deadline));
    });
  }

  /**
   * Settles the waits of every terminal detail at once and remembers it (see recentTtlMs).
   * Non-terminal details and values that are not details are ignored.
   * Returns how many waits settled.
   */
  notify(detail: JobsDetail | JobsDetail[]): number {
    if (this.closed) return 0;
    const details = Array.isArray(detail) ? detail : [detail];
    let settled = 0;
    for (const d of details) {
      if (!d || typeof d !== 'object' || typeof d.JobId !== 'string' || !isTerminalState(d.State)) continue;
      this.remember(d);
      const entry = this.entries.get(d.JobId);
      if (entry) settled += this.settle(entry, d);
    }
    return settled;
  }

  /** Clears the timer, rejects every pending wait with WatcherClosed; later waits reject the same way. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    const entries = [...this.entries.values()];
    this.entries.clear();
    this.recent.clear();
    const error = this.closedError();
    for (const entry of entries) this.fail(entry, error);
  }

  // ---- schedule -------------------------------------------------------------------

  /** Expires waits, sends due describes, re-arms the timer. */
  private pump(): void {
    if (this.closed) return;
    const now = this.now();
    const due: Entry[] = [];
    const soon: Entry[] = [];
    for (const entry of this.entries.values()) {
      for (const waiter of entry.waiters) {
        if (waiter.deadline <= now) this.expire(waiter);
      }
      if (entry.waiters.size === 0 || entry.inFlight) continue;
      if (entry.nextCheck <= now) due.push(entry);
      else if (entry.nextCheck - now <= entry.interval * COALESCE_FRACTION) soon.push(entry);
    }
    if (due.length > 0 && this.inFlight < this.maxConcurrent) {
      due.sort(byNextCheck);
      soon.sort(byNextCheck);
      let d = 0;
      let s = 0;
      while (d < due.length && this.inFlight < this.maxConcurrent) {
        const batch = due.slice(d, d + this.batchSize);
        d += batch.length;
        while (batch.length < this.batchSize && s < soon.length) batch.push(soon[s++]!);
        this.send(batch);
      }
    }
    this.rearm();
  }

  /** Arms the timer for the earliest deadline and (when a request could be sent) check time. */
  private rearm(): void {
    let next = Infinity;
    const canSend = this.inFlight < this.maxConcurrent;
    for (const entry of this.entries.values()) {
      if (canSend && !entry.inFlight && entry.nextCheck < next) next = entry.nextCheck;
      for (const waiter of entry.waiters) {
        if (waiter.deadline < next) next = waiter.deadline;
      }
    }
    if (next === Infinity) {
      this.clearTimer();
    } else if (next !== this.timerAt || !this.timer) {
      this.clearTimer();
      this.setTimer(next);
    }
  }

  /** Makes sure the timer fires no later than `at`. */
  private armAt(at: number): void {
    if (at === Infinity || (this.timer && this.timerAt <= at)) return;
    this.clearTimer();
    this.setTimer(at);
  }

  private setTimer(at: number): void {
    const delay = Math.min(Math.max(at - this.now(), 0), MAX_TIMER_DELAY);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  // ---- describe -------------------------------------------------------------------

  private send(batch: Entry[]): void {
    const ids = batch.map((entry) => entry.jobId);
    for (const entry of batch) entry.inFlight = true;
    this.inFlight += 1;
    this.requestCount += 1;

    let request: Promise<DescribeResult>;
    try {
      request = Promise.resolve(this.describer.describe(ids));
    } catch (error) {
      request = Promise.reject(error);
    }
    const finish = (ok: boolean, value: unknown): void => {
      this.inFlight -= 1;
      for (const entry of batch) entry.inFlight = false;
      if (this.closed) return; // close() while in flight: the answer is ignored
      try {
        if (ok) this.onAnswer(batch, value);
        else this.onError(batch, value);
      } catch {
        // A malformed answer must not leave jobs stranded: treat it as a retryable failure.
        this.backoffBatch(batch);
      }
      this.pump();
    };
    request.then(
      (value) => finish(true, value),
      (error) => finish(false, error),
    ).catch(() => undefined); // never an unhandled rejection
  }

  private onAnswer(batch: Entry[], value: unknown): void {
    const answer = value as Partial<DescribeResult> | null | undefined;
    if (!answer || typeof answer !== 'object' || !Array.isArray(answer.JobsDetail)) {
      this.backoffBatch(batch);
      return;
    }
    const now = this.now();
    const seen = new Map<string, JobsDetail>();
    for (const detail of answer.JobsDetail) {
      if (!detail || typeof detail !== 'object' || typeof detail.JobId !== 'string') continue;
      seen.set(detail.JobId, detail);
      if (isTerminalState(detail.State)) {
        this.remember(detail);
        const entry = this.entries.get(detail.JobId);
        if (entry) this.settle(entry, detail);
      }
    }
    const missing = new Set(Array.isArray(answer.NonExistJobIds) ? answer.NonExistJobIds : []);
    for (const entry of batch) {
      if (this.entries.get(entry.jobId) !== entry) continue; // settled, or every wait went away
      const detail = seen.get(entry.jobId);
      if (detail) {
        entry.lastState = String(detail.State);
        entry.notFound = 0;
      } else if (missing.has(entry.jobId)) {
        entry.notFound += 1;
        if (entry.notFound > this.notFoundRetries) {
          this.fail(
            entry,
            new CiError({
              code: ErrorCodes.JobNotFound,
              message: `Job ${entry.jobId} does not exist (the service reported it unknown ${entry.notFound} times)`,
              retryable: false,
            }),
          );
          continue;
        }
      }
      this.backoffEntry(entry, now);
    }
  }

  private onError(batch: Entry[], error: unknown): void {
    if (error instanceof CiError && error.retryable === false) {
      for (const entry of batch) {
        if (this.entries.get(entry.jobId) === entry) this.fail(entry, error);
      }
      return;
    }
    this.backoffBatch(batch); // network, 5xx, 429: keep waiting
  }

  private backoffBatch(batch: Entry[]): void {
    const now = this.now();
    for (const entry of batch) {
      if (this.entries.get(entry.jobId) === entry) this.backoffEntry(entry, now);
    }
  }

  private backoffEntry(entry: Entry, now: number): void {
    entry.interval = Math.min(entry.interval * this.backoff, this.maxInterval);
    entry.nextCheck = now + entry.interval;
  }

  // ---- settling -------------------------------------------------------------------

  /** Removes one waiter (and its job when it was the last one). */
  private detach(waiter: Waiter): void {
    const { entry } = waiter;
    if (!entry.waiters.delete(waiter)) return;
    this.waitCount -= 1;
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
    if (entry.waiters.size === 0 && this.entries.get(entry.jobId) === entry) {
      this.entries.delete(entry.jobId);
      if (this.entries.size === 0) this.clearTimer();
    }
  }

  /** Resolves every wait of the job with its terminal detail; returns how many. */
  private settle(entry: Entry, detail: JobsDetail): number {
    const waiters = [...entry.waiters];
    for (const waiter of waiters) {
      this.detach(waiter);
      waiter.resolve(detail);
    }
    return waiters.length;
  }

  /** Rejects every wait of the job. */
  private fail(entry: Entry, error: Error): void {
    for (const waiter of [...entry.waiters]) {
      this.detach(waiter);
      waiter.reject(error);
    }
  }

  private expire(waiter: Waiter): void {
    const { entry } = waiter;
    this.detach(waiter);
    waiter.reject(
      new CiError({
        code: ErrorCodes.WaitTimeout,
        message: `Job ${entry.jobId} did not finish within ${formatSeconds(waiter.timeoutMs)} s (last state: ${entry.lastState ?? 'unknown'})`,
        retryable: true,
      }),
    );
    if (waiter.cancelOnTimeout && this.describer.cancel && !this.entries.has(entry.jobId)) {
      const describer = this.describer;
      // Fire and forget: the job may have ended meanwhile or not be cancellable any more.
      Promise.resolve()
        .then(() => describer.cancel?.(entry.jobId))
        .catch(() => undefined);
    }
  }

  private closedError(): CiError {
    return new CiError({ code: ErrorCodes.WatcherClosed, message: 'The job watcher was closed', retryable: false });
  }

  private abortedError(jobId: string, signal: AbortSignal): CiError {
    return new CiError({ code: ErrorCodes.Aborted, message: `Wait for job ${jobId} was aborted`, retryable: false, cause: signal.reason });
  }

  // ---- recent terminal details ----------------------------------------------------

  private remember(detail: JobsDetail): void {
    if (this.recentTtl <= 0) return;
    this.recent.delete(detail.JobId);
    this.recent.set(detail.JobId, { detail, at: this.now() });
    while (this.recent.size > RECENT_MAX) {
      const oldest = this.recent.keys().next().value as string;
      this.recent.delete(oldest);
    }
  }

  private recall(jobId: string): JobsDetail | undefined {
    const hit = this.recent.get(jobId);
    if (!hit) return undefined;
    this.recent.delete(jobId);
    if (this.now() - hit.at >= this.recentTtl) return undefined;
    this.recent.set(jobId, hit); // most recently used
    return hit.detail;
  }
}
