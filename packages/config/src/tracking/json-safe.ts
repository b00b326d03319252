/**
 * A copy of a message that any context store can keep: what JSON.stringify would write,
 * without throwing. HTTP request/response objects (`msg.req`, `msg.res`) are dropped, and so
 * are functions, symbols, BigInts and circular references.
 */

/** Top-level message properties that only make sense in the running process. */
const DROPPED = new Set(['req', 'res']);

function copy(value: unknown, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'object':
      break;
    default:
      return undefined; // undefined, function, symbol, bigint
  }
  if (value === null) return null;
  const obj = value as Record<string, unknown> & { toJSON?: () => unknown };
  if (typeof obj.toJSON === 'function') {
    let json: unknown;
    try {
      json = obj.toJSON(); // Date -> string, Buffer -> { type, data }
    } catch {
      return undefined;
    }
    return json === value ? undefined : copy(json, ancestors);
  }
  if (ancestors.has(obj)) return undefined;
  ancestors.add(obj);
  try {
    if (Array.isArray(obj)) return obj.map((item) => copy(item, ancestors) ?? null);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) {
      let item: unknown;
      try {
        item = obj[key];
      } catch {
        continue; // a throwing getter
      }
      const c = copy(item, ancestors);
      if (c !== undefined) out[key] = c;
    }
    return out;
  } finally {
    ancestors.delete(obj);
  }
}

/** The message as a plain JSON value (without `req` and `res`). */
export function jsonSafeMessage(msg: Record<string, unknown>): Record<string, unknown> {
  const top: Record<string, unknown> = {};
  for (const key of Object.keys(msg)) {
    if (!DROPPED.has(key)) top[key] = msg[key];
  }
  return (copy(top, new Set([msg])) as Record<string, unknown> | undefined) ?? {};
}
