/**
 * The reader of service bodies (submit, query and list answers, callbacks, error bodies):
 * one pass over the text that checks it is well-formed and builds the normalised tree
 * (normalise.ts) directly, with no intermediate document and no second walk.
 *
 * Why not fast-xml-parser here: measured side by side on a 1.7 MB VideoTag answer,
 * fast-xml-parser 5 with the fastest options (`jPath: false`, no entities) is slower than
 * the official SDK's xml2json, and 4.x only level with it (docs/performance.md); a long
 * result would block Node-RED's event loop for a quarter of a second. The service's XML
 * is a small subset (no attributes, no namespaces, no DTD), which this reader handles in
 * a few indexOf scans per element.
 *
 * Rules, the same as parseXml and normaliseTree together:
 * - text is trimmed and kept as text; `&lt; &gt; &amp; &quot; &apos;` and character
 *   references are decoded (only when the text has a `&`), other references are kept as
 *   they are; CDATA is kept as it is; line ends are `\n`;
 * - empty elements are left out, containers are kept (`<Data><Tags/></Data>` is `{}`);
 * - elements at the paths in `arrays` are always arrays, repeated elements too;
 * - attributes, comments and processing instructions are skipped; a DOCTYPE is refused,
 *   so entity declarations can never expand;
 * - element names that could reach a prototype (`__proto__`, `constructor`, `prototype`)
 *   make the body refused;
 * - elements nested deeper than `maxDepth` make it refused with BodyTooDeep.
 * Anything else that is not well-formed XML throws MalformedResponse. No message quotes
 * the body beyond a tag name (cut to 40 characters).
 */
import { checkDepth, scanOpenTag } from './depth';
import { malformedXml } from './xml';

/** Array paths as a tree of element names, so the reader follows it as it descends. */
export interface ArrayTrie {
  /** The element at this path is always an array. */
  readonly array: boolean;
  readonly children: ReadonlyMap<string, ArrayTrie>;
}

interface MutableTrie {
  array: boolean;
  children: Map<string, MutableTrie>;
}

/** The trie of dotted paths relative to the root element's content: `JobsDetail.Operation.X`. */
export function arrayTrie(paths: Iterable<string>): ArrayTrie {
  const root: MutableTrie = { array: false, children: new Map() };
  for (const path of paths) {
    let node = root;
    for (const name of path.split('.')) {
      let next = node.children.get(name);
      if (!next) node.children.set(name, (next = { array: false, children: new Map() }));
      node = next;
    }
    node.array = true;
  }
  return root;
}

export interface XmlDocument {
  /** The root element's name. */
  root: string;
  /** The root element's normalised content ({} when it holds only text or nothing). */
  content: Record<string, unknown>;
}

/** One open element. */
interface Frame {
  readonly name: string;
  readonly trie: ArrayTrie | undefined;
  /** Its children so far; null while it has none (then it is a text element). */
  obj: Record<string, unknown> | null;
  text: string;
}

