/**
 * describeRoute (src/describe-api.ts, docs/api/describe.md): the emulator's answers to CI's
 * describe calls, GET /mediabucket, /ai_bucket, /queue, /ai_queue and /template, straight
 * from a state (no server): the bucket, the two queues and the scenario's templates, with
 * the filters, pages and errors the pages describe.
 */
import assert from 'node:assert/strict';
import { parseXml } from '@node-red-tencent-ci/core';

import { ApiError } from '../src/api-error';
import { describeRoute, DESCRIBE_PATHS } from '../src/describe-api';
import { queueIdFor } from '../src/ids';
import { JobQueue } from '../src/queue';
import type { Scenario } from '../src/scenario';
import type { EmulatorState } from '../src/state';
import { formatCiTime } from '../src/time';
import { withEmulator } from './helpers/emulator';

const BUCKET = 'examplebucket-1250000000';
const REGION = 'ap-guangzhou';
const NOW = Date.parse('2026-03-04T05:06:07Z');

function stateWith(options: { callbackUrl?: string; scenario?: Scenario; concurrency?: number } = {}): EmulatorState {
  return {
    bucket: BUCKET,
    region: REGION,
    queue: new JobQueue(options.concurrency ?? 2, 0, () => Promise.resolve()),
    scenario: options.scenario ?? {},
    defaultCallbackUrl: options.callbackUrl,
    now: () => NOW,
  } as unknown as EmulatorState;
}

/** The answer's `<Response>` content, after checking it is a 200. */
function answer(state: EmulatorState, path: string, query: Record<string, string> = {}): Record<string, unknown> {
  const result = describeRoute(state, 'GET', path, Object.entries(query));
  assert.ok(result, `${path} is answered`);
  assert.equal(result.status, 200);
  assert.match(result.body, /^<Response>/);
  const doc = parseXml(result.body, 1 << 20) as { Response: Record<string, unknown> };
  return doc.Response;
}

function refused(fn: () => unknown, status: number, code: string, pattern?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.status, status);
    assert.equal(err.code, code);
    if (pattern) assert.match(err.message, pattern);
    return true;
  });
}

const SCENARIO: Scenario = {
  templates: {
    t1demo: { Tag: 'Snapshot', Name: 'snapshot_demo', Snapshot: { Mode: 'Interval', Count: '3', TimeInterval: '1' } },
    t2sprite: { Tag: 'Snapshot', Name: 'sprite', Snapshot: { Mode: 'Average', Count: '10' } },
    t3vtr: { Tag: 'VideoTargetRec', Name: 'people', VideoTargetRec: { Body: 'true', Car: 'false' } },
  },
};

