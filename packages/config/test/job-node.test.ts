import { strict as assert } from 'node:assert';
import { CLIP, nextOutcome, recordStatus, submittedInput, waitFor } from '@node-red-tencent-ci/test-utils/src/nodes';
import { mediaInfoHarness } from './job-node-harness';

describe('the job node runtime (registerJobNode), on a MediaInfo node', () => {
  const harness = mediaInfoHarness().install();

  it('reads the input from another msg property', async () => {
    const { port, msg } = await harness.run({ input: 'file.key', inputType: 'msg' }, { payload: 'not/this.mp4', file: { key: CLIP } });
    assert.equal(port, 'ok');
    assert.equal(submittedInput(harness.emulator, msg.jobId).Object, CLIP);
  });

  it('reads the input from a fixed string', async () => {
    const { port, msg } = await harness.run({ input: CLIP, inputType: 'str' }, { payload: 'not/this.mp4' });
    assert.equal(port, 'ok');
    assert.equal(submittedInput(harness.emulator, msg.jobId).Object, CLIP);
  });

  it('reports an input property that is not set (msg.file.key with msg.file {}) to Catch as empty', async () => {
    const { port, msg } = await harness.run({ input: 'file.key', inputType: 'msg' }, { payload: CLIP, file: {} });
    assert.equal(port, 'caught');
    assert.match(msg.error.message, /common\.errors\.input\.empty/);
  });

  it('reports an input property whose parent is missing (msg.file.key, no msg.file) to Catch as empty', async () => {
    const { port, msg } = await harness.run({ input: 'file.key', inputType: 'msg' }, { payload: CLIP });
    assert.equal(port, 'caught');
    assert.match(msg.error.message, /common\.errors\.input\.empty/);
  });

  it('passes the original msg, with its other properties, to Catch', async () => {
    const { port, msg } = await harness.run({}, { payload: '', topic: 'kept', _custom: 7 });
    assert.equal(port, 'caught');
    assert.equal(msg.topic, 'kept');
    assert.equal(msg._custom, 7);
  });

  it('reports a field the job does not have in msg.ciParams to Catch', async () => {
    const before = harness.submits();
    const { port, msg } = await harness.run({}, { payload: CLIP, ciParams: { Snapshot: { Count: 1 } } });
    assert.equal(port, 'caught');
    assert.match(msg.error.message, /Operation\.Snapshot/);
    assert.equal(harness.submits(), before);
  });

  it('puts UserData and JobLevel of its settings into the job', async () => {
    const { port, msg } = await harness.run({ wait: 'result', timeout: 30, UserData: 'batch-7', JobLevel: '1' }, { payload: CLIP });
    assert.equal(port, 'ok');
    assert.equal(msg.payload.Operation.UserData, 'batch-7');
    assert.equal(msg.payload.Operation.JobLevel, '1');
  });

  it('shows "success" only once the last of two waiting messages has its result', async () => {
    const nodes = await harness.load({ wait: 'result', timeout: 30 });
    const shown = recordStatus(nodes.n1);
    const results: unknown[] = [];
    nodes.ok.on('input', (msg: unknown) => results.push(msg));
    const failure = nextOutcome({ ok: nodes.bad, bad: nodes.bad, caught: nodes.caught }, 15_000).then((o) => {
      throw new Error(`a message went to ${o.port}`);
    });
    nodes.n1.receive({ payload: CLIP });
    nodes.n1.receive({ payload: CLIP });
    await Promise.race([waitFor(() => results.length === 2, 15_000, 'two results'), failure]);
    await waitFor(() => shown.at(-1)?.text === 'common.status.success', 1_000, 'the success status');
    const successes = shown.filter((s) => s.text === 'common.status.success');
    assert.equal(successes.length, 1, JSON.stringify(shown));
    assert.deepEqual(shown.at(-2), { fill: 'blue', shape: 'ring', text: 'common.status.waiting' });
  });
});
