/**
 * COS "GET Bucket (List Objects)", https://cloud.tencent.com/document/product/436/7734
 * (docs/api/objects.md#list-objects): the query of one page and the reading of its
 * `<ListBucketResult>` answer. CiClient.listObjects sends it; this file is pure.
 *
 * The query is the one cos-nodejs-sdk-v5's `getBucket` sends, in its order: `prefix` (always,
 * `prefix=` when empty), `delimiter` and `marker` when given, `max-keys`, and always
 * `encoding-type=url`, so that keys with characters XML cannot carry (control characters)
 * come back percent-encoded; the answer's Key, Prefix, Marker, NextMarker, Delimiter and
 * CommonPrefixes are decoded here when it says `<EncodingType>url</EncodingType>`.
 */
import { CiError, describeValue, ErrorCodes } from './errors';
import { DEFAULT_MAX_DEPTH } from './depth';
import { errorFromFields, guarded, type ParseOptions } from './parse';
import { uriEncode } from './sign';
import { isObject } from './values';
import { bodyText, checkBodySize, DEFAULT_MAX_BODY_BYTES, malformedXml } from './xml';
import { arrayTrie, readXml } from './xml-reader';

/** COS lists at most this many keys and common prefixes a page, and this many by default. */
export const MAX_LIST_KEYS = 1000;

export interface ListObjectsOptions {
  /** Only keys that start with this (default '': every key). */
  prefix?: string;
  /** Keys with this after the prefix are rolled up into `commonPrefixes` (default '': none), e.g. `/` for folders. */
  delimiter?: string;
  /** List the keys after this one (a page's `nextMarker`). */
  marker?: string;
  /** Keys and common prefixes in the page: a whole number from 1 to 1000 (default 1000). */
  maxKeys?: number;
}

export interface ListedObject {
  key: string;
  /** ISO 8601, as COS gives it: `2019-05-13T09:40:02.000Z`. */
  lastModified: string;
  /** The ETag without its quotes (the MD5 in hex for objects uploaded in one part). */
  etag: string;
  /** Bytes. */
  size: number;
  /** `STANDARD`, `STANDARD_IA`, `ARCHIVE`, … when the answer says. */
  storageClass?: string;
}

export interface ListObjectsResult {
  /** The bucket, `BucketName-APPID`. */
  name: string;
  prefix: string;
  marker: string;
  delimiter?: string;
  maxKeys: number;
  /** More keys follow: list again with `marker: nextMarker`. */
  isTruncated: boolean;
  /** Where the next page starts, when `isTruncated`. */
  nextMarker?: string;
  /** The page's objects, in the service's order (UTF-8 byte order of the keys). */
  contents: ListedObject[];
  /** With a delimiter: the "folders", each ending with the delimiter. */
  commonPrefixes: string[];
  requestId?: string;
}

/** The elements that are always arrays, even when one or none appear. */
const LIST_ARRAYS = arrayTrie(['Contents', 'CommonPrefixes']);

/** A value in a message: as JSON, but NaN and Infinity as themselves (JSON would say null). */
function shown(value: unknown): string {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : describeValue(value);
}

function invalid(message: string): CiError {
  return new CiError({ code: 'InvalidArgument', message: `listObjects() ${message}` });
}

/** A text option: a string that UTF-8 (and so a URL) can carry. */
function textOption(name: string, value: unknown): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') throw invalid(`${name} must be a string, got ${shown(value)}`);
  try {
    uriEncode(value);
  } catch {
    throw invalid(`${name} ${shown(value)} contains a lone UTF-16 surrogate, which is not valid UTF-8`);
  }
  return value;
}

