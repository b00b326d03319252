/**
 * Request signing for Tencent Cloud Infinite / COS (`q-sign-algorithm=sha1`).
 *
 * The algorithm (docs/api/signing.md; COS doc 436/7778, https://cloud.tencent.com/document/product/436/7778):
 *
 *   KeyTime       = "<start>;<end>"                                  (unix seconds)
 *   SignKey       = hex HMAC-SHA1(key = SecretKey, KeyTime)
 *   pairs         = for each query parameter / signed header:
 *                     key   -> uriEncode -> lower-case
 *                     value -> uriEncode (case kept; no value = "")
 *                   sorted by encoded key (byte order), then by encoded value
 *   HttpString    = lower(method) \n decodedPath \n params \n headers \n
 *   StringToSign  = "sha1" \n KeyTime \n hex SHA1(HttpString) \n
 *   Signature     = hex HMAC-SHA1(key = SignKey AS ITS HEX STRING, StringToSign)
 *   Authorization = q-sign-algorithm=sha1&q-ak=…&q-sign-time=KeyTime&q-key-time=KeyTime
 *                   &q-header-list=a;b&q-url-param-list=c;d&q-signature=…
 *
 * `sign()` is the one entry point for clients. The small pure functions below it are
 * exported so that a server (the emulator) can verify a received Authorization with the
 * exact same rules: parse it with `parseAuthorization`, pick the listed headers and query
 * parameters from the request, and compare `signatureFor(...)` with the received signature.
 *
 * No error thrown here ever contains the SecretKey.
 */
import * as crypto from 'node:crypto';
import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/** Query parameters to sign. `undefined`, `null` and `''` all mean "parameter without value" (`?cancel` -> `cancel=`). */
export type SignQuery = Record<string, string | undefined | null>;
/** Headers to sign, exactly as sent. Keys in any case; `undefined` values are skipped. */
export type SignHeaders = Record<string, string | number | undefined>;

export interface SignOptions {
  secretId: string;
  secretKey: string;
  /** HTTP method, any case. */
  method: string;
  /** The DECODED path, starting with '/', e.g. '/jobs' or '/exampleobject(腾讯云)'. */
  pathname: string;
  /** Query parameters to sign (normally all of them). */
  query?: SignQuery;
  /** Exactly the headers to sign (normally at least `host`). */
  headers?: SignHeaders;
  /** 'start;end' in unix seconds. When absent it is derived from the clock (see `deriveKeyTime`). */
  keyTime?: string;
  /** Seconds of validity when keyTime is absent. Default 900. */
  expiresIn?: number;
  /** Clock override in ms since the epoch (tests, clock-skew correction). Default `Date.now()`. */
  now?: number;
}

/** Default validity of a derived KeyTime, in seconds. */
const DEFAULT_EXPIRES_IN = 900;
/** A derived KeyTime starts this many seconds before "now", to tolerate clock skew. */
const CLOCK_SKEW_TOLERANCE = 60;

/** Computes the `Authorization` header value for one request. */
export function sign(opts: SignOptions): string {
  if (opts === null || typeof opts !== 'object') throw new TypeError('sign: options object is required');
  checkCredentials(opts.secretId, opts.secretKey);
  const keyTime = opts.keyTime !== undefined ? opts.keyTime : deriveKeyTime(opts.now ?? Date.now(), opts.expiresIn ?? DEFAULT_EXPIRES_IN);
  checkRequestLine(opts.method, opts.pathname);
  const key = cachedSignKey(opts.secretKey, keyTime); // validates keyTime on a miss

  // Each canonical form is computed once: its list goes into the header, its string into the signature.
  const query = canonicalPairs(opts.query);
  const headers = canonicalPairs(opts.headers, true);
  const http = httpString(opts.method, opts.pathname, query.string, headers.string);
  const signature = createHmac('sha1', key.object).update(stringToSign(keyTime, http), 'utf8').digest('hex');
  return formatAuthorization({ ak: opts.secretId, keyTime, headerList: headers.list, urlParamList: query.list, signature });
}

// ---------------------------------------------------------------------------------------
// Building blocks (pure)
// ---------------------------------------------------------------------------------------

/** Inputs of `signatureFor`. */
export interface SignatureInput {
  secretKey: string;
  keyTime: string;
  method: string;
  pathname: string;
  /** The query parameters named in q-url-param-list. */
  query?: Record<string, string | number | undefined | null>;
  /** The headers named in q-header-list (`undefined` values are skipped). */
  headers?: Record<string, string | number | undefined>;
}

