/**
 * A wait as a store keeps it, and how saved values are read back (including the format the
 * wait node wrote before the tracker existed: `{ jobId, msg, deadline }` without an id).
 *
 * Node-RED deletes node context when a node stops unless `contextStorage` is configured
 * (@node-red/runtime nodes/context deleteContext), and the memory store forgets everything
 * on restart; only a store such as `localfilesystem` makes waits survive a restart.
 */
import { randomBytes } from 'node:crypto';
import { isJobId, isObject } from '@node-red-tencent-ci/core';

/** How a wait ended, once its delivery has begun (written before the msg is sent). */
export type DeliveredState = 'Success' | 'Failed' | 'Cancel' | 'Timeout';

/** One wait as kept in a store. */
export interface SavedWait {
  /** Unique among the node's waits (several waits may share a job). */
  id: string;
  jobId: string;
  /** The message to send when the job ends (JSON-safe: no msg.req/msg.res). */
  msg: Record<string, unknown>;
  /** When the wait times out, epoch ms; 0 = never. */
  deadline: number;
  /** Set just before the result is sent: a wait saved with it may have been delivered already. */
  delivered?: DeliveredState;
}

const DELIVERED = new Set<string>(['Success', 'Failed', 'Cancel', 'Timeout']);

/** A new wait id: short, URL-safe, unique enough among one node's waits. */
export function newWaitId(): string {
  return randomBytes(6).toString('base64url');
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

/** The well-formed entries of a saved value (anything else is skipped), each with an id. */
export function savedWaits(value: unknown): SavedWait[] {
  if (!Array.isArray(value)) return [];
  const out: SavedWait[] = [];
  const ids = new Set<string>();
  for (const item of value) {
    if (!isObject(item) || !isJobId(item.jobId)) continue;
    const deadline = typeof item.deadline === 'number' && Number.isFinite(item.deadline) && item.deadline > 0 ? item.deadline : 0;
    let id = typeof item.id === 'string' && item.id ? item.id : newWaitId();
    while (ids.has(id)) id = newWaitId();
    ids.add(id);
    const wait: SavedWait = { id, jobId: item.jobId, msg: isObject(item.msg) ? item.msg : {}, deadline };
    if (typeof item.delivered === 'string' && DELIVERED.has(item.delivered)) wait.delivered = item.delivered as DeliveredState;
    out.push(wait);
  }
  return out;
}
