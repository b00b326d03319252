/**
 * One shape for every body, XML or JSON: the shape Tencent's own JSON callbacks have.
 * - scalars are strings (JSON numbers and booleans become strings);
 * - empty elements are left out (`<Message/>`, `""`, `[]`), containers are kept;
 * - the paths in `arrayPaths` are always arrays, even with one element;
 * - keys that could reach a prototype (`__proto__`, `constructor`, `prototype`) are dropped.
 */

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

function normaliseNode(value: unknown, path: string, arrayPaths: ReadonlySet<string>): unknown {
  if (value === null || typeof value !== 'object') return scalar(value);
  const obj: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (UNSAFE_KEYS.has(key)) continue;
    const v = normaliseValue(child, path ? `${path}.${key}` : key, arrayPaths);
    if (v !== undefined) obj[key] = v;
  }
  return obj;
}

/** A field's value: its items normalised, then forced to an array at array paths. */
function normaliseValue(value: unknown, path: string, arrayPaths: ReadonlySet<string>): unknown {
  const items = (Array.isArray(value) ? value : [value]).map((v) => normaliseNode(v, path, arrayPaths)).filter((v) => v !== undefined);
  if (items.length === 0) return undefined;
  return arrayPaths.has(path) || items.length > 1 ? items : items[0];
}

/** Normalises the content of a body root (the object under `<Response>`). */
export function normaliseTree(root: Record<string, unknown>, arrayPaths: ReadonlySet<string>): Record<string, unknown> {
  return normaliseNode(root, '', arrayPaths) as Record<string, unknown>;
}
