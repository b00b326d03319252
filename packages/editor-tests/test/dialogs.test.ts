/**
 * Every node's edit dialog, opened the way a user does (double-click on a deployed node; the
 * config node from the Configuration nodes sidebar), opens without console errors, shows its
 * fields with translated labels, and marks invalid values.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { JOB_TAGS, getDescriptor, nodeTypeOf, type FieldSpec, type JobTag } from '@node-red-tencent-ci/core';
import { DEMO_CONFIG_ID } from '@node-red-tencent-ci/demo';
import {
  ALL_TYPES,
  CONFIG_TYPE,
  RAW_KEY,
  REPO_ROOT,
  cancelDialogs,
  findNode,
  openConfigDialog,
  openNodeDialog,
  templateInputIds,
  type EditorPage,
  type RedGlobal,
} from './helpers/editor';
import { editorForSuite } from './helpers/suite-editor';

/**
 * Fields every dialog must show (visible, not just present), besides all its template's inputs.
 * A job node type not listed here gets jobDialogFields(): see visibleFields().
 */
const VISIBLE_FIELDS: Record<string, string[]> = {
  'tencent-ci-media-info': [
    '#node-input-name',
    '#node-input-config',
    '#node-input-input + .red-ui-typedInput-container',
    '#node-input-CallBack',
    '#node-input-wait',
  ],
  'tencent-ci-snapshot': ['#node-input-config', '#node-input-Snapshot_Mode', '#node-input-Snapshot_Count', '#node-input-Output_Object', '#node-input-wait'],
  'tencent-ci-quality-estimate': [
    '#node-input-config',
    '#node-input-input + .red-ui-typedInput-container',
    '#node-input-QualityEstimateConfig_Mode',
    '#node-input-wait',
  ],
  'tencent-ci-video-tag': ['#node-input-config', '#node-input-input + .red-ui-typedInput-container', '#node-input-VideoTag_Scenario', '#node-input-wait'],
  'tencent-ci-video-target-rec': [
    '#node-input-config',
    '#node-input-input + .red-ui-typedInput-container',
    '#node-input-paramsMode',
    '#node-input-VideoTargetRec_Body',
    '#node-input-wait',
  ],
  'tencent-ci-list-objects': [
    '#node-input-config',
    '#node-input-prefix + .red-ui-typedInput-container',
    '#node-input-suffixes',
    '#node-input-limit',
    '#node-input-links',
  ],
  'tencent-ci-wait': ['#node-input-name', '#node-input-config', '#node-input-jobId + .red-ui-typedInput-container', '#node-input-timeout', '#node-input-store'],
  'tencent-ci-callback-in': ['#node-input-config', '#node-input-path', '#node-input-token', '#node-input-baseUrl', '#node-input-maxBytes'],
  'tencent-ci-config': [
    '#node-config-input-name',
    '#node-config-input-bucket',
    '#node-config-input-region',
    '#node-config-input-secretId',
    '#node-config-input-secretKey',
    '#node-config-input-endpoint',
    '#node-config-input-test',
  ],
};

/** The editor key of the first field of a job's Operation (TemplateId aside, as the form has its own switch for it): `VideoTag_Scenario`, `UserData`. */
function firstOperationKey(tag: JobTag): string {
  const path: string[] = [];
  let fields: Readonly<Record<string, FieldSpec>> = Object.fromEntries(Object.entries(getDescriptor(tag).operation).filter(([name]) => name !== 'TemplateId'));
  for (;;) {
    const [name, spec] = Object.entries(fields)[0]!;
    path.push(name);
    if (spec.kind !== 'container') return path.join('_');
    fields = spec.fields ?? {};
  }
}

/** What every job node's dialog shows, from its descriptor: the config node, the input, the first Operation field and the wait mode. */
function jobDialogFields(tag: JobTag): string[] {
  return ['#node-input-config', '#node-input-input + .red-ui-typedInput-container', `#node-input-${firstOperationKey(tag)}`, '#node-input-wait'];
}

/** The fields the dialog of `type` must show: its VISIBLE_FIELDS entry, or for a job node type without one, jobDialogFields(). */
function visibleFields(type: string): string[] {
  const listed = VISIBLE_FIELDS[type];
  if (listed) return listed;
  const tag = JOB_TAGS.find((t) => nodeTypeOf(t) === type);
  if (tag === undefined) throw new Error(`${type} is not a job node type: list the fields its dialog shows in VISIBLE_FIELDS`);
  return jobDialogFields(tag);
}

