/**
 * What the node refuses, and what a refusal costs, in Node-RED's default layout: the admin
 * app (with the editor API's json and urlencoded body parsers) and httpNode both at `/`,
 * the admin app first. Each test says what was answered, what was emitted and what was
 * asked of the service (the emulator counts describe requests).
 */
import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import { putClip, putScript } from '@node-red-tencent-ci/test-utils';
import {
  callbackUrl,
  collect,
  describeCounter,
  Harness,
  helper,
  jsonCallback,
  logged,
  parseJsonFirst,
  settle,
  TOKEN,
  unknownJobId,
  until,
  VIDEOTAG_XML,
  warnings,
  withSettings,
  type DescribeCounter,
} from './helpers/harness';

const WRONG_TOKEN = 'not-the-token-0123456789';

interface Answer {
  status: number;
  text: string;
  contentType: string;
}

/** A POST with exactly these headers (fetch would add a Content-Type of its own). */
function rawPost(path: string, body: string | Buffer, headers: Record<string, string | number> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${helper.url()}${path}`, { method: 'POST', headers: { 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, contentType: String(res.headers['content-type'] ?? '') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Declares a `declaredBytes` body, sends only `sent`, and resolves with the answer to that. */
function postUnfinished(path: string, declaredBytes: number, sent: Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${helper.url()}${path}`, { method: 'POST', headers: { 'content-length': declaredBytes, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, text, contentType: String(res.headers['content-type'] ?? '') });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.write(sent); // the rest never comes
  });
}

/** A callback whose only JobsDetail nests `depth` levels in all (`{"EventName":…,"JobsDetail":{…}}` is 2). */
function callbackNested(depth: number, jobId = 'jdeep'): string {
  const inner = depth - 2;
  return `{"EventName":"TaskFinish","JobsDetail":{"JobId":"${jobId}","Tag":"VideoTag","State":"Success","Nest":${'{"x":'.repeat(inner)}1${'}'.repeat(inner)}}}`;
}

/** A body whose JobsDetail is an array nested `levels` deep: valid JSON no parser should recurse into. */
const deepJson = (levels: number) => `{"EventName":"TaskFinish","JobsDetail":${'['.repeat(levels)}${']'.repeat(levels)}}`;

/** `count` JobsDetail for jobs the emulator does not know, starting at `from`. */
const unknownJobs = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => ({ JobId: unknownJobId(from + i), Tag: 'VideoTag', State: 'Success', Code: 'Success' }));

/** `count` short JobsDetail (`j0`, `j1`, …), so that 15,000 of them stay under the 1 MiB body limit. */
const shortJobs = (count: number) => Array.from({ length: count }, (_, i) => ({ JobId: `j${i}`, State: 'Success' }));

/** What out1 received and what n1 warned since the flow was loaded. */
interface Watched {
  msgs: Array<Record<string, any>>;
  warns: string[];
}

const PLAIN = /^text\/plain/;

function assertPlain(answer: Answer, status: number, text: string): void {
  assert.equal(answer.status, status);
  assert.equal(answer.text, text);
  assert.match(answer.contentType, PLAIN);
}

