/**
 * Output object keys of Snapshot jobs: wildcard substitution and the ObjectPrefix/ObjectName
 * split of `Operation.MediaResult.OutputFile` (docs/api/job-types.md#snapshot).
 *
 * Wildcards (case-insensitive, so `${Number}` works too): `${number}` 0-based index,
 * `${time}` capture time in whole milliseconds, `${jobid}`, `${ext}`. Unknown `${…}` stay as written.
 *
 * ObjectPrefix is the literal text before the first `${` of the pattern, and each ObjectName
 * is the rest of its substituted key, so ObjectPrefix + ObjectName = the full key — the shape
 * of Tencent's callback samples (`output/snapshot-` + `0.jpg`). A pattern without wildcards
 * gives ObjectPrefix '' and the whole key as ObjectName.
 */

export const DEFAULT_SNAPSHOT_PATTERN = 'snapshot/${jobid}/${number}.${ext}';
export const DEFAULT_SPRITE_PATTERN = 'snapshot/${jobid}/sprite-${number}.jpg';

export interface KeyValues {
  number: number;
  /** Seconds; substituted as whole milliseconds. */
  time: number;
  jobId: string;
  ext: string;
}

const WILDCARD = /\$\{(number|time|jobid|ext)\}/gi;

export function substituteKey(pattern: string, values: KeyValues): string {
  return pattern.replace(WILDCARD, (_m, name: string) => {
    switch (name.toLowerCase()) {
      case 'number':
        return String(values.number);
      case 'time':
        return String(Math.round(values.time * 1000));
      case 'jobid':
        return values.jobId;
      default:
        return values.ext;
    }
  });
}

export function objectPrefix(pattern: string): string {
  const at = pattern.indexOf('${');
  return at < 0 ? '' : pattern.slice(0, at);
}

/** The keys for each item, and the MediaResult prefix/name split. */
export function outputKeys(pattern: string, items: Array<Omit<KeyValues, 'number'>>): { keys: string[]; ObjectPrefix: string; ObjectName: string[] } {
  const prefix = objectPrefix(pattern);
  const keys = items.map((item, number) => substituteKey(pattern, { ...item, number }));
  return { keys, ObjectPrefix: prefix, ObjectName: keys.map((k) => k.slice(prefix.length)) };
}
