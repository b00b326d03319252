/**
 * GET Bucket (List Objects), https://cloud.tencent.com/document/product/436/7734:
 * `GET /?prefix=&delimiter=&marker=&max-keys=&encoding-type=` on the COS host answers
 * `<ListBucketResult>` with the keys after `marker` in UTF-8 byte order, at most `max-keys`
 * (default and cap 1000) entries, keys or CommonPrefixes, per page.
 *
 * The shape follows the page's examples: Name, EncodingType (when asked), Prefix, Marker,
 * MaxKeys, Delimiter (when given), IsTruncated, NextMarker (only when truncated: the last
 * entry of the page), CommonPrefixes, then Contents with Key, LastModified
 * (`2019-05-13T09:40:02.000Z`), ETag (`"<md5>"`), Size, Owner (ID and DisplayName: the APPID)
 * and StorageClass STANDARD.
 */
import { uriEncode } from '@node-red-tencent-ci/core';
import { Errors } from './api-error';
import { cosXml } from './bodies';
import type { Buckets } from './buckets';

/** COS lists at most this many entries a page, and this many by default. */
export const MAX_KEYS = 1000;

interface Entry {
  /** A key, or a common prefix. */
  name: string;
  bytes: Buffer;
  object?: { size: number; mtime: Date };
}

function byteOrder(a: { bytes: Buffer }, b: { bytes: Buffer }): number {
  return Buffer.compare(a.bytes, b.bytes);
}

function maxKeysOf(raw: string | undefined): number {
  if (raw === undefined || raw === '') return MAX_KEYS;
  if (!/^\d{1,9}$/.test(raw)) throw Errors.invalidArgument(`max-keys must be a whole number from 0 to ${MAX_KEYS}, got ${JSON.stringify(raw)}.`);
  return Math.min(Number(raw), MAX_KEYS);
}

/** The `<ListBucketResult>` body for one page of the bucket's objects. */
export async function listObjects(buckets: Buckets, bucket: string, query: Map<string, string>): Promise<string> {
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const marker = query.get('marker') ?? '';
  const maxKeys = maxKeysOf(query.get('max-keys'));
  const encodingType = query.get('encoding-type') || undefined;
  if (encodingType !== undefined && encodingType !== 'url') throw Errors.invalidArgument(`encoding-type must be url, got ${JSON.stringify(encodingType)}.`);
  const encode = encodingType ? uriEncode : (s: string) => s;

  const markerBytes = Buffer.from(marker);
  const objects = (await buckets.list(bucket, prefix))
    .map((o) => ({ name: o.key, bytes: Buffer.from(o.key), object: { size: o.size, mtime: o.mtime } }))
    .filter((o) => Buffer.compare(o.bytes, markerBytes) > 0)
    .sort(byteOrder);

  // Keys sharing the part up to the first delimiter after the prefix roll up into one
  // CommonPrefix, which counts as one entry. A marker that is such a prefix (a NextMarker)
  // resumes after all of its keys.
  const entries: Entry[] = [];
  let truncated = false;
  for (const o of objects) {
    let entry: Entry = o;
    if (delimiter) {
      const at = o.name.indexOf(delimiter, prefix.length);
      if (at >= 0) {
        const common = o.name.slice(0, at + delimiter.length);
        if (common === marker || entries.at(-1)?.name === common) continue;
        entry = { name: common, bytes: Buffer.from(common) };
      }
    }
    if (entries.length >= maxKeys) {
      truncated = maxKeys > 0;
      break;
    }
    entries.push(entry);
  }

  const appId = bucket.slice(bucket.lastIndexOf('-') + 1);
  const contents: Array<Record<string, unknown>> = [];
  for (const e of entries) {
    if (!e.object) continue;
    // One at a time: a first listing hashes every file of the page.
    let etag: string;
    try {
      etag = await buckets.etag(bucket, e.name);
    } catch {
      continue; // removed while listing
    }
    contents.push({
      Key: encode(e.name),
      LastModified: e.object.mtime.toISOString(),
      ETag: etag,
      Size: e.object.size,
      Owner: { ID: appId, DisplayName: appId },
      StorageClass: 'STANDARD',
    });
  }
  const commonPrefixes = entries.filter((e) => !e.object).map((e) => ({ Prefix: encode(e.name) }));
  return cosXml({
    ListBucketResult: {
      Name: bucket,
      ...(encodingType ? { EncodingType: encodingType } : {}),
      Prefix: encode(prefix),
      Marker: encode(marker),
      MaxKeys: maxKeys,
      ...(delimiter ? { Delimiter: encode(delimiter) } : {}),
      IsTruncated: truncated,
      ...(truncated ? { NextMarker: encode(entries.at(-1)!.name) } : {}),
      ...(commonPrefixes.length ? { CommonPrefixes: commonPrefixes } : {}),
      ...(contents.length ? { Contents: contents } : {}),
    },
  });
}
