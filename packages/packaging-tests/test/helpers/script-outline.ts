/**
 * What a script defines, references and calls, read from its syntax tree (acorn), for the
 * i18n key finder to follow keys through functions and across files.
 */
import { parse, type AnyNode, type CallExpression, type Class, type Function as FunctionNode, type Options, type Program } from 'acorn';
import { ancestor } from 'acorn-walk';

export interface Definition {
  name: string;
  /** `function`: declared or bound to a name (`const f = () => …`); `method`: of a class. */
  kind: 'function' | 'method' | 'class';
  node: FunctionNode | Class;
  /** A method's class. */
  owner?: Class;
}

export interface Call {
  node: CallExpression;
  /** `f` in `f(…)`, `x.f(…)` and `(0, x.f)(…)` (TypeScript's call of an imported function). */
  name: string;
  member: boolean;
  /** The functions the call is in, innermost first. */
  scopes: FunctionNode[];
}

export interface Outline {
  definitions: Definition[];
  calls: Call[];
  /** Variables read (not declared), by name and position. */
  references: Array<{ name: string; at: number }>;
  /** `x.y` with `x` a variable. */
  members: Array<{ object: string; property: string; at: number }>;
}

function parseProgram(name: string, text: string): Program {
  const options: Options = { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true, locations: true };
  try {
    return parse(text, options);
  } catch (scriptError) {
    try {
      return parse(text, { ...options, sourceType: 'module' });
    } catch {
      throw new Error(`${name}: cannot parse: ${(scriptError as Error).message}`);
    }
  }
}

/** A function's or class's name and kind from where it is defined, or undefined if it has none. */
function definitionOf(node: FunctionNode | Class, ancestors: AnyNode[]): Definition | undefined {
  const parent = ancestors[ancestors.length - 2];
  if (parent?.type === 'MethodDefinition' || parent?.type === 'PropertyDefinition') {
    const owner = ancestors[ancestors.length - 4] as Class;
    return parent.key.type === 'Identifier' && !parent.computed ? { name: parent.key.name, kind: 'method', node, owner } : undefined;
  }
  const kind = node.type.startsWith('Class') ? 'class' : 'function';
  if (parent?.type === 'VariableDeclarator' && parent.init === node && parent.id.type === 'Identifier') return { name: parent.id.name, kind, node };
  return node.id ? { name: node.id.name, kind, node } : undefined;
}

/** The name a call calls, if it calls one. */
function calleeOf(node: CallExpression): { name: string; member: boolean } | undefined {
  let callee = node.callee;
  if (callee.type === 'SequenceExpression') callee = callee.expressions[callee.expressions.length - 1]!;
  if (callee.type === 'Identifier') return { name: callee.name, member: false };
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') return { name: callee.property.name, member: true };
  return undefined;
}

/** Parses a script (throwing if it cannot) and lists what the key finder needs. */
export function outlineScript(name: string, text: string): Outline {
  const program = parseProgram(name, text);
  const outline: Outline = { definitions: [], calls: [], references: [], members: [] };
  const define = (node: FunctionNode | Class, ancestors: AnyNode[]) => {
    const definition = definitionOf(node, ancestors);
    if (definition) outline.definitions.push(definition);
  };
  ancestor(program, {
    Function: define,
    Class: define,
    CallExpression(node, _state, ancestors) {
      const callee = calleeOf(node);
      const scopes = ancestors.filter((a): a is Extract<AnyNode, FunctionNode> => /Function/.test(a.type)).reverse();
      if (callee) outline.calls.push({ node, ...callee, scopes });
    },
    Identifier(node) {
      outline.references.push({ name: node.name, at: node.start });
    },
    MemberExpression(node) {
      if (node.object.type === 'Identifier' && !node.computed && node.property.type === 'Identifier') {
        outline.members.push({ object: node.object.name, property: node.property.name, at: node.start });
      }
    },
  });
  return outline;
}

/** The names of a function's parameters (`''` for a destructured one). */
export function parameterNames(fn: FunctionNode): string[] {
  return fn.params.map((p) => {
    const target = p.type === 'AssignmentPattern' ? p.left : p.type === 'RestElement' ? p.argument : p;
    return target.type === 'Identifier' ? target.name : '';
  });
}
