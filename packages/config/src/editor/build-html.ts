/**
 * Builds a job node's editor from its core descriptor: `dist/<type>.html` (form,
 * defaults, validators) and `dist/locales/<lang>/<type>.json` (the package's own strings,
 * the strings every job node shares, and each field's allowed values in words). Run by
 * each job package's build (see cli.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDescriptor, type FieldSpec, type JobDescriptor, type JobTag } from '@node-red-tencent-ci/core';
import { callbackFields, inlineContainer, operationFields, type EditorField } from '../fields';
import { allowedText, LANGS, type Lang } from './allowed-text';
import { indented } from './editor-snippets';
import { copyNodeAssets, readJson } from './assets';

export const PALETTE = { category: 'Tencent CI', color: '#8DC8F2', icon: 'tencent-ci.svg' } as const;

export interface BuildOptions {
  type: string;
  tag: JobTag;
  /** The job package's root (has locales/ and icons/). */
  packageDir: string;
  /** The config package's root (has locales/<lang>/job-common.json and icons/). */
  configDir: string;
}

interface EditorSpec {
  k: FieldSpec['kind'];
  g: string;
  min?: number;
  max?: number;
  minEx?: boolean;
  maxEx?: boolean;
  values?: readonly string[];
  re?: string;
  maxLen?: number;
  /** `always`: required; `group`: required once its container is used. */
  req?: 'always' | 'group';
  inline?: boolean;
  dv?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const groupKey = (g: string) => (g ? g.replace(/\./g, '_') : 'job');

/** Values a new node starts with, so it is valid as dropped. */
const STARTING_VALUES: Record<string, string> = { VideoTag_Scenario: 'Stream', VideoTargetRec_Body: 'true' };

function editorSpec(descriptor: JobDescriptor, field: EditorField, inline: string | undefined): EditorSpec {
  const { spec } = field;
  const container = field.path.slice(0, -1);
  const containerSpec = container.length > 1 ? container.slice(1).reduce<FieldSpec | undefined>((s, name, i) => (i === 0 ? descriptor.operation[name] : s?.fields?.[name]), undefined) : undefined;
  let req: EditorSpec['req'];
  // Output's Region and Bucket default to the config node's bucket at run time.
  if (spec.required && field.path[1] !== 'Output') req = containerSpec && !containerSpec.required ? 'group' : 'always';
  if (spec.required && field.path[0] === 'CallBackMqConfig') req = 'group';
  return {
    k: spec.kind,
    g: field.group,
    min: spec.min,
    max: spec.max,
    minEx: spec.minExclusive || undefined,
    maxEx: spec.maxExclusive || undefined,
    values: spec.values,
    re: spec.pattern?.source,
    maxLen: spec.maxLength,
    req,
    inline: inline !== undefined && field.path[1] === inline ? true : undefined,
    dv: STARTING_VALUES[field.key],
  };
}

/** Groups whose fields become required when another field has one of some values (descriptor requiredWhen rules). */
function requiredWhen(descriptor: JobDescriptor): Record<string, { key: string; in: readonly string[] }> {
  const out: Record<string, { key: string; in: readonly string[] }> = {
    CallBackMqConfig: { key: 'CallBackType', in: ['TDMQ'] },
  };
  for (const rule of descriptor.rules) {
    if (rule.kind !== 'requiredWhen' || !rule.path.startsWith('Operation.')) continue;
    out[rule.path.slice('Operation.'.length)] = { key: rule.when.path.replace(/^Operation\./, '').replace(/\./g, '_'), in: rule.when.in };
  }
  return out;
}

function input(field: EditorField, spec: EditorSpec): string {
  const id = `node-input-${field.key}`;
  if (spec.k === 'enum' || spec.k === 'boolean') {
    const values = spec.k === 'boolean' ? ['true', 'false'] : spec.values!;
    const options = values.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`).join('');
    const blank = spec.req === 'always' ? '' : `<option value="" data-i18n="common.editor.serviceDefault"></option>`;
    return `<select id="${id}" style="width:70%">${blank}${options}</select>`;
  }
  const placeholder = field.spec.default !== undefined ? ` placeholder="${esc(field.spec.default)}"` : '';
  return `<input type="text" id="${id}" style="width:70%"${placeholder}>`;
}

function row(field: EditorField, spec: EditorSpec, extraClass: string): string {
  const name = field.path[field.path.length - 1]!;
  return `<div class="form-row tci-field ${extraClass}">
  <label for="node-input-${field.key}"><span data-i18n="fields.${field.key}"></span></label>
  ${input(field, spec)}
  <div class="form-tips tci-hint" style="margin:2px 0 0 104px;padding:2px 6px;width:auto"><span data-i18n="docs.${field.key}"></span> <code>${esc(name)}</code> · <span data-i18n="allowed.${field.key}"></span></div>
</div>`;
}

export function renderEditor(type: string, descriptor: JobDescriptor): string {
  const inline = inlineContainer(descriptor);
  const ops = operationFields(descriptor);
  const cbs = callbackFields();
  const specs: Record<string, EditorSpec> = {};
  for (const f of [...ops, ...cbs]) specs[f.key] = editorSpec(descriptor, f, inline);

  const sections: string[] = [];
  let lastGroup: string | undefined;
  for (const f of ops) {
    if (f.group !== lastGroup) {
      sections.push(`<div class="form-row tci-group ${specs[f.key]!.inline ? 'tci-inline' : ''}"><b data-i18n="groups.${groupKey(f.group)}"></b></div>`);
      lastGroup = f.group;
    }
    sections.push(row(f, specs[f.key]!, specs[f.key]!.inline ? 'tci-inline' : ''));
  }
  const callbackRows = cbs.map((f) => row(f, specs[f.key]!, f.group === 'CallBackMqConfig' ? 'tci-mq' : '')).join('\n');
  const templateRows = inline
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

  const script = `(function () {
  var TYPE = ${JSON.stringify(type)};
  var SPECS = ${JSON.stringify(specs)};
  var REQUIRED_WHEN = ${JSON.stringify(requiredWhen(descriptor))};
  function blank(v) { return v === undefined || v === null || String(v).trim() === ''; }
  function t(key) { var def = RED.nodes.getType(TYPE); return def && def._ ? def._(key) : key; }
  function groupUsed(node, group) {
    var when = REQUIRED_WHEN[group];
    if (when && when.in.indexOf(String(node[when.key] || '')) >= 0) return true;
    return Object.keys(SPECS).some(function (k) { return SPECS[k].g === group && !SPECS[k].req && !blank(node[k]); });
  }
  function valid(node, key, v) {
    var s = SPECS[key];
    if (s.inline && node.paramsMode === 'template') return true;
    if (blank(v)) return s.req === 'always' ? false : s.req === 'group' ? !groupUsed(node, s.g) : true;
    v = String(v).trim();
    if (s.k === 'integer' || s.k === 'number') {
      if (!(s.k === 'integer' ? /^[+-]?\\d+$/ : /^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)$/).test(v)) return false;
      var n = Number(v);
      if (s.min !== undefined && (s.minEx ? n <= s.min : n < s.min)) return false;
      return !(s.max !== undefined && (s.maxEx ? n >= s.max : n > s.max));
    }
    if (s.k === 'boolean') return v === 'true' || v === 'false';
    if (s.k === 'enum') return s.values.indexOf(v) >= 0;
    if (s.maxLen !== undefined && v.length > s.maxLen) return false;
    return !s.re || new RegExp(s.re).test(v);
  }
  // Two parameters: Node-RED only treats a returned message as "invalid" from (value, opt) validators.
  function validator(key) {
    return function (v, opt) { return valid(this, key, v) ? true : t('allowed.' + key); };
  }
  RED.nodes.registerType(${JSON.stringify(type)}, {
    category: ${JSON.stringify(PALETTE.category)},
    color: ${JSON.stringify(PALETTE.color)},
    icon: ${JSON.stringify(PALETTE.icon)},
    defaults: {
    name: { value: '' },
    config: { value: '', type: 'tencent-ci-config', required: true },
    input: { value: 'payload', validate: RED.validators.typedInput('inputType') },
    inputType: { value: 'msg' },
    paramsMode: { value: 'inline' },
    TemplateId: { value: '', validate: function (v, opt) { return this.paramsMode !== 'template' || !blank(v) ? true : t('common.editor.templateRequired'); } },
    wait: { value: 'none' },
    timeout: { value: 600, validate: RED.validators.number(true) },
    cancelOnTimeout: { value: false },
    store: { value: '' },
    blockOverrides: { value: false },
    outputs: { value: 1 },
${Object.keys(specs).map((k) => `    ${k}: { value: ${JSON.stringify(specs[k]!.dv ?? '')}, validate: validator(${JSON.stringify(k)}) }`).join(',\n')}
    },
    inputs: 1,
    outputs: 1,
    paletteLabel: function () { return this._('node.paletteLabel'); },
    label: function () { return this.name || this._('node.label'); },
    labelStyle: function () { return this.name ? 'node_label_italic' : ''; },
    outputLabels: function (i) {
      if (this.wait !== 'result') return this._('common.outputs.submitted');
      return this._(i === 0 ? 'common.outputs.success' : 'common.outputs.failed');
    },
    oneditprepare: function () {
      $('#node-input-input').typedInput({ default: 'msg', types: ['msg', 'flow', 'global', 'env', 'str'], typeField: '#node-input-inputType' });
      function toggle() {
        var template = $('#node-input-paramsMode').val() === 'template';
        $('.tci-inline').toggle(!template);
        $('.tci-template').toggle(template);
        $('.tci-mq').toggle($('#node-input-CallBackType').val() === 'TDMQ');
        $('.tci-wait').toggle($('#node-input-wait').val() === 'result');
      }
      $('#node-input-paramsMode, #node-input-CallBackType, #node-input-wait').on('change', toggle);
      toggle();
      ${indented('context-stores', '      ')}
    },
    oneditsave: function () {
      this.outputs = $('#node-input-wait').val() === 'result' ? 2 : 1;
    }
  });
})();`;

  return `<script type="text/javascript">
${script}
</script>

<script type="text/html" data-template-name="${type}">
<div class="form-row">
  <label for="node-input-name"><i class="fa fa-tag"></i> <span data-i18n="common.editor.name"></span></label>
  <input type="text" id="node-input-name" style="width:70%" data-i18n="[placeholder]common.editor.name">
</div>
<div class="form-row">
  <label for="node-input-config"><i class="fa fa-cloud"></i> <span data-i18n="common.editor.config"></span></label>
  <input type="text" id="node-input-config" style="width:70%">
</div>
<div class="form-row">
  <label for="node-input-input"><i class="fa fa-film"></i> <span data-i18n="common.editor.input"></span></label>
  <input type="text" id="node-input-input" style="width:70%">
  <input type="hidden" id="node-input-inputType">
  <div class="form-tips" style="margin:2px 0 0 104px;padding:2px 6px;width:auto" data-i18n="node.inputHint"></div>
</div>
${templateRows}
${sections.join('\n')}
<div class="form-row tci-group"><b data-i18n="groups.callback"></b></div>
${callbackRows}
<div class="form-row tci-group"><b data-i18n="groups.result"></b></div>
<div class="form-row">
  <label for="node-input-wait"><i class="fa fa-hourglass-half"></i> <span data-i18n="common.editor.wait"></span></label>
  <select id="node-input-wait" style="width:70%"><option value="none" data-i18n="common.editor.waitNone"></option><option value="result" data-i18n="common.editor.waitResult"></option></select>
</div>
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
<div class="form-row">
  <label>&nbsp;</label>
  <input type="checkbox" id="node-input-blockOverrides" style="width:auto;margin:0 4px 0 0"> <label for="node-input-blockOverrides" style="width:auto" data-i18n="common.editor.blockOverrides"></label>
</div>
</script>
`;
}

/** The node's catalog in one language: shared strings, the package's own, and computed allowed texts. */
export function buildLocale(type: string, descriptor: JobDescriptor, lang: Lang, packageDir: string, configDir: string): Record<string, any> {
  const common = readJson(join(configDir, 'locales', lang, 'job-common.json'));
  const own = readJson(join(packageDir, 'locales', lang, `${type}.json`));
  const fields: EditorField[] = [...operationFields(descriptor), ...callbackFields()];
  const out: Record<string, any> = { ...common, ...own };
  out.fields = { ...common.fields, ...own.fields };
  out.docs = { ...common.docs, ...own.docs };
  out.groups = { ...common.groups, ...own.groups };
  const patterns = { ...common.patterns, ...own.patterns };
  out.allowed = {};
  for (const f of fields) {
    out.fields[f.key] ??= f.path[f.path.length - 1];
    out.docs[f.key] ??= f.spec.doc;
    out.allowed[f.key] = allowedText(f.spec, lang, patterns[f.key] ?? f.spec.patternDoc);
  }
  out.fields.TemplateId ??= 'TemplateId';
  out.docs.TemplateId ??= descriptor.operation.TemplateId?.doc ?? '';
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
