/**
 * The service's "describe" calls that pickers and a pre-flight check need (docs/api/describe.md):
 * the media-processing and AI-processing buckets (`GET /mediabucket`, `GET /ai_bucket`), the
 * media and AI queues (`GET /queue`, `GET /ai_queue`) and the templates (`GET /template`).
 * This file is pure: the query of each call, checked, and the reading of its `<Response>`.
 * CiClient.describeMediaBuckets, describeAiBuckets, describeQueues, describeAiQueues and
 * describeTemplates send them.
 *
 * Queries hold only the options given, in the order of the API pages' parameter tables (the
 * Go SDK also leaves out empty ones); an option name the call does not take is refused, as
 * is a value outside what the pages (or, where they say nothing, the SDKs) allow. Answers:
 * every list (`MediaBucketList`, `AiBucketList`, `QueueList`, `TemplateList`, `NonExistPIDs`,
 * `NonExistTIDs`) is an array even with one entry or none.
 */
import { CiError, describeValue } from './errors';
import { DEFAULT_MAX_DEPTH } from './depth';
import { BUCKET_PATTERN, REGION_PATTERN } from './jobs/common';
import { errorFromFields, guarded, type ParseOptions } from './parse';
import { uriEncode } from './sign';
import { isObject } from './values';
import { bodyText, checkBodySize, DEFAULT_MAX_BODY_BYTES, malformedXml } from './xml';
import { arrayTrie, readXml } from './xml-reader';

/** The largest page: "大于0且小于等于100的整数" on the AI-bucket page; assumed for the other calls. */
export const MAX_DESCRIBE_PAGE_SIZE = 100;
/** At most this many queue ids in one query (the media-queue page, 2025 revision). */
export const MAX_QUEUE_IDS = 10;
/** Queue states a query may ask for: the pages' Active and Paused, and the Python SDK's default All. */
export const QUEUE_STATES = ['Active', 'Paused', 'All'] as const;
/** Media-queue categories (the media-queue page): every kind, media processing, speed transcoding. */
export const QUEUE_CATEGORIES = ['CateAll', 'Transcoding', 'SpeedTranscoding'] as const;
export const TEMPLATE_CATEGORIES = ['Custom', 'Official'] as const;
/**
 * Template tags: `All` (the default) and the DescribeMediaTemplates page's list, then the tags
 * of the other template kinds the Go SDK creates (VideoTargetRec, the AI-queue detection
 * template, among them). Of this project's job types only Snapshot and VideoTargetRec take
 * a TemplateId; no source names a template tag for MediaInfo, QualityEstimate or VideoTag.
 */
export const TEMPLATE_TAGS = [
  'All',
  'Transcode',
  'Animation',
  'Snapshot',
  'Concat',
  'VoiceSeparate',
  'VideoMontage',
  'VideoProcess',
  'SuperResolution',
  'Watermark',
  'Tts',
  'TranscodePro',
  'HighSpeedHd',
  'VideoTargetRec',
  'PicProcess',
  'SmartCover',
  'SpeechRecognition',
  'NoiseReduction',
  'VideoEnhance',
  'ImageOCR',
] as const;

export type QueueState = (typeof QUEUE_STATES)[number];
export type QueueCategory = (typeof QUEUE_CATEGORIES)[number];
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];
export type TemplateTag = (typeof TEMPLATE_TAGS)[number];

/** A list option: one string with commas, or the items. */
export type ListOption = string | readonly string[];

interface PageOptions {
  /** The page, from 1 (the service's default 1). */
  pageNumber?: number;
  /** Entries a page, 1 to 100 (the service's default 10). */
  pageSize?: number;
}

export interface DescribeBucketsOptions extends PageOptions {
  /** Only buckets in these regions (`ap-shanghai,ap-beijing`); the service's default is the host's region. */
  regions?: ListOption;
  /** Only these buckets, exactly (`BucketName-APPID`). */
  bucketNames?: ListOption;
  /** Only buckets whose name starts with this. */
  bucketName?: string;
}

export interface DescribeAiQueuesOptions extends PageOptions {
  /** Only these queues (at most 10). */
  queueIds?: ListOption;
  /** Only queues in this state; All (the Python SDK's default) for both. */
  state?: QueueState;
}

