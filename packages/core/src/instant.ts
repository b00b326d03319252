/**
 * Tencent CI's synchronous media APIs on the COS host, answered at once with no job
 * (docs/api/instant.md): GetMediaInfo, `GET /<ObjectKey>?ci-process=videoinfo`
 * (https://cloud.tencent.com/document/api/436/55672), and GetSnapshot,
 * `GET /<ObjectKey>?ci-process=snapshot&time=…` (https://cloud.tencent.com/document/api/436/55671).
 * The job descriptors of MediaInfo and Snapshot declare them (`instant`); this file turns the
 * declaration into the query and reads the MediaInfo answer. CiClient sends them.
 */
import { compileParamsValidator } from './compile-validator';
import { DEFAULT_MAX_DEPTH } from './depth';
import { getDescriptor } from './jobs';
import { mediaInfoArrayPaths } from './jobs/common';
import type { InstantSpec } from './jobs/descriptor';
import type { MediaInfoResult } from './jobs/media-info';
import { errorFromFields, guarded, type ParseOptions } from './parse';
import { isObject } from './values';
import { bodyText, checkBodySize, DEFAULT_MAX_BODY_BYTES, malformedXml } from './xml';
import { arrayTrie, readXml } from './xml-reader';

/** The job types with an instant API. */
export const INSTANT_TAGS = ['MediaInfo', 'Snapshot'] as const;
export type InstantTag = (typeof INSTANT_TAGS)[number];

/** The instant MediaInfo answer: the same structure as a MediaInfo job's `Operation.MediaInfo`. */
export interface InstantMediaInfo {
  MediaInfo: MediaInfoResult;
  requestId?: string;
}

/** One frame from the instant Snapshot. */
export interface InstantSnapshot {
  /** The image bytes. */
  body: Buffer;
  /** `image/jpeg` or `image/png`, as the answer says. */
  contentType?: string;
  /** The query as sent, validated: `time`, and the other parameters given. */
  params: Record<string, string>;
  /** The image's pixel size and type, read from its header (undefined when it is neither JPEG nor PNG). */
  image?: { type: 'jpeg' | 'png'; width: number; height: number };
  requestId?: string;
}

/** The instant API of `tag`; a TypeError for a job type without one. */
export function instantSpec(tag: InstantTag): InstantSpec {
  const spec = getDescriptor(tag).instant;
  if (!spec) throw new TypeError(`${tag} has no instant API`);
  return spec;
}

const validators = new Map<InstantTag, (params: unknown) => Record<string, string>>();

/**
 * The query of an instant call: `ci-process` first, then the validated parameters in the
 * descriptor's order, blank ones left out. Bad or unknown parameters throw a
 * CiValidationError (`Invalid instant Snapshot: width is 5000; …`) before anything is sent.
 */
export function instantQuery(tag: InstantTag, params: unknown = {}): Record<string, string> {
  let validate = validators.get(tag);
  if (!validate) validators.set(tag, (validate = compileParamsValidator(`instant ${tag}`, instantSpec(tag).params)));
  return { 'ci-process': instantSpec(tag).process, ...validate(params) };
}

/** Paths of the `<Response>` content that are always arrays: the MediaInfo job's. */
const MEDIA_INFO_ARRAYS = arrayTrie(mediaInfoArrayPaths);

/**
 * Reads a GetMediaInfo answer, `<Response><MediaInfo>…</MediaInfo></Response>`, with the
 * MediaInfo job result's arrays (streams are always arrays). An `<Error>` body throws its CiError.
 */
export function parseInstantMediaInfo(body: string | Uint8Array, options: Pick<ParseOptions, 'maxBytes' | 'status' | 'requestId'> = {}): InstantMediaInfo {
  return guarded(() => {
    checkBodySize(body, options.maxBytes ?? DEFAULT_MAX_BODY_BYTES);
    const doc = readXml(bodyText(body), MEDIA_INFO_ARRAYS, DEFAULT_MAX_DEPTH);
    if (doc.root === 'Error') throw errorFromFields(doc.content, options);
    if (doc.root !== 'Response') throw malformedXml(`expected a <Response> root, got <${doc.root.slice(0, 40)}>`);
    const info = doc.content.MediaInfo;
    if (!isObject(info)) throw malformedXml('the answer has no MediaInfo');
    const result: InstantMediaInfo = { MediaInfo: info as MediaInfoResult };
    return options.requestId ? { ...result, requestId: options.requestId } : result;
  });
}
