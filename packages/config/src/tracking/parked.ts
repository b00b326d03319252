/**
 * Waits between two instances of the same node. A redeploy closes a node and starts a new
 * instance with the same id; the closing instance parks its waits here (the live msgs, with
 * msg.req/msg.res, and any result whose delivery had begun) and the new instance claims
 * them in its constructor. This works whatever the context store, so a redeploy never loses
 * a wait, even with Node-RED's default memory context.
 *
 * Node ids are what makes two instances "the same node", as everywhere in Node-RED; waits
 * that no node claims by the end of the next start (their node was deleted or disabled)
 * are dropped with a warning.
 */
import type { NodeMessage } from '../node-red';
import type { Outcome } from './outcome';
import type { SavedWait } from './saved-wait';

export interface ParkedWait {
  id: string;
  jobId: string;
  msg: NodeMessage;
  deadline: number;
  /** The stored form, when the node's store is durable. */
  saved?: SavedWait;
  /** The result, when its delivery had begun but the msg was not sent yet. */
  outcome?: Outcome;
}

const parked = new Map<string, ParkedWait[]>();

export function park(nodeId: string, waits: ParkedWait[]): void {
  if (waits.length === 0) return;
  parked.set(nodeId, [...(parked.get(nodeId) ?? []), ...waits]);
}

/** The waits parked for this node id (now the caller's). */
export function claim(nodeId: string): ParkedWait[] {
  const waits = parked.get(nodeId) ?? [];
  parked.delete(nodeId);
  return waits;
}

/** Drops the waits of node ids that `exists` does not know; answers how many per id. */
export function sweep(exists: (nodeId: string) => boolean): Array<{ nodeId: string; count: number }> {
  const dropped: Array<{ nodeId: string; count: number }> = [];
  for (const [nodeId, waits] of parked) {
    if (exists(nodeId)) continue;
    parked.delete(nodeId);
    dropped.push({ nodeId, count: waits.length });
  }
  return dropped;
}

/** Forgets every parked wait (tests that reuse node ids between flows call it). */
export function clearParked(): void {
  parked.clear();
}
