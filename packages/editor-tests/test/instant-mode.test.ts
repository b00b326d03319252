/**
 * The job dialogs' "at once, without a job" Output (docs/api/instant.md) as a user sees it: the
 * snapshot dialog swaps the job's and the callback's settings for the instant parameters
 * (time, width, height, format, rotate, mode) with their hint, refuses a width over 4096 with
 * the allowed range, and the media info dialog offers the mode with no parameters; in en-US
 * and zh-CN.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cancelDialogs, openNodeDialog, REPO_ROOT, screenshotPath, type EditorPage } from './helpers/editor';
import { editorForSuite } from './helpers/suite-editor';

const INSTANT_IDS = ['time', 'width', 'height', 'format', 'rotate', 'mode'].map((name) => `#node-input-instant_${name}`);

for (const locale of ['en-US', 'zh-CN'] as const) {
  describe(`instant mode in the job dialogs (${locale})`, () => {
    let editor: EditorPage;
    editorForSuite((e) => (editor = e), { locale });
    afterEach(async () => {
      await cancelDialogs(editor.page);
    });

    // The strings every job node shares (the build merges them into each node's catalog).
    const common = (
      JSON.parse(readFileSync(join(REPO_ROOT, 'packages', 'config', 'locales', locale, 'job-common.json'), 'utf8')) as {
        common: { editor: Record<string, string> };
      }
    ).common.editor;

    it('snapshot: choosing "at once, without a job" shows the instant parameters instead of the job settings', async () => {
      const { page } = editor;
      await openNodeDialog(page, 'tencent-ci-snapshot');
      const wait = page.locator('#node-input-wait');
      assert.ok((await wait.locator('option').allTextContents()).includes(common.waitInstant!), `the Output list offers ${JSON.stringify(common.waitInstant)}`);
      for (const id of INSTANT_IDS) assert.equal(await page.locator(id).isVisible(), false, `${id} is hidden while the node runs a job`);
      await wait.selectOption('instant');
      for (const id of INSTANT_IDS) assert.ok(await page.locator(id).isVisible(), `${id} is shown`);
      assert.equal(await page.locator('#node-input-instant_time').inputValue(), '1', 'the required time starts at 1 s');
      assert.equal(await page.locator('#node-input-Snapshot_Count').isVisible(), false, 'the job settings are hidden');
      assert.equal(await page.locator('#node-input-CallBack').isVisible(), false, 'the callback settings are hidden');
      assert.equal(await page.locator('#node-input-timeout').isVisible(), false, 'the wait settings are hidden');
      assert.match((await page.locator('.tci-instant .form-tips').first().innerText()).trim(), new RegExp(common.instantHint!.slice(0, 12)));

      // A width over 4096 is marked, and its row says what is allowed.
      await page.locator('#node-input-instant_width').fill('5000');
      await page.locator('#node-input-instant_time').click();
      await page.waitForFunction(() => document.querySelector('#node-input-instant_width')?.classList.contains('input-error'));
      const allowed = await page.locator('.form-row:has(#node-input-instant_width) .tci-hint').innerText();
      assert.match(allowed, /4096/);
      await page.locator('#node-input-instant_width').fill('320');
      await page.locator('#node-input-instant_time').click();
      await page.waitForFunction(() => !document.querySelector('#node-input-instant_width')?.classList.contains('input-error'));
      await page.screenshot({ path: screenshotPath(`snapshot-dialog-instant-${locale}.png`) });
    });

    it('media info: the instant mode has no parameters, only its hint', async () => {
      const { page } = editor;
      await openNodeDialog(page, 'tencent-ci-media-info');
      await page.locator('#node-input-wait').selectOption('instant');
      assert.ok(await page.locator('.tci-instant .form-tips').first().isVisible());
      assert.equal(await page.locator('.tci-instant input, .tci-instant select').count(), 0);
      assert.equal(await page.locator('#node-input-JobLevel').isVisible(), false, 'the job settings are hidden');
    });
  });
}
