/**
 * The raw bytes of a callback body, read by the route itself up to the node's limit.
 *
 * Normally the stream is untouched (see body-claim.ts). When some middleware consumed it
 * anyway (e.g. a parser in httpNodeMiddleware that ignores `req._body`), what it left in
 * `req.body` is used: bytes or text as they are, a parsed object serialised again, but
 * only after a walk without recursion has checked its nesting and size, so that a body
 * nested 100,000 levels deep is refused instead of overflowing the stack.
 */
import type { Request } from 'express';
import { readBody as readStreamBody } from '@node-red-tencent-ci/core';
import { isClaimed } from './body-claim';

/**
 * A request as the route gets it. body-parser (Node-RED's own parsers, or one in
 * httpNodeMiddleware) marks a request whose body it has read with `_body = true`, which
 * Express's `Request` type does not declare; body-claim.ts sets it to keep them off.
 */
export type CallbackRequest = Request & { _body?: boolean };

export type BodyResult = { kind: 'body'; body: Buffer } | { kind: 'tooLarge' } | { kind: 'tooDeep' } | { kind: 'aborted' };

export interface BodyLimits {
  /** Largest body accepted, in bytes. */
  readonly maxBytes: number;
  /** Deepest nesting accepted (objects and arrays). */
  readonly maxDepth: number;
}

/**
 * Whether a parsed value nests deeper than `maxDepth` ('tooDeep') or has more values than
 * `maxValues` ('tooLarge'; every value takes at least a byte of JSON, and a cycle never
 * ends); undefined when it is within both.
 */
export function parsedValueProblem(value: unknown, maxDepth: number, maxValues: number): 'tooDeep' | 'tooLarge' | undefined {
  const stack: Array<[unknown, number]> = [[value, 0]];
  let visited = 0;
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    visited += 1;
    if (visited > maxValues) return 'tooLarge';
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > maxDepth) return 'tooDeep';
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return undefined;
}

/** What a parser that ran before the route left, back to bytes. */
export function consumedBody(body: unknown, limits: BodyLimits): BodyResult {
  let bytes: Buffer;
  if (Buffer.isBuffer(body)) bytes = body;
  else if (typeof body === 'string') bytes = Buffer.from(body, 'utf8');
  else if (body !== null && typeof body === 'object') {
    const problem = parsedValueProblem(body, limits.maxDepth, limits.maxBytes);
    if (problem) return { kind: problem };
    bytes = Buffer.from(JSON.stringify(body), 'utf8');
  } else bytes = Buffer.alloc(0);
  return bytes.length > limits.maxBytes ? { kind: 'tooLarge' } : { kind: 'body', body: bytes };
}

/** True when something before the route read the stream. */
function isConsumed(req: CallbackRequest): boolean {
  return req.readableEnded || (req._body === true && !isClaimed(req));
}

/** Reads the request body up to `limits.maxBytes` bytes, whatever its content type. */
export function readBody(req: CallbackRequest, limits: BodyLimits): Promise<BodyResult> {
  if (isConsumed(req)) return Promise.resolve(consumedBody(req.body, limits));
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes) return Promise.resolve({ kind: 'tooLarge' });
  return readStreamBody(req, limits.maxBytes);
}
