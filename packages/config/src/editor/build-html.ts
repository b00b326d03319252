/**
 * Builds a job node's editor from its core descriptor: `dist/<type>.html` (form, the generic
 * browser code of browser/job-editor.ts and the node's spec) and
 * `dist/locales/<lang>/<type>.json` (the package's own strings, the strings every job node
 * shares, each field's doc — in en-US the descriptor's own — and what each field allows, in
 * words). Run by each job package's build (see cli.ts).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDescriptor, requestFields, requestRules, type FieldSpec, type JobDescriptor, type JobTag } from '@node-red-tencent-ci/core';
import { callbackFields, inlineContainer, instantFields, operationFields, type EditorField } from '../fields';
import { allowedText, type Lang } from './allowed-text';
import { indented, PALETTE, paletteIcon, snippet } from './editor-snippets';
import { copyNodeAssets, readJson, type Json } from './assets';
import type { JobEditorField, JobEditorRequiredWhen, JobEditorSpec } from './browser/job-editor-spec';

export { PALETTE, paletteIcon };

export interface BuildOptions {
  type: string;
  tag: JobTag;
  /** The job package's root (has locales/ and icons/<type>.svg, its palette icon). */
  packageDir: string;
  /** The config package's root (has locales/<lang>/job-common.json). */
  configDir: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const groupKey = (g: string) => (g ? g.replace(/\./g, '_') : 'job');

/** The spec of the container a field is in, if it is not the Operation or the request itself. */
function containerOf(descriptor: JobDescriptor, field: EditorField): FieldSpec | undefined {
  const [root, names] = field.path[0] === 'Operation' ? [descriptor.operation, field.path.slice(1, -1)] : [requestFields, field.path.slice(0, -1)];
  let spec: FieldSpec | undefined;
  let fields: Readonly<Record<string, FieldSpec>> | undefined = root;
  for (const name of names) {
    spec = fields?.[name];
    fields = spec?.fields;
  }
  return spec;
}

/** What the browser code needs of one field (browser/job-editor-spec.ts). */
function editorField(descriptor: JobDescriptor, field: EditorField): JobEditorField {
  const { spec } = field;
  const container = containerOf(descriptor, field);
  const inline = inlineContainer(descriptor);
  const out: JobEditorField = { key: field.key, kind: spec.kind as JobEditorField['kind'], group: field.group };
  if (spec.min !== undefined) out.min = spec.min;
  if (spec.max !== undefined) out.max = spec.max;
  if (spec.minExclusive) out.minExclusive = true;
  if (spec.maxExclusive) out.maxExclusive = true;
  if (spec.values) out.values = spec.values;
  if (spec.pattern) out.pattern = spec.pattern.source;
  if (spec.maxLength !== undefined) out.maxLength = spec.maxLength;
  // A field the config node fills (Output's Region and Bucket) is never asked for.
  // An instant parameter is required only in the instant mode (the requiredWhen on `wait`).
  if (spec.required && !spec.fromConfig) out.required = field.group === INSTANT_GROUP || (container && !container.required) ? 'group' : 'always';
  if (inline !== undefined && field.path[0] === 'Operation' && field.path[1] === inline) out.inline = true;
  if (spec.initial !== undefined) out.initial = spec.initial;
  return out;
}

/** The group of the instant parameters (fields.ts instantFields). */
const INSTANT_GROUP = 'instant';

/**
 * Groups whose fields become required when another field has one of some values: the job's and
 * the request's requiredWhen rules, and the instant parameters once Output is "at once".
 */
function requiredWhen(descriptor: JobDescriptor): JobEditorRequiredWhen[] {
  const out: JobEditorRequiredWhen[] = descriptor.instant ? [{ group: INSTANT_GROUP, key: 'wait', in: ['instant'] }] : [];
  for (const rule of [...descriptor.rules, ...requestRules]) {
    if (rule.kind !== 'requiredWhen') continue;
    const local = (path: string) => path.replace(/^Operation\./, '');
    out.push({ group: local(rule.path), key: local(rule.when.path).replace(/\./g, '_'), in: rule.when.in });
  }
  return out;
}

/** The per-node JSON the generic browser code is called with. */
export function jobEditorSpec(type: string, descriptor: JobDescriptor): JobEditorSpec {
  return {
    type,
    palette: { color: PALETTE.color, icon: paletteIcon(type) },
    template: inlineContainer(descriptor) !== undefined,
    instant: descriptor.instant !== undefined,
    fields: [...operationFields(descriptor), ...callbackFields(), ...instantFields(descriptor)].map((f) => editorField(descriptor, f)),
    requiredWhen: requiredWhen(descriptor),
  };
}

const BUILT_SCRIPT = join(__dirname, 'browser', 'job-editor.js');
const SOURCE_SCRIPT = join(__dirname, 'browser', 'job-editor.ts');
let script: string | undefined;

/**
 * The compiled browser code (tsconfig.browser.json's output beside this file). Run from
 * source (the tests), it is compiled here the same way, without the type check (lint does it).
 */
