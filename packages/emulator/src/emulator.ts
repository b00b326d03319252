/** startEmulator(): one local CI-compatible server with its own bucket folders, queue and callbacks. */
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Buckets } from './buckets';
import { Callbacks } from './callbacks';
import { Faults, type FaultRule } from './faults';
import { jobsDetail, type Job } from './job';
import { commitJob, JobStore } from './job-store';
import { locateMediaTools, type MediaTools } from './media/tools';
import { JobQueue } from './queue';
import { restoreJobs, resumeJobs } from './restore-jobs';
import { runJob } from './runner';
import { loadScenario, type Scenario } from './scenario';
import { createHandler } from './server';
import { jobCounts, type EmulatorState } from './state';

export interface EmulatorOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** Folder holding one folder per bucket: `<root>/<BucketName-APPID>/<key>` (default: a new temp folder, removed on close). */
  root?: string;
  /**
   * Keep jobs across restarts in `<root>/.emulator/jobs/` (default true): a start on the same
   * root answers for every job submitted before and runs the unfinished ones (docs/emulator.md).
   */
  persistJobs?: boolean;
  /** The bucket served to hosts that do not name one, e.g. 127.0.0.1 (default examplebucket-1250000000). */
  bucket?: string;
  region?: string;
  secretId: string;
  secretKey: string;
  /** When set, requests must carry it as x-ci-security-token (or x-cos-security-token). */
  sessionToken?: string;
  /** Jobs running at once (default 2). */
  concurrency?: number;
  /** Fault rules, see faults.ts. */
  faults?: string | FaultRule[];
  /** Seed for fault injection (deterministic when set). */
  seed?: number;
  /** Scenario file path or object: templates and scripted results. */
  scenario?: string | Scenario;
  /** Callback URL for jobs that do not name one. */
  callbackUrl?: string;
  /** Further callback attempts after a failed delivery (default 3), starting `callbackRetryDelayMs` apart and doubling (default 500). */
  callbackRetries?: number;
  callbackRetryDelayMs?: number;
  /** Minimum time a job stays Submitted before it may run (default 0). */
  startDelayMs?: number;
  /** The emulator's clock runs this far ahead of the machine's (negative: behind); for clock-skew tests. */
  clockSkewMs?: number;
  /** ffmpeg/ffprobe to use (default: FFMPEG_PATH/FFPROBE_PATH, PATH, optional npm packages). */
  tools?: MediaTools;
  /** Receives one line per notable event (default: silent). */
  log?: (line: string) => void;
}

export interface EmulatorStats {
  requests: EmulatorState['requests'];
  faults: Record<string, number>;
  jobs: ReturnType<typeof jobCounts>;
  callbacks: Callbacks['stats'];
  queued: number;
}

export interface Emulator {
  /** e.g. `http://127.0.0.1:9100` — the endpoint to give a client. */
  url: string;
  host: string;
  port: number;
  root: string;
  /** The folder jobs are kept in across restarts; undefined with persistJobs false. */
  jobsFolder?: string;
  /** Jobs read back from jobsFolder at start. */
  restoredJobs: number;
  bucket: string;
  region: string;
  tools: MediaTools;
  stats(): EmulatorStats;
  /** Replaces the fault rules (and reseeds when a seed is given). */
  setFaults(spec: string | FaultRule[], seed?: number): void;
  /** The JobsDetail of a job as GET /jobs/<id> would give it. */
  job(jobId: string): Record<string, unknown> | undefined;
  /** Messages a TDMQ topic received. */
  mq(name: string): Array<{ body: string; format: string }>;
  /** Resolves when no callback delivery is in flight. */
  callbacksIdle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  if (!options?.secretId || !options.secretKey) throw new Error('startEmulator needs secretId and secretKey (the credentials clients must sign with)');
  const bucket = options.bucket ?? 'examplebucket-1250000000';
  const region = options.region ?? 'ap-guangzhou';
  const log = options.log ?? (() => undefined);
  const faults = new Faults(options.faults, options.seed);
  const scenario = loadScenario(options.scenario);
  // A temp root made here is removed on close; a root the caller named is left alone.
  const ownRoot = options.root === undefined;
  const root = resolve(options.root ?? mkdtempSync(join(tmpdir(), 'tencent-ci-emulator-')));
  const buckets = new Buckets(root);
  await mkdir(join(root, bucket), { recursive: true });
  const tools = options.tools ?? locateMediaTools();
  const skew = options.clockSkewMs ?? 0;
  const callbacks = new Callbacks({ retries: options.callbackRetries ?? 3, retryDelayMs: options.callbackRetryDelayMs ?? 500, timeoutMs: 10_000, faults, log });

