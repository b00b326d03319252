/**
 * One route per HTTP app, many nodes behind it.
 *
 * `POST <httpNodeRoot>tencent-ci/callback/:path` (token in `?token=`) and
 * `POST <httpNodeRoot>tencent-ci/callback/:path/:token` are registered once per Express app
 * (`RED.httpNode`; the test helper makes a fresh one per load, hence the WeakMap). Nodes
 * register a path on start and unregister it on close, so no route is ever removed from
 * Express's router stack (nodered-conventions.md §0-8).
 *
 * The route reads the raw body itself (whatever the content type, up to the node's limit)
 * and answers before the flow runs:
 *   unknown path 404 · wrong or missing token 401 · body over the limit 413 ·
 *   not a CI callback 400 · accepted 200 (then the node emits) · node closing meanwhile 503.
 */
import type { ErrorMiddleware, HttpApp, HttpRequest, HttpResponse, Middleware } from './http';
import { tokenOf } from './token';

export const ROUTE_BASE = '/tencent-ci/callback';

/** What the receiving node does with a request. */
export interface Receiver {
  /** Largest body accepted, in bytes. */
  readonly maxBytes: number;
  /** Constant-time token check. */
  accepts(token: string | undefined): boolean;
  /** A request was refused before its body was parsed. */
  rejected(reason: 'token' | 'tooLarge'): void;
  /**
   * Parses a body. Answers the HTTP status; with 200, `after` runs once the answer is on its
   * way (it emits, or confirms and then emits).
   */
  receive(body: Buffer): { status: 200; after: () => void } | { status: 400 | 413 };
}

type BodyResult = { kind: 'body'; body: Buffer } | { kind: 'tooLarge' } | { kind: 'aborted' };

/** A body some middleware (httpNodeMiddleware) already parsed, back to bytes. */
function consumedBody(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body !== null && typeof body === 'object' && Object.keys(body).length > 0) return Buffer.from(JSON.stringify(body), 'utf8');
  return Buffer.alloc(0);
}

/** Reads the request body up to `limit` bytes, whatever its content type. */
export function readRawBody(req: HttpRequest, limit: number): Promise<BodyResult> {
  if (req._body || req.readableEnded) {
    const body = consumedBody(req.body);
    return Promise.resolve(body.length > limit ? { kind: 'tooLarge' } : { kind: 'body', body });
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'tooLarge' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      resolve(result);
    };
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      size += buf.length;
      if (size > limit) {
        chunks.length = 0;
        settle({ kind: 'tooLarge' });
        req.resume(); // let the rest flow past unread; the 413 closes the connection
        return;
      }
      chunks.push(buf);
    };
    const onEnd = () => settle({ kind: 'body', body: Buffer.concat(chunks, size) });
    req.on('data', onData);
    req.on('end', onEnd);
    req.once('error', () => settle({ kind: 'aborted' }));
    req.once('aborted', () => settle({ kind: 'aborted' }));
  });
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

  async handle(req: HttpRequest, res: HttpResponse): Promise<void> {
    const path = req.params.path ?? '';
    const receiver = this.receivers.get(path);
    if (!receiver) {
      res.sendStatus(404);
      return;
    }
    if (!receiver.accepts(tokenOf(req.params, req.query))) {
      receiver.rejected('token');
      res.sendStatus(401);
      return;
    }
    const read = await readRawBody(req, receiver.maxBytes);
    if (read.kind === 'aborted') return;
    if (read.kind === 'tooLarge') {
      receiver.rejected('tooLarge');
      res.set('Connection', 'close');
      res.sendStatus(413);
      return;
    }
    if (this.receivers.get(path) !== receiver) {
      res.sendStatus(503); // the node closed while the body arrived; CI retries later
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
  httpNodeMiddleware?: unknown;
}

function middlewareOf(settings: RouteSettings): Middleware[] {
  const m = settings.httpNodeMiddleware;
  if (typeof m === 'function') return [m as Middleware];
  if (Array.isArray(m)) return m.filter((f): f is Middleware => typeof f === 'function');
  return [];
}

/** The dispatcher of `app`, registering the route on first use. */
export function dispatcherFor(app: HttpApp, settings: RouteSettings): Dispatcher {
  let dispatcher = dispatchers.get(app);
  if (dispatcher) return dispatcher;
  const d = new Dispatcher();
  dispatcher = d;
  dispatchers.set(app, d);
  const route: Middleware = (req, res) => {
    d.handle(req, res).catch(() => {
      if (!res.headersSent) res.sendStatus(500);
    });
  };
  const onError: ErrorMiddleware = (_err, _req, res) => {
    if (!res.headersSent) res.sendStatus(500); // never Express's default page (it shows the error)
  };
  app.post([`${ROUTE_BASE}/:path`, `${ROUTE_BASE}/:path/:token`], ...middlewareOf(settings), route, onError);
  return d;
}
