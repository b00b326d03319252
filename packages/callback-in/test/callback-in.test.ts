import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { parseCallback, type JobsDetail } from '@node-red-tencent-ci/core';
import { nextMessage, SECRET_ID } from '@node-red-tencent-ci/test-utils';
import { Deliveries, REMEMBERED_DELIVERIES } from '../src/deliveries';
import {
  callbackUrl,
  collect,
  FIXTURE_JOB_ID,
  Harness,
  helper,
  jsonCallback,
  parseJsonFirst,
  settle,
  TOKEN,
  UNKNOWN_JOB_ID,
  VIDEOTAG_JSON,
  VIDEOTAG_XML,
  warnings,
  withSettings,
} from './helpers/harness';

describe('tencent-ci-callback-in node', function () {
  this.timeout(20_000);
  const h = new Harness();
  before(() => h.start());
  after(() => h.stop());
  afterEach(() => h.unload());

  describe('receiving', () => {
    it('answers 200 to a valid callback', async () => {
      await h.load();
      const res = await h.post(callbackUrl(), VIDEOTAG_XML);
      assert.equal(res.status, 200);
    });

    it('emits the JobsDetail of an XML callback as msg.payload, with msg.jobId, msg.topic and msg.eventName', async () => {
      await h.load();
      const received = nextMessage(helper.getNode('out1'), 5000);
      await h.post(callbackUrl(), VIDEOTAG_XML);
      const msg = await received;
      assert.deepEqual(msg.payload, parseCallback(VIDEOTAG_XML).JobsDetail[0]);
      assert.equal(msg.payload.State, 'Success');
      assert.equal(msg.jobId, FIXTURE_JOB_ID);
      assert.equal(msg.topic, FIXTURE_JOB_ID);
      assert.equal(msg.eventName, 'TaskFinish');
    });

    it('gives a JSON callback the same msg.payload as the XML one', async () => {
      await h.load([{ path: 'xml' }, { path: 'json' }]);
      const fromXml = nextMessage(helper.getNode('out1'), 5000);
      const fromJson = nextMessage(helper.getNode('out2'), 5000);
      await h.post(callbackUrl('xml'), VIDEOTAG_XML);
      await h.post(callbackUrl('json'), VIDEOTAG_JSON, { 'content-type': 'application/json' });
      const [x, j] = await Promise.all([fromXml, fromJson]);
      assert.deepEqual(j.payload, x.payload);
    });

    it('reads the body whatever its content type (text/plain here)', async () => {
      await h.load();
      const received = nextMessage(helper.getNode('out1'), 5000);
      const res = await h.post(callbackUrl(), VIDEOTAG_JSON, { 'content-type': 'text/plain' });
      assert.equal(res.status, 200);
      assert.equal((await received).jobId, FIXTURE_JOB_ID);
    });

    it('reads a body that httpNodeMiddleware consumed anyway (a parser that ignores req._body)', async () => {
      const onlyJson = (req: IncomingMessage) => String(req.headers['content-type']).includes('json');
      await withSettings({ httpNodeMiddleware: parseJsonFirst(onlyJson) }, async () => {
        await h.load();
        const received = nextMessage(helper.getNode('out1'), 5000);
        assert.equal((await h.post(callbackUrl(), VIDEOTAG_JSON, { 'content-type': 'application/json' })).status, 200);
        assert.deepEqual((await received).payload, parseCallback(VIDEOTAG_XML).JobsDetail[0]);
      });
    });

    it('accepts the token as the last path segment', async () => {
      await h.load();
      const received = nextMessage(helper.getNode('out1'), 5000);
      const res = await h.post(`/tencent-ci/callback/jobs/${TOKEN}`, VIDEOTAG_XML);
      assert.equal(res.status, 200);
      assert.equal((await received).jobId, FIXTURE_JOB_ID);
    });

    it('emits one msg per JobsDetail of a body with two', async () => {
      await h.load();
      const msgs = collect('out1');
      const body =
        '<Response><EventName>TaskFinish</EventName>' +
        '<JobsDetail><JobId>jaaaa</JobId><Tag>MediaInfo</Tag><State>Success</State><Code>Success</Code></JobsDetail>' +
        '<JobsDetail><JobId>jbbbb</JobId><Tag>MediaInfo</Tag><State>Failed</State><Code>ResourceNotFound</Code></JobsDetail></Response>';
      assert.equal((await h.post(callbackUrl(), body)).status, 200);
      await settle();
      assert.deepEqual(
        msgs.map((m) => [m.jobId, m.payload.State]),
        [
          ['jaaaa', 'Success'],
          ['jbbbb', 'Failed'],
        ],
      );
    });

    it('emits a duplicate delivery (same JobId and State) once', async () => {
      await h.load();
      const msgs = collect('out1');
      assert.equal((await h.post(callbackUrl(), VIDEOTAG_XML)).status, 200);
      assert.equal((await h.post(callbackUrl(), VIDEOTAG_JSON, { 'content-type': 'application/json' })).status, 200);
      await settle();
      assert.equal(msgs.length, 1);
    });

    it('emits the same JobId again when its State differs', async () => {
      await h.load();
      const msgs = collect('out1');
      await h.post(callbackUrl(), jsonCallback({ JobId: 'jcccc', Tag: 'VideoTag', State: 'Cancel' }));
      await h.post(callbackUrl(), jsonCallback({ JobId: 'jcccc', Tag: 'VideoTag', State: 'Failed', Code: 'InternalError' }));
      await settle();
      assert.deepEqual(
        msgs.map((m) => m.payload.State),
        ['Cancel', 'Failed'],
      );
    });

    it('remembers the last 10,000 JobId/State pairs it emitted and forgets the oldest first', () => {
      const deliveries = new Deliveries();
      const detail = (i: number): JobsDetail => ({ JobId: `j${i}`, State: 'Success' }) as JobsDetail;
      for (let i = 0; i < 10_000; i += 1) deliveries.accept(detail(i));
      assert.equal(REMEMBERED_DELIVERIES, 10_000);
      assert.deepEqual(deliveries.fresh([detail(9999)]), [], 'a duplicate');
      deliveries.accept(detail(10_000));
      assert.deepEqual(deliveries.fresh([detail(1)]), [], 'j1 is still remembered');
      assert.deepEqual(deliveries.fresh([detail(0)]), [detail(0)], 'j0, the oldest, was forgotten');
    });

    it('shows "N received" as a green dot', async () => {
      await h.load();
      const statuses: any[] = [];
      helper.getNode('n1').on('call:status', (call) => statuses.push(call.args[0]));
      await h.post(callbackUrl(), jsonCallback({ JobId: 'j1', Tag: 'VideoTag', State: 'Success' }, { JobId: 'j2', Tag: 'VideoTag', State: 'Success' }));
      await settle();
      assert.deepEqual(statuses.at(-1), { fill: 'green', shape: 'dot', text: 'callback.status.received {"count":2}' });
    });
  });

  describe('refusing', () => {
    it('refuses a wrong token with 401 and emits nothing', async () => {
      await h.load();
      const msgs = collect('out1');
      const res = await h.post(callbackUrl('jobs', 'not-the-token-0123456789'), VIDEOTAG_XML);
      assert.equal(res.status, 401);
      await settle();
      assert.equal(msgs.length, 0);
    });

    it('refuses a missing token with 401 and emits nothing', async () => {
      await h.load();
      const msgs = collect('out1');
      const res = await h.post('/tencent-ci/callback/jobs', VIDEOTAG_XML);
      assert.equal(res.status, 401);
      await settle();
      assert.equal(msgs.length, 0);
    });

    it('refuses every callback with 401 while the node has no token, and warns', async () => {
      const f = h.flow();
      const { n1: _omit, ...credentials } = f.credentials;
      await h.loadFlow(f.nodes, credentials);
      const msgs = collect('out1');
      assert.equal((await h.post('/tencent-ci/callback/jobs?token=', VIDEOTAG_XML)).status, 401);
      assert.equal((await h.post(callbackUrl(), VIDEOTAG_XML)).status, 401);
      await settle();
      assert.equal(msgs.length, 0);
      assert.ok(helper.log().args.some((a) => JSON.stringify(a).includes('callback.warn.noToken')));
    });

    it('answers 404 for a path no node has', async () => {
      await h.load();
      const res = await h.post(callbackUrl('nobody-here'), VIDEOTAG_XML);
      assert.equal(res.status, 404);
    });

    it('refuses a malformed body with 400, emits nothing, and warns without quoting the body', async () => {
      await h.load();
      const msgs = collect('out1');
      const warns = warnings('n1');
      const body = '{"EventName": "TaskFinish", "JobsDetail": PRIVATE-CONTENT';
      const res = await h.post(callbackUrl(), body, { 'content-type': 'application/json' });
      assert.equal(res.status, 400);
      await settle();
      assert.equal(msgs.length, 0);
      assert.deepEqual(warns, [`callback.warn.malformed {"bytes":${body.length}}`]);
    });

    it('keeps running after a malformed body: the next valid body is emitted', async () => {
      await h.load();
      const msgs = collect('out1');
      assert.equal((await h.post(callbackUrl(), '<Response><EventName>TaskFinish</EventName></Response>')).status, 400);
      assert.equal((await h.post(callbackUrl(), VIDEOTAG_XML)).status, 200);
      await settle();
      assert.deepEqual(
        msgs.map((m) => m.jobId),
        [FIXTURE_JOB_ID],
      );
    });

    it('shows a rejected body as a yellow ring', async () => {
      await h.load();
      const statuses: any[] = [];
      helper.getNode('n1').on('call:status', (call) => statuses.push(call.args[0]));
      await h.post(callbackUrl(), 'not a callback');
      await settle();
      assert.deepEqual(statuses.at(-1), { fill: 'yellow', shape: 'ring', text: 'callback.status.malformed {"count":0}' });
    });

    it('refuses a body over maxBytes with 413 (Content-Length known) and emits nothing', async () => {
      await h.load([{ maxBytes: 100 }]);
      const msgs = collect('out1');
      const res = await h.post(callbackUrl(), VIDEOTAG_XML);
      assert.equal(res.status, 413);
      await settle();
      assert.equal(msgs.length, 0);
    });

    it('refuses a chunked body over maxBytes with 413', async () => {
      await h.load([{ maxBytes: 100 }]);
      const msgs = collect('out1');
      const chunks = [VIDEOTAG_XML.slice(0, 80), VIDEOTAG_XML.slice(80, 160)];
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      });
      const res = await h.post(callbackUrl(), body);
      assert.equal(res.status, 413);
      await settle();
      assert.equal(msgs.length, 0);
    });
  });

  describe('confirm by query', () => {
    let job: JobsDetail;
    before(async () => {
      job = await h.finishedJob();
      assert.equal(job.State, 'Success');
    });

    it("emits the service's JobsDetail when the service confirms State and Code", async () => {
      await h.load([{ confirm: true }]);
      const received = nextMessage(helper.getNode('out1'), 5000);
      await h.post(callbackUrl(), jsonCallback({ JobId: job.JobId, Tag: 'VideoTag', State: 'Success', Code: 'Success', Message: 'written by whoever posted' }));
      const msg = await received;
      const {
        JobsDetail: [fromService],
      } = await h.client.describe([job.JobId]);
      assert.deepEqual(msg.payload, fromService);
      assert.notEqual(msg.payload.Message, 'written by whoever posted');
      assert.equal(msg.jobId, job.JobId);
    });

    it("drops a callback whose State differs from the service's, with a warning", async () => {
      await h.load([{ confirm: true }]);
      const msgs = collect('out1');
      const warns = warnings('n1');
      assert.equal((await h.post(callbackUrl(), jsonCallback({ JobId: job.JobId, Tag: 'VideoTag', State: 'Failed', Code: 'InternalError' }))).status, 200);
      await settle(300);
      assert.equal(msgs.length, 0);
      assert.deepEqual(warns, [`callback.warn.mismatch {"jobId":"${job.JobId}","claimed":"Failed (InternalError)","actual":"Success (Success)"}`]);
    });

    it('drops a callback for a job the service does not know, with a warning', async () => {
      await h.load([{ confirm: true }]);
      const msgs = collect('out1');
      const warns = warnings('n1');
      await h.post(callbackUrl(), jsonCallback({ JobId: UNKNOWN_JOB_ID, Tag: 'VideoTag', State: 'Success', Code: 'Success' }));
      await settle(300);
      assert.equal(msgs.length, 0);
      assert.deepEqual(warns, [`callback.warn.notFound {"jobId":"${UNKNOWN_JOB_ID}"}`]);
    });

    it('drops the callback with a warning when the service cannot be asked', async () => {
      const f = h.flow([{ confirm: true }]);
      await h.loadFlow(f.nodes, { ...f.credentials, cfg: { secretId: SECRET_ID, secretKey: 'a-wrong-secret-key' } });
      const msgs = collect('out1');
      const warns = warnings('n1');
      await h.post(callbackUrl(), jsonCallback({ JobId: job.JobId, Tag: 'VideoTag', State: 'Success', Code: 'Success' }));
      await settle(500);
      assert.equal(msgs.length, 0);
      assert.equal(warns.length, 1);
      assert.match(warns[0]!, new RegExp(`^callback\\.warn\\.confirmFailed \\{"jobId":"${job.JobId}","code":"AccessDenied"`));
      assert.ok(!warns[0]!.includes('a-wrong-secret-key'));
    });

    it('does not remember a dropped callback: a second delivery is checked again', async () => {
      await h.load([{ confirm: true }]);
      const warns = warnings('n1');
      const claim = jsonCallback({ JobId: job.JobId, Tag: 'VideoTag', State: 'Failed', Code: 'InternalError' });
      await h.post(callbackUrl(), claim);
      await settle(300);
      await h.post(callbackUrl(), claim);
      await settle(300);
      assert.equal(warns.filter((w) => w.startsWith('callback.warn.mismatch')).length, 2);
    });
  });

  describe('notifying the JobWatcher', () => {
    it('settles a wait of its config node without a describe request', async () => {
      await h.load([{}], { minInterval: 600, maxInterval: 600 });
      const ci = (helper.getNode('cfg') as any).ci;
      const describesBefore = h.emulator.stats().requests.describe;
      const wait: Promise<JobsDetail> = ci.watcher().wait('jdddd', { timeoutMs: 5000 });
      await h.post(callbackUrl(), jsonCallback({ JobId: 'jdddd', Tag: 'VideoTag', State: 'Success', Code: 'Success' }));
      const detail = await wait;
      assert.equal(detail.State, 'Success');
      assert.equal(h.emulator.stats().requests.describe, describesBefore);
    });

    it("with confirm, settles the wait with the service's JobsDetail", async () => {
      const job = await h.finishedJob();
      await h.load([{ confirm: true }], { minInterval: 600, maxInterval: 600 });
      const ci = (helper.getNode('cfg') as any).ci;
      const wait: Promise<JobsDetail> = ci.watcher().wait(job.JobId, { timeoutMs: 5000 });
      await h.post(callbackUrl(), jsonCallback({ JobId: job.JobId, Tag: 'VideoTag', State: 'Success', Code: 'Success', Message: 'written by whoever posted' }));
      const detail = await wait;
      const {
        JobsDetail: [fromService],
      } = await h.client.describe([job.JobId]);
      assert.deepEqual(detail, fromService);
    });
  });

  describe('end to end with the emulator posting callbacks', () => {
    for (const format of ['XML', 'JSON'] as const) {
      it(`emits the ${format} callback the emulator posts when a VideoTag job ends`, async () => {
        await h.load();
        const received = nextMessage(helper.getNode('out1'), 10_000);
        const { JobsDetail: submitted } = await h.client.submit('VideoTag', {
          Input: { Object: 'input/clip.mp4' },
          Operation: { VideoTag: { Scenario: 'Stream' }, UserData: `e2e-${format}` },
          CallBack: `${helper.url()}${callbackUrl()}`,
          CallBackFormat: format,
        });
        const msg = await received;
        assert.equal(msg.jobId, submitted.JobId);
        assert.equal(msg.payload.State, 'Success');
        assert.equal(msg.payload.Operation.UserData, `e2e-${format}`);
        assert.deepEqual(msg.payload.Operation.VideoTagResult.StreamData.Data.Tags, [{ Tag: 'Cat', TagCls: 'Animal', Confidence: '91' }]);
        assert.equal(h.emulator.stats().callbacks.failed, 0);
      });
    }
  });

  describe('secrets', () => {
    it('never writes the token in a warning, log line or msg', async () => {
      const limit = VIDEOTAG_XML.length + 100;
      await h.load([{ maxBytes: limit }, { maxBytes: limit }, { path: 'confirming', confirm: true }]);
      const fromJobs = collect('out1');
      const fromConfirming = collect('out3');
      await h.post(`/tencent-ci/callback/jobs/${TOKEN}`, 'garbage');
      await h.post(`/tencent-ci/callback/jobs/${TOKEN}`, VIDEOTAG_XML);
      await h.post(callbackUrl(), `${VIDEOTAG_XML}${' '.repeat(200)}`);
      await h.post(callbackUrl('jobs', `${TOKEN}x`), VIDEOTAG_XML);
      await h.post(callbackUrl('confirming'), jsonCallback({ JobId: UNKNOWN_JOB_ID, Tag: 'VideoTag', State: 'Success' }));
      await settle(300);
      const logged = JSON.stringify(helper.log().args);
      assert.ok(logged.includes('callback.warn.pathInUse'), 'n2 warned about the taken path');
      assert.ok(logged.includes('callback.warn.malformed'));
      assert.ok(logged.includes('callback.warn.tooLarge'));
      assert.ok(logged.includes('callback.warn.notFound'));
      assert.ok(!logged.includes(TOKEN), 'no log line holds the token');
      assert.equal(fromJobs.length, 1);
      assert.equal(fromConfirming.length, 0);
      assert.ok(!JSON.stringify(fromJobs).includes(TOKEN), 'no msg holds the token');
    });
  });

  describe('example flow', () => {
    it('loads examples/Receive job callbacks.json and routes a Success to "succeeded", a Failed to "failed or cancelled"', async () => {
      const example: Array<Record<string, any>> = JSON.parse(readFileSync(join(__dirname, '..', 'examples', 'Receive job callbacks.json'), 'utf8'));
      const types = new Set(example.map((n) => n.type));
      assert.deepEqual([...types].sort(), ['comment', 'debug', 'switch', 'tab', 'tencent-ci-callback-in', 'tencent-ci-config']);
      const receiver = example.find((n) => n.type === 'tencent-ci-callback-in')!;
      const debugId = (name: string) => example.find((n) => n.type === 'debug' && n.name === name)!.id as string;
      /* eslint-disable @typescript-eslint/no-require-imports */
      const core = [
        require('@node-red/nodes/core/common/90-comment.js'),
        require('@node-red/nodes/core/common/21-debug.js'),
        require('@node-red/nodes/core/function/10-switch.js'),
      ];
      /* eslint-enable @typescript-eslint/no-require-imports */
      await h.loadFlow(example, { [receiver.id]: { token: TOKEN } }, core);
      const succeeded = nextMessage(helper.getNode(debugId('receive callbacks: succeeded')), 5000);
      const failed = nextMessage(helper.getNode(debugId('receive callbacks: failed or cancelled')), 5000);
      await h.post(callbackUrl('example-jobs'), VIDEOTAG_XML);
      await h.post(callbackUrl('example-jobs'), jsonCallback({ JobId: 'jeeee', Tag: 'VideoTag', State: 'Failed', Code: 'ResourceNotFound' }));
      assert.equal((await succeeded).jobId, FIXTURE_JOB_ID);
      assert.equal((await failed).jobId, 'jeeee');
    });
  });

  describe('routes and lifecycle', () => {
    it('lets the node started first keep a path; the later one warns and receives nothing', async () => {
      await h.load([{}, {}]);
      const first = collect('out1');
      const second = collect('out2');
      await h.post(callbackUrl(), VIDEOTAG_XML);
      await settle();
      assert.equal(first.length, 1);
      assert.equal(second.length, 0);
      assert.ok(helper.log().args.some((a) => JSON.stringify(a).includes('callback.warn.pathInUse {\\"path\\":\\"jobs\\"}')));
    });

    it('uses the node id as the path when none is set', async () => {
      await h.load([{ path: '' }]);
      const received = nextMessage(helper.getNode('out1'), 5000);
      assert.equal((await h.post(callbackUrl('n1'), VIDEOTAG_XML)).status, 200);
      assert.equal((await received).jobId, FIXTURE_JOB_ID);
    });

    it('unregisters on close: after a deploy without the node its path answers 404, other paths still work', async () => {
      await h.load();
      assert.equal((await h.post(callbackUrl(), VIDEOTAG_XML)).status, 200);
      const next = h.flow([{ path: 'other' }]);
      await helper.setFlows(next.nodes, 'full', next.credentials);
      assert.equal((await h.post(callbackUrl(), VIDEOTAG_XML)).status, 404);
      assert.equal((await h.post(callbackUrl('other'), VIDEOTAG_XML)).status, 200);
    });

    it('runs httpNodeMiddleware before the callback route', async () => {
      await withSettings(
        { httpNodeMiddleware: (req: any, res: any, next: () => void) => (req.headers['x-block'] ? res.sendStatus(403) : next()) },
        async () => {
          await h.load();
          const msgs = collect('out1');
          assert.equal((await h.post(callbackUrl(), VIDEOTAG_XML, { 'content-type': 'application/xml', 'x-block': '1' })).status, 403);
          assert.equal((await h.post(callbackUrl(), VIDEOTAG_XML)).status, 200);
          await settle();
          assert.equal(msgs.length, 1);
        },
      );
    });

    it('warns that callbacks cannot be received when httpNodeRoot is false, and registers no route', async () => {
      await withSettings(
        { httpNodeRoot: false },
        async () => {
          await h.load();
          assert.ok(helper.log().args.some((a) => JSON.stringify(a).includes('callback.warn.noHttpNode')));
          assert.equal((await h.post(callbackUrl(), VIDEOTAG_XML)).status, 404);
        },
        { httpNodeRoot: '/' },
      );
    });

    it('gives the editor the deployed token (admin route), and 404 for another node', async () => {
      await h.load();
      const ours = await helper.request().get('/tencent-ci-callback-in/n1/token');
      assert.equal(ours.status, 200);
      assert.deepEqual(ours.body, { token: TOKEN });
      assert.equal(ours.headers['cache-control'], 'no-store');
      const other = await helper.request().get('/tencent-ci-callback-in/cfg/token');
      assert.equal(other.status, 404);
    });
  });
});
