import { strict as assert } from 'node:assert';
import { putClip, putScript } from '@node-red-tencent-ci/test-utils';
import { CLIP, CLIP_SECONDS, JobNodeHarness, describeJobNode, nextOutcome, recordStatus, waitFor } from '@node-red-tencent-ci/test-utils/src/nodes';

const TAGS = [
  { Tag: 'cat', TagCls: 'animal', Confidence: '93.5' },
  { Tag: 'sofa', TagCls: 'furniture', Confidence: '71.25' },
];

// eslint-disable-next-line @typescript-eslint/no-require-imports
describeJobNode(JobNodeHarness.forTag('VideoTag', require('../dist/tencent-ci-video-tag.js')), (harness) => {
  it('waits for the result and emits the scripted Tags on output 1', async () => {
    putClip(harness.emulator, 'tagged/cat.mp4', CLIP_SECONDS);
    putScript(harness.emulator, 'tagged/cat.mp4', { StreamData: { SubErrCode: '0', SubErrMsg: 'ok', Data: { Tags: TAGS } } });
    const { port, msg } = await harness.run({ wait: 'result', timeout: 30 }, { payload: 'tagged/cat.mp4' });
    assert.equal(port, 'ok');
    assert.equal(msg.payload.State, 'Success');
    assert.deepEqual(msg.payload.Operation.VideoTagResult.StreamData.Data.Tags, TAGS);
  });

  it('emits a single scripted tag as a one-element Tags array', async () => {
    putClip(harness.emulator, 'tagged/one.mp4', CLIP_SECONDS);
    putScript(harness.emulator, 'tagged/one.mp4', { StreamData: { SubErrCode: '0', SubErrMsg: 'ok', Data: { Tags: [TAGS[0]] } } });
    const { port, msg } = await harness.run({ wait: 'result', timeout: 30 }, { payload: 'tagged/one.mp4' });
    assert.equal(port, 'ok');
    assert.deepEqual(msg.payload.Operation.VideoTagResult.StreamData.Data.Tags, [TAGS[0]]);
  });

  it('sends a job that fails to output 2 with State Failed and the service\'s Code, and shows "failed" in red', async () => {
    putClip(harness.emulator, 'tagged/fails.mp4', CLIP_SECONDS);
    putScript(harness.emulator, 'tagged/fails.mp4', { State: 'Failed', Code: 'InternalError', Message: 'scripted failure' });
    const nodes = await harness.load({ wait: 'result', timeout: 30 });
    const shown = recordStatus(nodes.n1);
    const outcome = nextOutcome(nodes);
    nodes.n1.receive({ payload: 'tagged/fails.mp4' });
    const { port, msg } = await outcome;
    assert.equal(port, 'bad');
    assert.equal(msg.payload.State, 'Failed');
    assert.equal(msg.payload.Code, 'InternalError');
    assert.equal(msg.ci.state, 'Failed');
    await waitFor(() => shown.length >= 3, 1_000, 'three statuses');
    assert.deepEqual(shown.at(-1), { fill: 'red', shape: 'ring', text: 'common.status.failed' });
  });

  it('sends the ShortVideo scenario and its Text from the node settings', async () => {
    const operation = await harness.submitted({ VideoTag_Scenario: 'ShortVideo', VideoTag_Text: 'a cat on a sofa' }, { payload: CLIP });
    assert.deepEqual(operation.VideoTag, { Scenario: 'ShortVideo', Text: 'a cat on a sofa' });
  });

  it('reports Scenario "Movie" from msg.ciParams to Catch with the allowed values, and submits nothing', async () => {
    const before = harness.submits();
    const { port, msg } = await harness.run({}, { payload: CLIP, ciParams: { VideoTag: { Scenario: 'Movie' } } });
    assert.equal(port, 'caught');
    assert.match(msg.error.message, /Operation\.VideoTag\.Scenario is "Movie"; allowed: one of Stream, ShortVideo/);
    assert.equal(harness.submits(), before);
  });

  it('reports a blank Scenario to Catch naming Operation.VideoTag.Scenario and its values', async () => {
    const before = harness.submits();
    const { port, msg } = await harness.run({ VideoTag_Scenario: '' }, { payload: CLIP });
    assert.equal(port, 'caught');
    assert.match(msg.error.message, /Invalid VideoTag job: Operation\.VideoTag\.Scenario is required: one of Stream, ShortVideo/);
    assert.equal(harness.submits(), before);
  });

  it('reports a blank Scenario beside other settings to Catch naming Operation.VideoTag.Scenario', async () => {
    const before = harness.submits();
    const { port, msg } = await harness.run({ VideoTag_Scenario: '', UserData: 'x' }, { payload: CLIP });
    assert.equal(port, 'caught');
    assert.match(msg.error.message, /Operation\.VideoTag\.Scenario is required: one of Stream, ShortVideo/);
    assert.equal(harness.submits(), before);
  });
});
