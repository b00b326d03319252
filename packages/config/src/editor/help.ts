/**
 * A job node's help page, put together at build time: the parts every job node shares
 * (`packages/config/locales/<lang>/job-help/{inputs,outputs,details,example}.html`) with the
 * job package's own parts (`locales/<lang>/<type>.help.html`) and names from the job's
 * descriptor (tag, node type, package). Every job node has a page in en-US and zh-CN, in core
 * Node-RED style (docs/node-red.md#editor-and-i18n).
 *
 * A job's own file is a list of named sections, each starting at a line
 * `<!-- section: <name> -->` and running to the next one. Comments before the first section
 * are ignored. A section's text goes in verbatim, except its trailing newlines: inline
 * sections (the ones placed inside a sentence, e.g. `result`) start with the space or
 * punctuation that joins them to the shared text. A shared line that holds nothing but a
 * block placeholder (`{{details}}`, `{{notes}}`) is dropped when the section is empty.
 */

/** The shared fragments, in page order. */
export const HELP_PARTS = ['inputs', 'outputs', 'details', 'example'] as const;
export type HelpPart = (typeof HELP_PARTS)[number];

/** The sections a job's help fragment may have; `true`: required. */
export const HELP_SECTIONS = {
  /** The first paragraph: what the node does (the palette's help summary). Block. */
  intro: true,
  /** What the input object key names: `video`, `media file`. Inline. */
  subject: true,
  /** Said after the input key's example, e.g. that a URL works too. Inline, optional. */
  inputAlso: false,
  /** One or more `<code>` examples of `msg.ciParams`. Inline. */
  ciParams: true,
  /** Said after `State` `Submitted` of the submit answer, e.g. its queue. Inline, optional. */
  submitted: false,
  /** Where the result is in a successful JobsDetail, after `State` `Success`; ends with the sentence's full stop. Inline. */
  result: true,
  /** Said after CI's `Code` and `Message` of a failed job. Inline, optional. */
  failed: false,
  /** The Details paragraphs before Values: the job's settings. Block. */
  details: true,
  /** Examples of values as the API sends them, e.g. `<code>"3"</code>`. Inline. */
  valueExamples: true,
  /** The rest of the Values paragraph: converting, the job's lists. Inline. */
  values: true,
  /** Said after "Wait at most 0 means no limit". Inline, optional. */
  waiting: false,
  /** An error message the node gives for a setting that is not allowed, after `Invalid <Tag> job: `. Inline. */
  errorExample: true,
  /** Paragraphs after Errors: limits, billing, the local emulator. Block, optional. */
  notes: false,
  /** The example flow, after the sentence naming it. Inline. */
  example: true,
} as const satisfies Record<string, boolean>;
export type HelpSection = keyof typeof HELP_SECTIONS;

/** What the build knows of the job without its fragment. */
export interface HelpNames {
  /** Node type, `tencent-ci-snapshot`. */
  type: string;
  /** Job Tag, `Snapshot`. */
  tag: string;
  /** npm package, `@node-red-tencent-ci/snapshot`. */
  package: string;
}

const NAMES: readonly (keyof HelpNames)[] = ['type', 'tag', 'package'];
const MARKER = /^<!-- section: ([A-Za-z]+) -->$/;
const PLACEHOLDER = /\{\{([A-Za-z]+)\}\}/g;

/** The sections of a job's help fragment; `file` names it in errors. */
export function parseHelpFragment(text: string, file = 'help fragment'): Partial<Record<HelpSection, string>> {
  const sections: Partial<Record<HelpSection, string>> = {};
  let current: HelpSection | undefined;
  const preamble: string[] = [];
  const body: string[] = [];
  const close = () => {
    if (current) sections[current] = body.join('\n').replace(/\n+$/, '');
    body.length = 0;
  };
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const marker = MARKER.exec(line);
    if (marker) {
      close();
      const name = marker[1]!;
      if (!Object.prototype.hasOwnProperty.call(HELP_SECTIONS, name))
        throw new Error(`${file}: unknown section "${name}"; known: ${Object.keys(HELP_SECTIONS).join(', ')}`);
      if (sections[name as HelpSection] !== undefined) throw new Error(`${file}: section "${name}" appears twice`);
      current = name as HelpSection;
    } else if (current) body.push(line);
    else preamble.push(line);
  }
  close();
  if (!/^(\s*<!--[\s\S]*?-->)*\s*$/.test(preamble.join('\n'))) throw new Error(`${file}: text before the first <!-- section: … --> line`);
  return sections;
}

/**
 * The finished help page: `<script type="text/html" data-help-name="<type>">`, the intro, then
 * each shared part with its placeholders filled. Throws on a missing required section, an
 * unknown section or placeholder, or a job section that holds a placeholder itself.
 */
export function assembleHelp(shared: Record<HelpPart, string>, own: Partial<Record<string, string>>, names: HelpNames, file = 'help fragment'): string {
  for (const [name, text] of Object.entries(own)) {
    if (!Object.prototype.hasOwnProperty.call(HELP_SECTIONS, name)) throw new Error(`${file}: unknown section "${name}"`);
    if (text !== undefined && /\{\{/.test(text)) throw new Error(`${file}: section "${name}" holds a {{placeholder}}`);
  }
  for (const [name, required] of Object.entries(HELP_SECTIONS)) {
    if (required && !own[name]?.trim()) throw new Error(`${file}: missing section "${name}"`);
  }
  const value = (name: string, part: string): string => {
    if ((NAMES as readonly string[]).includes(name)) return names[name as keyof HelpNames];
    if (Object.prototype.hasOwnProperty.call(HELP_SECTIONS, name)) return own[name] ?? '';
    throw new Error(`job-help/${part}.html: unknown placeholder {{${name}}}`);
  };
  const fill = (text: string, part: string) =>
    text
      .replace(/\n+$/, '')
      .split('\n')
      .filter((line) => {
        const only = /^\{\{([A-Za-z]+)\}\}$/.exec(line);
        return !only || value(only[1]!, part) !== '';
      })
      .map((line) => line.replace(PLACEHOLDER, (_, name: string) => value(name, part)))
      .join('\n');
  const parts = HELP_PARTS.map((part) => fill(shared[part], part));
  return `<script type="text/html" data-help-name="${names.type}">\n${own.intro}\n\n${parts.join('\n\n')}\n</script>\n`;
}
