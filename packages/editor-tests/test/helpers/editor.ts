/**
 * Shared by the editor tests: the demo (CI emulator + Node-RED with every node and the
 * example flows deployed) and one headless Chromium, started once for the whole run by the
 * root hooks in ./root-hooks.ts, and helpers that drive the Node-RED editor like a user.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { freePort, scanWorkspace, startDemo, type Demo } from '@node-red-tencent-ci/demo';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-output', 'editor');

/** Debian's Chromium (CI installs it; `npx playwright install` cannot work here). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The config node type: registered, but not in the palette (its dialog opens from the Configuration nodes sidebar). */
export const CONFIG_TYPE = 'tencent-ci-config';
/** The workspace scan of this repository (packages/demo/src/workspace.ts). */
export const WORKSPACE = scanWorkspace(REPO_ROOT);
/** Every node type the workspace's node packages register (packages/demo/src/workspace.ts), and the package folder each comes from. */
export const ALL_TYPES: Record<string, string> = Object.fromEntries(WORKSPACE.nodePackages.flatMap((pkg) => pkg.nodeTypes.map((type) => [type, pkg.folder])));
/** The flow node types shown in the palette: all of them but the config node. */
export const FLOW_NODE_TYPES: Record<string, string> = Object.fromEntries(Object.entries(ALL_TYPES).filter(([type]) => type !== CONFIG_TYPE));
/** The packages whose example flows Import ▸ Examples lists (the all package ships the repository's examples/). */
export const EXAMPLE_PACKAGE_NAMES: string[] = WORKSPACE.examplePackages.map((pkg) => pkg.name);

export interface EditorEnv {
  demo: Demo;
  browser: Browser;
  /** Node-RED's base URL (editor and admin API). */
  url: string;
}

let env: EditorEnv | undefined;
let tmpDir: string | undefined;

/** The running demo and browser (started by the root hooks). */
export function editorEnv(): EditorEnv {
  if (!env) throw new Error('The editor environment is not running (root hooks in test/helpers/root-hooks.ts did not start it)');
  return env;
}

export function assertChromiumInstalled(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed: ${CHROMIUM_PATH} does not exist. The editor tests need Debian's Chromium: ` +
        'run `apt-get install -y --no-install-recommends chromium` (as root), or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
}

export async function startEditorEnv(): Promise<EditorEnv> {
  assertChromiumInstalled();
  tmpDir = mkdtempSync(join(tmpdir(), 'tencent-ci-editor-tests-'));
  const demo = await startDemo({ repoRoot: REPO_ROOT, dir: tmpDir, nodeRedPort: await freePort(), emulatorPort: 0 });
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  } catch (err) {
    await demo.stop();
    throw err;
  }
  env = { demo, browser, url: demo.nodeRed.url };
  return env;
}

export async function stopEditorEnv(): Promise<void> {
  const current = env;
  env = undefined;
  try {
    if (current) {
      await current.browser.close().catch(() => {});
      await current.demo.stop();
    }
  } finally {
    if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
    tmpDir = undefined;
  }
}

export interface EditorPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen since the page opened. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * Opens the editor in a fresh browser context (its own storage, so nothing carries over
 * between tests) with the given browser language, and waits until the flows are loaded.
 */
export async function openEditor(options: { locale?: string; width?: number; height?: number } = {}): Promise<EditorPage> {
  const { browser, url } = editorEnv();
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    viewport: { width: options.width ?? 1400, height: options.height ?? 900 },
  });
  // Every UI step here takes well under a second: fail fast instead of Playwright's 30 s.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  await page.goto(`${url}/`);
  await page.waitForFunction(() => {
    const R = (window as unknown as { RED?: RedGlobal }).RED;
    const loading = document.getElementById('red-ui-loading-progress');
    return !!R?.workspaces && R.workspaces.count() > 0 && !!R.workspaces.active() && !!loading && loading.style.display === 'none';
  });
  // jQuery animations (tray slides, notifications) off: the same UI, without waiting for motion.
  await page.evaluate(() => {
    (window as unknown as { $: { fx: { off: boolean } } }).$.fx.off = true;
  });
  return { context, page, errors, close: () => context.close() };
}

