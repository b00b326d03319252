/**
 * Job descriptors compiled into validators. A descriptor is walked once per job type and
 * mode: each field becomes a small closure with its path, its `describeAllowed` text and its
 * limits already worked out, each container a list of those closures and its known names,
 * each rule its paths split. Validating a request then only runs the closures.
 *
 * The checks are those of the job descriptor model (jobs/descriptor.ts), in this order: every
 * field in documented order (a container's fields before its unknown ones), then, only when
 * every field is valid, the descriptor's rules and the request-level rules. Inputs are
 * untrusted: only plain objects are read, only their own properties, and the result holds
 * nothing but the descriptor's own field names (so never `__proto__` or `constructor`).
 */
import { CiValidationError, type ValidationIssue } from './errors';
import type { FieldRule, FieldSpec, JobDescriptor } from './jobs/descriptor';
import { requestFields, requestRules } from './jobs/common';
import { describeAllowed } from './describe-allowed';

/** What the caller does with fields the descriptor does not know: reject them, or drop them. */
export type UnknownFields = 'error' | 'ignore';

/** A compiled request validator: the request to send, `Tag` first, or a thrown CiValidationError. */
export type RequestValidator<Tag extends string> = (params: unknown) => { Tag: Tag } & Record<string, unknown>;

/** Checks one field's value: returns it as it will be sent, or undefined (absent, or invalid and reported). */
type FieldCheck = (value: unknown, issues: ValidationIssue[]) => unknown;

/** Reads a property of a plain object, or undefined when the object does not have it. */
type Read = (object: Record<string, unknown>, name: string) => unknown;

/** One rule between fields, run on the validated body. */
type RuleCheck = (body: Record<string, unknown>, issues: ValidationIssue[]) => void;

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const hasOwn = Object.prototype.hasOwnProperty;
const isEnumerable = Object.prototype.propertyIsEnumerable;

/** Own properties only: a nested container never sees what its prototype holds. */
const readOwn: Read = (object, name) => (hasOwn.call(object, name) ? object[name] : undefined);
/** Own enumerable properties only: the request root, read as a copy without its Tag. */
const readOwnEnumerable: Read = (object, name) => (isEnumerable.call(object, name) ? object[name] : undefined);

/** An object literal or `Object.create(null)`: not an array, a class instance or a boxed value. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Blank, as editors leave an input: undefined, null or the empty string. */
export const isEmpty = (value: unknown): boolean => value === undefined || value === null || value === '';

function fail(issues: ValidationIssue[], path: string, value: unknown, allowed: string): undefined {
  issues.push({ path, value, allowed });
  return undefined;
}

const childPath = (path: string, name: string): string => (path ? `${path}.${name}` : name);

/** The fields of a whole `Request` for one job type, in documented order. */
export function requestSpec(descriptor: JobDescriptor): Record<string, FieldSpec> {
  return {
    Input: { kind: 'container', doc: 'The media to process.', required: true, fields: descriptor.input },
    Operation: { kind: 'container', doc: 'The job parameters.', required: descriptor.operationRequired, fields: descriptor.operation },
    ...requestFields,
  };
}

/** Whether `n` lies in the spec's range (bounds included unless marked exclusive). */
function rangeCheck(spec: FieldSpec): (n: number) => boolean {
  const { min, max, minExclusive, maxExclusive } = spec;
  return (n) => {
    if (min !== undefined && (minExclusive ? n <= min : n < min)) return false;
    if (max !== undefined && (maxExclusive ? n >= max : n > max)) return false;
    return true;
  };
}

/** `true`/`false` (or the booleans) as `true`/`false`. */
function booleanCheck(path: string, allowed: string): FieldCheck {
  return (value, issues) => {
    if (value === true || value === 'true') return 'true';
    if (value === false || value === 'false') return 'false';
    return fail(issues, path, value, allowed);
  };
}

/** A finite number, or text of one (trimmed), in range; integers are sent in canonical form (`007` as `7`). */
function numberCheck(path: string, spec: FieldSpec, allowed: string): FieldCheck {
  const integer = spec.kind === 'integer';
  const syntax = integer ? INTEGER : NUMBER;
  const inRange = rangeCheck(spec);
  return (value, issues) => {
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || !inRange(value)) return fail(issues, path, value, allowed);
      return String(value);
    }
    if (typeof value !== 'string') return fail(issues, path, value, allowed);
    const text = value.trim();
    if (!syntax.test(text)) return fail(issues, path, value, allowed);
    const n = Number(text);
    if (!inRange(n)) return fail(issues, path, value, allowed);
    return integer ? String(n) : text;
  };
}

/** One of the listed values, exactly (a number counts as its text). */
function enumCheck(path: string, spec: FieldSpec, allowed: string): FieldCheck {
  const values = new Set(spec.values);
  return (value, issues) => {
    const text = typeof value === 'number' ? String(value) : value;
    return typeof text === 'string' && values.has(text) ? text : fail(issues, path, value, allowed);
  };
}

/** Text (a number counts as its text) within the spec's length and pattern. */
function stringCheck(path: string, spec: FieldSpec, allowed: string): FieldCheck {
  const { maxLength, pattern } = spec;
  return (value, issues) => {
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string' || (maxLength !== undefined && text.length > maxLength) || (pattern !== undefined && !pattern.test(text))) {
      return fail(issues, path, value, allowed);
    }
    return text;
  };
}

/**
 * A container: each known field checked in documented order, then (with `rejectUnknown`) every
 * non-blank field it does not know reported. Returns the fields to send, or undefined when none.
 * `skip` names a field the caller checks itself (the root's Tag).
 */
