/**
 * The parsing limits every callback-in node applies, from settings.js:
 *
 *     tencentCi: { callback: { maxDepth: 64, maxJobs: 100 } }
 *
 * A missing value takes the default; a value that is not a whole number in range takes the
 * default too, and is reported so that the node can warn once.
 */
import { DEFAULT_MAX_CALLBACK_JOBS, DEFAULT_MAX_DEPTH, isObject, wholeNumberSetting } from '@node-red-tencent-ci/core';

interface Limit {
  /** The setting's name under `tencentCi.callback`. */
  name: 'maxDepth' | 'maxJobs';
  min: number;
  max: number;
  fallback: number;
}

/** Deeper limits would let the parsers' own recursion be the limit; 10,000 jobs are 10,000 msgs. */
const LIMITS: readonly Limit[] = [
  { name: 'maxDepth', min: 2, max: 1000, fallback: DEFAULT_MAX_DEPTH },
  { name: 'maxJobs', min: 1, max: 10_000, fallback: DEFAULT_MAX_CALLBACK_JOBS },
];

export interface CallbackLimits {
  maxDepth: number;
  maxJobs: number;
  /** Settings that were set but not usable: the default was used instead. */
  invalid: Limit[];
}

const record = (value: unknown): Record<string, unknown> | undefined => (isObject(value) ? value : undefined);

/** The limits `settings.tencentCi.callback` sets (the `tencentCi` value is passed in). */
export function callbackLimits(tencentCi: unknown): CallbackLimits {
  const callback = record(record(tencentCi)?.callback) ?? {};
  const out: CallbackLimits = { maxDepth: DEFAULT_MAX_DEPTH, maxJobs: DEFAULT_MAX_CALLBACK_JOBS, invalid: [] };
  for (const limit of LIMITS) {
    const value = wholeNumberSetting(callback[limit.name], limit.min, limit.max);
    if (value === 'invalid') out.invalid.push(limit);
    else if (value !== undefined) out[limit.name] = value;
  }
  return out;
}
