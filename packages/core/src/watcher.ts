/**
 * JobWatcher: waits for many CI jobs to reach a terminal state at a cost that does not
 * grow per job.
 *
 * - One timer for the whole watcher, re-armed to the earliest due time among job check
 *   times, lookups and wait deadlines; no timer is armed while nothing waits.
 * - Due jobs are grouped into describe requests of up to `batchSize` ids
 *   (`GET /jobs/id1,id2,…`), with at most `maxConcurrentRequests` in flight. Requests
 *   count, not ids: a request that goes out with room is filled up with the jobs due
 *   soonest (those due within half their interval), which are checked a little early, and
 *   jobs checked together stay due together, so a few jobs share one request a round.
 * - Each job's check interval starts at `minIntervalMs` and grows by `backoff` after every
 *   non-terminal answer, up to a cap that grows with the job's age (time since its wait
 *   began): `earlyIntervalMs` (3.5 s) while it is young, then `ageFraction` (1/5) of its
 *   age, up to `maxIntervalMs`. So a job settles at most about max(3.5 s, a fifth of its
 *   run time) after it ends, and from 75 s of age on it is checked every `maxIntervalMs`,
 *   as before (with the defaults, the young phase costs about 4 checks more per job).
 * - A retryable describe error backs the batch off (up to `maxIntervalMs`, whatever the
 *   jobs' age); a non-retryable one for several ids has each of them described alone next
 *   (so one bad id cannot fail the others), and only a non-retryable error for a job
 *   described alone fails its waits.
 * - `notify()` settles waits at once from callback bodies, and remembers terminal details
 *   for a while so a wait registered after its callback still settles at once.
 * - `lookup()` describes one job through the same batches, in whatever state it is.
 *
 * `watch()` is the lean form (one listener call per watch); `wait()` is a promise on top.
 * Failed and Cancel jobs end with their JobsDetail; only the watcher's own problems
 * (timeout, abort, unknown job, non-retryable describe error, close) are errors.
 */

import { isJobId } from './values';
import { CiError, ErrorCodes } from './errors';
import type { DescribeResult } from './client';
import { isTerminalState, MAX_DESCRIBE_BATCH, type JobsDetail } from './types';

/** What the watcher reads of a describe answer (`CiClient.describe`'s DescribeResult is one). */
export type DescriberAnswer = Pick<DescribeResult, 'JobsDetail'> & Partial<Pick<DescribeResult, 'NonExistJobIds'>>;

/** What the watcher needs from a client; `CiClient` satisfies it. */
export interface JobDescriber {
  /** Describe these jobs in ONE request (the watcher does the batching). */
  describe(jobIds: string[]): Promise<DescriberAnswer>;
  /** Cancel a job; used only for `cancelOnTimeout`. */
  cancel?(jobId: string): Promise<unknown>;
}