/**
 * The hex `q-signature` for a request. A server recomputes it from the headers and query
 * parameters named in the lists it received and compares it with `q-signature`.
 */
export function signatureFor(input: SignatureInput): string {
  checkCredential('secretKey', input.secretKey);
  parseKeyTime(input.keyTime);
  checkRequestLine(input.method, input.pathname);
  const http = httpString(input.method, input.pathname, canonicalPairs(input.query).string, canonicalPairs(input.headers, true).string);
  return createHmac('sha1', cachedSignKey(input.secretKey, input.keyTime).object).update(stringToSign(input.keyTime, http), 'utf8').digest('hex');
}

function checkRequestLine(method: unknown, pathname: unknown): void {
  if (typeof method !== 'string' || method === '') throw new TypeError('sign: method must be a non-empty string');
  if (typeof pathname !== 'string' || !pathname.startsWith('/')) {
    throw new TypeError('sign: pathname must be the decoded path starting with "/"');
  }
}

/**
 * UTF-8 percent-encoding of everything except `A-Z a-z 0-9 - _ . ~`
 * (`encodeURIComponent` plus `! ' ( ) *`). Space becomes `%20`, never `+`.
 * Throws a TypeError for a string with a lone UTF-16 surrogate (not valid UTF-8).
 */
export function uriEncode(s: string): string {
  if (UNRESERVED.test(s)) return s; // the common case (names, hosts, ids): nothing to encode
  let encoded: string;
  try {
    encoded = encodeURIComponent(s);
  } catch {
    throw new TypeError('sign: cannot URL-encode a string containing a lone UTF-16 surrogate');
  }
  return SUB_DELIMS.test(encoded) ? encoded.replace(SUB_DELIMS_ALL, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()) : encoded;
}

