/**
 * CI's describe calls, answered from the emulator's state (docs/api/describe.md):
 *
 * - `GET /mediabucket`, `GET /ai_bucket`: the emulator's one bucket, with media processing and
 *   AI content recognition both on, in the emulator's region;
 * - `GET /queue`, `GET /ai_queue`: the bucket's media queue and AI queue, the ids jobs get
 *   (ids.ts queueIdFor), always Active (the emulator cannot pause a queue), MaxConcurrent the
 *   queue's concurrency, no MaxSize (the emulator sets no limit). NotifyConfig is the
 *   emulator's default callback (the `callbackUrl` option, which calls back for jobs that name
 *   none, as a queue's callback does): `Url`, `TaskFinish`, `XML`, `On`; without one `State` Off;
 * - `GET /template`: the scenario's templates (scenario.ts) as Custom templates of the bucket;
 *   none without a scenario (an empty list, TotalCount 0). No Official templates.
 *
 * Filters and pages as the pages describe them: regions, bucketNames (exact), bucketName
 * (prefix); queueIds (unknown ones in NonExistPIDs), state, category; tag, category, ids
 * (unknown ones in NonExistTIDs), name (prefix); pageNumber (default 1) and pageSize (default
 * 10, at most 100). A bad value is 400 InvalidArgument; other query parameters are ignored.
 * A method other than GET on these paths is 405 MethodNotAllowed [I].
 *
 * The server calls `describeRoute` after the signature check; it answers undefined for other paths.
 */
import { ApiError, Errors } from './api-error';
import { xmlResponse } from './bodies';
import { queueIdFor } from './ids';
import type { EmulatorState } from './state';
import { formatCiTime } from './time';

export interface DescribeAnswer {
  status: number;
  body: string;
}

type Query = ReadonlyArray<readonly [string, string]> | ReadonlyMap<string, string>;

/** The paths this module answers. */
export const DESCRIBE_PATHS = ['/mediabucket', '/ai_bucket', '/queue', '/ai_queue', '/template'] as const;

const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 10;

/** When the emulator first answered a describe call: the CreateTime of its bucket, queues and templates. */
const since = new WeakMap<EmulatorState, number>();

function createdAt(state: EmulatorState): string {
  let ms = since.get(state);
  if (ms === undefined) since.set(state, (ms = state.now()));
  return formatCiTime(ms);
}

function whole(query: ReadonlyMap<string, string>, name: string, fallback: number, max: number): number {
  const raw = query.get(name);
  if (raw === undefined || raw === '') return fallback;
  const n = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= max)) throw Errors.invalidArgument(`${name} must be a whole number from 1 to ${max}.`);
  return n;
}

