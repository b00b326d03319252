/**
 * One job package installed alone (with the unpublished workspace packages it depends on,
 * as tarballs): the config node it needs must reach the editor, also when the user
 * directory's package.json names only the job package, as after the palette manager's
 * `npm install @node-red-tencent-ci/snapshot`.
 */
import assert from 'node:assert/strict';
import { nodeTypeOf, packageOf } from '@node-red-tencent-ci/core';
import { nodeList, type NodeRedProcess } from '@node-red-tencent-ci/demo';
import { installTarballs, keepRecordedDependencies, recordedDependencies, tarballsFor, type Installation } from './helpers/installs';
import { editorHtml, loadProblems, startIn } from './helpers/node-red';
import { CONFIG_TYPE, SCOPE, workspace } from './helpers/workspace';

const PACKAGE = packageOf('Snapshot');
const TYPE = nodeTypeOf('Snapshot');

async function checkEditorHasBoth(nodeRed: NodeRedProcess): Promise<void> {
  const sets = await nodeList(nodeRed.url);
  const ours = sets.filter((s) => s.module.startsWith(SCOPE));
  assert.deepEqual(
    ours.filter((s) => s.err).map((s) => `${s.id}: ${s.err}`),
    [],
    'load errors',
  );
  assert.deepEqual(loadProblems(nodeRed.output()), [], 'Node-RED reported problems while loading');
  assert.deepEqual(ours.flatMap((s) => s.types).sort(), [CONFIG_TYPE, TYPE], 'node types in GET /nodes');
  const html = await editorHtml(nodeRed.url);
  assert.match(html, new RegExp(`data-template-name=["']${TYPE}["']`), `${TYPE}'s edit dialog is missing`);
  assert.match(
    html,
    new RegExp(`data-template-name=["']${CONFIG_TYPE}["']`),
    `${CONFIG_TYPE}'s dialog is missing: snapshot nodes could not be given a config node`,
  );
  assert.match(html, new RegExp(`registerType\\(\\s*["']${CONFIG_TYPE}["']`), `${CONFIG_TYPE}'s definition is missing`);
}

describe(`${PACKAGE} installed alone`, function () {
  let installation: Installation;

  before(async function () {
    installation = await installTarballs('snapshot-alone', await tarballsFor(PACKAGE));
  });

  describe('package.json naming every tarball (as `npm install <tarballs>` records them)', function () {
    let nodeRed: NodeRedProcess;
    before(async function () {
      assert.ok(recordedDependencies(installation.dir)[workspace().packageOfType(CONFIG_TYPE)!.name], 'npm did not record the config tarball');
      nodeRed = await startIn(installation);
    });
    after(async function () {
      await nodeRed?.stop(5_000);
    });

    it(`starts without load errors, registers ${TYPE} and ${CONFIG_TYPE}, and the editor gets both dialogs`, async function () {
      await checkEditorHasBoth(nodeRed);
    });
  });

  describe(`package.json naming only ${PACKAGE} (as the palette manager records it)`, function () {
    let nodeRed: NodeRedProcess;
    before(async function () {
      keepRecordedDependencies(installation.dir, [PACKAGE]);
      nodeRed = await startIn(installation);
    });
    after(async function () {
      await nodeRed?.stop(5_000);
    });

    it(`starts without load errors, registers ${TYPE} and ${CONFIG_TYPE}, and the editor gets both dialogs`, async function () {
      assert.deepEqual(Object.keys(recordedDependencies(installation.dir)), [PACKAGE]);
      await checkEditorHasBoth(nodeRed);
    });
  });
});
