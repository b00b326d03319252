/**
 * The describe calls (docs/api/describe.md): GET /mediabucket, /ai_bucket, /queue, /ai_queue
 * and /template.
 *
 * - the queries: only the options given, in the pages' order, each checked, unknown names refused;
 * - the parsers on bodies with the element names of the Go SDK's structs and the pages' samples,
 *   lists always arrays;
 * - against cos-nodejs-sdk-v5 `request` with `Url` (how Tencent's Node.js pages send these
 *   calls; the SDK has no method for them) as the oracle: the same path and query, and our
 *   Authorization equal to the SDK's `getAuthorization` at our KeyTime;
 * - against the emulator's describeRoute (from its source): its answers read back.
 */
import assert from 'node:assert/strict';

import { CiClient } from '../src/client';
import { CiError } from '../src/errors';
import {
  describeBucketsQuery,
  describeQueuesQuery,
  describeTemplatesQuery,
  parseDescribeBuckets,
  parseDescribeQueues,
  parseDescribeTemplates,
  TEMPLATE_TAGS,
} from '../src/describe-service';
import { parseAuthorization } from '../src/sign';
import { rejection } from './helpers/assert';
import { recordingClient, startTestServer, type RecordedRequest, type TestServer } from './helpers/ci-test-server';

// The official SDK, used as a test oracle (see sign.test.ts and instant.test.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const COS = require('cos-nodejs-sdk-v5') as {
  new (options: Record<string, unknown>): { request(params: Record<string, unknown>, callback: (err: unknown, data?: unknown) => void): void };
  getAuthorization(options: Record<string, unknown>): string;
};

// The emulator's describe answers from its source (tsx runs it): a static import would put it in core's program.
/* eslint-disable @typescript-eslint/no-require-imports */
const { describeRoute } = require('../../emulator/src/describe-api') as {
  describeRoute(state: unknown, method: string, pathname: string, query: Array<[string, string]>): { status: number; body: string } | undefined;
};
const { JobQueue } = require('../../emulator/src/queue') as { JobQueue: new (concurrency: number, delay: number, run: () => Promise<void>) => unknown };
/* eslint-enable @typescript-eslint/no-require-imports */

const SECRET_ID = 'AKIDdescribe0000001';
const SECRET_KEY = 'describeSecretKey0001';
const BUCKET = 'examplebucket-1250000000';
const REGION = 'ap-guangzhou';

function invalid(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof CiError, String(err));
    assert.equal(err.code, 'InvalidArgument');
    assert.match(err.message, pattern);
    return true;
  });
}

function malformed(fn: () => unknown, pattern?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof CiError, String(err));
    assert.equal(err.code, 'MalformedResponse');
    if (pattern) assert.match(err.message, pattern);
    return true;
  });
}