export function jobEditorScript(): string {
  if (script === undefined) {
    if (existsSync(BUILT_SCRIPT)) script = readFileSync(BUILT_SCRIPT, 'utf8');
    else if (existsSync(SOURCE_SCRIPT)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const ts = require('typescript') as typeof import('typescript');
      const config = ts.readConfigFile(join(__dirname, '..', '..', 'tsconfig.browser.json'), ts.sys.readFile).config as {
        compilerOptions: Record<string, unknown>;
      };
      const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, __dirname);
      script = ts.transpileModule(readFileSync(SOURCE_SCRIPT, 'utf8'), { compilerOptions: options, fileName: SOURCE_SCRIPT }).outputText;
    } else throw new Error(`${BUILT_SCRIPT} is missing: build the config package (npm run build -w packages/config)`);
    script = script.replace(/\n*$/, '\n');
  }
  return script;
}

function input(field: EditorField, spec: JobEditorField): string {
  const id = `node-input-${field.key}`;
  if (spec.kind === 'enum' || spec.kind === 'boolean') {
    const values = spec.kind === 'boolean' ? ['true', 'false'] : spec.values!;
    const options = values.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`).join('');
    const blank = spec.required === 'always' ? '' : `<option value="" data-i18n="common.editor.serviceDefault"></option>`;
    return `<select id="${id}" style="width:70%">${blank}${options}</select>`;
  }
  const placeholder = field.spec.default !== undefined ? ` placeholder="${esc(field.spec.default)}"` : '';
  return `<input type="text" id="${id}" style="width:70%"${placeholder}>`;
}

/** `data-tci-group` names the row's container, for the browser code's requiredWhen toggles. */
function row(field: EditorField, spec: JobEditorField): string {
  const name = field.path[field.path.length - 1]!;
  return `<div class="form-row tci-field${spec.inline ? ' tci-inline' : ''}" data-tci-group="${esc(field.group)}">
  <label for="node-input-${field.key}"><span data-i18n="fields.${field.key}"></span></label>
  ${input(field, spec)}
  <div class="form-tips tci-hint" style="margin:2px 0 0 104px;padding:2px 6px;width:auto"><span data-i18n="docs.${field.key}"></span> <code>${esc(name)}</code> · <span data-i18n="allowed.${field.key}"></span></div>
</div>`;
}

/** JSON for inside a `<script>`: no `</script>` or `<!--` can end or change it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export function renderEditor(type: string, descriptor: JobDescriptor): string {
  const spec = jobEditorSpec(type, descriptor);
  const ops = operationFields(descriptor);
  const cbs = callbackFields();
  const specs = new Map(spec.fields.map((f) => [f.key, f]));

  const sections: string[] = [];
  let lastGroup: string | undefined;
  for (const f of ops) {
    const fieldSpec = specs.get(f.key)!;
    if (f.group !== lastGroup) {
      sections.push(
        `<div class="form-row tci-group${fieldSpec.inline ? ' tci-inline' : ''}" data-tci-group="${esc(f.group)}"><b data-i18n="groups.${groupKey(f.group)}"></b></div>`,
      );
      lastGroup = f.group;
    }
    sections.push(row(f, fieldSpec));
  }
  const callbackRows = cbs.map((f) => row(f, specs.get(f.key)!)).join('\n');
  const instantRows = descriptor.instant
    ? `<div class="tci-instant">
<div class="form-row tci-group"><b data-i18n="groups.instant"></b></div>
<div class="form-row"><div class="form-tips" style="padding:2px 6px"><span data-i18n="common.editor.instantHint"></span> <code>ci-process=${esc(descriptor.instant.process)}</code></div></div>
${instantFields(descriptor)
  .map((f) => row(f, specs.get(f.key)!))
  .join('\n')}
</div>`
    : '';
  const instantOption = descriptor.instant ? '<option value="instant" data-i18n="common.editor.waitInstant"></option>' : '';
  const templateRows = spec.template
    ? `<div class="form-row">
  <label for="node-input-paramsMode"><span data-i18n="common.editor.paramsMode"></span></label>
  <select id="node-input-paramsMode" style="width:70%"><option value="inline" data-i18n="common.editor.inline"></option><option value="template" data-i18n="common.editor.template"></option></select>
</div>
<div class="form-row tci-template">
  <label for="node-input-TemplateId"><span data-i18n="fields.TemplateId"></span></label>
  <input type="text" id="node-input-TemplateId" style="width:70%">
  <div class="form-tips" style="margin:2px 0 0 104px;padding:2px 6px;width:auto"><span data-i18n="docs.TemplateId"></span> <code>TemplateId</code></div>
</div>`
    : '';

  // The type and category are literal here: node-red-dev validate and the palette checks read them.
  return `<script type="text/javascript">
${jobEditorScript()}</script>

<script type="text/javascript">
RED.nodes.registerType(${JSON.stringify(type)}, {
  category: ${JSON.stringify(PALETTE.category)},
  ...window.TencentCiJobEditor.definition(${scriptJson(spec)}, function () {
    ${indented('context-stores', '    ')}
  }),
  ${indented('config-onadd', '  ')}
});
</script>

<script type="text/html" data-template-name="${type}">
${snippet('name-row')}
${snippet('config-row')}
${snippet('typed-input-row', { field: 'input', icon: 'film', label: 'common.editor.input', hint: 'node.inputHint' })}
<div class="tci-job">
${templateRows}
${sections.join('\n')}
<div class="form-row tci-group"><b data-i18n="groups.callback"></b></div>
${callbackRows}
</div>
<div class="form-row tci-group"><b data-i18n="groups.result"></b></div>
<div class="form-row">
  <label for="node-input-wait"><i class="fa fa-hourglass-half"></i> <span data-i18n="common.editor.wait"></span></label>
  <select id="node-input-wait" style="width:70%"><option value="none" data-i18n="common.editor.waitNone"></option><option value="result" data-i18n="common.editor.waitResult"></option>${instantOption}</select>
</div>
${instantRows}
<div class="form-row tci-wait">
  <label for="node-input-timeout"><span data-i18n="common.editor.timeout"></span></label>
  <input type="text" id="node-input-timeout" style="width:80px"> <span data-i18n="common.editor.seconds"></span>
</div>
<div class="form-row tci-wait">
  <label>&nbsp;</label>
  <input type="checkbox" id="node-input-cancelOnTimeout" style="width:auto;margin:0 4px 0 0"> <label for="node-input-cancelOnTimeout" style="width:auto" data-i18n="common.editor.cancelOnTimeout"></label>
</div>
<div class="form-row tci-wait">
  ${indented('context-store-field', '  ')}
</div>
<div class="form-row tci-wait">
  <label for="node-input-linkValidity"><i class="fa fa-link"></i> <span data-i18n="common.editor.linkValidity"></span></label>
  <input type="text" id="node-input-linkValidity" style="width:80px"> <span data-i18n="common.editor.linkValiditySeconds"></span>
  <div class="form-tips" style="margin:2px 0 0 104px;padding:2px 6px;width:auto"><span data-i18n="common.editor.linkHint"></span></div>
</div>
<div class="form-row tci-wait">
  <label>&nbsp;</label>
  <input type="checkbox" id="node-input-attachImages" style="width:auto;margin:0 4px 0 0"> <label for="node-input-attachImages" style="width:auto" data-i18n="common.editor.attachImages"></label>
</div>
<div class="form-row tci-wait tci-attach">
  <label for="node-input-attachLimit"><span data-i18n="common.editor.attachLimit"></span></label>
  <input type="text" id="node-input-attachLimit" style="width:80px"> <span data-i18n="common.editor.attachMib"></span>
</div>
<div class="form-row">
  <label>&nbsp;</label>
  <input type="checkbox" id="node-input-blockOverrides" style="width:auto;margin:0 4px 0 0"> <label for="node-input-blockOverrides" style="width:auto" data-i18n="common.editor.blockOverrides"></label>
</div>
</script>
`;
}

/**
 * The node's catalog in one language: shared strings, the package's own, each field's doc and
 * what it allows. The English docs and pattern words are the descriptor's own (`doc`,
 * `patternDoc`); other languages translate them in `docs` and `patterns` (job-common.json and
 * the package's catalog), keyed like the fields, and fall back to the English.
 */
export function buildLocale(type: string, descriptor: JobDescriptor, lang: Lang, packageDir: string, configDir: string): Json {
  const common = readJson(join(configDir, 'locales', lang, 'job-common.json'));
  const own = readJson(join(packageDir, 'locales', lang, `${type}.json`));
  const fields: EditorField[] = [...operationFields(descriptor), ...callbackFields(), ...instantFields(descriptor)];
  const translated = lang !== 'en-US';
  const docs: Record<string, string> = translated ? { ...common.docs, ...own.docs } : {};
  const patterns: Record<string, string> = translated ? { ...common.patterns, ...own.patterns } : {};
  const out: Json = { ...common, ...own };
  out.fields = { ...common.fields, ...own.fields };
  out.groups = { ...common.groups, ...own.groups };
  out.docs = {};
  out.allowed = {};
  for (const f of fields) {
    out.fields[f.key] ??= f.path[f.path.length - 1];
    out.docs[f.key] = docs[f.key] ?? f.spec.doc;
    out.allowed[f.key] = allowedText(f.spec, lang, patterns[f.key]);
  }
  out.fields.TemplateId ??= 'TemplateId';
  const templateId = descriptor.operation.TemplateId;
  if (templateId) out.docs.TemplateId = docs.TemplateId ?? templateId.doc;
  for (const f of fields) out.groups[groupKey(f.group)] ??= f.group || 'Job';
  delete out.patterns;
  return out;
}

/** Writes the editor HTML, the locale catalogs, help pages and icons of a job node into `dist/`. */
export function buildJobEditor(options: BuildOptions): void {
  const descriptor = getDescriptor(options.tag);
  mkdirSync(join(options.packageDir, 'dist'), { recursive: true });
  writeFileSync(join(options.packageDir, 'dist', `${options.type}.html`), renderEditor(options.type, descriptor));
  copyNodeAssets({ ...options, catalog: (lang) => buildLocale(options.type, descriptor, lang, options.packageDir, options.configDir) });
}
