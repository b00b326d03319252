/**
 * The declarative model every job type is described with. One descriptor per job type
 * drives request building and validation (core), request validation (emulator) and the
 * editor's defaults and validators (node packages). Field names are the API's own.
 */

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
  /** The value a new node starts with in the editor, so that it is valid as dropped. */
  initial?: string;
  /**
   * Filled from the config node at run time when left blank (Output's Region and Bucket), so
   * the editor does not ask for it even when it is required.
   */
  fromConfig?: 'region' | 'bucket';
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

/** How the emulator produces this job's result (docs/emulator.md). */
export type Emulation =
  /** Run for real by the emulator's runner of this name (ffprobe/ffmpeg on the input object). */
  | { runner: string }
  /**
   * No model can ship with the emulator: the result is scripted per input object, and when no
   * script exists the job succeeds with `empty` as its `element`.
   */
  | { scripted: { element: string; empty: Readonly<Record<string, unknown>> } };

/**
 * Objects a job writes to a bucket, and where its result names them (docs/api/results.md#outputs).
 * `path` is under `JobsDetail.Operation`.
 */
export type OutputSpec =
  /**
   * A file list `{ Bucket, Region, ObjectPrefix, ObjectName[] }` (Snapshot's `OutputFile`):
   * one object per ObjectName, key = ObjectPrefix + ObjectName. A missing Bucket or Region is
   * the request's `Operation.Output` one.
   */
  | { kind: string; doc: string; from: 'fileList'; path: string }
  /**
   * An array of entries with a URL field (VideoTargetRec's `BodyRecognition[].Url`): one object
   * per entry that has one. Its key is the URL's path when the URL is on the COS host of the
   * job's bucket; any other URL is kept as it is, without a key.
   */
  | { kind: string; doc: string; from: 'url'; path: string; field: string };

/**
 * The synchronous API beside a job type, answered at once on the COS host with no job:
 * `GET /<ObjectKey>?ci-process=<process>&<params>` (docs/api/instant.md). MediaInfo's is
 * `videoinfo` (the job's MediaInfo structure), Snapshot's is `snapshot` (one frame, the image
 * bytes). Parameter names are the API's own query names, in the order they are sent.
 */
export interface InstantSpec {
  /** The `ci-process` value. */
  process: string;
  /** One line of English: what the call answers. */
  doc: string;
  /** Tencent's page of the API. */
  source: string;
  /** The query parameters (after `ci-process`), validated like job fields; unknown ones are refused. */
  params: Readonly<Record<string, FieldSpec>>;
  /** What the answer is: `<Response><MediaInfo>…` (the job result's MediaInfo) or the image bytes. */
  answer: 'mediaInfo' | 'image';
}

/**
 * One job type. `Tag` is the API's Tag; `Operation` is the TypeScript type of the job's
 * `JobsDetail.Operation` in results (a type only: `operationType` carries no value).
 */
export interface JobDescriptor<Tag extends string = string, Operation = unknown> {
  tag: Tag;
  /** One line of English: what the job does (the thin package's description). */
  summary: string;
  /** `Request.Input` fields. */
  input: Readonly<Record<string, FieldSpec>>;
  /** `Request.Operation` fields, including the common UserData and JobLevel. */
  operation: Readonly<Record<string, FieldSpec>>;
  /** Whether `Request.Operation` must be present. */
  operationRequired: boolean;
  rules: readonly FieldRule[];
  /** Paths under `JobsDetail.Operation` that are arrays in results (docs/api/results.md). */
  resultArrayPaths: readonly string[];
  /** What the job writes to a bucket, by kind (`snapshot`, `sprite`, `frame`); none when left out. */
  outputs?: readonly OutputSpec[];
  /** The Operation container a `TemplateId` stands in for (Snapshot: `Snapshot`), if the job has templates. */
  template?: { params: string };
  /** The queue type the service runs the job on: `Media` (the default) or `AIProcess`. */
  queueType?: 'Media' | 'AIProcess';
  /** The submit answer carries no `Input` (documented for VideoTargetRec). */
  submitOmitsInput?: boolean;
  emulation: Emulation;
  /** The synchronous API that answers the same question without a job, when the service has one. */
  instant?: InstantSpec;
  /** Phantom: the result's TypeScript type, for `OperationOf<Tag>`. Never set. */
  readonly operationType?: Operation;
}

/** Declares a descriptor with its result type: `defineJob<SnapshotOperation>()({ tag: 'Snapshot', … })`. */
export function defineJob<Operation>() {
  return <const Tag extends string>(descriptor: JobDescriptor<Tag, Operation>): JobDescriptor<Tag, Operation> => descriptor;
}
