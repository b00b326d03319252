/**
 * Import ▸ Examples lists the packages' example flows; one imports (as a copy, since the demo
 * already deployed it), deploys with the Deploy button, and the admin API then has it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployFlows, getFlows, type FlowNode } from '@node-red-tencent-ci/demo';
import { EXAMPLE_PACKAGE_NAMES, REPO_ROOT, WORKSPACE, editorEnv, openEditor, type EditorPage } from './helpers/editor';

const EXAMPLE_MODULE = '@node-red-tencent-ci/snapshot';
const EXAMPLE_NAME = 'Snapshot with wait for result';

describe('import an example flow', () => {
  let editor: EditorPage | undefined;
  let original: FlowNode[] | undefined;

  after(async () => {
    await editor?.close();
    // Put the demo's flows back for the other test files (credentials stay: same node ids).
    if (original) await deployFlows(editorEnv().url, original);
  });

  it('imports from Import ▸ Examples and deploys with the Deploy button', async () => {
    const { url } = editorEnv();
    const example = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', 'snapshot', 'examples', `${EXAMPLE_NAME}.json`), 'utf8')) as FlowNode[];
    const before = await getFlows(url);
    original = before.flows;
    const beforeIds = new Set(before.flows.map((n) => n.id));

    editor = await openEditor();
    const { page } = editor;
    await page.locator('#red-ui-header-button-sidemenu').click();
    await page.locator('#menu-item-import').click();
    const dialog = page.locator('#red-ui-clipboard-dialog');
    await dialog.waitFor();
    await page.locator('#red-ui-clipboard-dialog-import-tabs a', { hasText: 'Examples' }).click();

    // Every package with examples is listed (the all package ships the repository's examples/).
    const tree = dialog.locator('.red-ui-treeList-label');
    await tree.filter({ hasText: EXAMPLE_MODULE }).waitFor();
    const listed = await tree.allInnerTexts();
    for (const pkg of [WORKSPACE.umbrella!, ...WORKSPACE.jobPackages])
      assert.ok(EXAMPLE_PACKAGE_NAMES.includes(pkg.name), `the workspace scan found ${pkg.name}'s examples`);
    for (const name of EXAMPLE_PACKAGE_NAMES) {
      assert.ok(
        listed.some((t) => t.trim() === name),
        `Examples lists ${name}`,
      );
    }

    await tree.filter({ hasText: EXAMPLE_MODULE }).click();
    await tree.filter({ hasText: EXAMPLE_NAME }).click();
    await page.locator('#red-ui-clipboard-dialog-ok').click();
    // The demo deployed this example already: Node-RED offers to import a copy with new ids.
    await page.locator('.red-ui-notification button', { hasText: 'Import copy' }).click();
    const exampleTab = example.find((n) => n.type === 'tab')!;
    await page.waitForFunction((label) => {
      let tabs = 0;
      (window as unknown as { RED: { nodes: { eachWorkspace(cb: (w: { label: string }) => void): void } } }).RED.nodes.eachWorkspace((w) => {
        if (w.label === label) tabs += 1;
      });
      return tabs === 2;
    }, String(exampleTab.label));

    const deploy = page.locator('#red-ui-header-button-deploy');
    assert.ok(!(await deploy.getAttribute('class'))?.includes('disabled'), 'Deploy is enabled after the import');
    await deploy.click();
    // The button is disabled while the deploy is in flight too: wait for the success message.
    await page.locator('.red-ui-notification-success', { hasText: 'Successfully deployed' }).waitFor();
    await page.locator('#red-ui-header-button-deploy.disabled').waitFor();
    assert.deepEqual(editor.errors, []);

    const after = await getFlows(url);
    assert.notEqual(after.rev, before.rev);
    const added = after.flows.filter((n) => !beforeIds.has(n.id));
    assert.deepEqual(added.map((n) => n.type).sort(), example.map((n) => n.type).sort(), 'the deployed flows gained exactly the example nodes');
    const exampleIds = new Set(example.map((n) => n.id));
    assert.ok(
      added.every((n) => !exampleIds.has(n.id)),
      'the imported copy has new ids',
    );
    const tab = added.find((n) => n.type === 'tab')!;
    assert.equal(tab.label, exampleTab.label);
    const snapshot = added.find((n) => n.type === 'tencent-ci-snapshot')!;
    const config = added.find((n) => n.type === 'tencent-ci-config')!;
    assert.equal(snapshot.z, tab.id);
    assert.equal(snapshot.config, config.id, 'the imported job node uses the imported config node');
    const exampleSnapshot = example.find((n) => n.type === 'tencent-ci-snapshot')!;
    for (const key of ['Snapshot_Mode', 'Snapshot_Count', 'Snapshot_SnapshotOutMode', 'Output_Object', 'wait']) {
      assert.equal(snapshot[key], exampleSnapshot[key], key);
    }
    // Both copies of the example tab are deployed side by side.
    assert.equal(after.flows.filter((n) => n.type === 'tab' && n.label === exampleTab.label).length, 2);
  });
});
