/** Time intervals (seconds) for the quality findings: runs of flagged samples, union, subtraction. */

export interface Interval {
  start: number;
  end: number;
}

export function totalLength(list: Interval[]): number {
  return union(list).reduce((sum, i) => sum + (i.end - i.start), 0);
}

/** Sorted, merged (touching or overlapping intervals become one). */
export function union(list: Interval[]): Interval[] {
  const sorted = list
    .filter((i) => i.end > i.start)
    .map((i) => ({ ...i }))
    .sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end + 1e-9) last.end = Math.max(last.end, i.end);
    else out.push(i);
  }
  return out;
}

/** `list` minus everything covered by `remove`. */
export function subtract(list: Interval[], remove: Interval[]): Interval[] {
  let pieces = union(list);
  for (const r of union(remove)) {
    pieces = pieces.flatMap((p) => {
      if (r.end <= p.start || r.start >= p.end) return [p];
      const parts: Interval[] = [];
      if (r.start > p.start) parts.push({ start: p.start, end: r.start });
      if (r.end < p.end) parts.push({ start: r.end, end: p.end });
      return parts;
    });
  }
  return pieces;
}

export function overlaps(i: Interval, list: Interval[]): boolean {
  return list.some((l) => i.start < l.end && l.start < i.end);
}

export function clampTo(list: Interval[], duration: number): Interval[] {
  return list.map((i) => ({ start: Math.max(0, i.start), end: Math.min(duration, i.end) })).filter((i) => i.end > i.start);
}

/**
 * Runs of consecutive flagged samples. Each sample at time t covers [t, t + step); samples more
 * than 1.5 steps apart break a run. Runs shorter than `minLength` are dropped.
 */
export function runsOf<T extends { t: number }>(samples: T[], flagged: (s: T) => boolean, step: number, minLength: number): Array<Interval & { samples: T[] }> {
  const runs: Array<Interval & { samples: T[] }> = [];
  let current: (Interval & { samples: T[] }) | undefined;
  for (const s of samples) {
    if (flagged(s) && current && s.t - (current.end - step) <= step * 1.5) {
      current.end = s.t + step;
      current.samples.push(s);
    } else if (flagged(s)) {
      current = { start: s.t, end: s.t + step, samples: [s] };
      runs.push(current);
    } else {
      current = undefined;
    }
  }
  return runs.filter((r) => r.end - r.start >= minLength - 1e-9);
}
