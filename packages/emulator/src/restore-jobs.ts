/**
 * What a start on a root with stored jobs does with them (docs/emulator.md, "Jobs across
 * restarts"): every job answers describe and list again, with its seq, times and results;
 * Submitted and Running ones go back in the queue and run to their end (a Running one keeps
 * its StartTime), as the service would finish them; ended ones are not run again, and their
 * callbacks are not sent again unless the stop cut the delivery short.
 */
import type { Job } from './job';
import type { EmulatorState } from './state';

/** Makes the stored jobs known (before the server answers), with state.seq beyond the highest seq. */
export function restoreJobs(state: EmulatorState, jobs: readonly Job[]): void {
  for (const job of jobs) {
    state.jobs.set(job.JobId, job);
    state.seq = Math.max(state.seq, job.seq);
  }
}

/** Queues the unfinished jobs and sends the callbacks left unsettled (once the server is up); returns how many of each. */
export function resumeJobs(state: EmulatorState, jobs: readonly Job[], finish: (job: Job) => void): { queued: number; callbacks: number } {
  let queued = 0;
  let callbacks = 0;
  for (const job of jobs) {
    if (job.State === 'Submitted' || job.State === 'Running') {
      state.queue.enqueue(job);
      queued += 1;
    } else if (job.callback && !job.callbackSettled) {
      finish(job);
      callbacks += 1;
    }
  }
  return { queued, callbacks };
}