export interface DescribeQueuesOptions extends DescribeAiQueuesOptions {
  /** Media queues of this kind (the service's default Transcoding). */
  category?: QueueCategory;
}

export interface DescribeTemplatesOptions extends PageOptions {
  /** Templates of this kind (the service's default All). */
  tag?: TemplateTag;
  /** Custom (the service's default) or Official (the preset ones). */
  category?: TemplateCategory;
  /** Only these templates. */
  ids?: ListOption;
  /** Only templates whose name starts with this. */
  name?: string;
}

export interface ProcessBucket {
  /** `BucketName-APPID`. */
  bucketId: string;
  /** The same as bucketId (the pages say so). */
  name: string;
  region: string;
  /** As the service writes it: `2019-11-15T12:12:12+0800`. */
  createTime?: string;
}

export interface DescribeBucketsResult {
  totalCount: number;
  pageNumber?: number;
  pageSize?: number;
  /** The answer's MediaBucketList or AiBucketList. */
  buckets: ProcessBucket[];
  requestId?: string;
}

export interface QueueNotifyConfig {
  url?: string;
  /** `Url` or `TDMQ`. */
  type?: string;
  /** Events that call back, comma-separated: `TaskFinish,WorkflowFinish`. */
  event?: string;
  /** `On` or `Off`. */
  state?: string;
  /** `XML` or `JSON`. */
  resultFormat?: string;
  mqMode?: string;
  mqRegion?: string;
  mqName?: string;
  /** The Go SDK's struct only. */
  kafkaConfig?: { region?: string; instanceId?: string; topic?: string };
}

export interface ProcessQueue {
  queueId: string;
  name: string;
  /** `Active` or `Paused`. */
  state: string;
  maxSize?: number;
  maxConcurrent?: number;
  updateTime?: string;
  createTime?: string;
  notifyConfig?: QueueNotifyConfig;
  /** `Transcoding`, `SpeedTranscoding`, `AIProcess`, … (the pages' samples; not in the Go struct). */
  category?: string;
}

export interface DescribeQueuesResult {
  totalCount: number;
  pageNumber?: number;
  pageSize?: number;
  queues: ProcessQueue[];
  /** Asked-for queue ids that do not exist (the Go SDK's struct; no page shows it). */
  nonExistPids: string[];
  requestId?: string;
}

export interface CiTemplate {
  templateId: string;
  name: string;
  /** `Snapshot`, `VideoTargetRec`, … */
  tag: string;
  /** `Normal`, … */
  state?: string;
  /** `Custom` or `Official`. */
  category?: string;
  bucketId?: string;
  createTime?: string;
  updateTime?: string;
  /** The template's own elements by name, as read: `{ Snapshot: { Mode, Count, … } }`, `{ TransTpl: … }`. */
  settings: Record<string, unknown>;
}

export interface DescribeTemplatesResult {
  totalCount: number;
  pageNumber?: number;
  pageSize?: number;
  templates: CiTemplate[];
  /** Asked-for template ids that do not exist (not in the SDKs' structs; read when present). */
  nonExistTids: string[];
  requestId?: string;
}

/* ---------------------------------------------------------------- queries */

/** A value in a message: as JSON, but NaN and Infinity as themselves (JSON would say null). */
function shown(value: unknown): string {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : describeValue(value);
}

function invalid(call: string, message: string): CiError {
  return new CiError({ code: 'InvalidArgument', message: `${call}() ${message}` });
}

/** The options object, with every name the call does not take refused at once. */
function checkedOptions(call: string, options: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (!isObject(options)) throw invalid(call, `takes an options object, got ${shown(options)}`);
  const unknown = Object.keys(options).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) {
    throw invalid(call, `does not take ${unknown.length === 1 ? 'the option' : 'the options'} ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`);
  }
  return options;
}

/** A string a URL can carry (no lone UTF-16 surrogate). */
function encodable(call: string, name: string, value: string): string {
  try {
    uriEncode(value);
  } catch {
    throw invalid(call, `${name} ${shown(value)} contains a lone UTF-16 surrogate, which is not valid UTF-8`);
  }
  return value;
}

function textOption(call: string, name: string, value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw invalid(call, `${name} must be a string, got ${shown(value)}`);
  return encodable(call, name, value);
}

