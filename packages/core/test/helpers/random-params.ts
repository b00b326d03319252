/**
 * Random job parameters drawn from a job type's descriptor, for property tests. Each optional
 * field is given or left out (missing, undefined, null or blank); each value given is valid
 * for its spec on its own, in one of the forms a caller may use: numbers as numbers or text
 * (padded, signed, with leading zeros), booleans as booleans or text, and text with XML
 * specials (`& < > " '`), unicode, spaces and line breaks wherever the spec allows them.
 * The rules between fields are not modelled: callers keep the draws the validator accepts.
 */
import { requestSpec, type FieldSpec, type JobDescriptor } from '../../src';
import { codePoints, type Rng } from './random';

const RICH = codePoints('abcxyzABCXYZ0189 &<>"\'é中文😀-_./:${}[]=?#%+\t\n');
const PRINTABLE = codePoints(' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~');
const SAFE = codePoints('abcxyzABC0189-_.~&\'"<>=%');
const LOWER = codePoints('abcdefghijklmnopqrstuvwxyz');
const LOWER_DIGITS = codePoints('abcdefghijklmnopqrstuvwxyz0123456789');
const DIGITS = codePoints('0123456789');
const HEX = codePoints('0123456789abcdefABCDEF');
const LETTERS = codePoints('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ');

/** The shapes a text value is drawn in: free text, object keys, URLs, bucket and region names, colours. */
const TEXT_SHAPES: ReadonlyArray<(rng: Rng) => string> = [
  (rng) => rng.string(RICH, 1, 16),
  (rng) => rng.string(PRINTABLE, 1, 24),
  (rng) =>
    `${rng.string(SAFE, 1, 8)}/${rng.pick(['${number}', '${Number}', '${time}', ''])}${rng.string(SAFE, 0, 4)}.${rng.pick(['jpg', 'png', 'mp4', 'jpeg'])}`,
  (rng) => `${rng.pick(['http', 'https'])}://${rng.string(LOWER_DIGITS, 1, 8)}.example.com/${rng.string(SAFE, 0, 12)}`,
  (rng) => `${rng.string(LOWER_DIGITS, 1, 10)}-${rng.string(DIGITS, 1, 10)}`,
  (rng) => `${rng.pick(['ap', 'na', 'eu'])}-${rng.string(LOWER, 3, 9)}${rng.pick(['', '-fsi', '-1'])}`,
  (rng) => `${rng.pick(['#', '0x'])}${rng.string(HEX, 6, 6)}`,
  (rng) => rng.string(LETTERS, 1, 12),
  (rng) => rng.string(PRINTABLE.slice(1), 1, 12),
  () => 'no',
];

/** Whether `n` is in the spec's range (the descriptor model's bounds). */
export function inSpecRange(n: number, spec: FieldSpec): boolean {
  if (spec.min !== undefined && (spec.minExclusive ? n <= spec.min : n < spec.min)) return false;
  if (spec.max !== undefined && (spec.maxExclusive ? n >= spec.max : n > spec.max)) return false;
  return true;
}

function validText(rng: Rng, spec: FieldSpec): string {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const text = rng.pick(TEXT_SHAPES)(rng);
    if (spec.pattern && !spec.pattern.test(text)) continue;
    if (spec.maxLength !== undefined && text.length > spec.maxLength) continue;
    return text;
  }
  throw new Error(`no text shape matches ${String(spec.pattern)}: add one to TEXT_SHAPES`);
}

function validNumber(rng: Rng, spec: FieldSpec): number | string {
  const lo = spec.min ?? -1000;
  const hi = spec.max ?? lo + 100000;
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const raw = lo + rng.float() * (hi - lo);
    const n = spec.kind === 'integer' ? Math.round(raw) : rng.chance(0.3) ? Math.round(raw) : Math.round(raw * 1000) / 1000;
    if (!inSpecRange(n, spec)) continue;
    const text = String(n);
    const forms: Array<number | string> = [n, text, ` ${text}\t`];
    if (n >= 0) forms.push(`+${text}`, `0${text}`);
    if (spec.kind === 'number' && Number.isInteger(n)) forms.push(`${text}.`, `${text}.000`);
    if (spec.kind === 'number' && n > 0 && n < 1) forms.push(text.slice(1));
    return rng.pick(forms);
  }
  throw new Error(`no number found in the range of ${spec.doc}`);
}

/** A valid value for `spec` (a container: its required fields and some optional ones). */
export function validValue(rng: Rng, spec: FieldSpec): unknown {
  switch (spec.kind) {
    case 'container':
      return validFields(rng, spec.fields ?? {});
    case 'boolean':
      return rng.pick([true, false, 'true', 'false']);
    case 'integer':
    case 'number':
      return validNumber(rng, spec);
    case 'enum': {
      const value = rng.pick(spec.values!);
      return /^\d+$/.test(value) && rng.chance(0.5) ? Number(value) : value;
    }
    default:
      return validText(rng, spec);
  }
}

/** A container's fields: every required one, each optional one given with probability 0.6, or left out in one of the blank forms. */
export function validFields(rng: Rng, fields: Readonly<Record<string, FieldSpec>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(fields)) {
    if (spec.required || rng.chance(0.6)) out[name] = validValue(rng, spec);
    else if (rng.chance(0.3)) out[name] = rng.pick([undefined, null, '']);
  }
  return out;
}

/** A whole parameter object for the job type, sometimes with its own Tag. */
export function randomParams(rng: Rng, descriptor: JobDescriptor): Record<string, unknown> {
  const params = validFields(rng, requestSpec(descriptor));
  if (rng.chance(0.2)) return { Tag: rng.pick([descriptor.tag, '', null]), ...params };
  return params;
}
