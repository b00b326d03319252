/**
 * Waits in progress, kept in node context so a restart or redeploy can resume them.
 *
 * Node-RED deletes node context when a node stops unless `contextStorage` is configured
 * (runtime/lib/nodes/context/index.js, deleteContext), and the memory store forgets
 * everything on restart; only a store such as `localfilesystem` makes waits survive.
 */
import type { Node } from '@node-red-tencent-ci/config';
import { JOB_ID_PATTERN } from './job-ids';

/** The context key the waits are kept under. */
export const PENDING_KEY = 'pending';

/** One wait as kept in context. */
export interface SavedWait {
  jobId: string;
  /** The message to emit when the job ends (JSON-safe: no msg.req/msg.res). */
  msg: Record<string, unknown>;
  /** When the wait times out, epoch ms; 0 = never. */
  deadline: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Whether node context in `store` (blank: the default store) survives a restart, judged from
 * `settings.contextStorage` the way Node-RED picks stores: `default` (or an alias it names),
 * else the first store listed; an unknown store name falls back to the default.
 */
export function isPersistentStore(contextStorage: unknown, store?: string): boolean {
  if (!isObject(contextStorage)) return false;
  const names = Object.keys(contextStorage).filter((n) => n !== '_');
  if (names.length === 0) return false;
  let name = store && store.trim() ? store.trim() : 'default';
  if (!names.includes(name)) name = 'default';
  if (name === 'default' && !names.includes('default')) name = names[0]!;
  let entry = contextStorage[name];
  if (typeof entry === 'string') entry = contextStorage[entry];
  if (!isObject(entry) || entry.module === undefined || entry.module === null) return false;
  return entry.module !== 'memory';
}

/** The well-formed entries of a saved value (anything else is skipped). */
export function savedWaits(value: unknown): SavedWait[] {
  if (!Array.isArray(value)) return [];
  const out: SavedWait[] = [];
  for (const item of value) {
    if (!isObject(item) || typeof item.jobId !== 'string' || !JOB_ID_PATTERN.test(item.jobId)) continue;
    const deadline = typeof item.deadline === 'number' && Number.isFinite(item.deadline) && item.deadline > 0 ? item.deadline : 0;
    out.push({ jobId: item.jobId, msg: isObject(item.msg) ? item.msg : {}, deadline });
  }
  return out;
}

/**
 * Reads and writes the node's saved waits. Writes are queued one after the other (never two
 * at once, so the last one wins) and each writes the state current when it runs, so bursts
 * of changes collapse into few writes.
 */
export class PendingStore {
  private chain: Promise<void>;
  private queued = false;

  constructor(
    private readonly node: Node,
    private readonly store: string | undefined,
    private readonly onError: (err: Error) => void,
  ) {
    this.chain = Promise.resolve();
  }

  /**
   * Later writes wait for `ready` (the read of the saved waits at start), so a change made
   * while the old entries are still being read does not overwrite them.
   */
  hold(ready: Promise<unknown>): void {
    this.chain = this.chain.then(() => ready).then(() => undefined, () => undefined);
  }

  read(): Promise<unknown> {
    return new Promise((resolve, reject) => {
      try {
        this.node.context().get(PENDING_KEY, this.store, (err, value) => (err ? reject(err) : resolve(value)));
      } catch (err) {
        reject(err);
      }
    });
  }

  /** Queues a write of `current()` (evaluated when the write runs); `undefined` deletes. */
  save(current: () => SavedWait[] | undefined): void {
    if (this.queued) return;
    this.queued = true;
    this.chain = this.chain.then(() => {
      this.queued = false;
      return this.write(current());
    });
  }

  /** Writes `value` after every queued write, and resolves once it is stored. */
  saveNow(value: () => SavedWait[] | undefined): Promise<void> {
    this.chain = this.chain.then(() => this.write(value()));
    return this.chain;
  }

  private write(entries: SavedWait[] | undefined): Promise<void> {
    const value = entries && entries.length > 0 ? entries : undefined;
    return new Promise<void>((resolve) => {
      try {
        this.node.context().set(PENDING_KEY, value, this.store, (err) => {
          if (err) this.onError(err);
          resolve();
        });
      } catch (err) {
        this.onError(err as Error);
        resolve();
      }
    });
  }
}