/** The parts of the editor's global `RED` the tests call inside page.evaluate. */
export interface RedGlobal {
  nodes: {
    getType(type: string): unknown;
    eachNode(cb: (n: { id: string; type: string; z: string; name?: string }) => void): void;
    node(id: string): { id: string; type: string; z?: string } | null;
  };
  workspaces: { count(): number; active(): string; show(id: string): void };
  view: { reveal(id: string): void };
  i18n: { lang(): string };
}

/** One node of `type` on the deployed tabs (the first one found), as the editor holds it. */
export async function findNode(page: Page, type: string): Promise<{ id: string; z: string }> {
  const found = await page.evaluate((t) => {
    const R = (window as unknown as { RED: RedGlobal }).RED;
    let hit: { id: string; z: string } | undefined;
    R.nodes.eachNode((n) => {
      if (!hit && n.type === t) hit = { id: n.id, z: n.z };
    });
    return hit;
  }, type);
  if (!found) throw new Error(`No ${type} node on the deployed flows`);
  return found;
}

/** Switches to the node's tab, scrolls it into view and double-clicks it: the edit tray opens. */
export async function openNodeDialog(page: Page, type: string): Promise<void> {
  const node = await findNode(page, type);
  await page.evaluate((n) => {
    const R = (window as unknown as { RED: RedGlobal }).RED;
    R.workspaces.show(n.z);
    R.view.reveal(n.id);
  }, node);
  const shape = page.locator(`g.red-ui-flow-node-group[id="${node.id}"] rect.red-ui-flow-node`);
  await shape.waitFor({ state: 'visible' });
  await shape.dblclick();
  await page.locator('#node-dialog-ok').waitFor({ state: 'visible' });
  await page.locator('.red-ui-tray-body [id^="node-input-"]').first().waitFor({ state: 'visible' });
  await dialogPrepared(page);
}

/**
 * Waits until the open tray's dialog is prepared. Node-RED shows the form first and only then
 * (after loading the node's credentials) fills in the values and attaches the validators, in
 * one synchronous step that begins by adding the tray's tab bar: typed text that comes
 * before would be overwritten by the node's saved value (seen on a loaded CI machine).
 */
export async function dialogPrepared(page: Page): Promise<void> {
  await page.locator('.red-ui-tray:last-child .red-ui-tray-body .red-ui-tabs').first().waitFor({ state: 'attached' });
}

/** Shows a sidebar tab (info, help, config, debug, context) by clicking its tab button. */
export async function showSidebarTab(page: Page, id: string): Promise<void> {
  await page.locator(`#red-ui-tab-${id}-link-button`).click();
  await page.locator(`#red-ui-tab-${id}.active`).waitFor();
}

/** Clicks the book button in the footer of the open edit tray (node or config dialog). */
export async function clickTrayHelpButton(page: Page): Promise<void> {
  await page.locator('.red-ui-tray:last-child .red-ui-tray-footer-left button:has(i.fa-book)').click();
  await page.locator('#red-ui-tab-help.active').waitFor();
}

/** The input ids a package's generated editor template declares (dist/<type>.html). */
export function templateInputIds(pkg: string, type: string): string[] {
  const html = readFileSync(join(REPO_ROOT, 'packages', pkg, 'dist', `${type}.html`), 'utf8');
  const template = new RegExp(`<script type="text/html" data-template-name="${type}">([\\s\\S]*?)</script>`).exec(html);
  if (!template) throw new Error(`No editor template for ${type} in packages/${pkg}/dist/${type}.html (run the build first)`);
  return [...template[1]!.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!);
}

