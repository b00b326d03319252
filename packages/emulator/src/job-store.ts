/**
 * The emulator's jobs on disk (docs/emulator.md, "Jobs across restarts"):
 * `<root>/.emulator/jobs/<JobId>.json`, one record per job (job-record.ts), replaced
 * atomically (durable-write.ts) each time the job changes. `.emulator` can never be a bucket
 * folder: bucket names start with a letter or digit.
 *
 * Writes of one job run one at a time, each writing the job's latest state; a burst of
 * changes coalesces. A stop at any moment (SIGKILL included) leaves every record whole:
 * the old one or the new one, plus at most a temp file, which the next start removes.
 */
import { mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Coalescer } from './coalescer';
import { isTempFile, replaceFile, syncFolder } from './durable-write';
import type { Job } from './job';
import { jobRecord, parseJobRecord } from './job-record';

/** The store's folder under the root. */
export const JOBS_FOLDER = join('.emulator', 'jobs');
const READ_AT_ONCE = 32;

interface Slot {
  latest: Job;
  writer: Coalescer;
}

export class JobStore {
  private readonly slots = new Map<string, Slot>();
  private readonly folderSync: Coalescer;
  private closed = false;

  private constructor(
    readonly folder: string,
    private readonly log: (line: string) => void,
  ) {
    this.folderSync = new Coalescer(() => syncFolder(folder));
  }

  /** Opens (or creates) the store under `root` and reads every job in it. */
  static async open(root: string, log: (line: string) => void): Promise<{ store: JobStore; jobs: Job[] }> {
    const folder = join(root, JOBS_FOLDER);
    try {
      await mkdir(folder, { recursive: true });
    } catch (err) {
      throw new Error(`Cannot keep jobs in ${folder}: ${(err as Error).message} (turn job persistence off with persistJobs: false / --no-persist)`, {
        cause: err,
      });
    }
    const store = new JobStore(folder, log);
    return { store, jobs: await store.load() };
  }

  /**
   * Writes the job's state as it is when the write starts; resolves once it is on disk
   * (file and folder fsynced). Rejects when the write fails or the store is closed.
   */
  save(job: Job): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`The emulator is closing: job ${job.JobId} was not stored.`));
    let slot = this.slots.get(job.JobId);
    if (slot) {
      slot.latest = job;
    } else {
      const created: Slot = { latest: job, writer: new Coalescer(() => this.write(created.latest)) };
      this.slots.set(job.JobId, (slot = created));
    }
    const { writer } = slot;
    const written = writer.run();
    const release = () => {
      if (!writer.busy && this.slots.get(job.JobId)?.writer === writer) this.slots.delete(job.JobId);
    };
    written.then(release, release);
    return written;
  }

  /** save() in the background: a failure is logged (the job then runs again after a restart); nothing is written once closed. */
  saveLater(job: Job): void {
    if (this.closed) return;
    this.save(job).catch((err: Error) => this.log(`could not store job ${job.JobId} (${job.State}) in ${this.folder}: ${err.message}`));
  }

  /** Refuses further writes and waits for those asked for so far. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.slots.size > 0) await Promise.all([...this.slots.values()].map((slot) => slot.writer.settled()));
    await this.folderSync.settled();
  }

  private file(jobId: string): string {
    return join(this.folder, `${jobId}.json`);
  }

  private async write(job: Job): Promise<void> {
    const record = jobRecord(job); // the state as it is now, before anything is awaited
    await replaceFile(this.file(job.JobId), record);
    await this.folderSync.run();
  }

  /** Every job whose record reads; a record that does not is skipped with one log line, a leftover temp file removed with one. */
  private async load(): Promise<Job[]> {
    const names = await readdir(this.folder);
    const jobs: Job[] = [];
    const loadOne = async (name: string): Promise<void> => {
      const file = join(this.folder, name);
      if (isTempFile(name)) {
        await unlink(file).catch(() => undefined);
        this.log(`removed ${file}: a job write that a stop cut short (the job's previous record stands)`);
        return;
      }
      const jobId = /^(.+)\.json$/.exec(name)?.[1];
      if (jobId === undefined) return;
      try {
        jobs.push(parseJobRecord(await readFile(file, 'utf8'), jobId));
      } catch (err) {
        this.log(`skipped job file ${file}: ${(err as Error).message}`);
      }
    };
    for (let i = 0; i < names.length; i += READ_AT_ONCE) await Promise.all(names.slice(i, i + READ_AT_ONCE).map(loadOne));
    return jobs.sort((a, b) => a.seq - b.seq);
  }
}

/**
 * Makes `changes` part of `job` once they are on disk (at once without a store), so that a
 * client never sees a state that a restart would lose.
 */
export async function commitJob(store: JobStore | undefined, job: Job, changes: Partial<Job>): Promise<void> {
  if (store) await store.save({ ...job, ...changes });
  Object.assign(job, changes);
}