describe('describe queries', () => {
  it('send only the options given, in the order of the pages, lists joined with commas', () => {
    assert.deepEqual(describeBucketsQuery(), {});
    assert.deepEqual(
      describeBucketsQuery({
        pageSize: 5,
        bucketName: 'demo',
        regions: ['ap-shanghai', ' ap-beijing'],
        bucketNames: 'a-1250000000,b-1250000000',
        pageNumber: 2,
      }),
      {
        regions: 'ap-shanghai,ap-beijing',
        bucketNames: 'a-1250000000,b-1250000000',
        bucketName: 'demo',
        pageNumber: '2',
        pageSize: '5',
      },
    );
    assert.deepEqual(Object.keys(describeQueuesQuery({ pageSize: 10, category: 'CateAll', state: 'Active', queueIds: ['p1', 'p2'], pageNumber: 1 })), [
      'queueIds',
      'state',
      'category',
      'pageNumber',
      'pageSize',
    ]);
    assert.deepEqual(describeQueuesQuery({ state: 'Paused' }, 'ai'), { state: 'Paused' });
    assert.deepEqual(describeTemplatesQuery({ name: 'snap', ids: ['t1', 't2'], category: 'Official', tag: 'Snapshot', pageSize: 100 }), {
      tag: 'Snapshot',
      category: 'Official',
      ids: 't1,t2',
      name: 'snap',
      pageSize: '100',
    });
    assert.deepEqual(describeTemplatesQuery({ tag: 'VideoTargetRec', name: '', ids: [] }), { tag: 'VideoTargetRec' });
  });

  it('refuse page numbers and sizes that are not whole numbers in range', () => {
    invalid(() => describeBucketsQuery({ pageSize: 0 }), /^describeMediaBuckets\(\) pageSize is 0; allowed: a whole number from 1 to 100$/);
    invalid(() => describeBucketsQuery({ pageSize: 101 }, 'describeAiBuckets'), /^describeAiBuckets\(\) pageSize is 101/);
    invalid(() => describeQueuesQuery({ pageNumber: 0 }), /describeQueues\(\) pageNumber is 0/);
    invalid(() => describeQueuesQuery({ pageNumber: 1.5 }, 'ai'), /describeAiQueues\(\) pageNumber is 1\.5/);
    invalid(() => describeTemplatesQuery({ pageSize: Number.NaN }), /pageSize is NaN/);
    invalid(() => describeTemplatesQuery({ pageSize: '10' as unknown as number }), /pageSize is "10"/);
  });

  it('refuse values outside what the API takes', () => {
    invalid(() => describeTemplatesQuery({ tag: 'QualityEstimate' as never }), /tag is "QualityEstimate"; allowed: All, Transcode, .*Snapshot.*VideoTargetRec/);
    invalid(() => describeTemplatesQuery({ category: 'Mine' as never }), /category is "Mine"; allowed: Custom, Official/);
    invalid(() => describeQueuesQuery({ state: 'Running' as never }), /state is "Running"; allowed: Active, Paused, All/);
    invalid(() => describeQueuesQuery({ category: 'AIProcess' as never }), /category is "AIProcess"; allowed: CateAll, Transcoding, SpeedTranscoding/);
    invalid(() => describeQueuesQuery({ queueIds: Array.from({ length: 11 }, (_, i) => `p${i}`) }), /queueIds has 11 items; allowed: at most 10/);
    invalid(() => describeQueuesQuery({ queueIds: 'p1,,p2' }), /queueIds has an empty item/);
    invalid(() => describeQueuesQuery({ queueIds: 'p 1' }), /queueIds has the item "p 1"/);
    invalid(() => describeBucketsQuery({ regions: 'Shanghai' }), /regions has the item "Shanghai"; expected regions such as ap-guangzhou/);
    invalid(() => describeBucketsQuery({ bucketNames: ['examplebucket'] }), /bucketNames has the item "examplebucket"/);
    invalid(() => describeBucketsQuery({ bucketName: 7 as never }), /bucketName must be a string, got 7/);
    invalid(() => describeTemplatesQuery({ name: '\ud800' }), /lone UTF-16 surrogate/);
    invalid(() => describeTemplatesQuery({ ids: [1] as never }), /ids must be a string or a list of strings/);
  });

  it('refuse option names the call does not take, naming them all', () => {
    invalid(
      () => describeQueuesQuery({ queueId: 'p1', size: 3 } as never),
      /^describeQueues\(\) does not take the options queueId, size; allowed: queueIds, state, category, pageNumber, pageSize$/,
    );
    invalid(
      () => describeQueuesQuery({ category: 'CateAll' } as never, 'ai'),
      /^describeAiQueues\(\) does not take the option category; allowed: queueIds, state, pageNumber, pageSize$/,
    );
    invalid(() => describeTemplatesQuery({ Tag: 'Snapshot' } as never), /does not take the option Tag/);
    invalid(() => describeBucketsQuery({ region: 'ap-shanghai' } as never), /does not take the option region/);
    invalid(() => describeBucketsQuery('regions=ap-shanghai' as never), /takes an options object, got "regions=ap-shanghai"/);
  });

  it('know the template tags of this project\u2019s job types that take a TemplateId', () => {
    for (const tag of ['All', 'Snapshot', 'VideoTargetRec'] as const) assert.ok(TEMPLATE_TAGS.includes(tag));
    for (const tag of ['MediaInfo', 'QualityEstimate', 'VideoTag']) assert.ok(!(TEMPLATE_TAGS as readonly string[]).includes(tag), tag);
  });
});

