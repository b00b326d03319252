/**
 * Small rules every package applies to values it reads from messages, settings, stores and
 * requests: one place for each.
 */

/** A plain object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A JobId as the job API takes it in `GET /jobs/<ids>` and `PUT /jobs/<id>`: letters, digits,
 * `_` and `-`, at most 128 characters (docs/api/requests.md).
 */
export const JOB_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export function isJobId(v: unknown): v is string {
  return typeof v === 'string' && JOB_ID_PATTERN.test(v);
}

/**
 * A node setting as a number: a number, or text holding one (blank text is not a number).
 * NaN when it is neither; the caller says what range it accepts.
 */
export function numberSetting(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return Number.NaN;
  return Number(value.trim());
}

/**
 * A settings.js value that must be a whole number in [min, max]: the number, undefined when
 * it is not set, or 'invalid' (then the caller uses its default and warns).
 */
export function wholeNumberSetting(value: unknown, min: number, max: number): number | undefined | 'invalid' {
  if (value === undefined) return undefined;
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : 'invalid';
}
