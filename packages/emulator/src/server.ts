/**
 * The HTTP front: routes a request, injects faults, checks the signature, and answers in
 * the service's style: the /jobs API as CI does (x-ci-request-id, Server: tencent-ci, Date,
 * `<Error>` bodies with CI's codes), objects and bucket listing as COS does
 * (x-cos-request-id, Server: tencent-cos, `<Error>` with COS's codes and a Resource).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { readBody as readRequestBody } from '@node-red-tencent-ci/core';
import { ApiError, CosErrors, Errors } from './api-error';
import { verifyRequest, type Credentials } from './auth';
import { xmlError } from './bodies';
import { contentTypeOf } from './buckets';
import { describeRoute, DESCRIBE_PATHS } from './describe-api';
import { listObjects } from './list-objects';
import type { FaultRoute } from './faults';
import { newRequestId } from './ids';
import { handleInstant } from './instant-api';
import { hasCiProcess, knownCiProcess } from './media/instant';
import type { Job } from './job';
import { cancelJob, describeJobs, listJobs, submitJob, type ApiResult } from './jobs-api';
import { jobCounts, type EmulatorState } from './state';

const API_BODY_LIMIT = 1024 * 1024;
const OBJECT_BODY_LIMIT = 1024 * 1024 * 1024;
const CI_HOST = /^([a-z0-9][a-z0-9-]*-\d+)\.(ci|cos)\.([a-z0-9-]+)\.myqcloud\.com(?::\d+)?$/;

type Route = Exclude<FaultRoute, '*' | 'callback'>;

const COS_TOKEN_HEADERS = ['x-cos-security-token'] as const;

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** The path of a request URL as sent (still encoded), without its query. */
function rawPathOf(url: string | undefined): string {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
}

interface Parsed {
  pathname: string;
  query: Array<[string, string]>;
}

function decode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

function parseUrl(url: string): Parsed {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  try {
    return {
      pathname: decodeURIComponent(rawPath),
      query: rawQuery
        .split('&')
        .filter(Boolean)
        .map((part) => {
          const eq = part.indexOf('=');
          return eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))];
        }),
    };
  } catch {
    throw Errors.invalidArgument('The URL is not properly percent-encoded.');
  }
}

/** `cos`: `<bucket>.cos.<region>.myqcloud.com`; `ci`: `<bucket>.ci.<region>.myqcloud.com`; `other`: loopback and the rest. */
type HostKind = 'cos' | 'ci' | 'other';

/**
 * A COS host serves only the COS API: every path is an object (`/` is the bucket). Other
 * hosts serve the CI API and, beside it, objects (GET, HEAD, PUT) and, except CI hosts,
 * the bucket listing. The `object` route counts and takes the faults of both.
 */
function routeOf(method: string, pathname: string, host: HostKind): Route | undefined {
  if (host === 'cos') return 'object';
  // The describe calls (buckets, queues, templates; docs/api/describe.md) are GETs on the CI host, counted as `list`.
  if ((DESCRIBE_PATHS as readonly string[]).includes(pathname)) return 'list';
  if (pathname === '/jobs') return method === 'POST' ? 'submit' : method === 'GET' ? 'list' : undefined;
  if (pathname.startsWith('/jobs/')) return method === 'GET' ? 'describe' : method === 'PUT' ? 'cancel' : undefined;
  if (pathname === '/') return host === 'other' && (method === 'GET' || method === 'HEAD') ? 'object' : undefined;
  if (method === 'GET' || method === 'HEAD' || method === 'PUT') return 'object';
  return undefined;
}

/**
 * The one range of a `Range: bytes=…` header (COS serves a single range: GetObject,
 * https://cloud.tencent.com/document/product/436/7753), `unsatisfiable` for one that starts
 * past the end, or undefined to send the whole object: no header, another unit, several
 * ranges or a malformed one (RFC 9110 §14.2: an invalid Range is ignored).
 */
function rangeOf(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = header === undefined ? null : /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1) };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const result = await readRequestBody(req, limit);
  if (result.kind === 'tooLarge') throw Errors.bodyTooLarge(limit);
  if (result.kind === 'aborted') throw new Error('the request ended before its body did');
  return result.body;
}

export interface ServerContext {
  state: EmulatorState;
  credentials: Credentials;
  /** Ends a job: callbacks and bookkeeping (used by cancel). */
  finish(job: Job): void;
}

