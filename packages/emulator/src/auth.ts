/**
 * Verifies a request's q-sign-sha1 signature the way the service does (docs/api/signing.md;
 * https://cloud.tencent.com/document/product/436/7778): the signature is recomputed over
 * exactly the headers and query parameters named in q-header-list and q-url-param-list, with
 * the decoded path, and the KeyTime window is checked against the (possibly skewed) server
 * clock.
 *
 * Two dialects share these rules. `ci` (the /jobs API) takes the signature from the
 * Authorization header and answers CI's codes (401s). `cos` (objects and bucket listing)
 * also takes it from the query string, as the official SDKs' `getObjectUrl` writes it
 * (`?q-sign-algorithm=sha1&q-ak=…&q-signature=…`, plus `x-cos-security-token` with STS
 * keys), and answers COS's codes (403s, see CosErrors).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { parseAuthorization, parseKeyTime, signatureFor, uriEncode } from '@node-red-tencent-ci/core';
import { timingSafeEqual } from 'node:crypto';
import { type ApiError, CosErrors, Errors } from './api-error';

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

export type Dialect = 'ci' | 'cos';

export interface VerifyOptions {
  /** Default `ci`. */
  dialect?: Dialect;
  /** Headers that may carry the STS token (default: x-ci-security-token, x-cos-security-token). */
  tokenHeaders?: readonly string[];
}

/** A signature may start this far in the future before it counts as skewed. */
const FUTURE_TOLERANCE_S = 900;

/** The fields of a signature carried in the query string (COS; the SDKs' getObjectUrl). */
const QUERY_SIGNATURE_FIELDS = new Set(['q-sign-algorithm', 'q-ak', 'q-sign-time', 'q-key-time', 'q-header-list', 'q-url-param-list', 'q-signature']);
/** The query parameter that carries the STS token in a signed URL (sdk/base.js getObjectUrl). */
const TOKEN_PARAM = 'x-cos-security-token';
const DEFAULT_TOKEN_HEADERS = ['x-ci-security-token', 'x-cos-security-token'] as const;

/** How a dialect refuses each failure. */
interface Refusals {
  missing(): ApiError;
  malformed(message: string): ApiError;
  unknownSecretId(): ApiError;
  expired(end: number, now: number): ApiError;
  notYetValid(start: number, now: number): ApiError;
  /** A header or parameter named in a list is not in the request. */
  listedMissing(message: string): ApiError;
  mismatch(): ApiError;
  token(missing: boolean): ApiError;
  /**
   * COS resolves a temporary SecretId through its token, so a missing or wrong token is an
   * unknown key, found before the time or the signature is looked at; CI checks it last.
   */
  tokenFirst: boolean;
}

const CI: Refusals = {
  missing: () => Errors.missingAuthorization(),
  malformed: (message) => Errors.invalidAuthorization(message),
  unknownSecretId: () => Errors.secretIdNotExist(),
  expired: (end, now) => Errors.signatureExpired(`Request has expired: the signature was valid until ${end}, the server time is ${now}.`),
  notYetValid: (start, now) =>
    Errors.signatureExpired(`The signature starts at ${start}, more than ${FUTURE_TOLERANCE_S} s after the server time ${now}; check the clock.`),
  listedMissing: (message) => Errors.invalidAuthorization(message),
  mismatch: () => Errors.signatureMismatch(),
  token: () => Errors.tokenInvalid(),
  tokenFirst: false,
};

const COS: Refusals = {
  missing: () => CosErrors.anonymous(),
  malformed: (message) => CosErrors.malformedSignature(message),
  unknownSecretId: () => CosErrors.invalidAccessKeyId(),
  expired: () => CosErrors.requestExpired(),
  notYetValid: () => CosErrors.requestTimeTooSkewed(),
  listedMissing: (message) => CosErrors.signatureDoesNotMatch(` ${message}`),
  mismatch: () => CosErrors.signatureDoesNotMatch(),
  token: (missing) =>
    CosErrors.invalidAccessKeyId(
      missing ? ' A temporary SecretId needs its x-cos-security-token.' : ' The x-cos-security-token does not belong to this temporary SecretId.',
    ),
  tokenFirst: true,
};

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The signature of a request as one Authorization string: the header, or (COS) the q-*
 * parameters of the query string joined back together. Undefined when there is none.
 */
