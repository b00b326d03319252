import { strict as assert } from 'node:assert';
import { putClip, putScript } from '@node-red-tencent-ci/test-utils';
import { CLIP, CLIP_SECONDS, JobNodeHarness, describeJobNode, submittedInput } from '@node-red-tencent-ci/test-utils/src/nodes';

const BODIES = [
  {
    Time: '1.000000',
    Url: 'https://example.com/frame-1.jpg',
    BodyInfo: [{ Name: 'person', Score: '88', Location: { X: '10', Y: '20', Width: '30', Height: '40' } }],
  },
];

// eslint-disable-next-line @typescript-eslint/no-require-imports
describeJobNode(JobNodeHarness.forTag('VideoTargetRec', require('../dist/tencent-ci-video-target-rec.js')), (harness) => {
  it('waits for the result and emits the scripted BodyRecognition on output 1', async () => {
    putClip(harness.emulator, 'people/walk.mp4', CLIP_SECONDS);
    putScript(harness.emulator, 'people/walk.mp4', { VideoTargetRecResult: { BodyRecognition: BODIES } });
    const { port, msg } = await harness.run({ wait: 'result', timeout: 30 }, { payload: 'people/walk.mp4' });
    assert.equal(port, 'ok');
    assert.equal(msg.payload.State, 'Success');
    assert.match(msg.jobId, /^a[0-9a-f]{32}$/);
    assert.deepEqual(msg.payload.Operation.VideoTargetRecResult.BodyRecognition, BODIES);
  });

  it('sends an http URL as input in Input.Url', async () => {
    const url = 'http://127.0.0.1:9/media/walk.mp4';
    const { port, msg } = await harness.run({ wait: 'none' }, { payload: url });
    assert.equal(port, 'ok');
    assert.deepEqual(submittedInput(harness.emulator, msg.jobId), { Url: url });
  });

  it('sends a URL job, which the emulator fails with ResourceNotSupported, to output 2 with State Failed', async () => {
    const url = 'http://127.0.0.1:9/media/walk.mp4';
    const { port, msg } = await harness.run({ wait: 'result', timeout: 30 }, { payload: url });
    assert.equal(port, 'bad');
    assert.equal(msg.payload.State, 'Failed');
    assert.equal(msg.payload.Code, 'ResourceNotSupported');
    assert.equal(msg.ci.state, 'Failed');
  });

  it('takes { Url } as input', async () => {
    const url = 'https://example.com/walk.mp4';
    const { port, msg } = await harness.run({ wait: 'none' }, { payload: { Url: url } });
    assert.equal(port, 'ok');
    assert.deepEqual(submittedInput(harness.emulator, msg.jobId), { Url: url });
  });

  it('sends only the targets switched on, as "true"', async () => {
    const { VideoTargetRec: params } = await harness.submitted(
      { VideoTargetRec_Body: 'false', VideoTargetRec_Car: 'true', VideoTargetRec_Face: 'true' },
      { payload: CLIP },
    );
    assert.equal(params.Car, 'true');
    assert.equal(params.Face, 'true');
    assert.equal(params.Body, 'false');
  });

  it('reports every target switched off to Catch, naming the five flags, and submits nothing', async () => {
    const before = harness.submits();
    const { port, msg } = await harness.run({ VideoTargetRec_Body: 'false' }, { payload: CLIP });
    assert.equal(port, 'caught');
    assert.match(msg.error.message, /Operation\.VideoTargetRec is .*; allowed: at least one of Body, Pet, Car, Face, Plate set to true/);
    assert.equal(harness.submits(), before);
  });

  it('reports all flags set to false from msg.ciParams to Catch', async () => {
    const before = harness.submits();
    const flags = { Body: 'false', Pet: 'false', Car: 'false', Face: 'false', Plate: 'false' };
    const { port, msg } = await harness.run({}, { payload: CLIP, ciParams: { VideoTargetRec: flags } });
    assert.equal(port, 'caught');
    assert.match(msg.error.message, /allowed: at least one of Body, Pet, Car, Face, Plate set to true/);
    assert.equal(harness.submits(), before);
  });

  it("writes the mosaicked video to the config node's bucket and region when only Output.Object is set", async () => {
    const operation = await harness.submitted(
      { VideoTargetRec_Face: 'true', VideoTargetRec_ProcessType: 'Mosaic', Output_Object: 'mosaic/${jobid}.mp4' },
      { payload: CLIP },
    );
    assert.deepEqual(operation.Output, {
      Region: harness.emulator.region,
      Bucket: harness.emulator.bucket,
      Object: 'mosaic/${jobid}.mp4',
    });
  });

  it('sends no Output when none of its fields is set', async () => {
    const operation = await harness.submitted({}, { payload: CLIP });
    assert.equal(operation.Output, undefined);
  });
});
