/**
 * The XML reader against its oracle: fast-xml-parser (validated, as parseXml configures it)
 * followed by normaliseTree, the pipeline it replaces for service bodies. On every fixture,
 * the long VideoTag answer and thousands of seeded mutations, the two agree on the tree;
 * where they disagree on accepting a body, the reader is the stricter one, or the body is
 * one of the kinds listed (and tested) below.
 */
import assert from 'node:assert/strict';
import { CiError, ErrorCodes, normaliseTree, parseResponse, parseXml, RESPONSE_ARRAY_PATHS } from '../src';
import { arrayTrie, readXml } from '../src/xml-reader';
import { FIXTURE_BODIES, mutatedBody } from './helpers/mutate';
import { longVideoTagBody } from './helpers/long-videotag';
import { Rng } from './helpers/random';

const ARRAYS = arrayTrie(RESPONSE_ARRAY_PATHS);

type Result = { ok: true; root: string; content: unknown } | { ok: false; code: string };

function oracle(text: string): Result {
  try {
    const doc = parseXml(text, Number.POSITIVE_INFINITY, 64);
    const roots = Object.keys(doc);
    if (roots.length !== 1) return { ok: false, code: ErrorCodes.MalformedResponse };
    const inner = doc[roots[0]!];
    const content = inner !== null && typeof inner === 'object' ? normaliseTree(inner as Record<string, unknown>, RESPONSE_ARRAY_PATHS) : {};
    return { ok: true, root: roots[0]!, content };
  } catch (err) {
    return { ok: false, code: (err as CiError).code };
  }
}

function oracleMessage(text: string): string {
  try {
    parseXml(text, Number.POSITIVE_INFINITY, 64);
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

function reader(text: string): Result {
  try {
    const doc = readXml(text, ARRAYS, 64);
    return { ok: true, root: doc.root, content: doc.content };
  } catch (err) {
    assert.ok(err instanceof CiError, `threw ${String(err)}, not a CiError`);
    return { ok: false, code: err.code };
  }
}

describe('xml-reader: agrees with fast-xml-parser + normaliseTree', () => {
  it('on every XML fixture and the 1.7 MB VideoTag answer', () => {
    const bodies = [...FIXTURE_BODIES.filter((b) => b.trimStart().startsWith('<')), longVideoTagBody()];
    assert.ok(bodies.length >= 8);
    for (const body of bodies) assert.deepEqual(reader(body), oracle(body), body.slice(0, 80));
  });

  it('on 4,000 seeded mutations: the same tree whenever both accept, and the reader accepts nothing else the oracle refuses but an unchecked processing instruction', function () {
    this.timeout(120_000);
    const SEED = 20_261_202;
    const rng = new Rng(SEED);
    let bothOk = 0;
    let stricter = 0;
    for (let i = 0; i < 4000; i += 1) {
      const body = mutatedBody(rng);
      if (!body.trimStart().startsWith('<')) continue;
      const ours = reader(body);
      const theirs = oracle(body);
      const where = `seed ${SEED}, case ${i}: ${JSON.stringify(body.slice(0, 120))}`;
      if (ours.ok && theirs.ok) {
        assert.deepEqual(ours, theirs, where);
        bothOk += 1;
      } else if (ours.ok) {
        // The one leniency: the text of a processing instruction (the declaration) is skipped, not checked.
        assert.match(oracleMessage(body), /Pi Tag/, `the reader accepts a body the oracle refuses: ${where}`);
      } else if (theirs.ok) {
        stricter += 1;
      }
    }
    assert.ok(bothOk > 200, `only ${bothOk} mutated bodies parsed on both sides`);
    assert.ok(stricter < 400, `the reader refused ${stricter} bodies the oracle accepts`);
  });
});

describe('xml-reader: rules', () => {
  const content = (xml: string) => readXml(xml, ARRAYS, 64).content;

  it('makes array paths arrays, repeated elements arrays, and leaves empty elements out but keeps containers', () => {
    assert.deepEqual(content('<Response><JobsDetail><JobId>j1</JobId><Message/><Input><Object></Object></Input></JobsDetail><A>1</A><A>2</A></Response>'), {
      JobsDetail: [{ JobId: 'j1', Input: {} }],
      A: ['1', '2'],
    });
  });

  it('decodes the XML entities and character references, keeps CDATA and unknown references as they are', () => {
    assert.deepEqual(content('<R><a>x &amp; &lt;y&gt; &quot;&apos; &#20320;&#x597D;</a><b><![CDATA[ <raw> &amp; ]]></b><c>&nbsp; a &#0; b</c></R>'), {
      a: 'x & <y> "\' 你好',
      b: ' <raw> &amp; ',
      c: '&nbsp; a &#0; b',
    });
  });

  it('reads line ends as \\n and trims text', () => {
    assert.deepEqual(content('<R><a>\r\n  one\r\ntwo\r  </a></R>'), { a: 'one\ntwo' });
  });

  it('skips comments, processing instructions, the declaration and attributes', () => {
    assert.deepEqual(
      content('\uFEFF<?xml version="1.0" encoding="UTF-8"?><!-- c --><R x="1" y=\'>\'><?pi x?><a z="/>">v</a><!-- <b>no</b> --></R><!-- end -->'),
      { a: 'v' },
    );
  });

  for (const [name, body] of [
    ['a DOCTYPE', '<!DOCTYPE r [<!ENTITY a "x">]><R>&a;</R>'],
    ['a mismatched closing tag', '<R><a>1</b></R>'],
    ['an unclosed element', '<R><a>1</a>'],
    ['text outside the root', '<R/>trailing'],
    ['two roots', '<R/><S/>'],
    ['an invalid name', '<R><1a>x</1a></R>'],
    ['__proto__', '<R><__proto__><p>1</p></__proto__></R>'],
    ['constructor', '<R><constructor>1</constructor></R>'],
    ['an unquoted attribute', '<R a=1></R>'],
    ['an unclosed comment', '<R><!-- x</R>'],
    ['a lone &', '<R><a>fish & chips</a></R>'],
    ['a reference without ;', '<R><a>&amp chips</a></R>'],
    ['nothing', '   '],
  ] as const) {
    it(`refuses ${name} with MalformedResponse`, () => {
      assert.throws(
        () => readXml(body, ARRAYS, 64),
        (err: unknown) => err instanceof CiError && err.code === ErrorCodes.MalformedResponse,
      );
    });
  }

  it('refuses nesting deeper than maxDepth with BodyTooDeep, even when the body is cut off there', () => {
    const deep = `<R>${'<a>'.repeat(70)}`;
    assert.throws(
      () => readXml(deep, ARRAYS, 64),
      (err: unknown) => err instanceof CiError && err.code === ErrorCodes.BodyTooDeep,
    );
    assert.deepEqual(readXml(`<R>${'<a>'.repeat(63)}x${'</a>'.repeat(63)}</R>`, ARRAYS, 64).root, 'R');
  });

  it('never pollutes Object.prototype and keeps names such as toString as plain data', () => {
    const res = parseResponse('<Response><JobsDetail><JobId>j1</JobId><toString>x</toString><hasOwnProperty>y</hasOwnProperty></JobsDetail></Response>');
    assert.equal((res.JobsDetail[0] as Record<string, unknown>).toString, 'x');
    assert.equal(Object.getPrototypeOf(res.JobsDetail[0]), Object.prototype);
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });
});
