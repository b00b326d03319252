/**
 * A small scriptable HTTP server for CiClient tests (not the emulator).
 *
 * Every request is recorded, and its Authorization is verified the way the service does it,
 * with the core's own building blocks: the signature is recomputed over the headers named in
 * q-header-list (values as received), the query parameters named in q-url-param-list (values
 * from the decoded query) and the decoded pathname, using the secret key the test gives.
 *
 * Replies come from a script: a queue of replies (used in order; the last one repeats) or a
 * function called for each request as soon as its headers have arrived (its body is filled in
 * on the record before a reply is sent). A reply is a response, a connection reset (before or
 * after the request body was read), or `hang` (never answer).
 */
import { CiClient } from '../../src/client';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { parseAuthorization, signatureFor, uriEncode, type ParsedAuthorization } from '../../src/sign';

export const TEST_SECRET_KEY = 'SECRETKEYtest0123456789';

export interface RecordedRequest {
  method: string;
  /** Raw path and query, exactly as received: `/jobs/j1?cancel`. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The request body (filled in once it has been read; '' when the connection was reset first). */
  body: string;
  /** The parsed Authorization header, when there is a well-formed one. */
  authorization?: ParsedAuthorization;
  /** Whether the Authorization's q-signature matches the one recomputed from the request. */
  signatureValid: boolean;
}

export type Reply = { status?: number; headers?: Record<string, string>; body?: string | Buffer } | { reset: 'before-body' | 'after-body' } | { hang: true };

/** Produces the reply to the `index`-th request (0-based). */
export type Handler = (req: RecordedRequest, index: number) => Reply | Promise<Reply>;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Replaces the script: a handler, or a queue of replies (the last one repeats). */
  respond(script: Handler | Reply[]): void;
  /** Closes the server and every connection, keep-alive and hanging ones included. */
  close(): Promise<void>;
}

const DEFAULT_REPLY: Reply = { status: 200, headers: { 'content-type': 'application/xml' }, body: '<Response></Response>' };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Verifies a request's signature exactly as the service does. */
export function verifySignature(
  req: { method: string; url: string; headers: IncomingHttpHeaders },
  secretKey: string,
): { authorization?: ParsedAuthorization; valid: boolean } {
  const authorization = parseAuthorization(req.headers.authorization);
  if (!authorization || authorization.algorithm !== 'sha1') return { authorization, valid: false };
  try {
    const url = new URL(req.url, 'http://placeholder');
    const headers: Record<string, string> = {};
    for (const name of authorization.headerList) {
      const decoded = decodeURIComponent(name);
      const value = header(req.headers, decoded);
      if (value === undefined) return { authorization, valid: false };
      headers[decoded] = value;
    }
    const query: Record<string, string> = {};
    for (const name of authorization.urlParamList) {
      const key = [...url.searchParams.keys()].find((k) => uriEncode(k).toLowerCase() === name);
      if (key === undefined) return { authorization, valid: false };
      query[key] = url.searchParams.get(key) ?? '';
    }
    const expected = signatureFor({
      secretKey,
      keyTime: authorization.keyTime,
      method: req.method,
      pathname: decodeURIComponent(url.pathname),
      query,
      headers,
    });
    return { authorization, valid: expected === authorization.signature };
  } catch {
    return { authorization, valid: false };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export async function startTestServer(script?: Handler | Reply[], options: { secretKey?: string } = {}): Promise<TestServer> {
  const secretKey = options.secretKey ?? TEST_SECRET_KEY;
  const requests: RecordedRequest[] = [];
  let handler: Handler = () => DEFAULT_REPLY;
  let connections = 0;

  const respond = (next: Handler | Reply[]): void => {
    if (typeof next === 'function') {
      handler = next;
    } else {
      const queue = [...next];
      handler = () => (queue.length > 1 ? queue.shift()! : (queue[0] ?? DEFAULT_REPLY));
    }
  };
  if (script) respond(script);

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { authorization, valid } = verifySignature({ method: req.method ?? '', url: req.url ?? '', headers: req.headers }, secretKey);
    const record: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: '',
      authorization,
      signatureValid: valid,
    };
    const index = requests.push(record) - 1;
    const reply = await handler(record, index);
    const socket = req.socket as Socket;
    if ('reset' in reply && reply.reset === 'before-body') {
      socket.resetAndDestroy();
      return;
    }
    record.body = await readBody(req);
    if ('reset' in reply) {
      socket.resetAndDestroy();
      return;
    }
    if ('hang' in reply) return;
    const body = reply.body ?? '';
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/xml', 'x-ci-request-id': `req-${index + 1}`, ...reply.headers });
    res.end(body);
  };

  const server = createServer((req, res) => {
    onRequest(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get connections() {
      return connections;
    },
    respond,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A CiClient pointed at a recording server, without retries, pushed onto `clients` so the
 * suite can close it: what the SDK-oracle tests compare against the official SDK's requests.
 */
export function recordingClient(
  server: TestServer,
  account: { secretId: string; secretKey: string; bucket: string; region: string },
  clients: CiClient[],
  sessionToken?: string,
): CiClient {
  const c = new CiClient({ ...account, sessionToken, endpoint: server.url, retry: false });
  clients.push(c);
  return c;
}
