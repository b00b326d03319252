/**
 * Browser code and dialog markup that more than one node's edit dialog has, written once.
 * The generated job editors embed it directly; a hand-written editor HTML names it with a
 * line `// @tci-include <name>` (in a script) or `<!-- @tci-include <name> -->` (in markup),
 * which copyNodeAssets replaces (same indentation). A snippet made from attributes takes
 * them in the markup form as in HTML: `<!-- @tci-include input-row id="node-input-path" icon="road" label="callback.editor.path" -->`.
 */

/** The palette entry every Tencent CI node has, besides its icon (paletteIcon). */
export const PALETTE = { category: 'Tencent CI', color: '#8DC8F2' } as const;

/**
 * The palette icon of node `type`: `<type>.svg`, which the package that registers the type
 * keeps in its `icons/` folder (copyNodeAssets copies it to `dist/icons/`, beside the node's
 * `.js`, where Node-RED serves it, and fails the build when it is missing). The config node
 * has no palette entry; its package keeps the brand icon `tencent-ci.svg`.
 */
export const paletteIcon = (type: string): string => `${type}.svg`;

/** The attributes of an include line. */
export type SnippetAttributes = Readonly<Record<string, string>>;
/** What a snippet may need of the editor it goes into besides its attributes: the node type. */
export interface SnippetContext {
  type?: string;
}
/** Fixed text, or text made from the include's attributes (and the editor's node type). */
type Snippet = string | ((attributes: SnippetAttributes, context: SnippetContext) => string);

/** `attributes` checked against the ones a snippet takes: every `required` one, and (unless `rest`) no others. */
function take(name: string, attributes: SnippetAttributes, required: readonly string[], rest = false): SnippetAttributes {
  const missing = required.filter((key) => attributes[key] === undefined);
  const unknown = rest ? [] : Object.keys(attributes).filter((key) => !required.includes(key));
  if (missing.length || unknown.length) {
    throw new Error(
      `Editor snippet "${name}" takes ${required.join(', ')}${rest ? ' and input attributes' : ''} (missing: ${missing.join(', ') || '-'}; unknown: ${unknown.join(', ') || '-'})`,
    );
  }
  return attributes;
}

/** A row's label: an icon and a catalog text, for the field `id`. */
const label = (id: string, icon: string, text: string) => `<label for="${id}"><i class="fa fa-${icon}"></i> <span data-i18n="${text}"></span></label>`;

/**
 * A form row of a label and an input: `id`, `icon` (Font Awesome 4, without `fa-`) and `label`
 * (the catalog key); every other attribute goes onto the `<input>` as written (`type` first, text if not given).
 */
function inputRow(attributes: SnippetAttributes): string {
  const { id, icon, label: text, type = 'text', ...input } = take('input-row', attributes, ['id', 'icon', 'label'], true);
  const more = Object.entries(input).map(([key, value]) => ` ${key}="${value}"`);
  return `<div class="form-row">
  ${label(id!, icon!, text!)}
  <input type="${type}" id="${id}"${more.join('')}>
</div>`;
}

/** A form row of a typedInput setting `field` (with its type in `<field>Type`) and a hint under it. */
function typedInputRow(attributes: SnippetAttributes): string {
  const { field, icon, label: text, hint } = take('typed-input-row', attributes, ['field', 'icon', 'label', 'hint']);
  return `<div class="form-row">
  ${label(`node-input-${field}`, icon!, text!)}
  <input type="text" id="node-input-${field}" style="width:70%">
  <input type="hidden" id="node-input-${field}Type">
  <div class="form-tips" style="margin:2px 0 0 104px;padding:2px 6px;width:auto" data-i18n="${hint}"></div>
</div>`;
}

/** The palette entry's properties in a registerType definition; the icon is the node type's own (paletteIcon). */
function palette(attributes: SnippetAttributes, { type }: SnippetContext): string {
  take('palette', attributes, []);
  if (!type) throw new Error('Editor snippet "palette" needs the node type, for its icon (withSnippets(html, type))');
  return `category: '${PALETTE.category}',
color: '${PALETTE.color}',
icon: '${paletteIcon(type)}',`;
}

/**
 * `onadd` for nodes with a `config` property: a node dropped from the palette gets the
 * Tencent CI config node when there is exactly one (RED.nodes.eachConfig: filterNodes does
 * not see config nodes), so a first flow works without opening the dialog.
 */
