/**
 * Validation and normalisation of job parameters against a descriptor. The result is
 * the request exactly as it will be sent: fields in documented order, every scalar a
 * string (`true`/`false` for booleans), empty values left out.
 */
import { CiValidationError, type ValidationIssue } from './errors';
import type { FieldRule, FieldSpec, JobDescriptor } from './jobs/descriptor';
import { requestFields, requestRules } from './jobs/common';
import { getDescriptor } from './jobs';
import { getPath } from './jobs/paths';
import type { JobTag } from './types';

/** What a caller passes for one job: the `Request` minus its `Tag`. */
export interface JobRequestParams {
  Input: { Object?: string; Url?: string; [key: string]: unknown };
  Operation?: Record<string, unknown>;
  QueueId?: string;
  CallBackFormat?: 'XML' | 'JSON';
  CallBackType?: 'Url' | 'TDMQ';
  CallBack?: string;
  CallBackMqConfig?: { MqMode?: 'Queue' | 'Topic'; MqRegion?: string; MqName?: string };
  [key: string]: unknown;
}

/** The request after validation: `Tag` first, strings only. */
export type JobRequest = { Tag: JobTag } & Record<string, unknown>;

export interface ValidateOptions {
  /** `error` (default) rejects fields the descriptor does not know; `ignore` drops them (the emulator, like the service, ignores them). */
  unknownFields?: 'error' | 'ignore';
}

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** The languages "what is allowed" is written in: errors use en-US, the editors both. */
export type AllowedLang = 'en-US' | 'zh-CN';

/**
 * The words of describeAllowed, per language: nouns, the range forms (`{min}`, `{max}`,
 * `{range}` and `{n}` are filled in) and the separators. The one place these are written;
 * core's error messages, the editor tooltips and help all come from here.
 */
const ALLOWED_WORDS: Readonly<Record<AllowedLang, Readonly<Record<string, string>>>> = {
  'en-US': {
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
    oneOf: 'one of {values}',
    text: 'text',
    container: 'an object with fields {fields}',
    atMost: 'at most {n} characters',
    between: '{noun} in {range}',
    over: '{noun} > {min}',
    atLeast: '{noun} >= {min}',
    under: '{noun} < {max}',
    atMostValue: '{noun} <= {max}',
    list: ', ',
    join: ', ',
    default: ' (default {value})',
  },
  'zh-CN': {
    integer: '整数',
    number: '数字',
    boolean: 'true 或 false',
    oneOf: '可选值 {values}',
    text: '文本',
    container: '包含字段 {fields} 的对象',
    atMost: '最多 {n} 个字符',
    between: '{noun} {range}',
    over: '{noun} > {min}',
    atLeast: '{noun} ≥ {min}',
    under: '{noun} < {max}',
    atMostValue: '{noun} ≤ {max}',
    list: ', ',
    join: '，',
    default: '（默认 {value}）',
  },
};

const fill = (template: string, values: Readonly<Record<string, string | number>>) => template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]));

/** `[min, max]`, `(0, 3600]`: a range with both bounds, in interval notation (the same in every language). */
function interval(spec: FieldSpec): string {
  return `${spec.minExclusive ? '(' : '['}${spec.min}, ${spec.max}${spec.maxExclusive ? ')' : ']'}`;
}

export interface DescribeAllowedOptions {
  /** Words for the field's pattern in this language (default: the spec's English patternDoc). */
  patternDoc?: string;
  /** Add the documented default the service applies (the editor tooltips do; errors do not). */
  withDefault?: boolean;
}

/**
 * What a field allows, in words: `an integer in (0, 10000]`, `one of Stream, ShortVideo`.
 * Used in core's errors (en-US, no default) and, in both languages, by the editors' tooltips
 * and the help pages.
 */
export function describeAllowed(spec: FieldSpec, lang: AllowedLang = 'en-US', options: DescribeAllowedOptions = {}): string {
  const w = ALLOWED_WORDS[lang];
  let text: string;
  switch (spec.kind) {
    case 'integer':
    case 'number': {
      const noun = w[spec.kind]!;
      const { min, max } = spec;
      if (min !== undefined && max !== undefined) text = fill(w.between!, { noun, range: interval(spec) });
      else if (min !== undefined) text = fill(spec.minExclusive ? w.over! : w.atLeast!, { noun, min });
      else if (max !== undefined) text = fill(spec.maxExclusive ? w.under! : w.atMostValue!, { noun, max });
      else text = noun;
      break;
    }
    case 'boolean':
      text = w.boolean!;
      break;
    case 'enum':
      text = fill(w.oneOf!, { values: spec.values!.join(w.list!) });
      break;
    case 'container':
      text = fill(w.container!, { fields: Object.keys(spec.fields ?? {}).join(w.list!) });
      break;
    default: {
      const parts = [options.patternDoc ?? spec.patternDoc ?? w.text!];
      if (spec.maxLength !== undefined) parts.push(fill(w.atMost!, { n: spec.maxLength }));
      text = parts.join(w.join!);
    }
  }
  if (options.withDefault && spec.default !== undefined) text += fill(w.default!, { value: spec.default });
  return text;
}

