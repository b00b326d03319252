/**
 * Pre-signed object URLs: a `GET` of one object in a COS bucket, with the q-sign-sha1
 * signature in the query string instead of an Authorization header (docs/api/objects.md;
 * COS doc 436/7778, https://cloud.tencent.com/document/product/436/7778). The URL is made
 * exactly as cos-nodejs-sdk-v5's `getObjectUrl({ Bucket, Region, Key, Sign: true, Expires })`
 * makes it, which the tests check on random keys:
 *
 *   https://<bucket>.cos.<region>.myqcloud.com/<key, UTF-8 percent-encoded, "/" kept>
 *     ?q-sign-algorithm=sha1&q-ak=<SecretId>&q-sign-time=<KeyTime>&q-key-time=<KeyTime>
 *     &q-header-list=host&q-url-param-list=&q-signature=<signature>
 *     [&x-cos-security-token=<STS token>]
 *
 * signed over `get`, the decoded path `/<key>`, no query parameters and the one header
 * `host`, with KeyTime = `<now - 1 s>;<now - 1 s + expiresIn>` (the SDK's window). A key
 * given with a leading `/` names the object without it, as in the SDK.
 *
 * Such a URL is meant to be handed on: it holds the SecretId (as `q-ak`), a signature valid
 * for this one object until the KeyTime ends and, with STS keys, the session token. It never
 * holds the SecretKey. Errors here never contain a credential.
 */
import { CiError } from './errors';
import { endpointOrigin } from './endpoint';
import { canonicalPairs, signatureFor, uriEncode } from './sign';

/** Default validity of a pre-signed URL, in seconds (one hour). */
export const DEFAULT_URL_EXPIRES_IN = 3600;

export interface ObjectUrlOptions {
  secretId: string;
  secretKey: string;
  /** STS temporary credentials: the session token, added as `x-cos-security-token`. */
  sessionToken?: string;
  /** `BucketName-APPID`. */
  bucket: string;
  /** e.g. `ap-guangzhou`. */
  region: string;
  /** The object key, as stored (not encoded), e.g. `snapshot/j1/0.jpg`. */
  key: string;
  /** Seconds the URL stays valid (default 3600). */
  expiresIn?: number;
  /**
   * An origin that serves the bucket's objects instead of the COS host (the emulator, a
   * private domain): `http://127.0.0.1:9000`. Only its origin is used.
   */
  endpoint?: string;
  /** Clock in ms since the epoch (tests, clock-skew correction). Default `Date.now()`. */
  now?: number;
}

/**
 * Regions whose objects the SDK addresses as `<bucket>.<region>.myqcloud.com`, without
 * `cos.` (cos-nodejs-sdk-v5 base.js `getUrl`): the old COS region names.
 */
const LEGACY_REGIONS = new Set(['cn-south', 'cn-south-2', 'cn-north', 'cn-east', 'cn-southwest', 'sg']);

/** The COS origin of a bucket's objects: `https://<bucket>.cos.<region>.myqcloud.com`. */
export function cosOrigin(bucket: string, region: string): string {
  return LEGACY_REGIONS.has(region) ? `https://${bucket}.${region}.myqcloud.com` : `https://${bucket}.cos.${region}.myqcloud.com`;
}

/** A UTF-16 surrogate without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The object key a caller means: a non-empty string that UTF-8 can carry (no lone UTF-16
 * surrogate), without one leading `/` (the SDK drops it too: `/a.jpg` is the object `a.jpg`).
 * Throws a CiError InvalidArgument naming the key.
 */
export function objectKey(key: unknown): string {
  if (typeof key !== 'string' || key === '' || key === '/') {
    const got = key === '' ? 'an empty string' : key === '/' ? '"/"' : typeof key;
    throw new CiError({ code: 'InvalidArgument', message: `An object key must be a non-empty string, got ${got}` });
  }
  if (LONE_SURROGATE.test(key)) {
    throw new CiError({
      code: 'InvalidArgument',
      message: `Object key ${JSON.stringify(key)} contains a lone UTF-16 surrogate, which is not valid UTF-8 and cannot be part of a URL`,
    });
  }
  return key.startsWith('/') ? key.slice(1) : key;
}

/**
 * The key as it appears in the URL's path (after `objectKey`): UTF-8 percent-encoded as
 * `uriEncode` does (everything but `A-Z a-z 0-9 - _ . ~`; space is `%20`, `+` is `%2B`), with
 * `/` kept.
 */
export function encodeObjectKey(key: string): string {
  return encodedKey(objectKey(key));
}

