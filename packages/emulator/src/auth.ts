/**
 * Verifies a request's q-sign-sha1 Authorization the way the service does (docs/api/signing.md):
 * the signature is recomputed over exactly the headers and query parameters named in
 * q-header-list and q-url-param-list, with the decoded path, and the KeyTime window is
 * checked against the (possibly skewed) server clock.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { parseAuthorization, parseKeyTime, signatureFor, uriEncode } from '@node-red-tencent-ci/core';
import { timingSafeEqual } from 'node:crypto';
import { Errors } from './api-error';

export interface Credentials {
  secretId: string;
  secretKey: string;
  sessionToken?: string;
}

export interface SignedRequest {
  method: string;
  /** The decoded path. */
  pathname: string;
  /** Query parameters, decoded, in order. */
  query: Array<[string, string]>;
  headers: IncomingHttpHeaders;
}

/** A signature may start this far in the future before it counts as skewed. */
const FUTURE_TOLERANCE_S = 900;

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Throws the ApiError the service would answer, or returns when the request is properly signed. */
export function verifyRequest(req: SignedRequest, creds: Credentials, nowMs: number): void {
  const header = headerValue(req.headers, 'authorization');
  if (!header) throw Errors.missingAuthorization();
  const auth = parseAuthorization(header);
  if (!auth) throw Errors.invalidAuthorization('The Authorization header is malformed.');
  if (auth.algorithm.toLowerCase() !== 'sha1') throw Errors.invalidAuthorization(`q-sign-algorithm ${auth.algorithm} is not supported; use sha1.`);
  let window: { start: number; end: number };
  try {
    window = parseKeyTime(auth.keyTime);
    parseKeyTime(auth.signTime);
  } catch {
    throw Errors.invalidAuthorization('q-sign-time / q-key-time must be "<start>;<end>" in Unix seconds.');
  }
  if (auth.ak !== creds.secretId) throw Errors.secretIdNotExist();
  const now = Math.floor(nowMs / 1000);
  if (now > window.end) throw Errors.signatureExpired(`Request has expired: the signature was valid until ${window.end}, the server time is ${now}.`);
  if (window.start > now + FUTURE_TOLERANCE_S) {
    throw Errors.signatureExpired(`The signature starts at ${window.start}, more than ${FUTURE_TOLERANCE_S} s after the server time ${now}; check the clock.`);
  }

  const headers: Record<string, string> = {};
  for (const name of auth.headerList) {
    const key = safeDecode(name);
    const value = headerValue(req.headers, key);
    if (value === undefined) throw Errors.invalidAuthorization(`The signed header ${key} is not in the request.`);
    headers[key] = value;
  }
  const query: Record<string, string> = {};
  for (const name of auth.urlParamList) {
    const pair = req.query.find(([k]) => uriEncode(k).toLowerCase() === name);
    if (!pair) throw Errors.invalidAuthorization(`The signed query parameter ${safeDecode(name)} is not in the request.`);
    query[pair[0]] = pair[1];
  }
  let expected: string;
  try {
    expected = signatureFor({ secretKey: creds.secretKey, keyTime: auth.keyTime, method: req.method, pathname: req.pathname, query, headers });
  } catch {
    throw Errors.invalidAuthorization('The request cannot be signed as sent (invalid characters).');
  }
  if (!safeEqual(expected, auth.signature.toLowerCase())) throw Errors.signatureMismatch();

  if (creds.sessionToken) {
    const token = headerValue(req.headers, 'x-ci-security-token') ?? headerValue(req.headers, 'x-cos-security-token');
    if (!token || !safeEqual(token, creds.sessionToken)) throw Errors.tokenInvalid();
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
