/**
 * The job queue: JobLevel priority (2 first), first come first served within a level, at
 * most `concurrency` jobs running, and an optional delay before a job may start (so that
 * tests and demos can see Submitted jobs and cancel them): `startDelayMs` for every job, and
 * a script's `QueuedSeconds` for one (see scripted.ts). Jobs restored Running after a restart
 * (restore-jobs.ts) start before any other.
 */
import type { Job } from './job';

export class JobQueue {
  private readonly pending: Job[] = [];
  private running = 0;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly concurrency: number,
    private readonly startDelayMs: number,
    private readonly run: (job: Job) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  enqueue(job: Job): void {
    this.pending.push(job);
    // A job that was Running when the emulator stopped (restored after a restart) goes first.
    const resumed = (job: Job) => (job.State === 'Running' ? 1 : 0);
    this.pending.sort((a, b) => resumed(b) - resumed(a) || b.level - a.level || a.seq - b.seq);
    this.pump();
  }

  /** Takes a job that has not started out of the queue; false when it is not waiting. */
  remove(jobId: string): boolean {
    const i = this.pending.findIndex((j) => j.JobId === jobId);
    if (i < 0) return false;
    this.pending.splice(i, 1);
    return true;
  }

  close(): void {
    this.closed = true;
    this.pending.length = 0;
    if (this.timer) clearTimeout(this.timer);
  }

  /** When a job may start: after the start delay, and after a scripted queue wait. */
  private dueMs(job: Job): number {
    return Math.max(job.createdMs + this.startDelayMs, job.notBeforeMs ?? 0);
  }

  private pump(): void {
    if (this.closed) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const now = this.now();
    while (this.running < this.concurrency) {
      const i = this.pending.findIndex((j) => this.dueMs(j) <= now);
      if (i < 0) break;
      const [job] = this.pending.splice(i, 1);
      this.running += 1;
      this.run(job!).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
    if (this.running < this.concurrency && this.pending.length > 0) {
      const next = Math.min(...this.pending.map((j) => this.dueMs(j)));
      this.timer = setTimeout(() => this.pump(), Math.max(1, next - now));
    }
  }
}