describe('describe answers', () => {
  // Element names of the Go SDK's DescribeMediaProcessBucketsResult / MediaProcessBucket and the page's sample.
  const BUCKETS = (list: string) =>
    `<Response><RequestId>NjJmMzY1Y2Nf</RequestId><TotalCount>2</TotalCount><PageNumber>1</PageNumber><PageSize>10</PageSize>` +
    `<${list}><BucketId>examplebucket-1250000000</BucketId><Name>examplebucket-1250000000</Name><Region>ap-beijing</Region><CreateTime>2019-11-15T12:12:12+0800</CreateTime></${list}>` +
    `<${list}><BucketId>examplebucket-1-1250000000</BucketId><Region>ap-chongqing</Region></${list}></Response>`;

  it('reads bucket lists, MediaBucketList or AiBucketList', () => {
    for (const list of ['MediaBucketList', 'AiBucketList'] as const) {
      const result = parseDescribeBuckets(BUCKETS(list), list);
      assert.deepEqual(result, {
        totalCount: 2,
        pageNumber: 1,
        pageSize: 10,
        requestId: 'NjJmMzY1Y2Nf',
        buckets: [
          { bucketId: 'examplebucket-1250000000', name: 'examplebucket-1250000000', region: 'ap-beijing', createTime: '2019-11-15T12:12:12+0800' },
          { bucketId: 'examplebucket-1-1250000000', name: 'examplebucket-1-1250000000', region: 'ap-chongqing' },
        ],
      });
    }
    // One entry is still a list; none is an empty one; the other list's name is not read.
    const one = parseDescribeBuckets(
      '<Response><TotalCount>1</TotalCount><AiBucketList><BucketId>b-1250000000</BucketId></AiBucketList></Response>',
      'AiBucketList',
    );
    assert.equal(one.buckets.length, 1);
    assert.deepEqual(parseDescribeBuckets(BUCKETS('AiBucketList'), 'MediaBucketList').buckets, []);
    assert.deepEqual(parseDescribeBuckets('<Response><RequestId>r</RequestId></Response>', 'MediaBucketList', { requestId: 'hdr' }), {
      totalCount: 0,
      buckets: [],
      requestId: 'r',
    });
  });

  // Element names of the Go SDK's MediaProcessQueue / MediaProcessQueueNotifyConfig and the page's sample.
  const QUEUES =
    '<Response><RequestId>NjJmMzI5</RequestId><TotalCount>1</TotalCount><PageNumber>1</PageNumber><PageSize>10</PageSize>' +
    '<QueueList><QueueId>p4a17eeea29334bf499b7e20e2fbfd99d</QueueId><Name>queue-1</Name><State>Active</State>' +
    '<NotifyConfig><Url>http://callback.demo.com</Url><Event>TaskFinish,WorkflowFinish</Event><Type>Url</Type><State>On</State><ResultFormat>JSON</ResultFormat><MqMode/><MqName/><MqRegion/>' +
    '<KafkaConfig><Region>ap-guangzhou</Region><InstanceId>ckafka-1</InstanceId><Topic>t</Topic></KafkaConfig></NotifyConfig>' +
    '<MaxSize>10000</MaxSize><MaxConcurrent>10</MaxConcurrent><UpdateTime>2022-08-09T16:23:11+0800</UpdateTime><CreateTime>2022-08-09T16:23:11+0800</CreateTime><Category>Transcoding</Category></QueueList>' +
    '<NonExistPIDs>pmissing1</NonExistPIDs></Response>';

  it('reads queue lists with their notify settings, and the ids that do not exist', () => {
    assert.deepEqual(parseDescribeQueues(QUEUES), {
      totalCount: 1,
      pageNumber: 1,
      pageSize: 10,
      requestId: 'NjJmMzI5',
      queues: [
        {
          queueId: 'p4a17eeea29334bf499b7e20e2fbfd99d',
          name: 'queue-1',
          state: 'Active',
          maxSize: 10000,
          maxConcurrent: 10,
          updateTime: '2022-08-09T16:23:11+0800',
          createTime: '2022-08-09T16:23:11+0800',
          category: 'Transcoding',
          notifyConfig: {
            url: 'http://callback.demo.com',
            type: 'Url',
            event: 'TaskFinish,WorkflowFinish',
            state: 'On',
            resultFormat: 'JSON',
            kafkaConfig: { region: 'ap-guangzhou', instanceId: 'ckafka-1', topic: 't' },
          },
        },
      ],
      nonExistPids: ['pmissing1'],
    });
    const bare = parseDescribeQueues(
      '<Response><QueueList><QueueId>p1</QueueId><NotifyConfig><State>Off</State></NotifyConfig></QueueList><NonExistPIDs>a</NonExistPIDs><NonExistPIDs>b,c</NonExistPIDs></Response>',
    );
    assert.deepEqual(bare.queues, [{ queueId: 'p1', name: '', state: '', notifyConfig: { state: 'Off' } }]);
    assert.deepEqual(bare.nonExistPids, ['a', 'b', 'c']);
  });

  // The DescribeMediaTemplates Snapshot page's sample, and the Go SDK's Template struct (which reads the tag from <Code>).
  const TEMPLATES =
    '<Response><RequestId>NTk0MjdmODlf</RequestId><TotalCount>2</TotalCount><PageNumber>1</PageNumber><PageSize>10</PageSize>' +
    '<TemplateList><TemplateId>t1</TemplateId><Name>TemplateName</Name><Tag>Snapshot</Tag><State>Normal</State>' +
    '<Snapshot><Mode>Interval</Mode><Width>1280</Width><Start>0</Start><Count>3</Count><SpriteSnapshotConfig><Columns>10</Columns></SpriteSnapshotConfig></Snapshot>' +
    '<CreateTime>2020-08-05T11:35:24+0800</CreateTime><UpdateTime>2020-08-31T16:15:20+0800</UpdateTime><BucketId>test-1234567890</BucketId><Category>Custom</Category></TemplateList>' +
    '<TemplateList><TemplateId>t2</TemplateId><Name>vtr</Name><Code>VideoTargetRec</Code><VideoTargetRec><Body>true</Body><Car>false</Car></VideoTargetRec></TemplateList>' +
    '<NonExistTIDs>t9</NonExistTIDs></Response>';

  it('reads template lists with each template\u2019s settings', () => {
    const result = parseDescribeTemplates(TEMPLATES);
    assert.equal(result.totalCount, 2);
    assert.deepEqual(result.templates[0], {
      templateId: 't1',
      name: 'TemplateName',
      tag: 'Snapshot',
      state: 'Normal',
      category: 'Custom',
      bucketId: 'test-1234567890',
      createTime: '2020-08-05T11:35:24+0800',
      updateTime: '2020-08-31T16:15:20+0800',
      settings: { Snapshot: { Mode: 'Interval', Width: '1280', Start: '0', Count: '3', SpriteSnapshotConfig: { Columns: '10' } } },
    });
    assert.deepEqual(result.templates[1], {
      templateId: 't2',
      name: 'vtr',
      tag: 'VideoTargetRec',
      settings: { VideoTargetRec: { Body: 'true', Car: 'false' } },
    });
    assert.deepEqual(result.nonExistTids, ['t9']);
    assert.deepEqual(parseDescribeTemplates('<Response><TotalCount>0</TotalCount><TemplateList/></Response>'), {
      totalCount: 0,
      templates: [],
      nonExistTids: [],
    });
  });

  it('throws the CiError of an <Error> body, MalformedResponse for anything else', () => {
    const err = (() => {
      try {
        parseDescribeQueues('<Error><Code>AccessDenied</Code><Message>no</Message><RequestId>r1</RequestId></Error>', { status: 403 });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof CiError && err.code === 'AccessDenied' && err.status === 403 && err.requestId === 'r1');
    malformed(() => parseDescribeBuckets('<ListBucketResult/>'), /expected a <Response> root/);
    malformed(() => parseDescribeBuckets('not xml'));
    malformed(() => parseDescribeBuckets('<Response><TotalCount>many</TotalCount></Response>'), /TotalCount is not a whole number/);
    malformed(
      () => parseDescribeBuckets('<Response><MediaBucketList><Region>ap-beijing</Region></MediaBucketList></Response>'),
      /MediaBucketList 1 has no BucketId or Name/,
    );
    malformed(() => parseDescribeQueues('<Response><QueueList><Name>q</Name></QueueList></Response>'), /QueueList 1 has no QueueId/);
    malformed(
      () => parseDescribeQueues('<Response><QueueList><QueueId>p</QueueId><MaxSize>-1</MaxSize></QueueList></Response>'),
      /MaxSize is not a whole number/,
    );
    malformed(() => parseDescribeQueues('<Response><QueueList>text</QueueList></Response>'), /QueueList 1 is not an element/);
    malformed(() => parseDescribeTemplates('<Response><TemplateList><Name>x</Name></TemplateList></Response>'), /TemplateList 1 has no TemplateId/);
    assert.throws(
      () => parseDescribeTemplates(TEMPLATES, { maxBytes: 10 }),
      (e: unknown) => e instanceof CiError && e.code === 'BodyTooLarge',
    );
  });
});

describe('CiClient describe calls: the request cos-nodejs-sdk-v5 sends', () => {
  let server: TestServer;
  const clients: CiClient[] = [];
  let reply = '<Response></Response>';

  beforeEach(async () => {
    reply = '<Response></Response>';
    server = await startTestServer(() => ({ status: 200, headers: { 'content-type': 'application/xml', 'x-ci-request-id': 'rid-1' }, body: reply }), {
      secretKey: SECRET_KEY,
    });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.close();
  });

  /** As Tencent's Node.js pages send these calls: `cos.request` with the CI host's URL, the path as Key, and Query. */
  function sdkRequest(path: string, query: Record<string, string>, token?: string): Promise<RecordedRequest> {
    const cos = new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY, SecurityToken: token ?? '' });
    const from = server.requests.length;
    return new Promise((resolve) => {
      cos.request({ Method: 'GET', Key: path.slice(1), Url: `${server.url}${path}`, Query: query }, () => resolve(server.requests[from]!));
    });
  }

  const client = (token?: string): CiClient =>
    recordingClient(server, { secretId: SECRET_ID, secretKey: SECRET_KEY, bucket: BUCKET, region: REGION }, clients, token);

  const CALLS: Array<{
    path: string;
    options: Record<string, unknown>;
    query: (o: Record<string, unknown>) => Record<string, string>;
    run: (c: CiClient, o: Record<string, unknown>) => Promise<unknown>;
  }> = [
    { path: '/mediabucket', options: {}, query: (o) => describeBucketsQuery(o), run: (c, o) => c.describeMediaBuckets(o) },
    {
      path: '/mediabucket',
      options: { regions: ['ap-shanghai', 'ap-beijing'], bucketNames: 'demo-1253960454,demo1-1253960454', bucketName: 'demo', pageNumber: 2, pageSize: 3 },
      query: (o) => describeBucketsQuery(o),
      run: (c, o) => c.describeMediaBuckets(o),
    },
    {
      path: '/ai_bucket',
      options: { regions: 'ap-chongqing', pageSize: 100 },
      query: (o) => describeBucketsQuery(o, 'describeAiBuckets'),
      run: (c, o) => c.describeAiBuckets(o),
    },
    {
      path: '/queue',
      options: { queueIds: ['A', 'B', 'C'], state: 'Active', category: 'CateAll', pageNumber: 1, pageSize: 10 },
      query: (o) => describeQueuesQuery(o),
      run: (c, o) => c.describeQueues(o),
    },
    { path: '/ai_queue', options: { state: 'All' }, query: (o) => describeQueuesQuery(o, 'ai'), run: (c, o) => c.describeAiQueues(o) },
    {
      path: '/template',
      options: { tag: 'Snapshot', category: 'Custom', ids: 't123456798', name: 'test', pageNumber: 1, pageSize: 20 },
      query: (o) => describeTemplatesQuery(o),
      run: (c, o) => c.describeTemplates(o),
    },
    { path: '/template', options: { tag: 'All', name: '快照 a+b' }, query: (o) => describeTemplatesQuery(o), run: (c, o) => c.describeTemplates(o) },
  ];

  for (const token of [undefined, 'sts-token_0123456789-abcdefABCDEF']) {
    it(`sends the SDK's path and query, signed as the SDK signs them${token ? ' (with an STS token)' : ''}`, async () => {
      for (const call of CALLS) {
        const sdk = await sdkRequest(call.path, call.query(call.options), token);
        const from = server.requests.length;
        await call.run(client(token), call.options);
        const mine = server.requests[from]!;
        const label = `${call.path} ${JSON.stringify(call.options)}`;
        assert.equal(mine.method, 'GET', label);
        assert.equal(mine.url, sdk.url, label);
        assert.ok(mine.signatureValid && sdk.signatureValid, label);
        const a = parseAuthorization(mine.headers.authorization)!;
        const s = parseAuthorization(sdk.headers.authorization)!;
        assert.deepEqual(a.urlParamList, s.urlParamList, `${label}: the same signed query parameters`);
        const headers = Object.fromEntries(a.headerList.map((name) => [name, String(mine.headers[name])]));
        const expected = COS.getAuthorization({
          SecretId: SECRET_ID,
          SecretKey: SECRET_KEY,
          Method: 'GET',
          Pathname: call.path,
          Query: Object.fromEntries(new URL(sdk.url, 'http://x').searchParams),
          Headers: headers,
          KeyTime: a.keyTime,
        });
        assert.equal(mine.headers.authorization, expected, label);
        if (token) assert.equal(mine.headers['x-ci-security-token'], token);
      }
    });
  }

  it('matches the query the Go SDK test expects for DescribeMediaTemplate', async () => {
    await client().describeTemplates({ tag: 'All', category: 'Custom', ids: 't123456798', name: 'test', pageNumber: 1, pageSize: 20 });
    const url = new URL(server.requests[0]!.url, 'http://x');
    assert.equal(url.pathname, '/template');
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      tag: 'All',
      category: 'Custom',
      ids: 't123456798',
      name: 'test',
      pageNumber: '1',
      pageSize: '20',
    });
  });

  it('sends nothing for bad options, and reads the answer with the request id', async () => {
    const err = await rejection(client().describeQueues({ pageSize: 500 }));
    assert.equal(err.code, 'InvalidArgument');
    assert.equal(server.requests.length, 0);
    reply = '<Response><TotalCount>1</TotalCount><QueueList><QueueId>p1</QueueId><State>Paused</State></QueueList></Response>';
    const result = await client().describeQueues();
    assert.equal(server.requests[0]!.url, '/queue');
    assert.deepEqual(result, { totalCount: 1, queues: [{ queueId: 'p1', name: '', state: 'Paused' }], nonExistPids: [], requestId: 'rid-1' });
  });

  it('retries an idempotent describe after a 503 and names the call in a service error', async () => {
    let n = 0;
    server.respond(() =>
      n++ === 0
        ? { status: 503, headers: { 'content-type': 'application/xml' }, body: '<Error><Code>ServiceUnavailable</Code><Message>busy</Message></Error>' }
        : { status: 200, headers: { 'content-type': 'application/xml' }, body: '<Response><TotalCount>0</TotalCount></Response>' },
    );
    const c = new CiClient({
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      bucket: BUCKET,
      region: REGION,
      endpoint: server.url,
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
    });
    clients.push(c);
    const { requestId: _id, ...answer } = await c.describeTemplates({ tag: 'Snapshot' });
    assert.deepEqual(answer, { totalCount: 0, templates: [], nonExistTids: [] });
    assert.equal(server.requests.length, 2);
    server.respond([
      { status: 403, headers: { 'content-type': 'application/xml' }, body: '<Error><Code>AccessDenied</Code><Message>denied</Message></Error>' },
    ]);
    const err = await rejection(c.describeAiBuckets());
    assert.equal(err.code, 'AccessDenied');
    assert.match(err.message, /^Listing the AI-processing buckets: CI error AccessDenied \(HTTP 403\): denied/);
  });
});

