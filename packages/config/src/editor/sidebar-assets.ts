#!/usr/bin/env node
/**
 * Builds the editor side of the sidebar plugin (tencent-ci-sidebar) beside its compiled `.js`,
 * where Node-RED looks for a plugin's files:
 *   dist/tencent-ci-sidebar.html   src/tencent-ci-sidebar.html with the browser code of
 *                                  editor/browser/sidebar.ts (transpiled) in its script;
 *   dist/locales/<lang>/tencent-ci-sidebar.json   the plugin's catalogs, as written.
 * Run by the package build (`node dist/editor/sidebar-assets.js`) after `tsc`; the type check
 * of the browser code is tsconfig.sidebar.json's (lint).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGS } from './allowed-text';

export const SIDEBAR_PLUGIN = 'tencent-ci-sidebar';
/** The line of the template the browser code replaces. */
const SCRIPT_SLOT = /^[ \t]*\/\* @tci-sidebar-script \*\/[ \t]*$/m;

/** The browser code, transpiled as tsconfig.sidebar.json says (a plain script for the editor). */
export function sidebarScript(packageDir: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const file = join(packageDir, 'src', 'editor', 'browser', 'sidebar.ts');
  const config = ts.readConfigFile(join(packageDir, 'tsconfig.sidebar.json'), ts.sys.readFile).config as { compilerOptions: Record<string, unknown> };
  const { options } = ts.convertCompilerOptionsFromJson({ ...config.compilerOptions, noEmit: false }, packageDir);
  const out = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file, reportDiagnostics: true });
  if (out.diagnostics && out.diagnostics.length > 0) throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(out.diagnostics[0]!.messageText, '\n')}`);
  if (/^\s*(?:import|export)\s/m.test(out.outputText)) throw new Error(`${file} must stay a plain script (no import or export statements)`);
  return out.outputText.replace(/\n*$/, '\n');
}

/** The plugin's editor file: the template with the browser code in its script. */
export function sidebarHtml(packageDir: string): string {
  const template = readFileSync(join(packageDir, 'src', `${SIDEBAR_PLUGIN}.html`), 'utf8');
  if (!SCRIPT_SLOT.test(template)) throw new Error(`src/${SIDEBAR_PLUGIN}.html has no /* @tci-sidebar-script */ line`);
  const script = sidebarScript(packageDir);
  return template.replace(SCRIPT_SLOT, () => script.trimEnd());
}

export function buildSidebarAssets(packageDir: string): void {
  const dist = join(packageDir, 'dist');
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(dist, `${SIDEBAR_PLUGIN}.html`), sidebarHtml(packageDir));
  for (const lang of LANGS) {
    const source = join(packageDir, 'locales', lang, `${SIDEBAR_PLUGIN}.json`);
    if (!existsSync(source)) throw new Error(`${source} is missing: the sidebar needs its texts in every language (${LANGS.join(', ')})`);
    mkdirSync(join(dist, 'locales', lang), { recursive: true });
    copyFileSync(source, join(dist, 'locales', lang, `${SIDEBAR_PLUGIN}.json`));
  }
}

if (require.main === module) buildSidebarAssets(join(__dirname, '..', '..'));
