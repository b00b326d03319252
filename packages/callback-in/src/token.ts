/** The callback URL's secret: where a request carries it, and a comparison that leaks nothing. */
import { createHash, timingSafeEqual } from 'node:crypto';

/** What a token and a path may hold: URL-safe characters only. */
export const URL_SAFE = /^[A-Za-z0-9._~-]+$/;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** True when `candidate` equals `token`; in constant time, whatever the lengths. An empty token matches nothing. */
export function tokenMatches(token: string, candidate: unknown): boolean {
  if (!token || typeof candidate !== 'string' || !candidate) return false;
  return timingSafeEqual(digest(token), digest(candidate));
}

/** The token of a request: the path segment after `<path>/`, else the `token` query parameter. */
export function tokenOf(params: Record<string, string | undefined>, query: Record<string, unknown> | undefined): string | undefined {
  if (typeof params.token === 'string' && params.token) return params.token;
  const q = query?.token;
  if (typeof q === 'string') return q;
  if (Array.isArray(q) && typeof q[0] === 'string') return q[0];
  return undefined;
}

/** `text` with every occurrence of `token` replaced by `?`: body texts a warning shows may quote it. */
export function withoutToken(text: string, token: string): string {
  return token ? text.split(token).join('?') : text;
}
