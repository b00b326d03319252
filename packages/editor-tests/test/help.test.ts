/**
 * The help sidebar shows each node's own help, in the browser's language: English for en-US,
 * Chinese for zh-CN. Opened the way a user does, with the book button of the node's dialog.
 */
import assert from 'node:assert/strict';
import { DEMO_CONFIG_ID } from '@node-red-tencent-ci/demo';
import {
  ALL_TYPES,
  CONFIG_TYPE,
  cancelDialogs,
  clickTrayHelpButton,
  helpSummary,
  normalizeSpace,
  openConfigDialog,
  openEditor,
  openNodeDialog,
  type EditorPage,
  type RedGlobal,
} from './helpers/editor';

describe('help sidebar', () => {
  for (const locale of ['en-US', 'zh-CN'] as const) {
    const other = locale === 'en-US' ? 'zh-CN' : 'en-US';
    describe(`with the browser language ${locale}`, () => {
      let editor: EditorPage;
      before(async () => {
        editor = await openEditor({ locale });
        assert.equal(await editor.page.evaluate(() => (window as unknown as { RED: RedGlobal }).RED.i18n.lang()), locale);
      });
      after(async () => {
        await editor?.close();
      });
      afterEach(async () => {
        await cancelDialogs(editor.page);
      });

      for (const [type, pkg] of Object.entries(ALL_TYPES)) {
        it(`shows the ${locale} help of ${type}`, async () => {
          const { page } = editor;
          editor.errors.length = 0;
          if (type === CONFIG_TYPE) await openConfigDialog(page, DEMO_CONFIG_ID);
          else await openNodeDialog(page, type);
          await clickTrayHelpButton(page);
          const expected = helpSummary(pkg, type, locale);
          // The help panel of the help sidebar tab (the info tab has a .red-ui-help of its own).
          const help = page.locator('#red-ui-sidebar-content .red-ui-sidebar-help-stack .red-ui-help').first();
          await help.filter({ hasText: expected }).waitFor();
          const text = normalizeSpace(await help.innerText());
          assert.ok(text.includes(expected), `the help sidebar shows the first paragraph of packages/${pkg}/locales/${locale}/${type}.html`);
          assert.ok(!text.includes(helpSummary(pkg, type, other)), `no ${other} help mixed in`);
          assert.deepEqual(editor.errors, []);
        });
      }
    });
  }
});