describe('describeRoute', () => {
  it('answers only its five paths, and only GET on them', () => {
    const state = stateWith();
    assert.deepEqual([...DESCRIBE_PATHS], ['/mediabucket', '/ai_bucket', '/queue', '/ai_queue', '/template']);
    for (const path of ['/jobs', '/', '/queue/p1', '/input/a.mp4', '/templates']) assert.equal(describeRoute(state, 'GET', path, []), undefined, path);
    for (const path of DESCRIBE_PATHS) {
      refused(() => describeRoute(state, 'POST', path, []), 405, 'MethodNotAllowed', new RegExp(`POST ${path}`));
      refused(() => describeRoute(state, 'PUT', path, []), 405, 'MethodNotAllowed');
    }
    // A Map works as well as the server's list of pairs.
    assert.equal(describeRoute(state, 'GET', '/queue', new Map([['state', 'Active']]))?.status, 200);
  });

  describe('GET /mediabucket and /ai_bucket', () => {
    for (const [path, list] of [
      ['/mediabucket', 'MediaBucketList'],
      ['/ai_bucket', 'AiBucketList'],
    ] as const) {
      it(`${path}: the emulator's bucket, in its region (${list})`, () => {
        const state = stateWith();
        const bucket = { BucketId: BUCKET, Name: BUCKET, Region: REGION, CreateTime: formatCiTime(NOW) };
        assert.deepEqual(answer(state, path), { TotalCount: '1', PageNumber: '1', PageSize: '10', [list]: bucket });
        assert.deepEqual(answer(state, path, { regions: `ap-beijing,${REGION}`, bucketNames: BUCKET, bucketName: 'example' })[list], bucket);
        const misses: Array<Record<string, string>> = [
          { regions: 'ap-beijing' },
          { bucketNames: 'other-1250000000' },
          { bucketName: 'other' },
          { pageNumber: '2' },
        ];
        for (const query of misses) {
          const none = answer(state, path, query);
          assert.equal(none[list], undefined, JSON.stringify(query));
        }
        assert.equal(answer(state, path, { regions: 'ap-beijing' }).TotalCount, '0');
      });
    }

    it('refuses pages that are not whole numbers in range', () => {
      const state = stateWith();
      refused(() => describeRoute(state, 'GET', '/mediabucket', [['pageSize', '0']]), 400, 'InvalidArgument', /pageSize must be a whole number from 1 to 100/);
      refused(() => describeRoute(state, 'GET', '/ai_bucket', [['pageSize', '101']]), 400, 'InvalidArgument');
      refused(() => describeRoute(state, 'GET', '/mediabucket', [['pageNumber', '1.5']]), 400, 'InvalidArgument', /pageNumber/);
      refused(() => describeRoute(state, 'GET', '/mediabucket', [['pageNumber', 'x']]), 400, 'InvalidArgument');
    });
  });

  describe('GET /queue and /ai_queue', () => {
    it("the media queue: the id jobs get, Active, the queue's concurrency, the default callback as NotifyConfig", () => {
      const state = stateWith({ callbackUrl: 'http://127.0.0.1:1880/ci', concurrency: 4 });
      const time = formatCiTime(NOW);
      assert.deepEqual(answer(state, '/queue'), {
        TotalCount: '1',
        PageNumber: '1',
        PageSize: '10',
        QueueList: {
          QueueId: queueIdFor(BUCKET, 'media'),
          Name: 'queue-media',
          State: 'Active',
          MaxConcurrent: '4',
          UpdateTime: time,
          CreateTime: time,
          NotifyConfig: { Url: 'http://127.0.0.1:1880/ci', Event: 'TaskFinish', Type: 'Url', State: 'On', ResultFormat: 'XML' },
          Category: 'Transcoding',
        },
      });
    });

    it('the AI queue: its own id, category AIProcess; without a default callback NotifyConfig is Off', () => {
      const queue = answer(stateWith(), '/ai_queue').QueueList as Record<string, unknown>;
      assert.equal(queue.QueueId, queueIdFor(BUCKET, 'ai'));
      assert.notEqual(queue.QueueId, queueIdFor(BUCKET, 'media'));
      assert.equal(queue.Category, 'AIProcess');
      assert.deepEqual(queue.NotifyConfig, { State: 'Off' });
    });

    it('filters by queueIds (the others in NonExistPIDs), state and category', () => {
      const state = stateWith();
      const media = queueIdFor(BUCKET, 'media');
      const found = answer(state, '/queue', { queueIds: `${media},pmissing` });
      assert.equal((found.QueueList as Record<string, unknown>).QueueId, media);
      assert.equal(found.NonExistPIDs, 'pmissing');
      const other = answer(state, '/ai_queue', { queueIds: media });
      assert.equal(other.QueueList, undefined);
      assert.equal(other.NonExistPIDs, media);
      assert.equal(answer(state, '/queue', { state: 'Paused' }).TotalCount, '0');
      assert.equal(answer(state, '/queue', { state: 'All' }).TotalCount, '1');
      assert.equal(answer(state, '/queue', { state: 'Active', category: 'CateAll' }).TotalCount, '1');
      assert.equal(answer(state, '/queue', { category: 'SpeedTranscoding' }).TotalCount, '0');
      // The AI-queue pages list no category: it is ignored there, as other parameters are.
      assert.equal(answer(state, '/ai_queue', { category: 'whatever', other: 'x' }).TotalCount, '1');
      refused(() => describeRoute(state, 'GET', '/queue', [['state', 'Running']]), 400, 'InvalidArgument', /state must be one of Active, Paused, All/);
      refused(() => describeRoute(state, 'GET', '/queue', [['category', 'AIProcess']]), 400, 'InvalidArgument', /category/);
    });
  });

  describe('GET /template', () => {
    it('none without a scenario: an empty list, TotalCount 0', () => {
      assert.deepEqual(answer(stateWith(), '/template'), { TotalCount: '0', PageNumber: '1', PageSize: '10' });
      assert.deepEqual(answer(stateWith(), '/template', { ids: 't1,t2' }).NonExistTIDs, ['t1', 't2']);
    });

    it("the scenario's templates as Custom templates of the bucket, with their settings", () => {
      const state = stateWith({ scenario: SCENARIO });
      const all = answer(state, '/template');
      assert.equal(all.TotalCount, '3');
      const list = all.TemplateList as Array<Record<string, unknown>>;
      assert.deepEqual(
        list.map((t) => t.TemplateId),
        ['t1demo', 't2sprite', 't3vtr'],
      );
      const time = formatCiTime(NOW);
      assert.deepEqual(list[0], {
        TemplateId: 't1demo',
        Name: 'snapshot_demo',
        Tag: 'Snapshot',
        State: 'Normal',
        Category: 'Custom',
        BucketId: BUCKET,
        Snapshot: { Mode: 'Interval', Count: '3', TimeInterval: '1' },
        CreateTime: time,
        UpdateTime: time,
      });
      assert.deepEqual((list[2] as { VideoTargetRec: unknown }).VideoTargetRec, { Body: 'true', Car: 'false' });
    });

    it('filters by tag, category, ids (the others in NonExistTIDs) and name prefix, and pages', () => {
      const state = stateWith({ scenario: SCENARIO });
      assert.equal(answer(state, '/template', { tag: 'Snapshot' }).TotalCount, '2');
      assert.equal(answer(state, '/template', { tag: 'All' }).TotalCount, '3');
      assert.equal(answer(state, '/template', { tag: 'VideoTargetRec' }).TotalCount, '1');
      assert.equal(answer(state, '/template', { tag: 'Transcode' }).TotalCount, '0');
      assert.equal(answer(state, '/template', { category: 'Official' }).TotalCount, '0');
      assert.equal(answer(state, '/template', { name: 'sprite' }).TotalCount, '1');
      const some = answer(state, '/template', { ids: 't3vtr,tnone' });
      assert.equal((some.TemplateList as Record<string, unknown>).TemplateId, 't3vtr');
      assert.equal(some.NonExistTIDs, 'tnone');
      const second = answer(state, '/template', { pageSize: '2', pageNumber: '2' });
      assert.deepEqual([second.TotalCount, second.PageNumber, second.PageSize], ['3', '2', '2']);
      assert.equal((second.TemplateList as Record<string, unknown>).TemplateId, 't3vtr');
      refused(() => describeRoute(state, 'GET', '/template', [['category', 'Mine']]), 400, 'InvalidArgument', /category must be one of Custom, Official/);
      refused(() => describeRoute(state, 'GET', '/template', [['pageSize', '1000']]), 400, 'InvalidArgument');
    });
  });
});

