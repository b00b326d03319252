import assert from 'node:assert/strict';

import { jsonDepth, xmlDepth } from '../src/depth';

describe('jsonDepth', () => {
  it('counts an empty object or array as depth 1 and a scalar as 0', () => {
    assert.equal(jsonDepth('{}'), 1);
    assert.equal(jsonDepth('[]'), 1);
    assert.equal(jsonDepth('"text"'), 0);
  });

  it('counts the deepest of nested objects and arrays', () => {
    assert.equal(jsonDepth('{"a":[1,{"b":{"c":2}}],"d":[]}'), 4);
  });

  it('ignores brackets inside strings', () => {
    assert.equal(jsonDepth('{"a":"[[{{","b":"}}]]"}'), 1);
  });

  it('does not end a string at an escaped quote', () => {
    assert.equal(jsonDepth('{"a":"\\"[[{{"}'), 1);
  });

  it('ends a string after an escaped backslash', () => {
    assert.equal(jsonDepth('{"a":"\\\\","b":[[1]]}'), 3);
  });

  it('scans 200,000 levels without recursing', () => {
    assert.equal(jsonDepth('['.repeat(200_000) + ']'.repeat(200_000)), 200_000);
  });
});

describe('xmlDepth', () => {
  it('counts an element at its own level: <a><b><c/></b></a> is 3', () => {
    assert.equal(xmlDepth('<a><b><c/></b></a>'), 3);
  });

  it('does not nest self-closing siblings', () => {
    assert.equal(xmlDepth('<a><b/><b/><b/><b/></a>'), 2);
  });

  it('counts closed siblings at the same level', () => {
    assert.equal(xmlDepth('<a><b>x</b><b>y</b><b><c>z</c></b></a>'), 3);
  });

  it('skips tags inside comments', () => {
    assert.equal(xmlDepth('<a><!-- <b><c><d> --></a>'), 1);
  });

  it('skips tags inside CDATA sections', () => {
    assert.equal(xmlDepth('<a><![CDATA[<b><c><d>]]></a>'), 1);
  });

  it('skips the XML declaration and processing instructions', () => {
    assert.equal(xmlDepth('<?xml version="1.0" encoding="UTF-8"?><a><?pi <b><c> ?></a>'), 1);
  });

  it('does not end an open tag at a > inside a quoted attribute value', () => {
    assert.equal(xmlDepth('<a x="1>2"><b>text</b></a>'), 2);
  });

  it('does not take a /> inside a quoted attribute value for a self-closing tag', () => {
    assert.equal(xmlDepth(`<a><b y='/>' z="/>"><c/></b></a>`), 3);
  });

  it('sees a self-closing tag after quoted attribute values', () => {
    assert.equal(xmlDepth('<a><b x=">" /><b/></a>'), 2);
  });

  it('scans 200,000 levels without recursing', () => {
    assert.equal(xmlDepth('<a>'.repeat(200_000) + '</a>'.repeat(200_000)), 200_000);
  });
});