/** A comma-separated list: items trimmed, none empty, each matching `pattern` when given. */
function listOption(call: string, name: string, value: unknown, check: { pattern?: RegExp; what?: string; max?: number } = {}): string | undefined {
  if (value === undefined) return undefined;
  let items: string[];
  if (typeof value === 'string') items = value.split(',');
  else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) items = (value as string[]).flatMap((item) => item.split(','));
  else throw invalid(call, `${name} must be a string or a list of strings, got ${shown(value)}`);
  items = items.map((item) => item.trim());
  if (items.length === 0 || (items.length === 1 && items[0] === '')) return undefined;
  const bad = items.find((item) => item === '' || (check.pattern !== undefined && !check.pattern.test(item)));
  if (bad !== undefined)
    throw invalid(call, `${name} has ${bad === '' ? 'an empty item' : `the item ${shown(bad)}`}; expected ${check.what ?? 'names'} separated by commas`);
  if (check.max !== undefined && items.length > check.max) throw invalid(call, `${name} has ${items.length} items; allowed: at most ${check.max}`);
  return encodable(call, name, items.join(','));
}

function wholeOption(call: string, name: string, value: unknown, min: number, max: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(call, `${name} is ${shown(value)}; allowed: a whole number from ${min} to ${max}`);
  }
  return String(value);
}

function enumOption(call: string, name: string, value: unknown, allowed: readonly string[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !allowed.includes(value)) throw invalid(call, `${name} is ${shown(value)}; allowed: ${allowed.join(', ')}`);
  return value;
}

/** The query without the options left out, in the given order. */
function compact(entries: ReadonlyArray<readonly [string, string | undefined]>): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of entries) if (value !== undefined) query[name] = value;
  return query;
}

function pageEntries(call: string, o: Record<string, unknown>): Array<[string, string | undefined]> {
  return [
    ['pageNumber', wholeOption(call, 'pageNumber', o.pageNumber, 1, Number.MAX_SAFE_INTEGER)],
    ['pageSize', wholeOption(call, 'pageSize', o.pageSize, 1, MAX_DESCRIBE_PAGE_SIZE)],
  ];
}

const BUCKET_OPTIONS = ['regions', 'bucketNames', 'bucketName', 'pageNumber', 'pageSize'] as const;

/** The query of `GET /mediabucket` or `GET /ai_bucket`: regions, bucketNames, bucketName, pageNumber, pageSize. */
export function describeBucketsQuery(options?: DescribeBucketsOptions, call = 'describeMediaBuckets'): Record<string, string> {
  const o = checkedOptions(call, options, BUCKET_OPTIONS);
  return compact([
    ['regions', listOption(call, 'regions', o.regions, { pattern: REGION_PATTERN, what: 'regions such as ap-guangzhou' })],
    ['bucketNames', listOption(call, 'bucketNames', o.bucketNames, { pattern: BUCKET_PATTERN, what: 'buckets named BucketName-APPID' })],
    ['bucketName', textOption(call, 'bucketName', o.bucketName)],
    ...pageEntries(call, o),
  ]);
}

const QUEUE_OPTIONS = ['queueIds', 'state', 'category', 'pageNumber', 'pageSize'] as const;
const AI_QUEUE_OPTIONS = ['queueIds', 'state', 'pageNumber', 'pageSize'] as const;
const QUEUE_ID = /^[A-Za-z0-9_-]+$/;

/**
 * The query of `GET /queue` (`kind` media: queueIds, state, category, pageNumber, pageSize) or
 * `GET /ai_queue` (`kind` ai: no category; the AI-queue pages list none).
 */
export function describeQueuesQuery(options?: DescribeQueuesOptions, kind: 'media' | 'ai' = 'media'): Record<string, string> {
  const call = kind === 'media' ? 'describeQueues' : 'describeAiQueues';
  const o = checkedOptions(call, options, kind === 'media' ? QUEUE_OPTIONS : AI_QUEUE_OPTIONS);
  return compact([
    ['queueIds', listOption(call, 'queueIds', o.queueIds, { pattern: QUEUE_ID, what: 'queue ids (letters, digits, - and _)', max: MAX_QUEUE_IDS })],
    ['state', enumOption(call, 'state', o.state, QUEUE_STATES)],
    ['category', enumOption(call, 'category', o.category, QUEUE_CATEGORIES)],
    ...pageEntries(call, o),
  ]);
}

