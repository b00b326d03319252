/**
 * The XML codec: the one configured fast-xml-parser parser, and the serialiser of request
 * bodies. Text stays text (no number guessing), attributes are ignored (the API uses none),
 * DOCTYPE is refused (the API never sends one, so entity declarations can never expand), and
 * element names that could pollute prototypes (`__proto__`, `constructor`) make the parser
 * refuse the body.
 *
 * The serialiser writes exactly what fast-xml-parser's XMLBuilder wrote for the same data
 * (`ignoreAttributes`, no formatting, `suppressEmptyNode: false`, `processEntities`), byte for
 * byte, without its per-node path tracking: test/build-compiled.test.ts compares the two.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { checkDepth, DEFAULT_MAX_DEPTH, xmlDepth } from './depth';
import { CiError, ErrorCodes } from './errors';

/** Bodies larger than this are refused unless a caller sets another limit. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: false,
});

export function bodyText(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

function bodyBytes(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
}

/** Refuses bodies over `maxBytes` with a CiError `BodyTooLarge`. */
export function checkBodySize(body: string | Uint8Array, maxBytes = DEFAULT_MAX_BODY_BYTES): void {
  const size = bodyBytes(body);
  if (size > maxBytes) {
    throw new CiError({ code: ErrorCodes.BodyTooLarge, message: `Body of ${size} bytes is larger than the ${maxBytes}-byte limit` });
  }
}

/** The CiError MalformedResponse of an XML body that is not well-formed, safe XML. */
export function malformedXml(reason: string): CiError {
  return new CiError({ code: ErrorCodes.MalformedResponse, message: `Malformed XML body: ${reason}` });
}

/**
 * Parses one XML document into plain objects; throws CiError `MalformedResponse` for anything
 * that is not well-formed, safe XML, `BodyTooLarge` over `maxBytes` and `BodyTooDeep` for
 * elements nested deeper than `maxDepth`, and never anything but a CiError.
 */
export function parseXml(body: string | Uint8Array, maxBytes = DEFAULT_MAX_BODY_BYTES, maxDepth = DEFAULT_MAX_DEPTH): Record<string, unknown> {
  checkBodySize(body, maxBytes);
  const text = bodyText(body);
  if (maxDepth !== Number.POSITIVE_INFINITY) checkDepth(xmlDepth(text), maxDepth);
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw malformedXml('DOCTYPE and entity declarations are not accepted');
  try {
    const valid = XMLValidator.validate(text);
    if (valid !== true) throw malformedXml(`${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
    return parser.parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof CiError) throw err;
    throw malformedXml(err instanceof Error ? err.message : 'unreadable');
  }
}

/** Object elements nested this deep are refused, as the builder's `maxNestedTags` refused them. */
const MAX_NESTED_TAGS = 100;

/** The characters the builder's `processEntities` replaces in text, and their entities. */
const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text as element content: `&`, `<`, `>`, `"` and `'` as entities, nothing else changed. */
function escapeText(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ENTITIES[c]!) : text;
}

function isPlainData(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** An element name as given; `#text` and `?…` are refused, since the builder read them as text and processing instructions. */
function elementName(name: string): string {
  if (name === '#text' || name[0] === '?') throw new TypeError(`buildXml: ${JSON.stringify(name)} is not an element name`);
  return name;
}

/** Scalars as the builder wrote them: `-0` keeps its sign. */
function scalarText(value: number | boolean | bigint): string {
  return typeof value === 'number' && Object.is(value, -0) ? '-0' : String(value);
}

/**
 * `<name>…</name>` for one value at nesting `depth` (the root element is 1): text escaped, an
 * object's own fields in order, an array as one element per item, null as `<name/>`,
 * undefined as nothing; an empty text or object is `<name></name>`. Text is tested first: a
 * validated request holds nothing but text and objects.
 */
function element(name: string, value: unknown, depth: number): string {
  if (typeof value === 'string') return `<${name}>${escapeText(value)}</${name}>`;
  if (value === undefined) return '';
  if (value === null) return `<${name}/>`;
  if (typeof value === 'object') {
    if (Array.isArray(value)) {
      // XMLBuilder wrote an array's null items ahead of its other items; so does this.
      let nulls = '';
      let items = '';
      for (const item of value) {
        if (item === null) nulls += `<${name}/>`;
        else if (Array.isArray(item)) throw new TypeError(`buildXml: ${name} holds an array in an array`);
        else items += element(name, item, depth);
      }
      return nulls + items;
    }
    if (!isPlainData(value)) throw new TypeError(`buildXml: ${name} is not plain data`);
    if (depth >= MAX_NESTED_TAGS) throw new Error('Maximum nested tags exceeded');
    let children = '';
    for (const key of Object.keys(value)) children += element(elementName(key), value[key], depth + 1);
    return `<${name}>${children}</${name}>`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `<${name}>${scalarText(value)}</${name}>`;
  throw new TypeError(`buildXml: ${name} is a ${typeof value}`);
}

/**
 * Serialises `{ [rootName]: content }`: text is escaped, arrays become repeated elements.
 * Takes plain data only (text, numbers, booleans, null, arrays, plain objects); element names
 * are written as given.
 */
export function buildXml(rootName: string, content: Record<string, unknown>): string {
  return element(elementName(rootName), content, 1);
}
