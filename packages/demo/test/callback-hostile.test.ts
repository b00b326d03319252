/**
 * The job callback example in a real Node-RED process with its default layout (settings.js
 * sets neither httpAdminRoot nor httpNodeRoot, so the editor API and its body parsers sit
 * at `/` in front of the node routes), posted to the way an attacker or a broken proxy
 * would: every refusal is a plain-text status, Node-RED logs no stack trace, and a genuine
 * callback from the emulator still arrives afterwards.
 */
import { strict as assert } from 'node:assert';
import { CiClient } from '@node-red-tencent-ci/core';
import { callbackUrl, DEMO_CREDENTIALS, DEMO_OBJECTS } from '../src';
import { QUEUE_CALLBACK_PATH } from '../src/flows';
import { startE2E, type E2E } from './helpers/e2e';

const TAB = 'Receive job callbacks';

interface Answer {
  status: number;
  text: string;
  contentType: string;
}

describe('job callback example in a real Node-RED, default layout: hostile requests', function () {
  this.timeout(60_000);
  let e: E2E;
  let url: (token?: string) => string;

  before(async () => {
    e = await startE2E();
    const token = String((e.node(TAB, 'tencent-ci-callback-in').credentials as { token: string }).token);
    url = (t = token) => callbackUrl({ nodeRedUrl: e.demo.nodeRed.url, callbackToken: t }, QUEUE_CALLBACK_PATH);
  });
  after(() => e?.close());

  async function post(target: string, body: string, contentType: string): Promise<Answer> {
    const res = await fetch(target, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') ?? '' };
  }

  function assertPlain(answer: Answer, status: number, text: string): void {
    assert.deepEqual({ status: answer.status, text: answer.text }, { status, text });
    assert.match(answer.contentType, /^text\/plain/);
  }

  const deepJson = (levels: number) => `{"EventName":"TaskFinish","JobsDetail":${'['.repeat(levels)}${']'.repeat(levels)}}`;

  it('answers JSON nested 5,000 and 100,000 levels deep with a plain 400', async () => {
    assertPlain(await post(url(), deepJson(5_000), 'application/json'), 400, 'Bad Request');
    assertPlain(await post(url(), deepJson(100_000), 'application/json'), 400, 'Bad Request');
  });

  it('answers a form-encoded body with a plain 415', async () => {
    assertPlain(await post(url(), 'EventName=TaskFinish&JobsDetail[JobId]=jform', 'application/x-www-form-urlencoded'), 415, 'Unsupported Media Type');
  });

  it('answers a wrong token with a malformed body with a plain 401', async () => {
    assertPlain(await post(url('not-the-token-0123456789'), '{"EventName": "TaskFinish", "JobsDetail": [', 'application/json'), 401, 'Unauthorized');
  });

  it('answers a body naming 15,000 jobs with a plain 400, and emits none of them', async () => {
    const shownBefore = e.shownNow(e.node(TAB, 'debug', 'receive callbacks: succeeded').id).length;
    const body = JSON.stringify({ EventName: 'TaskFinish', JobsDetail: Array.from({ length: 15_000 }, (_, i) => ({ JobId: `j${i}`, State: 'Success' })) });
    assertPlain(await post(url(), body, 'application/json'), 400, 'Bad Request');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(e.shownNow(e.node(TAB, 'debug', 'receive callbacks: succeeded').id).length, shownBefore);
  });

  it('still emits a genuine callback the emulator posts afterwards', async () => {
    const debugId = e.node(TAB, 'debug', 'receive callbacks: succeeded').id;
    const seen = e.shownNow(debugId).length;
    const client = new CiClient({ ...DEMO_CREDENTIALS, bucket: e.demo.emulator.bucket, region: e.demo.emulator.region, endpoint: e.demo.emulator.url });
    let jobId: string;
    try {
      jobId = (await client.submit('MediaInfo', { Input: { Object: DEMO_OBJECTS.clean }, CallBack: url(), CallBackFormat: 'XML' })).JobsDetail.JobId;
    } finally {
      await client.close();
    }
    const shown = await e.shown(debugId, seen + 1, 30_000);
    assert.ok(
      shown.some((s) => s.value.JobId === jobId),
      `the callback of ${jobId} arrived`,
    );
  });

  it("left no stack trace in Node-RED's log", () => {
    const output = e.demo.nodeRed.output();
    assert.doesNotMatch(output, /^\s+at .+\(.+:\d+:\d+\)$/m);
    assert.doesNotMatch(output, /RangeError|URIError|SyntaxError|PayloadTooLargeError/);
  });
});
