/**
 * Which deliveries (a JobId with its State) a node has emitted, and which it is still
 * confirming. A delivery is remembered only once it is accepted (confirmed by the service,
 * or taken as it is without Confirm), so bodies of unknown or forged jobs never push a
 * genuine delivery out of the memory; and one being confirmed is not started twice.
 */
import type { JobsDetail } from '@node-red-tencent-ci/core';
import { RecentKeys } from './recent-keys';

/** Deliveries remembered per node (about 100 bytes each). */
export const REMEMBERED_DELIVERIES = 10_000;
/** Deliveries a node confirms at once; a body that would exceed it is answered 503. */
export const MAX_PENDING_CONFIRMATIONS = 1000;

function deliveryKey(detail: JobsDetail): string {
  return `${detail.JobId}\u0000${String(detail.State)}`;
}

export class Deliveries {
  private readonly accepted: RecentKeys;
  private readonly pending = new Set<string>();

  constructor(
    remembered = REMEMBERED_DELIVERIES,
    private readonly maxPending = MAX_PENDING_CONFIRMATIONS,
  ) {
    this.accepted = new RecentKeys(remembered);
  }

  /** Deliveries being confirmed now. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** The details of a body neither accepted nor being confirmed, each delivery once. */
  fresh(details: readonly JobsDetail[]): JobsDetail[] {
    const inBody = new Set<string>();
    return details.filter((d) => {
      const key = deliveryKey(d);
      if (inBody.has(key) || this.accepted.has(key) || this.pending.has(key)) return false;
      inBody.add(key);
      return true;
    });
  }

  /** Starts confirming these details; false (and nothing started) when they do not all fit. */
  begin(details: readonly JobsDetail[]): boolean {
    if (this.pending.size + details.length > this.maxPending) return false;
    for (const d of details) this.pending.add(deliveryKey(d));
    return true;
  }

  /** Remembers a delivery as emitted (a later one of it is a duplicate). */
  accept(detail: JobsDetail): void {
    const key = deliveryKey(detail);
    this.pending.delete(key);
    this.accepted.add(key);
  }

  /** Ends a confirmation that failed: a later delivery of it is considered again. */
  release(detail: JobsDetail): void {
    this.pending.delete(deliveryKey(detail));
  }
}
