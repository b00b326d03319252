/**
 * Where a node's waits are kept so that a restart or a crash can resume them. The tracker
 * talks to this small interface only, so another store (shared by several Node-RED
 * instances) can take the place of node context without touching the nodes.
 */
import type { Node } from '../node-red';
import { savedWaits, type SavedWait } from './saved-wait';

export interface WaitStore {
  /** Whether saved waits survive a restart of Node-RED. */
  readonly durable: boolean;
  /** The waits saved for this node, read once at start. */
  load(): Promise<SavedWait[]>;
  /** Saves a wait (replacing the one with its id); resolves once it is stored. */
  put(wait: SavedWait): Promise<void>;
  /** Forgets a wait; resolves once that is stored. */
  remove(id: string): Promise<void>;
  /** Forgets every wait of this node; resolves once that is stored. */
  clear(): Promise<void>;
  /** Resolves once every write asked for so far is stored. */
  flush(): Promise<void>;
}

/** A store that keeps nothing: for context stores that do not survive a restart anyway. */
export const EPHEMERAL_STORE: WaitStore = {
  durable: false,
  load: () => Promise.resolve([]),
  put: () => Promise.resolve(),
  remove: () => Promise.resolve(),
  clear: () => Promise.resolve(),
  flush: () => Promise.resolve(),
};

/** The context key the waits are kept under (the wait node's key before the tracker, kept as is). */
export const PENDING_KEY = 'pending';

/**
 * A removal alone is written this much later (or with the next write, if one comes first):
 * the wait it removes was already marked as delivered, so the only cost of a crash meanwhile
 * is one flagged redelivery, and a delivery costs one write instead of two.
 */
const LAZY_REMOVE_MS = 200;

/**
 * A node's waits in its own node context, in the context store it names, under one key.
 * Changes are collected and written one write at a time: each write stores the state
 * current when it starts, so a burst of changes costs a few writes, never one each, and
 * the last write always wins. Writes wait for the read at start, so they never overwrite
 * saved waits that have not been read yet. Removals ride along with the next write, or are
 * written shortly after (LAZY_REMOVE_MS).
 */
export class ContextWaitStore implements WaitStore {
  readonly durable = true;
  private readonly entries = new Map<string, SavedWait>();
  /** The last write asked for (started or not). */
  private tail: Promise<void>;
  /** A write asked for that has not started yet: later changes join it. */
  private queued: Promise<void> | undefined;
  private readonly loaded: Promise<SavedWait[]>;
  /** A removal waiting to be written (LAZY_REMOVE_MS), and what resolves its promise. */
  private lazy: { timer: NodeJS.Timeout; written: Promise<void>; resolve: () => void } | undefined;

  constructor(
    private readonly node: Node,
    private readonly store: string | undefined,
    private readonly onError: (err: Error) => void,
  ) {
    this.loaded = this.read().then(
      (value) => {
        const list = savedWaits(value);
        // Saved waits first, then those added while they were being read.
        const added = [...this.entries.values()];
        this.entries.clear();
        for (const wait of [...list, ...added]) this.entries.set(wait.id, wait);
        return list;
      },
      (err: Error) => {
        this.onError(err);
        return [];
      },
    );
    this.tail = this.loaded.then(() => undefined);
  }

  load(): Promise<SavedWait[]> {
    return this.loaded;
  }

  put(wait: SavedWait): Promise<void> {
    this.entries.set(wait.id, wait);
    return this.schedule();
  }

  remove(id: string): Promise<void> {
    if (!this.entries.delete(id)) return this.tail;
    if (this.queued) return this.queued;
    if (!this.lazy) {
      let resolve: () => void = () => undefined;
      const written = new Promise<void>((r) => (resolve = r));
      const timer = setTimeout(() => void this.schedule(), LAZY_REMOVE_MS);
      this.lazy = { timer, written, resolve };
    }
    return this.lazy.written;
  }

  clear(): Promise<void> {
    this.entries.clear();
    return this.schedule();
  }

  flush(): Promise<void> {
    return this.lazy ? this.schedule() : this.tail;
  }

  /** The next write (queued, not started yet), which a pending lazy removal joins. */
  private schedule(): Promise<void> {
    const lazy = this.lazy;
    this.lazy = undefined;
    if (lazy) clearTimeout(lazy.timer);
    const next = this.queued ?? this.queue();
    if (lazy) void next.then(lazy.resolve);
    return next;
  }

  private queue(): Promise<void> {
    const next = this.tail.then(() => {
      this.queued = undefined;
      return this.write();
    });
    this.queued = next;
    this.tail = next;
    return next;
  }

  private read(): Promise<unknown> {
    return new Promise((resolve, reject) => {
      try {
        this.node.context().get(PENDING_KEY, this.store, (err, value) => (err ? reject(err) : resolve(value)));
      } catch (err) {
        reject(err);
      }
    });
  }

  /** Writes the current entries (none: deletes the key). Never rejects: a failure is reported. */
  private write(): Promise<void> {
    const value = this.entries.size > 0 ? [...this.entries.values()] : undefined;
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
