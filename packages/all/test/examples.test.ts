import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import helper from 'node-red-node-test-helper';

const PACKAGES = ['config', 'media-info', 'snapshot', 'quality-estimate', 'video-tag', 'video-target-rec', 'wait', 'callback-in'];
const packagesDir = join(__dirname, '..', '..');
/* eslint-disable @typescript-eslint/no-require-imports */
const modules = PACKAGES.map((p) => {
  const pkg = require(join(packagesDir, p, 'package.json'));
  return Object.values(pkg['node-red'].nodes as Record<string, string>).map((file) => require(join(packagesDir, p, file)));
}).flat();
const core = ['20-inject', '21-debug', '90-comment', '25-catch'].map((n) => require(`@node-red/nodes/core/common/${n}.js`));
core.push(require('@node-red/nodes/core/function/10-switch.js'));
/* eslint-enable @typescript-eslint/no-require-imports */

helper.init(require.resolve('node-red'));

function examples(dir: string): Array<{ name: string; flow: any[] }> {
  return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => ({ name: f, flow: JSON.parse(readFileSync(join(dir, f), 'utf8')) }));
}

const sets = [
  { owner: 'the repository (shipped by @node-red-tencent-ci/all)', dir: join(packagesDir, '..', 'examples') },
  ...PACKAGES.filter((p) => p !== 'config').map((p) => ({ owner: `@node-red-tencent-ci/${p}`, dir: join(packagesDir, p, 'examples') })),
];

describe('example flows', () => {
  afterEach(() => helper.unload());

  for (const { owner, dir } of sets) {
    for (const { name, flow } of examples(dir)) {
      it(`${owner}: "${name}" deploys with every node started and no credentials in the file`, async () => {
        assert.ok(Array.isArray(flow) && flow.length > 0);
        assert.ok(flow.some((n) => n.type === 'comment'), 'starts with comment nodes that explain it');
        for (const n of flow) assert.equal(n.credentials, undefined, `${n.id} carries no credentials`);
        await helper.load([...modules, ...core], flow);
        for (const n of flow.filter((x) => x.type !== 'tab')) {
          assert.ok(helper.getNode(n.id), `${n.type} ${n.id} (${n.name ?? ''}) started`);
        }
      });
    }
  }

  it('every non-config node type appears in at least one example', () => {
    const used = new Set(sets.flatMap(({ dir }) => examples(dir).flatMap(({ flow }) => flow.map((n) => n.type))));
    for (const type of ['tencent-ci-media-info', 'tencent-ci-snapshot', 'tencent-ci-quality-estimate', 'tencent-ci-video-tag', 'tencent-ci-video-target-rec', 'tencent-ci-wait', 'tencent-ci-callback-in']) {
      assert.ok(used.has(type), `${type} is in an example`);
    }
  });
});
