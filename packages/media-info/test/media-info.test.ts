import { strict as assert } from 'node:assert';
import { CLIP, CLIP_SECONDS, JobNodeHarness, describeJobNode, helper } from '@node-red-tencent-ci/test-utils/src/nodes';

// eslint-disable-next-line @typescript-eslint/no-require-imports
describeJobNode(JobNodeHarness.forTag('MediaInfo', require('../dist/tencent-ci-media-info.js')), (harness) => {
  it("waits for the result and emits the clip's format and streams on output 1", async () => {
    const { port, msg } = await harness.run({ wait: 'result', timeout: 30 }, { payload: CLIP });
    assert.equal(port, 'ok');
    assert.equal(msg.payload.State, 'Success');
    assert.equal(msg.ci.state, 'Success');
    const info = msg.payload.Operation.MediaInfo;
    assert.ok(Math.abs(Number(info.Format.Duration) - CLIP_SECONDS) < 0.2, `Duration ${info.Format.Duration}`);
    assert.equal(info.Stream.Video.length, 1);
    assert.equal(info.Stream.Video[0].Width, '320');
    assert.equal(info.Stream.Video[0].Height, '240');
    assert.equal(info.Stream.Audio.length, 1);
  });

  it('sends JobLevel 2 from its settings', async () => {
    const operation = await harness.submitted({ JobLevel: '2' }, { payload: CLIP });
    assert.equal(operation.JobLevel, '2');
  });

  it('reports JobLevel 7 from msg.ciParams to Catch with the field and the allowed range, and submits nothing', async () => {
    const before = harness.submits();
    const { port, msg } = await harness.run({}, { payload: CLIP, ciParams: { JobLevel: 7 } });
    assert.equal(port, 'caught');
    assert.match(msg.error.message, /Operation\.JobLevel is 7; allowed: an integer in \[0, 2\]/);
    assert.equal(harness.submits(), before);
  });

  it('reports an http URL as input to Catch, since MediaInfo takes an object key', async () => {
    const before = harness.submits();
    const { port, msg } = await harness.run({}, { payload: 'https://example.com/clip.mp4' });
    assert.equal(port, 'caught');
    assert.match(msg.error.message, /common\.errors\.input\.url/);
    assert.equal(harness.submits(), before);
  });

  it('takes the object key from a leading-slash path', async () => {
    const { port, msg } = await harness.run({}, { payload: `/${CLIP}` });
    assert.equal(port, 'ok');
    assert.equal(msg.payload.Input.Object, CLIP);
  });

  it('answers at once in the instant mode: the same MediaInfo as the job, no JobId, and no job submitted', async () => {
    const job = await harness.run({ wait: 'result', timeout: 30 }, { payload: CLIP });
    await helper.unload();
    const before = harness.submits();
    const { port, msg } = await harness.run({ wait: 'instant' }, { payload: CLIP });
    assert.equal(port, 'ok');
    assert.equal(harness.submits(), before, 'no job was submitted');
    assert.equal(msg.payload.Tag, 'MediaInfo');
    assert.equal(msg.payload.State, 'Success');
    assert.equal(msg.payload.JobId, undefined);
    assert.equal(msg.jobId, undefined);
    assert.equal(msg.payload.Input.Object, CLIP);
    assert.deepEqual(msg.payload.Operation.MediaInfo, job.msg.payload.Operation.MediaInfo);
    assert.equal(msg.ci.instant, true);
    assert.equal(msg.ci.key, CLIP);
  });

  it('reports a missing object in the instant mode to Catch with NoSuchKey', async () => {
    const { port, msg } = await harness.run({ wait: 'instant' }, { payload: 'input/missing.mp4' });
    assert.equal(port, 'caught');
    assert.equal(msg.error.code, 'NoSuchKey');
  });

  it('refuses msg.ciParams in the instant mode, which takes no parameters, naming them', async () => {
    const { port, msg } = await harness.run({ wait: 'instant' }, { payload: CLIP, ciParams: { JobLevel: 2 } });
    assert.equal(port, 'caught');
    assert.match(msg.error.message, /instant MediaInfo: it takes no parameters, got JobLevel/);
  });
});
