/**
 * CiClient: submit, describe, list and cancel CI media jobs over one keep-alive undici
 * pool, list the bucket's objects, and read the objects the jobs wrote (pre-signed URLs, `getObject`). Signs every
 * request, retries what is safe to retry, corrects clock skew, and never lets a secret
 * into an error.
 */
import { Pool, type Dispatcher } from 'undici';
import { CiError, CiOutcomeUnknownError, ErrorCodes } from './errors';
import { BUCKET_DOC, BUCKET_PATTERN, REGION_DOC, REGION_PATTERN } from './jobs/common';
import { errorFromFields, parseErrorBody, parseResponse } from './parse';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, DEFAULT_RETRY, neverSent, networkErrorCode, rejectedBeforeProcessing, type RetryOptions } from './retry';
import { isJobId, isObject } from './values';
import { deriveKeyTime, sign, uriEncode } from './sign';
import { MAX_DESCRIBE_BATCH, type JobsDetail, type JobTag } from './types';
import { checkedExpiresIn, cosOrigin, objectKey, signedUrl, urlKeyTime } from './object-url';
import { endpointOrigin } from './endpoint';
import { buildJobRequest } from './build';
import type { JobRequestParams } from './validate';
import { DEFAULT_MAX_BODY_BYTES } from './xml';
import { listObjectsQuery, parseListObjects, type ListObjectsOptions, type ListObjectsResult } from './list-objects';
import { imageInfo } from './image-size';
import { instantQuery, parseInstantMediaInfo, type InstantMediaInfo, type InstantSnapshot } from './instant';
import {
  describeBucketsQuery,
  describeQueuesQuery,
  describeTemplatesQuery,
  parseDescribeBuckets,
  parseDescribeQueues,
  parseDescribeTemplates,
  type DescribeAiQueuesOptions,
  type DescribeBucketsOptions,
  type DescribeBucketsResult,
  type DescribeQueuesOptions,
  type DescribeQueuesResult,
  type DescribeTemplatesOptions,
  type DescribeTemplatesResult,
} from './describe-service';

export interface CiClientOptions {
  secretId: string;
  secretKey: string;
  /** STS temporary credentials: the session token, sent as `x-ci-security-token`. */
  sessionToken?: string;
  /** `BucketName-APPID`. */
  bucket: string;
  /** e.g. `ap-guangzhou`. */
  region: string;
  /**
   * Overrides `https://<bucket>.ci.<region>.myqcloud.com` (the emulator, a private domain).
   * The same origin then serves the bucket's objects too (`objectUrl`, `getObject`).
   */
  endpoint?: string;
  /** Per-attempt time limit in ms for the answer's headers and between body chunks (default 30 000; 0 = none). */
  timeoutMs?: number;
  /** Retry policy, or `false` for none. */
  retry?: RetryOptions | false;
  /**
   * An undici dispatcher to use instead of the client's own pool. Object requests go through
   * it too, to `objectOrigin`: without an endpoint override that is another host than the
   * API's, so pass an Agent (not a Pool bound to one origin) if you read objects.
   */
  dispatcher?: Dispatcher;
  /** Ids per `GET /jobs/id1,id2,…` request: an integer in [1, 100] (default 50). */
  describeBatchSize?: number;
  /** Response bodies larger than this are refused (default 8 MiB). */
  maxBodyBytes?: number;
  /** Seconds a signature stays valid (default 900). */
  signatureExpiresIn?: number;
  userAgent?: string;
}

export interface SubmitResult {
  JobsDetail: JobsDetail;
  requestId?: string;
}

export interface DescribeResult {
  JobsDetail: JobsDetail[];
  /** Requested ids the service does not know. */
  NonExistJobIds: string[];
  requestId?: string;
}

export interface ListQuery {
  tag: JobTag | string;
  queueId?: string;
  states?: string | string[];
  size?: number;
  nextToken?: string;
  orderByTime?: 'Desc' | 'Asc';
  startCreationTime?: string;
  endCreationTime?: string;
  workflowId?: string;
  inputObject?: string;
}

export interface ListResult {
  JobsDetail: JobsDetail[];
  NextToken?: string;
  requestId?: string;
}