/** The palette category a node type declares in its generated editor HTML (`registerType(..., { category })`). */
export function declaredCategory(pkg: string, type: string): string {
  const html = readFileSync(join(REPO_ROOT, 'packages', pkg, 'dist', `${type}.html`), 'utf8');
  const calls = [...html.matchAll(/registerType\(\s*([^,]+?)\s*,\s*\{\s*category:\s*["']([^"']+)["']/g)];
  if (calls.length !== 1) throw new Error(`Expected one registerType call with a category in packages/${pkg}/dist/${type}.html, found ${calls.length}`);
  const name = calls[0]![1]!;
  const typeConst = /var TYPE = ["']([^"']+)["']/.exec(html)?.[1];
  const registered = /^["']/.test(name) ? name.slice(1, -1) : name === 'TYPE' ? typeConst : undefined;
  if (registered !== type) throw new Error(`packages/${pkg}/dist/${type}.html registers ${registered ?? name}, not ${type}`);
  return calls[0]![2]!;
}

/** A locale message file of a package (locales/<lang>/<type>.json). */
export function localeMessages(pkg: string, type: string, lang: 'en-US' | 'zh-CN'): Record<string, unknown> {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'packages', pkg, 'locales', lang, `${type}.json`), 'utf8')) as Record<string, unknown>;
}

/**
 * Opens the deployed config node's dialog the way a user does: the Configuration nodes
 * sidebar, double-click on the entry.
 */
export async function openConfigDialog(page: Page, configId: string): Promise<void> {
  await showSidebarTab(page, 'config');
  const entry = await configEntry(page, configId);
  await entry.waitFor({ state: 'visible' });
  await entry.dblclick();
  await page.locator('#node-config-dialog-ok').waitFor({ state: 'visible' });
  await page.locator('#node-config-input-bucket').waitFor({ state: 'visible' });
  await dialogPrepared(page);
}

/** The Configuration nodes sidebar's entry for one config node (the element a user double-clicks). */
export async function configEntry(page: Page, configId: string) {
  // The sidebar keeps each entry's node id in jQuery data only: copy it to an attribute.
  await page.evaluate((id) => {
    const jq = (window as unknown as { $: (s: unknown) => JQueryLike }).$;
    jq('.red-ui-sidebar-node-config-list li').each(function (this: unknown) {
      if (jq(this).data('data-node-id') === id) jq(this).attr('data-test-node-id', id);
    });
  }, configId);
  return page.locator(`li[data-test-node-id="${configId}"] > .red-ui-palette-node-config`);
}

interface JQueryLike {
  each(cb: (this: unknown) => void): JQueryLike;
  data(key: string): unknown;
  attr(key: string, value: string): JQueryLike;
}

/** Closes whatever edit trays are open with Cancel (config dialog first, then the node dialog). */
export async function cancelDialogs(page: Page): Promise<void> {
  for (const id of ['#node-config-dialog-cancel', '#node-dialog-cancel']) {
    const button = page.locator(id);
    if (await button.isVisible()) {
      await button.click();
      await button.waitFor({ state: 'detached' });
    }
  }
}

/** The text of a built help page's first paragraph (the node's summary), whitespace collapsed. */
export function helpSummary(pkg: string, type: string, lang: 'en-US' | 'zh-CN'): string {
  const html = readFileSync(join(REPO_ROOT, 'packages', pkg, 'dist', 'locales', lang, `${type}.html`), 'utf8');
  const p = /<p>([\s\S]*?)<\/p>/.exec(html);
  if (!p) throw new Error(`No <p> in packages/${pkg}/dist/locales/${lang}/${type}.html`);
  return decodeEntities(p[1]!.replace(/<[^>]+>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

export function normalizeSpace(s: string | null | undefined): string {
  return (s ?? '').replace(/\s+/g, ' ').trim();
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, name);
}

/** The palette label a node type's locale file gives it (`<section>.paletteLabel`). */
export function paletteLabel(pkg: string, type: string, lang: 'en-US' | 'zh-CN'): string {
  const messages = localeMessages(pkg, type, lang);
  for (const section of Object.values(messages)) {
    const label = (section as { paletteLabel?: unknown } | null)?.paletteLabel;
    if (typeof label === 'string') return label;
  }
  throw new Error(`No paletteLabel in packages/${pkg}/locales/${lang}/${type}.json`);
}

/** Text that looks like an untranslated i18n key, e.g. "common.editor.name". */
export const RAW_KEY = /^[A-Za-z][\w-]*(\.[\w-]+)+$/;
