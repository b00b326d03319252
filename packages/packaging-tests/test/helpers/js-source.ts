/**
 * Just enough JavaScript reading for the i18n check: string, template and regex literals and
 * comments are blanked out ("masked", positions kept) so that brackets, calls and function
 * definitions can be found with regular expressions, and the literals are kept aside.
 */

export interface Literal {
  start: number;
  /** Index after the closing delimiter. */
  end: number;
  kind: 'string' | 'template' | 'regex';
  /** A string's value; a template's text before its first `${`. */
  value: string;
  /** A template's first `${…}` expression, if it has one. */
  firstExpr?: string;
}

export interface Source {
  name: string;
  text: string;
  masked: string;
  literals: Map<number, Literal>;
}

const REGEX_AFTER = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);

export function parseSource(name: string, text: string): Source {
  const out: string[] = [];
  const literals = new Map<number, Literal>();
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) out.push(text[k] === '\n' ? '\n' : ' ');
  };

  function readString(i: number): number {
    const quote = text[i];
    let value = '';
    let j = i + 1;
    while (j < text.length && text[j] !== quote && text[j] !== '\n') {
      if (text[j] === '\\') {
        const next = text[j + 1] ?? '';
        value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
        j += 2;
      } else value += text[j++];
    }
    literals.set(i, { start: i, end: j + 1, kind: 'string', value });
    return j + 1;
  }

  /** From inside `${`, the index of its closing `}`. */
  function skipExpression(i: number): number {
    let depth = 0;
    let j = i;
    while (j < text.length) {
      const c = text[j]!;
      if (c === "'" || c === '"') j = readString(j);
      else if (c === '`') j = readTemplate(j);
      else if (c === '{') { depth++; j++; }
      else if (c === '}') { if (depth === 0) return j; depth--; j++; }
      else j++;
    }
    return j;
  }

  function readTemplate(i: number): number {
    let head = '';
    let headDone = false;
    let firstExpr: string | undefined;
    let j = i + 1;
    while (j < text.length && text[j] !== '`') {
      if (text[j] === '\\') {
        if (!headDone) head += text[j + 1] ?? '';
        j += 2;
      } else if (text[j] === '$' && text[j + 1] === '{') {
        const close = skipExpression(j + 2);
        if (firstExpr === undefined) firstExpr = text.slice(j + 2, close).trim();
        headDone = true;
        j = close + 1;
      } else {
        if (!headDone) head += text[j];
        j++;
      }
    }
    literals.set(i, { start: i, end: j + 1, kind: 'template', value: head, firstExpr });
    return j + 1;
  }

  function readRegex(i: number): number {
    let j = i + 1;
    let inClass = false;
    while (j < text.length && text[j] !== '\n') {
      const c = text[j]!;
      if (c === '\\') { j += 2; continue; }
      if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      else if (c === '/' && !inClass) break;
      j++;
    }
    j++;
    while (j < text.length && /[a-z]/i.test(text[j]!)) j++;
    literals.set(i, { start: i, end: j, kind: 'regex', value: text.slice(i, j) });
    return j;
  }

  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const to = end < 0 ? text.length : end;
      blank(i, to);
      i = to;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const to = end < 0 ? text.length : end + 2;
      blank(i, to);
      i = to;
    } else if (c === "'" || c === '"' || c === '`') {
      const to = c === '`' ? readTemplate(i) : readString(i);
      out.push(c);
      blank(i + 1, Math.min(to, text.length) - 1);
      if (to <= text.length) out.push(text[to - 1]!);
      i = to;
    } else if (c === '/') {
      const before = out.join('').trimEnd();
      const prev = before.slice(-1);
      const prevWord = /([\w$]+)$/.exec(before)?.[1] ?? '';
      if (REGEX_AFTER.has(prev) || prevWord === 'return' || prevWord === 'typeof') {
        const to = readRegex(i);
        out.push('/');
        blank(i + 1, to - 1);
        out.push(' ');
        i = to;
      } else {
        out.push(c);
        i++;
      }
    } else {
      out.push(c);
      i++;
    }
  }
  const masked = out.join('').slice(0, text.length);
  return { name, text, masked, literals };
}

