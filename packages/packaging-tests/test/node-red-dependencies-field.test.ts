/**
 * Re-checks the reason packages/config/README.md gives for leaving `node-red.dependencies`
 * out of the node packages ("Why no node-red.dependencies"): Node-RED 4 keeps a module named
 * in another module's `node-red.dependencies` out of the editor unless the user installed it
 * by name (@node-red/registry getNodeList / getAllNodeConfigs skip modules with `usedBy` and
 * no `user`), so after `npm install @node-red-tencent-ci/snapshot` the config node's dialog
 * would be missing. The snapshot tarball is repacked with the field added and installed the
 * way the palette manager leaves a user directory (package.json naming only snapshot).
 * The same install without the field keeps the dialog (install-one-package.test.ts).
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeTypeOf, packageOf } from '@node-red-tencent-ci/core';
import { deployFlows, nodeList, type NodeRedProcess } from '@node-red-tencent-ci/demo';
import { installTarballs, recordedDependencies, setRecordedDependencies, tarballsFor, type Installation } from './helpers/installs';
import { editorHtml, startIn } from './helpers/node-red';
import { npm } from './helpers/npm';
import { scratchDir } from './helpers/scratch';
import { tarballOf } from './helpers/tarballs';
import { CONFIG_TYPE, type Manifest, workspace } from './helpers/workspace';

const PACKAGE = packageOf('Snapshot');
const CONFIG_PACKAGE = workspace().packageOfType(CONFIG_TYPE)!.name;

/** The snapshot tarball, extracted, with `node-red.dependencies: [config]` added, packed again. */
async function repackWithNodeRedDependencies(): Promise<string> {
  const original = await tarballOf(PACKAGE);
  const dir = join(scratchDir('repacked'), 'package');
  cpSync(original.dir, dir, { recursive: true });
  const file = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  manifest['node-red'] = { ...manifest['node-red'], dependencies: [CONFIG_PACKAGE] };
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  const { stdout } = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', join(dir, '..')], dir);
  return join(dir, '..', (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename);
}

async function editorSees(nodeRed: NodeRedProcess): Promise<{ inNodeList: boolean; inHtml: boolean }> {
  const sets = await nodeList(nodeRed.url);
  const html = await editorHtml(nodeRed.url);
  return {
    inNodeList: sets.some((s) => s.types.includes(CONFIG_TYPE)),
    inHtml: new RegExp(`data-template-name=["']${CONFIG_TYPE}["']`).test(html),
  };
}

describe('node-red.dependencies, re-checked: a snapshot package declaring it, installed as the palette manager does', function () {
  let installation: Installation;
  let allRecorded: Record<string, string>;
  let nodeRed: NodeRedProcess;

  before(async function () {
    const repacked = await repackWithNodeRedDependencies();
    const original = (await tarballOf(PACKAGE)).file;
    const others = (await tarballsFor(PACKAGE)).filter((f) => f !== original);
    installation = await installTarballs('snapshot-with-node-red-dependencies', [repacked, ...others]);
    allRecorded = recordedDependencies(installation.dir);
    setRecordedDependencies(installation.dir, { [PACKAGE]: allRecorded[PACKAGE]! });
    nodeRed = await startIn(installation);
  });

  after(async function () {
    await nodeRed?.stop(5_000);
  });

  it('the installed snapshot package declares node-red.dependencies', function () {
    const installed = JSON.parse(readFileSync(join(installation.dir, 'node_modules', ...PACKAGE.split('/'), 'package.json'), 'utf8')) as Manifest;
    assert.deepEqual(installed['node-red']?.dependencies, [CONFIG_PACKAGE]);
  });

  it('the runtime still loads tencent-ci-config: a flow with a config node and a snapshot node starts', async function () {
    const before = nodeRed.output().length;
    await deployFlows(nodeRed.url, [
      { id: 'ptab', type: 'tab', label: 'packaging' },
      { id: 'pcfg', type: CONFIG_TYPE, name: 'c', bucket: 'examplebucket-1250000000', region: 'ap-guangzhou' },
      { id: 'psnap', type: nodeTypeOf('Snapshot'), z: 'ptab', config: 'pcfg', x: 100, y: 100, wires: [] },
    ]);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !/Started flows|Waiting for missing types/.test(nodeRed.output().slice(before)))
      await new Promise((r) => setTimeout(r, 50));
    const after = nodeRed.output().slice(before);
    assert.doesNotMatch(after, /Waiting for missing types/);
    assert.match(after, /Started flows/);
  });

  it("Node-RED 4 does NOT send tencent-ci-config to the editor (the README's reason for omitting the field holds)", async function () {
    const seen = await editorSees(nodeRed);
    assert.deepEqual(
      seen,
      { inNodeList: false, inHtml: false },
      'Node-RED now sends a module named in node-red.dependencies to the editor although the user did not install it by name: ' +
        'the reason packages/config/README.md gives for leaving node-red.dependencies out no longer holds, so the node packages could declare it.',
    );
  });

  it("naming the config package in the user directory's package.json brings its dialog back", async function () {
    await nodeRed.stop(5_000);
    setRecordedDependencies(installation.dir, { [PACKAGE]: allRecorded[PACKAGE]!, [CONFIG_PACKAGE]: allRecorded[CONFIG_PACKAGE]! });
    nodeRed = await startIn(installation);
    assert.deepEqual(await editorSees(nodeRed), { inNodeList: true, inHtml: true });
  });
});
