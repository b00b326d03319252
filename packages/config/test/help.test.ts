import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDescriptor, JOB_TAGS, kebabTag, nodeTypeOf, packageOf } from '@node-red-tencent-ci/core';
import { LANGS } from '../src/editor/allowed-text';
import { copyNodeAssets, jobHelp, sharedHelp } from '../src/editor/assets';
import { assembleHelp, HELP_PARTS, HELP_SECTIONS, parseHelpFragment, type HelpPart } from '../src/editor/help';

const CONFIG_DIR = join(__dirname, '..');
const PACKAGES = join(CONFIG_DIR, '..');
const HEADINGS = { 'en-US': ['Inputs', 'Outputs', 'Details', 'Example'], 'zh-CN': ['输入', '输出', '详细说明', '示例'] } as const;

const placeholders = (text: string) => [...text.matchAll(/\{\{([A-Za-z]+)\}\}/g)].map((m) => m[1]!);

const SHARED: Record<HelpPart, string> = {
  inputs: '<h3>In</h3>\n<p>key of the {{subject}}{{inputAlso}}; e.g. {{ciParams}}</p>\n',
  outputs: '<h3>Out</h3>\n<p>{{tag}} Submitted{{submitted}}, Success{{result}}{{failed}}</p>\n',
  details:
    '<h3>Details</h3>\n{{details}}\n<p>Values ({{valueExamples}}): {{values}}</p>\n<p>no limit{{waiting}}.</p>\n<p>Invalid {{tag}} job: {{errorExample}}</p>\n{{notes}}\n',
  example: '<h3>Example</h3>\n<p>Import {{package}} ▸ {{tag}} with wait for result. {{example}}</p>\n',
};
const NAMES = { type: 'tencent-ci-x', tag: 'X', package: '@node-red-tencent-ci/x' };
const FRAGMENT = `<!-- A comment before the sections is ignored. -->
<!-- section: intro -->
<p>Does X.</p>
<!-- section: subject -->
video
<!-- section: ciParams -->
<code>{ "X": {} }</code>
<!-- section: result -->
 and the result in <code>Operation.X</code>.
<!-- section: details -->
<p>One.</p>
<p>Two.</p>
<!-- section: valueExamples -->
<code>"1"</code>
<!-- section: values -->
convert.
<!-- section: errorExample -->
Operation.X is 0
<!-- section: example -->
It works.

`;

