/**
 * How deeply a body nests, measured on its text before any parser sees it: one linear,
 * non-recursive pass, so a body nested 200,000 levels deep costs a scan, not a stack.
 * Both scanners are forgiving: malformed text gets some depth, and the parser then
 * refuses it.
 */
import { CiError, ErrorCodes } from './errors';

const QUOTE = 0x22; // "
const APOSTROPHE = 0x27; // '
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;

/** The deepest `{`/`[` nesting of JSON text, not counting brackets inside strings: `{"a":[1]}` is 2. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH)
        i += 1; // the escaped character cannot end the string
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth += 1;
      if (depth > max) max = depth;
    } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && depth > 0) {
      depth -= 1;
    }
  }
  return max;
}

/** Index just past the first `terminator` at or after `from`, or the end of the text. */
function skipPast(text: string, from: number, terminator: string): number {
  const at = text.indexOf(terminator, from);
  return at < 0 ? text.length : at + terminator.length;
}

/**
 * Reads an open tag starting just after its `<`: skips quoted attribute values (which may
 * hold `>` or `/>`). Returns the index just past its `>` (the end of the text when it has
 * none: then `closed` is false) and whether it closes itself.
 */
export function scanOpenTag(text: string, from: number): { end: number; selfClosing: boolean; closed: boolean } {
  let lastSignificant = -1;
  for (let i = from; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === QUOTE || c === APOSTROPHE) {
      const close = text.indexOf(c === QUOTE ? '"' : "'", i + 1);
      if (close < 0) break;
      i = close;
      lastSignificant = c;
    } else if (c === GT) {
      return { end: i + 1, selfClosing: lastSignificant === SLASH, closed: true };
    } else if (c > 0x20) {
      lastSignificant = c;
    }
  }
  return { end: text.length, selfClosing: false, closed: false };
}

/**
 * The deepest element nesting of XML text: `<a><b/></a>` is 2 (an element counts at its
 * own level; a self-closing one opens nothing after it). Comments, CDATA sections,
 * processing instructions and declarations are skipped, and so is text.
 */
export function xmlDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    const next = text.charCodeAt(lt + 1);
    if (next === BANG) {
      if (text.startsWith('<!--', lt)) i = skipPast(text, lt + 4, '-->');
      else if (text.startsWith('<![CDATA[', lt)) i = skipPast(text, lt + 9, ']]>');
      else i = skipPast(text, lt + 2, '>');
    } else if (next === QUESTION) {
      i = skipPast(text, lt + 2, '?>');
    } else if (next === SLASH) {
      if (depth > 0) depth -= 1;
      i = skipPast(text, lt + 2, '>');
    } else {
      const tag = scanOpenTag(text, lt + 1);
      if (depth + 1 > max) max = depth + 1;
      if (!tag.selfClosing) depth += 1;
      i = tag.end;
    }
  }
  return max;
}

/** Bodies nesting deeper than this are refused unless a caller sets another limit. */
export const DEFAULT_MAX_DEPTH = 64;

/** Refuses a body nesting `depth` levels deep when that is over `maxDepth`, with a CiError `BodyTooDeep`. */
export function checkDepth(depth: number, maxDepth = DEFAULT_MAX_DEPTH): void {
  if (depth > maxDepth) {
    throw new CiError({ code: ErrorCodes.BodyTooDeep, message: `Body nests deeper than ${maxDepth} levels` });
  }
}