const configOnAdd = `onadd: function () {
  var configs = [];
  RED.nodes.eachConfig(function (n) {
    if (n.type === 'tencent-ci-config') configs.push(n.id);
    return true;
  });
  if (!this.config && configs.length === 1) this.config = configs[0];
},`;

/** The node's name, the first row of the job, wait and callback dialogs. */
const nameRow = inputRow({
  id: 'node-input-name',
  icon: 'tag',
  label: 'common.editor.name',
  style: 'width:70%',
  'data-i18n': '[placeholder]common.editor.name',
});

/** The config node the job and wait nodes use. */
const configRow = inputRow({ id: 'node-input-config', icon: 'cloud', label: 'common.editor.config', style: 'width:70%' });

/** Fills `#node-input-store` with the runtime's context stores (settings.js contextStorage), keeping a saved name even if it is gone. `this` is the node. */
const contextStores = `// Context stores the runtime has (settings.js contextStorage); keep a saved name even if it is gone.
var select = $('#node-input-store');
var current = this.store || '';
var context = RED.settings.context || {};
var stores = (context.stores || []).filter(function (name) { return name !== 'default' && name !== context.default; });
if (current && stores.indexOf(current) < 0) stores.push(current);
stores.forEach(function (name) { $('<option>').val(name).text(name).appendTo(select); });
select.val(current);`;

/** The label, picker and hint of the context store setting (inside the dialog's own form row). */
const contextStoreField = `${label('node-input-store', 'database', 'common.editor.store')}
<select id="node-input-store" style="width:70%">
  <option value="" data-i18n="common.editor.defaultStore"></option>
</select>
<div class="form-tips" style="margin:2px 0 0 104px;padding:2px 6px;width:auto" data-i18n="common.editor.storeHint"></div>`;

export const EDITOR_SNIPPETS: Readonly<Record<string, Snippet>> = {
  'context-stores': contextStores,
  'context-store-field': contextStoreField,
  palette,
  'config-onadd': configOnAdd,
  'name-row': nameRow,
  'config-row': configRow,
  'input-row': inputRow,
  'typed-input-row': typedInputRow,
};

/** The text of snippet `name`, made from `attributes` (and `context`) if it takes them. */
export function snippet(name: string, attributes: SnippetAttributes = {}, context: SnippetContext = {}): string {
  const found = EDITOR_SNIPPETS[name];
  if (found === undefined) throw new Error(`No editor snippet "${name}" (known: ${Object.keys(EDITOR_SNIPPETS).join(', ')})`);
  if (typeof found === 'function') return found(attributes, context);
  take(name, attributes, []);
  return found;
}

/** `snippet` with every line but the first indented by `indent` (for a template literal). */
export function indented(name: string, indent: string, attributes: SnippetAttributes = {}, context: SnippetContext = {}): string {
  return snippet(name, attributes, context).split('\n').join(`\n${indent}`);
}

/** `key="value"` pairs of an include line, in their order. */
function parseAttributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const rest = text.replace(/([\w-]+)="([^"]*)"/g, (_pair, key: string, value: string) => {
    if (key in out) throw new Error(`@tci-include: attribute ${key} given twice in "${text.trim()}"`);
    out[key] = value;
    return '';
  });
  if (rest.trim()) throw new Error(`@tci-include: cannot read "${rest.trim()}" (attributes are written key="value")`);
  return out;
}

/** The node type of an editor HTML: the one its edit dialog is for (`data-template-name`), if it has exactly one. */
export function dialogType(html: string): string | undefined {
  const names = [...html.matchAll(/data-template-name=["']([^"']+)["']/g)].map((m) => m[1]!);
  return names.length === 1 ? names[0] : undefined;
}

/**
 * `html` with each include line replaced by that snippet, at the line's indentation. `type` is
 * the node the editor is for (the build passes it; by default, the type of its edit dialog).
 */
export function withSnippets(html: string, type: string | undefined = dialogType(html)): string {
  return html.replace(
    /^([ \t]*)(?:\/\/ @tci-include ([\w-]+)|<!-- @tci-include ([\w-]+)(.*?) -->)[ \t]*$/gm,
    (_line, indent: string, inScript: string | undefined, inMarkup: string | undefined, attributes: string | undefined) =>
      indent + indented((inScript ?? inMarkup)!, indent, parseAttributes(attributes ?? ''), { type }),
  );
}
