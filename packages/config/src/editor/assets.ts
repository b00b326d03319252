/**
 * Puts a node's editor assets next to its compiled `.js`, where Node-RED looks for them:
 * `dist/<type>.html` (from `src/<type>.html` when the package writes its editor by hand),
 * `dist/locales/<lang>/<type>.json` and `<type>.html` (catalog and help), and the shared
 * icons from the config package. One routine for the config node, the job nodes (whose
 * editor and catalog the generator writes) and the wait and callback nodes. A help page is
 * copied from `locales/<lang>/<type>.html`, or, for a job node, put together from the job's
 * own `locales/<lang>/<type>.help.html` and the config package's shared parts (help.ts).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isJobTag, packageOf } from '@node-red-tencent-ci/core';
import { LANGS, type Lang } from './allowed-text';
import { withSnippets } from './editor-snippets';
import { assembleHelp, HELP_PARTS, parseHelpFragment, type HelpPart } from './help';

export interface AssetOptions {
  type: string;
  /** The node package's root (has src/, locales/). */
  packageDir: string;
  /** The config package's root (has icons/ and locales/<lang>/job-common.json). */
  configDir: string;
  /** The catalog to write for a language; default: the package's own `locales/<lang>/<type>.json` as it is. */
  catalog?: (lang: Lang, own: Record<string, unknown>) => Record<string, unknown>;
  /** The job's Tag, for a job node whose help is assembled from `<type>.help.html` (buildJobEditor passes it). */
  tag?: string;
}

/** A message catalog or other JSON read at build time: free-form, as Node-RED's i18n takes it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export function readJson(file: string): Json {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
}

/** The `common` strings every node that uses StatusTracker needs (status texts, output labels, editor labels). */
export function withCommon(configDir: string) {
  return (lang: Lang, own: Record<string, unknown>) => ({ common: readJson(join(configDir, 'locales', lang, 'job-common.json')).common, ...own });
}

/** The help parts every job node shares, in one language (`<configDir>/locales/<lang>/job-help/`). */
export function sharedHelp(configDir: string, lang: Lang): Record<HelpPart, string> {
  return Object.fromEntries(HELP_PARTS.map((part) => [part, readFileSync(join(configDir, 'locales', lang, 'job-help', `${part}.html`), 'utf8')])) as Record<
    HelpPart,
    string
  >;
}

/** The help page of a job node from its fragment `file`. */
export function jobHelp(file: string, type: string, tag: string | undefined, configDir: string, lang: Lang): string {
  if (!isJobTag(tag)) throw new Error(`${file}: a help fragment needs the job's Tag (got ${JSON.stringify(tag)})`);
  return assembleHelp(sharedHelp(configDir, lang), parseHelpFragment(readFileSync(file, 'utf8'), file), { type, tag, package: packageOf(tag) }, file);
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
    const page = join(source, `${type}.html`);
    const fragment = join(source, `${type}.help.html`);
    if (existsSync(page) && existsSync(fragment)) throw new Error(`${source}: both ${type}.html and ${type}.help.html; keep one`);
    if (existsSync(fragment)) writeFileSync(join(target, `${type}.html`), jobHelp(fragment, type, options.tag, configDir, lang));
    else if (existsSync(page)) cpSync(page, join(target, `${type}.html`));
  }
  cpSync(join(configDir, 'icons'), join(dist, 'icons'), { recursive: true });
}
