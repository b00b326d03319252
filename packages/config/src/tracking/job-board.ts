/**
 * JobBoard: the jobs this Node-RED's nodes wait for, per config node, as the editor's
 * Tencent CI sidebar shows them (the plugin tencent-ci-sidebar.ts serves and publishes it).
 *
 * - The job tracker reports each wait: `tracked` when a node starts (or, after a redeploy or a
 *   restart, resumes) waiting, `ended` with the wait's outcome, `released` when a node stops
 *   waiting without one (a wait node told to stop, a deleted node).
 * - The config node's watcher reports every describe answer (`described`): state and
 *   progress of the jobs in flight, at no extra request.
 * - A job is in flight while any node waits for it. A terminal JobsDetail ends it for every
 *   waiter; the last waiter's timeout or error ends it too. Finished jobs are kept per config
 *   node, the last `recent` (default 50) only, each with its JobsDetail as JSON when that is
 *   at most 256 KiB (a larger one is described again when asked for) and the output keys the
 *   sidebar may fetch.
 * - Changes reach subscribers as deltas per config node (`{ seq, rows, removed }`, seq
 *   counting up by one), coalesced over `flushMs`; nothing is computed while no one listens.
 *
 * Memory: the in-flight jobs (as many as there are waits) plus `recent` finished jobs per
 * config node.
 */
import { isJobId, isTerminalState, JOB_TAGS, nodeTypeOf, type JobsDetail } from '@node-red-tencent-ci/core';
import type { BoardDelta, BoardList, BoardNode, JobRow } from './board-wire';
import type { Outcome } from './outcome';
import { glanceKeys, glanceOf, type GlanceOutput } from './glance';

export type { BoardDelta, BoardList, BoardNode, JobRow, WaitEnd } from './board-wire';

export type BoardListener = (configId: string, delta: BoardDelta) => void;

export interface BoardOptions {
  /** Finished jobs kept per config node; default 50. */
  recent?: number;
  /** Deltas are coalesced over this many ms; default 250. */
  flushMs?: number;
  /** Clock, for tests; default Date.now. */
  now?: () => number;
  /**
   * The output objects of a job that ended with Success that the sidebar can fetch through
   * config node `configId` (the plugin: core's jobOutputs in that node's bucket); default none.
   */
  outputsOf?: (configId: string, detail: JobsDetail) => readonly BoardOutput[];
}

/** An output object of a job (core's jobOutputs). */
export interface BoardOutput extends GlanceOutput {
  bucket?: string;
  region?: string;
}

export const DEFAULT_RECENT = 50;
/** A finished job's JobsDetail is kept only up to this size (as JSON). */
export const MAX_DETAIL_CHARS = 256 * 1024;
const MAX_MESSAGE_CHARS = 300;
const DEFAULT_FLUSH_MS = 250;

interface Entry {
  row: JobRow;
  /** Waits in flight, by wait id. */
  waits: Map<string, BoardNode>;
  /** Every node that waited for the job here, by node id (a finished row names them all). */
  waited: Map<string, BoardNode>;
  /** The last non-terminal JobsDetail described (in flight). */
  lastDetail?: JobsDetail;
  /** The terminal JobsDetail as JSON (finished, when small enough). */
  detailJson?: string;
  /** The outputs the sidebar may fetch (finished), by key. */
  outputs?: Map<string, BoardOutput>;
}

interface ConfigState {
  seq: number;
  inFlight: Map<string, Entry>;
  /** Insertion order = oldest end first. */
  recent: Map<string, Entry>;
  dirty: Set<string>;
}

/** The job's Tag from the node that submitted it (a job node's type names it; a wait node's does not). */
const TAG_OF_TYPE = new Map<string, string>(JOB_TAGS.map((tag) => [nodeTypeOf(tag), tag]));

const short = (s: string | undefined): string | undefined => (s === undefined || s.length <= MAX_MESSAGE_CHARS ? s : `${s.slice(0, MAX_MESSAGE_CHARS - 1)}…`);

/** A CI time (`2022-06-27T15:23:10+0800`) in epoch ms, or undefined. */
export function ciTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d):?(\d\d)$/.exec(value.trim());
  const ms = m ? Date.parse(`${m[1]}${m[2]}:${m[3]}`) : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