async function openDialog(page: Page, type: string): Promise<void> {
  if (type === CONFIG_TYPE) await openConfigDialog(page, DEMO_CONFIG_ID);
  else await openNodeDialog(page, type);
}

/** Texts and placeholders in the open tray that i18n left as raw keys (or empty). */
async function untranslated(page: Page): Promise<string[]> {
  return page.locator('.red-ui-tray:last-child .red-ui-tray-body [data-i18n]').evaluateAll((els, rawKey) => {
    const raw = new RegExp(rawKey);
    const out: string[] = [];
    for (const el of els) {
      for (const spec of (el.getAttribute('data-i18n') ?? '').split(';')) {
        const m = /^\[([^\]]+)\](.*)$/.exec(spec);
        const attr = m ? m[1]! : 'text';
        const value = attr === 'text' || attr === 'html' ? (el.textContent ?? '') : (el.getAttribute(attr) ?? '');
        // A missing message renders empty, or as its key (possibly namespaced: "module/set:key").
        const key = value.trim().split(':').pop()!;
        if (!value.trim() || raw.test(key)) out.push(`${spec} -> ${JSON.stringify(value)}`);
      }
    }
    return out;
  }, RAW_KEY.source);
}

describe('edit dialogs', () => {
  for (const locale of ['en-US', 'zh-CN'] as const) {
    describe(`in ${locale}`, () => {
      let editor: EditorPage;
      editorForSuite((e) => (editor = e), { locale });
      beforeEach(() => {
        editor.errors.length = 0;
      });
      afterEach(async () => {
        await cancelDialogs(editor.page);
      });

      for (const [type, pkg] of Object.entries(ALL_TYPES)) {
        it(`${type} opens without console errors and shows its fields`, async () => {
          const { page } = editor;
          await openDialog(page, type);
          for (const selector of visibleFields(type)) {
            assert.ok(await page.locator(selector).isVisible(), `${selector} is visible in the ${type} dialog`);
          }
          const missing = await page.evaluate(
            (ids) => ids.filter((id) => document.querySelectorAll(`.red-ui-tray-body [id="${id}"]`).length !== 1),
            templateInputIds(pkg, type),
          );
          assert.deepEqual(missing, [], `elements of the ${type} template missing from the dialog`);
          if (type !== CONFIG_TYPE) {
            // The config select shows the node's config node, the one the demo deployed.
            const config = await page.locator('#node-input-config').inputValue();
            assert.equal(config, DEMO_CONFIG_ID, `the ${type} dialog selects the demo config node`);
          }
          assert.deepEqual(await untranslated(page), [], `untranslated labels in the ${type} dialog (${locale})`);
          await cancelDialogs(page);
          assert.deepEqual(editor.errors, [], `console errors while the ${type} dialog was open`);
        });
      }

      if (locale === 'en-US') {
        describe('invalid values', () => {
          it('marks Snapshot Count 0 as invalid, a valid count as valid, and Cancel keeps the node unchanged', async () => {
            const { page } = editor;
            const node = await findNode(page, 'tencent-ci-snapshot');
            const before = await snapshotCount(page, node.id);
            await openNodeDialog(page, 'tencent-ci-snapshot');
            const count = page.locator('#node-input-Snapshot_Count');
            await typeInto(count, '0');
            await page.locator('#node-input-Snapshot_Count.input-error').waitFor();
            // Hovering the field tells why (the generated "allowed" message of the field).
            await hoverUntilShown(
              page,
              count,
              page.locator('.red-ui-popover', { hasText: String(distMessage('snapshot', 'tencent-ci-snapshot', 'allowed.Snapshot_Count')) }),
            );
            await typeInto(count, '5');
            await page.locator('#node-input-Snapshot_Count:not(.input-error)').waitFor();
            await typeInto(count, '1.5');
            await page.locator('#node-input-Snapshot_Count.input-error').waitFor();
            await page.locator('#node-dialog-cancel').click();
            await page.locator('#node-dialog-cancel').waitFor({ state: 'detached' });
            assert.equal(await snapshotCount(page, node.id), before);
            assert.deepEqual(editor.errors, []);
          });

          it('marks a malformed callback path, body limit and public URL in the callback-in dialog as invalid', async () => {
            await checkDialogValidation(editor, 'tencent-ci-callback-in', 'callback.errors', (errors) => [
              ['#node-input-path', 'no spaces/allowed', 'example-jobs', errors.path!],
              ['#node-input-maxBytes', '0', '1048576', errors.maxBytes!],
              ['#node-input-baseUrl', 'nodered.example.com', 'https://nodered.example.com', errors.baseUrl!],
            ]);
          });

          it('marks a malformed bucket, region and endpoint in the config dialog as invalid', async () => {
            await checkDialogValidation(editor, CONFIG_TYPE, 'tencent-ci-config.errors', (errors) => [
              ['#node-config-input-bucket', 'bad bucket', 'examplebucket-1250000000', errors.bucket!],
              ['#node-config-input-region', 'Guangzhou', 'ap-guangzhou', errors.region!],
              ['#node-config-input-endpoint', 'ftp://127.0.0.1', 'http://127.0.0.1:9100', errors.endpoint!],
            ]);
          });
        });
      }
    });
  }
});