/** `encodeObjectKey` of a key `objectKey` has checked already. */
const encodedKey = (key: string) => uriEncode(key).replace(/%2F/g, '/');

/**
 * The KeyTime of a pre-signed URL, as the SDK's `getAuth` derives it: start = the current
 * second (rounded) minus 1, end = start + expiresIn.
 */
export function urlKeyTime(nowMs: number, expiresIn: number): string {
  const start = Math.round(nowMs / 1000) - 1;
  return `${start};${start + expiresIn}`;
}

/** A URL's validity in whole seconds (default 3600); throws InvalidArgument below 1 s. */
export function checkedExpiresIn(value: unknown): number {
  if (value === undefined) return DEFAULT_URL_EXPIRES_IN;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) {
    throw new CiError({ code: 'InvalidArgument', message: `A URL's validity (expiresIn) must be a number of seconds of at least 1, got ${String(value)}` });
  }
  return Math.floor(value);
}

function originOf(endpoint: string | undefined, bucket: string, region: string): string {
  return endpoint && endpoint.trim() ? endpointOrigin(endpoint) : cosOrigin(bucket, region);
}

function requireCredential(value: unknown, name: string): string {
  // Never put the value itself in a message.
  if (typeof value !== 'string' || value.trim() === '') throw new CiError({ code: 'InvalidArgument', message: `A pre-signed URL needs ${name}` });
  return value.trim();
}

/** A pre-signed `GET` URL of one object (see the file comment). */
export function objectUrl(opts: ObjectUrlOptions): string {
  if (opts === null || typeof opts !== 'object') throw new TypeError('objectUrl: options object is required');
  const secretId = requireCredential(opts.secretId, 'a SecretId');
  const secretKey = requireCredential(opts.secretKey, 'a SecretKey');
  if (typeof opts.bucket !== 'string' || !opts.bucket) throw new CiError({ code: 'InvalidArgument', message: 'A pre-signed URL needs a bucket' });
  if (typeof opts.region !== 'string' || !opts.region) throw new CiError({ code: 'InvalidArgument', message: 'A pre-signed URL needs a region' });
  const key = objectKey(opts.key);
  const expiresIn = checkedExpiresIn(opts.expiresIn);
  const now = opts.now ?? Date.now();
  if (typeof now !== 'number' || !Number.isFinite(now) || now < 0)
    throw new CiError({ code: 'InvalidArgument', message: 'objectUrl: now must be a finite ms epoch' });
  const origin = originOf(opts.endpoint, opts.bucket, opts.region);
  return signedUrl(
    origin,
    new URL(origin).host,
    key,
    { secretId, secretKey, sessionToken: opts.sessionToken?.trim() || undefined },
    urlKeyTime(now, expiresIn),
  );
}

/**
 * The URL of a key `objectKey` has checked, on `origin`, whose `host` is signed. For
 * CiClient, which checks its settings once.
 */
export function signedUrl(
  origin: string,
  host: string,
  key: string,
  creds: { secretId: string; secretKey: string; sessionToken?: string },
  keyTime: string,
): string {
  const headers = { host };
  const signature = signatureFor({ secretKey: creds.secretKey, keyTime, method: 'get', pathname: `/${key}`, headers });
  const headerList = canonicalPairs(headers, true).list;
  let url =
    `${origin}/${encodedKey(key)}?q-sign-algorithm=sha1&q-ak=${uriEncode(creds.secretId)}&q-sign-time=${keyTime}&q-key-time=${keyTime}` +
    `&q-header-list=${headerList}&q-url-param-list=&q-signature=${signature}`;
  // The SDK appends the token as it is; encoding it changes nothing for tokens of letters,
  // digits, - _ . ~ and keeps any other character from changing the URL.
  if (creds.sessionToken) url += `&x-cos-security-token=${uriEncode(creds.sessionToken)}`;
  return url;
}

/**
 * The key of an object URL on the bucket's COS host (`https://<bucket>.cos.<region>.myqcloud.com/<key>`,
 * any query dropped), or undefined for a URL on any other host or one whose path does not
 * decode to a key.
 */
export function objectKeyOfUrl(url: unknown, bucket: string, region: string): string | undefined {
  if (typeof url !== 'string' || !bucket || !region) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  if (parsed.host.toLowerCase() !== new URL(cosOrigin(bucket, region)).host) return undefined;
  let key: string;
  try {
    key = decodeURIComponent(parsed.pathname.slice(1));
  } catch {
    return undefined;
  }
  return key !== '' && !LONE_SURROGATE.test(key) ? key : undefined;
}
