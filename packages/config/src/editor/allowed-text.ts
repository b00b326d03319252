/** "What is allowed" for a field, in the editor's languages, from its descriptor spec. */
import type { FieldSpec } from '@node-red-tencent-ci/core';

export type Lang = 'en-US' | 'zh-CN';
export const LANGS: readonly Lang[] = ['en-US', 'zh-CN'];

function range(spec: FieldSpec): string {
  const { min, max } = spec;
  if (min !== undefined && max !== undefined) return `${spec.minExclusive ? '(' : '['}${min}, ${max}${spec.maxExclusive ? ')' : ']'}`;
  if (min !== undefined) return `${spec.minExclusive ? '>' : '≥'} ${min}`;
  if (max !== undefined) return `${spec.maxExclusive ? '<' : '≤'} ${max}`;
  return '';
}

const WORDS: Record<Lang, Record<string, string>> = {
  'en-US': { integer: 'an integer', number: 'a number', boolean: 'true or false', oneOf: 'one of', text: 'text', atMost: 'at most {n} characters', default: 'default' },
  'zh-CN': { integer: '整数', number: '数字', boolean: 'true 或 false', oneOf: '可选值', text: '文本', atMost: '最多 {n} 个字符', default: '默认' },
};

export function allowedText(spec: FieldSpec, lang: Lang, patternText?: string): string {
  const w = WORDS[lang];
  let text: string;
  switch (spec.kind) {
    case 'integer':
    case 'number': {
      const r = range(spec);
      text = r ? `${w[spec.kind]} ${r}` : w[spec.kind]!;
      break;
    }
    case 'boolean':
      text = w.boolean!;
      break;
    case 'enum':
      text = `${w.oneOf} ${spec.values!.join(', ')}`;
      break;
    default: {
      const parts = [patternText ?? w.text!];
      if (spec.maxLength !== undefined) parts.push(w.atMost!.replace('{n}', String(spec.maxLength)));
      text = parts.join(lang === 'zh-CN' ? '，' : ', ');
    }
  }
  if (spec.default !== undefined) text += lang === 'zh-CN' ? `（${w.default} ${spec.default}）` : ` (${w.default} ${spec.default})`;
  return text;
}