function progressOf(detail: JobsDetail): number | undefined {
  if (detail.Progress === undefined || detail.Progress === '') return undefined;
  const n = Number(detail.Progress);
  return Number.isFinite(n) ? Math.max(0, Math.min(100, n)) : undefined;
}

function copyRow(row: JobRow): JobRow {
  return { ...row, nodes: row.nodes.map((n) => ({ ...n })) };
}

export class JobBoard {
  private readonly configs = new Map<string, ConfigState>();
  /** Which in-flight entry each wait is part of: wait id → [config id, job id]. */
  private readonly waitIndex = new Map<string, [string, string]>();
  private readonly listeners = new Set<BoardListener>();
  private timer: NodeJS.Timeout | undefined;
  private recentLimit: number;
  private flushMs: number;
  private now: () => number;
  private outputsOf: (configId: string, detail: JobsDetail) => readonly BoardOutput[];

  constructor(options: BoardOptions = {}) {
    this.recentLimit = options.recent ?? DEFAULT_RECENT;
    this.flushMs = options.flushMs ?? DEFAULT_FLUSH_MS;
    this.now = options.now ?? Date.now;
    this.outputsOf = options.outputsOf ?? (() => []);
  }

  /** Changes the options (the plugin applies settings.js); a lower `recent` drops the oldest finished jobs at once. */
  configure(options: BoardOptions): void {
    if (options.recent !== undefined) this.recentLimit = options.recent;
    if (options.flushMs !== undefined) this.flushMs = options.flushMs;
    if (options.now !== undefined) this.now = options.now;
    if (options.outputsOf !== undefined) this.outputsOf = options.outputsOf;
    for (const state of this.configs.values()) this.trim(state);
  }

  get recent(): number {
    return this.recentLimit;
  }

