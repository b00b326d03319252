import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLIP, JobNodeHarness, describeJobNode } from '@node-red-tencent-ci/test-utils/src/nodes';

// One small shot: quick to make.
const ONE_SMALL_SHOT = {
  Snapshot_Mode: 'Interval',
  Snapshot_TimeInterval: '1',
  Snapshot_Count: '1',
  Snapshot_Width: '128',
  Output_Object: 'out/${jobid}-${number}.jpg',
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
describeJobNode(JobNodeHarness.forTag('Snapshot', require('../dist/tencent-ci-snapshot.js'), ONE_SMALL_SHOT), (harness) => {
  const inBucket = (key: string) => existsSync(join(harness.emulator.root, harness.emulator.bucket, key));

  it('waits for the result and emits the JobsDetail with the snapshot files on output 1', async () => {
    const { port, msg } = await harness.run(
      { wait: 'result', timeout: 30, Snapshot_Count: '2', Snapshot_Width: '160', Output_Object: 'out/node-${number}.jpg' },
      { payload: CLIP, topic: 'keep-me' },
    );
    assert.equal(port, 'ok');
    assert.equal(msg.topic, 'keep-me');
    assert.equal(msg.payload.State, 'Success');
    assert.equal(msg.ci.tag, 'Snapshot');
    assert.equal(msg.ci.state, 'Success');
    assert.match(msg.jobId, /^j[0-9a-f]{32}$/);
    const file = msg.payload.Operation.MediaResult.OutputFile;
    assert.equal(file.Bucket, harness.emulator.bucket);
    assert.equal(file.ObjectPrefix, 'out/node-');
    assert.deepEqual(file.ObjectName, ['0.jpg', '1.jpg']);
    assert.ok(inBucket('out/node-0.jpg'));
    assert.ok(inBucket('out/node-1.jpg'));
  });

  it('writes the shots and a sprite sheet with SnapshotOutMode SnapshotAndSprite', async () => {
    const { port, msg } = await harness.run(
      {
        wait: 'result',
        timeout: 30,
        Snapshot_Count: '2',
        Snapshot_SnapshotOutMode: 'SnapshotAndSprite',
        Snapshot_SpriteSnapshotConfig_Columns: '2',
        Snapshot_SpriteSnapshotConfig_Lines: '1',
        Snapshot_SpriteSnapshotConfig_Color: 'Black',
        Output_Object: 'sprite-test/shot-${number}.jpg',
        Output_SpriteObject: 'sprite-test/sheet-${number}.jpg',
      },
      { payload: CLIP },
    );
    assert.equal(port, 'ok');
    const file = msg.payload.Operation.MediaResult.OutputFile;
    assert.equal(file.ObjectName.length, 2);
    assert.equal(file.SpriteOutputFile.ObjectPrefix, 'sprite-test/sheet-');
    assert.deepEqual(file.SpriteOutputFile.ObjectName, ['0.jpg']);
    assert.equal(file.SpriteOutputFile.Bucket, harness.emulator.bucket);
    assert.ok(inBucket('sprite-test/sheet-0.jpg'));
    assert.ok(inBucket('sprite-test/shot-1.jpg'));
  });

  it("writes the results to the config node's bucket and region when Output names none", async () => {
    const output = (await harness.submitted({}, { payload: CLIP })).Output;
    assert.equal(output.Bucket, harness.emulator.bucket);
    assert.equal(output.Region, harness.emulator.region);
    assert.equal(output.Object, 'out/${jobid}-${number}.jpg');
  });

  it('lets msg.ciParams override Count and keeps the other Snapshot settings', async () => {
    const snapshot = (await harness.submitted({ Snapshot_Count: '2' }, { payload: CLIP, ciParams: { Snapshot: { Count: 1 } } })).Snapshot;
    assert.equal(snapshot.Count, '1');
    assert.equal(snapshot.Width, '128');
    assert.equal(snapshot.Mode, 'Interval');
  });

  it('keeps its own Count when overrides are blocked', async () => {
    const operation = await harness.submitted({ Snapshot_Count: '2', blockOverrides: true }, { payload: CLIP, ciParams: { Snapshot: { Count: 1 } } });
    assert.equal(operation.Snapshot.Count, '2');
  });

  it('reports an invalid Count to Catch with the field, the value and the allowed range', async () => {
    const before = harness.submits();
    const { port, msg } = await harness.run({ Snapshot_Count: '0' }, { payload: CLIP });
    assert.equal(port, 'caught');
    assert.match(msg.error.message, /Operation\.Snapshot\.Count is "0"; allowed: an integer in \(0, 10000\]/);
    assert.equal(harness.submits(), before, 'nothing was sent');
  });

  it('reports Width 100 from msg.ciParams to Catch with the allowed range', async () => {
    const before = harness.submits();
    const { port, msg } = await harness.run({}, { payload: CLIP, ciParams: { Snapshot: { Width: '100' } } });
    assert.equal(port, 'caught');
    assert.match(msg.error.message, /Operation\.Snapshot\.Width is "100"; allowed: an integer in \[128, 4096\]/);
    assert.equal(harness.submits(), before);
  });

  it('sends the TemplateId in template mode (the emulator answers that tNoSuchTemplate does not exist)', async () => {
    const { port, msg } = await harness.run({ paramsMode: 'template', TemplateId: 'tNoSuchTemplate' }, { payload: CLIP });
    assert.equal(port, 'caught');
    assert.match(msg.error.message, /InvalidArgument.*The Snapshot template tNoSuchTemplate does not exist/);
  });

  describe('instant mode (one frame at once, no job)', () => {
    const isJpeg = (b: Buffer) => b[0] === 0xff && b[1] === 0xd8;
    const isPng = (b: Buffer) => b.subarray(1, 4).toString() === 'PNG';

    it('sends the frame as a Buffer at once, with its time, size and format in msg.ci, and submits no job', async () => {
      const before = harness.submits();
      const { port, msg } = await harness.run({ wait: 'instant', instant_time: '1' }, { payload: CLIP, topic: 'keep-me' });
      assert.equal(port, 'ok');
      assert.equal(harness.submits(), before, 'no job was submitted');
      assert.ok(Buffer.isBuffer(msg.payload) && isJpeg(msg.payload), 'a JPEG Buffer');
      assert.equal(msg.topic, 'keep-me');
      assert.equal(msg.jobId, undefined);
      const { instant, key, time, width, height, format, contentType, bytes } = msg.ci;
      assert.deepEqual(
        { instant, key, time, width, height, format, contentType, bytes },
        {
          instant: true,
          key: CLIP,
          time: 1,
          width: 320,
          height: 240,
          format: 'jpg',
          contentType: 'image/jpeg',
          bytes: msg.payload.length,
        },
      );
    });

    it('takes its settings from msg.ciParams: a PNG 160 px wide, kept to the aspect ratio', async () => {
      const { port, msg } = await harness.run(
        { wait: 'instant', instant_time: '1', instant_format: 'jpg' },
        { payload: CLIP, ciParams: { time: 0.5, width: 160, format: 'png' } },
      );
      assert.equal(port, 'ok');
      assert.ok(isPng(msg.payload), 'a PNG');
      assert.deepEqual([msg.ci.width, msg.ci.height, msg.ci.format, msg.ci.time], [160, 120, 'png', 0.5]);
    });

    for (const [what, props, ciParams, pattern] of [
      ['width 5000', { instant_time: '1', instant_width: '5000' }, undefined, /width is "5000"; allowed: an integer in \[0, 4096\]/],
      ['a missing time', {}, undefined, /time is required/],
      ['an unknown parameter in msg.ciParams', { instant_time: '1' }, { Width: 320 }, /Width/],
      ['msg.ciParams that is no object', { instant_time: '1' }, 'time=1', /common\.errors\.ciParamsInstant/],
    ] as const) {
      it(`refuses ${what} before asking, naming it`, async () => {
        const { port, msg } = await harness.run({ wait: 'instant', ...props }, { payload: CLIP, ...(ciParams === undefined ? {} : { ciParams }) });
        assert.equal(port, 'caught');
        assert.match(msg.error.message, pattern);
      });
    }

    it('reports a URL input to Catch: the instant API takes an object key', async () => {
      const { port, msg } = await harness.run({ wait: 'instant', instant_time: '1' }, { payload: 'https://example.com/a.mp4' });
      assert.equal(port, 'caught');
      assert.match(msg.error.message, /common\.errors\.input\.url/);
    });
  });
});