describe('CiClient describe calls against the emulator\u2019s answers', () => {
  let server: TestServer;
  const clients: CiClient[] = [];
  const state = {
    bucket: BUCKET,
    region: REGION,
    defaultCallbackUrl: 'http://127.0.0.1:1880/ci-callback',
    scenario: {
      templates: {
        t1demo: { Tag: 'Snapshot', Name: 'snapshot_demo', Snapshot: { Mode: 'Interval', Count: '3', TimeInterval: '1' } },
        t2vtr: { Tag: 'VideoTargetRec', VideoTargetRec: { Body: 'true' } },
      },
    },
    queue: new JobQueue(3, 0, () => Promise.resolve()),
    now: () => Date.parse('2026-01-02T03:04:05Z'),
  };

  before(async () => {
    // The emulator's describe answer to each request, as the server would send it after the signature check.
    server = await startTestServer((req) => {
      const url = new URL(req.url, 'http://x');
      const answer = describeRoute(state, req.method, url.pathname, [...url.searchParams.entries()]);
      return answer ? { status: answer.status, headers: { 'content-type': 'application/xml' }, body: answer.body } : { status: 404 };
    });
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.close();
  });

  function client(): CiClient {
    const c = new CiClient({ secretId: SECRET_ID, secretKey: 'SECRETKEYtest0123456789', bucket: BUCKET, region: REGION, endpoint: server.url, retry: false });
    clients.push(c);
    return c;
  }

  it('reads the emulator\u2019s bucket, queues and templates', async () => {
    const c = client();
    const media = await c.describeMediaBuckets({ regions: REGION });
    assert.deepEqual(media.buckets, [{ bucketId: BUCKET, name: BUCKET, region: REGION, createTime: '2026-01-02T11:04:05+0800' }]);
    assert.equal((await c.describeAiBuckets({ bucketName: 'examplebucket' })).totalCount, 1);
    assert.equal((await c.describeAiBuckets({ regions: 'ap-beijing' })).totalCount, 0);

    const queues = await c.describeQueues();
    assert.equal(queues.queues.length, 1);
    const [queue] = queues.queues;
    assert.match(queue!.queueId, /^p[0-9a-f]{32}$/);
    assert.equal(queue!.state, 'Active');
    assert.equal(queue!.maxConcurrent, 3);
    assert.equal(queue!.category, 'Transcoding');
    assert.deepEqual(queue!.notifyConfig, { url: state.defaultCallbackUrl, type: 'Url', event: 'TaskFinish', state: 'On', resultFormat: 'XML' });
    const ai = await c.describeAiQueues({ queueIds: [queue!.queueId, 'pnone'] });
    assert.deepEqual(ai.queues, []);
    assert.deepEqual(ai.nonExistPids, [queue!.queueId, 'pnone']);
    const aiAll = await c.describeAiQueues();
    assert.equal(aiAll.queues[0]!.category, 'AIProcess');
    assert.notEqual(aiAll.queues[0]!.queueId, queue!.queueId);

    const snapshot = await c.describeTemplates({ tag: 'Snapshot' });
    assert.deepEqual(
      snapshot.templates.map((t) => [t.templateId, t.name, t.tag, t.category, t.settings]),
      [['t1demo', 'snapshot_demo', 'Snapshot', 'Custom', { Snapshot: { Mode: 'Interval', Count: '3', TimeInterval: '1' } }]],
    );
    const all = await c.describeTemplates({ pageSize: 1, pageNumber: 2, ids: ['t1demo', 't2vtr', 'tnone'] });
    assert.equal(all.totalCount, 2);
    assert.deepEqual(
      all.templates.map((t) => t.templateId),
      ['t2vtr'],
    );
    assert.deepEqual(all.nonExistTids, ['tnone']);
    assert.equal((await c.describeTemplates({ category: 'Official' })).totalCount, 0);
  });
});