function containerCheck(
  path: string,
  fields: Readonly<Record<string, FieldSpec>>,
  allowed: string,
  rejectUnknown: boolean,
  read: Read = readOwn,
  skip?: string,
): FieldCheck {
  const names = Object.keys(fields);
  const checks = names.map((name) => fieldCheck(childPath(path, name), fields[name]!, rejectUnknown));
  const known = new Set(names);
  const knownText = `a known field: ${names.join(', ')}`;
  return (value, issues) => {
    if (!isPlainObject(value)) return fail(issues, path, value, allowed);
    let out: Record<string, unknown> | undefined;
    for (let i = 0; i < names.length; i += 1) {
      const name = names[i]!;
      const sent = checks[i]!(read(value, name), issues);
      if (sent !== undefined) (out ??= {})[name] = sent;
    }
    if (rejectUnknown) {
      for (const name of Object.keys(value)) {
        if (!known.has(name) && name !== skip && !isEmpty(value[name])) fail(issues, childPath(path, name), value[name], knownText);
      }
    }
    return out;
  };
}

/** The check of a present (non-blank) value of the spec's kind. */
function presentCheck(path: string, spec: FieldSpec, rejectUnknown: boolean): FieldCheck {
  const allowed = describeAllowed(spec);
  switch (spec.kind) {
    case 'container':
      return containerCheck(path, spec.fields ?? {}, allowed, rejectUnknown);
    case 'boolean':
      return booleanCheck(path, allowed);
    case 'integer':
    case 'number':
      return numberCheck(path, spec, allowed);
    case 'enum':
      return enumCheck(path, spec, allowed);
    default:
      return stringCheck(path, spec, allowed);
  }
}

/**
 * One field: blank values are left out, or reported when the field is required. A missing
 * required container names the required fields inside it when it has any, else itself.
 */
function fieldCheck(path: string, spec: FieldSpec, rejectUnknown: boolean): FieldCheck {
  const present = presentCheck(path, spec, rejectUnknown);
  if (!spec.required) return (value, issues) => (isEmpty(value) ? undefined : present(value, issues));
  const allowed = describeAllowed(spec);
  const inside = spec.kind === 'container';
  return (value, issues) => {
    if (!isEmpty(value)) return present(value, issues);
    if (inside) {
      const before = issues.length;
      present({}, issues);
      if (issues.length > before) return undefined;
    }
    return fail(issues, path, undefined, allowed);
  };
}

/** Dotted-path access into the validated body, the path split once (as jobs/paths.ts getPath). */
function pathGetter(path: string): (root: unknown) => unknown {
  const keys = path.split('.');
  return (root) => {
    let node = root;
    for (const key of keys) {
      if (node === null || typeof node !== 'object' || !hasOwn.call(node, key)) return undefined;
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  };
}

function ruleCheck(rule: FieldRule): RuleCheck {
  switch (rule.kind) {
    case 'atLeastOne': {
      const getters = rule.paths.map(pathGetter);
      const path = rule.paths.join(' or ');
      return (body, issues) => {
        if (getters.every((get) => get(body) === undefined)) fail(issues, path, undefined, rule.doc);
      };
    }
    case 'requiredWhen': {
      const when = pathGetter(rule.when.path);
      const target = pathGetter(rule.path);
      return (body, issues) => {
        const value = when(body);
        if (typeof value === 'string' && rule.when.in.includes(value) && target(body) === undefined) {
          fail(issues, rule.path, undefined, `required when ${rule.when.path} is ${value}`);
        }
      };
    }
    default:
      return (body, issues) => {
        for (const [path, value, allowed] of rule.check(body)) fail(issues, path, value, allowed);
      };
  }
}

/**
 * Compiles the validator of one job type. `params` must be a plain object; a `Tag` in it must
 * be the job's; the request's fields are checked against the descriptor and, when they are
 * all valid, the descriptor's rules and then the request-level rules run on the result.
 */
export function compileRequestValidator<Tag extends string>(descriptor: JobDescriptor<Tag>, unknownFields: UnknownFields): RequestValidator<Tag> {
  const tag = descriptor.tag;
  const root = containerCheck('', requestSpec(descriptor), '', unknownFields === 'error', readOwnEnumerable, 'Tag');
  const rules = [...descriptor.rules, ...requestRules].map(ruleCheck);
  return (params) => {
    const issues: ValidationIssue[] = [];
    let body: Record<string, unknown> = {};
    if (!isPlainObject(params)) {
      fail(issues, '(parameters)', params, 'an object with Input and Operation');
    } else {
      const given = params.Tag;
      if (!isEmpty(given) && given !== tag) fail(issues, 'Tag', given, tag);
      body = (root(params, issues) as Record<string, unknown> | undefined) ?? {};
    }
    if (issues.length === 0) for (const rule of rules) rule(body, issues);
    if (issues.length > 0) throw new CiValidationError(tag, issues);
    return { Tag: tag, ...body };
  };
}

/**
 * Compiles the validator of a flat set of query parameters (an instant call's, InstantSpec):
 * a plain object whose fields are checked as job fields are, unknown names refused. `subject`
 * names the call in the error (`instant Snapshot`).
 */
export function compileParamsValidator(subject: string, fields: Readonly<Record<string, FieldSpec>>): (params: unknown) => Record<string, string> {
  const root = containerCheck('', fields, '', true, readOwnEnumerable);
  return (params) => {
    const issues: ValidationIssue[] = [];
    let body: Record<string, unknown> = {};
    if (params === undefined || params === null) params = {};
    if (!isPlainObject(params)) fail(issues, '(parameters)', params, `an object with ${Object.keys(fields).join(', ') || 'no fields'}`);
    else body = (root(params, issues) as Record<string, unknown> | undefined) ?? {};
    if (issues.length > 0) throw new CiValidationError(subject, issues, subject);
    return body as Record<string, string>;
  };
}