  const stored = options.persistJobs === false ? undefined : await JobStore.open(root, log);
  let closed = false;

  const state: EmulatorState = {
    bucket,
    region,
    buckets,
    jobs: new Map(),
    queue: undefined as unknown as JobQueue,
    store: stored?.store,
    callbacks,
    faults,
    tools,
    scenario,
    defaultCallbackUrl: options.callbackUrl,
    requests: { total: 0, submit: 0, describe: 0, list: 0, cancel: 0, object: 0, videoinfo: 0, snapshot: 0, unknown: 0 },
    seq: 0,
    now: () => Date.now() + skew,
    log,
  };
  if (stored) restoreJobs(state, stored.jobs);

  const finish = (job: Job) => {
    if (!job.callback) return;
    callbacks.send(job.JobId, jobsDetail(job), job.callback, () => {
      job.callbackSettled = true;
      state.store?.saveLater(job);
    });
  };
  /** commitJob: a change is visible once it is on disk. A failed write is logged and the change made anyway (the job runs again after a restart); false once closed. */
  const commit = async (job: Job, changes: Partial<Job>): Promise<boolean> => {
    try {
      await commitJob(state.store, job, changes);
    } catch (err) {
      if (closed) return false;
      log(`could not store job ${job.JobId} (${changes.State}): ${(err as Error).message}; it runs again after a restart`);
      Object.assign(job, changes);
    }
    return !closed;
  };

  state.queue = new JobQueue(
    Math.max(1, options.concurrency ?? 2),
    options.startDelayMs ?? 0,
    async (job) => {
      // A job restored Running keeps its StartTime.
      if (!(await commit(job, { State: 'Running', startedMs: job.startedMs ?? state.now(), Progress: 0 }))) return;
      const outcome = await runJob(job, { buckets, tools, scenario: state.scenario });
      if (closed) return;
      const ended: Partial<Job> = {
        State: outcome.state,
        Code: outcome.code,
        Message: outcome.message,
        result: outcome.result,
        Progress: outcome.state === 'Success' ? 100 : job.Progress,
        endedMs: state.now(),
      };
      if (!(await commit(job, ended))) return;
      log(`${job.State.toLowerCase()} ${job.Tag} ${job.JobId}${outcome.state === 'Failed' ? `: ${outcome.code} ${outcome.message}` : ''}`);
      finish(job);
    },
    state.now,
  );

  const server: Server = createServer(
    createHandler({ state, credentials: { secretId: options.secretId, secretKey: options.secretKey, sessionToken: options.sessionToken }, finish }),
  );
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolveListen());
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  if (stored) {
    const resumed = resumeJobs(state, stored.jobs, finish);
    log(
      `${stored.jobs.length} stored job(s) in ${stored.store.folder}: ${resumed.queued} unfinished queued again, ${resumed.callbacks} callback(s) sent again`,
    );
  }

  return {
    url: `http://${hostForUrl}:${address.port}`,
    host: address.address,
    port: address.port,
    root,
    jobsFolder: stored?.store.folder,
    restoredJobs: stored?.jobs.length ?? 0,
    bucket,
    region,
    tools,
    stats: () => ({
      requests: { ...state.requests },
      faults: { ...faults.injected },
      jobs: jobCounts(state.jobs),
      callbacks: { ...callbacks.stats },
      queued: state.queue.size,
    }),
    setFaults: (spec, seed) => faults.set(spec, seed),
    job: (jobId) => {
      const job = state.jobs.get(jobId);
      return job && jobsDetail(job);
    },
    mq: (name) => callbacks.topics.get(name) ?? [],
    callbacksIdle: (timeoutMs) => callbacks.idle(timeoutMs),
    close: async () => {
      closed = true;
      state.queue.close();
      callbacks.close();
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      await state.store?.close(); // the writes asked for so far reach the disk
      if (ownRoot) await rm(root, { recursive: true, force: true });
    },
  };
}
