/** A shipped node's files as Node-RED finds them: the .js, its sibling .html, its catalogs and help. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import type { ScriptFile } from './i18n-keys';
import type { Tarball } from './tarballs';
import { SCOPE } from './workspace';

export interface NodeEntry {
  tarball: Tarball;
  type: string;
  /** The `node-red.nodes` path, relative to the package root. */
  file: string;
}

export function nodeEntries(tarball: Tarball): NodeEntry[] {
  return Object.entries(tarball.manifest['node-red']?.nodes ?? {}).map(([type, file]) => ({ tarball, type, file: posix.normalize(file) }));
}

/** Paths (relative to the package root) Node-RED derives from a node file: `dist/x.js` → `dist/x.html`, `dist/locales/<lang>/x.json`. */
export function companionPaths(file: string, lang: string): { html: string; catalog: string; help: string } {
  const dir = posix.dirname(file);
  const base = posix.basename(file).replace(/\.c?js$/, '');
  return {
    html: posix.join(dir, `${base}.html`),
    catalog: posix.join(dir, 'locales', lang, `${base}.json`),
    help: posix.join(dir, 'locales', lang, `${base}.html`),
  };
}

export function readShipped(tarball: Tarball, path: string): string | undefined {
  return tarball.files.includes(path) ? readFileSync(join(tarball.dir, path), 'utf8') : undefined;
}

export function catalogOf(entry: NodeEntry, lang: string): Record<string, unknown> | undefined {
  const text = readShipped(entry.tarball, companionPaths(entry.file, lang).catalog);
  return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
}

function resolveFile(path: string): string | undefined {
  for (const candidate of [path, `${path}.js`, join(path, 'index.js')]) if (existsSync(candidate) && candidate.endsWith('.js')) return candidate;
  return undefined;
}

/**
 * The node's runtime JavaScript and everything it requires from this project's packages,
 * read from the extracted tarballs (files of the node's own package are `own`).
 */
export function runtimeScripts(entry: NodeEntry, tarballs: Map<string, Tarball>): ScriptFile[] {
  const out: ScriptFile[] = [];
  const seen = new Set<string>();
  const visit = (file: string, owner: Tarball) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const imports: Record<string, string> = {};
    const next: Array<{ file: string; owner: Tarball }> = [];
    for (const m of text.matchAll(/(?:\b(?:const|let|var)\s+([\w$]+)\s*=\s*)?\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
      const spec = m[2]!;
      let target: { file: string; owner: Tarball } | undefined;
      if (spec.startsWith('.')) {
        const resolved = resolveFile(join(dirname(file), spec));
        if (resolved) target = { file: resolved, owner };
      } else if (spec.startsWith(SCOPE)) {
        const [scope, name, ...rest] = spec.split('/');
        const tarball = tarballs.get(`${scope}/${name}`);
        if (!tarball) throw new Error(`${file} requires ${spec}, which is not one of the packed packages`);
        const resolved = resolveFile(join(tarball.dir, rest.length ? rest.join('/') : String(tarball.manifest.main ?? 'index.js')));
        if (!resolved) throw new Error(`${file} requires ${spec}, which the tarball of ${tarball.manifest.name} does not contain`);
        target = { file: resolved, owner: tarball };
      }
      if (!target) continue;
      if (m[1]) imports[m[1]] = spec;
      next.push(target);
    }
    out.push({ name: `${owner.manifest.name}/${relative(owner.dir, file)}`, text, own: owner === entry.tarball, imports });
    for (const n of next) visit(n.file, n.owner);
  };
  const main = join(entry.tarball.dir, entry.file);
  if (!existsSync(main)) throw new Error(`${entry.tarball.manifest.name}: ${entry.file} is not in the tarball`);
  visit(main, entry.tarball);
  return out;
}

/** A catalog entry by dotted key (i18next's default key separator), or undefined. */
export function lookup(catalog: Record<string, unknown>, key: string): unknown {
  let value: unknown = catalog;
  for (const part of key.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Every leaf key of a catalog (`a.b.c`). */
export function leafKeys(catalog: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(catalog).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' ? leafKeys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}
