import assert from 'node:assert/strict';
import { posix } from 'node:path';
import { analyzeScripts, dataI18nKeys, editorScripts, type KeyAnalysis, type KeyUse } from './helpers/i18n-keys';
import { catalogOf, companionPaths, leafKeys, lookup, nodeEntries, readShipped, runtimeScripts, type NodeEntry } from './helpers/node-sources';
import { packAll, type Tarball } from './helpers/tarballs';
import { LANGS, publishablePackages } from './helpers/workspace';

/** Keys missing from a catalog: messages must be strings; a dynamic key's group must be a non-empty object. */
function missingKeys(uses: KeyUse[], catalog: Record<string, unknown>): string[] {
  const missing = new Set<string>();
  for (const use of uses) {
    const value = lookup(catalog, use.key);
    const ok = use.kind === 'exact' ? typeof value === 'string' : value !== null && typeof value === 'object' && Object.keys(value).length > 0;
    if (!ok) missing.add(`${use.key}${use.kind === 'prefix' ? '.*' : ''} (${use.at})`);
  }
  return [...missing];
}

/** The types an editor file registers: `registerType('x'` or `registerType(TYPE` with `var TYPE = 'x'`. */
function registeredTypes(html: string): string[] {
  return [...html.matchAll(/RED\.nodes\.registerType\(\s*([^,\s)]+)/g)].map((m) => {
    const arg = m[1]!;
    const quoted = /^["'](.*)["']$/.exec(arg);
    if (quoted) return quoted[1]!;
    return new RegExp(`\\b(?:var|let|const)\\s+${arg.replace(/\$/g, '\\$')}\\s*=\\s*["']([^"']+)["']`).exec(html)?.[1] ?? `<${arg}: not found>`;
  });
}

function merge(...analyses: KeyAnalysis[]): KeyAnalysis {
  return { uses: analyses.flatMap((a) => a.uses), external: analyses.flatMap((a) => a.external), unverifiable: analyses.flatMap((a) => a.unverifiable) };
}

describe('node files, catalogs and i18n keys', function () {
  let tarballs: Map<string, Tarball>;

  before(async function () {
    tarballs = await packAll();
  });

  for (const pkg of publishablePackages()) {
    for (const [type] of Object.entries(pkg.manifest['node-red']?.nodes ?? {})) {
      describe(`${type} (${pkg.manifest.name})`, function () {
        let entry: NodeEntry;
        before(function () {
          const found = nodeEntries(tarballs.get(pkg.manifest.name)!).find((e) => e.type === type);
          assert.ok(found, `the packed package.json no longer lists ${type}`);
          entry = found;
        });

        it('its node file ends in .js and is in the tarball', function () {
          assert.match(entry.file, /\.js$/, 'Node-RED 4 loads .js node files (CommonJS)');
          assert.ok(entry.tarball.files.includes(entry.file), `${entry.file} is not in the tarball`);
        });

        it('a sibling .html in the tarball registers the type and its edit dialog', function () {
          const { html } = companionPaths(entry.file, 'en-US');
          const text = readShipped(entry.tarball, html);
          assert.ok(text !== undefined, `${html} is not in the tarball`);
          assert.deepEqual(registeredTypes(text), [type], `${html} should call RED.nodes.registerType('${type}', …) once`);
          assert.match(text, new RegExp(`data-template-name=["']${type}["']`), `${html} has no edit dialog template for ${type}`);
        });

        it('the icon the editor asks for is in the icons folder beside it', function () {
          const text = readShipped(entry.tarball, companionPaths(entry.file, 'en-US').html) ?? '';
          // `icon: 'x.svg'` in a hand-written definition, `"icon":"x.svg"` in a job editor's JSON spec.
          const icons = [...text.matchAll(/\b["']?icon["']?\s*:\s*["']([^"']+\.(?:svg|png))["']/g)].map((m) => m[1]!);
          const configNode = /\bcategory\s*:\s*["']config["']/.test(text);
          assert.ok(icons.length > 0 || configNode, 'no icon in the node definition');
          for (const icon of icons.filter((i) => !i.includes('/'))) {
            const path = posix.join(posix.dirname(entry.file), 'icons', icon);
            assert.ok(entry.tarball.files.includes(path), `${path} is not in the tarball`);
          }
        });

        for (const lang of LANGS) {
          it(`${lang}: its catalog and help are in the tarball`, function () {
            const paths = companionPaths(entry.file, lang);
            assert.ok(catalogOf(entry, lang), `${paths.catalog} is not in the tarball`);
            const help = readShipped(entry.tarball, paths.help) ?? '';
            const inline = readShipped(entry.tarball, paths.html) ?? '';
            assert.ok(
              new RegExp(`data-help-name=["']${type}["']`).test(help) || (lang === 'en-US' && new RegExp(`data-help-name=["']${type}["']`).test(inline)),
              `no ${lang} help for ${type} (${paths.help})`,
            );
          });
        }

        it('the en-US and zh-CN catalogs have the same keys', function () {
          const [en, zh] = LANGS.map((lang) => new Set(leafKeys(catalogOf(entry, lang) ?? {})));
          assert.deepEqual(
            [...en!].filter((k) => !zh!.has(k)),
            [],
            'in en-US only',
          );
          assert.deepEqual(
            [...zh!].filter((k) => !en!.has(k)),
            [],
            'in zh-CN only',
          );
        });

        it('every key its runtime uses (its own code and the shared code it calls) is in both catalogs', function () {
          const analysis = analyzeScripts(runtimeScripts(entry, tarballs));
          assert.deepEqual(analysis.unverifiable, [], 'keys that cannot be checked statically');
          assert.deepEqual(analysis.external, [], 'keys in another namespace');
          assert.ok(analysis.uses.length > 0, 'no key found in the runtime: the analysis is broken or the node prints no text');
          for (const lang of LANGS)
            assert.deepEqual(
              missingKeys(analysis.uses, catalogOf(entry, lang) ?? {}),
              [],
              `missing from ${lang}/${posix.basename(companionPaths(entry.file, lang).catalog)}`,
            );
        });

        it('every key its editor uses (script, data-i18n, help) is in both catalogs', function () {
          const { html } = companionPaths(entry.file, 'en-US');
          const text = readShipped(entry.tarball, html) ?? '';
          const helps = LANGS.map((lang) => readShipped(entry.tarball, companionPaths(entry.file, lang).help) ?? '');
          const analysis = merge(
            analyzeScripts(editorScripts(html, text)),
            dataI18nKeys(html, text),
            ...helps.map((h, i) => dataI18nKeys(`${LANGS[i]} help`, h)),
          );
          assert.deepEqual(analysis.unverifiable, [], 'keys that cannot be checked statically');
          assert.deepEqual(
            analysis.external.filter((u) => !u.key.startsWith('node-red:')),
            [],
            'keys in a namespace other than Node-RED core',
          );
          assert.ok(analysis.uses.length > 0, 'no key found in the editor: the analysis is broken or the dialog has no text');
          for (const lang of LANGS)
            assert.deepEqual(
              missingKeys(analysis.uses, catalogOf(entry, lang) ?? {}),
              [],
              `missing from ${lang}/${posix.basename(companionPaths(entry.file, lang).catalog)}`,
            );
        });
      });
    }
  }
});
