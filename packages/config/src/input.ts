/** What a job node's input property may hold, turned into `Request.Input`. */
import { isObject } from '@node-red-tencent-ci/core';

export type InputResolution = { input: { Object?: string; Url?: string } } | { error: string };

const URL_PATTERN = /^https?:\/\//i;

/**
 * - a string: an object key (`input/demo.mp4`), or an http(s) URL where the job takes one;
 * - `{ Object }` / `{ Url }`: as given;
 * - a JobsDetail (the output of another job node): its `Input.Object`, so jobs chain.
 */
export function resolveInput(value: unknown, acceptsUrl: boolean): InputResolution {
  if (typeof value === 'string') {
    const v = value.trim();
    if (!v) return { error: 'empty' };
    if (URL_PATTERN.test(v)) return acceptsUrl ? { input: { Url: v } } : { error: 'url' };
    return { input: { Object: v.replace(/^\/+/, '') } };
  }
  if (isObject(value)) {
    const obj = value;
    const nested = obj.Input !== null && typeof obj.Input === 'object' ? (obj.Input as Record<string, unknown>) : undefined;
    const source = typeof obj.Object === 'string' || typeof obj.Url === 'string' ? obj : nested;
    if (source) {
      if (typeof source.Object === 'string' && source.Object.trim()) return { input: { Object: source.Object.trim() } };
      if (typeof source.Url === 'string' && source.Url.trim()) return acceptsUrl ? { input: { Url: source.Url.trim() } } : { error: 'url' };
    }
  }
  return { error: value === undefined || value === null ? 'empty' : 'type' };
}
