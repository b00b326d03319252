import assert from 'node:assert/strict';

import { jsonDepth, xmlDepth } from '../src/depth';

/** One `it` per [title, text, expected depth]. */
function depthCases(depth: (text: string) => number, cases: ReadonlyArray<readonly [string, string, number]>): void {
  for (const [title, text, expected] of cases) {
    it(title, () => {
      assert.equal(depth(text), expected);
    });
  }
}

describe('jsonDepth', () => {
  it('counts an empty object or array as depth 1 and a scalar as 0', () => {
    assert.equal(jsonDepth('{}'), 1);
    assert.equal(jsonDepth('[]'), 1);
    assert.equal(jsonDepth('"text"'), 0);
  });

  depthCases(jsonDepth, [
    ['counts the deepest of nested objects and arrays', '{"a":[1,{"b":{"c":2}}],"d":[]}', 4],
    ['ignores brackets inside strings', '{"a":"[[{{","b":"}}]]"}', 1],
    ['does not end a string at an escaped quote', '{"a":"\\"[[{{"}', 1],
    ['ends a string after an escaped backslash', '{"a":"\\\\","b":[[1]]}', 3],
    ['scans 200,000 levels without recursing', '['.repeat(200_000) + ']'.repeat(200_000), 200_000],
  ]);
});

describe('xmlDepth', () => {
  depthCases(xmlDepth, [
    ['counts an element at its own level: <a><b><c/></b></a> is 3', '<a><b><c/></b></a>', 3],
    ['does not nest self-closing siblings', '<a><b/><b/><b/><b/></a>', 2],
    ['counts closed siblings at the same level', '<a><b>x</b><b>y</b><b><c>z</c></b></a>', 3],
    ['skips tags inside comments', '<a><!-- <b><c><d> --></a>', 1],
    ['skips tags inside CDATA sections', '<a><![CDATA[<b><c><d>]]></a>', 1],
    ['skips the XML declaration and processing instructions', '<?xml version="1.0" encoding="UTF-8"?><a><?pi <b><c> ?></a>', 1],
    ['does not end an open tag at a > inside a quoted attribute value', '<a x="1>2"><b>text</b></a>', 2],
    ['does not take a /> inside a quoted attribute value for a self-closing tag', `<a><b y='/>' z="/>"><c/></b></a>`, 3],
    ['sees a self-closing tag after quoted attribute values', '<a><b x=">" /><b/></a>', 2],
    ['scans 200,000 levels without recursing', '<a>'.repeat(200_000) + '</a>'.repeat(200_000), 200_000],
  ]);
});
