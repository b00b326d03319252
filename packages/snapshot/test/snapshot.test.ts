import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import helper from 'node-red-node-test-helper';
import { catchNode, configNode, nextMessage, putClip, startTestEmulator, type Emulator } from '@node-red-tencent-ci/test-utils';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const configModule = require('@node-red-tencent-ci/config/dist/tencent-ci-config.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const snapshotModule = require('../dist/tencent-ci-snapshot.js');

helper.init(require.resolve('node-red'));

describe('tencent-ci-snapshot node', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startTestEmulator();
    putClip(emulator, 'input/clip.mp4', 3);
  });
  after(async () => {
    await emulator.close();
  });
  beforeEach((done) => {
    helper.startServer(done);
  });
  afterEach(async () => {
    await helper.unload();
    await new Promise<void>((r) => helper.stopServer(() => r()));
  });

  function flow(props: Record<string, unknown>) {
    const cfg = configNode(emulator);
    return {
      nodes: [
        { id: 'tab', type: 'tab' },
        cfg.node,
        { id: 'n1', z: 'tab', type: 'tencent-ci-snapshot', config: 'cfg', input: 'payload', inputType: 'msg', wires: [['ok'], ['bad']], ...props },
        { id: 'ok', z: 'tab', type: 'helper' },
        { id: 'bad', z: 'tab', type: 'helper' },
        { id: 'c1', z: 'tab', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', z: 'tab', type: 'helper' },
      ],
      credentials: cfg.credentials,
    };
  }

  it('waits for the result and emits the JobsDetail with the snapshot files on output 1', async () => {
    const f = flow({ wait: 'result', timeout: 60, Snapshot_Mode: 'Interval', Snapshot_TimeInterval: '1', Snapshot_Count: '2', Snapshot_Width: '160', Output_Object: 'out/node-${number}.jpg' });
    await helper.load([configModule, snapshotModule], f.nodes, f.credentials);
    const received = nextMessage(helper.getNode('ok'));
    helper.getNode('n1').receive({ payload: 'input/clip.mp4', topic: 'keep-me' });
    const msg = await received;
    assert.equal(msg.topic, 'keep-me');
    assert.equal(msg.payload.State, 'Success');
    assert.equal(msg.ci.tag, 'Snapshot');
    assert.equal(msg.ci.state, 'Success');
    assert.match(msg.jobId, /^j[0-9a-f]{32}$/);
    const file = msg.payload.Operation.MediaResult.OutputFile;
    assert.equal(file.Bucket, emulator.bucket);
    assert.deepEqual(file.ObjectName, ['0.jpg', '1.jpg']);
    assert.equal(file.ObjectPrefix, 'out/node-');
    assert.ok(existsSync(join(emulator.root, emulator.bucket, 'out/node-0.jpg')));
  });

  it('reports an invalid Count to Catch with the field, the value and the allowed range', async () => {
    const before = emulator.stats().requests.submit;
    const f = flow({ Snapshot_Count: '0' });
    await helper.load([configModule, snapshotModule, catchNode], f.nodes, f.credentials);
    const caught = nextMessage(helper.getNode('caught'));
    helper.getNode('n1').receive({ payload: 'input/clip.mp4' });
    const msg = await caught;
    assert.match(msg.error.message, /Operation\.Snapshot\.Count is "0"; allowed: an integer in \(0, 10000\]/);
    assert.equal(emulator.stats().requests.submit, before, 'nothing was sent');
  });
});
