import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import helper from 'node-red-node-test-helper';
import { CiClient, JobWatcher, parseCallback, type JobsDetail } from '@node-red-tencent-ci/core';
import { configNode, nextMessage, putClip, putScript, SECRET_ID, SECRET_KEY, startTestEmulator, type Emulator } from '@node-red-tencent-ci/test-utils';
import { RecentKeys } from '../src/recent-keys';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const configModule = require('@node-red-tencent-ci/config/dist/tencent-ci-config.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const callbackModule = require('../dist/tencent-ci-callback-in.js');

helper.init(require.resolve('node-red'));

const TOKEN = 'Tok3n-abcdefghijklmnopqr';
const FIXTURES = join(__dirname, '..', '..', 'core', 'test', 'fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const VIDEOTAG_XML = fixture('callback-videotag-stream.xml');
const VIDEOTAG_JSON = fixture('callback-videotag-stream.json');
const FIXTURE_JOB_ID = 'j535b10a4f8e211ec9452c1c27f56a659';
const UNKNOWN_JOB_ID = `j${'0'.repeat(32)}`;

/** A small callback body in the service's JSON form. */
function jsonCallback(...details: Array<Partial<JobsDetail>>): string {
  return JSON.stringify({ EventName: 'TaskFinish', JobsDetail: details.length === 1 ? details[0] : details });
}

// RED.httpNode is a fresh Express app on every helper.load(); the helper's server serves an
// empty app of its own, so requests are handed to the current httpNode from there.
let httpNode: ((req: unknown, res: unknown, next: () => void) => void) | undefined;
const captureRed = (RED: { httpNode: typeof httpNode; _: unknown }) => {
  httpNode = RED.httpNode;
  // The helper's RED._ returns the bare key; keep the substitutions so tests see what a log line would hold.
  RED._ = (key: string, substitutions?: Record<string, unknown>) => (substitutions ? `${key} ${JSON.stringify(substitutions)}` : key);
};

function post(path: string, body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = { 'content-type': 'application/xml' }): Promise<Response> {
  return fetch(`${helper.url()}${path}`, { method: 'POST', headers, body, ...(typeof body === 'string' ? {} : { duplex: 'half' }) } as RequestInit);
}

const callbackUrl = (path = 'jobs', token = TOKEN) => `/tencent-ci/callback/${path}?token=${token}`;

/** Every message a node receives, in order. */
function collect(id: string): Array<Record<string, any>> {
  const msgs: Array<Record<string, any>> = [];
  helper.getNode(id).on('input', (msg) => msgs.push(msg));
  return msgs;
}

/** Every warning a node gives, as text. */
function warnings(id: string): string[] {
  const out: string[] = [];
  helper.getNode(id).on('call:warn', (call) => out.push(String(call.args[0])));
  return out;
}

const settle = (ms = 100) => new Promise((r) => setTimeout(r, ms));

describe('tencent-ci-callback-in node', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  let client: CiClient;

  before(async () => {
    emulator = await startTestEmulator({ callbackRetries: 0 });
    putClip(emulator, 'input/clip.mp4', 1);
    putScript(emulator, 'input/clip.mp4', { StreamData: { SubErrCode: '0', SubErrMsg: 'ok', Data: { Tags: [{ Tag: 'Cat', TagCls: 'Animal', Confidence: '91' }] } } });
    client = new CiClient({ secretId: SECRET_ID, secretKey: SECRET_KEY, bucket: emulator.bucket, region: emulator.region, endpoint: emulator.url });
    await helper.startServer();
    (helper as unknown as { _app: { use(fn: unknown): void } })._app.use((req: unknown, res: unknown, next: () => void) => (httpNode ? httpNode(req, res, next) : next()));
  });
  after(async () => {
    await client.close();
    await helper.stopServer();
    await emulator.close();
  });
  afterEach(async () => {
    await helper.unload();
    httpNode = undefined;
  });

  /** A VideoTag job run to the end on the emulator. */
  async function finishedJob(extra: Record<string, unknown> = {}): Promise<JobsDetail> {
    const { JobsDetail: submitted } = await client.submit('VideoTag', { Input: { Object: 'input/clip.mp4' }, Operation: { VideoTag: { Scenario: 'Stream' } }, ...extra });
    const watcher = new JobWatcher(client, { minIntervalMs: 50, maxIntervalMs: 100 });
    try {
      return await watcher.wait(submitted.JobId, { timeoutMs: 10_000 });
    } finally {
      watcher.close();
    }
  }

  function flow(nodes: Array<Record<string, unknown>> = [{}], cfgExtra: Record<string, unknown> = {}) {
    const cfg = configNode(emulator, 'cfg', cfgExtra);
    const credentials: Record<string, unknown> = { ...cfg.credentials };
    const flowNodes: Array<Record<string, unknown>> = [{ id: 'tab', type: 'tab' }, cfg.node];
    nodes.forEach((props, i) => {
      const id = `n${i + 1}`;
      flowNodes.push({ id, z: 'tab', type: 'tencent-ci-callback-in', name: '', config: 'cfg', path: 'jobs', maxBytes: 1048576, confirm: false, baseUrl: '', wires: [[`out${i + 1}`]], ...props });
      flowNodes.push({ id: `out${i + 1}`, z: 'tab', type: 'helper' });
      credentials[id] = { token: TOKEN };
    });
    return { nodes: flowNodes, credentials };
  }

  async function load(nodes?: Array<Record<string, unknown>>, cfgExtra?: Record<string, unknown>) {
    const f = flow(nodes, cfgExtra);
    await helper.load([captureRed, configModule, callbackModule], f.nodes, f.credentials);
  }

  describe('receiving', () => {
    it('answers 200 to a valid callback', async () => {
      await load();
      const res = await post(callbackUrl(), VIDEOTAG_XML);
      assert.equal(res.status, 200);
    });

    it('emits the JobsDetail of an XML callback as msg.payload, with msg.jobId, msg.topic and msg.eventName', async () => {
      await load();
      const received = nextMessage(helper.getNode('out1'), 5000);
      await post(callbackUrl(), VIDEOTAG_XML);
      const msg = await received;
      assert.deepEqual(msg.payload, parseCallback(VIDEOTAG_XML).JobsDetail[0]);
      assert.equal(msg.payload.State, 'Success');
      assert.equal(msg.jobId, FIXTURE_JOB_ID);
      assert.equal(msg.topic, FIXTURE_JOB_ID);
      assert.equal(msg.eventName, 'TaskFinish');
    });

    it('gives a JSON callback the same msg.payload as the XML one', async () => {
      await load([{ path: 'xml' }, { path: 'json' }]);
      const fromXml = nextMessage(helper.getNode('out1'), 5000);
      const fromJson = nextMessage(helper.getNode('out2'), 5000);
      await post(callbackUrl('xml'), VIDEOTAG_XML);
      await post(callbackUrl('json'), VIDEOTAG_JSON, { 'content-type': 'application/json' });
      const [x, j] = await Promise.all([fromXml, fromJson]);
      assert.deepEqual(j.payload, x.payload);
    });

    it('reads the body whatever its content type (text/plain here)', async () => {
      await load();
      const received = nextMessage(helper.getNode('out1'), 5000);
      const res = await post(callbackUrl(), VIDEOTAG_JSON, { 'content-type': 'text/plain' });
      assert.equal(res.status, 200);
      assert.equal((await received).jobId, FIXTURE_JOB_ID);
    });

    it('reads a body a parser before the route already consumed (Node-RED\'s admin app parses JSON when httpAdminRoot is /)', async () => {
      const parseJsonFirst = (req: any, _res: unknown, next: () => void) => {
        if (!String(req.headers['content-type']).includes('json')) return next();
        let text = '';
        req.setEncoding('utf8');
        req.on('data', (chunk: string) => { text += chunk; });
        req.on('end', () => { req.body = JSON.parse(text); req._body = true; next(); });
      };
      helper.settings({ httpNodeMiddleware: parseJsonFirst });
      try {
        await load();
        const received = nextMessage(helper.getNode('out1'), 5000);
        assert.equal((await post(callbackUrl(), VIDEOTAG_JSON, { 'content-type': 'application/json' })).status, 200);
        assert.deepEqual((await received).payload, parseCallback(VIDEOTAG_XML).JobsDetail[0]);
      } finally {
        helper.settings({ httpNodeMiddleware: undefined });
      }
    });

    it('accepts the token as the last path segment', async () => {
      await load();
      const received = nextMessage(helper.getNode('out1'), 5000);
      const res = await post(`/tencent-ci/callback/jobs/${TOKEN}`, VIDEOTAG_XML);
      assert.equal(res.status, 200);
      assert.equal((await received).jobId, FIXTURE_JOB_ID);
    });

    it('emits one msg per JobsDetail of a body with two', async () => {
      await load();
      const msgs = collect('out1');
      const body = '<Response><EventName>TaskFinish</EventName>'
        + '<JobsDetail><JobId>jaaaa</JobId><Tag>MediaInfo</Tag><State>Success</State><Code>Success</Code></JobsDetail>'
        + '<JobsDetail><JobId>jbbbb</JobId><Tag>MediaInfo</Tag><State>Failed</State><Code>ResourceNotFound</Code></JobsDetail></Response>';
      assert.equal((await post(callbackUrl(), body)).status, 200);
      await settle();
      assert.deepEqual(msgs.map((m) => [m.jobId, m.payload.State]), [['jaaaa', 'Success'], ['jbbbb', 'Failed']]);
    });

    it('emits a duplicate delivery (same JobId and State) once', async () => {
      await load();
      const msgs = collect('out1');
      assert.equal((await post(callbackUrl(), VIDEOTAG_XML)).status, 200);
      assert.equal((await post(callbackUrl(), VIDEOTAG_JSON, { 'content-type': 'application/json' })).status, 200);
      await settle();
      assert.equal(msgs.length, 1);
    });

    it('emits the same JobId again when its State differs', async () => {
      await load();
      const msgs = collect('out1');
      await post(callbackUrl(), jsonCallback({ JobId: 'jcccc', Tag: 'VideoTag', State: 'Cancel' }));
      await post(callbackUrl(), jsonCallback({ JobId: 'jcccc', Tag: 'VideoTag', State: 'Failed', Code: 'InternalError' }));
      await settle();
      assert.deepEqual(msgs.map((m) => m.payload.State), ['Cancel', 'Failed']);
    });

    it('remembers the last 1000 JobId/State pairs and forgets the oldest first', () => {
      const keys = new RecentKeys(1000);
      for (let i = 0; i < 1000; i += 1) keys.add(`j${i}`);
      assert.equal(keys.add('j999'), false, 'a duplicate');
      keys.add('j1000');
      assert.equal(keys.size, 1000);
      assert.equal(keys.add('j1'), false, 'j1 is still remembered');
      assert.equal(keys.add('j0'), true, 'j0, the oldest, was forgotten');
    });

    it('shows "N received" as a green dot', async () => {
      await load();
      const statuses: any[] = [];
      helper.getNode('n1').on('call:status', (call) => statuses.push(call.args[0]));
      await post(callbackUrl(), jsonCallback({ JobId: 'j1', Tag: 'VideoTag', State: 'Success' }, { JobId: 'j2', Tag: 'VideoTag', State: 'Success' }));
      await settle();
      assert.deepEqual(statuses.at(-1), { fill: 'green', shape: 'dot', text: 'callback.status.received {"count":2}' });
    });
  });

  describe('refusing', () => {
    it('refuses a wrong token with 401 and emits nothing', async () => {
      await load();
      const msgs = collect('out1');
      const res = await post(callbackUrl('jobs', 'not-the-token-0123456789'), VIDEOTAG_XML);
      assert.equal(res.status, 401);
      await settle();
      assert.equal(msgs.length, 0);
    });

    it('refuses a missing token with 401 and emits nothing', async () => {
      await load();
      const msgs = collect('out1');
      const res = await post('/tencent-ci/callback/jobs', VIDEOTAG_XML);
      assert.equal(res.status, 401);
      await settle();
      assert.equal(msgs.length, 0);
    });

    it('refuses every callback with 401 while the node has no token, and warns', async () => {
      const f = flow();
      const { n1: _omit, ...credentials } = f.credentials;
      await helper.load([captureRed, configModule, callbackModule], f.nodes, credentials);
      const msgs = collect('out1');
      assert.equal((await post('/tencent-ci/callback/jobs?token=', VIDEOTAG_XML)).status, 401);
      assert.equal((await post(callbackUrl(), VIDEOTAG_XML)).status, 401);
      await settle();
      assert.equal(msgs.length, 0);
      assert.ok(helper.log().args.some((a) => JSON.stringify(a).includes('callback.warn.noToken')));
    });

    it('answers 404 for a path no node has', async () => {
      await load();
      const res = await post(callbackUrl('nobody-here'), VIDEOTAG_XML);
      assert.equal(res.status, 404);
    });

    it('refuses a malformed body with 400, emits nothing, and warns without quoting the body', async () => {
      await load();
      const msgs = collect('out1');
      const warns = warnings('n1');
      const body = '{"EventName": "TaskFinish", "JobsDetail": PRIVATE-CONTENT';
      const res = await post(callbackUrl(), body, { 'content-type': 'application/json' });
      assert.equal(res.status, 400);
      await settle();
      assert.equal(msgs.length, 0);
      assert.deepEqual(warns, [`callback.warn.malformed {"bytes":${body.length}}`]);
    });

    it('keeps running after a malformed body: the next valid body is emitted', async () => {
      await load();
      const msgs = collect('out1');
      assert.equal((await post(callbackUrl(), '<Response><EventName>TaskFinish</EventName></Response>')).status, 400);
      assert.equal((await post(callbackUrl(), VIDEOTAG_XML)).status, 200);
      await settle();
      assert.deepEqual(msgs.map((m) => m.jobId), [FIXTURE_JOB_ID]);
    });

    it('shows a rejected body as a yellow ring', async () => {
      await load();
      const statuses: any[] = [];
      helper.getNode('n1').on('call:status', (call) => statuses.push(call.args[0]));
      await post(callbackUrl(), 'not a callback');
      await settle();
      assert.deepEqual(statuses.at(-1), { fill: 'yellow', shape: 'ring', text: 'callback.status.malformed {"count":0}' });
    });

    it('refuses a body over maxBytes with 413 (Content-Length known) and emits nothing', async () => {
      await load([{ maxBytes: 100 }]);
      const msgs = collect('out1');
      const res = await post(callbackUrl(), VIDEOTAG_XML);
      assert.equal(res.status, 413);
      await settle();
      assert.equal(msgs.length, 0);
    });

    it('refuses a chunked body over maxBytes with 413', async () => {
      await load([{ maxBytes: 100 }]);
      const msgs = collect('out1');
      const chunks = [VIDEOTAG_XML.slice(0, 80), VIDEOTAG_XML.slice(80, 160)];
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      });
      const res = await post(callbackUrl(), body);
      assert.equal(res.status, 413);
      await settle();
      assert.equal(msgs.length, 0);
    });
  });

  describe('confirm by query', () => {
    let job: JobsDetail;
    before(async () => {
      job = await finishedJob();
      assert.equal(job.State, 'Success');
    });

    it('emits the service\'s JobsDetail when the service confirms State and Code', async () => {
      await load([{ confirm: true }]);
      const received = nextMessage(helper.getNode('out1'), 5000);
      await post(callbackUrl(), jsonCallback({ JobId: job.JobId, Tag: 'VideoTag', State: 'Success', Code: 'Success', Message: 'written by whoever posted' }));
      const msg = await received;
      const { JobsDetail: [fromService] } = await client.describe([job.JobId]);
      assert.deepEqual(msg.payload, fromService);
      assert.notEqual(msg.payload.Message, 'written by whoever posted');
      assert.equal(msg.jobId, job.JobId);
    });

    it('drops a callback whose State differs from the service\'s, with a warning', async () => {
      await load([{ confirm: true }]);
      const msgs = collect('out1');
      const warns = warnings('n1');
      assert.equal((await post(callbackUrl(), jsonCallback({ JobId: job.JobId, Tag: 'VideoTag', State: 'Failed', Code: 'InternalError' }))).status, 200);
      await settle(300);
      assert.equal(msgs.length, 0);
      assert.deepEqual(warns, [`callback.warn.mismatch {"jobId":"${job.JobId}","claimed":"Failed (InternalError)","actual":"Success (Success)"}`]);
    });

    it('drops a callback for a job the service does not know, with a warning', async () => {
      await load([{ confirm: true }]);
      const msgs = collect('out1');
      const warns = warnings('n1');
      await post(callbackUrl(), jsonCallback({ JobId: UNKNOWN_JOB_ID, Tag: 'VideoTag', State: 'Success', Code: 'Success' }));
      await settle(300);
      assert.equal(msgs.length, 0);
      assert.deepEqual(warns, [`callback.warn.notFound {"jobId":"${UNKNOWN_JOB_ID}"}`]);
    });

    it('drops the callback with a warning when the service cannot be asked', async () => {
      const f = flow([{ confirm: true }]);
      await helper.load([captureRed, configModule, callbackModule], f.nodes, { ...f.credentials, cfg: { secretId: SECRET_ID, secretKey: 'a-wrong-secret-key' } });
      const msgs = collect('out1');
      const warns = warnings('n1');
      await post(callbackUrl(), jsonCallback({ JobId: job.JobId, Tag: 'VideoTag', State: 'Success', Code: 'Success' }));
      await settle(500);
      assert.equal(msgs.length, 0);
      assert.equal(warns.length, 1);
      assert.match(warns[0]!, new RegExp(`^callback\\.warn\\.confirmFailed \\{"jobId":"${job.JobId}","code":"AccessDenied"`));
      assert.ok(!warns[0]!.includes('a-wrong-secret-key'));
    });

    it('does not remember a dropped callback: a second delivery is checked again', async () => {
      await load([{ confirm: true }]);
      const warns = warnings('n1');
      const claim = jsonCallback({ JobId: job.JobId, Tag: 'VideoTag', State: 'Failed', Code: 'InternalError' });
      await post(callbackUrl(), claim);
      await settle(300);
      await post(callbackUrl(), claim);
      await settle(300);
      assert.equal(warns.filter((w) => w.startsWith('callback.warn.mismatch')).length, 2);
    });
  });

  describe('notifying the JobWatcher', () => {
    it('settles a wait of its config node without a describe request', async () => {
      await load([{}], { minInterval: 600, maxInterval: 600 });
      const ci = (helper.getNode('cfg') as any).ci;
      const describesBefore = emulator.stats().requests.describe;
      const wait: Promise<JobsDetail> = ci.watcher().wait('jdddd', { timeoutMs: 5000 });
      await post(callbackUrl(), jsonCallback({ JobId: 'jdddd', Tag: 'VideoTag', State: 'Success', Code: 'Success' }));
      const detail = await wait;
      assert.equal(detail.State, 'Success');
      assert.equal(emulator.stats().requests.describe, describesBefore);
    });

    it('with confirm, settles the wait with the service\'s JobsDetail', async () => {
      const job = await finishedJob();
      await load([{ confirm: true }], { minInterval: 600, maxInterval: 600 });
      const ci = (helper.getNode('cfg') as any).ci;
      const wait: Promise<JobsDetail> = ci.watcher().wait(job.JobId, { timeoutMs: 5000 });
      await post(callbackUrl(), jsonCallback({ JobId: job.JobId, Tag: 'VideoTag', State: 'Success', Code: 'Success', Message: 'written by whoever posted' }));
      const detail = await wait;
      const { JobsDetail: [fromService] } = await client.describe([job.JobId]);
      assert.deepEqual(detail, fromService);
    });
  });

  describe('end to end with the emulator posting callbacks', () => {
    for (const format of ['XML', 'JSON'] as const) {
      it(`emits the ${format} callback the emulator posts when a VideoTag job ends`, async () => {
        await load();
        const received = nextMessage(helper.getNode('out1'), 10_000);
        const { JobsDetail: submitted } = await client.submit('VideoTag', {
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
        assert.equal(emulator.stats().callbacks.failed, 0);
      });
    }
  });

  describe('secrets', () => {
    it('never writes the token in a warning, log line or msg', async () => {
      const limit = VIDEOTAG_XML.length + 100;
      await load([{ maxBytes: limit }, { maxBytes: limit }, { path: 'confirming', confirm: true }]);
      const fromJobs = collect('out1');
      const fromConfirming = collect('out3');
      await post(`/tencent-ci/callback/jobs/${TOKEN}`, 'garbage');
      await post(`/tencent-ci/callback/jobs/${TOKEN}`, VIDEOTAG_XML);
      await post(callbackUrl(), `${VIDEOTAG_XML}${' '.repeat(200)}`);
      await post(callbackUrl('jobs', `${TOKEN}x`), VIDEOTAG_XML);
      await post(callbackUrl('confirming'), jsonCallback({ JobId: UNKNOWN_JOB_ID, Tag: 'VideoTag', State: 'Success' }));
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
    it('loads examples/receive-callbacks.json and routes a Success to "succeeded", a Failed to "failed or cancelled"', async () => {
      const example: Array<Record<string, any>> = JSON.parse(readFileSync(join(__dirname, '..', 'examples', 'receive-callbacks.json'), 'utf8'));
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
      await helper.load([captureRed, configModule, callbackModule, ...core], example, { [receiver.id]: { token: TOKEN } });
      const succeeded = nextMessage(helper.getNode(debugId('succeeded')), 5000);
      const failed = nextMessage(helper.getNode(debugId('failed or cancelled')), 5000);
      await post(callbackUrl('example-jobs'), VIDEOTAG_XML);
      await post(callbackUrl('example-jobs'), jsonCallback({ JobId: 'jeeee', Tag: 'VideoTag', State: 'Failed', Code: 'ResourceNotFound' }));
      assert.equal((await succeeded).jobId, FIXTURE_JOB_ID);
      assert.equal((await failed).jobId, 'jeeee');
    });
  });

  describe('routes and lifecycle', () => {
    it('lets the node started first keep a path; the later one warns and receives nothing', async () => {
      await load([{}, {}]);
      const first = collect('out1');
      const second = collect('out2');
      await post(callbackUrl(), VIDEOTAG_XML);
      await settle();
      assert.equal(first.length, 1);
      assert.equal(second.length, 0);
      assert.ok(helper.log().args.some((a) => JSON.stringify(a).includes('callback.warn.pathInUse {\\"path\\":\\"jobs\\"}')));
    });

    it('uses the node id as the path when none is set', async () => {
      await load([{ path: '' }]);
      const received = nextMessage(helper.getNode('out1'), 5000);
      assert.equal((await post(callbackUrl('n1'), VIDEOTAG_XML)).status, 200);
      assert.equal((await received).jobId, FIXTURE_JOB_ID);
    });

    it('unregisters on close: after a deploy without the node its path answers 404, other paths still work', async () => {
      await load();
      assert.equal((await post(callbackUrl(), VIDEOTAG_XML)).status, 200);
      const next = flow([{ path: 'other' }]);
      await helper.setFlows(next.nodes, 'full', next.credentials);
      assert.equal((await post(callbackUrl(), VIDEOTAG_XML)).status, 404);
      assert.equal((await post(callbackUrl('other'), VIDEOTAG_XML)).status, 200);
    });

    it('runs httpNodeMiddleware before the callback route', async () => {
      helper.settings({ httpNodeMiddleware: (req: any, res: any, next: () => void) => (req.headers['x-block'] ? res.sendStatus(403) : next()) });
      try {
        await load();
        const msgs = collect('out1');
        assert.equal((await post(callbackUrl(), VIDEOTAG_XML, { 'content-type': 'application/xml', 'x-block': '1' })).status, 403);
        assert.equal((await post(callbackUrl(), VIDEOTAG_XML)).status, 200);
        await settle();
        assert.equal(msgs.length, 1);
      } finally {
        helper.settings({ httpNodeMiddleware: undefined });
      }
    });

    it('warns that callbacks cannot be received when httpNodeRoot is false, and registers no route', async () => {
      helper.settings({ httpNodeRoot: false });
      try {
        await load();
        assert.ok(helper.log().args.some((a) => JSON.stringify(a).includes('callback.warn.noHttpNode')));
        assert.equal((await post(callbackUrl(), VIDEOTAG_XML)).status, 404);
      } finally {
        helper.settings({ httpNodeRoot: '/' });
      }
    });

    it('gives the editor the deployed token (admin route), and 404 for another node', async () => {
      await load();
      const ours = await helper.request().get('/tencent-ci-callback-in/n1/token');
      assert.equal(ours.status, 200);
      assert.deepEqual(ours.body, { token: TOKEN });
      assert.equal(ours.headers['cache-control'], 'no-store');
      const other = await helper.request().get('/tencent-ci-callback-in/cfg/token');
      assert.equal(other.status, 404);
    });
  });
});
