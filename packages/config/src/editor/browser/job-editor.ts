/**
 * The browser code of every job node's edit dialog, written once: defaults, validators,
 * labels and the dialog's toggles, all from the per-node spec (job-editor-spec.ts) the build emits from
 * the job's core descriptor. Compiled by tsconfig.browser.json to a plain script (no module
 * system) that build-html.ts inlines into each `dist/<type>.html`, followed by
 *
 *     RED.nodes.registerType("<type>", { category: "…", ...window.TencentCiJobEditor.definition(SPEC, prepare) });
 *
 * (the type and category stay literal for node-red-dev validate and the palette checks;
 * docs/node-red.md#editor-and-i18n). Nothing here formats what a field allows: a rejected
 * value shows the catalog's precomputed `allowed.<key>` text. Nothing here is job-specific.
 */

type JobEditorSpec = import('./job-editor-spec').JobEditorSpec;
type JobEditorField = import('./job-editor-spec').JobEditorField;
type JobEditorRequiredWhen = import('./job-editor-spec').JobEditorRequiredWhen;

/** A node as the editor passes it to validators, labels and dialog callbacks (`this`). */
interface JobEditorNode {
  [property: string]: unknown;
  /** The node type's catalog lookup. */
  _(key: string): string;
}

/** A property validator; Node-RED only treats a returned message as "invalid" from (value, opt) validators. */
type JobEditorValidate = (this: JobEditorNode, value: unknown, opt?: unknown) => boolean | string;

interface JobEditorProperty {
  value: unknown;
  type?: string;
  required?: boolean;
  validate?: JobEditorValidate | ((value: unknown) => boolean);
}

/** The node definition without its category (see the file comment). */
interface JobEditorDefinition {
  color: string;
  icon: string;
  defaults: Record<string, JobEditorProperty>;
  inputs: 1;
  outputs: number;
  paletteLabel(this: JobEditorNode): string;
  label(this: JobEditorNode): string;
  labelStyle(this: JobEditorNode): string;
  outputLabels(this: JobEditorNode, index: number): string;
  oneditprepare(this: JobEditorNode): void;
  oneditsave(this: JobEditorNode): void;
}

interface Window {
  TencentCiJobEditor: {
    /** The definition of a job node from its spec; `prepare` runs last when its dialog opens (shared snippets, editor-snippets.ts). */
    definition(spec: JobEditorSpec, prepare?: (this: JobEditorNode) => void): JobEditorDefinition;
  };
}

declare const RED: import('@node-red/editor-client').RED;