export interface SignedUrlOptions {
  /** Seconds the URL stays valid (default 3600). */
  expiresIn?: number;
}

export interface GetObjectOptions {
  /** Bodies larger than this many bytes are refused with a CiError BodyTooLarge. */
  maxBytes: number;
}

export interface ObjectBody {
  body: Buffer;
  /** The Content-Type the bucket answered with, if any. */
  contentType?: string;
  /** Bytes in `body`. */
  contentLength: number;
}

interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  /** Decoded path, e.g. `/jobs/j1,j2`. */
  pathname: string;
  query?: Record<string, string>;
  body?: string;
  /** What the request does, for messages: `Submitting the Snapshot job`. */
  action: string;
  /** A COS request (an object, or the bucket's listing): sent to the objects' origin, with COS's token header. */
  cos?: boolean;
  /** An object's own body: its 2xx body limited to maxBytes (with `cos`). */
  object?: { key: string; maxBytes: number };
  /** Query parameters with an empty value are written `name=` (the SDK's `prefix=`), not `name` (`?cancel`). */
  valuedQuery?: boolean;
}

interface HttpResponse {
  status: number;
  body: Buffer;
  requestId?: string;
  headers: Record<string, string | string[] | undefined>;
}

const SKEW_CODES = new Set(['SignatureExpired', 'RequestTimeTooSkewed']);
/** This package's version, for the User-Agent (read at load: dist/ and src/ both sit beside package.json). */
const VERSION: string = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

function requireText(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new CiError({ code: 'InvalidArgument', message: `CiClient needs ${name}` });
  }
  return value.trim();
}

/** Query values go on the wire exactly as they are signed: percent-encoded, `?cancel` without `=`. */
/** The largest frame getSnapshot reads unless told otherwise: 20 MiB (a 4096 x 4096 PNG fits). */
const DEFAULT_SNAPSHOT_MAX_BYTES = 20 * 1024 * 1024;

function queryString(query: Record<string, string> | undefined, valued = false): string {
  const entries = Object.entries(query ?? {});
  if (entries.length === 0) return '';
  return `?${entries.map(([k, v]) => (v === '' && !valued ? uriEncode(k) : `${uriEncode(k)}=${uriEncode(v)}`)).join('&')}`;
}

