/**
 * Which message-catalog keys a node uses, read from the files it ships, so that every one
 * can be looked up in each locale.
 *
 * Node-RED resolves a node's `RED._(key)` (runtime) and `this._(key)` / `data-i18n`
 * (editor) in the node set's own namespace, i.e. `locales/<lang>/<type>.json` beside the
 * node's .js. Code shared from another package (the config package's job runtime and status
 * tracker) runs with the calling node's `RED`, so its keys must be in the calling node's
 * catalog too. Keys are found as:
 *   - string literals given to `_()`, or to a function that passes its parameter on to `_()`
 *     (found to a fixed point, so `t(key)`, `userError(RED, key)`, `status.end({ key })`
 *     and `validator(key)` → `t('allowed.' + key)` are followed);
 *   - `prefix.${dynamic}` templates and `'prefix.' + dynamic` concatenations whose dynamic
 *     part is not such a parameter: the prefix must name a non-empty group in the catalog;
 *   - `data-i18n="[attr]key;key2"` attributes.
 * In a node's own files everything counts; in another package's files only the functions
 * and classes the node's code reaches through that package's exports.
 * A key argument that none of this explains is reported as unverifiable.
 */
import { callArguments, functionDefs, lineOf, parseSource, type FunctionDef, type Source } from './js-source';

export interface KeyUse {
  key: string;
  /** `exact`: a message; `prefix`: a group some dynamic key is chosen from. */
  kind: 'exact' | 'prefix';
  /** file:line of the use. */
  at: string;
}

export interface KeyAnalysis {
  uses: KeyUse[];
  /** Keys qualified with another namespace (`node-red:…`): not in our catalogs. */
  external: KeyUse[];
  /** Calls whose key could not be worked out statically. */
  unverifiable: string[];
}

export interface ScriptFile {
  name: string;
  text: string;
  /** The node's own package (all of it counts) or a library it requires (only what is reached). */
  own: boolean;
  /** Import variable → required module specifier (`config_1` → `@node-red-tencent-ci/config`). */
  imports?: Record<string, string>;
}

interface Wrapper {
  argIndex: number;
  prefix: string;
  /** The key is this property of the argument object (`status.end({ key: 'x' })`). */
  prop?: string;
}

const KEY = /^[A-Za-z_$][\w$-]*(?:\.[\w$-]+)*$/;

function at(source: Source, index: number): string {
  return `${source.name}:${lineOf(source.text, index)}`;
}

/** The text of a range with its literals, classified. */
type Argument =
  | { kind: 'literals'; values: string[] }
  | { kind: 'dynamic'; head: string; expr: string }
  | { kind: 'identifier'; name: string; prop?: string }
  | { kind: 'object'; start: number; end: number }
  | { kind: 'unknown' };

function classify(source: Source, start: number, end: number): Argument {
  const masked = source.masked.slice(start, end);
  const offset = start + (masked.length - masked.trimStart().length);
  const trimmed = masked.trim();
  const literal = source.literals.get(offset);
  if (literal && literal.end - literal.start === trimmed.length) {
    if (literal.kind === 'string') return { kind: 'literals', values: [literal.value] };
    if (literal.kind === 'template') return literal.firstExpr === undefined ? { kind: 'literals', values: [literal.value] } : { kind: 'dynamic', head: literal.value, expr: literal.firstExpr };
  }
  if (literal && literal.kind === 'string') {
    const rest = /^\s*\+\s*([\s\S]+)$/.exec(source.masked.slice(literal.end, end));
    if (rest) return { kind: 'dynamic', head: literal.value, expr: source.text.slice(end - rest[1]!.length, end).trim() };
  }
  const id = /^([\w$]+)(?:\.([\w$]+))?$/.exec(trimmed);
  if (id) return { kind: 'identifier', name: id[1]!, prop: id[2] };
  if (trimmed.startsWith('{')) return { kind: 'object', start: offset, end: offset + trimmed.length };
  if (/\?/.test(trimmed)) {
    const values = [...source.literals.values()].filter((l) => l.start >= start && l.end <= end && l.kind === 'string').map((l) => l.value);
    if (values.length && values.every((v) => KEY.test(v))) return { kind: 'literals', values };
  }
  return { kind: 'unknown' };
}

/** The value expression of `prop:` in an object literal range, as an argument. */
function propertyOf(source: Source, start: number, end: number, prop: string): { start: number; end: number } | undefined {
  const inner = source.masked.slice(start, end);
  const re = new RegExp(`[{,]\\s*${prop}\\s*:`, 'g');
  for (const m of inner.matchAll(re)) {
    const from = start + m.index! + m[0].length;
    let depth = 0;
    for (let j = from; j < end; j++) {
      const c = source.masked[j]!;
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) return { start: from, end: j };
        depth--;
      } else if (c === ',' && depth === 0) return { start: from, end: j };
    }
  }
  return undefined;
}

