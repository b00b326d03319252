/**
 * The config node's "Test connection" button: success against the emulator with the stored
 * demo credentials, and failures that name the problem (wrong key, nothing listening).
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { DEMO_CONFIG_ID, DEMO_CREDENTIALS, freePort } from '@node-red-tencent-ci/demo';
import { cancelDialogs, editorEnv, localeMessages, openConfigDialog, openEditor, type EditorPage } from './helpers/editor';
import { editorForSuite } from './helpers/suite-editor';

type TestMessages = { 'tencent-ci-config': { test: Record<string, string> } };
const messages = (lang: 'en-US' | 'zh-CN') => (localeMessages('config', 'tencent-ci-config', lang) as TestMessages)['tencent-ci-config'].test;

/** Clicks the button and returns the result once it is no longer "Testing…". */
async function runTest(page: Page): Promise<string> {
  const result = page.locator('#node-config-test-result');
  await page.locator('#node-config-input-test').click();
  await page.waitForFunction(() => /^[✓✗]/.test(document.getElementById('node-config-test-result')?.textContent ?? ''), undefined, { timeout: 30_000 });
  const text = (await result.textContent()) ?? '';
  // No secret ever comes back, whatever the outcome.
  assert.ok(!text.includes(DEMO_CREDENTIALS.secretKey), 'the result does not show the secret key');
  return text;
}

describe('config node: Test connection', () => {
  let editor: EditorPage;
  editorForSuite((e) => (editor = e));
  beforeEach(async () => {
    editor.errors.length = 0;
    await openConfigDialog(editor.page, DEMO_CONFIG_ID);
  });
  afterEach(async () => {
    await cancelDialogs(editor.page);
  });

  it('reports success against the emulator with the stored credentials', async () => {
    const { page } = editor;
    // The dialog shows the stored secret key as a placeholder, never the key itself.
    assert.equal(await page.locator('#node-config-input-secretKey').inputValue(), '__PWRD__');
    assert.equal(await page.locator('#node-config-input-endpoint').inputValue(), editorEnv().demo.emulator.url);
    const text = await runTest(page);
    assert.equal(text, `✓ ${messages('en-US').success}`);
    assert.deepEqual(editor.errors, []);
  });

  it('reports AccessDenied and points at the SecretKey when the key is wrong', async () => {
    const { page } = editor;
    await page.locator('#node-config-input-secretKey').fill('not-the-demo-secret-key-0000');
    const text = await runTest(page);
    assert.match(text, /^✗ AccessDenied: /);
    assert.match(text, /SecretKey/);
    assert.ok(!text.includes('not-the-demo-secret-key-0000'), 'the typed key is not echoed');
    assert.deepEqual(editor.errors, []);
  });

  it('reports a connection error when nothing listens at the endpoint', async () => {
    const { page } = editor;
    const port = await freePort();
    await page.locator('#node-config-input-endpoint').fill(`http://127.0.0.1:${port}`);
    const text = await runTest(page);
    assert.match(text, /^✗ NetworkError: /);
    assert.ok(text.includes('ECONNREFUSED') && text.includes(`127.0.0.1:${port}`), `names the refused endpoint, got ${JSON.stringify(text)}`);
    assert.deepEqual(editor.errors, []);
  });
});

describe('config node: Test connection in a zh-CN browser', () => {
  let editor: EditorPage;
  before(async () => {
    editor = await openEditor({ locale: 'zh-CN' });
  });
  after(async () => {
    await cancelDialogs(editor.page);
    await editor?.close();
  });

  it("reports success in the editor's language, not the server's", async () => {
    await openConfigDialog(editor.page, DEMO_CONFIG_ID);
    assert.equal(await runTest(editor.page), `✓ ${messages('zh-CN').success}`);
    assert.deepEqual(editor.errors, []);
  });
});