/** Index of the bracket closing the one at `open` (in masked text). */
export function matchingBracket(masked: string, open: number): number {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: string[] = [];
  for (let j = open; j < masked.length; j++) {
    const c = masked[j]!;
    if (pairs[c]) stack.push(pairs[c]!);
    else if (c === ')' || c === ']' || c === '}') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return j;
    }
  }
  return -1;
}

/** The argument ranges of a call whose `(` is at `open`. */
export function callArguments(masked: string, open: number): Array<{ start: number; end: number }> {
  const close = matchingBracket(masked, open);
  if (close < 0) return [];
  const args: Array<{ start: number; end: number }> = [];
  let depth = 0;
  let start = open + 1;
  for (let j = open + 1; j < close; j++) {
    const c = masked[j]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      args.push({ start, end: j });
      start = j + 1;
    }
  }
  if (masked.slice(start, close).trim()) args.push({ start, end: close });
  return args;
}

/** Line number (1-based) of an index. */
export function lineOf(text: string, index: number): number {
  let line = 1;
  for (let j = 0; j < index && j < text.length; j++) if (text[j] === '\n') line++;
  return line;
}

export interface FunctionDef {
  source: Source;
  name: string;
  params: string[];
  kind: 'function' | 'method' | 'class';
  /** Index of the `(` of the parameter list (-1 for a class). */
  open: number;
  /** Body range, braces included. */
  start: number;
  end: number;
}

const NOT_METHODS = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'with', 'do', 'else', 'typeof', 'new', 'await']);

function paramNames(list: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of `${list},`) {
    if (c === '(' || c === '[' || c === '{') depth++;
    if (c === ')' || c === ']' || c === '}') depth--;
    if (c === ',' && depth === 0) {
      names.push(/^\s*(?:\.\.\.)?([\w$]+)/.exec(current)?.[1] ?? '');
      current = '';
    } else current += c;
  }
  return names;
}

/** Named functions, arrow functions bound to a name, methods and classes. */
export function functionDefs(source: Source): FunctionDef[] {
  const defs: FunctionDef[] = [];
  const { masked } = source;
  const add = (m: RegExpMatchArray, name: string, params: string, kind: FunctionDef['kind']) => {
    const braceAt = m.index! + m[0].length - 1;
    const end = matchingBracket(masked, braceAt);
    // Every pattern's first `(` opens the parameter list.
    const open = kind === 'class' ? -1 : m.index! + m[0].indexOf('(');
    if (end > 0) defs.push({ source, name, params: paramNames(params), kind, open, start: braceAt, end: end + 1 });
  };
  for (const m of masked.matchAll(/\bfunction\s*\*?\s*([\w$]+)\s*\(([^)]*)\)\s*\{/g)) add(m, m[1]!, m[2]!, 'function');
  for (const m of masked.matchAll(/\b(?:const|let|var)\s+([\w$]+)\s*=\s*(?:async\s*)?(?:function\s*\*?\s*)?\(([^)]*)\)\s*(?:=>\s*)?\{/g)) add(m, m[1]!, m[2]!, 'function');
  for (const m of masked.matchAll(/\bclass\s+([\w$]+)[^{]*\{/g)) add(m, m[1]!, '', 'class');
  for (const m of masked.matchAll(/(^|[;{}\n])\s*(?:(?:async|static|get|set)\s+)*([\w$]+)\s*\(([^)]*)\)\s*\{/g)) {
    if (NOT_METHODS.has(m[2]!)) continue;
    add(m, m[2]!, m[3]!, 'method');
  }
  // `function name(` also matches the method pattern; keep one of each body.
  const seen = new Set<number>();
  return defs.filter((d) => (seen.has(d.start) ? false : (seen.add(d.start), true)));
}