export function analyzeScripts(files: ScriptFile[]): KeyAnalysis {
  const sources = files.map((f) => ({ file: f, source: parseSource(f.name, f.text) }));
  const defs = new Map<Source, FunctionDef[]>(sources.map(({ source }) => [source, functionDefs(source)]));
  const allDefs = [...defs.values()].flat();

  // ---- what runs: own files whole, library definitions reached through imports ----
  const reached = new Set<FunctionDef>();
  const segments: Array<{ source: Source; start: number; end: number }> = [];
  const queue: Array<{ source: Source; file: ScriptFile; start: number; end: number }> = [];
  for (const { file, source } of sources) if (file.own) queue.push({ source, file, start: 0, end: source.text.length });
  const fileOf = new Map(sources.map(({ file, source }) => [source, file]));
  const reach = (def: FunctionDef) => {
    if (reached.has(def)) return;
    reached.add(def);
    queue.push({ source: def.source, file: fileOf.get(def.source)!, start: def.start, end: def.end });
  };
  while (queue.length) {
    const seg = queue.shift()!;
    segments.push(seg);
    const text = seg.source.masked.slice(seg.start, seg.end);
    const imports = seg.file.imports ?? {};
    for (const m of text.matchAll(/([\w$]+)\.([\w$]+)/g)) {
      if (!imports[m[1]!]) continue;
      for (const d of allDefs) if (d.name === m[2] && d.kind !== 'method' && !fileOf.get(d.source)!.own) reach(d);
    }
    for (const m of text.matchAll(/(?<![\w$.])(?:new\s+)?([\w$]+)\s*\(/g)) {
      for (const d of defs.get(seg.source)!) if (d.name === m[1] && d.kind !== 'method') reach(d);
    }
  }
  const reachedClasses = [...reached].filter((d) => d.kind === 'class');
  for (const { file, source } of sources) if (file.own) for (const d of defs.get(source)!) if (d.kind === 'class') reachedClasses.push(d);
  const methodIsReachable = (d: FunctionDef) => reachedClasses.some((c) => c.source === d.source && c.start < d.start && d.end <= c.end);

  // ---- calls: `_()` and the wrappers of it ----
  const wrappers = new Map<FunctionDef, Wrapper[]>();
  const calls: Array<{ source: Source; name: string; member: boolean; open: number }> = [];
  const definitions = new Map<Source, Set<number>>(sources.map(({ source }) => [source, new Set(defs.get(source)!.map((d) => d.open))]));
  for (const { source } of sources) {
    // `name(`, `x.name(`, and `(0, x_1.name)(` (TypeScript's call of an imported function).
    for (const m of source.masked.matchAll(/(\.\s*)?([\w$]+)\s*(\)\s*)?\(/g)) {
      const open = m.index! + m[0].length - 1;
      if (definitions.get(source)!.has(open)) continue;
      calls.push({ source, name: m[2]!, member: Boolean(m[1]), open });
    }
  }
  /** What a call resolves to: `_` itself, or wrapper definitions. */
  const targets = (call: (typeof calls)[number]): Array<Wrapper & { def?: FunctionDef }> => {
    if (call.name === '_') return [{ argIndex: 0, prefix: '' }];
    const out: Array<Wrapper & { def?: FunctionDef }> = [];
    for (const [def, list] of wrappers) {
      if (def.name !== call.name) continue;
      // A method: `x.name(` with the class reached; a function: `name(` in its own file, `x.name(` from another.
      const ok = def.kind === 'method' ? call.member && methodIsReachable(def) : def.source === call.source ? !call.member : call.member;
      if (ok) for (const w of list) out.push({ ...w, def });
    }
    return out;
  };
  const enclosing = (source: Source, index: number, name: string): { def: FunctionDef; index: number } | undefined => {
    let best: FunctionDef | undefined;
    for (const d of defs.get(source)!) {
      if (d.kind === 'class' || d.start > index || index >= d.end || !d.params.includes(name)) continue;
      if (!best || d.start > best.start) best = d;
    }
    return best ? { def: best, index: best.params.indexOf(name) } : undefined;
  };
  const addWrapper = (def: FunctionDef, w: Wrapper): boolean => {
    const list = wrappers.get(def) ?? [];
    if (list.some((x) => x.argIndex === w.argIndex && x.prefix === w.prefix && x.prop === w.prop)) return false;
    wrappers.set(def, [...list, w]);
    return true;
  };
  // Fixed point: a function passing its parameter on to `_()` or to a wrapper is a wrapper.
  for (let changed = true; changed; ) {
    changed = false;
    for (const call of calls) {
      for (const target of targets(call)) {
        const arg = callArguments(call.source.masked, call.open)[target.argIndex];
        if (!arg) continue;
        const c = classify(call.source, arg.start, arg.end);
        let param: { name: string; prop?: string; head: string } | undefined;
        if (c.kind === 'identifier' && !target.prop) param = { name: c.name, prop: c.prop, head: '' };
        else if (c.kind === 'identifier' && target.prop && !c.prop) param = { name: c.name, prop: target.prop, head: '' };
        else if (c.kind === 'dynamic' && !target.prop) {
          const id = /^([\w$]+)(?:\.([\w$]+))?$/.exec(c.expr);
          if (id) param = { name: id[1]!, prop: id[2], head: c.head };
        }
        if (!param) continue;
        const owner = enclosing(call.source, call.open, param.name);
        if (owner && addWrapper(owner.def, { argIndex: owner.index, prefix: target.prefix + param.head, prop: param.prop })) changed = true;
      }
    }
  }

  // ---- uses: every reached call with a key worked out ----
  const uses: KeyUse[] = [];
  const external: KeyUse[] = [];
  const unverifiable: string[] = [];
  const counted = new Set<string>();
  const inSegment = (source: Source, index: number) => segments.some((s) => s.source === source && s.start <= index && index < s.end);
  const addUse = (key: string, kind: KeyUse['kind'], where: string) => {
    const use = { key, kind, at: where };
    if (/^[\w-]+:/.test(key)) external.push(use);
    else uses.push(use);
  };
  for (const call of calls) {
    if (!inSegment(call.source, call.open)) continue;
    for (const target of targets(call)) {
      const id = `${sources.findIndex((x) => x.source === call.source)}:${call.open}:${target.argIndex}:${target.prefix}:${target.prop ?? ''}`;
      if (counted.has(id)) continue;
      counted.add(id);
      const where = at(call.source, call.open);
      const args = callArguments(call.source.masked, call.open);
      let range: { start: number; end: number } | undefined = args[target.argIndex];
      if (!range) continue;
      if (target.prop) {
        const c = classify(call.source, range.start, range.end);
        if (c.kind === 'identifier' && !c.prop && enclosing(call.source, call.open, c.name)) continue; // passed on: a wrapper
        if (c.kind !== 'object') {
          unverifiable.push(`${where}: ${call.name}(…) gets a key in .${target.prop} of ${call.source.text.slice(range.start, range.end).trim()}`);
          continue;
        }
        range = propertyOf(call.source, c.start, c.end, target.prop);
        if (!range) {
          unverifiable.push(`${where}: ${call.name}(…) without a literal ${target.prop}`);
          continue;
        }
      }
      const c = classify(call.source, range.start, range.end);
      const text = call.source.text.slice(range.start, range.end).trim();
      if (c.kind === 'literals') for (const v of c.values) addUse(target.prefix + v, 'exact', where);
      else if (c.kind === 'identifier' && enclosing(call.source, call.open, c.name)) continue; // a wrapper's parameter
      else if (c.kind === 'dynamic') {
        const id2 = /^([\w$]+)(?:\.[\w$]+)?$/.exec(c.expr);
        if (id2 && enclosing(call.source, call.open, id2[1]!)) continue; // a wrapper's parameter
        const prefix = (target.prefix + c.head).replace(/\.$/, '');
        if (prefix && (target.prefix + c.head).endsWith('.')) addUse(prefix, 'prefix', where);
        else unverifiable.push(`${where}: ${call.name}(${text})`);
      } else unverifiable.push(`${where}: ${call.name}(${text})`);
    }
  }
  return { uses, external, unverifiable };
}

/** Keys named in `data-i18n` attributes (`[placeholder]a.b;c.d`). */
export function dataI18nKeys(name: string, html: string): KeyAnalysis {
  const uses: KeyUse[] = [];
  const external: KeyUse[] = [];
  for (const m of html.matchAll(/data-i18n\s*=\s*(["'])(.*?)\1/g)) {
    for (const part of m[2]!.split(';')) {
      const key = part.replace(/^\s*\[[^\]]*\]/, '').trim();
      if (!key) continue;
      const use = { key, kind: 'exact' as const, at: `${name}:${lineOf(html, m.index!)}` };
      (/^[\w-]+:/.test(key) ? external : uses).push(use);
    }
  }
  return { uses, external, unverifiable: [] };
}

/** The JavaScript of an editor HTML file's `<script type="text/javascript">` blocks, one per block. */
export function editorScripts(name: string, html: string): ScriptFile[] {
  const out: ScriptFile[] = [];
  for (const m of html.matchAll(/<script(?![^>]*type\s*=\s*["']text\/(?:html|x-red|markdown)["'])[^>]*>([\s\S]*?)<\/script>/gi)) {
    // Blank out everything else, so that line numbers stay those of the HTML file.
    const before = html.slice(0, m.index! + m[0].indexOf('>') + 1).replace(/[^\n]/g, ' ');
    out.push({ name, text: before + m[1]!, own: true });
  }
  return out;
}