describe('describe calls over HTTP (the server routes them, core CiClient reads them)', () => {
  it('answers buckets, queues and templates on the CI host, signed, and refuses a wrong key', async () => {
    await withEmulator({ callbackUrl: 'http://127.0.0.1:1/cb' }, async (t) => {
      const c = t.client();
      const buckets = await c.describeMediaBuckets({});
      assert.deepEqual(
        buckets.buckets.map((b) => [b.name, b.region]),
        [[BUCKET, REGION]],
      );
      assert.equal((await c.describeAiBuckets({})).buckets.length, 1);
      const queues = await c.describeQueues({});
      assert.equal(queues.queues.length, 1);
      assert.equal(queues.queues[0]!.state, 'Active');
      assert.equal(queues.queues[0]!.notifyConfig?.state, 'On');
      assert.equal((await c.describeAiQueues({})).queues.length, 1);
      assert.equal((await c.describeTemplates({ tag: 'Snapshot' })).templates.length, 0);
      const before = t.emu.stats().requests.list;
      await c.describeQueues({});
      assert.equal(t.emu.stats().requests.list, before + 1, 'counted as list requests');
      const wrong = t.client({ secretKey: 'not-the-key' });
      await assert.rejects(wrong.describeQueues({}), (err: { status?: number }) => err.status === 401 || err.status === 403);
    });
  });
});
