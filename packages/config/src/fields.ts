/**
 * The editor's view of a descriptor: every leaf field of `Request.Operation` (and the
 * request-level callback fields) as one flat node property, keyed by its path joined
 * with `_` (`Operation.Snapshot.Count` -> `Snapshot_Count`). The same table builds the
 * editor form and turns a node's properties back into job parameters.
 */
import { isObject, requestFields, type FieldSpec, type JobDescriptor } from '@node-red-tencent-ci/core';

export interface EditorField {
  /** Node property name, e.g. `Snapshot_Count`. */
  key: string;
  /** Path under the request root, e.g. ['Operation', 'Snapshot', 'Count']. */
  path: string[];
  spec: FieldSpec;
  /** The container this field sits in (for grouping in the form), e.g. `Snapshot.SpriteSnapshotConfig`. */
  group: string;
}

/** Operation fields the editor does not show as plain fields (TemplateId has its own switch). */
const SPECIAL = new Set(['TemplateId']);

function walk(fields: Readonly<Record<string, FieldSpec>>, path: string[], out: EditorField[]): void {
  for (const [name, spec] of Object.entries(fields)) {
    const p = [...path, name];
    if (spec.kind === 'container') {
      walk(spec.fields ?? {}, p, out);
    } else {
      const inner = p.slice(1); // drop the root ("Operation" or the request level)
      out.push({ key: (p[0] === 'Operation' ? inner : p).join('_'), path: p, spec, group: p.slice(p[0] === 'Operation' ? 1 : 0, -1).join('.') });
    }
  }
}

/** The job's Operation fields (without TemplateId) in documented order. */
export function operationFields(descriptor: JobDescriptor): EditorField[] {
  const out: EditorField[] = [];
  walk(Object.fromEntries(Object.entries(descriptor.operation).filter(([k]) => !SPECIAL.has(k))), ['Operation'], out);
  return out;
}

/**
 * The parameters of the job type's instant API (descriptor `instant`, docs/api/instant.md) as
 * node properties: `instant_time`, `instant_width`, … in group `instant`. None without one.
 */
export function instantFields(descriptor: JobDescriptor): EditorField[] {
  return Object.entries(descriptor.instant?.params ?? {}).map(([name, spec]) => ({ key: `instant_${name}`, path: ['instant', name], spec, group: 'instant' }));
}

/** The instant API's parameters from a node's properties: `{ time: '1.5', width: '320' }`, blanks left out. */
export function instantParamsFromNode(descriptor: JobDescriptor, props: Record<string, unknown>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const field of instantFields(descriptor)) {
    const value = props[field.key];
    if (!blank(value)) params[field.path[1]!] = typeof value === 'string' ? value.trim() : value;
  }
  return params;
}

/** Request-level fields the job nodes offer: the callback settings. */
export function callbackFields(): EditorField[] {
  const out: EditorField[] = [];
  const { QueueId: _q, ...callbacks } = requestFields;
  walk(callbacks, [], out);
  return out.map((f) => ({ ...f, key: f.path.join('_'), group: f.path.slice(0, -1).join('.') }));
}

/** The container holding a job's inline parameters (`Snapshot`, `VideoTargetRec`): the descriptor's `template.params`, if it has templates. */
export function inlineContainer(descriptor: JobDescriptor): string | undefined {
  return descriptor.template?.params;
}

function setPath(root: Record<string, unknown>, path: string[], value: unknown): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (node[key] === undefined || node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** A job node's settings as a new node starts with them in the editor: the descriptor's `initial` values. */
export function startingProps(descriptor: JobDescriptor): Record<string, string> {
  return Object.fromEntries(
    [...operationFields(descriptor), ...instantFields(descriptor)].flatMap((f) => (f.spec.initial === undefined ? [] : [[f.key, f.spec.initial]])),
  );
}

/** Job parameters (the Request without Tag and Input) from a node's properties. */
export function paramsFromNode(descriptor: JobDescriptor, props: Record<string, unknown>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  const inline = inlineContainer(descriptor);
  const useTemplate = inline !== undefined && props.paramsMode === 'template';
  for (const field of [...operationFields(descriptor), ...callbackFields()]) {
    const value = props[field.key];
    if (blank(value)) continue;
    if (inline && field.path[1] === inline && useTemplate) continue;
    setPath(params, field.path, typeof value === 'string' ? value.trim() : value);
  }
  if (useTemplate && !blank(props.TemplateId)) setPath(params, ['Operation', 'TemplateId'], String(props.TemplateId).trim());
  return params;
}

/** Deep merge of `override` into `base` (objects merge, everything else replaces); neither is changed. */
export function mergeParams(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    out[key] = isObject(value) && isObject(out[key]) ? mergeParams(out[key] as Record<string, unknown>, value) : value;
  }
  return out;
}