/** Strings made only of the characters uriEncode keeps. */
const UNRESERVED = /^[A-Za-z0-9\-_.~]*$/;
/** What encodeURIComponent keeps and uriEncode does not. */
const SUB_DELIMS = /[!'()*]/;
const SUB_DELIMS_ALL = /[!'()*]/g;

/** The two canonical forms of a set of query parameters or headers. */
export interface CanonicalPairs {
  /** Encoded lower-cased keys joined by ';' — q-url-param-list / q-header-list. */
  list: string;
  /** `key=value` pairs joined by '&' — HttpParameters / HttpHeaders. */
  string: string;
}

/**
 * Canonicalizes query parameters or headers: key -> uriEncode -> lower-case; value ->
 * uriEncode (`undefined`/`null` -> ''); sorted by encoded key in byte order, equal keys by
 * encoded value. With `skipUndefined` (headers), `undefined` values are left out: a header that
 * is not sent is not signed.
 */
export function canonicalPairs(record?: Record<string, string | number | undefined | null> | null, skipUndefined = false): CanonicalPairs {
  if (!record) return EMPTY_PAIRS;
  const keys: string[] = [];
  const values: string[] = [];
  for (const name in record) {
    if (!Object.prototype.hasOwnProperty.call(record, name)) continue;
    const value = record[name];
    if (value === undefined && skipUndefined) continue;
    const key = encodedKey(name);
    const encoded = value === undefined || value === null ? '' : encodedValue(typeof value === 'string' ? value : String(value));
    // Insertion sort (a request has a handful of pairs): by key, equal keys by value; encoded
    // strings are pure ASCII, so UTF-16 comparison is byte order.
    let i = keys.length;
    while (i > 0 && (keys[i - 1]! > key || (keys[i - 1] === key && values[i - 1]! > encoded))) {
      keys[i] = keys[i - 1]!;
      values[i] = values[i - 1]!;
      i -= 1;
    }
    keys[i] = key;
    values[i] = encoded;
  }
  if (keys.length === 0) return EMPTY_PAIRS;
  let list = keys[0]!;
  let string = `${list}=${values[0]}`;
  for (let i = 1; i < keys.length; i += 1) {
    list += `;${keys[i]}`;
    string += `&${keys[i]}=${values[i]}`;
  }
  return { list, string };
}

/** Encodings of short strings seen before (header names and values repeat on every request). */
const ENCODED_KEPT = 512;
const ENCODED_LONGEST = 128;
const encodedKeys = new Map<string, string>();
const encodedValues = new Map<string, string>();

function remembered(cache: Map<string, string>, s: string, encode: (s: string) => string): string {
  const kept = cache.get(s);
  if (kept !== undefined) return kept;
  const encoded = encode(s);
  if (s.length <= ENCODED_LONGEST) {
    if (cache.size >= ENCODED_KEPT) cache.clear();
    cache.set(s, encoded);
  }
  return encoded;
}

const encodeKey = (s: string) => uriEncode(s).toLowerCase();
/** A key: uriEncode, then lower-case. */
const encodedKey = (s: string) => remembered(encodedKeys, s, encodeKey);
/** A value: uriEncode. */
const encodedValue = (s: string) => remembered(encodedValues, s, uriEncode);

const EMPTY_PAIRS: CanonicalPairs = Object.freeze({ list: '', string: '' });

/** SignKey: hex HMAC-SHA1(key = secretKey, msg = keyTime). */
export function signKey(secretKey: string, keyTime: string): string {
  return hmacSha1Hex(secretKey, keyTime);
}

/** Most SecretKeys whose current SignKey is kept: a few config nodes'. */
const SIGN_KEYS_KEPT = 16;

interface CachedSignKey {
  keyTime: string;
  /** The SignKey's hex string as an HMAC key object (HMAC with a KeyObject skips converting the key). */
  object: KeyObject;
}

/** SignKey by SecretKey, for its latest KeyTime: the key changes once per KeyTime window, not per request. */
const signKeys = new Map<string, CachedSignKey>();

/** The SignKey for (secretKey, keyTime), computed once per pair; a keyTime is validated when first seen. */
function cachedSignKey(secretKey: string, keyTime: string): CachedSignKey {
  const kept = signKeys.get(secretKey);
  if (kept !== undefined && kept.keyTime === keyTime) return kept;
  parseKeyTime(keyTime);
  const fresh = { keyTime, object: createSecretKey(Buffer.from(signKey(secretKey, keyTime), 'latin1')) };
  if (kept === undefined && signKeys.size >= SIGN_KEYS_KEPT) signKeys.delete(signKeys.keys().next().value!);
  signKeys.set(secretKey, fresh);
  return fresh;
}

/**
 * HttpString = lower(method) \n pathname \n params \n headers \n, where `params` and
 * `headers` are the `.string` of `canonicalPairs` (empty parts keep their '\n').
 */
export function httpString(method: string, pathname: string, params: string, headers: string): string {
  return `${method.toLowerCase()}\n${pathname}\n${params}\n${headers}\n`;
}

/** StringToSign = 'sha1\n' + keyTime + '\n' + hex SHA1(httpString) + '\n'. */
export function stringToSign(keyTime: string, http: string): string {
  return `sha1\n${keyTime}\n${sha1Hex(http)}\n`;
}

/** The fields of an Authorization header. */
export interface AuthorizationFields {
  ak: string;
  keyTime: string;
  /** Defaults to keyTime (all official SDKs send the same value). */
  signTime?: string;
  /** ';'-joined, as `canonicalPairs(...).list`. */
  headerList: string;
  urlParamList: string;
  signature: string;
}

/** Formats the Authorization header value (not URL-encoded; ';' stays literal). */
export function formatAuthorization(f: AuthorizationFields): string {
  // One template, not an array joined: this runs for every request.
  return `q-sign-algorithm=sha1&q-ak=${f.ak}&q-sign-time=${f.signTime ?? f.keyTime}&q-key-time=${f.keyTime}&q-header-list=${f.headerList}&q-url-param-list=${f.urlParamList}&q-signature=${f.signature}`;
}

/** A parsed Authorization header. */
export interface ParsedAuthorization {
  algorithm: string;
  ak: string;
  signTime: string;
  keyTime: string;
  /** Encoded lower-cased header names as sent (empty list for an empty `q-header-list`). */
  headerList: string[];
  urlParamList: string[];
  signature: string;
}

/**
 * Parses `q-sign-algorithm=…&q-ak=…&…`. Field names are matched case-insensitively and
 * surrounding whitespace is ignored. Values are taken literally (they never contain '+', so
 * there is no '+'-as-space handling), except that an encoded ';' (`%3B`) in q-sign-time /
 * q-key-time is decoded; the lists are NOT decoded, as they hold encoded names (`a%2fb`)
 * that must match `canonicalPairs(...).list` as they are. `q-header-list` and
 * `q-url-param-list` may be absent or empty (-> []). Returns undefined when the input is
 * not a string, a field is malformed or repeated, or any of algorithm, ak, sign-time,
 * key-time, signature is missing or empty. Values are not otherwise validated (check
 * `algorithm === 'sha1'` and `parseKeyTime(keyTime)` yourself).
 */
export function parseAuthorization(header: unknown): ParsedAuthorization | undefined {
  if (typeof header !== 'string') return undefined;
  const fields = new Map<string, string>();
  for (const part of header.trim().split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    const name = part.slice(0, eq).trim().toLowerCase();
    if (fields.has(name)) return undefined;
    fields.set(name, part.slice(eq + 1).trim());
  }
  const required = (name: string): string | undefined => {
    const v = fields.get(name);
    return v ? v : undefined;
  };
  const algorithm = required('q-sign-algorithm');
  const ak = required('q-ak');
  const signTime = required('q-sign-time')?.replace(/%3B/gi, ';');
  const keyTime = required('q-key-time')?.replace(/%3B/gi, ';');
  const signature = required('q-signature');
  if (!algorithm || !ak || !signTime || !keyTime || !signature) return undefined;
  return {
    algorithm,
    ak,
    signTime,
    keyTime,
    headerList: splitList(fields.get('q-header-list')),
    urlParamList: splitList(fields.get('q-url-param-list')),
    signature,
  };
}

/** Splits and validates a KeyTime 'start;end' (unix seconds, start <= end). Throws a TypeError if malformed. */
export function parseKeyTime(keyTime: string): { start: number; end: number } {
  const m = typeof keyTime === 'string' ? /^(\d{1,15});(\d{1,15})$/.exec(keyTime) : null;
  if (!m) throw new TypeError(`sign: keyTime must be "<start>;<end>" in unix seconds, got ${JSON.stringify(keyTime)}`);
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start > end) throw new TypeError(`sign: keyTime start must not be after its end, got "${keyTime}"`);
  return { start, end };
}

/**
 * KeyTime derived from a clock: start = floor(now/1000) - 60 (tolerates clock skew),
 * end = start + 60 + expiresIn (so it is valid until now + expiresIn).
 */
export function deriveKeyTime(nowMs: number, expiresIn: number = DEFAULT_EXPIRES_IN): string {
  if (typeof nowMs !== 'number' || !Number.isFinite(nowMs) || nowMs < 0) throw new TypeError('sign: now must be a finite ms epoch');
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn < 0) {
    throw new TypeError('sign: expiresIn must be a non-negative number of seconds');
  }
  const start = Math.max(0, Math.floor(nowMs / 1000) - CLOCK_SKEW_TOLERANCE);
  const end = Math.floor(nowMs / 1000) + Math.floor(expiresIn);
  return `${start};${end}`;
}

