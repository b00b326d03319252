/** CI's time format: `2022-06-27T15:23:10+0800` (China Standard Time, offset without a colon); `-` until set. */

const OFFSET_MINUTES = 8 * 60;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function formatCiTime(ms: number): string {
  const d = new Date(ms + OFFSET_MINUTES * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+0800`;
}

/** Parses `2022-06-27T00:00:00+0800` (and the `+08:00` / `Z` variants); NaN when it is not such a time. */
export function parseCiTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:?\d{2})$/.exec(text.trim());
  if (!m) return Number.NaN;
  const zone = m[7] === 'Z' ? '+00:00' : `${m[7]!.slice(0, 3)}:${m[7]!.slice(-2)}`;
  return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
}