const TEMPLATE_OPTIONS = ['tag', 'category', 'ids', 'name', 'pageNumber', 'pageSize'] as const;

/** The query of `GET /template`: tag, category, ids, name, pageNumber, pageSize. */
export function describeTemplatesQuery(options?: DescribeTemplatesOptions): Record<string, string> {
  const call = 'describeTemplates';
  const o = checkedOptions(call, options, TEMPLATE_OPTIONS);
  return compact([
    ['tag', enumOption(call, 'tag', o.tag, TEMPLATE_TAGS)],
    ['category', enumOption(call, 'category', o.category, TEMPLATE_CATEGORIES)],
    ['ids', listOption(call, 'ids', o.ids, { pattern: QUEUE_ID, what: 'template ids (letters, digits, - and _)' })],
    ['name', textOption(call, 'name', o.name)],
    ...pageEntries(call, o),
  ]);
}

/* ---------------------------------------------------------------- answers */

type Fields = Record<string, unknown>;
type AnswerOptions = Pick<ParseOptions, 'maxBytes' | 'status' | 'requestId'>;

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A whole number the answer may leave out; anything else that is not one is MalformedResponse. */
function whole(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw malformedXml(`${what} is not a whole number`);
  return n;
}

/** The `<Response>` content of an answer; an `<Error>` body throws its CiError. */
function responseOf(body: string | Uint8Array, arrays: readonly string[], options: AnswerOptions): Fields {
  checkBodySize(body, options.maxBytes ?? DEFAULT_MAX_BODY_BYTES);
  const doc = readXml(bodyText(body), arrayTrie(arrays), DEFAULT_MAX_DEPTH);
  if (doc.root === 'Error') throw errorFromFields(doc.content, options);
  if (doc.root !== 'Response') throw malformedXml(`expected a <Response> root, got <${doc.root.slice(0, 40)}>`);
  return doc.content;
}

function entries(c: Fields, name: string): Fields[] {
  return ((c[name] as unknown[] | undefined) ?? []).map((entry, i) => {
    if (!isObject(entry)) throw malformedXml(`${name} ${i + 1} is not an element with fields`);
    return entry;
  });
}

function strings(c: Fields, name: string): string[] {
  return ((c[name] as unknown[] | undefined) ?? []).flatMap((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : []));
}

interface Page {
  totalCount: number;
  pageNumber?: number;
  pageSize?: number;
}

function page(c: Fields, count: number): Page {
  const out: Page = { totalCount: whole(c.TotalCount, 'TotalCount') ?? count };
  const pageNumber = whole(c.PageNumber, 'PageNumber');
  const pageSize = whole(c.PageSize, 'PageSize');
  if (pageNumber !== undefined) out.pageNumber = pageNumber;
  if (pageSize !== undefined) out.pageSize = pageSize;
  return out;
}

/** Copies the text fields named in `names` (API name → our name) that the entry has. */
function pick<T extends object>(target: T, from: Fields, names: Record<string, keyof T>): T {
  for (const [api, ours] of Object.entries(names)) {
    const value = text(from[api]);
    if (value !== undefined) (target as Record<keyof T, unknown>)[ours] = value;
  }
  return target;
}

function withRequestId<T extends { requestId?: string }>(result: T, c: Fields, options: AnswerOptions): T {
  const requestId = text(c.RequestId) ?? options.requestId;
  if (requestId) result.requestId = requestId;
  return result;
}

/**
 * Reads a `GET /mediabucket` (`list` MediaBucketList) or `GET /ai_bucket` (`list` AiBucketList)
 * answer. An `<Error>` body throws its CiError; any other body that is not such an answer a
 * CiError MalformedResponse (BodyTooLarge, BodyTooDeep), never another error.
 */
export function parseDescribeBuckets(
  body: string | Uint8Array,
  list: 'MediaBucketList' | 'AiBucketList' = 'MediaBucketList',
  options: AnswerOptions = {},
): DescribeBucketsResult {
  return guarded(() => {
    const c = responseOf(body, [list], options);
    const buckets = entries(c, list).map((entry, i) => {
      const bucketId = text(entry.BucketId) ?? text(entry.Name);
      if (bucketId === undefined) throw malformedXml(`${list} ${i + 1} has no BucketId or Name`);
      const bucket: ProcessBucket = { bucketId, name: text(entry.Name) ?? bucketId, region: text(entry.Region) ?? '' };
      return pick(bucket, entry, { CreateTime: 'createTime' });
    });
    return withRequestId<DescribeBucketsResult>({ ...page(c, buckets.length), buckets }, c, options);
  });
}

