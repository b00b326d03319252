/** Browser code shared by several edit dialogs: written once, included where it is named. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { snippet, withSnippets } from '../src/editor/editor-snippets';
import { SnapshotJob } from '@node-red-tencent-ci/core';
import { renderEditor } from '../src/editor/build-html';

describe('editor snippets', () => {
  it("replaces an include line by the snippet, at the line's indentation", () => {
    const html = withSnippets('<script>\n    oneditprepare: function () {\n      // @tci-include context-stores\n    }\n</script>');
    const lines = html.split('\n');
    const first = lines.findIndex((l) => l.includes('Context stores the runtime has'));
    const lines0 = snippet('context-stores').split('\n');
    assert.deepEqual(
      lines.slice(first, first + lines0.length),
      lines0.map((l) => `      ${l}`),
    );
    assert.doesNotMatch(html, /@tci-include/);
  });

  it('refuses an include of a snippet that does not exist, naming the known ones', () => {
    assert.throws(
      () => withSnippets('  // @tci-include nope'),
      /No editor snippet "nope" \(known: context-stores, context-store-field, palette, config-onadd, name-row, config-row, input-row, typed-input-row\)/,
    );
    assert.throws(() => withSnippets('<!-- @tci-include nope -->'), /No editor snippet "nope"/);
  });

  it('makes a snippet from the attributes of a markup include, passing the others onto the input in their order', () => {
    const html = withSnippets(
      '<div>\n  <!-- @tci-include input-row id="node-input-token" icon="key" label="x.token" type="password" autocomplete="off" -->\n</div>',
    );
    assert.equal(
      html,
      [
        '<div>',
        '  <div class="form-row">',
        '    <label for="node-input-token"><i class="fa fa-key"></i> <span data-i18n="x.token"></span></label>',
        '    <input type="password" id="node-input-token" autocomplete="off">',
        '  </div>',
        '</div>',
      ].join('\n'),
    );
    assert.match(
      snippet('typed-input-row', { field: 'jobId', icon: 'hashtag', label: 'x.jobId', hint: 'x.hint' }),
      /<input type="hidden" id="node-input-jobIdType">/,
    );
  });

  it('refuses an include whose attributes are missing, unknown or unreadable', () => {
    assert.throws(() => withSnippets('<!-- @tci-include input-row id="a" icon="b" -->'), /"input-row" takes id, icon, label .*missing: label/);
    assert.throws(() => withSnippets('<!-- @tci-include typed-input-row field="a" icon="b" label="c" hint="d" style="e" -->'), /unknown: style/);
    assert.throws(() => withSnippets('<!-- @tci-include name-row id="a" -->'), /unknown: id/);
    assert.throws(() => withSnippets('<!-- @tci-include input-row id=a icon="b" label="c" -->'), /cannot read "id=a"/);
    assert.throws(() => withSnippets('<!-- @tci-include input-row id="a" id="b" icon="b" label="c" -->'), /id given twice/);
  });

  it('the hand-written editors of the config, wait and callback nodes keep no include line once their build copies them', () => {
    for (const [pkg, type] of [
      ['config', 'tencent-ci-config'],
      ['wait', 'tencent-ci-wait'],
      ['callback-in', 'tencent-ci-callback-in'],
    ] as const) {
      const html = withSnippets(readFileSync(join(__dirname, '..', '..', pkg, 'src', `${type}.html`), 'utf8'));
      assert.doesNotMatch(html, /@tci-include/, type);
      assert.doesNotMatch(html, /<label for="([^"]+)">[^\n]*\n\s*<input [^>]*id="(?!\1")/, `${type}: each row's label is for its input`);
    }
  });

  it("the generated job editors and the wait node's editor (as its build copies it) both carry the context-store picker once", () => {
    const job = renderEditor('tencent-ci-snapshot', SnapshotJob);
    const wait = withSnippets(readFileSync(join(__dirname, '..', '..', 'wait', 'src', 'tencent-ci-wait.html'), 'utf8'));
    for (const html of [job, wait]) {
      assert.equal(html.split("var select = $('#node-input-store');").length, 2);
      assert.equal(html.split('<select id="node-input-store"').length, 2);
      assert.doesNotMatch(html, /@tci-include/);
    }
  });
});
