/**
 * "What is allowed" for a field, in words: the one text core's validation errors, the editors'
 * tooltips and the help pages all use.
 */
import type { FieldSpec } from './jobs/descriptor';

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
