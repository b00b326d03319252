/**
 * What a job node's editor is told about its job: the JSON the build emits per node from the
 * core descriptor (build-html.ts `jobEditorSpec`) and the generic browser code (job-editor.ts)
 * reads. Types only; nothing here is job-specific.
 */

/** One flat editor field (fields.ts `EditorField`), with what its validator needs. */
export interface JobEditorField {
  /** Node property and input id suffix: `Snapshot_Count`, `CallBackMqConfig_MqName`. */
  key: string;
  kind: 'string' | 'integer' | 'number' | 'boolean' | 'enum';
  /** The container the field is in, by the catalog's group names: `Snapshot.SpriteSnapshotConfig`, `CallBackMqConfig`, `` (job level). */
  group: string;
  /** `integer` / `number`: the range; a bound with `…Exclusive` is itself not allowed. */
  min?: number;
  max?: number;
  minExclusive?: true;
  maxExclusive?: true;
  /** `enum`: the allowed values. */
  values?: readonly string[];
  /** `string`: a pattern the value must match (RegExp source) and the longest value. */
  pattern?: string;
  maxLength?: number;
  /**
   * `always`: the field must be given; `group`: it must be given once its container is used
   * (another of its optional fields is given, or a requiredWhen condition holds). Absent:
   * optional, also for the descriptor's `fromConfig` fields (the config node fills them).
   */
  required?: 'always' | 'group';
  /** In the container a TemplateId stands in for: not checked (and hidden) when the node uses a template. */
  inline?: true;
  /** The value a new node starts with (descriptor `initial`); default blank. */
  initial?: string;
}

/** A container whose fields are required when another field has one of some values (a descriptor or request requiredWhen rule). */
export interface JobEditorRequiredWhen {
  /** The container, as `JobEditorField.group`. */
  group: string;
  /** The field the condition is on, as `JobEditorField.key`. */
  key: string;
  in: readonly string[];
}

export interface JobEditorSpec {
  /** The Node-RED node type, `tencent-ci-snapshot` (its catalog is looked up under it). */
  type: string;
  /** The palette entry besides its category (which the registerType call names literally). */
  palette: { color: string; icon: string };
  /** Whether the job can use a TemplateId instead of its inline parameters (the parameters switch). */
  template: boolean;
  /** Whether Output offers "at once, without a job" (the descriptor's instant API); its fields are in group `instant`. */
  instant: boolean;
  fields: readonly JobEditorField[];
  requiredWhen: readonly JobEditorRequiredWhen[];
}
