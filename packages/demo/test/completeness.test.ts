/**
 * Every job type in core's descriptor registry is whole: its thin package, node
 * registration, editor, catalogs and help in both languages, an example flow, an emulator
 * runner, a demo flow, and a place in the all package. A sixth job type that misses a step of
 * docs/adding-a-job-type.md fails here, naming what is missing.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JOB_DESCRIPTORS, JOB_TAGS, kebabTag, nodeTypeOf, packageOf, type JobTag } from '@node-red-tencent-ci/core';
import { RUNNERS } from '@node-red-tencent-ci/emulator';
import { demoFlows, loadExampleFlows, scanWorkspace } from '../src';

const ROOT = join(__dirname, '..', '..', '..');
const LANGS = ['en-US', 'zh-CN'] as const;
const WORKSPACE = scanWorkspace(ROOT);

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** What is missing for one job type, in words; empty when it is whole. */
function missingFor(tag: JobTag): string[] {
  const type = nodeTypeOf(tag);
  const problems: string[] = [];
  const missing = (what: string) => problems.push(`${tag}: ${what}`);
  const pkg = WORKSPACE.byFolder(kebabTag(tag));
  if (!pkg) {
    missing(`no package: packages/${kebabTag(tag)}/package.json`);
    return problems;
  }
  const { dir } = pkg;
  if (pkg.name !== packageOf(tag)) missing(`packages/${kebabTag(tag)}/package.json is named ${pkg.name}, not ${packageOf(tag)}`);

  const nodeFile = pkg.nodes[type];
  if (!nodeFile) missing(`package.json "node-red".nodes has no ${type}`);
  else if (!existsSync(join(dir, nodeFile))) missing(`the node file ${nodeFile} is not built`);
  else {
    const registered: string[] = [];
    const RED = {
      nodes: { registerType: (name: string) => registered.push(name), createNode() {} },
      events: { on() {}, removeListener() {} },
      _: (k: string) => k,
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require(join(dir, nodeFile)) as (red: unknown) => void)(RED);
    if (!registered.includes(type)) missing(`${nodeFile} does not register ${type} (it registers ${registered.join(', ') || 'nothing'})`);
  }

  const html = join(dir, 'dist', `${type}.html`);
  if (!existsSync(html)) missing(`no editor: dist/${type}.html`);
  else {
    const page = readFileSync(html, 'utf8');
    if (!page.includes(`data-template-name="${type}"`)) missing(`dist/${type}.html has no edit dialog template`);
    if (!page.includes(JSON.stringify(type))) missing(`dist/${type}.html does not register ${type} in the editor`);
  }
  for (const lang of LANGS) {
    const catalog = join(dir, 'dist', 'locales', lang, `${type}.json`);
    if (!existsSync(catalog)) missing(`no ${lang} catalog: dist/locales/${lang}/${type}.json`);
    else if (typeof readJson<{ node?: { paletteLabel?: unknown } }>(catalog).node?.paletteLabel !== 'string')
      missing(`the ${lang} catalog has no node.paletteLabel`);
    const help = join(dir, 'dist', 'locales', lang, `${type}.html`);
    if (!existsSync(help)) missing(`no ${lang} help: dist/locales/${lang}/${type}.html`);
    else {
      const text = readFileSync(help, 'utf8');
      if (!text.includes(`data-help-name="${type}"`)) missing(`the ${lang} help page is not for ${type}`);
      if (/\{\{|TODO/.test(text)) missing(`the ${lang} help page has an unfilled placeholder`);
    }
  }

  const { examplesDir, examples } = pkg;
  if (!examplesDir || !examples.some((f) => readJson<Array<{ type?: string }>>(join(examplesDir, f)).some((n) => n.type === type))) {
    missing(`no example flow with a ${type} node in packages/${kebabTag(tag)}/examples/`);
  }

  const { emulation } = JOB_DESCRIPTORS[tag];
  if ('runner' in emulation && !Object.prototype.hasOwnProperty.call(RUNNERS, emulation.runner)) {
    missing(`the emulator has no runner "${emulation.runner}" (emulator RUNNERS: ${Object.keys(RUNNERS).join(', ')})`);
  }

  if (!WORKSPACE.umbrella?.manifest.dependencies?.[packageOf(tag)]) missing(`the all package does not depend on ${packageOf(tag)}`);
  return problems;
}

describe('every job type in the descriptor registry is complete', () => {
  it('has its package, node, editor, catalogs and help in en-US and zh-CN, an example flow, an emulator runner and the all package', () => {
    assert.ok(JOB_TAGS.length >= 5, `the registry lists ${JOB_TAGS.length} job types`);
    assert.deepEqual(JOB_TAGS.flatMap(missingFor), []);
  });

  it('is in the demo: a node of every job type is deployed by the demo flows', () => {
    const flows = demoFlows(loadExampleFlows(ROOT), {
      emulatorUrl: 'http://127.0.0.1:1',
      bucket: 'examplebucket-1250000000',
      region: 'ap-guangzhou',
      secretId: 'id',
      secretKey: 'key',
      nodeRedUrl: 'http://127.0.0.1:2',
      callbackToken: 'token',
    });
    const types = new Set(flows.map((n) => n.type));
    assert.deepEqual(
      JOB_TAGS.filter((tag) => !types.has(nodeTypeOf(tag))).map((tag) => `${tag}: no ${nodeTypeOf(tag)} node in the demo flows`),
      [],
    );
  });

  it('names what is missing when a job type lacks its parts (a registry entry with no package)', () => {
    const problems = missingFor('NoSuchJob' as JobTag);
    assert.deepEqual(problems, ['NoSuchJob: no package: packages/no-such-job/package.json']);
  });
});
