/**
 * Puts a node's editor assets next to its compiled `.js`, where Node-RED looks for them:
 * `dist/<type>.html` (from `src/<type>.html` when the package writes its editor by hand),
 * `dist/locales/<lang>/<type>.json` and `<type>.html` (catalog and help), and the shared
 * icons from the config package. One routine for the config node, the job nodes (whose
 * editor and catalog the generator writes) and the wait and callback nodes.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGS, type Lang } from './allowed-text';
import { withSnippets } from './editor-snippets';

export interface AssetOptions {
  type: string;
  /** The node package's root (has src/, locales/). */
  packageDir: string;
  /** The config package's root (has icons/ and locales/<lang>/job-common.json). */
  configDir: string;
  /** The catalog to write for a language; default: the package's own `locales/<lang>/<type>.json` as it is. */
  catalog?: (lang: Lang, own: Record<string, unknown>) => Record<string, unknown>;
}

export function readJson(file: string): Record<string, any> {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
}

/** The `common` strings every node that uses StatusTracker needs (status texts, output labels, editor labels). */
export function withCommon(configDir: string) {
  return (lang: Lang, own: Record<string, unknown>) => ({ common: readJson(join(configDir, 'locales', lang, 'job-common.json')).common, ...own });
}

export function copyNodeAssets(options: AssetOptions): void {
  const { type, packageDir, configDir } = options;
  const dist = join(packageDir, 'dist');
  mkdirSync(dist, { recursive: true });
  const editor = join(packageDir, 'src', `${type}.html`);
  if (existsSync(editor)) writeFileSync(join(dist, `${type}.html`), withSnippets(readFileSync(editor, 'utf8')));
  for (const lang of LANGS) {
    const source = join(packageDir, 'locales', lang);
    const target = join(dist, 'locales', lang);
    mkdirSync(target, { recursive: true });
    const own = readJson(join(source, `${type}.json`));
    writeFileSync(join(target, `${type}.json`), `${JSON.stringify(options.catalog ? options.catalog(lang, own) : own, null, 2)}\n`);
    if (existsSync(join(source, `${type}.html`))) cpSync(join(source, `${type}.html`), join(target, `${type}.html`));
  }
  cpSync(join(configDir, 'icons'), join(dist, 'icons'), { recursive: true });
}
