/** Small checks on values the runtime reads from msgs, settings and stores. */

/** A plain object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