/**
 * Opens the dialog of `type`, checks each case of `cases(errors)` with checkInvalidThenValid,
 * `errors` being the messages at `errorsAt` in the type's built en-US locale file; then
 * cancels the dialog and checks that nothing reached the console.
 */
async function checkDialogValidation(
  editor: EditorPage,
  type: string,
  errorsAt: string,
  cases: (errors: Record<string, string>) => Array<[string, string, string, string]>,
): Promise<void> {
  const { page } = editor;
  await openDialog(page, type);
  await checkInvalidThenValid(page, cases(distMessage(ALL_TYPES[type]!, type, errorsAt) as Record<string, string>));
  const cancel = type === CONFIG_TYPE ? '#node-config-dialog-cancel' : '#node-dialog-cancel';
  await page.locator(cancel).click();
  await page.locator(cancel).waitFor({ state: 'detached' });
  assert.deepEqual(editor.errors, []);
}

/**
 * Types `value` into a cleared field key by key, then sends the change event a user's next
 * click sends: Node-RED validates on keyup and on change. (The dialog helpers wait until
 * Node-RED has attached its validators: dialogPrepared in helpers/editor.ts.)
 */
async function typeInto(input: Locator, value: string): Promise<void> {
  await input.fill('');
  await input.pressSequentially(value);
  await input.dispatchEvent('change');
}

/**
 * Hovers `target` until `popover` shows, as a user moves the mouse off and back on when a
 * tooltip does not come: Node-RED opens a field's popover on mouseenter, which a mouse already
 * resting there, or a tray still sliding under it, does not send (seen on a loaded CI machine).
 */
async function hoverUntilShown(page: Page, target: Locator, popover: Locator): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    await page.mouse.move(1, 1);
    await target.hover();
    try {
      await popover.waitFor({ timeout: attempt < 3 ? 4_000 : 15_000 });
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

/**
 * For each [selector, bad, good, message]: typing `bad` marks the field invalid and hovering
 * it shows `message`; typing `good` clears the mark.
 */
async function checkInvalidThenValid(page: Page, cases: Array<[string, string, string, string]>): Promise<void> {
  for (const [selector, bad, good, message] of cases) {
    const input = page.locator(selector);
    await typeInto(input, bad);
    await page.locator(`${selector}.input-error`).waitFor();
    await hoverUntilShown(page, input, page.locator('.red-ui-popover', { hasText: message }));
    await typeInto(input, good);
    await page.locator(`${selector}:not(.input-error)`).waitFor();
  }
}

/** A message from a package's built en-US locale file (dist/locales, as Node-RED serves it), by dotted path. */
function distMessage(pkg: string, type: string, path: string): unknown {
  const file = join(REPO_ROOT, 'packages', pkg, 'dist', 'locales', 'en-US', `${type}.json`);
  const value = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], JSON.parse(readFileSync(file, 'utf8')));
  if (value === undefined) throw new Error(`No ${path} in ${file}`);
  return value;
}

async function snapshotCount(page: Page, id: string): Promise<unknown> {
  return page.evaluate((nid) => ((window as unknown as { RED: RedGlobal }).RED.nodes.node(nid) as unknown as Record<string, unknown>).Snapshot_Count, id);
}
