/**
 * Runs one task at a time; a call made while a run is waiting to start shares that run
 * instead of queueing another. Used for writes whose latest content is all that matters
 * (a job's record, a folder's fsync): a burst of changes costs two writes, not one each.
 */
export class Coalescer {
  private queued?: Promise<void>;
  private tail: Promise<void> = Promise.resolve();
  private runs = 0;

  constructor(private readonly task: () => Promise<void>) {}

  /** True while a run is waiting or under way. */
  get busy(): boolean {
    return this.runs > 0;
  }

  /** Resolves (or rejects) when a run that starts after this call has finished. */
  run(): Promise<void> {
    if (this.queued) return this.queued;
    this.runs += 1;
    const run = this.tail
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.task();
      });
    this.queued = run;
    this.tail = run;
    const done = () => {
      this.runs -= 1;
    };
    run.then(done, done);
    return run;
  }

  /** Resolves when the runs asked for so far have finished, whatever their outcome. */
  settled(): Promise<void> {
    return this.tail.catch(() => undefined);
  }
}