export interface JobWatcherOptions {
  /** First check of a job after this many ms; default 1000. */
  minIntervalMs?: number;
  /**
   * The interval grows by `backoff` per check up to this, once the job is old enough (see
   * earlyIntervalMs and ageFraction); default 15000.
   */
  maxIntervalMs?: number;
  /**
   * Interval multiplier after each non-terminal answer; default 3 (1.5 before earlyIntervalMs
   * existed): with the defaults a job is checked after 1 s, 3 s later, then every 3.5 s.
   */
  backoff?: number;
  /**
   * Longest interval between checks of a young job, so the bound on how long after its end
   * a job settles during its first `earlyIntervalMs / ageFraction` ms (17.5 s by default);
   * default 3500. Never below minIntervalMs; at maxIntervalMs or above, the interval simply
   * grows by `backoff` up to maxIntervalMs (the schedule before this option existed).
   */
  earlyIntervalMs?: number;
  /**
   * Past its early phase, a job's interval is at most this fraction of its age (time since
   * its wait began), so waiting adds at most about this fraction to a job's run time; the
   * interval reaches maxIntervalMs at the age `maxIntervalMs / ageFraction` (75 s by
   * default). Default 0.2; 0 = earlyIntervalMs for as long as the job runs.
   */
  ageFraction?: number;
  /** Ids per describe request: an integer in [1, 100]; default 50. */
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

/** How a watched job ended for the watcher: its terminal detail, or why the watch failed. */
export type WatchOutcome = { detail: JobsDetail } | { error: CiError };

export interface WatchOptions {
  /** Fail with WaitTimeout after this many ms; default the watcher's defaultTimeoutMs; 0 = none. */
  timeoutMs?: number;
  /** On timeout, cancel the job (fire and forget) unless another wait still waits for it. */
  cancelOnTimeout?: boolean;
  /**
   * Check the job in the next describe batch instead of after minIntervalMs (for waits
   * resumed after a restart: checked at once, in batches).
   */
  checkNow?: boolean;
}

export interface WaitOptions extends WatchOptions {
  /** Abort rejects the wait with code Aborted. */
  signal?: AbortSignal;
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
/** setTimeout's largest delay. */
const MAX_TIMER_DELAY = 2_147_483_647;
/** Most terminal details remembered. */
const RECENT_MAX = 1000;
/**
 * When a describe request is sent anyway and has room, it is filled up with the jobs due
 * soonest among those due within this fraction of their interval: they are checked early
 * instead of needing a request of their own, and at least half their interval after their
 * last check.
 */
const FILL_FRACTION = 0.5;
/** Retryable describe failures in a row after which a lookup rejects. */
const LOOKUP_ATTEMPTS = 3;

const DEFAULTS = {
  minIntervalMs: 1000,
  maxIntervalMs: 15_000,
  backoff: 3,
  earlyIntervalMs: 3500,
  ageFraction: 0.2,
  batchSize: 50,
  maxConcurrentRequests: 2,
  defaultTimeoutMs: 30 * 60_000,
  notFoundRetries: 3,
  recentTtlMs: 10 * 60_000,
};

type Listener = (outcome: WatchOutcome) => void;

interface Waiter {
  readonly entry: Entry;
  /** Absolute time (watcher clock); Infinity = none. */
  readonly deadline: number;
  readonly timeoutMs: number;
  readonly cancelOnTimeout: boolean;
  readonly listener: Listener;
}

interface Lookup {
  readonly jobId: string;
  /** Retryable describe failures so far. */
  failures: number;
  done: boolean;
  readonly resolve: (detail: JobsDetail | undefined) => void;
  readonly reject: (error: CiError) => void;
}

interface Entry {
  readonly jobId: string;
  readonly waiters: Set<Waiter>;
  /** Lookups waiting for the next describe of this job (not those in flight). */
  readonly lookups: Lookup[];
  interval: number;
  /** When the job's first current wait began: its age is measured from here. */
  since: number;
  /** Next check for the waits. */
  nextCheck: number;
  /** When the pending lookups go out. */
  lookupAt: number;
  inFlight: boolean;
  /** Described alone (one id per request) until a describe of it succeeds. */
  solo: boolean;
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

function checkNumber(name: string, value: number | undefined, fallback: number, min: number, integer = false, max = Infinity): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    value >= min &&
    value <= max &&
    (integer ? Number.isInteger(value) : value === Infinity || Number.isFinite(value));
  if (!ok) {
    const kind = integer ? 'an integer' : 'a number';
    const allowed = max === Infinity ? `${kind} >= ${min}` : `${kind} in [${min}, ${max}]`;
    throw invalidArgument(`JobWatcher option ${name} is ${String(value)}; allowed: ${allowed}`);
  }
  return value;
}

function formatSeconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

/** A listener's own exception must not stop the watcher: it surfaces as an uncaught error instead. */
function call(listener: Listener, outcome: WatchOutcome): void {
  try {
    listener(outcome);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

export class JobWatcher {
  private readonly describer: JobDescriber;
  private readonly minInterval: number;
  private readonly maxInterval: number;
  private readonly backoff: number;
  private readonly earlyInterval: number;
  private readonly ageFraction: number;
  private readonly batchSize: number;
  private readonly maxConcurrent: number;
  private readonly defaultTimeout: number;
  private readonly notFoundRetries: number;
  private readonly recentTtl: number;
  private readonly now: () => number;

  /** Jobs with waits or lookups. */
  private readonly entries = new Map<string, Entry>();
  /** Insertion order = least recently stored/used first. */
  private readonly recent = new Map<string, Remembered>();
  /** Every unsettled lookup, queued or in flight. */
  private readonly lookups = new Set<Lookup>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private waitCount = 0;
  /** Entries with at least one wait. */
  private waitedJobs = 0;
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
    this.earlyInterval = checkNumber('earlyIntervalMs', options.earlyIntervalMs, DEFAULTS.earlyIntervalMs, 1);
    this.ageFraction = checkNumber('ageFraction', options.ageFraction, DEFAULTS.ageFraction, 0);
    this.batchSize = checkNumber('batchSize', options.batchSize, DEFAULTS.batchSize, 1, true, MAX_DESCRIBE_BATCH);
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
    return this.waitedJobs;
  }

  stats(): JobWatcherStats {
    return { jobs: this.waitedJobs, waits: this.waitCount, requests: this.requestCount, inFlight: this.inFlight };
  }

  /**
   * Calls `listener` once with the job's terminal JobsDetail (State Success, Failed or
   * Cancel) or with a CiError: InvalidArgument, WaitTimeout, JobNotFound, WatcherClosed, or
   * a non-retryable describe error. The listener is never called inside watch() itself,
   * and never after the returned unwatch() (which leaves other watches of the job alone).
   */
  watch(jobId: string, listener: (outcome: WatchOutcome) => void, options: WatchOptions = {}): () => void {
    if (typeof listener !== 'function') throw invalidArgument('watch() needs a listener function');
    const { timeoutMs, cancelOnTimeout = false, checkNow = false } = options ?? {};
    const problem = this.problemWith(jobId, timeoutMs);
    if (problem) return this.later(listener, { error: problem });
    const cached = this.recall(jobId);
    if (cached) return this.later(listener, { detail: cached });

    const now = this.now();
    const entry = this.entryFor(jobId, now);
    if (entry.waiters.size === 0) {
      entry.interval = this.minInterval;
      entry.since = now;
      entry.nextCheck = now + this.minInterval;
      entry.notFound = 0;
      this.waitedJobs += 1;
    }
    if (checkNow === true && entry.nextCheck > now) entry.nextCheck = now;
    const timeout = timeoutMs ?? this.defaultTimeout;
    const deadline = timeout > 0 ? now + timeout : Infinity;
    const waiter: Waiter = { entry, deadline, timeoutMs: timeout, cancelOnTimeout: cancelOnTimeout === true, listener };
    entry.waiters.add(waiter);
    this.waitCount += 1;
    this.armAt(entry.inFlight ? deadline : Math.min(this.dueAt(entry), deadline));
    return () => {
      this.detach(waiter);
    };
  }

  /**
   * Resolves with the job's terminal JobsDetail (State Success, Failed or Cancel).
   * Rejects with a CiError: InvalidArgument, WaitTimeout, Aborted, JobNotFound,
   * WatcherClosed, or a non-retryable describe error.
   */
  wait(jobId: string, options: WaitOptions = {}): Promise<JobsDetail> {
    const { signal, ...watchOptions } = options ?? {};
    const problem = this.problemWith(jobId, watchOptions.timeoutMs);
    if (problem) return Promise.reject(problem);
    if (signal?.aborted) return Promise.reject(this.abortedError(jobId, signal));
    return new Promise<JobsDetail>((resolve, reject) => {
      let onAbort: (() => void) | undefined;
      const unwatch = this.watch(
        jobId,
        (outcome) => {
          if (signal && onAbort) signal.removeEventListener('abort', onAbort);
          if ('detail' in outcome) resolve(outcome.detail);
          else reject(outcome.error);
        },
        watchOptions,
      );
      if (signal) {
        onAbort = () => {
          unwatch();
          reject(this.abortedError(jobId, signal));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  /**
   * Describes one job through the watcher's batches (shared with due waits and other
   * lookups) and resolves with the JobsDetail the service reports, in whatever state, or
   * undefined when the service reports the job in NonExistJobIds. It never answers from
   * notify() or the remembered details: it always asks the service. Rejects with a CiError:
   * InvalidArgument, WatcherClosed, a non-retryable describe error (once the job was
   * described alone), or the last error after 3 retryable failures in a row. A lookup is
   * not a wait and leaves nothing watched, but a terminal detail it learns settles waits
   * and is remembered like any describe answer.
   */
  lookup(jobId: string): Promise<JobsDetail | undefined> {
    const problem = this.problemWith(jobId, undefined);
    if (problem) return Promise.reject(problem);
    return new Promise<JobsDetail | undefined>((resolve, reject) => {
      const lookup: Lookup = { jobId, failures: 0, done: false, resolve, reject };
      this.lookups.add(lookup);
      this.queueLookup(lookup, this.now());
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

  /** Clears the timer, fails every pending wait and lookup with WatcherClosed; later ones fail the same way. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    const entries = [...this.entries.values()];
    this.entries.clear();
    this.recent.clear();
    const error = this.closedError();
    for (const entry of entries) this.fail(entry, error);
    for (const lookup of [...this.lookups]) this.rejectLookup(lookup, error);
  }

  // ---- arguments ------------------------------------------------------------------

  /** Why a wait, watch or lookup cannot start, or undefined. */
  private problemWith(jobId: string, timeoutMs: number | undefined): CiError | undefined {
    if (this.closed) return this.closedError();
    if (!isJobId(jobId)) {
      return invalidArgument(`JobId ${JSON.stringify(jobId) ?? String(jobId)} is invalid; allowed: a non-empty string of A-Z, a-z, 0-9, _ and -`);
    }
    if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0)) {
      return invalidArgument(`timeoutMs is ${String(timeoutMs)}; allowed: a number >= 0 (0 = no timeout)`);
    }
    return undefined;
  }

  /** Calls the listener on a later microtask unless the returned function is called first. */
  private later(listener: Listener, outcome: WatchOutcome): () => void {
    let live = true;
    queueMicrotask(() => {
      if (!live) return;
      live = false;
      call(listener, outcome);
    });
    return () => {
      live = false;
    };
  }

  // ---- entries --------------------------------------------------------------------

  private entryFor(jobId: string, now: number): Entry {
    let entry = this.entries.get(jobId);
    if (!entry) {
      entry = {
        jobId,
        waiters: new Set(),
        lookups: [],
        interval: this.minInterval,
        since: now,
        nextCheck: now + this.minInterval,
        lookupAt: Infinity,
        inFlight: false,
        solo: false,
        notFound: 0,
      };
      this.entries.set(jobId, entry);
    }
    return entry;
  }

  /** Forgets a job that has neither waits nor queued lookups. */
  private release(entry: Entry): void {
    if (entry.waiters.size > 0 || entry.lookups.length > 0 || this.entries.get(entry.jobId) !== entry) return;
    this.entries.delete(entry.jobId);
    if (this.entries.size === 0) this.clearTimer();
  }

  /** When the job should be described next: its waits' check time or its lookups', whichever is first. */
  private dueAt(entry: Entry): number {
    const forWaits = entry.waiters.size > 0 ? entry.nextCheck : Infinity;
    const forLookups = entry.lookups.length > 0 ? entry.lookupAt : Infinity;
    return Math.min(forWaits, forLookups);
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
      if (entry.inFlight) continue;
      const at = this.dueAt(entry);
      if (at <= now) due.push(entry);
      else if (!entry.solo && at - now <= entry.interval * FILL_FRACTION) soon.push(entry);
    }
    if (this.closed) return; // a listener closed the watcher
    if (due.length > 0 && this.inFlight < this.maxConcurrent) {
      const byDue = (a: Entry, b: Entry) => this.dueAt(a) - this.dueAt(b);
      due.sort(byDue);
      soon.sort(byDue);
      let batch: Entry[] = [];
      for (const entry of due) {
        if (this.inFlight >= this.maxConcurrent) break;
        if (entry.solo) {
          this.send([entry]);
          continue;
        }
        batch.push(entry);
        if (batch.length === this.batchSize) {
          this.send(batch);
          batch = [];
        }
      }
      if (batch.length > 0 && this.inFlight < this.maxConcurrent) {
        for (let s = 0; batch.length < this.batchSize && s < soon.length; s += 1) batch.push(soon[s]!);
        this.send(batch);
      }
    }
    this.rearm();
  }

  /** Arms the timer for the earliest deadline and (when a request could be sent) due time. */
  private rearm(): void {
    let next = Infinity;
    const canSend = this.inFlight < this.maxConcurrent;
    for (const entry of this.entries.values()) {
      if (canSend && !entry.inFlight) next = Math.min(next, this.dueAt(entry));
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
    // The lookups this request answers; lookups made while it is in flight wait for the next one.
    const sent = batch.map((entry) => entry.lookups.splice(0));
    for (const entry of batch) entry.inFlight = true;
    this.inFlight += 1;
    this.requestCount += 1;

    let request: Promise<DescriberAnswer>;
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
        if (ok) this.onAnswer(batch, sent, value);
        else this.onError(batch, sent, value);
      } catch {
        // A malformed answer must not leave jobs stranded: treat it as a retryable failure.
        this.retryLater(batch, sent, malformedAnswer('could not be read'));
      }
      for (const entry of batch) this.release(entry);
      this.pump();
    };
    request
      .then(
        (value) => finish(true, value),
        (error) => finish(false, error),
      )
      .catch(() => undefined); // never an unhandled rejection
  }

  private onAnswer(batch: Entry[], sent: Lookup[][], value: unknown): void {
    const answer = value as Partial<DescriberAnswer> | null | undefined;
    if (!answer || typeof answer !== 'object' || !Array.isArray(answer.JobsDetail)) {
      this.retryLater(batch, sent, malformedAnswer('has no JobsDetail list'));
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
    batch.forEach((entry, i) => {
      const detail = seen.get(entry.jobId);
      const unknown = !detail && missing.has(entry.jobId);
      entry.solo = false;
      if (detail || unknown) {
        for (const lookup of sent[i]!) this.resolveLookup(lookup, detail);
      } else {
        this.retryLookups(sent[i]!, malformedAnswer(`says nothing about job ${entry.jobId}`), now);
      }
      if (this.entries.get(entry.jobId) !== entry || entry.waiters.size === 0) return; // settled, or every wait went away
      if (detail) {
        entry.lastState = String(detail.State);
        entry.notFound = 0;
      } else if (unknown) {
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
          return;
        }
      }
      this.backoffEntry(entry, now);
    });
  }

  private onError(batch: Entry[], sent: Lookup[][], error: unknown): void {
    if (!(error instanceof CiError) || error.retryable !== false) {
      this.retryLater(batch, sent, error instanceof CiError ? error : describeFailed(batch, error)); // network, 5xx, 429: keep waiting
      return;
    }
    if (batch.length === 1) {
      const [entry] = batch;
      if (this.entries.get(entry!.jobId) === entry) this.fail(entry!, error);
      for (const lookup of sent[0]!) this.rejectLookup(lookup, error);
      return;
    }
    // One bad id can fail a whole batch: describe each job alone next, right away.
    const now = this.now();
    batch.forEach((entry, i) => {
      const current = this.entries.get(entry.jobId) === entry ? entry : undefined;
      const queued = sent[i]!.filter((lookup) => !lookup.done);
      const target = current ?? (queued.length > 0 ? this.entryFor(entry.jobId, now) : undefined);
      if (!target) return;
      target.solo = true;
      if (target.waiters.size > 0) target.nextCheck = now;
      for (const lookup of queued) this.queueLookup(lookup, now);
    });
  }

  /** After a retryable failure: backs the batch's waits off and retries its lookups (up to LOOKUP_ATTEMPTS). */
  private retryLater(batch: Entry[], sent: Lookup[][], error: CiError): void {
    const now = this.now();
    batch.forEach((entry, i) => {
      if (this.entries.get(entry.jobId) === entry) this.backoffEntry(entry, now, this.maxInterval);
      this.retryLookups(sent[i]!, error, now);
    });
  }

  /** Grows the job's interval by `backoff`, up to `cap` (by default its age's cap), and schedules its next check. */
  private backoffEntry(entry: Entry, now: number, cap = this.capFor(now - entry.since)): void {
    entry.interval = Math.min(entry.interval * this.backoff, cap);
    entry.nextCheck = now + entry.interval;
  }

  /**
   * The longest interval for a job of this age: earlyIntervalMs, or ageFraction of its age
   * once that is more, never above maxIntervalMs nor below minIntervalMs.
   */
  private capFor(age: number): number {
    const grown = age > 0 ? age * this.ageFraction : 0;
    return Math.max(this.minInterval, Math.min(this.maxInterval, Math.max(this.earlyInterval, grown)));
  }

  // ---- lookups --------------------------------------------------------------------

  private queueLookup(lookup: Lookup, at: number): void {
    const entry = this.entryFor(lookup.jobId, this.now());
    if (entry.lookups.length === 0 || at < entry.lookupAt) entry.lookupAt = at;
    entry.lookups.push(lookup);
    if (!entry.inFlight) this.armAt(entry.lookupAt);
  }

  private retryLookups(lookups: Lookup[], error: CiError, now: number): void {
    for (const lookup of lookups) {
      if (lookup.done) continue;
      lookup.failures += 1;
      if (lookup.failures >= LOOKUP_ATTEMPTS) {
        this.rejectLookup(lookup, error);
      } else {
        this.queueLookup(lookup, now + Math.min(this.minInterval * this.backoff ** lookup.failures, this.maxInterval));
      }
    }
  }

  private resolveLookup(lookup: Lookup, detail: JobsDetail | undefined): void {
    if (lookup.done) return;
    lookup.done = true;
    this.lookups.delete(lookup);
    lookup.resolve(detail);
  }

  private rejectLookup(lookup: Lookup, error: CiError): void {
    if (lookup.done) return;
    lookup.done = true;
    this.lookups.delete(lookup);
    lookup.reject(error);
  }

  // ---- settling -------------------------------------------------------------------

  /** Removes one waiter (and its job when nothing else needs it); false when it was already gone. */
  private detach(waiter: Waiter): boolean {
    const { entry } = waiter;
    if (!entry.waiters.delete(waiter)) return false;
    this.waitCount -= 1;
    if (entry.waiters.size === 0) {
      this.waitedJobs -= 1;
      this.release(entry);
    }
    return true;
  }

  /** Ends every wait of the job with its terminal detail; returns how many. */
  private settle(entry: Entry, detail: JobsDetail): number {
    let settled = 0;
    for (const waiter of [...entry.waiters]) {
      if (!this.detach(waiter)) continue;
      settled += 1;
      call(waiter.listener, { detail });
    }
    return settled;
  }

  /** Ends every wait of the job with an error. */
  private fail(entry: Entry, error: CiError): void {
    for (const waiter of [...entry.waiters]) {
      if (this.detach(waiter)) call(waiter.listener, { error });
    }
  }

  private expire(waiter: Waiter): void {
    const { entry } = waiter;
    if (!this.detach(waiter)) return;
    const stillWaited = (this.entries.get(entry.jobId)?.waiters.size ?? 0) > 0;
    call(waiter.listener, {
      error: new CiError({
        code: ErrorCodes.WaitTimeout,
        message: `Job ${entry.jobId} did not finish within ${formatSeconds(waiter.timeoutMs)} s (last state: ${entry.lastState ?? 'unknown'})`,
        retryable: true,
      }),
    });
    if (waiter.cancelOnTimeout && this.describer.cancel && !stillWaited) {
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

/** The retryable error a lookup ends with when answers keep being unusable. */
function malformedAnswer(what: string): CiError {
  return new CiError({ code: ErrorCodes.MalformedResponse, message: `The describe answer ${what}`, retryable: true });
}

/** A describer failure that is not a CiError (a bare network error): retryable. */
function describeFailed(batch: Entry[], error: unknown): CiError {
  const what = batch.length === 1 ? `job ${batch[0]!.jobId}` : `${batch.length} jobs`;
  const reason = error instanceof Error ? error.message : String(error);
  return new CiError({ code: ErrorCodes.Network, message: `Describing ${what} failed: ${reason}`, retryable: true, cause: error });
}
