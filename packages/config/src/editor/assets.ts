/**
 * Puts a node's editor assets next to its compiled `.js`, where Node-RED looks for them:
 * `dist/<type>.html` (from `src/<type>.html` when the package writes its editor by hand),
 * `dist/locales/<lang>/<type>.json` and `<type>.html` (catalog and help), and the package's
 * own `icons/` (`dist/icons/`, beside the node's `.js`, is the folder Node-RED serves a node's
 * icons from; each node type's palette icon is `icons/<type>.svg`, see paletteIcon). One
 * routine for the config node, the job nodes (whose editor and catalog the generator writes)
 * and the wait and callback nodes. A help page is
 * copied from `locales/<lang>/<type>.html`, or, for a job node, put together from the job's
 * own `locales/<lang>/<type>.help.html` and the config package's shared parts (help.ts).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isJobTag, packageOf } from '@node-red-tencent-ci/core';
import { LANGS, type Lang } from './allowed-text';
import { withSnippets } from './editor-snippets';
import { assembleHelp, HELP_PARTS, parseHelpFragment, type HelpPart } from './help';

export interface AssetOptions {
  type: string;
  /** The node package's root (has src/, locales/ and icons/). */
  packageDir: string;
  /** The config package's root (has locales/<lang>/job-common.json and job-help/). */
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

/** The icon files an editor HTML names in this module: `icon: 'x.svg'` in a definition, `"icon":"x.svg"` in a job editor's spec. */
export function namedIcons(html: string): string[] {
  const names = [...html.matchAll(/["']?\bicon["']?\s*:\s*["']([^"'/]+\.(?:svg|png))["']/g)].map((m) => m[1]!);
  return [...new Set(names)];
}

/**
 * `dist/icons/` as the package's `icons/` (emptied first, so no icon of an earlier build is
 * published), after checking that every icon the node's editor (`dist/<type>.html`) names is there.
 */
function copyIcons(type: string, packageDir: string, dist: string): void {
  const icons = join(packageDir, 'icons');
  const editor = join(dist, `${type}.html`);
  for (const icon of existsSync(editor) ? namedIcons(readFileSync(editor, 'utf8')) : []) {
    if (!existsSync(join(icons, icon))) {
      throw new Error(
        `${type}: its editor names the palette icon ${icon}, but ${join(icons, icon)} is missing. Each node type ships its own icon, icons/<type>.svg: a white glyph on a transparent background, viewBox 0 0 40 60, like Node-RED's own icons.`,
      );
    }
  }
  rmSync(join(dist, 'icons'), { recursive: true, force: true });
  if (existsSync(icons)) cpSync(icons, join(dist, 'icons'), { recursive: true });
}

export function copyNodeAssets(options: AssetOptions): void {
  const { type, packageDir, configDir } = options;
  const dist = join(packageDir, 'dist');
  mkdirSync(dist, { recursive: true });
  const editor = join(packageDir, 'src', `${type}.html`);
  if (existsSync(editor)) writeFileSync(join(dist, `${type}.html`), withSnippets(readFileSync(editor, 'utf8'), type));
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
  copyIcons(type, packageDir, dist);
}
