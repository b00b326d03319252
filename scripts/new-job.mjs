#!/usr/bin/env node
// `npm run new-job -- <Tag> [--label "video tag"] [--label-zh "视频标签"] [--summary-zh "…"]`: makes the thin package of a
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

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { label: { type: 'string' }, 'label-zh': { type: 'string' }, 'summary-zh': { type: 'string' }, 'skip-install': { type: 'boolean' } },
});
const [tag] = positionals;
if (!tag || !/^[A-Z][A-Za-z0-9]*$/.test(tag)) fail('give the job Tag, e.g. npm run new-job -- VideoClassify');

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed`);
};

// The registry is read from core's build and the editor's view of it from config's, so build both first.
run('npm', ['run', 'build', '-w', 'packages/core']);
run('npm', ['run', 'build', '-w', 'packages/config']);
const load = (pkg) => createRequire(join(root, 'packages', pkg, 'package.json'))('./dist/index.js');
const core = load('core');
const config = load('config');
if (!core.isJobTag(tag))
  fail(
    `${tag} is not in core's registry: add its descriptor (packages/core/src/jobs/${core.kebabTag(tag)}.ts) and its line in JOBS (packages/core/src/jobs/index.ts) first`,
  );
const descriptor = core.getDescriptor(tag);
const kebab = core.kebabTag(tag);
const type = core.nodeTypeOf(tag);
const dir = join(root, 'packages', kebab);
if (existsSync(dir)) fail(`packages/${kebab} exists already`);

const allFile = join(root, 'packages', 'all', 'package.json');
const all = JSON.parse(readFileSync(allFile, 'utf8'));
const label = values.label ?? kebab.replace(/-/g, ' ');
const labelZh = values['label-zh'] ?? label;

/** The node settings a new node starts with (the descriptor's `initial` values), as the editor keys them. */
const starting = config.startingProps(descriptor);

/** A `msg.ciParams` example and the error the node gives for a value that is not allowed, from the descriptor. */
function overrideExample() {
  const field = descriptor.operation.JobLevel ? 'JobLevel' : Object.keys(descriptor.operation).find((k) => descriptor.operation[k].kind !== 'container');
  if (!field) return { ciParams: '{ "UserData": "run-1" }', error: 'Operation is not an object' };
  const bad = descriptor.operation[field].kind === 'string' ? 'x'.repeat((descriptor.operation[field].maxLength ?? 1024) + 1) : '7';
  let error = `Operation.${field} is ${bad}`;
  // The rest of the Operation as a new node sends it, so that only `field` is wrong.
  const { Operation: operation = {} } = config.paramsFromNode(descriptor, starting);
  try {
    core.validateJobRequest(tag, { Input: { Object: 'input/demo.mp4' }, Operation: { ...operation, [field]: bad } });
  } catch (err) {
    error = String(err.message)
      .replace(/^Invalid \w+ job: /, '')
      .split('; Operation.')[0];
  }
  return { ciParams: `{ "${field}": ${descriptor.operation[field].kind === 'integer' ? 1 : '"1"'} }`, error };
}
const example = overrideExample();
const scripted = 'scripted' in descriptor.emulation ? descriptor.emulation.scripted.element : undefined;
const names = {
  __TAG__: tag,
  __KEBAB__: kebab,
  __TYPE__: type,
  __LABEL__: label,
  __LABEL_ZH__: labelZh,
  __SUMMARY__: descriptor.summary,
  __SUMMARY_ZH__: values['summary-zh'] ?? descriptor.summary,
  __VERSION__: all.version,
  __CIPARAMS__: example.ciParams.replace(/&/g, '&amp;').replace(/</g, '&lt;'),
  __ERROR_EXAMPLE__: example.error.replace(/&/g, '&amp;').replace(/</g, '&lt;'),
  __RESULT_AT__: scripted ? `.${scripted}` : '',
  __NOTES_EN__: scripted
    ? `<p><b>Local emulator.</b> The emulator runs no ${tag} model: its results are scripted by a JSON file beside the input (<code>input/demo.mp4.ci-result.json</code>) or a scenario file; without one the job succeeds with an empty result, and its <code>Message</code> says the result is emulated.</p>`
    : '',
  __NOTES_ZH__: scripted
    ? `<p><b>本地模拟器。</b>模拟器不运行 ${tag} 算法：结果来自输入文件旁的 JSON 脚本（<code>input/demo.mp4.ci-result.json</code>）或场景文件；没有脚本时任务成功但结果为空，其 <code>Message</code> 会说明结果是模拟的。</p>`
    : '',
};
// Other __NAMES__ (__ID0__, __STARTING_PROPS__) are the example flow's, filled below.
const fill = (text) => text.replace(/__[A-Z]+(?:_[A-Z]+)*__/g, (m) => names[m] ?? m);

function exampleFlow(text) {
  const ids = new Map();
  const id = (key) => ids.get(key) ?? ids.set(key, randomBytes(8).toString('hex')).get(key);
  const nodes = JSON.parse(fill(text).replace(/__ID(\d+)__/g, (_, n) => id(n)));
  return nodes.map((node) => {
    if (!node.__STARTING_PROPS__) return node;
    const { __STARTING_PROPS__: _, wires, x, y, ...rest } = node;
    return { ...rest, ...starting, x, y, wires };
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
    else if (file.endsWith('.json') && folder.endsWith('examples'))
      writeFileSync(file, `${JSON.stringify(exampleFlow(readFileSync(file, 'utf8')), null, 2)}\n`);
    else writeFileSync(file, fill(readFileSync(file, 'utf8')));
  }
})(dir);

// 2. The job's own words: palette label and input hint (the help fragments came with the
// template); field labels and docs fall back to the descriptor (API names, English docs)
// until they are translated in these catalogs.
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
      paletteLabel: labelZh,
      label: labelZh,
      inputHint: `输入文件的对象键，例如 input/demo.mp4${acceptsUrl ? '，或其 http(s) URL' : ''}（或其他任务节点输出的 JobsDetail）。`,
    },
  },
};
for (const [lang, catalog] of Object.entries(catalogs)) {
  mkdirSync(join(dir, 'locales', lang), { recursive: true });
  writeFileSync(join(dir, 'locales', lang, `${type}.json`), `${JSON.stringify(catalog, null, 2)}\n`);
}

// 3. The all package installs it; the changeset announces it.
const pkgName = core.packageOf(tag);
all.dependencies = { ...all.dependencies, [pkgName]: `^${all.version}` };
writeFileSync(allFile, `${JSON.stringify(all, null, 2)}\n`);
writeFileSync(
  join(root, '.changeset', `add-${kebab}.md`),
  `---\n"${pkgName}": minor\n"${all.name}": minor\n---\n\nNew node ${type} (${label}): ${descriptor.summary}\n`,
);

// 4. Link the new workspace package (and record it in package-lock.json).
if (!values['skip-install']) run('npm', ['install', '--no-audit', '--no-fund']);
console.log(`\nnew-job: packages/${kebab} is ready. Next: npm run build, then npm test.`);
console.log(
  `Its palette icon packages/${kebab}/icons/${type}.svg is the template's placeholder: draw the job's own glyph (white on transparent, viewBox 0 0 40 60).`,
);