const NOTIFY_FIELDS: Record<string, keyof QueueNotifyConfig> = {
  Url: 'url',
  Type: 'type',
  Event: 'event',
  State: 'state',
  ResultFormat: 'resultFormat',
  MqMode: 'mqMode',
  MqRegion: 'mqRegion',
  MqName: 'mqName',
};

function notifyConfig(value: unknown): QueueNotifyConfig | undefined {
  if (!isObject(value)) return undefined;
  const config = pick<QueueNotifyConfig>({}, value, NOTIFY_FIELDS);
  if (isObject(value.KafkaConfig)) {
    config.kafkaConfig = pick<NonNullable<QueueNotifyConfig['kafkaConfig']>>({}, value.KafkaConfig, {
      Region: 'region',
      InstanceId: 'instanceId',
      Topic: 'topic',
    });
  }
  return config;
}

/** Reads a `GET /queue` or `GET /ai_queue` answer (errors as parseDescribeBuckets). */
export function parseDescribeQueues(body: string | Uint8Array, options: AnswerOptions = {}): DescribeQueuesResult {
  return guarded(() => {
    const c = responseOf(body, ['QueueList', 'NonExistPIDs'], options);
    const queues = entries(c, 'QueueList').map((entry, i) => {
      const queueId = text(entry.QueueId);
      if (queueId === undefined) throw malformedXml(`QueueList ${i + 1} has no QueueId`);
      const queue: ProcessQueue = { queueId, name: text(entry.Name) ?? '', state: text(entry.State) ?? '' };
      const maxSize = whole(entry.MaxSize, `QueueList ${i + 1} MaxSize`);
      const maxConcurrent = whole(entry.MaxConcurrent, `QueueList ${i + 1} MaxConcurrent`);
      if (maxSize !== undefined) queue.maxSize = maxSize;
      if (maxConcurrent !== undefined) queue.maxConcurrent = maxConcurrent;
      pick(queue, entry, { UpdateTime: 'updateTime', CreateTime: 'createTime', Category: 'category' });
      const notify = notifyConfig(entry.NotifyConfig);
      if (notify) queue.notifyConfig = notify;
      return queue;
    });
    return withRequestId<DescribeQueuesResult>({ ...page(c, queues.length), queues, nonExistPids: strings(c, 'NonExistPIDs') }, c, options);
  });
}

/** A template's fields other than its settings. */
const TEMPLATE_FIELDS = new Set(['TemplateId', 'Name', 'Tag', 'Code', 'State', 'Category', 'BucketId', 'CreateTime', 'UpdateTime']);

/**
 * Reads a `GET /template` answer (errors as parseDescribeBuckets). The tag is read from `<Tag>`
 * (the pages' samples) or `<Code>` (where the Go SDK's struct reads it).
 */
export function parseDescribeTemplates(body: string | Uint8Array, options: AnswerOptions = {}): DescribeTemplatesResult {
  return guarded(() => {
    const c = responseOf(body, ['TemplateList', 'NonExistTIDs'], options);
    const templates = entries(c, 'TemplateList').map((entry, i) => {
      const templateId = text(entry.TemplateId);
      if (templateId === undefined) throw malformedXml(`TemplateList ${i + 1} has no TemplateId`);
      const settings: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(entry)) if (!TEMPLATE_FIELDS.has(name)) settings[name] = value;
      const template: CiTemplate = { templateId, name: text(entry.Name) ?? '', tag: text(entry.Tag) ?? text(entry.Code) ?? '', settings };
      return pick(template, entry, { State: 'state', Category: 'category', BucketId: 'bucketId', CreateTime: 'createTime', UpdateTime: 'updateTime' });
    });
    return withRequestId<DescribeTemplatesResult>({ ...page(c, templates.length), templates, nonExistTids: strings(c, 'NonExistTIDs') }, c, options);
  });
}
