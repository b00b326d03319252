import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import helper from 'node-red-node-test-helper';
import { catchNode, configNode, nextMessage, SECRET_KEY, startTestEmulator, type Emulator } from '@node-red-tencent-ci/test-utils';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const configModule = require('@node-red-tencent-ci/config/dist/tencent-ci-config.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const listModule = require('../dist/tencent-ci-list-objects.js');

helper.init(require.resolve('node-red'));

type NodeMessage = Record<string, any>;

const KEYS = ['a.jpg', 'input/a.mp4', 'input/b.MOV', 'input/c.txt', 'input/sub/d.mp4', 'input/腾讯 视频+1.mp4', 'out/x.mp4'];

describe('tencent-ci-list-objects node', function () {
  let emulator: Emulator;

  function put(key: string): void {
    const file = join(emulator.root, emulator.bucket, key);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `content of ${key}`);
  }

  before(async () => {
    emulator = await startTestEmulator();
    for (const key of KEYS) put(key);
    for (let i = 0; i < 25; i += 1) put(`many/${String(i).padStart(3, '0')}.mp4`);
  });
  after(async () => {
    await emulator?.close();
  });
  afterEach(async () => {
    await helper.unload();
  });

  async function load(props: Record<string, unknown> = {}, credentials?: Record<string, string>): Promise<void> {
    const cfg = configNode(emulator, 'cfg');
    const nodes = [
      { id: 'tab', type: 'tab' },
      cfg.node,
      {
        id: 'n1',
        z: 'tab',
        type: 'tencent-ci-list-objects',
        config: 'cfg',
        prefix: '',
        prefixType: 'str',
        delimiter: '',
        suffixes: '',
        limit: 1000,
        links: false,
        linkValidity: 3600,
        wires: [['out']],
        ...props,
      },
      { id: 'out', z: 'tab', type: 'helper' },
      { id: 'c1', z: 'tab', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', z: 'tab', type: 'helper' },
    ];
    await helper.load([configModule, listModule, catchNode], nodes, credentials ? { cfg: credentials } : cfg.credentials);
  }

  async function run(msg: NodeMessage = {}): Promise<NodeMessage> {
    const out = nextMessage(helper.getNode('out'), 10_000);
    helper.getNode('n1').receive(msg);
    return out;
  }

  async function caught(msg: NodeMessage = {}): Promise<NodeMessage> {
    const got = nextMessage(helper.getNode('caught'), 10_000);
    helper.getNode('n1').receive(msg);
    return got;
  }

  const keys = (msg: NodeMessage) => (msg.payload as Array<{ key: string }>).map((o) => o.key);

  it('lists the bucket with size, time and ETag, and says where', async () => {
    await load();
    const msg = await run({ topic: 't' });
    assert.equal(msg.topic, 't');
    assert.equal(keys(msg).length, KEYS.length + 25);
    const first = msg.payload[0];
    assert.deepEqual(Object.keys(first).sort(), ['etag', 'key', 'lastModified', 'size']);
    assert.equal(first.key, 'a.jpg');
    assert.equal(first.size, Buffer.byteLength('content of a.jpg'));
    assert.deepEqual(msg.ci, { bucket: emulator.bucket, region: emulator.region, prefix: '', truncated: false });
    assert.equal(msg.prefixes, undefined);
  });

  it('takes the prefix from the node, and msg.prefix / msg.delimiter over it', async () => {
    await load({ prefix: 'input/' });
    assert.deepEqual(keys(await run()), ['input/a.mp4', 'input/b.MOV', 'input/c.txt', 'input/sub/d.mp4', 'input/腾讯 视频+1.mp4']);
    const over = await run({ prefix: 'out/' });
    assert.deepEqual(keys(over), ['out/x.mp4']);
    assert.equal(over.ci.prefix, 'out/');
    const folders = await run({ delimiter: '/' });
    assert.deepEqual(keys(folders), ['input/a.mp4', 'input/b.MOV', 'input/c.txt', 'input/腾讯 视频+1.mp4']);
    assert.deepEqual(folders.prefixes, ['input/sub/']);
  });

  it('reads the prefix from a msg property when the node says so', async () => {
    await load({ prefix: 'folder', prefixType: 'msg' });
    assert.deepEqual(keys(await run({ folder: 'out/' })), ['out/x.mp4']);
  });

  it('keeps only the file endings given, in any case', async () => {
    await load({ prefix: 'input/', suffixes: '.mp4, .mov' });
    assert.deepEqual(keys(await run()), ['input/a.mp4', 'input/b.MOV', 'input/sub/d.mp4', 'input/腾讯 视频+1.mp4']);
  });

  it('pages up to the limit and says when it stopped there', async () => {
    await load({ prefix: 'many/', pageSize: 4, limit: 10 });
    const limited = await run();
    assert.deepEqual(
      keys(limited),
      Array.from({ length: 10 }, (_, i) => `many/${String(i).padStart(3, '0')}.mp4`),
    );
    assert.equal(limited.ci.truncated, true);
    const all = await run({ prefix: 'many/', suffixes: '' });
    assert.equal(all.payload.length, 10);
    await helper.unload();
    await load({ prefix: 'many/', pageSize: 3, limit: 100, suffixes: '.mp4' });
    const everything = await run();
    assert.equal(everything.payload.length, 25);
    assert.equal(new Set(keys(everything)).size, 25);
    assert.equal(everything.ci.truncated, false);
  });

  it('adds pre-signed links that fetch the bytes', async () => {
    await load({ prefix: 'input/', suffixes: '.mp4', links: true, linkValidity: 60 });
    const msg = await run();
    for (const object of msg.payload) {
      const res = await fetch(object.url);
      assert.equal(res.status, 200, object.key);
      assert.equal(await res.text(), `content of ${object.key}`);
    }
    assert.ok(!JSON.stringify(msg).includes(SECRET_KEY));
  });

  // The test helper loads no catalogs: messages are their keys (the texts are in locales/).
  it('refuses bad settings and bad msg values with clear errors', async () => {
    for (const limit of [0, 100001, 2.5, 'ten']) {
      await load({ limit });
      const bad = await caught();
      assert.equal(bad.error.code, 'InvalidArgument');
      assert.equal(bad.error.message, 'listObjects.errors.limit', String(limit));
      await helper.unload();
    }
    await load();
    for (const msg of [{ prefix: 42 }, { delimiter: { a: 1 } }]) {
      const bad = await caught(msg);
      assert.equal(bad.error.code, 'InvalidArgument');
      assert.equal(bad.error.message, 'listObjects.errors.text');
    }
    await helper.unload();
    await load({ config: '' });
    assert.equal((await caught()).error.code, 'MissingConfig');
  });

  it('ends with the COS code on a wrong secret, and no secret in the error', async () => {
    await load({}, { secretId: 'AKIDnodetest', secretKey: 'wrong-secret-key-0123456789' });
    const node = helper.getNode('n1');
    const statuses: Array<{ text?: string }> = [];
    node.on('call:status', (call: { args: Array<{ text?: string }> }) => statuses.push(call.args[0]!));
    const msg = await caught({ topic: 'x' });
    assert.equal(msg.topic, 'x');
    assert.equal(msg.error.code, 'SignatureDoesNotMatch');
    assert.match(msg.error.message, /SignatureDoesNotMatch/);
    const text = JSON.stringify(msg.error);
    assert.ok(!text.includes('wrong-secret-key') && !text.includes(SECRET_KEY));
    assert.deepEqual(statuses.at(-1), { fill: 'red', shape: 'ring', text: 'common.status.error' }, 'the status names the code ("error: SignatureDoes…")');
  });
});
