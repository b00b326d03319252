/**
 * The benchmark harness every `npm run bench` row uses: side-by-side timing (ours and the
 * peer alternate, A B A B …, and each side's median is reported, so a noisy machine shifts
 * both), percentiles, and the one table format. Loopback only; every measure is bounded in
 * count and time.
 */

/** One row of the table. */
export interface BenchRow {
  /** What is measured, e.g. `sign POST /jobs`. */
  path: string;
  /** Our figure and the peer's, formatted with their unit (`312,000/s`, `41.2 ms`). */
  ours: string;
  peer: string;
  /** Who the peer is: `cos-nodejs-sdk-v5`, `fast-xml-parser 5 raw`, `http in`, … */
  peerName: string;
  /** Ours against the peer as the goal reads it: ours ÷ peer throughput (`>= 3x`), or ours ÷ peer time (`<= 2x`). */
  ratio: number;
  /** The goal in words, e.g. `>= 3x`, and whether this run met it. */
  goal: string;
  met: boolean;
  note?: string;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-th percentile (nearest rank), p in (0, 100]. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Operations per second of `fn`, run in slices of `batch` calls for about `ms`. */
function opsPerSecond(fn: () => unknown, ms: number, batch: number): number {
  let n = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(ms * 1e6));
  while (process.hrtime.bigint() - start < limit) {
    for (let i = 0; i < batch; i += 1) fn();
    n += batch;
  }
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

export interface SideBySideOptions {
  /** Alternations; default 7. */
  rounds?: number;
  /** Time per side per round, ms; default 150. */
  ms?: number;
  /** Calls between clock reads; default 20 (use 1 for calls of a millisecond or more). */
  batch?: number;
  /** Warm-up calls of each side before measuring; default 200. */
  warmup?: number;
}

/** Median operations per second of `ours` and `peer`, measured alternately. */
export function sideBySide(ours: () => unknown, peer: () => unknown, options: SideBySideOptions = {}): { ours: number; peer: number } {
  const { rounds = 7, ms = 150, batch = 20, warmup = 200 } = options;
  for (let i = 0; i < warmup; i += 1) {
    ours();
    peer();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    // Alternate which side goes first, so neither always runs on a warmer cache.
    if (r % 2 === 0) {
      a.push(opsPerSecond(ours, ms, batch));
      b.push(opsPerSecond(peer, ms, batch));
    } else {
      b.push(opsPerSecond(peer, ms, batch));
      a.push(opsPerSecond(ours, ms, batch));
    }
  }
  return { ours: median(a), peer: median(b) };
}

/** A full GC when node runs with --expose-gc (npm run bench does), else nothing. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Median wall time in ms of single calls of `ours` and `peer`, alternated `rounds` times. */
export function sideBySideMs(ours: () => unknown, peer: () => unknown, rounds = 9, warmup = 2): { ours: number; peer: number } {
  for (let i = 0; i < warmup; i += 1) {
    ours();
    peer();
  }
  const a: number[] = [];
  const b: number[] = [];
  const once = (fn: () => unknown) => {
    collectGarbage(); // each side starts on a clean heap: the other's garbage is not its cost
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  for (let r = 0; r < rounds; r += 1) {
    if (r % 2 === 0) {
      a.push(once(ours));
      b.push(once(peer));
    } else {
      b.push(once(peer));
      a.push(once(ours));
    }
  }
  return { ours: median(a), peer: median(b) };
}

/** Requests per second of `fn` with `concurrency` in flight, `count` calls in all. */
async function requestsPerSecond(fn: () => Promise<unknown>, count: number, concurrency: number): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        await fn();
      }
    }),
  );
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** Median requests per second of two async operations, alternated in rounds of `count` calls. */
export async function sideBySideAsync(
  ours: () => Promise<unknown>,
  peer: () => Promise<unknown>,
  options: { rounds?: number; count?: number; concurrency?: number } = {},
): Promise<{ ours: number; peer: number }> {
  const { rounds = 5, count = 400, concurrency = 1 } = options;
  await requestsPerSecond(ours, 50, concurrency);
  await requestsPerSecond(peer, 50, concurrency);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    if (r % 2 === 0) {
      a.push(await requestsPerSecond(ours, count, concurrency));
      b.push(await requestsPerSecond(peer, count, concurrency));
    } else {
      b.push(await requestsPerSecond(peer, count, concurrency));
      a.push(await requestsPerSecond(ours, count, concurrency));
    }
  }
  return { ours: median(a), peer: median(b) };
}

/** `312,400/s`. */
export const perSecond = (n: number): string => `${Math.round(n).toLocaleString('en-US')}/s`;
/** `41.2 ms`. */
export const millis = (n: number): string => `${n.toFixed(1)} ms`;

/** A throughput row: above 1 means ours does more per second. */
export function throughputRow(path: string, r: { ours: number; peer: number }, peerName: string, goal: number, note?: string): BenchRow {
  const ratio = r.ours / r.peer;
  return { path, ours: perSecond(r.ours), peer: perSecond(r.peer), peerName, ratio, goal: `>= ${goal}x`, met: ratio >= goal, note };
}

/** The table, as printed by `npm run bench`. */
export function formatTable(rows: readonly BenchRow[]): string {
  const head = ['path', 'ours', 'peer', 'peer is', 'ratio', 'goal', 'met'];
  const body = rows.map((r) => [r.path, r.ours, r.peer, r.peerName, `${r.ratio.toFixed(2)}x`, r.goal, r.met ? 'yes' : 'NO']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)];
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.path}: ${r.note}`);
  return [...out, ...(notes.length ? ['', ...notes] : [])].join('\n');
}