(function () {
  const INTEGER = /^[+-]?\d+$/;
  const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

  const blank = (value: unknown): boolean => value === undefined || value === null || String(value).trim() === '';

  function definition(spec: JobEditorSpec, prepare?: (this: JobEditorNode) => void): JobEditorDefinition {
    const requiredWhen: Record<string, JobEditorRequiredWhen> = {};
    for (const rule of spec.requiredWhen) requiredWhen[rule.group] = rule;
    const inGroup = (group: string) => spec.fields.filter((field) => field.group === group);
    /**
     * Groups shown only while their condition holds: those whose fields are all required, so
     * that nothing but the condition can make them used (a TDMQ callback's queue settings).
     * A group with optional fields stays in view, since filling one in makes it used.
     */
    const conditional = spec.requiredWhen.filter(
      (rule) => inGroup(rule.group).length > 0 && inGroup(rule.group).every((field) => field.required !== undefined),
    );

    /** The node type's catalog text (the validators run without a node `_`). */
    function t(key: string): string {
      const def = RED.nodes.getType(spec.type) as { _?: (key: string) => string } | undefined;
      return def && def._ ? def._(key) : key;
    }

    const holds = (rule: JobEditorRequiredWhen, value: unknown) => rule.in.indexOf(String(value || '')) >= 0;

    function groupUsed(node: JobEditorNode, group: string): boolean {
      const rule = requiredWhen[group];
      if (rule && holds(rule, node[rule.key])) return true;
      return inGroup(group).some((field) => !field.required && !blank(node[field.key]));
    }

    function inRange(field: JobEditorField, n: number): boolean {
      if (field.min !== undefined && (field.minExclusive ? n <= field.min : n < field.min)) return false;
      return !(field.max !== undefined && (field.maxExclusive ? n >= field.max : n > field.max));
    }

    function valid(node: JobEditorNode, field: JobEditorField, value: unknown): boolean {
      if (field.inline && node.paramsMode === 'template') return true;
      if (blank(value)) return field.required === 'always' ? false : field.required === 'group' ? !groupUsed(node, field.group) : true;
      const text = String(value).trim();
      switch (field.kind) {
        case 'integer':
        case 'number':
          return (field.kind === 'integer' ? INTEGER : NUMBER).test(text) && inRange(field, Number(text));
        case 'boolean':
          return text === 'true' || text === 'false';
        case 'enum':
          return (field.values || []).indexOf(text) >= 0;
        default:
          if (field.maxLength !== undefined && text.length > field.maxLength) return false;
          return !field.pattern || new RegExp(field.pattern).test(text);
      }
    }

    /** A number setting of the Result rows: blank (the default) or at least `min`. */
    function atLeast(min: number, integer: boolean, allowed: string): JobEditorValidate {
      return function (this: JobEditorNode, value: unknown, _opt?: unknown) {
        if (blank(value)) return true;
        const text = String(value).trim();
        return (integer ? INTEGER : NUMBER).test(text) && Number(text) >= min ? true : t(allowed);
      };
    }

    function validator(field: JobEditorField): JobEditorValidate {
      const key = field.key;
      return function (this: JobEditorNode, value: unknown, _opt?: unknown) {
        return valid(this, field, value) ? true : t('allowed.' + key);
      };
    }

    const defaults: Record<string, JobEditorProperty> = {
      name: { value: '' },
      config: { value: '', type: 'tencent-ci-config', required: true },
      input: { value: 'payload', validate: RED.validators.typedInput('inputType') },
      inputType: { value: 'msg' },
      paramsMode: { value: 'inline' },
      TemplateId: {
        value: '',
        validate: function (this: JobEditorNode, value: unknown, _opt?: unknown) {
          return this.paramsMode !== 'template' || !blank(value) ? true : t('common.editor.templateRequired');
        },
      },
      // A new node waits for the result: a user's first output is the finished job, not State Submitted.
      wait: { value: 'result' },
      timeout: { value: 600, validate: RED.validators.number(true) },
      cancelOnTimeout: { value: false },
      store: { value: '' },
      // Links in msg.ci.outputs: an hour; images attached only when asked, at most 5 MiB a message.
      linkValidity: { value: 3600, validate: atLeast(1, true, 'common.editor.linkValidityAllowed') },
      attachImages: { value: false },
      attachLimit: { value: 5, validate: atLeast(0, false, 'common.editor.attachLimitAllowed') },
      blockOverrides: { value: false },
      outputs: { value: 2 },
    };
    for (const field of spec.fields) defaults[field.key] = { value: field.initial !== undefined ? field.initial : '', validate: validator(field) };

    return {
      color: spec.palette.color,
      icon: spec.palette.icon,
      defaults,
      inputs: 1,
      outputs: 2,
      paletteLabel: function () {
        return this._('node.paletteLabel');
      },
      label: function () {
        return (this.name as string) || this._('node.label');
      },
      labelStyle: function () {
        return this.name ? 'node_label_italic' : '';
      },
      outputLabels: function (index: number) {
        if (this.wait === 'none') return this._('common.outputs.submitted');
        if (this.wait === 'instant') return this._('common.outputs.instant');
        return this._(index === 0 ? 'common.outputs.success' : 'common.outputs.failed');
      },
      oneditprepare: function () {
        $('#node-input-input').typedInput({ default: 'msg', types: ['msg', 'flow', 'global', 'env', 'str'], typeField: '#node-input-inputType' });
        const toggle = () => {
          const template = spec.template && $('#node-input-paramsMode').val() === 'template';
          $('.tci-inline').toggle(!template);
          $('.tci-template').toggle(template);
          for (const rule of conditional) {
            const shown = holds(rule, $('#node-input-' + rule.key).val());
            $('[data-tci-group="' + rule.group + '"]').each(function () {
              $(this).toggle(shown && !(template && $(this).hasClass('tci-inline')));
            });
          }
          const mode = $('#node-input-wait').val();
          const waiting = mode === 'result';
          // The instant mode sends no job: its parameters instead of the job's and the callback's.
          $('.tci-job').toggle(mode !== 'instant');
          $('.tci-instant').toggle(mode === 'instant');
          $('.tci-wait').toggle(waiting);
          $('.tci-attach').toggle(waiting && $('#node-input-attachImages').is(':checked'));
        };
        // Switching to the instant mode fills its blank required parameters with their starting values (time: 1 s), as a new node has them.
        $('#node-input-wait').on('change', () => {
          if ($('#node-input-wait').val() !== 'instant') return;
          for (const field of spec.fields) {
            const input = $('#node-input-' + field.key);
            if (field.group === 'instant' && field.required && field.initial !== undefined && blank(input.val())) input.val(field.initial).trigger('change');
          }
        });
        const switches = ['paramsMode', 'wait', 'attachImages'].concat(conditional.map((rule) => rule.key));
        $(switches.map((key) => '#node-input-' + key).join(', ')).on('change', toggle);
        toggle();
        if (prepare) prepare.call(this);
      },
      oneditsave: function () {
        this.outputs = $('#node-input-wait').val() === 'result' ? 2 : 1;
      },
    };
  }

  window.TencentCiJobEditor = { definition };
})();