function inRange(n: number, spec: FieldSpec): boolean {
  if (spec.min !== undefined && (spec.minExclusive ? n <= spec.min : n < spec.min)) return false;
  if (spec.max !== undefined && (spec.maxExclusive ? n >= spec.max : n > spec.max)) return false;
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const isEmpty = (value: unknown): boolean => value === undefined || value === null || value === '';

class Checker {
  readonly issues: ValidationIssue[] = [];
  constructor(private readonly unknownFields: 'error' | 'ignore') {}

  fail(path: string, value: unknown, allowed: string): undefined {
    this.issues.push({ path, value, allowed });
    return undefined;
  }

  /** Returns the field's value as it will be sent, or undefined when absent or invalid. */
  field(path: string, spec: FieldSpec, value: unknown): unknown {
    if (isEmpty(value)) {
      if (!spec.required) return undefined;
      // A missing required container: name the required fields inside it, when it has any.
      if (spec.kind === 'container') {
        const before = this.issues.length;
        this.container(path, spec.fields ?? {}, {}, spec);
        if (this.issues.length > before) return undefined;
      }
      return this.fail(path, undefined, describeAllowed(spec));
    }
    switch (spec.kind) {
      case 'container':
        return this.container(path, spec.fields ?? {}, value, spec);
      case 'boolean':
        if (value === true || value === 'true') return 'true';
        if (value === false || value === 'false') return 'false';
        return this.fail(path, value, describeAllowed(spec));
      case 'integer':
      case 'number': {
        const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
        const ok =
          typeof value === 'number'
            ? Number.isFinite(value) && (spec.kind === 'number' || Number.isInteger(value))
            : text !== undefined && (spec.kind === 'integer' ? INTEGER : NUMBER).test(text);
        if (!ok || !inRange(Number(text), spec)) return this.fail(path, value, describeAllowed(spec));
        return spec.kind === 'integer' ? String(Number(text)) : text;
      }
      case 'enum': {
        const text = typeof value === 'number' ? String(value) : value;
        return typeof text === 'string' && spec.values!.includes(text) ? text : this.fail(path, value, describeAllowed(spec));
      }
      default: {
        const text = typeof value === 'number' ? String(value) : value;
        if (typeof text !== 'string') return this.fail(path, value, describeAllowed(spec));
        if (spec.maxLength !== undefined && text.length > spec.maxLength) return this.fail(path, value, describeAllowed(spec));
        if (spec.pattern && !spec.pattern.test(text)) return this.fail(path, value, describeAllowed(spec));
        return text;
      }
    }
  }

  container(path: string, fields: Readonly<Record<string, FieldSpec>>, value: unknown, spec?: FieldSpec): Record<string, unknown> | undefined {
    if (!isPlainObject(value)) return this.fail(path, value, spec ? describeAllowed(spec) : `an object with fields ${Object.keys(fields).join(', ')}`);
    const out: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(fields)) {
      const v = this.field(path ? `${path}.${name}` : name, child, Object.prototype.hasOwnProperty.call(value, name) ? value[name] : undefined);
      if (v !== undefined) out[name] = v;
    }
    if (this.unknownFields === 'error') {
      for (const name of Object.keys(value)) {
        if (!Object.prototype.hasOwnProperty.call(fields, name) && !isEmpty(value[name])) {
          this.fail(path ? `${path}.${name}` : name, value[name], `a known field: ${Object.keys(fields).join(', ')}`);
        }
      }
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
}

/** The fields of a whole `Request` for one job type, in documented order. */
export function requestSpec(descriptor: JobDescriptor): Record<string, FieldSpec> {
  return {
    Input: { kind: 'container', doc: 'The media to process.', required: true, fields: descriptor.input },
    Operation: { kind: 'container', doc: 'The job parameters.', required: descriptor.operationRequired, fields: descriptor.operation },
    ...requestFields,
  };
}

/**
 * Checks `params` against the job type's descriptor and returns the request to send.
 * Throws a CiValidationError listing every problem (field path, value, what is allowed).
 */
export function validateJobRequest(tag: JobTag, params: unknown, options: ValidateOptions = {}): JobRequest {
  const descriptor = getDescriptor(tag);
  const checker = new Checker(options.unknownFields ?? 'error');
  let body: Record<string, unknown> = {};
  if (!isPlainObject(params)) {
    checker.fail('(parameters)', params, 'an object with Input and Operation');
  } else {
    const { Tag, ...rest } = params;
    if (!isEmpty(Tag) && Tag !== tag) checker.fail('Tag', Tag, tag);
    body = checker.container('', requestSpec(descriptor), rest) ?? {};
  }
  if (checker.issues.length === 0) {
    const rules: FieldRule[] = [...descriptor.rules, ...requestRules];
    for (const rule of rules) {
      if (rule.kind === 'atLeastOne') {
        if (rule.paths.every((p) => getPath(body, p) === undefined)) {
          checker.fail(rule.paths.join(' or '), undefined, rule.doc);
        }
      } else if (rule.kind === 'requiredWhen') {
        const when = getPath(body, rule.when.path);
        if (typeof when === 'string' && rule.when.in.includes(when) && getPath(body, rule.path) === undefined) {
          checker.fail(rule.path, undefined, `required when ${rule.when.path} is ${when}`);
        }
      } else {
        for (const [path, value, allowed] of rule.check(body)) checker.fail(path, value, allowed);
      }
    }
  }
  if (checker.issues.length > 0) throw new CiValidationError(tag, checker.issues);
  return { Tag: tag, ...body };
}
