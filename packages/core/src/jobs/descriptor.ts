/**
 * The declarative model every job type is described with. One descriptor per job type
 * drives request building and validation (core), request validation (emulator) and the
 * editor's defaults and validators (node packages). Field names are the API's own.
 */
import type { JobTag } from '../types';

export type FieldKind = 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'container';

export interface FieldSpec {
  kind: FieldKind;
  /** One line of English: what the field does (the editor's i18n text lives in the node packages). */
  doc: string;
  required?: boolean;
  /** The documented default the service applies when the field is left out (never sent by us). */
  default?: string;
  /** `enum`: the allowed values, exactly as sent. */
  values?: readonly string[];
  /** `integer` / `number`: the allowed range. */
  min?: number;
  max?: number;
  /** The bound itself is not allowed: `(0, 3600]` has minExclusive. */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  /** `string`: the longest allowed value, in characters. */
  maxLength?: number;
  /** `string`: a pattern the value must match, and its description in words. */
  pattern?: RegExp;
  patternDoc?: string;
  /** `container`: the children, in the order they are sent. */
  fields?: Readonly<Record<string, FieldSpec>>;
}

/** A condition on another field, by dotted path from the request root. */
export interface FieldCondition {
  path: string;
  /** The condition holds when the field's (string) value is one of these. */
  in: readonly string[];
}

/** A rule between fields, checked after every field is valid on its own. */
export type FieldRule =
  /** At least one of `paths` must be given; `winner` says which one the service uses when several are. */
  | { kind: 'atLeastOne'; paths: readonly string[]; doc: string }
  /** `path` must be given when `when` holds. */
  | { kind: 'requiredWhen'; path: string; when: FieldCondition; doc: string }
  /** Any other rule: returns the problems it finds as [path, value, allowed] triples. */
  | { kind: 'custom'; doc: string; check: (request: Record<string, unknown>) => Array<[string, unknown, string]> };

export interface JobDescriptor {
  tag: JobTag;
  /** One line of English, for docs and the editor's fallback text. */
  summary: string;
  /** `Request.Input` fields. */
  input: Readonly<Record<string, FieldSpec>>;
  /** `Request.Operation` fields, including the common UserData and JobLevel. */
  operation: Readonly<Record<string, FieldSpec>>;
  /** Whether `Request.Operation` must be present. */
  operationRequired: boolean;
  rules: readonly FieldRule[];
  /** Paths under `JobsDetail.Operation` that are arrays in results (ci-api.md §9). */
  resultArrayPaths: readonly string[];
  /** The queue type the service assigns (VideoTargetRec runs on the AI queue). */
  queueType?: string;
}
