/**
 * The query of CI's two synchronous media APIs on the COS object host, parsed and validated
 * (pure: no I/O). The `ci-process` parameter names the API:
 *
 * - `videoinfo`: GetMediaInfo, https://cloud.tencent.com/document/product/436/55672 (no other
 *   parameter).
 * - `snapshot`: GetSnapshot, https://cloud.tencent.com/document/product/436/55671: `time`
 *   (float seconds, required), `width` and `height` (int, default 0: both 0 = the video's
 *   size, one 0 = scaled to keep the aspect ratio), `format` jpg|png (default jpg), `rotate`
 *   auto|off (default auto), `mode` exactframe|keyframe (default exactframe).
 *
 * Other query parameters are ignored, as COS ignores them (they still take part in the
 * signature check). An empty value (`width=`) counts as not given.
 */
import { Errors } from '../api-error';

export const INSTANT_PROCESSES = ['videoinfo', 'snapshot'] as const;
export type InstantProcess = (typeof INSTANT_PROCESSES)[number];

/**
 * The largest width or height. The GetSnapshot page gives no range; this is the Snapshot
 * JOB's documented upper bound for Width/Height (Snapshot template parameters,
 * https://www.tencentcloud.com/document/product/1045/43635: [128, 4096]), the one bound CI
 * documents for a frame's size. Its lower bound is not applied: 0 is the sync API's default.
 */
export const MAX_SNAPSHOT_SIDE = 4096;

export const SNAPSHOT_FORMATS = ['jpg', 'png'] as const;
export const SNAPSHOT_ROTATES = ['auto', 'off'] as const;
export const SNAPSHOT_MODES = ['exactframe', 'keyframe'] as const;

export interface InstantSnapshotParams {
  /** Seconds from the start. */
  time: number;
  /** 0 = from the video (or from the aspect ratio when the other side is given). */
  width: number;
  height: number;
  format: (typeof SNAPSHOT_FORMATS)[number];
  rotate: (typeof SNAPSHOT_ROTATES)[number];
  mode: (typeof SNAPSHOT_MODES)[number];
}

type Query = ReadonlyArray<readonly [string, string]>;

/** The last value of `name` in the query (a repeated parameter: the last one counts), undefined when absent. */
function valueOf(query: Query, name: string): string | undefined {
  let value: string | undefined;
  for (const [k, v] of query) if (k === name) value = v;
  return value;
}

/** Whether the query asks for a synchronous media API (has a `ci-process` parameter). */
export function hasCiProcess(query: Query): boolean {
  return query.some(([k]) => k === 'ci-process');
}

/** The API the query's `ci-process` names; InvalidArgument naming the value when it is neither. */
export function ciProcessOf(query: Query): InstantProcess {
  const value = valueOf(query, 'ci-process') ?? '';
  if ((INSTANT_PROCESSES as readonly string[]).includes(value)) return value as InstantProcess;
  throw Errors.invalidArgument(`ci-process ${JSON.stringify(value)} is not supported on an object: use ${INSTANT_PROCESSES.join(' or ')}.`);
}

/** `ci-process` when it names one of the two APIs, else undefined (for counting requests). */
export function knownCiProcess(query: Query): InstantProcess | undefined {
  const value = valueOf(query, 'ci-process');
  return (INSTANT_PROCESSES as readonly string[]).includes(value ?? '') ? (value as InstantProcess) : undefined;
}

function given(query: Query, name: string): string | undefined {
  const v = valueOf(query, name);
  return v === undefined || v === '' ? undefined : v;
}

/** Decimal seconds: `1`, `1.5`, `.5`, `2.` (no sign, exponent or hex). */
const SECONDS = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

function time(query: Query): number {
  const raw = given(query, 'time');
  if (raw === undefined) throw Errors.invalidArgument('time is required: the time of the frame in seconds, a number of 0 or more (e.g. time=1.5).');
  const n = Number(raw);
  if (!SECONDS.test(raw) || !Number.isFinite(n)) {
    throw Errors.invalidArgument(`time must be a number of seconds of 0 or more (e.g. 1.5), got ${JSON.stringify(raw)}.`);
  }
  return n;
}

function side(query: Query, name: 'width' | 'height'): number {
  const raw = given(query, name);
  if (raw === undefined) return 0;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) > MAX_SNAPSHOT_SIDE) {
    throw Errors.invalidArgument(`${name} must be a whole number from 0 to ${MAX_SNAPSHOT_SIDE} (0 = from the video), got ${JSON.stringify(raw)}.`);
  }
  return Number(raw);
}

function choice<T extends string>(query: Query, name: string, allowed: readonly T[]): T {
  const raw = given(query, name);
  if (raw === undefined) return allowed[0]!;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw Errors.invalidArgument(`${name} must be ${allowed.join(' or ')} (default ${allowed[0]}), got ${JSON.stringify(raw)}.`);
  }
  return raw as T;
}

/** GetSnapshot's parameters with their defaults; InvalidArgument naming the first bad one. */
export function parseSnapshotQuery(query: Query): InstantSnapshotParams {
  return {
    time: time(query),
    width: side(query, 'width'),
    height: side(query, 'height'),
    format: choice(query, 'format', SNAPSHOT_FORMATS),
    rotate: choice(query, 'rotate', SNAPSHOT_ROTATES),
    mode: choice(query, 'mode', SNAPSHOT_MODES),
  };
}

/**
 * InvalidArgument when `time` is past the end of the video. The page does not say what a time
 * beyond the clip gives; this is our reading (the Snapshot job refuses a Start past the end too).
 */
export function checkSnapshotTime(params: InstantSnapshotParams, duration: number): void {
  // Half a millisecond of slack, as the Snapshot job's planner allows.
  if (params.time > duration + 0.0005) {
    throw Errors.invalidArgument(`time ${params.time} is beyond the end of the video: its duration is ${duration.toFixed(3)} s.`);
  }
}
