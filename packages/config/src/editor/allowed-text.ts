/**
 * "What is allowed" for a field in the editor's languages: core's describeAllowed (the one
 * place those words are written, also for core's errors), with the documented default added
 * and, outside en-US, the catalog's translation of the field's pattern.
 */
import { describeAllowed, type FieldSpec } from '@node-red-tencent-ci/core';

export type Lang = 'en-US' | 'zh-CN';
export const LANGS: readonly Lang[] = ['en-US', 'zh-CN'];

/** The tooltip text of a field; `patternText`: the pattern in words in `lang` (default: the descriptor's English patternDoc). */
export function allowedText(spec: FieldSpec, lang: Lang, patternText?: string): string {
  return describeAllowed(spec, lang, { patternDoc: patternText, withDefault: true });
}
