#!/usr/bin/env node
// `npm run new-job -- <Tag> [--label "video tag"] [--label-zh "视频标签"]`: makes the thin package of a
// job type whose descriptor is already in core's registry (docs/adding-a-job-type.md). It copies
// scripts/job-package-template/ to packages/<kebab-tag>/ with the job's names, writes its
// catalogs and help fragments in en-US and zh-CN from the descriptor, adds the package to the
// all package and a changeset, and links it into the workspace with `npm install`.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fail = (message) => {
  console.error(`new-job: ${message}`);
  process.exit(1);
};

const { positionals, values } = parseArgs({ allowPositionals: true, options: { label: { type: 'string' }, 'label-zh': { type: 'string' }, 'skip-install': { type: 'boolean' } } });
const [tag] = positionals;
if (!tag || !/^[A-Z][A-Za-z0-9]*$/.test(tag)) fail('give the job Tag, e.g. npm run new-job -- VideoClassify');

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed`);
};

// The registry is read from core's build, so build core first.
run('npm', ['run', 'build', '-w', 'packages/core']);
const core = createRequire(join(root, 'packages', 'core', 'package.json'))('./dist/index.js');
if (!core.isJobTag(tag)) fail(`${tag} is not in core's registry: add its descriptor (packages/core/src/jobs/${core.kebabTag(tag)}.ts) and its line in JOBS (packages/core/src/jobs/index.ts) first`);
const descriptor = core.getDescriptor(tag);
const kebab = core.kebabTag(tag);
const type = core.nodeTypeOf(tag);
const dir = join(root, 'packages', kebab);
if (existsSync(dir)) fail(`packages/${kebab} exists already`);

const allFile = join(root, 'packages', 'all', 'package.json');
const all = JSON.parse(readFileSync(allFile, 'utf8'));
const label = values.label ?? kebab.replace(/-/g, ' ');
const names = {
  __TAG__: tag,
  __KEBAB__: kebab,
  __TYPE__: type,
  __LABEL__: label,
  __SUMMARY__: descriptor.summary,
  __VERSION__: all.version,
};
const fill = (text) => text.replace(/__(TAG|KEBAB|TYPE|LABEL|SUMMARY|VERSION)__/g, (m) => names[m]);

/** The node settings a new node starts with (the descriptor's `initial` values), as the editor keys them. */
function startingProps(fields, path = []) {
  return Object.entries(fields).flatMap(([name, spec]) =>
    spec.fields ? startingProps(spec.fields, [...path, name]) : spec.initial !== undefined ? [[[...path, name].join('_'), spec.initial]] : [],
  );
}

function exampleFlow(text) {
  const ids = new Map();
  const id = (key) => ids.get(key) ?? ids.set(key, randomBytes(8).toString('hex')).get(key);
  const nodes = JSON.parse(fill(text).replace(/__ID(\d+)__/g, (_, n) => id(n)));
  return nodes.map((node) => {
    if (!node.__STARTING_PROPS__) return node;
    const { __STARTING_PROPS__: _, wires, x, y, ...rest } = node;
    return { ...rest, ...Object.fromEntries(startingProps(descriptor.operation)), x, y, wires };
  });
}

// 1. The template, with the job's names in file names and contents.
cpSync(join(root, 'scripts', 'job-package-template'), dir, { recursive: true });
(function rename(folder) {
  for (const entry of readdirSync(folder)) {
    let file = join(folder, entry);
    if (entry.includes('__')) {
      const renamed = join(folder, fill(entry));
      renameSync(file, renamed);
      file = renamed;
    }
    if (statSync(file).isDirectory()) rename(file);
    else if (file.endsWith('.json') && folder.endsWith('examples')) writeFileSync(file, `${JSON.stringify(exampleFlow(readFileSync(file, 'utf8')), null, 2)}\n`);
    else writeFileSync(file, fill(readFileSync(file, 'utf8')));
  }
})(dir);

// 2. The job's own words: palette label and input hint; field labels and docs fall back to the
// descriptor (API names, English docs) until they are translated here.
const acceptsUrl = 'Url' in descriptor.input;
const catalogs = {
  'en-US': {
    node: {
      paletteLabel: label,
      label,
      inputHint: `Object key of the input, e.g. input/demo.mp4${acceptsUrl ? ', or its http(s) URL' : ''} (or the JobsDetail of another job).`,
    },
  },
  'zh-CN': {
    node: {
      paletteLabel: values['label-zh'] ?? label,
      label: values['label-zh'] ?? label,
      inputHint: `输入文件的对象键，例如 input/demo.mp4${acceptsUrl ? '，或其 http(s) URL' : ''}（或其他任务节点输出的 JobsDetail）。`,
    },
  },
};
for (const [lang, catalog] of Object.entries(catalogs)) {
  mkdirSync(join(dir, 'locales', lang), { recursive: true });
  writeFileSync(join(dir, 'locales', lang, `${type}.json`), `${JSON.stringify(catalog, null, 2)}\n`);
}

// 3. The all package installs it; the changeset announces it.
all.dependencies = { ...all.dependencies, [`@node-red-tencent-ci/${kebab}`]: `^${all.version}` };
writeFileSync(allFile, `${JSON.stringify(all, null, 2)}\n`);
writeFileSync(
  join(root, '.changeset', `add-${kebab}.md`),
  `---\n"@node-red-tencent-ci/${kebab}": minor\n"@node-red-tencent-ci/all": minor\n---\n\nNew node ${type} (${label}): ${descriptor.summary}\n`,
);

// 4. Link the new workspace package (and record it in package-lock.json).
if (!values['skip-install']) run('npm', ['install', '--no-audit', '--no-fund']);
console.log(`\nnew-job: packages/${kebab} is ready. Next: npm run build, then npm test.`);
