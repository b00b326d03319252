/** The retry policy (docs/api/errors.md#retries): which failures to repeat, and how long to wait. */
import { CiError } from './errors';

export interface RetryOptions {
  /** Further attempts after the first (default 3). */
  retries?: number;
  /** First backoff delay in ms (default 200); doubles per attempt. */
  minDelayMs?: number;
  /** Largest backoff delay in ms (default 5000), also the cap on Retry-After. */
  maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { retries: 3, minDelayMs: 200, maxDelayMs: 5000 };

/** Network errors raised before a connection existed: the request certainly never reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** The error code of a network error, looking through undici's wrappers. */
export function networkErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 4; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function neverSent(err: unknown): boolean {
  const code = networkErrorCode(err);
  return code !== undefined && NOT_SENT_CODES.has(code);
}

/**
 * CI answers that reject a submit before any job exists, so repeating it cannot create
 * a duplicate: throttling and a full queue (docs/api/errors.md#codes).
 */
export function rejectedBeforeProcessing(err: CiError): boolean {
  return err.code === 'SlowDown' || err.code === 'QueueSaturated' || err.status === 429;
}

/** Capped exponential backoff with jitter: a random delay in [d/2, d], d = min(max, min·2^attempt). */
export function backoffDelay(attempt: number, options: Required<RetryOptions>, retryAfterSeconds?: number, random: () => number = Math.random): number {
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
    return Math.min(retryAfterSeconds * 1000, options.maxDelayMs);
  }
  const ceiling = Math.min(options.maxDelayMs, options.minDelayMs * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}
