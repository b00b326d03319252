import { strict as assert } from 'node:assert';
import { CLIP, JobNodeHarness, describeJobNode, submittedOperation } from '@node-red-tencent-ci/test-utils/src/nodes';

// eslint-disable-next-line @typescript-eslint/no-require-imports
describeJobNode(JobNodeHarness.forTag('QualityEstimate', require('../dist/tencent-ci-quality-estimate.js')), (harness) => {
  it('waits for the result and emits a Score between 0 and 10 on output 1', async () => {
    const { port, msg } = await harness.run({ wait: 'result', timeout: 30 }, { payload: CLIP });
    assert.equal(port, 'ok');
    assert.equal(msg.payload.State, 'Success');
    const score = msg.payload.Operation.QualityEstimate.Score;
    assert.equal(typeof score, 'string');
    assert.ok(Number(score) >= 0 && Number(score) <= 10, `Score ${score}`);
    assert.equal(msg.payload.Operation.MediaInfo.Stream.Video[0].Width, '320');
  });

  it('reports the findings in vqaPlus mode: the clip has audio, so NoAudio is "false"', async () => {
    const { port, msg } = await harness.run({ wait: 'result', timeout: 30, QualityEstimateConfig_Mode: 'vqaPlus' }, { payload: CLIP });
    assert.equal(port, 'ok');
    assert.equal(submittedOperation(harness.emulator, msg.jobId).QualityEstimateConfig.Mode, 'vqaPlus');
    const vqa = msg.payload.Operation.QualityEstimate.VqaPlusResult;
    assert.equal(vqa.NoAudio, 'false');
    assert.equal(vqa.NoVideo, 'false');
  });

  it('reports Rotate 45 from msg.ciParams to Catch with the allowed angles, and submits nothing', async () => {
    const before = harness.submits();
    const { port, msg } = await harness.run({}, { payload: CLIP, ciParams: { QualityEstimateConfig: { Rotate: 45 } } });
    assert.equal(port, 'caught');
    assert.match(msg.error.message, /Operation\.QualityEstimateConfig\.Rotate is 45; allowed: one of 0, 90, 180, 270/);
    assert.equal(harness.submits(), before);
  });

  it("lets msg.ciParams set Rotate 90 beside the node's Mode", async () => {
    const operation = await harness.submitted(
      { QualityEstimateConfig_Mode: 'general' },
      { payload: CLIP, ciParams: { QualityEstimateConfig: { Rotate: '90' } } },
    );
    assert.deepEqual(operation.QualityEstimateConfig, { Rotate: '90', Mode: 'general' });
  });
});
