/** Everything one emulator instance holds, shared by its handlers. */
import type { Buckets } from './buckets';
import type { Callbacks } from './callbacks';
import type { Faults } from './faults';
import type { Job, State } from './job';
import type { JobStore } from './job-store';
import type { JobQueue } from './queue';
import type { MediaTools } from './media/tools';
import type { Scenario } from './scenario';

interface RouteCounts {
  total: number;
  submit: number;
  describe: number;
  list: number;
  cancel: number;
  object: number;
  /** Of the object requests: GetMediaInfo (`?ci-process=videoinfo`) and GetSnapshot (`?ci-process=snapshot`). */
  videoinfo: number;
  snapshot: number;
  unknown: number;
}

export interface EmulatorState {
  bucket: string;
  region: string;
  buckets: Buckets;
  jobs: Map<string, Job>;
  queue: JobQueue;
  /** Where jobs are kept across restarts; undefined with persistence off. */
  store?: JobStore;
  callbacks: Callbacks;
  faults: Faults;
  tools: MediaTools;
  scenario: Scenario;
  defaultCallbackUrl?: string;
  requests: RouteCounts;
  seq: number;
  /** The emulator's clock (Date.now() plus the configured skew). */
  now(): number;
  log(line: string): void;
}

export function jobCounts(jobs: Map<string, Job>): Record<State, number> {
  const counts: Record<State, number> = { Submitted: 0, Running: 0, Success: 0, Failed: 0, Cancel: 0 };
  for (const job of jobs.values()) counts[job.State] += 1;
  return counts;
}
