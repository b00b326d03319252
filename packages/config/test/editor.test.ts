import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeAllowed,
  getDescriptor,
  JOB_DESCRIPTORS,
  JOB_TAGS,
  kebabTag,
  nodeTypeOf,
  SnapshotJob,
  VideoTagJob,
  VideoTargetRecJob,
  type JobDescriptor,
} from '@node-red-tencent-ci/core';
import { buildLocale, jobEditorScript, jobEditorSpec, renderEditor } from '../src/editor/build-html';
import { LANGS } from '../src/editor/allowed-text';
import { callbackFields, operationFields } from '../src/fields';

const CONFIG_DIR = join(__dirname, '..');
/** A job package without locales of its own: what buildLocale computes by itself. */
const BARE_PACKAGE = mkdtempSync(join(tmpdir(), 'tci-editor-test-'));

const TYPES: Record<string, string> = {
  MediaInfo: 'tencent-ci-media-info',
  Snapshot: 'tencent-ci-snapshot',
  QualityEstimate: 'tencent-ci-quality-estimate',
  VideoTag: 'tencent-ci-video-tag',
  VideoTargetRec: 'tencent-ci-video-target-rec',
};

const fieldKeys = (d: JobDescriptor) => [...operationFields(d), ...callbackFields()].map((f) => f.key);

type Validate = (this: Record<string, unknown>, value: unknown) => true | string;
interface EditorDefinition {
  defaults: Record<string, { value: unknown; validate?: Validate }>;
  [key: string]: unknown;
}