function list(query: ReadonlyMap<string, string>, name: string): string[] | undefined {
  const raw = query.get(name);
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function oneOf(query: ReadonlyMap<string, string>, name: string, allowed: readonly string[]): string | undefined {
  const raw = query.get(name);
  if (raw === undefined || raw === '') return undefined;
  if (!allowed.includes(raw)) throw Errors.invalidArgument(`${name} must be one of ${allowed.join(', ')}.`);
  return raw;
}

/** One page of `items` and the page fields, in the pages' order: TotalCount, PageNumber, PageSize. */
function paged<T>(items: readonly T[], query: ReadonlyMap<string, string>): { head: Record<string, unknown>; page: T[] } {
  const pageNumber = whole(query, 'pageNumber', 1, Number.MAX_SAFE_INTEGER);
  const pageSize = whole(query, 'pageSize', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const start = (pageNumber - 1) * pageSize;
  return { head: { TotalCount: items.length, PageNumber: pageNumber, PageSize: pageSize }, page: items.slice(start, start + pageSize) };
}

function buckets(state: EmulatorState, query: ReadonlyMap<string, string>, list_: 'MediaBucketList' | 'AiBucketList'): DescribeAnswer {
  const regions = list(query, 'regions');
  const names = list(query, 'bucketNames');
  const prefix = query.get('bucketName') ?? '';
  const found =
    (regions === undefined || regions.includes(state.region)) && (names === undefined || names.includes(state.bucket)) && state.bucket.startsWith(prefix)
      ? [{ BucketId: state.bucket, Name: state.bucket, Region: state.region, CreateTime: createdAt(state) }]
      : [];
  const { head, page } = paged(found, query);
  return { status: 200, body: xmlResponse({ ...head, [list_]: page }) };
}

/** The queue's concurrency (JobQueue keeps it private; read when it is a number). */
function concurrencyOf(state: EmulatorState): number | undefined {
  const value: unknown = Reflect.get(state.queue, 'concurrency');
  return typeof value === 'number' ? value : undefined;
}

function notifyConfig(state: EmulatorState): Record<string, unknown> {
  const url = state.defaultCallbackUrl;
  return url ? { Url: url, Event: 'TaskFinish', Type: 'Url', State: 'On', ResultFormat: 'XML' } : { State: 'Off' };
}

function queues(state: EmulatorState, query: ReadonlyMap<string, string>, kind: 'media' | 'ai'): DescribeAnswer {
  const ids = list(query, 'queueIds');
  const wanted = oneOf(query, 'state', ['Active', 'Paused', 'All']) ?? 'All';
  const category = kind === 'media' ? (oneOf(query, 'category', ['CateAll', 'Transcoding', 'SpeedTranscoding']) ?? 'Transcoding') : undefined;
  const queueId = queueIdFor(state.bucket, kind);
  const time = createdAt(state);
  const queue: Record<string, unknown> = {
    QueueId: queueId,
    Name: kind === 'media' ? 'queue-media' : 'queue-ai',
    State: 'Active',
    ...(concurrencyOf(state) === undefined ? {} : { MaxConcurrent: concurrencyOf(state) }),
    UpdateTime: time,
    CreateTime: time,
    NotifyConfig: notifyConfig(state),
    Category: kind === 'media' ? 'Transcoding' : 'AIProcess',
  };
  const shown = (ids === undefined || ids.includes(queueId)) && wanted !== 'Paused' && category !== 'SpeedTranscoding';
  const { head, page } = paged(shown ? [queue] : [], query);
  const content: Record<string, unknown> = { ...head, QueueList: page };
  const missing = (ids ?? []).filter((id) => id !== queueId);
  if (missing.length > 0) content.NonExistPIDs = missing;
  return { status: 200, body: xmlResponse(content) };
}

function templates(state: EmulatorState, query: ReadonlyMap<string, string>): DescribeAnswer {
  const tag = query.get('tag') || 'All';
  const category = oneOf(query, 'category', ['Custom', 'Official']) ?? 'Custom';
  const ids = list(query, 'ids');
  const prefix = query.get('name') ?? '';
  const time = createdAt(state);
  const all = Object.entries(state.scenario.templates ?? {});
  const found = all
    .filter(
      ([id, t]) => category === 'Custom' && (tag === 'All' || t.Tag === tag) && (ids === undefined || ids.includes(id)) && (t.Name ?? id).startsWith(prefix),
    )
    .map(([id, t]) => {
      const { Tag, Name, ...settings } = t;
      return {
        TemplateId: id,
        Name: Name ?? id,
        Tag,
        State: 'Normal',
        Category: 'Custom',
        BucketId: state.bucket,
        ...settings,
        CreateTime: time,
        UpdateTime: time,
      };
    });
  const { head, page } = paged(found, query);
  const content: Record<string, unknown> = { ...head, TemplateList: page };
  const known = new Set(all.map(([id]) => id));
  const missing = (ids ?? []).filter((id) => !known.has(id));
  if (missing.length > 0) content.NonExistTIDs = missing;
  return { status: 200, body: xmlResponse(content) };
}

/**
 * The answer to a describe call, or undefined when `pathname` is none of DESCRIBE_PATHS.
 * Throws the ApiError of a bad query (400 InvalidArgument) or method (405), as the other
 * handlers do, for the server to write as an `<Error>` body.
 */
export function describeRoute(state: EmulatorState, method: string, pathname: string, query: Query): DescribeAnswer | undefined {
  if (!(DESCRIBE_PATHS as readonly string[]).includes(pathname)) return undefined;
  if (method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', `${method} ${pathname} is not supported; the emulator answers GET ${pathname}.`);
  const q: ReadonlyMap<string, string> = query instanceof Map ? query : new Map(query as ReadonlyArray<readonly [string, string]>);
  switch (pathname) {
    case '/mediabucket':
      return buckets(state, q, 'MediaBucketList');
    case '/ai_bucket':
      return buckets(state, q, 'AiBucketList');
    case '/queue':
      return queues(state, q, 'media');
    case '/ai_queue':
      return queues(state, q, 'ai');
    default:
      return templates(state, q);
  }
}
