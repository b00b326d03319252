/**
 * Every example flow, deployed in a real Node-RED process against the emulator, clicked
 * through its inject nodes; the assertions read what its debug nodes showed.
 */
import { strict as assert } from 'node:assert';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CiClient, JOB_TAGS, getDescriptor } from '@node-red-tencent-ci/core';
import { callbackUrl, DEMO_CREDENTIALS, DEMO_OBJECTS, DEMO_SCRIPT } from '../src';
import { startE2E, type E2E } from './helpers/e2e';

const TAGS = DEMO_SCRIPT.VideoTagResult.StreamData.Data.Tags;

describe('example flows in a real Node-RED (end to end)', function () {
  this.timeout(120_000);
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(() => e?.close());

  const debug = (tab: string, name: string) => e.node(tab, 'debug', name).id;
  const click = (tab: string, name: string) => e.click(e.node(tab, 'inject', name).id);
  const inBucket = (key: string) => join(e.demo.emulator.root, e.demo.emulator.bucket, key);

  describe('Video pipeline', () => {
    let cleanScore: number;

    it('clean clip: real media info, snapshots and a sprite sheet in the bucket folder, and a good quality score', async () => {
      await click('Video pipeline', 'input/demo.mp4');
      const [duration] = await e.shown(debug('Video pipeline', 'pipeline: duration'));
      assert.ok(Math.abs(Number(duration!.value) - 10) < 0.2, `MediaInfo duration ${duration!.value} is the clip's 10 s`);
      const [files] = await e.shown(debug('Video pipeline', 'pipeline: snapshot files'));
      const out = files!.value;
      assert.equal(out.ObjectName.length, 4, 'Count 4 snapshots');
      for (const name of out.ObjectName) {
        assert.ok(statSync(inBucket(`${out.ObjectPrefix}${name}`)).size > 1000, `${out.ObjectPrefix}${name} is in the bucket folder`);
      }
      const sprite = out.SpriteOutputFile;
      assert.ok(existsSync(inBucket(`${sprite.ObjectPrefix}${sprite.ObjectName[0]}`)), 'the sprite sheet is in the bucket folder');
      const [good] = await e.shown(debug('Video pipeline', 'pipeline: good quality'));
      cleanScore = Number(good!.value.Score);
      assert.ok(cleanScore >= 6, `score ${cleanScore} routed to "good quality"`);
      assert.deepEqual(e.shownNow(debug('Video pipeline', 'pipeline: poor quality')), []);
    });

    it('degraded clip: a lower score, routed to "poor quality" by the switch', async () => {
      await click('Video pipeline', 'input/degraded.mp4');
      const [poor] = await e.shown(debug('Video pipeline', 'pipeline: poor quality'));
      const score = Number(poor!.value.Score);
      assert.ok(score < 6 && score < cleanScore, `degraded score ${score} < clean ${cleanScore}`);
      const [duration] = await e.shown(debug('Video pipeline', 'pipeline: duration'), 2);
      assert.ok(duration, 'media info ran for it too');
      assert.deepEqual(e.shownNow(debug('Video pipeline', 'pipeline: failed or timed out')), []);
      assert.deepEqual(e.shownNow(debug('Video pipeline', 'pipeline: errors')), []);
    });
  });

  describe('one example per job type, with wait for result', () => {
    /** Clicks the inject node of a job type's example (tab "<tag> with wait for result"); resolves with what "<tag>: result" shows. */
    const result = async (tag: string) => {
      const tab = `${tag} with wait for result`;
      const seen = e.shownNow(debug(tab, `${tag}: result`)).length;
      await click(tab, 'input/demo.mp4');
      const shown = (await e.shown(debug(tab, `${tag}: result`), seen + 1))[seen];
      assert.equal(shown!.value.State, 'Success');
      assert.deepEqual(e.shownNow(debug(tab, `${tag}: errors`)), []);
      assert.deepEqual(e.shownNow(debug(tab, `${tag}: failed or timed out`)), []);
      return shown!.value.Operation;
    };

    it("MediaInfo: the clip's real format and streams", async () => {
      const op = await result('MediaInfo');
      assert.ok(Math.abs(Number(op.MediaInfo.Format.Duration) - 10) < 0.2);
      const video = op.MediaInfo.Stream.Video[0];
      assert.deepEqual([video.Width, video.Height, video.CodecName], ['640', '360', 'h264']);
      assert.equal(op.MediaInfo.Stream.Audio[0].CodecName, 'aac');
    });

    it('Snapshot: the listed snapshots and sprite exist in the bucket folder', async () => {
      const op = await result('Snapshot');
      const out = op.MediaResult.OutputFile;
      assert.ok(out.ObjectName.length >= 1);
      for (const name of out.ObjectName) assert.ok(existsSync(inBucket(`${out.ObjectPrefix}${name}`)), `${out.ObjectPrefix}${name}`);
    });

    it('QualityEstimate: a score for the clean clip', async () => {
      const op = await result('QualityEstimate');
      assert.ok(Number(op.QualityEstimate.Score) >= 6, `score ${op.QualityEstimate.Score}`);
    });

    it('VideoTag: the tags scripted for input/demo.mp4', async () => {
      const op = await result('VideoTag');
      assert.deepEqual(op.VideoTagResult.StreamData.Data.Tags, TAGS);
    });

    it('VideoTargetRec: the people, pets and cars scripted for input/demo.mp4', async () => {
      const op = await result('VideoTargetRec');
      assert.deepEqual(op.VideoTargetRecResult, DEMO_SCRIPT.VideoTargetRecResult);
    });

    // Every job type in the registry, including one added since these tests were written.
    for (const tag of JOB_TAGS) {
      it(`${tag}: its package's example ends on "${tag}: result" with the job's own result element`, async () => {
        const op = await result(tag);
        const { emulation } = getDescriptor(tag);
        // An emulated result with nothing in it is absent, as empty elements are (docs/api/results.md).
        if ('scripted' in emulation) {
          const { element, empty } = emulation.scripted;
          if (Object.keys(empty).length > 0 || element in DEMO_SCRIPT) assert.ok(element in op, `${element} in ${JSON.stringify(op)}`);
        } else
          assert.ok(
            Object.keys(op).some((k) => !(k in getDescriptor(tag).operation)),
            `a result element in ${JSON.stringify(op)}`,
          );
      });
    }
  });

  it('Submit, then wait: the job node emits the JobId at once, the wait node the tags', async () => {
    await click('Submit, then wait', 'input/demo.mp4');
    const [submitted] = await e.shown(debug('Submit, then wait', 'submit then wait: submitted'));
    assert.match(submitted!.value, /^j[0-9a-f]{32}$/);
    const [tags] = await e.shown(debug('Submit, then wait', 'submit then wait: tags'));
    assert.equal(tags!.jobId, submitted!.value);
    assert.deepEqual(tags!.value.Tags, TAGS);
  });

  it('Job callbacks: the callback settles the wait with no polling, and callback-in emits the job', async () => {
    const before = e.demo.emulator.stats();
    await click('Job callbacks', 'input/demo.mp4');
    const [result] = await e.shown(debug('Job callbacks', 'callbacks: result (job node)'));
    const [callback] = await e.shown(debug('Job callbacks', 'callbacks: callback success'));
    assert.equal(callback!.value.JobId, result!.jobId);
    assert.deepEqual(result!.value.StreamData.Data.Tags, TAGS);
    const after = e.demo.emulator.stats();
    assert.equal(after.requests.submit - before.requests.submit, 1);
    assert.equal(after.requests.describe - before.requests.describe, 0, 'no GET /jobs/<id>: the callback settled the wait');
    assert.ok(after.callbacks.delivered > before.callbacks.delivered);
  });

  describe('Receive job callbacks', () => {
    const tab = 'Receive job callbacks';
    const shown = () => e.shownNow(debug(tab, 'receive callbacks: succeeded')).map((s) => s.value.JobId as string);

    it('shows none of the jobs that name no callback URL: the other examples show their results on their own tabs only', async () => {
      const results = e.shownNow(debug('MediaInfo with wait for result', 'MediaInfo: result')).length;
      await click('MediaInfo with wait for result', 'input/demo.mp4');
      const job = (await e.shown(debug('MediaInfo with wait for result', 'MediaInfo: result'), results + 1))[results];
      await new Promise((r) => setTimeout(r, 1500)); // a callback would be delivered by now
      assert.ok(!shown().includes(job!.value.JobId), 'the MediaInfo job did not report to the Receive job callbacks tab');
    });

    it('shows the callback of a job whose Callback URL names its path', async () => {
      const node = e.node(tab, 'tencent-ci-callback-in');
      const token = (node.credentials as { token: string }).token;
      const url = callbackUrl({ nodeRedUrl: e.demo.nodeRed.url, callbackToken: token }, String(node.path));
      const client = new CiClient({ ...DEMO_CREDENTIALS, bucket: e.demo.emulator.bucket, region: e.demo.emulator.region, endpoint: e.demo.emulator.url });
      let jobId: string;
      try {
        jobId = (await client.submit('MediaInfo', { Input: { Object: DEMO_OBJECTS.clean }, CallBack: url })).JobsDetail.JobId;
      } finally {
        await client.close();
      }
      const seen = await e.shown(debug(tab, 'receive callbacks: succeeded'), 1, 30_000);
      assert.ok(
        seen.some((s) => s.value.JobId === jobId),
        `the callback of ${jobId} arrived`,
      );
    });
  });

  it("Wait for a job: the inject node holds the demo's sample JobId and the wait node emits that job", async () => {
    await click('Wait for a job', 'msg.jobId');
    const [shown] = await e.shown(debug('Wait for a job', 'wait: success'));
    assert.equal(shown!.value.Tag, 'MediaInfo');
    assert.equal(shown!.value.State, 'Success');
  });

  describe('Errors and Catch', () => {
    const tab = 'Errors and Catch';
    it('a missing object: CI refuses the job; Catch routes it by msg.error.code ResourceNotFound', async () => {
      await click(tab, 'input/missing.mp4');
      const [shown] = await e.shown(debug(tab, 'errors: object not found'));
      assert.match(shown!.value, /input\/missing\.mp4/);
    });
    it('Snapshot Count 0 from msg.ciParams: refused before sending, routed as InvalidArgument, naming the field and range', async () => {
      const before = e.demo.emulator.stats().requests.submit;
      await click(tab, 'Snapshot Count 0');
      const [shown] = await e.shown(debug(tab, 'errors: bad parameters'));
      assert.match(shown!.value, /Operation\.Snapshot\.Count is 0/);
      assert.equal(e.demo.emulator.stats().requests.submit, before, 'nothing was sent');
    });
    it('a good object goes through', async () => {
      await click(tab, 'input/demo.mp4');
      const [shown] = await e.shown(debug(tab, 'errors: succeeded'));
      assert.equal(shown!.value, 'Success');
      assert.deepEqual(e.shownNow(debug(tab, 'errors: other errors')), []);
    });
  });

  it('Cancel on timeout: the job times out on output 2, is cancelled, and the wait node shows State Cancel', async () => {
    const tab = 'Cancel on timeout';
    await click(tab, 'input/queued.mp4');
    const [timedOut] = await e.shown(debug(tab, 'cancel: timed out'), 1, 20_000);
    assert.equal(timedOut!.value.timedOut, true);
    const [state] = await e.shown(debug(tab, 'cancel: job state (Cancel)'), 1, 20_000);
    assert.equal(state!.value, 'Cancel');
    assert.equal(e.demo.emulator.job(timedOut!.jobId!)?.State, 'Cancel');
    assert.deepEqual(e.shownNow(debug(tab, 'cancel: tags')), []);
  });
});
