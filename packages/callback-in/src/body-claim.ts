/**
 * Keeps other body parsers off callback requests, so that the route reads the body itself.
 *
 * With Node-RED's default layout (httpAdminRoot and httpNodeRoot both `/`) the editor API
 * app, mounted first, runs `body-parser`'s json and urlencoded parsers on every request,
 * callbacks included: they would parse a body before its token is checked, answer errors
 * with Express's HTML page, and hand over a parsed object instead of the bytes. Those
 * parsers (and every parser built on `body-parser`) skip a request whose `req._body` is
 * already true. A listener put first on the HTTP server's 'request' event sets it on POSTs
 * to `<httpNodeRoot>tencent-ci/callback…` before any Express app sees them (matched without
 * regard to case, as Express matches routes), and marks them as claimed so the route knows
 * the stream is still unread.
 */
import type { IncomingMessage } from 'node:http';
import { ROUTE_BASE } from './route-base';

/** Shared by every copy of this module, so that two copies agree on a claimed request. */
const CLAIMED = Symbol.for('node-red-tencent-ci.callback-in.claimed');

type ClaimableRequest = IncomingMessage & { _body?: boolean; [CLAIMED]?: boolean };

interface RequestEmitter {
  prependListener(event: 'request', listener: (req: IncomingMessage) => void): unknown;
}

/** The lower-cased path prefixes claimed on each server. */
const prefixesOf = new WeakMap<object, Set<string>>();

/** `<httpNodeRoot>tencent-ci/callback`, lower-cased; the root as Node-RED formats it (`/` when unset). */
export function callbackPrefix(httpNodeRoot: unknown): string {
  let root = typeof httpNodeRoot === 'string' && httpNodeRoot ? httpNodeRoot : '/';
  if (!root.startsWith('/')) root = `/${root}`;
  if (!root.endsWith('/')) root = `${root}/`;
  return `${root}${ROUTE_BASE.slice(1)}`.toLowerCase();
}

/** The path of a request target (origin or absolute form), without query; undefined when unreadable. */
function pathnameOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (url.startsWith('/')) return url.split(/[?#]/, 1)[0];
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

/** True for a POST whose path is `prefix` or lies under it. */
export function isCallbackPost(method: string | undefined, url: string | undefined, prefixes: Iterable<string>): boolean {
  if (method !== 'POST') return false;
  const path = pathnameOf(url)?.toLowerCase();
  if (path === undefined) return false;
  for (const prefix of prefixes) {
    if (path === prefix || path.startsWith(`${prefix}/`)) return true;
  }
  return false;
}

function isRequestEmitter(server: unknown): server is RequestEmitter {
  return server !== null && typeof server === 'object' && typeof (server as RequestEmitter).prependListener === 'function';
}

/**
 * Claims callback POSTs under `httpNodeRoot` on `server` (Node-RED's `RED.server`). The
 * listener is installed once per server; later calls only add a root. False when there is
 * no server to listen on (Node-RED embedded without one): then a parser that runs first may
 * still consume a body, and the route falls back to what it left.
 */
export function claimCallbackBodies(server: unknown, httpNodeRoot: unknown): boolean {
  if (!isRequestEmitter(server)) return false;
  let prefixes = prefixesOf.get(server);
  if (!prefixes) {
    const claimed = new Set<string>();
    prefixes = claimed;
    prefixesOf.set(server, claimed);
    server.prependListener('request', (req: ClaimableRequest) => {
      try {
        if (isCallbackPost(req.method, req.url, claimed)) {
          req._body = true;
          req[CLAIMED] = true;
        }
      } catch {
        // Never in the way of a request: unclaimed, it takes Node-RED's usual path.
      }
    });
  }
  prefixes.add(callbackPrefix(httpNodeRoot));
  return true;
}

/** True when the request was claimed before any parser saw it. */
export function isClaimed(req: IncomingMessage): boolean {
  return (req as ClaimableRequest)[CLAIMED] === true;
}