describe('job help pages', () => {
  describe('parseHelpFragment', () => {
    it('reads named sections verbatim, without their trailing newlines, ignoring a leading comment', () => {
      const s = parseHelpFragment(FRAGMENT);
      assert.deepEqual(Object.keys(s), ['intro', 'subject', 'ciParams', 'result', 'details', 'valueExamples', 'values', 'errorExample', 'example']);
      assert.equal(s.result, ' and the result in <code>Operation.X</code>.');
      assert.equal(s.details, '<p>One.</p>\n<p>Two.</p>');
      assert.equal(s.example, 'It works.');
    });
    it('refuses an unknown or repeated section and text before the first one', () => {
      assert.throws(() => parseHelpFragment('<!-- section: intro -->\na\n<!-- section: outro -->\nb\n', 'f.html'), /f\.html: unknown section "outro"/);
      assert.throws(() => parseHelpFragment('<!-- section: intro -->\na\n<!-- section: intro -->\nb\n'), /"intro" appears twice/);
      assert.throws(() => parseHelpFragment('stray\n<!-- section: intro -->\na\n'), /text before the first/);
    });
  });

  describe('assembleHelp', () => {
    it('fills every placeholder and drops the line of an empty block section', () => {
      assert.equal(
        assembleHelp(SHARED, parseHelpFragment(FRAGMENT), NAMES),
        `<script type="text/html" data-help-name="tencent-ci-x">
<p>Does X.</p>

<h3>In</h3>
<p>key of the video; e.g. <code>{ "X": {} }</code></p>

<h3>Out</h3>
<p>X Submitted, Success and the result in <code>Operation.X</code>.</p>

<h3>Details</h3>
<p>One.</p>
<p>Two.</p>
<p>Values (<code>"1"</code>): convert.</p>
<p>no limit.</p>
<p>Invalid X job: Operation.X is 0</p>

<h3>Example</h3>
<p>Import @node-red-tencent-ci/x ▸ X with wait for result. It works.</p>
</script>
`,
      );
    });
    it('puts optional sections where the shared text says', () => {
      const own = {
        ...parseHelpFragment(FRAGMENT),
        inputAlso: ', or a URL',
        submitted: ' on the AI queue',
        failed: ' (bad file)',
        waiting: '; be patient',
        notes: '<p>Limits.</p>',
      };
      const page = assembleHelp(SHARED, own, NAMES);
      assert.match(page, /key of the video, or a URL; e\.g\./);
      assert.match(page, /X Submitted on the AI queue, Success and the result in <code>Operation\.X<\/code>\. \(bad file\)/);
      assert.match(page, /no limit; be patient\./);
      assert.match(page, /Operation\.X is 0<\/p>\n<p>Limits\.<\/p>\n\n<h3>Example/);
    });
    it('refuses a missing required section, an unknown one, an unknown placeholder and a placeholder in a job section', () => {
      const own = parseHelpFragment(FRAGMENT);
      const { result: _, ...noResult } = own;
      assert.throws(() => assembleHelp(SHARED, noResult, NAMES, 'f.html'), /f\.html: missing section "result"/);
      assert.throws(() => assembleHelp(SHARED, { ...own, extra: 'x' }, NAMES), /unknown section "extra"/);
      assert.throws(() => assembleHelp({ ...SHARED, example: '<p>{{flow}}</p>' }, own, NAMES), /job-help\/example\.html: unknown placeholder \{\{flow\}\}/);
      assert.throws(() => assembleHelp(SHARED, { ...own, values: '{{tag}} values' }, NAMES), /section "values" holds a \{\{placeholder\}\}/);
    });
  });

  describe('the shared parts', () => {
    for (const lang of LANGS) {
      it(`${lang}: use every job section once and no other placeholder`, () => {
        const shared = sharedHelp(CONFIG_DIR, lang);
        const used = HELP_PARTS.flatMap((part) => placeholders(shared[part]));
        const sections = used.filter((name) => name in HELP_SECTIONS);
        assert.deepEqual(
          [...sections].sort(),
          Object.keys(HELP_SECTIONS)
            .filter((s) => s !== 'intro')
            .sort(),
        );
        assert.deepEqual(
          used.filter((name) => !(name in HELP_SECTIONS) && !['tag', 'package', 'type'].includes(name)),
          [],
        );
      });
    }
    it('have the same placeholders in both languages', () => {
      const [a, b] = LANGS.map((lang) => sharedHelp(CONFIG_DIR, lang));
      for (const part of HELP_PARTS) assert.deepEqual(placeholders(a![part]), placeholders(b![part]), part);
    });
  });

  describe("each job package's help", () => {
    for (const tag of JOB_TAGS) {
      const type = nodeTypeOf(tag);
      for (const lang of LANGS) {
        const file = join(PACKAGES, kebabTag(tag), 'locales', lang, `${type}.help.html`);
        it(`${type} ${lang}: a fragment of the job's own text that makes a complete page`, () => {
          assert.ok(!existsSync(join(PACKAGES, kebabTag(tag), 'locales', lang, `${type}.html`)), 'no finished help page beside the fragment');
          const own = parseHelpFragment(readFileSync(file, 'utf8'), file);
          for (const [name, required] of Object.entries(HELP_SECTIONS)) if (required) assert.ok(own[name as keyof typeof own]?.trim(), `section ${name}`);
          const page = jobHelp(file, type, tag, CONFIG_DIR, lang);
          assert.ok(page.startsWith(`<script type="text/html" data-help-name="${type}">\n<p>`));
          assert.ok(page.endsWith('</p>\n</script>\n'));
          assert.doesNotMatch(page, /\{\{|\}\}/);
          assert.deepEqual(
            [...page.matchAll(/<h3>(.*?)<\/h3>/g)].map((m) => m[1]),
            HEADINGS[lang],
          );
          assert.ok(page.includes(`<code>${tag}</code>`), 'msg.ci.tag');
          assert.ok(page.includes(`<code>Invalid ${tag} job: Operation.`), 'an error example of this job');
          assert.ok(page.includes(`▸ ${packageOf(tag)} ▸ ${tag} with wait for result</i>`), 'the example flow');
          assert.ok(own.intro!.includes(tag), 'the intro names the job');
          // The submit answer's queue is said where the descriptor puts the job on the AI queue.
          assert.equal((own.submitted ?? '').includes('AIProcess'), getDescriptor(tag).queueType === 'AIProcess');
        });
      }
    }
  });

  describe('copyNodeAssets', () => {
    const pkg = (files: Record<string, string>) => {
      const dir = mkdtempSync(join(tmpdir(), 'tci-help-test-'));
      for (const [name, text] of Object.entries(files)) {
        mkdirSync(join(dir, 'locales', name.split('/')[0]!), { recursive: true });
        writeFileSync(join(dir, 'locales', name), text);
      }
      return dir;
    };
    const fragment = (lang: string) => readFileSync(join(PACKAGES, 'snapshot', 'locales', lang, 'tencent-ci-snapshot.help.html'), 'utf8');

    it('writes the assembled page of a job fragment to dist/locales/<lang>/<type>.html', () => {
      const dir = pkg(Object.fromEntries(LANGS.map((lang) => [`${lang}/tencent-ci-snapshot.help.html`, fragment(lang)])));
      copyNodeAssets({ type: 'tencent-ci-snapshot', tag: 'Snapshot', packageDir: dir, configDir: CONFIG_DIR });
      for (const lang of LANGS) {
        const page = readFileSync(join(dir, 'dist', 'locales', lang, 'tencent-ci-snapshot.html'), 'utf8');
        assert.equal(page, jobHelp(join(dir, 'locales', lang, 'tencent-ci-snapshot.help.html'), 'tencent-ci-snapshot', 'Snapshot', CONFIG_DIR, lang));
        assert.ok(!existsSync(join(dir, 'dist', 'locales', lang, 'tencent-ci-snapshot.help.html')));
      }
    });
    it('copies a finished help page as it is', () => {
      const dir = pkg({ 'en-US/tencent-ci-wait.html': '<script type="text/html" data-help-name="tencent-ci-wait"><p>Waits.</p></script>\n' });
      copyNodeAssets({ type: 'tencent-ci-wait', packageDir: dir, configDir: CONFIG_DIR });
      assert.equal(
        readFileSync(join(dir, 'dist', 'locales', 'en-US', 'tencent-ci-wait.html'), 'utf8'),
        '<script type="text/html" data-help-name="tencent-ci-wait"><p>Waits.</p></script>\n',
      );
    });
    it('refuses a fragment without the job Tag, and a package with both a page and a fragment', () => {
      assert.throws(
        () =>
          copyNodeAssets({ type: 'tencent-ci-snapshot', packageDir: pkg({ 'en-US/tencent-ci-snapshot.help.html': fragment('en-US') }), configDir: CONFIG_DIR }),
        /needs the job's Tag/,
      );
      const both = pkg({ 'en-US/tencent-ci-snapshot.help.html': fragment('en-US'), 'en-US/tencent-ci-snapshot.html': '<p>old</p>' });
      assert.throws(
        () => copyNodeAssets({ type: 'tencent-ci-snapshot', tag: 'Snapshot', packageDir: both, configDir: CONFIG_DIR }),
        /both tencent-ci-snapshot\.html and tencent-ci-snapshot\.help\.html/,
      );
    });
  });
});
