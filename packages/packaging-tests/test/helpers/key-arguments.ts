/** What the key argument of a `_()` call, or of a function passing it on to `_()`, works out to. */
import type { Expression, Function as FunctionNode, SpreadElement } from 'acorn';
import { parameterNames, type Call } from './script-outline';

/** How a function passes a parameter on as (part of) a key. */
export interface KeyTarget {
  argIndex: number;
  /** Text put before the key. */
  prefix: string;
  /** The key is this property of the argument object (`status.end({ key: 'x' })`). */
  prop?: string;
}

export type KeyValue =
  | { kind: 'key'; key: string }
  /** A group some dynamic key is chosen from. */
  | { kind: 'prefix'; key: string }
  /** A parameter of a function around the call: the key comes from that function's callers. */
  | ({ kind: 'parameter'; fn: FunctionNode } & KeyTarget)
  | { kind: 'unknown'; reason?: string };

/** The innermost function around the call with a parameter of this name, and its position. */
function parameter(call: Call, name: string): { fn: FunctionNode; argIndex: number } | undefined {
  for (const fn of call.scopes) {
    const argIndex = parameterNames(fn).indexOf(name);
    if (argIndex >= 0) return { fn, argIndex };
  }
  return undefined;
}

/** A string concatenation or template as its parts: text, or expressions. */
function parts(node: Expression): Array<string | Expression> {
  if (node.type === 'Literal' && typeof node.value === 'string') return [node.value];
  if (node.type === 'TemplateLiteral') {
    return node.quasis.flatMap((q, i) => [q.value.cooked ?? q.value.raw, ...(i < node.expressions.length ? [node.expressions[i]!] : [])]);
  }
  if (node.type === 'BinaryExpression' && node.operator === '+' && node.left.type !== 'PrivateIdentifier') return [...parts(node.left), ...parts(node.right)];
  return [node];
}

/**
 * A key expression, with `prefix` before it: literal text, one of the branches of `a ? b : c`,
 * text followed by a parameter (`'x.' + key`, `` `x.${outcome.key}` ``) or by anything else
 * (then the text must name a group).
 */
function keyValues(call: Call, node: Expression, prefix: string): KeyValue[] {
  if (node.type === 'ConditionalExpression') return [...keyValues(call, node.consequent, prefix), ...keyValues(call, node.alternate, prefix)];
  const list = parts(node);
  const dynamic = list.findIndex((p) => typeof p !== 'string');
  const head = prefix + list.slice(0, dynamic < 0 ? undefined : dynamic).join('');
  if (dynamic < 0) return [{ kind: 'key', key: head }];
  const expr = list[dynamic] as Expression;
  const last = list.slice(dynamic + 1).every((p) => p === '');
  const named =
    expr.type === 'MemberExpression' && !expr.computed && expr.property.type === 'Identifier'
      ? { object: expr.object, prop: expr.property.name }
      : { object: expr, prop: undefined };
  const param = last && named.object.type === 'Identifier' ? parameter(call, named.object.name) : undefined;
  if (param) return [{ kind: 'parameter', ...param, prefix: head, prop: named.prop }];
  if (head.length > 1 && head.endsWith('.')) return [{ kind: 'prefix', key: head.slice(0, -1) }];
  return [{ kind: 'unknown' }];
}

/** What a call's argument gives a target: nothing if the argument is missing. */
export function argumentKeys(call: Call, target: KeyTarget): KeyValue[] {
  const arg: Expression | SpreadElement | undefined = call.node.arguments[target.argIndex];
  if (!arg) return [];
  if (arg.type === 'SpreadElement') return [{ kind: 'unknown' }];
  if (!target.prop) return keyValues(call, arg, target.prefix);
  if (arg.type === 'Identifier') {
    const param = parameter(call, arg.name);
    return [param ? { kind: 'parameter', ...param, prefix: target.prefix, prop: target.prop } : { kind: 'unknown', reason: `the key in .${target.prop}` }];
  }
  if (arg.type !== 'ObjectExpression') return [{ kind: 'unknown', reason: `the key in .${target.prop}` }];
  for (const p of arg.properties) {
    if (p.type !== 'Property' || p.computed) continue;
    const name = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'Literal' ? String(p.key.value) : undefined;
    if (name === target.prop) return keyValues(call, p.value as Expression, target.prefix);
  }
  return [{ kind: 'unknown', reason: `no ${target.prop} property` }];
}
