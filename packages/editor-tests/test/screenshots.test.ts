/** Screenshots of the palette, the Snapshot dialog (top, and its Result rows) and a deployed flow, under test-output/editor/. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { FLOW_NODE_TYPES, REPO_ROOT, cancelDialogs, openNodeDialog, screenshotPath, type EditorPage, type RedGlobal } from './helpers/editor';
import { editorForSuite } from './helpers/suite-editor';

const VIEWPORT = { width: 1680, height: 900 };

/** Width and height from a PNG's IHDR chunk; throws unless the file is a PNG. */
function pngSize(file: string): { width: number; height: number } {
  const buf = readFileSync(file);
  assert.ok(buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), `${file} is a PNG`);
  assert.equal(buf.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

function pipelineTabLabel(): string {
  const file = readdirSync(join(REPO_ROOT, 'examples')).find((f) => f.startsWith('Video pipeline') && f.endsWith('.json'));
  assert.ok(file, 'examples/ has the video pipeline example');
  const nodes = JSON.parse(readFileSync(join(REPO_ROOT, 'examples', file), 'utf8')) as Array<{ type: string; label?: string }>;
  return String(nodes.find((n) => n.type === 'tab')!.label);
}

describe('screenshots', () => {
  let editor: EditorPage;
  editorForSuite((e) => (editor = e), VIEWPORT);

  function fresh(name: string): string {
    const file = screenshotPath(name);
    rmSync(file, { force: true });
    return file;
  }

  function assertScreenshot(file: string, minWidth: number, minHeight: number): void {
    assert.ok(statSync(file).size > 2000, `${file} is not empty`);
    const { width, height } = pngSize(file);
    assert.ok(width >= minWidth && height >= minHeight, `${file} is ${width}x${height}`);
  }

  it('of the palette filtered to the Tencent CI nodes', async () => {
    const { page } = editor;
    await page.locator('#red-ui-palette-search input').pressSequentially('tencent');
    const palette = page.locator('#red-ui-palette');
    // The filter leaves the Tencent CI nodes (matched on their type) and hides the core nodes.
    for (const type of Object.keys(FLOW_NODE_TYPES)) await page.locator(`#red-ui-palette .red-ui-palette-node[data-palette-type="${type}"]`).waitFor();
    await page.locator('#red-ui-palette .red-ui-palette-node[data-palette-type="inject"]').waitFor({ state: 'hidden' });
    const box = (await palette.boundingBox())!;
    const file = fresh('palette.png');
    await page.screenshot({ path: file, clip: box });
    assertScreenshot(file, Math.floor(box.width) - 1, Math.floor(box.height) - 1);
    await page.locator('#red-ui-palette-search input').fill('');
    await page.locator('#red-ui-palette-search input').press('Escape');
  });

  /** Opens the Snapshot dialog, lets `prepare` set it up, screenshots the window to `name`, closes the dialog and checks the file. */
  async function snapshotDialogScreenshot(name: string, prepare: (page: Page) => Promise<void> = async () => undefined): Promise<void> {
    const { page } = editor;
    await openNodeDialog(page, 'tencent-ci-snapshot');
    await prepare(page);
    const file = fresh(name);
    await page.screenshot({ path: file });
    await cancelDialogs(page);
    assertScreenshot(file, VIEWPORT.width, VIEWPORT.height);
  }

  it('of the Snapshot edit dialog', () => snapshotDialogScreenshot('snapshot-dialog.png'));

  it("of the Snapshot dialog's Result rows when it waits for the result, with the context store picker", () =>
    snapshotDialogScreenshot('snapshot-dialog-result.png', async (page) => {
      await page.locator('#node-input-wait').selectOption('result');
      const store = page.locator('#node-input-store');
      await store.scrollIntoViewIfNeeded();
      await store.waitFor({ state: 'visible' });
      // The demo's settings: default store "file", and "memory"; the default is offered once, blank.
      const options = await store.locator('option').evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, (o.textContent ?? '').trim()]));
      assert.deepEqual(options, [
        ['', 'the default context store'],
        ['memory', 'memory'],
      ]);
    }));

  it('of the deployed video pipeline flow', async () => {
    const { page } = editor;
    const label = pipelineTabLabel();
    const tab = page.locator('#red-ui-workspace-tabs li.red-ui-tab', { hasText: label });
    await tab.scrollIntoViewIfNeeded();
    await tab.click();
    await page.locator('#red-ui-workspace-tabs li.red-ui-tab.active', { hasText: label }).waitFor();
    // The pipeline's three job nodes are drawn on the canvas.
    const ids = await page.evaluate(
      (types) => {
        const R = (window as unknown as { RED: RedGlobal }).RED;
        const active = R.workspaces.active();
        const out: string[] = [];
        R.nodes.eachNode((n) => {
          if (n.z === active && types.includes(n.type)) out.push(n.id);
        });
        return out;
      },
      ['tencent-ci-media-info', 'tencent-ci-snapshot', 'tencent-ci-quality-estimate'],
    );
    assert.equal(ids.length, 3, 'the pipeline tab has a media info, a snapshot and a quality node');
    for (const id of ids) await page.locator(`#red-ui-workspace-chart g.red-ui-flow-node-group[id="${id}"]`).waitFor();
    const file = fresh('pipeline-flow.png');
    await page.screenshot({ path: file });
    assertScreenshot(file, VIEWPORT.width, VIEWPORT.height);
    assert.deepEqual(editor.errors, []);
  });
});
