/**
 * Which message-catalog keys a node uses, read from the files it ships (the JavaScript
 * parsed with acorn), so that every one can be looked up in each locale.
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
 * A key argument that none of this explains is reported as unverifiable; a script that
 * cannot be parsed throws.
 */
import { getLineInfo } from 'acorn';
import { argumentKeys, type KeyTarget } from './key-arguments';
import { outlineScript, type Call, type Definition, type Outline } from './script-outline';

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

interface Script {
  file: ScriptFile;
  outline: Outline;
}

const lineOf = (text: string, index: number) => getLineInfo(text, index).line;

/** The code that runs: own files whole; in libraries, what own code reaches through their exports. */
function reachedCode(scripts: Script[], scriptOf: Map<Definition, Script>) {
  const segments = new Map<Script, Array<{ start: number; end: number }>>(scripts.map((s) => [s, []]));
  const reached = new Set<Definition>();
  const queue = scripts.filter((s) => s.file.own).map((script) => ({ script, start: 0, end: script.file.text.length }));
  const reach = (definition: Definition) => {
    if (reached.has(definition)) return;
    reached.add(definition);
    queue.push({ script: scriptOf.get(definition)!, start: definition.node.start, end: definition.node.end });
  };
  for (let segment = queue.shift(); segment; segment = queue.shift()) {
    const { script, start, end } = segment;
    segments.get(script)!.push({ start, end });
    const inside = ({ at }: { at: number }) => start <= at && at < end;
    const imports = script.file.imports ?? {};
    for (const ref of script.outline.references.filter(inside)) {
      for (const d of script.outline.definitions) if (d.name === ref.name && d.kind !== 'method') reach(d);
    }
    for (const m of script.outline.members.filter(inside)) {
      if (!imports[m.object]) continue;
      for (const other of scripts) if (!other.file.own) for (const d of other.outline.definitions) if (d.name === m.property && d.kind !== 'method') reach(d);
    }
  }
  const classes = new Set<Definition['node']>();
  for (const [d, s] of scriptOf) if (d.kind === 'class' && (s.file.own || reached.has(d))) classes.add(d.node);
  return {
    runs: (script: Script, at: number) => segments.get(script)!.some((s) => s.start <= at && at < s.end),
    /** A method counts when its class is reached (or in the node's own files). */
    classReached: (d: Definition) => d.owner !== undefined && classes.has(d.owner),
  };
}

export function analyzeScripts(files: ScriptFile[]): KeyAnalysis {
  const scripts: Script[] = files.map((file) => ({ file, outline: outlineScript(file.name, file.text) }));
  const scriptOf = new Map<Definition, Script>(scripts.flatMap((s) => s.outline.definitions.map((d) => [d, s] as const)));
  const definitionOf = new Map([...scriptOf.keys()].map((d) => [d.node, d] as const));
  const { runs, classReached } = reachedCode(scripts, scriptOf);

  // ---- `_()` and the functions passing a parameter on to it (wrappers) ----
  const wrappers = new Map<Definition, KeyTarget[]>();
  /** What a call resolves to: `_` itself, or wrappers. */
  const targets = (script: Script, call: Call): KeyTarget[] => {
    if (call.name === '_') return [{ argIndex: 0, prefix: '' }];
    const out: KeyTarget[] = [];
    for (const [d, list] of wrappers) {
      if (d.name !== call.name) continue;
      // A method: `x.name(` with the class reached; a function: `name(` in its own file, `x.name(` from another.
      const ok = d.kind === 'method' ? call.member && classReached(d) : scriptOf.get(d) === script ? !call.member : call.member;
      if (ok) out.push(...list);
    }
    return out;
  };
  const addWrapper = (d: Definition, w: KeyTarget): boolean => {
    const list = wrappers.get(d) ?? [];
    if (list.some((x) => x.argIndex === w.argIndex && x.prefix === w.prefix && x.prop === w.prop)) return false;
    wrappers.set(d, [...list, w]);
    return true;
  };
  // Fixed point: a function passing its parameter on to `_()` or to a wrapper is a wrapper.
  for (let changed = true; changed;) {
    changed = false;
    for (const script of scripts) {
      for (const call of script.outline.calls) {
        for (const target of targets(script, call)) {
          for (const v of argumentKeys(call, target)) {
            const d = v.kind === 'parameter' ? definitionOf.get(v.fn) : undefined;
            if (d && v.kind === 'parameter' && addWrapper(d, { argIndex: v.argIndex, prefix: v.prefix, prop: v.prop })) changed = true;
          }
        }
      }
    }
  }

  // ---- uses: the keys of every call in code that runs ----
  const analysis: KeyAnalysis = { uses: [], external: [], unverifiable: [] };
  const addUse = (key: string, kind: KeyUse['kind'], at: string) => (/^[\w-]+:/.test(key) ? analysis.external : analysis.uses).push({ key, kind, at });
  for (const script of scripts) {
    for (const call of script.outline.calls) {
      if (!runs(script, call.node.start)) continue;
      const where = `${script.file.name}:${lineOf(script.file.text, call.node.callee.end)}`;
      for (const target of targets(script, call)) {
        for (const v of argumentKeys(call, target)) {
          if (v.kind === 'key') addUse(v.key, 'exact', where);
          else if (v.kind === 'prefix') addUse(v.key, 'prefix', where);
          else if (v.kind === 'parameter' && definitionOf.has(v.fn))
            continue; // the wrapper's callers are checked
          else {
            const arg = call.node.arguments[target.argIndex]!;
            const reason = v.kind === 'unknown' && v.reason ? ` (${v.reason})` : '';
            analysis.unverifiable.push(`${where}: ${call.name}(${script.file.text.slice(arg.start, arg.end)})${reason}`);
          }
        }
      }
    }
  }
  return analysis;
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