/** The query of one page, checked; throws InvalidArgument naming the option and its value. */
export function listObjectsQuery(options: ListObjectsOptions = {}): Record<string, string> {
  if (!isObject(options)) throw invalid(`takes an options object, got ${shown(options)}`);
  const prefix = textOption('prefix', options.prefix);
  const delimiter = textOption('delimiter', options.delimiter);
  const marker = textOption('marker', options.marker);
  const maxKeys = options.maxKeys ?? MAX_LIST_KEYS;
  if (typeof maxKeys !== 'number' || !Number.isInteger(maxKeys) || maxKeys < 1 || maxKeys > MAX_LIST_KEYS) {
    throw invalid(`maxKeys is ${shown(maxKeys)}; allowed: a whole number from 1 to ${MAX_LIST_KEYS}`);
  }
  const query: Record<string, string> = { prefix };
  if (delimiter) query.delimiter = delimiter;
  if (marker) query.marker = marker;
  query['max-keys'] = String(maxKeys);
  query['encoding-type'] = 'url';
  return query;
}

/** Percent-decoding of an `encoding-type=url` value (`+` is a plus: COS encodes a space as `%20`). */
function urlDecoded(value: string, what: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new CiError({ code: ErrorCodes.MalformedResponse, message: `ListBucketResult: ${what} is not URL-encoded UTF-8` });
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads a `<ListBucketResult>` body. An `<Error>` body throws its CiError; anything else that
 * is not a listing throws a CiError MalformedResponse (BodyTooLarge, BodyTooDeep), never another error.
 */
export function parseListObjects(body: string | Uint8Array, options: Pick<ParseOptions, 'maxBytes' | 'status' | 'requestId'> = {}): ListObjectsResult {
  return guarded(() => {
    checkBodySize(body, options.maxBytes ?? DEFAULT_MAX_BODY_BYTES);
    const doc = readXml(bodyText(body), LIST_ARRAYS, DEFAULT_MAX_DEPTH);
    if (doc.root === 'Error') throw errorFromFields(doc.content, options);
    if (doc.root !== 'ListBucketResult') throw malformedXml(`expected a <ListBucketResult> root, got <${doc.root.slice(0, 40)}>`);
    const c = doc.content;
    const encoded = c.EncodingType === 'url';
    const decode = (value: unknown, what: string): string => {
      const raw = text(value) ?? '';
      return encoded ? urlDecoded(raw, what) : raw;
    };
    const maxKeys = Number(c.MaxKeys ?? MAX_LIST_KEYS);
    if (!Number.isInteger(maxKeys) || maxKeys < 0) throw malformedXml('MaxKeys is not a whole number');
    const contents = (c.Contents as unknown[] | undefined) ?? [];
    const result: ListObjectsResult = {
      name: text(c.Name) ?? '',
      prefix: decode(c.Prefix, 'Prefix'),
      marker: decode(c.Marker, 'Marker'),
      maxKeys,
      isTruncated: c.IsTruncated === 'true',
      contents: contents.map((entry, i) => {
        const key = isObject(entry) ? text(entry.Key) : undefined;
        const size = isObject(entry) ? Number(entry.Size ?? 0) : Number.NaN;
        if (key === undefined || !Number.isSafeInteger(size) || size < 0) throw malformedXml(`Contents ${i + 1} has no Key or no Size in bytes`);
        const item = entry as Record<string, unknown>;
        const object: ListedObject = {
          key: decode(key, 'a Key'),
          lastModified: text(item.LastModified) ?? '',
          etag: (text(item.ETag) ?? '').replace(/^"(.*)"$/, '$1'),
          size,
        };
        if (text(item.StorageClass)) object.storageClass = text(item.StorageClass);
        return object;
      }),
      commonPrefixes: ((c.CommonPrefixes as unknown[] | undefined) ?? []).flatMap((entry) =>
        isObject(entry) && text(entry.Prefix) !== undefined ? [decode(entry.Prefix, 'a CommonPrefix')] : [],
      ),
    };
    if (text(c.Delimiter) !== undefined) result.delimiter = decode(c.Delimiter, 'Delimiter');
    if (text(c.NextMarker) !== undefined) result.nextMarker = decode(c.NextMarker, 'NextMarker');
    return result;
  });
}