/** Runs the HTML's editor scripts (the generic code, then the node's call) as the editor would, with a fake RED whose `_` returns the key. */
function evaluateEditor(html: string): { type: string; def: EditorDefinition } {
  const scripts = [...html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  assert.equal(scripts.length, 2, "the HTML has the generic editor script and the node's registration");
  let registered: { type: string; def: EditorDefinition } | undefined;
  const RED = {
    nodes: {
      registerType(type: string, def: EditorDefinition) {
        registered = { type, def };
      },
      getType() {
        return { _: (key: string) => key };
      },
    },
    validators: { number: () => () => true, typedInput: () => () => true },
  };
  const $ = () => {
    throw new Error('$ is only used when the edit dialog opens');
  };
  new Function('RED', '$', 'window', scripts.join('\n'))(RED, $, {});
  assert.ok(registered, 'the script registers a node type');
  return registered;
}

function lookup(catalog: Record<string, any>, key: string): unknown {
  return key.split('.').reduce<any>((node, part) => (node && typeof node === 'object' ? node[part] : undefined), catalog);
}

describe('editor generator: renderEditor', () => {
  const html = renderEditor('tencent-ci-snapshot', SnapshotJob);

  it('registers the node type when its script runs', () => {
    assert.equal(evaluateEditor(html).type, 'tencent-ci-snapshot');
  });

  it('writes the type as a literal in RED.nodes.registerType, as node-red-dev validate requires', () => {
    assert.ok(html.includes('RED.nodes.registerType("tencent-ci-snapshot"'));
  });

  it('has a template named for the node type', () => {
    assert.ok(html.includes('<script type="text/html" data-template-name="tencent-ci-snapshot">'));
  });

  it('has an input for every field of every job type', () => {
    for (const tag of JOB_TAGS) {
      const page = renderEditor(TYPES[tag]!, JOB_DESCRIPTORS[tag]);
      for (const key of fieldKeys(JOB_DESCRIPTORS[tag])) {
        assert.match(page, new RegExp(`id="node-input-${key}"`), `${tag}: no input for ${key}`);
      }
    }
    assert.ok(html.includes('id="node-input-Snapshot_Count"'));
    assert.ok(html.includes('id="node-input-TemplateId"'));
  });

  it('offers the enum values of a field as options, with a "service default" choice when it is optional', () => {
    assert.match(
      html,
      /<select id="node-input-Snapshot_Mode"[^>]*><option value="" data-i18n="common.editor.serviceDefault"><\/option><option value="Interval">Interval<\/option><option value="Average">Average<\/option><option value="KeyFrame">KeyFrame<\/option><\/select>/,
    );
  });

  it('has a default with a validator for every field', () => {
    const { def } = evaluateEditor(html);
    for (const key of fieldKeys(SnapshotJob)) {
      assert.equal(typeof def.defaults[key]?.validate, 'function', key);
    }
  });

  it('makes a node dropped from the palette valid: every default passes its validator, for all five job types', () => {
    for (const tag of JOB_TAGS) {
      const { def } = evaluateEditor(renderEditor(TYPES[tag]!, JOB_DESCRIPTORS[tag]));
      const node = Object.fromEntries(Object.entries(def.defaults).map(([k, d]) => [k, d.value]));
      for (const [key, d] of Object.entries(def.defaults)) {
        if (d.validate) assert.equal(d.validate.call(node, d.value), true, `${tag}: ${key} = ${JSON.stringify(d.value)}`);
      }
    }
  });

  it('starts a VideoTag node with Scenario Stream', () => {
    assert.equal(evaluateEditor(renderEditor('tencent-ci-video-tag', VideoTagJob)).def.defaults.VideoTag_Scenario!.value, 'Stream');
  });
});

describe('editor generator: the validators it writes', () => {
  const { def } = evaluateEditor(renderEditor('tencent-ci-snapshot', SnapshotJob));
  const check = (key: string, value: unknown, node: Record<string, unknown> = {}) =>
    def.defaults[key]!.validate!.call({ paramsMode: 'inline', ...node }, value);

  it("rejects Count 0 with the allowed text's key", () => {
    assert.equal(check('Snapshot_Count', '0'), 'allowed.Snapshot_Count');
  });

  it('accepts Count 5, 10000 and a blank Count', () => {
    assert.equal(check('Snapshot_Count', '5'), true);
    assert.equal(check('Snapshot_Count', '10000'), true);
    assert.equal(check('Snapshot_Count', ''), true);
  });

  it('rejects Count 10001, 2.5 and "abc"', () => {
    for (const v of ['10001', '2.5', 'abc']) assert.equal(check('Snapshot_Count', v), 'allowed.Snapshot_Count', v);
  });

  it('accepts a TimeInterval of 0.5 and rejects 0 (the range is (0, 3600])', () => {
    assert.equal(check('Snapshot_TimeInterval', '0.5'), true);
    assert.equal(check('Snapshot_TimeInterval', '0'), 'allowed.Snapshot_TimeInterval');
  });

  it('rejects an enum value that is not listed', () => {
    assert.equal(check('Snapshot_Mode', 'Random'), 'allowed.Snapshot_Mode');
    assert.equal(check('Snapshot_Mode', 'KeyFrame'), true);
  });

  it('requires Columns when SnapshotOutMode is OnlySprite', () => {
    assert.equal(
      check('Snapshot_SpriteSnapshotConfig_Columns', '', { Snapshot_SnapshotOutMode: 'OnlySprite' }),
      'allowed.Snapshot_SpriteSnapshotConfig_Columns',
    );
  });

  it('does not require Columns when SnapshotOutMode is OnlySnapshot', () => {
    assert.equal(check('Snapshot_SpriteSnapshotConfig_Columns', '', { Snapshot_SnapshotOutMode: 'OnlySnapshot' }), true);
  });

  it('requires Columns once another sprite setting is filled in', () => {
    assert.equal(
      check('Snapshot_SpriteSnapshotConfig_Columns', '', { Snapshot_SnapshotOutMode: 'OnlySnapshot', Snapshot_SpriteSnapshotConfig_Padding: '2' }),
      'allowed.Snapshot_SpriteSnapshotConfig_Columns',
    );
  });

  it('accepts any value of an inline field in template mode', () => {
    assert.equal(check('Snapshot_Count', '0', { paramsMode: 'template' }), true);
    assert.equal(check('Snapshot_SpriteSnapshotConfig_Columns', '', { paramsMode: 'template', Snapshot_SnapshotOutMode: 'OnlySprite' }), true);
  });

  it('still checks the Output fields in template mode', () => {
    assert.equal(check('Output_Bucket', 'no appid', { paramsMode: 'template' }), 'allowed.Output_Bucket');
  });

  it("leaves Output Region and Bucket optional (the config node's are used)", () => {
    assert.equal(check('Output_Region', ''), true);
    assert.equal(check('Output_Bucket', ''), true);
  });

  it('requires a TemplateId in template mode only', () => {
    const templateId = def.defaults.TemplateId!.validate!;
    assert.equal(templateId.call({ paramsMode: 'template' }, ''), 'common.editor.templateRequired');
    assert.equal(templateId.call({ paramsMode: 'template' }, 't1460606b9752148c4ab182f55163ba7cd'), true);
    assert.equal(templateId.call({ paramsMode: 'inline' }, ''), true);
  });

  it('requires the TDMQ settings when CallBackType is TDMQ only', () => {
    assert.equal(check('CallBackMqConfig_MqName', '', { CallBackType: 'TDMQ' }), 'allowed.CallBackMqConfig_MqName');
    assert.equal(check('CallBackMqConfig_MqName', '', { CallBackType: 'Url' }), true);
  });

  it('checks a callback URL against its pattern', () => {
    assert.equal(check('CallBack', 'https://example.com/cb'), true);
    assert.equal(check('CallBack', 'no'), true);
    assert.equal(check('CallBack', 'ftp://example.com'), 'allowed.CallBack');
  });

  it('requires VideoTag Scenario, whose container is required', () => {
    const tag = evaluateEditor(renderEditor('tencent-ci-video-tag', VideoTagJob)).def;
    assert.equal(tag.defaults.VideoTag_Scenario!.validate!.call({}, ''), 'allowed.VideoTag_Scenario');
  });
});

describe('editor generator: buildLocale', () => {
  const catalogs = Object.fromEntries(LANGS.map((lang) => [lang, buildLocale('tencent-ci-snapshot', SnapshotJob, lang, BARE_PACKAGE, CONFIG_DIR)]));

  it('is built for en-US and zh-CN', () => {
    assert.deepEqual([...LANGS], ['en-US', 'zh-CN']);
  });

  it('gives every field a label, a doc and an allowed text in both languages, for all five job types', () => {
    for (const tag of JOB_TAGS) {
      for (const lang of LANGS) {
        const catalog = buildLocale(TYPES[tag]!, JOB_DESCRIPTORS[tag], lang, BARE_PACKAGE, CONFIG_DIR);
        for (const key of fieldKeys(JOB_DESCRIPTORS[tag])) {
          for (const section of ['fields', 'docs', 'allowed']) {
            const text = catalog[section]?.[key];
            assert.ok(typeof text === 'string' && text.trim() !== '', `${tag} ${lang}: ${section}.${key} is missing`);
          }
        }
      }
    }
  });

  it('says what Count allows in each language', () => {
    assert.equal(catalogs['en-US']!.allowed.Snapshot_Count, 'an integer in (0, 10000]');
    assert.ok(catalogs['zh-CN']!.allowed.Snapshot_Count.includes('(0, 10000]'));
    assert.ok(catalogs['zh-CN']!.allowed.Snapshot_Count.startsWith('整数'));
  });

  it('adds the documented default to the allowed text', () => {
    assert.equal(catalogs['en-US']!.allowed.Snapshot_Mode, 'one of Interval, Average, KeyFrame (default Interval)');
    assert.equal(catalogs['zh-CN']!.allowed.Snapshot_Mode, '可选值 Interval, Average, KeyFrame（默认 Interval）');
  });

  it('has the same keys in en-US and zh-CN', () => {
    const paths = (node: unknown, prefix = ''): string[] =>
      node && typeof node === 'object' ? Object.entries(node).flatMap(([k, v]) => paths(v, prefix ? `${prefix}.${k}` : k)) : [prefix];
    assert.deepEqual(paths(catalogs['zh-CN']).sort(), paths(catalogs['en-US']).sort());
    // With each job package's own catalogs too (en-US has no docs of its own any more).
    for (const tag of JOB_TAGS) {
      const [zh, en] = (['zh-CN', 'en-US'] as const).map((lang) =>
        buildLocale(TYPES[tag]!, JOB_DESCRIPTORS[tag], lang, join(__dirname, '..', '..', kebabTag(tag)), CONFIG_DIR),
      );
      assert.deepEqual(paths(zh).sort(), paths(en).sort(), tag);
    }
  });

  it("has every text the editor HTML and its script look up, except the package's own node.* texts", () => {
    const html = renderEditor('tencent-ci-snapshot', SnapshotJob);
    const { def } = evaluateEditor(html);
    const used = new Set<string>([
      ...[...html.matchAll(/data-i18n="(?:\[[a-z]+\])?([^"]+)"/g)].map((m) => m[1]!),
      ...[...html.matchAll(/(?:this\._|\bt)\('([a-zA-Z][\w.]*)'\)/g)].map((m) => m[1]!),
      ...Object.keys(def.defaults)
        .filter((k) => def.defaults[k]!.validate)
        // Shared settings whose validators say what they allow in common.editor.* (looked up by t() above).
        .filter((k) => !['input', 'timeout', 'TemplateId', 'linkValidity', 'attachLimit'].includes(k))
        .map((k) => `allowed.${k}`),
      'common.outputs.success',
      'common.outputs.failed',
    ]);
    for (const lang of LANGS) {
      for (const key of used) {
        if (key.startsWith('node.')) continue;
        assert.equal(typeof lookup(catalogs[lang]!, key), 'string', `${lang}: ${key}`);
      }
    }
  });

  it('has every status and error text the job node runtime uses, in both languages', () => {
    const keys = ['submitting', 'waiting', 'submitted', 'success', 'failed', 'timeout', 'error']
      .map((k) => `common.status.${k}`)
      .concat(['noConfig', 'ciParams', 'input.empty', 'input.url', 'input.type'].map((k) => `common.errors.${k}`));
    for (const lang of LANGS) {
      for (const key of keys) assert.equal(typeof lookup(catalogs[lang]!, key), 'string', `${lang}: ${key}`);
    }
  });
});

describe('editor generator: the generic browser code and the per-node spec', () => {
  it('inlines the one compiled browser script, with nothing job-specific in it', () => {
    const script = jobEditorScript();
    for (const tag of JOB_TAGS) assert.ok(renderEditor(TYPES[tag]!, JOB_DESCRIPTORS[tag]).includes(script), tag);
    for (const word of ['Snapshot', 'VideoTag', 'CallBackType', 'TDMQ', 'Output', 'Stream', 'tencent-ci-snapshot'])
      assert.ok(!script.includes(word), `the browser code names ${word}`);
    // It reads the catalog's precomputed allowed text instead of formatting ranges.
    assert.doesNotMatch(script, /≤|≥|an integer|one of/);
  });

  it("calls RED.nodes.registerType once, from the node's own script", () => {
    const html = renderEditor('tencent-ci-snapshot', SnapshotJob);
    assert.equal(html.split('RED.nodes.registerType(').length, 2);
    assert.ok(!jobEditorScript().includes('registerType('));
  });

  it('names the node type from the Tag, as the CLI does', () => {
    for (const tag of JOB_TAGS) assert.equal(nodeTypeOf(tag), TYPES[tag]);
  });

  it('describes every field: kind, group, range, values, pattern, required, inline and initial value', () => {
    const spec = jobEditorSpec('tencent-ci-snapshot', SnapshotJob);
    const field = (key: string) => spec.fields.find((f) => f.key === key)!;
    assert.equal(spec.type, 'tencent-ci-snapshot');
    assert.equal(spec.template, true);
    assert.deepEqual(field('Snapshot_Count'), {
      key: 'Snapshot_Count',
      kind: 'integer',
      group: 'Snapshot',
      min: 0,
      max: 10000,
      minExclusive: true,
      inline: true,
    });
    assert.deepEqual(field('Snapshot_SpriteSnapshotConfig_Columns'), {
      key: 'Snapshot_SpriteSnapshotConfig_Columns',
      kind: 'integer',
      group: 'Snapshot.SpriteSnapshotConfig',
      min: 1,
      max: 10000,
      required: 'group',
      inline: true,
    });
    assert.equal(field('Snapshot_Mode').values!.join(), 'Interval,Average,KeyFrame');
    assert.equal(field('Output_Bucket').pattern, /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?-\d+$/.source);
    // fromConfig: not asked for; Output is not the template's params: checked in template mode.
    assert.equal(field('Output_Bucket').required, undefined);
    assert.equal(field('Output_Bucket').inline, undefined);
    assert.equal(field('CallBackMqConfig_MqName').required, 'group');
    assert.equal(field('UserData').maxLength, 1024);
    assert.equal(jobEditorSpec('tencent-ci-video-tag', VideoTagJob).fields.find((f) => f.key === 'VideoTag_Scenario')!.initial, 'Stream');
    assert.equal(jobEditorSpec('tencent-ci-video-target-rec', VideoTargetRecJob).fields.find((f) => f.key === 'VideoTargetRec_Body')!.initial, 'true');
    assert.equal(jobEditorSpec('tencent-ci-video-tag', VideoTagJob).template, false);
  });

  it("takes the requiredWhen groups from the descriptor's and the request's rules, and the instant parameters' from Output", () => {
    assert.deepEqual(jobEditorSpec('tencent-ci-snapshot', SnapshotJob).requiredWhen, [
      { group: 'instant', key: 'wait', in: ['instant'] },
      { group: 'Snapshot.SpriteSnapshotConfig', key: 'Snapshot_SnapshotOutMode', in: ['OnlySprite', 'SnapshotAndSprite'] },
      { group: 'CallBackMqConfig', key: 'CallBackType', in: ['TDMQ'] },
    ]);
  });

  it('offers the instant mode only for a job type with an instant API, with its parameters (time required in that mode only)', () => {
    const snapshot = jobEditorSpec('tencent-ci-snapshot', SnapshotJob);
    assert.equal(snapshot.instant, true);
    const time = snapshot.fields.find((f) => f.key === 'instant_time');
    assert.deepEqual(
      { group: time?.group, required: time?.required, initial: time?.initial, min: time?.min },
      { group: 'instant', required: 'group', initial: '1', min: 0 },
    );
    assert.deepEqual(
      snapshot.fields.filter((f) => f.group === 'instant').map((f) => f.key),
      ['instant_time', 'instant_width', 'instant_height', 'instant_format', 'instant_rotate', 'instant_mode'],
    );
    const html = renderEditor('tencent-ci-snapshot', SnapshotJob);
    assert.match(html, /<option value="instant" data-i18n="common\.editor\.waitInstant"><\/option><\/select>/);
    assert.match(html, /<div class="tci-instant">[\s\S]*ci-process=snapshot[\s\S]*id="node-input-instant_mode"/);
    for (const [type, descriptor] of [
      ['tencent-ci-video-tag', getDescriptor('VideoTag')],
      ['tencent-ci-quality-estimate', getDescriptor('QualityEstimate')],
    ] as const) {
      assert.equal(jobEditorSpec(type, descriptor).instant, false);
      assert.doesNotMatch(renderEditor(type, descriptor).split('data-template-name')[1]!, /value="instant"|tci-instant/);
    }
  });

  it('marks each field row with its group, for the requiredWhen toggles', () => {
    const html = renderEditor('tencent-ci-snapshot', SnapshotJob);
    assert.match(html, /<div class="form-row tci-field" data-tci-group="CallBackMqConfig">\s*<label for="node-input-CallBackMqConfig_MqName">/);
    assert.match(
      html,
      /<div class="form-row tci-field tci-inline" data-tci-group="Snapshot.SpriteSnapshotConfig">\s*<label for="node-input-Snapshot_SpriteSnapshotConfig_Columns">/,
    );
  });
});

describe('editor generator: docs and allowed texts come from one place', () => {
  it('takes every en-US doc from the descriptor, and keeps the zh-CN translations', () => {
    for (const tag of JOB_TAGS) {
      const d = JOB_DESCRIPTORS[tag];
      const en = buildLocale(TYPES[tag]!, d, 'en-US', join(__dirname, '..', '..', kebabTag(tag)), CONFIG_DIR);
      for (const f of [...operationFields(d), ...callbackFields()]) assert.equal(en.docs[f.key], f.spec.doc, `${tag}: docs.${f.key}`);
      if (d.operation.TemplateId) assert.equal(en.docs.TemplateId, d.operation.TemplateId.doc);
    }
    const zh = buildLocale('tencent-ci-snapshot', SnapshotJob, 'zh-CN', join(__dirname, '..', '..', 'snapshot'), CONFIG_DIR);
    assert.match(zh.docs.Snapshot_Count, /[\u4e00-\u9fff]/);
    assert.match(zh.allowed.Snapshot_SpriteSnapshotConfig_Color, /^FFmpeg 颜色名称/);
  });

  it('says in the editor what core says in its errors (en-US), plus the default', () => {
    const en = buildLocale('tencent-ci-snapshot', SnapshotJob, 'en-US', BARE_PACKAGE, CONFIG_DIR);
    for (const f of operationFields(SnapshotJob)) {
      const suffix = f.spec.default !== undefined ? ` (default ${f.spec.default})` : '';
      assert.equal(en.allowed[f.key], describeAllowed(f.spec) + suffix, f.key);
    }
    assert.equal(en.allowed.UserData, 'printable ASCII (space to ~), at most 1024 characters');
  });
});
