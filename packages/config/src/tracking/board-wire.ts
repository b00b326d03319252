/**
 * What the runtime and the editor's Tencent CI sidebar exchange about jobs: the rows of
 * GET /tencent-ci/jobs and of the comms deltas on `tencent-ci/jobs/<configId>`. Types only,
 * shared by the job board (job-board.ts, glance.ts) and the sidebar's browser code
 * (editor/browser/sidebar.ts).
 */

/** The node that waits for a job, as the runtime names it (the editor shows its own label when it knows the node). */
export interface BoardNode {
  id: string;
  type?: string;
  name?: string;
}

/** How the waiting ended when it was not the job's own end (its terminal state). */
export type WaitEnd = 'timeout' | 'error' | 'stopped' | 'removed';

/** The kinds of target VideoTargetRec finds. */
export type TargetKind = 'body' | 'pet' | 'car' | 'face' | 'plate';

/** A finished job's result at a glance (glance.ts). */
export type Glance =
  | { kind: 'score'; score: string }
  | { kind: 'tags'; tags: Array<{ name: string; confidence?: string }> }
  | { kind: 'targets'; counts: Partial<Record<TargetKind, number>> }
  /** Snapshot: object keys of the first frames and sprite sheets, and how many there are. */
  | { kind: 'images'; frames: string[]; sprites: string[]; frameCount: number; spriteCount: number };

/** One job as the sidebar lists it. */
export interface JobRow {
  jobId: string;
  tag?: string;
  /** CI's State, as last reported (undefined before the first describe answer). */
  state?: string;
  /** CI's Progress (percent), when the service reports one. */
  progress?: number;
  /** Epoch ms: when a node here began waiting for it, or its CreationTime when that is earlier. */
  startedAt: number;
  /** Epoch ms: when the waiting ended; undefined while in flight. */
  endedAt?: number;
  /** Set when the waiting ended without the job ending (see WaitEnd). */
  end?: WaitEnd;
  /** CI's Code of a Failed job, or the error code. */
  code?: string;
  /** CI's Message of a Failed job, or the error message (at most 300 characters). */
  message?: string;
  /** The nodes waiting (in flight) or that waited (finished). */
  nodes: BoardNode[];
  glance?: Glance;
}

/** A comms message on `tencent-ci/jobs/<configId>`. */
export interface BoardDelta {
  /** Counts up by one per delta of a config node; the list answers the seq it includes. */
  seq: number;
  /** Rows that are new or changed. */
  rows: JobRow[];
  /** Job ids no longer listed. */
  removed: string[];
}

/** One config node's jobs. */
export interface BoardList {
  configId: string;
  seq: number;
  /** In flight first (newest first), then finished (most recently ended first). */
  rows: JobRow[];
}

/** The answer of GET /tencent-ci/jobs. */
export interface JobsAnswer {
  /** Finished jobs kept per config node (settings.js `tencentCi.sidebar.recent`). */
  recent: number;
  configs: BoardList[];
}

/** The answer of an admin endpoint that refused or failed. */
export interface ErrorAnswer {
  code: string;
  message: string;
}