const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
/** XML names (ASCII letters, digits and `_ : . -`, and any character from U+00B7 up). */
const NAME = /^[A-Za-z_:\u00C0-\uFFFF][A-Za-z0-9_:.\-\u00B7-\uFFFF]*$/;
/** What may follow a tag name: attributes, each `name="value"` or `name='value'`. */
const ATTRIBUTES = /^(?:\s+[^\s=/>"']+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*$/;
/** A `&` and the reference it starts, if any (the groups tell which kind, and whether `;` ends it). */
const REFERENCE = /&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|([A-Za-z_:][A-Za-z0-9_:.-]*))?(;)?/g;
const XML_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
/** Names already checked against NAME (a body repeats a few dozen names thousands of times). */
const KNOWN_NAMES_KEPT = 2048;
const knownNames = new Set<string>();

/** `<Name>` for messages, cut so a hostile body cannot fill a log. */
function shown(name: string): string {
  return `<${name.length > 40 ? `${name.slice(0, 40)}…` : name}>`;
}

function checkName(name: string): void {
  if (knownNames.has(name)) return;
  if (UNSAFE_NAMES.has(name)) throw malformedXml(`element name ${shown(name)} is not accepted`);
  if (!NAME.test(name)) throw malformedXml(`invalid element name ${shown(name)}`);
  if (knownNames.size >= KNOWN_NAMES_KEPT) knownNames.clear();
  knownNames.add(name);
}

/**
 * Decodes the five XML entities and character references. A reference the reader does not
 * know (`&nbsp;`, `&#0;`) is kept as it is; a `&` that starts no reference at all is not
 * well-formed XML.
 */
function decodeEntities(text: string): string {
  return text.replace(REFERENCE, (ref: string, hex?: string, dec?: string, named?: string, semicolon?: string) => {
    if (semicolon === undefined || (hex ?? dec ?? named) === undefined) throw malformedXml("a '&' that starts no entity or character reference");
    if (named !== undefined) return Object.prototype.hasOwnProperty.call(XML_ENTITIES, named) ? XML_ENTITIES[named]! : ref;
    const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? ref : String.fromCodePoint(code);
  });
}

/** Text between tags as it is kept: line ends as `\n`, trimmed, references decoded. */
function textOf(raw: string): string {
  let text = raw.trim();
  if (text === '') return text;
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  return text.includes('&') ? decodeEntities(text) : text;
}

/** Adds a finished element's value to its parent: left out when empty, an array at array paths or when repeated. */
function attach(parent: Frame, name: string, value: unknown, trie: ArrayTrie | undefined): void {
  const obj = parent.obj ?? (parent.obj = {});
  if (value === undefined) return;
  if (!Object.prototype.hasOwnProperty.call(obj, name)) {
    obj[name] = trie?.array ? [value] : value;
    return;
  }
  const existing = obj[name];
  // Values are strings and objects, never arrays: an array here is the element's own list.
  if (Array.isArray(existing)) existing.push(value);
  else obj[name] = [existing, value];
}

/** A closed element's value: its children (with any text as `#text`), its text, or undefined when empty. */
function valueOf(frame: Frame): unknown {
  if (frame.obj !== null) {
    if (frame.text !== '') frame.obj['#text'] = frame.text;
    return frame.obj;
  }
  return frame.text === '' ? undefined : frame.text;
}

/** Index just past `terminator` at or after `from`; throws when the text ends first. */
function past(text: string, from: number, terminator: string, what: string): number {
  const at = text.indexOf(terminator, from);
  if (at < 0) throw malformedXml(`${what} is not closed`);
  return at + terminator.length;
}

/** Reads one XML document; see the module comment for the rules. */
export function readXml(text: string, arrays: ArrayTrie, maxDepth: number): XmlDocument {
  const stack: Frame[] = [];
  let top: Frame | undefined;
  let root: XmlDocument | undefined;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const end = text.length;
  while (i < end) {
    const lt = text.indexOf('<', i);
    const stop = lt < 0 ? end : lt;
    if (stop > i) {
      if (top !== undefined) top.text += textOf(text.slice(i, stop));
      else if (text.slice(i, stop).trim() !== '') throw malformedXml(root ? 'text after the root element' : 'text before the root element');
    }
    if (lt < 0) break;
    const next = text.charCodeAt(lt + 1);
    if (next === SLASH) {
      // A closing tag: `</Name>` or `</Name  >`, which must close the open element.
      const gt = text.indexOf('>', lt + 2);
      if (gt < 0) throw malformedXml('a closing tag is not closed');
      const name = text.slice(lt + 2, gt).trimEnd();
      if (top === undefined) throw malformedXml(`${shown(`/${name}`)} closes nothing`);
      if (name !== top.name) throw malformedXml(`${shown(`/${name}`)} does not close ${shown(top.name)}`);
      const frame = top;
      stack.pop();
      top = stack[stack.length - 1];
      const value = valueOf(frame);
      if (top !== undefined) attach(top, frame.name, value, frame.trie);
      else root = { root: frame.name, content: value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {} };
      i = gt + 1;
    } else if (next === BANG) {
      if (text.startsWith('<!--', lt)) {
        i = past(text, lt + 4, '-->', 'a comment');
      } else if (text.startsWith('<![CDATA[', lt)) {
        if (top === undefined) throw malformedXml('CDATA outside the root element');
        const close = text.indexOf(']]>', lt + 9);
        if (close < 0) throw malformedXml('a CDATA section is not closed');
        const raw = text.slice(lt + 9, close);
        top.text += raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
        i = close + 3;
      } else if (/^<!(?:DOCTYPE|ENTITY)/i.test(text.slice(lt, lt + 9))) {
        throw malformedXml('DOCTYPE and entity declarations are not accepted');
      } else {
        throw malformedXml("'<!' starts no comment or CDATA section");
      }
    } else if (next === QUESTION) {
      i = past(text, lt + 2, '?>', 'a processing instruction');
    } else {
      // An opening tag: `<Name>`, `<Name/>`, `<Name attr="…">`.
      if (top === undefined && root !== undefined) throw malformedXml('more than one root element');
      const tag = scanOpenTag(text, lt + 1);
      if (!tag.closed) throw malformedXml('an opening tag is not closed');
      const inner = text.slice(lt + 1, tag.selfClosing ? text.lastIndexOf('/', tag.end - 1) : tag.end - 1);
      let cut = 0;
      while (cut < inner.length && inner.charCodeAt(cut) > 0x20) cut += 1;
      const name = inner.slice(0, cut);
      checkName(name);
      if (cut < inner.length && !ATTRIBUTES.test(inner.slice(cut))) throw malformedXml(`malformed attributes in ${shown(name)}`);
      checkDepth(stack.length + 1, maxDepth);
      const trie = top === undefined ? arrays : top.trie?.children.get(name);
      if (tag.selfClosing) {
        if (top !== undefined) attach(top, name, undefined, trie);
        else root = { root: name, content: {} };
      } else {
        top = { name, trie, obj: null, text: '' };
        stack.push(top);
      }
      i = tag.end;
    }
  }
  if (top !== undefined) throw malformedXml(`${shown(top.name)} is not closed`);
  if (root === undefined) throw malformedXml('no root element');
  return root;
}
