/** Browser code shared by several edit dialogs: written once, included where it is named. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EDITOR_SNIPPETS, withSnippets } from '../src/editor/editor-snippets';
import { SnapshotJob } from '@node-red-tencent-ci/core';
import { renderEditor } from '../src/editor/build-html';

describe('editor snippets', () => {
  it("replaces an include line by the snippet, at the line's indentation", () => {
    const html = withSnippets('<script>\n    oneditprepare: function () {\n      // @tci-include context-stores\n    }\n</script>');
    const lines = html.split('\n');
    const first = lines.findIndex((l) => l.includes('Context stores the runtime has'));
    const snippet = EDITOR_SNIPPETS['context-stores']!.split('\n');
    assert.deepEqual(
      lines.slice(first, first + snippet.length),
      snippet.map((l) => `      ${l}`),
    );
    assert.doesNotMatch(html, /@tci-include/);
  });

  it('refuses an include of a snippet that does not exist, naming the known ones', () => {
    assert.throws(() => withSnippets('  // @tci-include nope'), /No editor snippet "nope" \(known: context-stores, context-store-field\)/);
    assert.throws(() => withSnippets('<!-- @tci-include nope -->'), /No editor snippet "nope"/);
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