export function createHandler(ctx: ServerContext) {
  const { state } = ctx;

  function baseHeaders(requestId: string, route?: Route): Record<string, string> {
    const cos = route === 'object';
    return { Server: cos ? 'tencent-cos' : 'tencent-ci', Date: new Date(state.now()).toUTCString(), [cos ? 'x-cos-request-id' : 'x-ci-request-id']: requestId };
  }

  /** `resource`: the host and path a COS error names in `<Resource>`. */
  function sendError(res: ServerResponse, err: ApiError, requestId: string, route?: Route, head = false, resource?: string): void {
    const traceId = Buffer.from(`${requestId}:${err.code}`).toString('base64');
    const body = xmlError(err.code, err.message, requestId, traceId, route === 'object' ? resource : undefined);
    const traceHeader = route === 'object' ? 'x-cos-trace-id' : 'x-ci-trace-id';
    res.writeHead(err.status, {
      ...baseHeaders(requestId, route),
      ...err.headers,
      [traceHeader]: traceId,
      'Content-Type': 'application/xml',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(head ? undefined : body);
  }

  async function debugRoute(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const json = (status: number, value: unknown) => {
      const body = JSON.stringify(value, null, 2);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (pathname === '/_emulator/stats' && req.method === 'GET') {
      return json(200, {
        requests: state.requests,
        faults: state.faults.injected,
        jobs: jobCounts(state.jobs),
        callbacks: state.callbacks.stats,
        queued: state.queue.size,
      });
    }
    if (pathname === '/_emulator/health')
      return json(200, { ok: true, bucket: state.bucket, region: state.region, ffmpeg: Boolean(state.tools.ffmpeg), ffprobe: Boolean(state.tools.ffprobe) });
    if (pathname === '/_emulator/faults' && req.method === 'GET') return json(200, state.faults.active);
    if (pathname === '/_emulator/faults' && (req.method === 'POST' || req.method === 'PUT')) {
      try {
        state.faults.set((await readBody(req, 64 * 1024)).toString('utf8').trim());
        return json(200, state.faults.active);
      } catch (err) {
        return json(400, { error: (err as Error).message });
      }
    }
    const mq = /^\/_emulator\/mq\/(.+)$/.exec(pathname);
    if (mq && req.method === 'GET') return json(200, { name: mq[1], messages: state.callbacks.topics.get(mq[1]!) ?? [] });
    return json(404, { error: `No debug route ${pathname}; try /_emulator/stats, /_emulator/health, /_emulator/faults, /_emulator/mq/<name>` });
  }

  /** GET / (List Objects), HEAD / (HEAD Bucket), and PUT, GET, HEAD /<key>. */
  async function handleObject(
    req: IncomingMessage,
    res: ServerResponse,
    bucket: string,
    key: string,
    query: Parsed['query'],
    body: Buffer,
    requestId: string,
  ): Promise<void> {
    const headers = baseHeaders(requestId, 'object');
    const method = req.method ?? 'GET';
    if (key === '') {
      if (method !== 'GET' && method !== 'HEAD') throw CosErrors.methodNotAllowed();
      if (!(await state.buckets.hasBucket(bucket))) throw CosErrors.noSuchBucket();
      const xml = method === 'GET' ? await listObjects(state.buckets, bucket, new Map(query)) : '';
      res.writeHead(200, { ...headers, ...(xml ? { 'Content-Type': 'application/xml' } : {}), 'Content-Length': Buffer.byteLength(xml) });
      res.end(method === 'GET' ? xml : undefined);
      return;
    }
    if (method === 'PUT') {
      const etag = await state.buckets.put(bucket, key, body);
      res.writeHead(200, { ...headers, ETag: etag, 'Content-Length': 0 });
      res.end();
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') throw CosErrors.methodNotAllowed();
    let info: { size: number; mtime: Date };
    try {
      info = await state.buckets.head(bucket, key);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'NoSuchKey') throw (await state.buckets.hasBucket(bucket)) ? CosErrors.noSuchKey() : CosErrors.noSuchBucket();
      throw err;
    }
    const range = rangeOf(headerOf(req, 'range'), info.size);
    if (range === 'unsatisfiable') throw CosErrors.invalidRange(info.size);
    const objectHeaders: Record<string, string | number> = {
      ...headers,
      'Content-Type': contentTypeOf(key),
      'Content-Length': range ? range.end - range.start + 1 : info.size,
      'Accept-Ranges': 'bytes',
      ETag: await state.buckets.etag(bucket, key),
      'Last-Modified': info.mtime.toUTCString(),
      'x-cos-object-type': 'normal',
    };
    if (range) objectHeaders['Content-Range'] = `bytes ${range.start}-${range.end}/${info.size}`;
    res.writeHead(range ? 206 : 200, objectHeaders);
    if (method === 'HEAD') {
      res.end();
      return;
    }
    const stream = state.buckets.read(bucket, key, range);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const method = req.method ?? 'GET';
    let route: Route | undefined;
    let resource: string | undefined;
    try {
      const { pathname, query } = parseUrl(req.url ?? '/');
      if (pathname.startsWith('/_emulator/')) {
        await debugRoute(req, res, pathname);
        return;
      }
      const host = String(req.headers.host ?? '');
      const hostMatch = CI_HOST.exec(host);
      const hostKind: HostKind = hostMatch ? (hostMatch[2] as 'ci' | 'cos') : 'other';
      resource = `${hostMatch ? host.replace(/:\d+$/, '') : `${state.bucket}.cos.${state.region}.myqcloud.com`}${rawPathOf(req.url)}`;
      route = routeOf(method, pathname, hostKind);
      state.requests.total += 1;
      state.requests[route ?? 'unknown'] += 1;
      // The synchronous media APIs are object requests, counted also on their own.
      const instant = route === 'object' ? knownCiProcess(query) : undefined;
      if (instant) state.requests[instant] += 1;
      if (!route) throw Errors.invalidUrl(`${method} ${pathname}`);

      const { latencyMs, fault } = state.faults.draw(route);
      if (latencyMs > 0) await sleep(latencyMs);
      if (fault === 'drop-before') {
        req.socket.destroy();
        return;
      }
      if (fault === '429') throw Errors.slowDown();
      if (fault === '500') throw Errors.internal();
      if (fault === '503') throw Errors.unavailable();

      if (hostMatch && hostMatch[3] !== state.region) throw Errors.invalidHost(host);
      const bucket = hostMatch?.[1] ?? state.bucket;

      const body = await readBody(req, route === 'object' ? OBJECT_BODY_LIMIT : API_BODY_LIMIT);
      // COS hosts take the STS token only as x-cos-security-token (docs/api/signing.md).
      verifyRequest(
        { method, pathname, query, headers: req.headers },
        ctx.credentials,
        state.now(),
        route === 'object' ? { dialect: 'cos', tokenHeaders: hostKind === 'cos' ? COS_TOKEN_HEADERS : undefined } : undefined,
      );

      if (route === 'object') {
        if (fault === 'drop-after') {
          if (method === 'PUT') await state.buckets.put(bucket, pathname.slice(1), body);
          req.socket.destroy();
          return;
        }
        if (hasCiProcess(query)) await handleInstant(state, req, res, bucket, pathname.slice(1), query, baseHeaders(requestId, 'object'));
        else await handleObject(req, res, bucket, pathname.slice(1), query, body, requestId);
        return;
      }

      let result: ApiResult;
      if (route === 'submit') {
        result = await submitJob(state, req.headers, body, bucket);
      } else if (route === 'list') {
        result = describeRoute(state, method, pathname, query) ?? listJobs(state, new Map(query));
      } else if (route === 'describe') {
        result = describeJobs(state, pathname.slice('/jobs/'.length));
      } else {
        if (!query.some(([k]) => k === 'cancel')) throw Errors.invalidArgument('To cancel a job send PUT /jobs/<JobId>?cancel.');
        result = await cancelJob(state, pathname.slice('/jobs/'.length), ctx.finish);
      }
      if (fault === 'drop-after') {
        req.socket.destroy();
        return;
      }
      const headers: Record<string, string | number> = { ...baseHeaders(requestId, route), 'Content-Length': Buffer.byteLength(result.body) };
      if (result.body) headers['Content-Type'] = 'application/xml';
      res.writeHead(result.status, headers);
      res.end(result.body);
    } catch (err) {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const apiError = err instanceof ApiError ? err : new ApiError(500, 'InternalError', `Emulator error: ${(err as Error).message}`);
      if (!(err instanceof ApiError)) state.log(`error on ${method} ${req.url}: ${(err as Error).stack}`);
      sendError(res, apiError, requestId, route, method === 'HEAD', resource);
    }
  };
}
