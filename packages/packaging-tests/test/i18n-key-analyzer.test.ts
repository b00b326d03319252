/** The i18n key finder the catalog checks rely on, on small made-up sources. */
import assert from 'node:assert/strict';
import { analyzeScripts, dataI18nKeys, editorScripts } from './helpers/i18n-keys';

const keys = (a: { uses: Array<{ key: string; kind: string }> }) => [...new Set(a.uses.map((u) => `${u.kind === 'prefix' ? '~' : ''}${u.key}`))].sort();

describe('i18n key finder', function () {
  it('finds literal keys, ternaries and prefixes of dynamic keys', function () {
    const a = analyzeScripts([
      {
        name: 'node.js',
        own: true,
        text: `module.exports = function (RED) {
  node.warn(RED._('a.b.c', { x: 1 }));
  node.status({ text: RED._(ok ? "s.ok" : 's.bad') });
  node.error(RED._(\`errors.\${code}\`));
  node.error(RED._('other.' + code));
  // RED._('commented.out')
  const s = 'RED._("in.a.string")';
};`,
      },
    ]);
    assert.deepEqual(keys(a), ['a.b.c', 's.bad', 's.ok', '~errors', '~other']);
    assert.deepEqual(a.unverifiable, []);
  });

  it('follows functions that pass their parameter on, to a fixed point', function () {
    const a = analyzeScripts([
      {
        name: 'editor.js',
        own: true,
        text: `(function () {
  function t(key) { var def = RED.nodes.getType('x'); return def && def._ ? def._(key) : key; }
  function validator(key) { return function (v) { return v ? true : t('allowed.' + key); }; }
  const show = (fill, shape, key, subs = {}) => { node.status({ text: RED._(\`status.\${key}\`, subs) }); };
  RED.nodes.registerType('x', { defaults: { A: { validate: validator("A_B") } }, label: function () { return t('node.label'); } });
  show('green', 'dot', 'received', { count: 1 });
})();`,
      },
    ]);
    assert.deepEqual(keys(a), ['allowed.A_B', 'node.label', 'status.received']);
    assert.deepEqual(a.unverifiable, []);
  });

  it('follows an object property key into a library class, and only what the node reaches', function () {
    const library = {
      name: 'lib/status.js',
      own: false,
      text: `class Tracker {
    end(outcome) { this.show('blue', 'ring', 'waiting'); this.RED._(\`common.status.\${outcome.key}\`); }
    show(fill, shape, key) { this.node.status({ text: this.RED._(\`common.status.\${key}\`) }); }
}
function unused(RED) { return RED._('never.reached'); }
exports.Tracker = Tracker;
exports.unused = unused;`,
    };
    const node = {
      name: 'node.js',
      own: true,
      imports: { lib_1: './lib/status' },
      text: `const lib_1 = require('./lib/status');
module.exports = function (RED) {
  const status = new lib_1.Tracker(RED, node);
  function ended(outcome) { status.end(outcome); }
  ended({ fill: 'red', key: ok ? 'failed' : 'error' });
  status.end({ key: 'success' });
};`,
    };
    const a = analyzeScripts([node, library]);
    assert.deepEqual(keys(a), ['common.status.error', 'common.status.failed', 'common.status.success', 'common.status.waiting']);
    // Without the import, the class is not reached and its keys are not the node's.
    const b = analyzeScripts([{ ...node, text: node.text.replace('new lib_1.Tracker', 'new Other'), imports: {} }, library]);
    assert.deepEqual(keys(b), []);
  });

  it('reports a key it cannot work out', function () {
    const a = analyzeScripts([{ name: 'n.js', own: true, text: `const k = pick(); node.warn(RED._(k));` }]);
    assert.equal(a.unverifiable.length, 1);
    assert.match(a.unverifiable[0]!, /^n\.js:1: _\(k\)/);
  });

  it('reads what a lexer gets wrong: regex literals, division, nested templates, comments', function () {
    const a = analyzeScripts([
      {
        name: 'tricky.js',
        own: true,
        text: `const re = /["'\`]/g, half = total / 2 / count; // it's
  node.warn(RED._(\`outer.\${\`inner\${x}\`}\`)); /* RED._('in.comment') */
  node.warn(RED._("a.b") + \` \${RED._('c.d')}\`);`,
      },
    ]);
    assert.deepEqual(keys(a), ['a.b', 'c.d', '~outer']);
    assert.deepEqual(a.unverifiable, []);
  });

  it('follows a key through an object property into a function, but not into an anonymous callback', function () {
    const a = analyzeScripts([
      {
        name: 'n.js',
        own: true,
        text: `function fail(why) { tracker.end({ key: why }); }
class Tracker { end(outcome) { RED._('s.' + outcome.key); } }
const tracker = new Tracker();
fail('broken');
list.forEach((k) => RED._(k));`,
      },
    ]);
    assert.deepEqual(keys(a), ['s.broken']);
    assert.equal(a.unverifiable.length, 1);
    assert.match(a.unverifiable[0]!, /^n\.js:5: _\(k\)/);
  });

  it('fails on a script it cannot parse', function () {
    assert.throws(() => analyzeScripts([{ name: 'bad.js', own: true, text: 'RED._(' }]), /bad\.js: cannot parse/);
  });

  it('reads data-i18n attributes and only the JavaScript of an editor file', function () {
    const html = `<script type="text/javascript">RED.nodes.registerType('x', { paletteLabel: function () { return this._('p.label'); } });</script>
<script type="text/html" data-template-name="x"><label data-i18n="[title]f.title;f.text"></label><span>don't _('not.js')</span><i data-i18n="node-red:common.label.name"></i></script>`;
    assert.deepEqual(keys(analyzeScripts(editorScripts('x.html', html))), ['p.label']);
    const d = dataI18nKeys('x.html', html);
    assert.deepEqual(keys(d), ['f.text', 'f.title']);
    assert.deepEqual(
      d.external.map((u) => u.key),
      ['node-red:common.label.name'],
    );
  });
});
