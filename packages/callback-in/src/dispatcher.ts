/**
 * One route per HTTP app, many nodes behind it.
 *
 * `POST <httpNodeRoot>tencent-ci/callback/:path` (token in `?token=`) and
 * `POST <httpNodeRoot>tencent-ci/callback/:path/:token` are registered once per Express app
 * (`RED.httpNode`; the test helper makes a fresh one per load, hence the WeakMap). Nodes
 * register a path on start and unregister it on close, so no route is ever removed from
 * Express's router stack.
 *
 * Each request is answered before the flow runs, checked in this order, each step before
 * anything further is read:
 *   unknown path 404 · wrong or missing token 401 · content type that is not XML, JSON,
 *   text/plain or none 415 · body over the node's limit 413 · nesting or job count over the
 *   limits, or not a CI callback 400 · too many jobs still being confirmed 503 · node closing
 *   meanwhile 503 · accepted 200 (then the node emits).
 * Every answer is a short plain-text status; a refusal sent before the body was read closes
 * the connection instead of reading the rest. Errors (thrown by this route, by
 * httpNodeMiddleware, or by Express decoding the URL) get the same plain answer and are not
 * logged: Express's own error page would show a stack.
 */
import type { ErrorRequestHandler, Request, RequestHandler, Response, Router } from 'express';
import { readBody } from './body';
import { acceptsContentType, shownMediaType } from './content-type';
import { ROUTE_BASE } from './route-base';
import { tokenOf } from './token';

export { ROUTE_BASE };

/** Why a request was refused before its body was parsed. */
export type Refusal = { reason: 'token' } | { reason: 'mediaType'; mediaType: string } | { reason: 'tooLarge' } | { reason: 'tooDeep' };

export type Outcome = { status: 200; after: () => void } | { status: 400 | 413 | 503 };

/** What the receiving node does with a request. */
export interface Receiver {
  /** Largest body accepted, in bytes. */
  readonly maxBytes: number;
  /** Deepest nesting accepted. */
  readonly maxDepth: number;
  /** Constant-time token check. */
  accepts(token: string | undefined): boolean;
  /** A request was refused before its body was parsed. */
  rejected(refusal: Refusal): void;
  /**
   * Parses a body. Answers the HTTP status; with 200, `after` runs once the answer is on its
   * way (it emits, or confirms and then emits).
   */
  receive(body: Buffer): Outcome;
}

/** Answers `status` in plain text; when the body has not all arrived, closes the connection rather than read it. */
function refuse(req: Request, res: Response, status: number): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (!req.complete) res.set('Connection', 'close');
  res.sendStatus(status);
}

/** The status an error asks for (a 4xx or 5xx it carries), else 500. */
function statusOf(err: unknown): number {
  const e = err as { status?: unknown; statusCode?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : 500;
  return Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
}

export class Dispatcher {
  private readonly receivers = new Map<string, Receiver>();

  /** Claims `path` for `receiver`; false when another receiver holds it (the first one keeps it). */
  register(path: string, receiver: Receiver): boolean {
    const current = this.receivers.get(path);
    if (current && current !== receiver) return false;
    this.receivers.set(path, receiver);
    return true;
  }

  /** Releases `path` if `receiver` holds it. */
  unregister(path: string, receiver: Receiver): void {
    if (this.receivers.get(path) === receiver) this.receivers.delete(path);
  }

  has(path: string): boolean {
    return this.receivers.has(path);
  }

  async handle(req: Request, res: Response): Promise<void> {
    const path = req.params.path ?? '';
    const receiver = this.receivers.get(path);
    if (!receiver) {
      refuse(req, res, 404);
      return;
    }
    if (!receiver.accepts(tokenOf(req.params, req.query))) {
      receiver.rejected({ reason: 'token' });
      refuse(req, res, 401);
      return;
    }
    const contentType = req.headers['content-type'];
    if (!acceptsContentType(contentType)) {
      receiver.rejected({ reason: 'mediaType', mediaType: shownMediaType(contentType) });
      refuse(req, res, 415);
      return;
    }
    const read = await readBody(req, receiver);
    if (read.kind === 'aborted') return;
    if (read.kind === 'tooLarge' || read.kind === 'tooDeep') {
      receiver.rejected({ reason: read.kind });
      refuse(req, res, read.kind === 'tooLarge' ? 413 : 400);
      return;
    }
    if (this.receivers.get(path) !== receiver) {
      refuse(req, res, 503); // the node closed while the body arrived; CI retries later
      return;
    }
    const outcome = receiver.receive(read.body);
    res.sendStatus(outcome.status);
    if (outcome.status === 200) setImmediate(outcome.after);
  }
}

const dispatchers = new WeakMap<object, Dispatcher>();

/** The settings the route reads when it is registered. */
export interface RouteSettings {
  /** A handler or an array of handlers (Node-RED takes both; its settings type names only the first). */
  httpNodeMiddleware?: unknown;
}

function middlewareOf(settings: RouteSettings): RequestHandler[] {
  const m = settings.httpNodeMiddleware;
  if (typeof m === 'function') return [m as RequestHandler];
  if (Array.isArray(m)) return m.filter((f): f is RequestHandler => typeof f === 'function');
  return [];
}

/** The dispatcher of `app` (`RED.httpNode`, an Express app), registering the route on first use. */
export function dispatcherFor(app: Router, settings: RouteSettings): Dispatcher {
  const existing = dispatchers.get(app);
  if (existing) return existing;
  const d = new Dispatcher();
  dispatchers.set(app, d);
  const route: RequestHandler = (req, res) => {
    d.handle(req, res).catch(() => refuse(req, res, 500));
  };
  // Four parameters: Express treats a handler as an error handler by its arity.
  const onError: ErrorRequestHandler = (err, req, res, _next) => refuse(req, res, statusOf(err));
  const notFound: RequestHandler = (req, res) => refuse(req, res, 404);
  app.post([`${ROUTE_BASE}/:path`, `${ROUTE_BASE}/:path/:token`], ...middlewareOf(settings), route, onError);
  // The rest of the prefix is claimed too (see body-claim.ts): plain answers there as well.
  app.post([ROUTE_BASE, `${ROUTE_BASE}/*`], notFound);
  app.use(ROUTE_BASE, onError);
  return d;
}
