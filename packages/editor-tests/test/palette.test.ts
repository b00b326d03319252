/** The palette: one "Tencent CI" category with every flow node the workspace's packages register; the config node is registered but not in the palette. */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { DEMO_CONFIG_ID } from '@node-red-tencent-ci/demo';
import {
  CONFIG_TYPE,
  FLOW_NODE_TYPES,
  declaredCategory,
  editorEnv,
  normalizeSpace,
  openEditor,
  paletteLabel,
  showSidebarTab,
  type EditorPage,
  type RedGlobal,
} from './helpers/editor';
import { editorForSuite } from './helpers/suite-editor';

/** Asserts the "Tencent CI" palette category: exactly the flow node types of the workspace scan, labelled in `locale`. */
async function assertTencentCategory(page: Page, locale: 'en-US' | 'zh-CN'): Promise<void> {
  const category = page.locator('#red-ui-palette .red-ui-palette-category').filter({
    has: page.locator('.red-ui-palette-header', { hasText: 'Tencent CI' }),
  });
  await category.waitFor();
  assert.equal(normalizeSpace(await category.locator('.red-ui-palette-header').innerText()), 'Tencent CI');
  const nodes = await category
    .locator('.red-ui-palette-node')
    .evaluateAll((els) => els.map((e) => ({ type: e.getAttribute('data-palette-type') ?? '', label: (e as HTMLElement).innerText })));
  assert.deepEqual(nodes.map((n) => n.type).sort(), Object.keys(FLOW_NODE_TYPES).sort());
  for (const node of nodes) {
    assert.equal(normalizeSpace(node.label), paletteLabel(FLOW_NODE_TYPES[node.type]!, node.type, locale), `palette label of ${node.type}`);
  }
  // The config node never appears in the palette, in any category.
  assert.equal(await page.locator(`#red-ui-palette .red-ui-palette-node[data-palette-type="${CONFIG_TYPE}"]`).count(), 0);
}

describe('palette', () => {
  let editor: EditorPage;
  editorForSuite((e) => (editor = e));

  it('every flow node declares the palette category "Tencent CI" and the config node "config"', () => {
    for (const [type, pkg] of Object.entries(FLOW_NODE_TYPES)) assert.equal(declaredCategory(pkg, type), 'Tencent CI', type);
    assert.equal(declaredCategory('config', CONFIG_TYPE), 'config');
  });

  it('shows the "Tencent CI" category with every flow node type and their en-US labels', async () => {
    await assertTencentCategory(editor.page, 'en-US');
    assert.deepEqual(editor.errors, []);
  });

  it('shows the same category with the zh-CN labels when the browser language is zh-CN', async () => {
    const zh = await openEditor({ locale: 'zh-CN' });
    try {
      await assertTencentCategory(zh.page, 'zh-CN');
      assert.deepEqual(zh.errors, []);
    } finally {
      await zh.close();
    }
  });

  it('registers the config node type and lists the demo config node in the Configuration nodes sidebar', async () => {
    const { page } = editor;
    const def = await page.evaluate((t) => {
      const d = (window as unknown as { RED: RedGlobal }).RED.nodes.getType(t) as { category?: string; credentials?: Record<string, unknown> } | undefined;
      return d ? { category: d.category, credentials: Object.keys(d.credentials ?? {}).sort() } : null;
    }, CONFIG_TYPE);
    assert.deepEqual(def, { category: 'config', credentials: ['secretId', 'secretKey', 'sessionToken'] });

    await showSidebarTab(page, 'config');
    const global = page.locator('#red-ui-sidebar-config-category-global');
    await global.locator('li.red-ui-palette-node-config-type', { hasText: CONFIG_TYPE }).waitFor();
    const deployed = editorEnv().demo.deployed?.find((n) => n.id === DEMO_CONFIG_ID);
    assert.ok(deployed, 'the demo deployed its config node');
    await global.locator('.red-ui-palette-node-config .red-ui-palette-label', { hasText: String(deployed.name) }).waitFor();
    assert.deepEqual(editor.errors, []);
  });
});