/** hex SHA1 of a UTF-8 string. */
function sha1Hex(s: string): string {
  return oneShotHash ? oneShotHash('sha1', s, 'hex') : createHash('sha1').update(s, 'utf8').digest('hex');
}

/** `crypto.hash` (Node >= 20.12): one call instead of a Hash object per digest. */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** hex HMAC-SHA1 with a UTF-8 string key (SignKey is used as its hex STRING, not its bytes). */
export function hmacSha1Hex(key: string, msg: string): string {
  return createHmac('sha1', key).update(msg, 'utf8').digest('hex');
}

/** The last pair that passed `checkCredentials` (a client signs with the same pair every time). */
let checkedId: string | undefined;
let checkedKey: string | undefined;

function checkCredentials(secretId: unknown, secretKey: unknown): void {
  if (secretId === checkedId && secretKey === checkedKey) return;
  checkCredential('secretId', secretId);
  if (/[\s&]/.test(secretId as string)) throw new TypeError('sign: secretId must not contain whitespace or "&"');
  checkCredential('secretKey', secretKey);
  checkedId = secretId as string;
  checkedKey = secretKey as string;
}

function checkCredential(name: 'secretId' | 'secretKey', value: unknown): void {
  // Never put the value itself in a message.
  if (typeof value !== 'string' || value === '') throw new TypeError(`sign: ${name} must be a non-empty string`);
  if (value.trim() !== value) throw new TypeError(`sign: ${name} has leading or trailing whitespace`);
}

function splitList(v: string | undefined): string[] {
  return v ? v.split(';') : [];
}