describe("tencent-ci-callback-in: hostile requests in Node-RED's default layout (admin app and its body parsers first, both at /)", function () {
  this.timeout(60_000);
  const h = new Harness({ layout: 'node-red-default', emulator: { concurrency: 16 } });
  let describes: () => number;
  let consoleLines: string[];
  const restore: Array<() => void> = [];

  before(async () => {
    await h.start();
    describes = () => h.emulator.stats().requests.describe;
  });
  after(() => h.stop());
  beforeEach(() => {
    // Express's final handler writes an error's stack with console.error: there must be none.
    consoleLines = [];
    for (const level of ['error', 'warn'] as const) {
      const original = console[level];
      console[level] = (...args: unknown[]) => {
        consoleLines.push(args.map(String).join(' '));
      };
      restore.push(() => {
        console[level] = original;
      });
    }
  });
  afterEach(async () => {
    for (const undo of restore.splice(0)) undo();
    await h.unload();
  });

  /** Loads the flow (see Harness.flow), then records what out1 receives and what n1 warns. */
  async function loadWatched(...args: Parameters<Harness['load']>): Promise<Watched> {
    await h.load(...args);
    return { msgs: collect('out1'), warns: warnings('n1') };
  }

  /** No stack trace reached the console or Node-RED's log. */
  function assertNoStacks(): void {
    assert.deepEqual(consoleLines, []);
    assert.doesNotMatch(logged(), /\\n\s+at |\n\s+at /);
  }

  /** Once the node has settled (`ms`): nothing reached out1, n1 warned exactly `expected`, and no stack trace was written. */
  async function assertDropped({ msgs, warns }: Watched, expected: string[], ms?: number): Promise<void> {
    await settle(ms);
    assert.deepEqual(msgs, []);
    assert.deepEqual(warns, expected);
    assertNoStacks();
  }

  describe('the token is checked first', () => {
    it("answers 401 to a wrong token with a malformed JSON body (not the admin parser's 400): nothing emitted, no warning", async () => {
      const watched = await loadWatched();
      const before = describes();
      const answer = await rawPost(callbackUrl('jobs', WRONG_TOKEN), '{"EventName": "TaskFinish", "JobsDetail": [', { 'content-type': 'application/json' });
      assertPlain(answer, 401, 'Unauthorized');
      await assertDropped(watched, []);
      assert.equal(describes() - before, 0);
    });

    it('answers 401 to a wrong token declaring a 50 MB body after its first 64 KiB, without waiting for the rest', async () => {
      const { msgs } = await loadWatched();
      const before = describes();
      const answer = await postUnfinished(callbackUrl('jobs', WRONG_TOKEN), 50_000_000, Buffer.alloc(64 * 1024, 0x5b), { 'content-type': 'application/json' });
      assertPlain(answer, 401, 'Unauthorized');
      await settle();
      assert.deepEqual(msgs, []);
      assert.equal(describes() - before, 0);
      assertNoStacks();
    });

    it("answers 401 to a wrong token with a form body (not parsed by the admin app's urlencoded parser)", async () => {
      const { msgs } = await loadWatched();
      const answer = await rawPost(callbackUrl('jobs', WRONG_TOKEN), 'EventName=TaskFinish&JobsDetail[JobId]=j1', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      assertPlain(answer, 401, 'Unauthorized');
      await settle();
      assert.deepEqual(msgs, []);
    });

    it('claims the route whatever the case of its prefix, as Express matches it: a wrong token still gets 401 first', async () => {
      await h.load();
      const answer = await rawPost(`/TENCENT-CI/Callback/jobs?token=${WRONG_TOKEN}`, '{"broken', { 'content-type': 'application/json' });
      assertPlain(answer, 401, 'Unauthorized');
      assertNoStacks();
    });
  });

  describe('content types', () => {
    it('refuses a form-encoded body with 415 and warns naming the type, never the body', async () => {
      const watched = await loadWatched();
      const answer = await rawPost(callbackUrl(), 'EventName=TaskFinish&JobsDetail[JobId]=jform&secret=PRIVATE', {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      });
      assertPlain(answer, 415, 'Unsupported Media Type');
      await assertDropped(watched, ['callback.warn.mediaType {"type":"application/x-www-form-urlencoded"}']);
    });

    it('refuses a multipart body with 415 before reading it', async () => {
      const { msgs } = await loadWatched();
      const answer = await postUnfinished(callbackUrl(), 10_000_000, Buffer.from('--b\r\n'), { 'content-type': 'multipart/form-data; boundary=b' });
      assertPlain(answer, 415, 'Unsupported Media Type');
      await settle();
      assert.deepEqual(msgs, []);
    });

    it('reads XML types, JSON types, text/plain and a body with no Content-Type (sniffed)', async () => {
      const { msgs } = await loadWatched();
      const types = [
        'application/xml',
        'text/xml',
        'application/vnd.example+xml',
        'application/json; charset=utf-8',
        'application/vnd.example+json',
        'text/plain',
        undefined,
      ];
      const answers: number[] = [];
      for (const [i, type] of types.entries()) {
        const body = jsonCallback({ JobId: `jtype${i}`, Tag: 'VideoTag', State: 'Success' });
        answers.push((await rawPost(callbackUrl(), body, type ? { 'content-type': type } : {})).status);
      }
      await settle();
      assert.deepEqual(answers, [200, 200, 200, 200, 200, 200, 200]);
      assert.deepEqual(
        msgs.map((m) => m.jobId),
        ['jtype0', 'jtype1', 'jtype2', 'jtype3', 'jtype4', 'jtype5', 'jtype6'],
      );
    });
  });

  describe('deep and malformed bodies', () => {
    for (const levels of [5_000, 100_000]) {
      it(`refuses JSON nested ${levels.toLocaleString('en-US')} levels deep with a plain 400: no HTML, no stack, a warning naming the limit`, async () => {
        const watched = await loadWatched([{ confirm: true }]);
        const before = describes();
        const answer = await rawPost(callbackUrl(), deepJson(levels), { 'content-type': 'application/json' });
        assertPlain(answer, 400, 'Bad Request');
        assert.doesNotMatch(answer.text, /<html|<!DOCTYPE|\sat\s/i);
        await assertDropped(watched, ['callback.warn.tooDeep {"limit":64}']);
        assert.equal(describes() - before, 0);
      });
    }

    it('refuses XML nested 100,000 levels deep with a plain 400', async () => {
      const watched = await loadWatched();
      const body = `<Response><EventName>TaskFinish</EventName><JobsDetail>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</JobsDetail></Response>`;
      const answer = await rawPost(callbackUrl(), body, { 'content-type': 'application/xml' });
      assertPlain(answer, 400, 'Bad Request');
      await assertDropped(watched, ['callback.warn.tooDeep {"limit":64}']);
    });

    it('refuses malformed JSON with a plain 400 and a warning that does not quote it', async () => {
      const watched = await loadWatched();
      const body = '{"EventName": "TaskFinish", "JobsDetail": PRIVATE-CONTENT';
      const answer = await rawPost(callbackUrl(), body, { 'content-type': 'application/json' });
      assertPlain(answer, 400, 'Bad Request');
      await assertDropped(watched, [`callback.warn.malformed {"bytes":${body.length}}`]);
    });

    it('refuses a deep body that httpNodeMiddleware parsed anyway with 400, without re-serialising it', async () => {
      await withSettings({ httpNodeMiddleware: parseJsonFirst() }, async () => {
        const watched = await loadWatched();
        const answer = await rawPost(callbackUrl(), deepJson(100_000), { 'content-type': 'application/json' });
        assertPlain(answer, 400, 'Bad Request');
        await assertDropped(watched, ['callback.warn.tooDeep {"limit":64}']);
      });
    });

    it('answers a plain 404 for a path under the prefix that no route shape matches', async () => {
      await h.load();
      const answer = await rawPost(`/tencent-ci/callback/jobs/${TOKEN}/extra`, VIDEOTAG_XML, { 'content-type': 'application/xml' });
      assertPlain(answer, 404, 'Not Found');
      assertNoStacks();
    });

    it('answers a plain 400 for a path Express cannot decode (not its error page)', async () => {
      await h.load();
      const answer = await rawPost(`/tencent-ci/callback/%E0%A4%A?token=${TOKEN}`, VIDEOTAG_XML, { 'content-type': 'application/xml' });
      assertPlain(answer, 400, 'Bad Request');
      assertNoStacks();
    });
  });

  describe('limits', () => {
    it('reads a body nested 64 levels deep and refuses one of 65 (400, a warning naming the limit)', async () => {
      const { msgs, warns } = await loadWatched();
      const at = await rawPost(callbackUrl(), callbackNested(64, 'jdepth64'), { 'content-type': 'application/json' });
      const over = await rawPost(callbackUrl(), callbackNested(65, 'jdepth65'), { 'content-type': 'application/json' });
      assert.equal(at.status, 200);
      assertPlain(over, 400, 'Bad Request');
      await settle();
      assert.deepEqual(
        msgs.map((m) => m.jobId),
        ['jdepth64'],
      );
      assert.deepEqual(warns, ['callback.warn.tooDeep {"limit":64}']);
    });

    it('emits the 100 JobsDetail of one body and refuses a body of 101 (400, a warning naming the limit)', async () => {
      const { msgs, warns } = await loadWatched();
      const at = await rawPost(callbackUrl(), jsonCallback(...shortJobs(100)), { 'content-type': 'application/json' });
      const over = await rawPost(callbackUrl(), jsonCallback(...shortJobs(101).map((d) => ({ ...d, State: 'Failed' }))), {
        'content-type': 'application/json',
      });
      assert.equal(at.status, 200);
      assertPlain(over, 400, 'Bad Request');
      await settle();
      assert.equal(msgs.length, 100);
      assert.deepEqual(warns, ['callback.warn.tooManyJobs {"limit":100}']);
    });

    it('takes both limits from settings.js tencentCi.callback', async () => {
      await withSettings({ tencentCi: { callback: { maxDepth: 8, maxJobs: 2 } } }, async () => {
        const { msgs, warns } = await loadWatched();
        const answers = [
          (await rawPost(callbackUrl(), callbackNested(8, 'jdepth8'), { 'content-type': 'application/json' })).status,
          (await rawPost(callbackUrl(), callbackNested(9, 'jdepth9'), { 'content-type': 'application/json' })).status,
          (await rawPost(callbackUrl(), jsonCallback(...shortJobs(2)), { 'content-type': 'application/json' })).status,
          (await rawPost(callbackUrl(), jsonCallback(...shortJobs(3)), { 'content-type': 'application/json' })).status,
        ];
        await settle();
        assert.deepEqual(answers, [200, 400, 200, 400]);
        assert.deepEqual(
          msgs.map((m) => m.jobId),
          ['jdepth8', 'j0', 'j1'],
        );
        assert.deepEqual(warns, ['callback.warn.tooDeep {"limit":8}', 'callback.warn.tooManyJobs {"limit":2}']);
      });
    });

    it('falls back to the default for a setting that is not a whole number in range, with one warning', async () => {
      await withSettings({ tencentCi: { callback: { maxDepth: 'deep' } } }, async () => {
        const { msgs } = await loadWatched([{}, { path: 'second' }]);
        const answers = [
          (await rawPost(callbackUrl(), callbackNested(64, 'jdepth64'), { 'content-type': 'application/json' })).status,
          (await rawPost(callbackUrl(), callbackNested(65, 'jdepth65'), { 'content-type': 'application/json' })).status,
        ];
        await settle();
        assert.deepEqual(answers, [200, 400]);
        assert.deepEqual(
          msgs.map((m) => m.jobId),
          ['jdepth64'],
        );
        const settingWarnings = helper.log().args.filter((a) => JSON.stringify(a).includes('callback.warn.badSetting'));
        assert.equal(settingWarnings.length, 1);
        assert.match(JSON.stringify(settingWarnings[0]), /tencentCi\.callback\.maxDepth.*\\"min\\":2,\\"max\\":1000,\\"used\\":64/);
      });
    });

    it('refuses a body naming 15,000 jobs with 400: no msg, no describe request (Confirm on)', async () => {
      const watched = await loadWatched([{ confirm: true }]);
      const before = describes();
      const body = jsonCallback(...shortJobs(15_000));
      assert.ok(body.length < 1024 * 1024, 'under the body limit, so the job count is what refuses it');
      const answer = await rawPost(callbackUrl(), body, { 'content-type': 'application/json' });
      assertPlain(answer, 400, 'Bad Request');
      await assertDropped(watched, ['callback.warn.tooManyJobs {"limit":100}'], 300);
      assert.equal(describes() - before, 0);
    });
  });

  it('never writes the token in what these refusals warn or log', async () => {
    const { warns } = await loadWatched([{ confirm: true }]);
    const answers = [
      (await rawPost(`/tencent-ci/callback/jobs/${TOKEN}`, 'a=1', { 'content-type': `application/x-${TOKEN}` })).status,
      (await rawPost(callbackUrl(), deepJson(5_000), { 'content-type': 'application/json' })).status,
      (await rawPost(callbackUrl(), jsonCallback(...shortJobs(101)), { 'content-type': 'application/json' })).status,
      (await rawPost(callbackUrl(), `{"token":"${TOKEN}"`, { 'content-type': 'application/json' })).status,
      (await rawPost(callbackUrl(), jsonCallback({ JobId: TOKEN, Tag: 'VideoTag', State: 'Running' }), { 'content-type': 'application/json' })).status,
    ];
    await settle(300);
    assert.deepEqual(answers, [415, 400, 400, 400, 200]);
    assert.equal(warns.length, 5);
    assert.ok(!logged().includes(TOKEN), 'no log line holds the token');
  });

  describe('Confirm', () => {
    it('drops a forged callback that says Submitted (the job is indeed Submitted) without asking the service, with a warning', async () => {
      putClip(h.emulator, 'input/queued.mp4', 1);
      putScript(h.emulator, 'input/queued.mp4', { QueuedSeconds: 600, StreamData: { SubErrCode: '0', SubErrMsg: 'ok', Data: { Tags: [] } } });
      const { JobsDetail: queued } = await h.client.submit('VideoTag', {
        Input: { Object: 'input/queued.mp4' },
        Operation: { VideoTag: { Scenario: 'Stream' } },
      });
      assert.equal((await h.client.describe([queued.JobId])).JobsDetail[0]!.State, 'Submitted');
      const { msgs, warns } = await loadWatched([{ confirm: true }]);
      const before = describes();
      const answer = await rawPost(callbackUrl(), jsonCallback({ JobId: queued.JobId, Tag: 'VideoTag', State: 'Submitted' }), {
        'content-type': 'application/json',
      });
      assert.equal(answer.status, 200);
      await settle(300);
      assert.deepEqual(msgs, []);
      assert.deepEqual(warns, [`callback.warn.notTerminal {"jobId":"${queued.JobId}","claimed":"Submitted"}`]);
      assert.equal(describes() - before, 0);
    });

    it('emits a genuine callback once, even when 1,100 unknown ids arrive between its deliveries', async () => {
      const job = await h.finishedJob();
      const { msgs, warns } = await loadWatched([{ confirm: true }]);
      const genuine = jsonCallback({ JobId: job.JobId, Tag: 'VideoTag', State: 'Success', Code: 'Success' });
      const start = describes();

      assert.equal((await rawPost(callbackUrl(), genuine, { 'content-type': 'application/json' })).status, 200);
      await until(() => msgs.length === 1, 5000, 'the first delivery was emitted');
      const afterGenuine = describes();

      const floodAnswers: number[] = [];
      for (let body = 0; body < 11; body += 1) {
        floodAnswers.push((await rawPost(callbackUrl(), jsonCallback(...unknownJobs(100, body * 100)), { 'content-type': 'application/json' })).status);
        await until(() => warns.length === (body + 1) * 100, 10_000, `the ${body + 1}. flood body was confirmed`);
      }
      const afterFlood = describes();

      assert.equal((await rawPost(callbackUrl(), genuine, { 'content-type': 'application/json' })).status, 200);
      assert.equal(
        (await rawPost(callbackUrl(), VIDEOTAG_XML.replace(/j535b10a4f8e211ec9452c1c27f56a659/g, job.JobId), { 'content-type': 'application/xml' })).status,
        200,
      );
      await settle(300);

      assert.deepEqual(floodAnswers, Array(11).fill(200));
      assert.deepEqual(
        msgs.map((m) => m.jobId),
        [job.JobId],
      );
      assert.equal(warns.filter((w) => w.startsWith('callback.warn.notFound')).length, 1100);
      assert.equal(afterGenuine - start, 1, 'one describe confirmed the genuine delivery');
      assert.ok(afterFlood - afterGenuine <= 22, `the 1,100 ids went in batches (${afterFlood - afterGenuine} describes)`);
      assert.equal(describes() - afterFlood, 0, 'the replays were known without asking');
    });

    it('emits a delivery once when a duplicate arrives while the first is being confirmed', async () => {
      const job = await h.finishedJob();
      const { msgs } = await loadWatched([{ confirm: true }]);
      const genuine = jsonCallback({ JobId: job.JobId, Tag: 'VideoTag', State: 'Success', Code: 'Success' });
      h.emulator.setFaults('describe:latency=300@1');
      try {
        const before = describes();
        const answers = await Promise.all([0, 1, 2].map(() => rawPost(callbackUrl(), genuine, { 'content-type': 'application/json' })));
        await until(() => msgs.length === 1, 5000, 'the delivery was emitted');
        await settle(500);
        assert.deepEqual(
          answers.map((a) => a.status),
          [200, 200, 200],
        );
        assert.deepEqual(
          msgs.map((m) => m.jobId),
          [job.JobId],
        );
        assert.equal(describes() - before, 1);
      } finally {
        h.emulator.setFaults('');
      }
    });

    describe('with the describe requests counted in flight', () => {
      let counter: DescribeCounter;
      before(async () => {
        counter = await describeCounter(h.emulator);
      });
      after(() => counter.close());

      it('confirms 120 genuine callbacks posted at once with at most 2 describes in flight, each of at most 100 ids', async () => {
        const jobs = await h.finishedJobs(120);
        const { msgs } = await loadWatched([{ confirm: true }], { endpoint: counter.url });
        counter.reset();
        h.emulator.setFaults('describe:latency=300@1');
        try {
          const answers = await Promise.all(
            jobs.map((job) =>
              rawPost(callbackUrl(), jsonCallback({ JobId: job.JobId, Tag: 'VideoTag', State: 'Success', Code: 'Success' }), {
                'content-type': 'application/json',
              }),
            ),
          );
          await until(() => msgs.length === 120, 20_000, 'all 120 jobs were emitted');
          assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
          assert.deepEqual(new Set(msgs.map((m) => m.jobId)), new Set(jobs.map((j) => j.JobId)));
          const batches = counter.batches();
          assert.ok(counter.maxInFlight() <= 2, `${counter.maxInFlight()} describes were in flight at once`);
          assert.ok(
            batches.every((ids) => ids.length <= 100),
            'no describe asked for more than 100 ids',
          );
          assert.ok(batches.length <= 10, `120 jobs took ${batches.length} describes`);
          assert.equal(new Set(batches.flat()).size, 120, 'every job was asked about');
        } finally {
          h.emulator.setFaults('');
        }
      });

      it('answers 503 once 1,000 confirmations are pending, and accepts the body when CI retries later', async () => {
        const { warns } = await loadWatched([{ confirm: true }], { endpoint: counter.url });
        // The first describes take 5 s: the 11 bodies all arrive while 1,000 jobs are pending.
        h.emulator.setFaults('describe:latency=5000@1');
        try {
          const answers: number[] = [];
          for (let body = 0; body < 11; body += 1) {
            answers.push((await rawPost(callbackUrl(), jsonCallback(...unknownJobs(100, 5000 + body * 100)), { 'content-type': 'application/json' })).status);
          }
          h.emulator.setFaults('');
          assert.deepEqual(answers, [...Array(10).fill(200), 503]);
          assert.ok(warns.includes('callback.warn.busy {"limit":1000}'));
          await until(() => warns.filter((w) => w.startsWith('callback.warn.notFound')).length === 1000, 30_000, 'the 1,000 pending were settled');
          const retried = await rawPost(callbackUrl(), jsonCallback(...unknownJobs(100, 6000)), { 'content-type': 'application/json' });
          assert.equal(retried.status, 200);
        } finally {
          h.emulator.setFaults('');
        }
      });
    });
  });
});