function encodePath(pathname: string): string {
  return pathname
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/%2C/gi, ','))
    .join('/');
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export class CiClient {
  readonly bucket: string;
  readonly region: string;
  /** Where requests go: `https://<bucket>.ci.<region>.myqcloud.com` or the endpoint override. */
  readonly origin: string;
  /** Where the bucket's objects are: `https://<bucket>.cos.<region>.myqcloud.com` or the endpoint override. */
  readonly objectOrigin: string;
  private readonly host: string;
  private readonly objectHost: string;
  // Private fields: util.inspect, JSON.stringify and a Node-RED debug of the client never show them.
  readonly #secretId: string;
  readonly #secretKey: string;
  readonly #sessionToken?: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  /** The pool of the objects' origin, made on first use when it is not `origin` (no endpoint override). */
  private objectPool?: Pool;
  private readonly timeoutMs: number;
  private readonly retry: Required<RetryOptions>;
  private readonly describeBatchSize: number;
  private readonly maxBodyBytes: number;
  private readonly expiresIn: number;
  private readonly userAgent: string;
  /** Server time minus local time, learned from a `Date` header after a signature-time error. */
  private skewMs = 0;
  /** The KeyTime requests are signed with, and the (corrected) clock span it is reused in. */
  private keyTime?: { value: string; from: number; until: number };

  constructor(options: CiClientOptions) {
    this.#secretId = requireText(options?.secretId, 'a SecretId');
    this.#secretKey = requireText(options.secretKey, 'a SecretKey');
    this.#sessionToken = options.sessionToken?.trim() || undefined;
    this.bucket = requireText(options.bucket, 'a bucket');
    if (!BUCKET_PATTERN.test(this.bucket)) {
      throw new CiError({ code: 'InvalidArgument', message: `Bucket ${JSON.stringify(this.bucket)} is not valid; expected ${BUCKET_DOC}` });
    }
    this.region = requireText(options.region, 'a region');
    if (!REGION_PATTERN.test(this.region)) {
      throw new CiError({ code: 'InvalidArgument', message: `Region ${JSON.stringify(this.region)} is not valid; expected ${REGION_DOC}` });
    }
    const endpoint = options.endpoint && options.endpoint.trim() ? endpointOrigin(options.endpoint) : undefined;
    const origin = endpoint ?? `https://${this.bucket}.ci.${this.region}.myqcloud.com`;
    this.origin = origin;
    this.host = new URL(origin).host;
    this.objectOrigin = endpoint ?? cosOrigin(this.bucket, this.region);
    this.objectHost = new URL(this.objectOrigin).host;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const retry = options.retry === false ? { retries: 0 } : (options.retry ?? {});
    this.retry = {
      retries: retry.retries ?? DEFAULT_RETRY.retries,
      minDelayMs: retry.minDelayMs ?? DEFAULT_RETRY.minDelayMs,
      maxDelayMs: retry.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
    };
    this.describeBatchSize = options.describeBatchSize ?? 50;
    if (!Number.isInteger(this.describeBatchSize) || this.describeBatchSize < 1 || this.describeBatchSize > MAX_DESCRIBE_BATCH) {
      throw new CiError({
        code: 'InvalidArgument',
        message: `CiClient option describeBatchSize is ${String(options.describeBatchSize)}; allowed: an integer in [1, ${MAX_DESCRIBE_BATCH}]`,
      });
    }
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.expiresIn = options.signatureExpiresIn ?? 900;
    this.userAgent = options.userAgent ?? `node-red-tencent-ci/${VERSION}`;
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher =
      options.dispatcher ??
      new Pool(origin, {
        connections: 16,
        keepAliveTimeout: 30_000,
        pipelining: 1,
        connect: { timeout: this.timeoutMs > 0 ? Math.min(this.timeoutMs, 10_000) : 10_000 },
      });
  }

  /** Submits one job (`POST /jobs`). Validates first: bad parameters throw CiValidationError and send nothing. */
  async submit(tag: JobTag, params: JobRequestParams | Record<string, unknown>): Promise<SubmitResult> {
    const body = buildJobRequest(tag, params);
    const res = await this.send({ method: 'POST', pathname: '/jobs', body, action: `Submitting the ${tag} job${inputNamed(params)}` });
    let detail: JobsDetail | undefined;
    try {
      detail = parseResponse(res.body, { status: res.status, requestId: res.requestId, maxBytes: this.maxBodyBytes }).JobsDetail[0];
    } catch {
      detail = undefined; // a 2xx we cannot read: the job most likely exists
    }
    if (!detail || typeof detail.JobId !== 'string') {
      throw new CiOutcomeUnknownError({
        code: ErrorCodes.OutcomeUnknown,
        status: res.status,
        requestId: res.requestId,
        message: `Submitting the ${tag} job: the service accepted it (HTTP ${res.status}) but its answer holds no readable JobId, so the job probably exists; check with list({ tag: '${tag}' }) before submitting again`,
      });
    }
    return { JobsDetail: detail, requestId: res.requestId };
  }

  /** Queries jobs by id: one `GET /jobs/id1,id2,…` per batch of ids. */
  async describe(jobIds: string | readonly string[]): Promise<DescribeResult> {
    const ids = [...new Set(typeof jobIds === 'string' ? [jobIds] : jobIds)];
    if (ids.length === 0) return { JobsDetail: [], NonExistJobIds: [] };
    for (const id of ids) {
      if (!isJobId(id)) {
        throw new CiError({ code: 'InvalidArgument', message: `Job id ${JSON.stringify(id)} is not valid; expected letters, digits, - and _` });
      }
    }
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += this.describeBatchSize) batches.push(ids.slice(i, i + this.describeBatchSize));
    const results = await Promise.all(
      batches.map(async (batch) => {
        const res = await this.send({
          method: 'GET',
          pathname: `/jobs/${batch.join(',')}`,
          action: `Querying job ${batch.length === 1 ? batch[0] : `${batch.length} jobs`}`,
        });
        return { batch, res, parsed: parseResponse(res.body, { status: res.status, requestId: res.requestId, maxBytes: this.maxBodyBytes }) };
      }),
    );
    const out: DescribeResult = { JobsDetail: [], NonExistJobIds: [], requestId: results[0]?.res.requestId };
    for (const { batch, parsed } of results) {
      out.JobsDetail.push(...parsed.JobsDetail);
      const known = new Set(parsed.JobsDetail.map((d) => d.JobId));
      const missing = new Set(parsed.NonExistJobIds ?? []);
      // An id the answer says nothing about is as unknown as one it lists.
      for (const id of batch) if (!known.has(id)) missing.add(id);
      out.NonExistJobIds.push(...missing);
    }
    return out;
  }

  /** Lists jobs of one Tag (`GET /jobs`), newest first unless orderByTime is Asc. */
  async list(query: ListQuery): Promise<ListResult> {
    if (!query || typeof query.tag !== 'string' || !query.tag) {
      throw new CiError({ code: 'InvalidArgument', message: 'list() needs a tag, e.g. { tag: "Snapshot" }' });
    }
    if (query.size !== undefined && !(Number.isInteger(query.size) && query.size >= 1 && query.size <= 100)) {
      throw new CiError({ code: 'InvalidArgument', message: `list() size is ${JSON.stringify(query.size)}; allowed: an integer in [1, 100]` });
    }
    if (query.orderByTime !== undefined && query.orderByTime !== 'Desc' && query.orderByTime !== 'Asc') {
      throw new CiError({ code: 'InvalidArgument', message: `list() orderByTime is ${JSON.stringify(query.orderByTime)}; allowed: Desc or Asc` });
    }
    const q: Record<string, string> = {};
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null || value === '') continue;
      q[key] = Array.isArray(value) ? value.join(',') : String(value);
    }
    const res = await this.send({ method: 'GET', pathname: '/jobs', query: q, action: `Listing ${query.tag} jobs` });
    const parsed = parseResponse(res.body, { status: res.status, requestId: res.requestId, maxBytes: this.maxBodyBytes });
    return { JobsDetail: parsed.JobsDetail, NextToken: parsed.NextToken, requestId: res.requestId };
  }

  /**
   * The buckets with media processing on: `GET /mediabucket` (https://cloud.tencent.com/document/api/1545/65343,
   * docs/api/describe.md). Sent to the client's CI host, as the Go SDK sends it (the page names
   * `ci.<Region>.myqcloud.com`). Bad or unknown options throw InvalidArgument before anything is sent.
   */
  async describeMediaBuckets(options: DescribeBucketsOptions = {}): Promise<DescribeBucketsResult> {
    const query = describeBucketsQuery(options, 'describeMediaBuckets');
    const res = await this.send({ method: 'GET', pathname: '/mediabucket', query, valuedQuery: true, action: 'Listing the media-processing buckets' });
    return parseDescribeBuckets(res.body, 'MediaBucketList', { status: res.status, requestId: res.requestId, maxBytes: this.maxBodyBytes });
  }

  /** The buckets with AI content recognition on: `GET /ai_bucket` (https://cloud.tencent.com/document/api/436/79597), as describeMediaBuckets. */
  async describeAiBuckets(options: DescribeBucketsOptions = {}): Promise<DescribeBucketsResult> {
    const query = describeBucketsQuery(options, 'describeAiBuckets');
    const res = await this.send({ method: 'GET', pathname: '/ai_bucket', query, valuedQuery: true, action: 'Listing the AI-processing buckets' });
    return parseDescribeBuckets(res.body, 'AiBucketList', { status: res.status, requestId: res.requestId, maxBytes: this.maxBodyBytes });
  }

  /** The bucket's media queues: `GET /queue` (https://cloud.tencent.com/document/product/441/38913). */
  async describeQueues(options: DescribeQueuesOptions = {}): Promise<DescribeQueuesResult> {
    const query = describeQueuesQuery(options, 'media');
    const res = await this.send({ method: 'GET', pathname: '/queue', query, valuedQuery: true, action: `Listing the media queues of ${this.bucket}` });
    return parseDescribeQueues(res.body, { status: res.status, requestId: res.requestId, maxBytes: this.maxBodyBytes });
  }

  /** The bucket's AI queues: `GET /ai_queue` (https://www.tencentcloud.com/document/product/1045/50311). */
  async describeAiQueues(options: DescribeAiQueuesOptions = {}): Promise<DescribeQueuesResult> {
    const query = describeQueuesQuery(options, 'ai');
    const res = await this.send({ method: 'GET', pathname: '/ai_queue', query, valuedQuery: true, action: `Listing the AI queues of ${this.bucket}` });
    return parseDescribeQueues(res.body, { status: res.status, requestId: res.requestId, maxBytes: this.maxBodyBytes });
  }

  /** The bucket's templates: `GET /template` (https://cloud.tencent.com/document/product/436/58309), e.g. `{ tag: 'Snapshot' }`. */
  async describeTemplates(options: DescribeTemplatesOptions = {}): Promise<DescribeTemplatesResult> {
    const query = describeTemplatesQuery(options);
    const res = await this.send({
      method: 'GET',
      pathname: '/template',
      query,
      valuedQuery: true,
      action: `Listing the ${query.tag ?? ''}${query.tag ? ' ' : ''}templates of ${this.bucket}`,
    });
    return parseDescribeTemplates(res.body, { status: res.status, requestId: res.requestId, maxBytes: this.maxBodyBytes });
  }

  /** Cancels a job that has not started (`PUT /jobs/<id>?cancel`). */
  async cancel(jobId: string): Promise<{ requestId?: string }> {
    if (!isJobId(jobId)) {
      throw new CiError({ code: 'InvalidArgument', message: `Job id ${JSON.stringify(jobId)} is not valid; expected letters, digits, - and _` });
    }
    const res = await this.send({ method: 'PUT', pathname: `/jobs/${jobId}`, query: { cancel: '' }, action: `Cancelling job ${jobId}` });
    return { requestId: res.requestId };
  }

  /**
   * A pre-signed `GET` URL of an object in the client's bucket (docs/api/objects.md), made as
   * the official SDK's `getObjectUrl` makes it: it holds the SecretId (`q-ak`), a signature
   * valid for `expiresIn` seconds (default 3600) and, with STS keys, the session token
   * (`x-cos-security-token`); never the SecretKey. Throws InvalidArgument for an empty key
   * or one with a lone UTF-16 surrogate; a leading `/` is dropped, as the SDK does.
   */
  objectUrl(key: string, options: SignedUrlOptions = {}): string {
    const checked = objectKey(key);
    const expiresIn = checkedExpiresIn(options.expiresIn);
    const creds = { secretId: this.#secretId, secretKey: this.#secretKey, sessionToken: this.#sessionToken };
    return signedUrl(this.objectOrigin, this.objectHost, checked, creds, urlKeyTime(Date.now() + this.skewMs, expiresIn));
  }

  /**
   * Reads an object of the client's bucket (a signed `GET`, retried like the other reads).
   * Refuses a body over `maxBytes` with a CiError BodyTooLarge, before reading it when the
   * answer declares its length; a missing object is a CiError NoSuchKey (HTTP 404).
   */
  async getObject(key: string, options: GetObjectOptions): Promise<ObjectBody> {
    key = objectKey(key);
    const maxBytes = options?.maxBytes;
    if (typeof maxBytes !== 'number' || !Number.isFinite(maxBytes) || maxBytes < 0) {
      throw new CiError({ code: 'InvalidArgument', message: `getObject() maxBytes must be a number of bytes of at least 0, got ${String(maxBytes)}` });
    }
    const res = await this.send({ method: 'GET', pathname: `/${key}`, action: `Reading object ${key}`, cos: true, object: { key, maxBytes } });
    const type = header(res.headers, 'content-type');
    return { body: res.body, contentType: type || undefined, contentLength: res.body.length };
  }

  /**
   * The MediaInfo of an object at once, with no job: GetMediaInfo, `GET /<key>?ci-process=videoinfo`
   * on the objects' origin (https://cloud.tencent.com/document/api/436/55672,
   * docs/api/instant.md). The answer is the MediaInfo job result's structure, streams as
   * arrays. Errors as getObject's (NoSuchKey for a missing object) or the service's code.
   */
  async getMediaInfo(key: string): Promise<InstantMediaInfo> {
    key = objectKey(key);
    const res = await this.send({
      method: 'GET',
      pathname: `/${key}`,
      query: instantQuery('MediaInfo'),
      valuedQuery: true,
      cos: true,
      action: `Reading the media info of ${key}`,
    });
    return parseInstantMediaInfo(res.body, { status: res.status, requestId: res.requestId, maxBytes: this.maxBodyBytes });
  }

  /**
   * One frame of a video at once, with no job: GetSnapshot, `GET /<key>?ci-process=snapshot&time=…`
   * (https://cloud.tencent.com/document/api/436/55671, docs/api/instant.md). `params` are
   * the API's: `time` (seconds, required), `width`, `height` (0..4096), `format` (jpg, png),
   * `rotate` (auto, off), `mode` (exactframe, keyframe); bad or unknown ones throw a
   * CiValidationError before anything is sent. The image is refused over `maxBytes` (default
   * 20 MiB) with BodyTooLarge, and an answer that is no JPEG or PNG is MalformedResponse.
   */
  async getSnapshot(key: string, params: Record<string, unknown>, options: { maxBytes?: number } = {}): Promise<InstantSnapshot> {
    key = objectKey(key);
    const query = instantQuery('Snapshot', params);
    const maxBytes = options.maxBytes ?? DEFAULT_SNAPSHOT_MAX_BYTES;
    if (typeof maxBytes !== 'number' || !Number.isFinite(maxBytes) || maxBytes < 0) {
      throw new CiError({ code: 'InvalidArgument', message: `getSnapshot() maxBytes must be a number of bytes of at least 0, got ${String(maxBytes)}` });
    }
    const res = await this.send({
      method: 'GET',
      pathname: `/${key}`,
      query,
      valuedQuery: true,
      cos: true,
      action: `Taking a frame of ${key}`,
      object: { key, maxBytes },
    });
    const image = imageInfo(res.body);
    if (!image)
      throw new CiError({
        code: ErrorCodes.MalformedResponse,
        message: `Taking a frame of ${key}: the answer is not a JPEG or PNG image`,
        requestId: res.requestId,
      });
    const { 'ci-process': _process, ...sent } = query;
    const snapshot: InstantSnapshot = { body: res.body, contentType: header(res.headers, 'content-type') || undefined, params: sent, image };
    return res.requestId ? { ...snapshot, requestId: res.requestId } : snapshot;
  }

  /**
   * One page of the bucket's objects: COS "GET Bucket (List Objects)"
   * (https://cloud.tencent.com/document/product/436/7734, docs/api/objects.md#list-objects),
   * a `GET /?prefix=…` on the objects' origin, signed like `getObject` with the query in the
   * signature. At most `maxKeys` (default 1000) keys and common prefixes after `marker`;
   * follow `nextMarker` while `isTruncated` for the rest. Bad options throw InvalidArgument
   * before anything is sent; a COS error body throws its CiError (`NoSuchBucket`, `AccessDenied`).
   */
  async listObjects(options: ListObjectsOptions = {}): Promise<ListObjectsResult> {
    const query = listObjectsQuery(options);
    const under = query.prefix ? ` under ${JSON.stringify(query.prefix)}` : '';
    const res = await this.send({ method: 'GET', pathname: '/', query, valuedQuery: true, cos: true, action: `Listing the objects of ${this.bucket}${under}` });
    const result = parseListObjects(res.body, { status: res.status, requestId: res.requestId, maxBytes: this.maxBodyBytes });
    return res.requestId ? { ...result, requestId: res.requestId } : result;
  }

  /** Closes the client's connection pools (not a dispatcher passed in). */
  async close(): Promise<void> {
    if (!this.ownsDispatcher) return;
    await Promise.all([this.dispatcher.close(), this.objectPool?.close()]);
  }

  /** The dispatcher of object requests: the client's own when objects share its origin or one was passed in, else a second pool. */
  private objectDispatcher(): Dispatcher {
    if (!this.ownsDispatcher || this.objectOrigin === this.origin) return this.dispatcher;
    this.objectPool ??= new Pool(this.objectOrigin, {
      connections: 8,
      keepAliveTimeout: 30_000,
      pipelining: 1,
      connect: { timeout: this.timeoutMs > 0 ? Math.min(this.timeoutMs, 10_000) : 10_000 },
    });
    return this.objectPool;
  }

  /** The request's headers: the signed ones (host, content-*, token), the Authorization, and the user agent. */
  private headersFor(req: HttpRequest): Record<string, string> {
    const signed: Record<string, string> = { host: req.cos ? this.objectHost : this.host };
    if (req.body !== undefined) {
      signed['content-type'] = 'application/xml';
      signed['content-length'] = String(Buffer.byteLength(req.body));
    }
    // COS hosts take the token only as x-cos-security-token (docs/api/signing.md#temporary-credentials).
    if (this.#sessionToken) signed[req.cos ? 'x-cos-security-token' : 'x-ci-security-token'] = this.#sessionToken;
    const authorization = sign({
      secretId: this.#secretId,
      secretKey: this.#secretKey,
      method: req.method,
      pathname: req.pathname,
      query: req.query,
      headers: signed,
      keyTime: this.keyTimeAt(Date.now() + this.skewMs),
    });
    return { ...signed, authorization, 'user-agent': this.userAgent };
  }

  /**
   * The KeyTime for a request signed at `now`: one is reused for a tenth of its validity (at
   * most a minute), so its SignKey is computed once per window instead of per request, and
   * every request still has at least 90 % of `signatureExpiresIn` left.
   */
  private keyTimeAt(now: number): string {
    const kept = this.keyTime;
    if (kept !== undefined && now >= kept.from && now < kept.until) return kept.value;
    const value = deriveKeyTime(now, this.expiresIn);
    this.keyTime = { value, from: now, until: now + Math.min(60_000, this.expiresIn * 100) };
    return value;
  }

  /** The body of an answer, refused once it passes `limit` bytes (or declares more). */
  private async readBody(res: Dispatcher.ResponseData, limit: number, what: string): Promise<Buffer> {
    const { body } = res;
    const declared = Number(header(res.headers as Record<string, string | string[] | undefined>, 'content-length'));
    const tooLarge = () => {
      // Destroying a body still arriving makes it emit an AbortError: ours to ignore.
      body.on('error', () => undefined);
      body.destroy();
      return new CiError({ code: ErrorCodes.BodyTooLarge, message: `${what} is larger than the ${limit}-byte limit` });
    };
    if (Number.isFinite(declared) && declared > limit) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > limit) throw tooLarge();
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /** One HTTP exchange with retries; resolves with a 2xx response or throws a CiError. */
  private async send(req: HttpRequest): Promise<HttpResponse> {
    const idempotent = req.method !== 'POST';
    let skewCorrected = false;
    for (let attempt = 0; ; attempt += 1) {
      const canRetry = attempt < this.retry.retries;
      const headers = this.headersFor(req);
      let res: Dispatcher.ResponseData;
      let body: Buffer;
      try {
        res = await (req.cos ? this.objectDispatcher() : this.dispatcher).request({
          origin: req.cos ? this.objectOrigin : this.origin,
          path: encodePath(req.pathname) + queryString(req.query, req.valuedQuery),
          method: req.method,
          headers,
          body: req.body,
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
        });
        // An object's own body has its own limit; answers and error bodies have the client's.
        const ok = res.statusCode >= 200 && res.statusCode < 300;
        body =
          req.object && ok
            ? await this.readBody(res, req.object.maxBytes, `Object ${JSON.stringify(req.object.key)}`)
            : await this.readBody(res, this.maxBodyBytes, 'Response body');
      } catch (err) {
        if (err instanceof CiError) {
          if (!idempotent && err.code === ErrorCodes.BodyTooLarge) {
            throw new CiOutcomeUnknownError({
              code: ErrorCodes.OutcomeUnknown,
              message: `${req.action}: the answer was larger than ${this.maxBodyBytes} bytes, so whether the job was created is unknown; check with list() (inputObject filter) before submitting again`,
            });
          }
          throw err;
        }
        const failure = this.networkError(req, err, idempotent);
        if (failure.retryable && canRetry && (idempotent || neverSent(err))) {
          await sleep(backoffDelay(attempt, this.retry));
          continue;
        }
        throw failure;
      }
      const headersIn = res.headers as Record<string, string | string[] | undefined>;
      const requestId = header(headersIn, 'x-ci-request-id') ?? header(headersIn, 'x-cos-request-id');
      if (res.statusCode >= 200 && res.statusCode < 300) return { status: res.statusCode, body, requestId, headers: headersIn };

      const error = parseErrorBody(body, { status: res.statusCode, requestId }) ?? errorFromFields({}, { status: res.statusCode, requestId });
      if (!skewCorrected && this.isSkewError(error)) {
        const serverDate = Date.parse(header(headersIn, 'date') ?? '');
        if (Number.isFinite(serverDate)) {
          this.skewMs = serverDate - Date.now();
          this.keyTime = undefined; // re-derived from the corrected clock
          skewCorrected = true;
          attempt -= 1; // a re-signed request is not a retry
          continue;
        }
      }
      if (error.retryable && canRetry && (idempotent || rejectedBeforeProcessing(error))) {
        const retryAfter = Number(header(headersIn, 'retry-after'));
        await sleep(backoffDelay(attempt, this.retry, Number.isFinite(retryAfter) && header(headersIn, 'retry-after') ? retryAfter : undefined));
        continue;
      }
      if (!idempotent && res.statusCode >= 500) {
        throw new CiOutcomeUnknownError({
          code: ErrorCodes.OutcomeUnknown,
          status: res.statusCode,
          requestId: error.requestId,
          retryable: false,
          message: `${req.action}: the service answered ${error.code} (HTTP ${res.statusCode}), so the job may or may not have been created; check with list() (inputObject filter) before submitting again${error.requestId ? ` [request id ${error.requestId}]` : ''}`,
        });
      }
      // Named in the message: the job and its input, or the job id (the service's own message may not say).
      error.message = `${req.action}: ${error.message}`;
      throw error;
    }
  }

  private isSkewError(error: CiError): boolean {
    if (error.status !== 401 && error.status !== 403) return false;
    return SKEW_CODES.has(error.code) || (error.code === 'AccessDenied' && /expired/i.test(error.message));
  }

  private networkError(req: HttpRequest, err: unknown, idempotent: boolean): CiError {
    const code = networkErrorCode(err);
    const timedOut = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
    if (code === 'UND_ERR_DESTROYED' || code === 'UND_ERR_CLOSED') {
      return new CiError({ code: ErrorCodes.Network, retryable: false, message: `${req.action} failed: the client has been closed` });
    }
    const what = timedOut ? `no answer within ${this.timeoutMs} ms` : `network error ${code ?? (err as Error)?.message ?? 'unknown'}`;
    const cause = { code, message: (err as Error)?.message };
    if (!idempotent && !neverSent(err)) {
      return new CiOutcomeUnknownError({
        code: ErrorCodes.OutcomeUnknown,
        retryable: false,
        cause,
        message: `${req.action}: ${what} after the request was sent, so the job may or may not have been created; check with list() (inputObject filter) before submitting again`,
      });
    }
    return new CiError({
      code: timedOut ? ErrorCodes.Timeout : ErrorCodes.Network,
      retryable: true,
      cause,
      message: `${req.action} failed: ${what} (${req.cos ? this.objectOrigin : this.origin})`,
    });
  }
}

/** ` for input/demo.mp4`: the input a job request names (a URL without its query, which may hold a signature). */
function inputNamed(params: JobRequestParams | Record<string, unknown>): string {
  const input = (params as { Input?: unknown }).Input;
  if (!isObject(input)) return '';
  if (typeof input.Object === 'string' && input.Object) return ` for ${input.Object}`;
  if (typeof input.Url === 'string' && input.Url) return ` for ${input.Url.split(/[?#]/)[0]}`;
  return '';
}
