/**
 * Each node type's palette icon and label, as a user of the published packages gets them:
 * every node a package registers (its package.json `node-red.nodes`) has its own icon,
 * `icons/<type>.svg` beside its node file (the folder Node-RED serves a node's icons from),
 * which its editor names; no two node types share one; each is an SVG in Node-RED's style
 * (viewBox 0 0 40 60, drawn in white on a transparent background); and the palette label fits
 * one line of the palette in both languages.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { catalogOf, companionPaths, leafKeys, lookup, nodeEntries, readShipped, type NodeEntry } from './helpers/node-sources';
import { PALETTE_LABEL_MAX, PALETTE_LINE, paletteLabelWidth } from './helpers/palette-label';
import { svgProblems } from './helpers/svg';
import { packAll, type Tarball } from './helpers/tarballs';
import { CONFIG_TYPE, LANGS, publishablePackages } from './helpers/workspace';

/** The brand icon the config package keeps (the config node has no palette entry, so no icon of its own). */
const BRAND_ICON = 'tencent-ci.svg';

/** The icons an editor HTML names in its own module: `icon: 'x.svg'` in a definition, `"icon":"x.svg"` in a job editor's spec. */
function namedIcons(html: string): string[] {
  return [...new Set([...html.matchAll(/["']?\bicon["']?\s*:\s*["']([^"'/]+\.(?:svg|png))["']/g)].map((m) => m[1]!))];
}

const isConfigNode = (html: string) => /\bcategory\s*:\s*["']config["']/.test(html);
const editorOf = (entry: NodeEntry) => readShipped(entry.tarball, companionPaths(entry.file, 'en-US').html) ?? '';
/** Where Node-RED looks for the icons of a node: `icons/` beside its node file. */
const iconPath = (entry: NodeEntry, icon: string) => posix.join(posix.dirname(entry.file), 'icons', icon);
const sha = (tarball: Tarball, path: string) =>
  createHash('sha256')
    .update(readFileSync(join(tarball.dir, path)))
    .digest('hex');

describe('node icons and palette labels', function () {
  let tarballs: Map<string, Tarball>;
  /** Every node entry of every tarball, with its editor HTML. */
  let nodes: Array<{ entry: NodeEntry; html: string }>;

  before(async function () {
    tarballs = await packAll();
    nodes = [...tarballs.values()].flatMap((t) => nodeEntries(t).map((entry) => ({ entry, html: editorOf(entry) })));
  });

  it('the SVG check refuses what is not a Node-RED style icon', function () {
    const ok = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="60" viewBox="0 0 40 60"><path d="M5 5h30v50H5z" fill="#fff"/></svg>';
    assert.deepEqual(svgProblems(ok), []);
    assert.deepEqual(svgProblems(ok.replace('0 0 40 60', '0 0 24 24').replace(' width="40" height="60"', '')), [
      'viewBox is "0 0 24 24", not "0 0 40 60" like Node-RED\'s icons',
    ]);
    assert.match(svgProblems(ok.replace('/>', '>'))[0]!, /<\/svg> closes <path>/);
    assert.match(svgProblems(ok.replace(' fill="#fff"', ''))[0]!, /filled #000/);
    assert.match(svgProblems(ok.replace('fill="#fff"', 'fill="#fff" stroke="red"'))[0]!, /stroked red/);
    assert.match(svgProblems(ok.replace('<path', '<rect width="40" height="60" fill="white"/><path')).join('\n'), /paints the whole icon/);
    assert.match(svgProblems('<svg viewBox="0 0 40 60"><g fill="#fff"><path d="M0 0h1"/></g></svg>')[0]!, /no xmlns/);
    assert.match(svgProblems('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 60" viewBox="0 0 1 1"/>')[0]!, /given twice/);
  });

  it('the width check keeps what Node-RED draws on one line even in DejaVu Sans ("http request"), and refuses what wraps there ("target detect")', function () {
    assert.ok(paletteLabelWidth('http request') <= PALETTE_LABEL_MAX);
    assert.ok(paletteLabelWidth('target detect') > PALETTE_LABEL_MAX);
    assert.ok(paletteLabelWidth('http response') < PALETTE_LINE, 'in Helvetica it fits, as on macOS and Windows');
    assert.equal(paletteLabelWidth('任务回调'), 52);
  });

  for (const pkg of publishablePackages()) {
    for (const type of Object.keys(pkg.manifest['node-red']?.nodes ?? {})) {
      describe(`${type} (${pkg.manifest.name})`, function () {
        let entry: NodeEntry;
        let html: string;
        before(function () {
          const found = nodes.find((n) => n.entry.type === type && n.entry.tarball.manifest.name === pkg.manifest.name);
          assert.ok(found, `the packed package.json no longer lists ${type}`);
          ({ entry, html } = found);
          assert.ok(html, `${companionPaths(entry.file, 'en-US').html} is not in the tarball`);
        });

        if (type === CONFIG_TYPE) {
          it(`has no palette entry and names no icon; its package keeps the brand icon ${BRAND_ICON}`, function () {
            assert.ok(isConfigNode(html), `${type} is not in the config category`);
            assert.deepEqual(namedIcons(html), []);
            assert.ok(entry.tarball.files.includes(iconPath(entry, BRAND_ICON)), `${iconPath(entry, BRAND_ICON)} is not in the tarball`);
            assert.deepEqual(svgProblems(readShipped(entry.tarball, iconPath(entry, BRAND_ICON))!), []);
          });
          return;
        }

        it(`its editor names its own icon ${type}.svg, which is in the tarball beside its node file`, function () {
          assert.ok(!isConfigNode(html), `${type} is in the config category`);
          assert.deepEqual(namedIcons(html), [`${type}.svg`], `the icon ${type}'s editor names`);
          assert.ok(entry.tarball.files.includes(iconPath(entry, `${type}.svg`)), `${iconPath(entry, `${type}.svg`)} is not in the tarball`);
        });

        it('its icon is an SVG with viewBox 0 0 40 60, a white glyph on a transparent background', function () {
          const text = readShipped(entry.tarball, iconPath(entry, `${type}.svg`));
          assert.ok(text !== undefined, `${iconPath(entry, `${type}.svg`)} is not in the tarball`);
          assert.deepEqual(svgProblems(text), []);
        });

        for (const lang of LANGS) {
          it(`${lang}: its palette label fits one line of the palette`, function () {
            const catalog = catalogOf(entry, lang) ?? {};
            const keys = leafKeys(catalog).filter((k) => k === 'paletteLabel' || k.endsWith('.paletteLabel'));
            assert.equal(keys.length, 1, `${lang} catalog of ${type}: one paletteLabel (found ${keys.join(', ') || 'none'})`);
            const label = lookup(catalog, keys[0]!);
            assert.ok(typeof label === 'string' && label.trim(), `${keys[0]} is empty`);
            const width = paletteLabelWidth(label);
            assert.ok(
              width <= PALETTE_LABEL_MAX,
              `"${label}" (${keys[0]}) is ${width.toFixed(1)} px wide in Helvetica; more than ${PALETTE_LABEL_MAX} px wraps past Node-RED's ${PALETTE_LINE} px palette line in a wider fallback font`,
            );
          });
        }
      });
    }
  }

  it('no two node types share an icon file, by name or by drawing, nor reuse the brand icon', function () {
    const byName = new Map<string, string[]>();
    const byDrawing = new Map<string, string[]>();
    for (const { entry, html } of nodes) {
      for (const icon of namedIcons(html)) {
        const path = iconPath(entry, icon);
        byName.set(icon, [...(byName.get(icon) ?? []), entry.type]);
        if (entry.tarball.files.includes(path)) {
          const hash = sha(entry.tarball, path);
          byDrawing.set(hash, [...(byDrawing.get(hash) ?? []), `${entry.type} (${icon})`]);
        }
      }
    }
    const config = tarballs.get(publishablePackages().find((p) => CONFIG_TYPE in (p.manifest['node-red']?.nodes ?? {}))!.manifest.name)!;
    const brand = sha(config, posix.join('dist', 'icons', BRAND_ICON));
    const named = nodes.filter(({ html }) => namedIcons(html).length > 0).length;
    assert.ok(named >= 7, `only ${named} node types name a palette icon: the scan is broken`);
    const problems = [
      ...[...byName].filter(([, types]) => types.length > 1).map(([icon, types]) => `${types.join(', ')} name the same icon ${icon}`),
      ...[...byDrawing].filter(([, types]) => types.length > 1).map(([, types]) => `${types.join(', ')} are the same drawing`),
      ...(byDrawing.get(brand) ?? []).map((type) => `${type} is the config package's ${BRAND_ICON}`),
    ];
    assert.deepEqual(problems, []);
  });

  it("each tarball's icons folders hold only the icons its nodes name (Node-RED offers every one in its icon picker)", function () {
    const problems: string[] = [];
    for (const tarball of tarballs.values()) {
      const entries = nodeEntries(tarball);
      const expected = new Set(
        entries.flatMap((entry) => [...namedIcons(editorOf(entry)), ...(entry.type === CONFIG_TYPE ? [BRAND_ICON] : [])].map((icon) => iconPath(entry, icon))),
      );
      const shipped = tarball.files.filter((f) => /(^|\/)icons\//.test(f));
      for (const path of shipped) if (!expected.has(path)) problems.push(`${tarball.manifest.name}: ${path} is named by no node`);
      for (const path of expected) if (!shipped.includes(path)) problems.push(`${tarball.manifest.name}: ${path} is missing`);
    }
    assert.deepEqual(problems, []);
  });
});
