/**
 * Source comments cite the project's own notes in docs/ (docs/README.md), never material
 * that lives outside the repository. This test reads every source, test and script file of
 * the monorepo and checks both halves: no citation of outside notes, and every cited
 * `docs/….md` page (and `#anchor`, when given) exists.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const SELF = resolve(__filename);

/** Where sources live: packages/<name>/{src,test,scripts} and the root scripts/. */
function scannedDirs(): string[] {
  const dirs = [join(ROOT, 'scripts')];
  for (const pkg of readdirSync(join(ROOT, 'packages'))) {
    for (const sub of ['src', 'test', 'scripts']) dirs.push(join(ROOT, 'packages', pkg, sub));
  }
  return dirs.filter((d) => existsSync(d) && statSync(d).isDirectory());
}

const TEXT_FILE = /\.(?:[cm]?[jt]s|json|md|html)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist']);

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) filesUnder(path, out);
    } else if (entry.isFile() && TEXT_FILE.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

const FILES = scannedDirs().flatMap((d) => filesUnder(d));

/** Names of notes that live outside the repository, which a reader of the code cannot open. */
const OUTSIDE_NOTES: ReadonlyArray<[string, RegExp]> = [
  ['the outside API reference', /\bci-api\.md\b/],
  ['the outside design note', /\bDESIGN\.md\b/],
  ['the outside Node-RED notes', /\bnodered-conventions\.md\b/],
  ['the outside toolchain notes', /\btoolchain\.md\b/],
  ['the outside reference folder', /\bshared\/reference\b/],
  ['a numbered seed page', /\bseed(?: doc)? 00\d\b/i],
];

/** `docs/api/requests.md` or `docs/api/requests.md#query`, not part of a longer path. */
const DOC_CITATION = /(?<![\w./-])docs\/[\w./-]+?\.md(?:#[\w-]+)?/g;

interface Hit {
  file: string;
  line: number;
  text: string;
}

function hits(pattern: RegExp, files: readonly string[]): Hit[] {
  const found: Hit[] = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      const re = new RegExp(pattern.source, pattern.flags.replace('g', '') + 'g');
      for (const m of text.matchAll(re)) found.push({ file: relative(ROOT, file), line: i + 1, text: m[0] });
    });
  }
  return found;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors a markdown page offers, duplicates numbered as GitHub numbers them. */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*(?:```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

const show = (list: readonly Hit[]) => list.map((h) => `${h.file}:${h.line} ${h.text}`).join('\n');

describe('doc citations', () => {
  it('scans the source, test and script files of every package', () => {
    const core = FILES.filter((f) => relative(ROOT, f).startsWith(join('packages', 'core', 'src')));
    assert.ok(core.length >= 10, `only ${core.length} files found under packages/core/src`);
    assert.ok(
      FILES.some((f) => relative(ROOT, f).startsWith('scripts')),
      'no file found under scripts/',
    );
  });

  for (const [what, pattern] of OUTSIDE_NOTES) {
    it(`does not name ${what} (${pattern.source})`, () => {
      const found = hits(
        pattern,
        FILES.filter((f) => f !== SELF),
      );
      assert.deepEqual(found, [], `cite a docs/ page instead:\n${show(found)}`);
    });
  }

  it('cites only docs/ pages that exist', () => {
    const cited = hits(DOC_CITATION, FILES);
    assert.ok(cited.length > 0, 'no docs/ citation found at all');
    const missing = cited.filter((h) => !existsSync(join(ROOT, h.text.split('#')[0]!)));
    assert.deepEqual(missing, [], `cited pages missing from docs/:\n${show(missing)}`);
  });

  it('cites only anchors that the cited page has', () => {
    const anchored = hits(DOC_CITATION, FILES).filter((h) => h.text.includes('#') && existsSync(join(ROOT, h.text.split('#')[0]!)));
    const broken = anchored.filter((h) => {
      const [page, anchor] = h.text.split('#') as [string, string];
      return !anchorsOf(join(ROOT, page)).has(anchor);
    });
    assert.deepEqual(broken, [], `cited anchors missing from their page:\n${show(broken)}`);
  });

  it('gives every job type a section in docs/api/job-types.md', () => {
    const anchors = anchorsOf(join(ROOT, 'docs', 'api', 'job-types.md'));
    for (const anchor of ['mediainfo', 'snapshot', 'qualityestimate', 'videotag', 'videotargetrec']) {
      assert.ok(anchors.has(anchor), `docs/api/job-types.md has no #${anchor} section`);
    }
  });
});