function signatureOf(req: SignedRequest, dialect: Dialect): string | undefined {
  const header = headerValue(req.headers, 'authorization');
  if (header !== undefined || dialect === 'ci') return header;
  const fields = req.query.filter(([k]) => QUERY_SIGNATURE_FIELDS.has(k.toLowerCase()));
  return fields.length ? fields.map(([k, v]) => `${k}=${v}`).join('&') : undefined;
}

/** The canonical form of a q-url-param-list entry, whether it arrived encoded once (`a%20b`) or decoded (`a b`). */
function listedParam(name: string): string {
  return uriEncode(safeDecode(name)).toLowerCase();
}

function tokenOf(req: SignedRequest, options: VerifyOptions): string | undefined {
  for (const name of options.tokenHeaders ?? DEFAULT_TOKEN_HEADERS) {
    const v = headerValue(req.headers, name);
    if (v !== undefined) return v;
  }
  if (options.dialect === 'cos') return req.query.find(([k]) => k.toLowerCase() === TOKEN_PARAM)?.[1];
  return undefined;
}

/** Throws the ApiError the service would answer, or returns when the request is properly signed. */
export function verifyRequest(req: SignedRequest, creds: Credentials, nowMs: number, options: VerifyOptions = {}): void {
  const dialect = options.dialect ?? 'ci';
  const refuse = dialect === 'cos' ? COS : CI;
  const signature = signatureOf(req, dialect);
  if (signature === undefined || signature === '') throw refuse.missing();
  const auth = parseAuthorization(signature);
  if (!auth) throw refuse.malformed('The signature (Authorization) is malformed.');
  if (auth.algorithm.toLowerCase() !== 'sha1') throw refuse.malformed(`q-sign-algorithm ${auth.algorithm} is not supported; use sha1.`);
  let window: { start: number; end: number };
  try {
    window = parseKeyTime(auth.keyTime);
    parseKeyTime(auth.signTime);
  } catch {
    throw refuse.malformed('q-sign-time / q-key-time must be "<start>;<end>" in Unix seconds.');
  }
  if (auth.ak !== creds.secretId) throw refuse.unknownSecretId();
  const checkToken = () => {
    if (!creds.sessionToken) return;
    const token = tokenOf(req, { ...options, dialect });
    if (!token || !safeEqual(token, creds.sessionToken)) throw refuse.token(!token);
  };
  if (refuse.tokenFirst) checkToken();
  const now = Math.floor(nowMs / 1000);
  if (now > window.end) throw refuse.expired(window.end, now);
  if (window.start > now + FUTURE_TOLERANCE_S) throw refuse.notYetValid(window.start, now);

  const headers: Record<string, string> = {};
  for (const name of auth.headerList) {
    const key = safeDecode(name);
    const value = headerValue(req.headers, key);
    if (value === undefined) throw refuse.listedMissing(`The signed header ${key} is not in the request.`);
    headers[key] = value;
  }
  const query: Record<string, string> = {};
  for (const name of auth.urlParamList) {
    const listed = listedParam(name);
    const pair = req.query.find(([k]) => uriEncode(k).toLowerCase() === listed);
    if (!pair) throw refuse.listedMissing(`The signed query parameter ${safeDecode(name)} is not in the request.`);
    query[pair[0]] = pair[1];
  }
  let expected: string;
  try {
    expected = signatureFor({ secretKey: creds.secretKey, keyTime: auth.keyTime, method: req.method, pathname: req.pathname, query, headers });
  } catch {
    throw refuse.malformed('The request cannot be signed as sent (invalid characters).');
  }
  if (!safeEqual(expected, auth.signature.toLowerCase())) throw refuse.mismatch();

  if (!refuse.tokenFirst) checkToken();
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
