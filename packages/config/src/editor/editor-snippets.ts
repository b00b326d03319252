/**
 * Browser code and dialog markup that more than one node's edit dialog has, written once.
 * The generated job editors embed it directly; a hand-written editor HTML names it with a
 * line `// @tci-include <name>` (in a script) or `<!-- @tci-include <name> -->` (in markup),
 * which copyNodeAssets replaces (same indentation).
 */

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
const contextStoreField = `<label for="node-input-store"><i class="fa fa-database"></i> <span data-i18n="common.editor.store"></span></label>
<select id="node-input-store" style="width:70%">
  <option value="" data-i18n="common.editor.defaultStore"></option>
</select>
<div class="form-tips" style="margin:2px 0 0 104px;padding:2px 6px;width:auto" data-i18n="common.editor.storeHint"></div>`;

export const EDITOR_SNIPPETS: Readonly<Record<string, string>> = { 'context-stores': contextStores, 'context-store-field': contextStoreField };

/** `snippet` with every line but the first indented by `indent` (for a template literal). */
export function indented(name: string, indent: string): string {
  const snippet = EDITOR_SNIPPETS[name];
  if (snippet === undefined) throw new Error(`No editor snippet "${name}" (known: ${Object.keys(EDITOR_SNIPPETS).join(', ')})`);
  return snippet.split('\n').join(`\n${indent}`);
}

/** `html` with each include line replaced by that snippet, at the line's indentation. */
export function withSnippets(html: string): string {
  return html.replace(
    /^([ \t]*)(?:\/\/ @tci-include ([\w-]+)|<!-- @tci-include ([\w-]+) -->)[ \t]*$/gm,
    (_line, indent: string, inScript: string | undefined, inMarkup: string | undefined) => indent + indented((inScript ?? inMarkup)!, indent),
  );
}