  /** Forgets everything (tests); listeners stay. */
  reset(): void {
    this.configs.clear();
    this.waitIndex.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Calls `listener` with each config node's deltas; answers a function that stops it. */
  subscribe(listener: BoardListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  // ---- what the tracker and the watcher report --------------------------------------

  /** A node waits for `jobId` through config node `configId` (a new wait, or one resumed after a redeploy or restart). */
  tracked(configId: string, jobId: string, waitId: string, node: BoardNode): void {
    if (!configId || !isJobId(jobId)) return;
    const previous = this.waitIndex.get(waitId);
    if (previous && (previous[0] !== configId || previous[1] !== jobId)) this.moveAway(waitId, previous);
    const state = this.state(configId);
    let entry = state.inFlight.get(jobId);
    if (!entry) {
      // Waiting again for a job whose wait ended here before (a wait node after a job node's
      // timeout): one row per job, its start and the nodes that waited before kept.
      const old = state.recent.get(jobId);
      if (old) state.recent.delete(jobId);
      entry = {
        row: { jobId, startedAt: old?.row.startedAt ?? this.now(), nodes: [], ...(old?.row.tag ? { tag: old.row.tag } : {}) },
        waits: new Map(),
        waited: new Map(old?.waited),
      };
      state.inFlight.set(jobId, entry);
    }
    const named: BoardNode = { id: node.id, ...(node.type ? { type: node.type } : {}), ...(node.name ? { name: node.name } : {}) };
    entry.waits.set(waitId, named);
    entry.waited.set(node.id, named);
    entry.row.nodes = this.nodesOf(entry);
    const tag = node.type ? TAG_OF_TYPE.get(node.type) : undefined;
    if (!entry.row.tag && tag) entry.row.tag = tag;
    this.waitIndex.set(waitId, [configId, jobId]);
    this.changed(state, jobId);
  }

  /** Describe answers of config node `configId`'s watcher: state, progress and tag of the jobs in flight. */
  described(configId: string | undefined, details: readonly JobsDetail[] | undefined): void {
    if (!configId || !details) return;
    const state = this.configs.get(configId);
    if (!state || state.inFlight.size === 0) return;
    for (const detail of details) {
      const entry = detail && typeof detail.JobId === 'string' ? state.inFlight.get(detail.JobId) : undefined;
      if (!entry) continue;
      if (!isTerminalState(detail.State)) entry.lastDetail = detail;
      // A terminal answer is left to `ended` (the watcher settles the waits right after).
      if (isTerminalState(detail.State)) continue;
      if (this.learn(entry.row, detail)) this.changed(state, detail.JobId);
    }
  }

  /** The wait `waitId` for `jobId` ended with `outcome` (the result its node delivers). */
  ended(configId: string, jobId: string, waitId: string, outcome: Outcome): void {
    const state = this.configs.get(configId);
    const entry = state?.inFlight.get(jobId);
    if (!state || !entry) return;
    if (outcome.kind === 'detail') {
      this.finish(configId, state, entry, outcome.detail);
      return;
    }
    entry.waits.delete(waitId);
    this.waitIndex.delete(waitId);
    if (entry.waits.size > 0) {
      entry.row.nodes = this.nodesOf(entry);
      this.changed(state, jobId);
      return;
    }
    entry.row.end = outcome.kind;
    if (outcome.kind === 'error') {
      entry.row.code = (outcome.error as { code?: string }).code;
      entry.row.message = short(outcome.error.message);
    } else {
      entry.row.message = short(outcome.message);
    }
    this.moveToRecent(state, entry);
  }

  /** Waits that stopped without an outcome: a wait node told to stop (`stopped`), a deleted node (`removed`). */
  released(waitIds: Iterable<string>, why: 'stopped' | 'removed'): void {
    for (const waitId of waitIds) {
      const where = this.waitIndex.get(waitId);
      if (!where) continue;
      this.waitIndex.delete(waitId);
      const [configId, jobId] = where;
      const state = this.configs.get(configId);
      const entry = state?.inFlight.get(jobId);
      if (!state || !entry) continue;
      entry.waits.delete(waitId);
      if (entry.waits.size > 0) {
        entry.row.nodes = this.nodesOf(entry);
        this.changed(state, jobId);
        continue;
      }
      entry.row.end = why;
      this.moveToRecent(state, entry);
    }
  }

  /**
   * After the flows started: waits whose node no longer exists are dropped (their node was
   * deleted while its waits were handed on; job-tracker.ts drops them too).
   */
  prune(nodeExists: (id: string) => boolean): void {
    const gone: string[] = [];
    for (const [waitId, [configId, jobId]] of this.waitIndex) {
      const node = this.configs.get(configId)?.inFlight.get(jobId)?.waits.get(waitId);
      if (node && !nodeExists(node.id)) gone.push(waitId);
    }
    this.released(gone, 'removed');
  }

  // ---- what the sidebar reads ---------------------------------------------------------

  /** Every config node's jobs. */
  list(): BoardList[] {
    return [...this.configs.keys()].map((configId) => this.listOf(configId));
  }

  listOf(configId: string): BoardList {
    const state = this.configs.get(configId);
    if (!state) return { configId, seq: 0, rows: [] };
    const inFlight = [...state.inFlight.values()].map((e) => copyRow(e.row)).sort((a, b) => b.startedAt - a.startedAt);
    const recent = [...state.recent.values()].reverse().map((e) => copyRow(e.row));
    return { configId, seq: state.seq, rows: [...inFlight, ...recent] };
  }

  /** Whether the board lists this job under this config node, and whether it is still in flight. */
  status(configId: string, jobId: string): 'in-flight' | 'finished' | undefined {
    const state = this.configs.get(configId);
    if (state?.inFlight.has(jobId)) return 'in-flight';
    if (state?.recent.has(jobId)) return 'finished';
    return undefined;
  }

  /**
   * The JobsDetail the board holds for a job: a finished job's terminal detail (as JSON), or
   * undefined (in flight, too large, or unknown; ask the service).
   */
  detailJson(configId: string, jobId: string): string | undefined {
    return this.configs.get(configId)?.recent.get(jobId)?.detailJson;
  }

  /** The last describe answer for a job in flight (it has no results yet). */
  lastDetail(configId: string, jobId: string): JobsDetail | undefined {
    return this.configs.get(configId)?.inFlight.get(jobId)?.lastDetail;
  }

  /** The output of a finished job with this key, if the sidebar may fetch it (a thumbnail it shows). */
  output(configId: string, key: string): BoardOutput | undefined {
    const state = this.configs.get(configId);
    if (!state) return undefined;
    for (const entry of state.recent.values()) {
      const found = entry.outputs?.get(key);
      if (found) return found;
    }
    return undefined;
  }

  // ---- internals ----------------------------------------------------------------------

  private state(configId: string): ConfigState {
    let state = this.configs.get(configId);
    if (!state) {
      state = { seq: 0, inFlight: new Map(), recent: new Map(), dirty: new Set() };
      this.configs.set(configId, state);
    }
    return state;
  }

  /** The nodes waiting now, each once. */
  private nodesOf(entry: Entry): BoardNode[] {
    const seen = new Map<string, BoardNode>();
    for (const node of entry.waits.values()) if (!seen.has(node.id)) seen.set(node.id, node);
    return [...seen.values()];
  }

  /** A wait moved to another job or config node (its node's settings changed on redeploy). */
  private moveAway(waitId: string, [configId, jobId]: [string, string]): void {
    this.waitIndex.delete(waitId);
    const state = this.configs.get(configId);
    const entry = state?.inFlight.get(jobId);
    if (!state || !entry) return;
    entry.waits.delete(waitId);
    if (entry.waits.size === 0) {
      state.inFlight.delete(jobId);
    } else {
      entry.row.nodes = this.nodesOf(entry);
    }
    this.changed(state, jobId);
  }

  /** Takes tag, state, progress and creation time from a detail; answers whether the row changed. */
  private learn(row: JobRow, detail: JobsDetail): boolean {
    let changed = false;
    const set = <K extends keyof JobRow>(key: K, value: JobRow[K]) => {
      if (value !== undefined && row[key] !== value) {
        row[key] = value;
        changed = true;
      }
    };
    set('tag', typeof detail.Tag === 'string' && detail.Tag ? detail.Tag : undefined);
    set('state', typeof detail.State === 'string' && detail.State ? detail.State : undefined);
    set('progress', progressOf(detail));
    const created = ciTime(detail.CreationTime);
    if (created !== undefined && created < row.startedAt) set('startedAt', created);
    return changed;
  }

  private finish(configId: string, state: ConfigState, entry: Entry, detail: JobsDetail): void {
    const row = entry.row;
    this.learn(row, detail);
    if (detail.State === 'Failed') {
      row.code = typeof detail.Code === 'string' ? detail.Code : undefined;
      row.message = short(typeof detail.Message === 'string' ? detail.Message : undefined);
    }
    let outputs: readonly BoardOutput[];
    try {
      outputs = detail.State === 'Success' ? this.outputsOf(configId, detail) : [];
    } catch {
      outputs = []; // a glance without thumbnails rather than no row
    }
    row.glance = glanceOf(detail, outputs);
    const shown = new Set(glanceKeys(row.glance));
    entry.outputs = new Map(outputs.filter((o) => shown.has(o.key)).map((o) => [o.key, o]));
    const json = JSON.stringify(detail);
    entry.detailJson = json.length <= MAX_DETAIL_CHARS ? json : undefined;
    for (const waitId of entry.waits.keys()) this.waitIndex.delete(waitId);
    this.moveToRecent(state, entry);
  }

  private moveToRecent(state: ConfigState, entry: Entry): void {
    const jobId = entry.row.jobId;
    state.inFlight.delete(jobId);
    entry.row.endedAt = this.now();
    entry.row.nodes = [...entry.waited.values()];
    entry.waits.clear();
    entry.lastDetail = undefined;
    state.recent.delete(jobId);
    state.recent.set(jobId, entry);
    this.changed(state, jobId);
    this.trim(state);
  }

  private trim(state: ConfigState): void {
    while (state.recent.size > Math.max(0, this.recentLimit)) {
      const oldest = state.recent.keys().next().value as string;
      state.recent.delete(oldest);
      this.changed(state, oldest);
    }
  }

  private changed(state: ConfigState, jobId: string): void {
    // No one listens: a later subscriber starts from list().
    if (this.listeners.size === 0) return;
    state.dirty.add(jobId);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.flushMs);
      this.timer.unref?.();
    }
  }

  /** Sends the pending deltas now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const [configId, state] of this.configs) {
      if (state.dirty.size === 0) continue;
      const rows: JobRow[] = [];
      const removed: string[] = [];
      for (const jobId of state.dirty) {
        const entry = state.inFlight.get(jobId) ?? state.recent.get(jobId);
        if (entry) rows.push(copyRow(entry.row));
        else removed.push(jobId);
      }
      state.dirty.clear();
      state.seq += 1;
      const delta: BoardDelta = { seq: state.seq, rows, removed };
      for (const listener of [...this.listeners]) {
        try {
          listener(configId, delta);
        } catch {
          // A listener's failure is its own.
        }
      }
    }
  }
}

/** The board of this Node-RED process (every tracker and the sidebar plugin share it). */
export const jobBoard = new JobBoard();
