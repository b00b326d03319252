/**
 * CI's synchronous media APIs on an object: `GET /<ObjectKey>?ci-process=videoinfo`
 * (GetMediaInfo, https://cloud.tencent.com/document/product/436/55672) and
 * `GET /<ObjectKey>?ci-process=snapshot&time=…` (GetSnapshot,
 * https://cloud.tencent.com/document/product/436/55671). The server's `object` route calls
 * this, after the signature check, for a request with `ci-process` in its query.
 *
 * - videoinfo: 200 `application/xml` `<Response><MediaInfo>…</MediaInfo></Response>`, the
 *   MediaInfo job's `Operation.MediaInfo` for the same object (the same computation).
 * - snapshot: 200 with the image, `image/jpeg` or `image/png`, and its Content-Length.
 * - Errors as COS writes them: `/` (the bucket) or another ci-process 400 InvalidArgument, a
 *   missing object 404 NoSuchKey (NoSuchBucket without the bucket), a file that is not media
 *   (or has no video, for a frame) 400 with the job's code ResourceNotSupported, and a method
 *   other than GET 405 MethodNotAllowed. What COS answers to a HEAD with ci-process is not
 *   documented; we refuse it rather than answer the headers of an image we do not make.
 * - The 200 answers carry `Server: tencent-ci` beside `x-cos-request-id`, as the pages' samples.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { ApiError, CosErrors, Errors } from './api-error';
import { xmlResponse } from './bodies';
import { MediaErrorCodes, MediaJobError } from './media/errors';
import { ciProcessOf, parseSnapshotQuery } from './media/instant';
import { grabFrame } from './media/instant-snapshot';
import { probeMediaInfo } from './media/media-info';
import type { EmulatorState } from './state';

type Query = ReadonlyArray<readonly [string, string]>;

/** The media functions' error as an answer: InternalError (ffmpeg missing or failing) 500, the rest 400. */
function answerOf(err: unknown): unknown {
  if (!(err instanceof MediaJobError)) return err;
  return new ApiError(err.code === MediaErrorCodes.InternalError ? 500 : 400, err.code, err.message);
}

/** The object's file; NoSuchKey (or NoSuchBucket) when it does not exist, as GET Object answers. */
async function objectFile(state: EmulatorState, bucket: string, key: string): Promise<string> {
  const file = state.buckets.file(bucket, key);
  if (await state.buckets.exists(bucket, key)) return file;
  throw (await state.buckets.hasBucket(bucket)) ? CosErrors.noSuchKey() : CosErrors.noSuchBucket();
}

/** Answers a `?ci-process=` request on `key` ('' = the bucket) with `headers` (the COS route's base headers). */
export async function handleInstant(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
  key: string,
  query: Query,
  headers: Record<string, string>,
): Promise<void> {
  const api = ciProcessOf(query);
  if (key === '') throw Errors.invalidArgument(`ci-process=${api} needs an object: GET /<ObjectKey>?ci-process=${api}, not the bucket /.`);
  if ((req.method ?? 'GET') !== 'GET') throw CosErrors.methodNotAllowed();
  const snapshot = api === 'snapshot' ? parseSnapshotQuery(query) : undefined;
  const file = await objectFile(state, bucket, key);
  const ok = { ...headers, Server: 'tencent-ci' };
  try {
    if (snapshot) {
      const { data, contentType } = await grabFrame(state.tools, file, snapshot);
      res.writeHead(200, { ...ok, 'Content-Type': contentType, 'Content-Length': data.length });
      res.end(data);
      return;
    }
    const body = xmlResponse({ MediaInfo: await probeMediaInfo(state.tools, file) });
    res.writeHead(200, { ...ok, 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  } catch (err) {
    throw answerOf(err);
  }
}
