/**
 * The compiled validators and the direct serialiser against their references: for every job
 * type, the request body equals what fast-xml-parser's XMLBuilder (configured as xml.ts
 * configured it) writes for the validated request, on the suite's seed parameters and on
 * random valid ones drawn from the descriptor; one bad field gives exactly one issue in the
 * descriptor's words; unknown and prototype keys are reported or dropped, never sent. Random
 * draws come from seeded generators: a failure names its seed and draw.
 */
import { strict as assert } from 'node:assert';
import { XMLBuilder } from 'fast-xml-parser';
import { buildJobRequest, buildXml, CiValidationError, describeAllowed, JOB_DESCRIPTORS, JOB_TAGS, requestSpec, validateJobRequest } from '../src';
import type { FieldSpec, JobTag, ValidationIssue } from '../src';
import { codePoints, Rng } from './helpers/random';
import { SEED_SNAPSHOT_PARAMS } from './helpers/seed-requests';
import { inSpecRange, randomParams } from './helpers/random-params';

/** The builder as xml.ts configured it before the direct serialiser. */
const reference = new XMLBuilder({ ignoreAttributes: true, format: false, suppressEmptyNode: false, processEntities: true });
const referenceXml = (request: Record<string, unknown>): string => reference.build({ Request: request }) as string;

const SEED = 0x5eed_b17d;
const DRAWS = 300;

const input = { Object: 'input/demo.mp4' };
const output = { Region: 'ap-chongqing', Bucket: 'test-123456789', Object: 'output/snapshot-${number}.jpg' };

/** The valid parameters of test/build.test.ts and bench/build.ts, by job type. */
const SEEDS: Record<JobTag, Array<Record<string, unknown>>> = {
  MediaInfo: [
    { Input: input, Operation: { UserData: 'This is my data.', JobLevel: 0 }, CallBack: 'http://callback.demo.com', CallBackFormat: 'JSON' },
    { Input: { Object: 'in/a&b<c>.mp4' } },
    { Input: input, Operation: { UserData: '', JobLevel: null }, CallBack: '' },
    { Input: input, CallBackType: 'TDMQ', CallBackMqConfig: { MqMode: 'Queue', MqRegion: 'gz', MqName: 'jobs' } },
    { Input: input, Operation: { UserData: 'x'.repeat(1024) } },
    { Input: input, Operation: { JobLevel: '2' } },
    { Input: input, CallBack: 'no' },
  ],
  Snapshot: [
    {
      Input: input,
      Operation: {
        Snapshot: {
          Mode: 'Interval',
          Start: 1,
          TimeInterval: 2,
          Count: 10,
          IsCheckBlack: false,
          SnapshotOutMode: 'SnapshotAndSprite',
          SpriteSnapshotConfig: { Color: 'Azure', Columns: 3, Lines: 2 },
        },
        Output: { ...output, SpriteObject: 'output/sprite-${number}.jpg' },
      },
    },
    SEED_SNAPSHOT_PARAMS,
    { Input: input, Operation: { TemplateId: 't1460606b9752148c4ab182f55163ba7cd', Output: output } },
    { Input: input, Operation: { TemplateId: 't1', Snapshot: { Count: 3 }, Output: output } },
    { Input: input, Operation: { Snapshot: { Count: 1 }, Output: { ...output, Object: 'output/cover.jpg' } } },
    { Input: input, Operation: { Snapshot: { Count: 5 }, Output: { ...output, Object: 'out/${Number}.jpg' } } },
  ],
  QualityEstimate: [{ Input: input, Operation: { QualityEstimateConfig: { Rotate: 90, Mode: 'vqaPlus' } } }],
  VideoTag: [
    { Input: input, Operation: { VideoTag: { Scenario: 'Stream' } } },
    { Input: input, Operation: { VideoTag: { Scenario: 'ShortVideo', Text: 'cats' } } },
  ],
  VideoTargetRec: [
    { Input: input, Operation: { VideoTargetRec: { Body: true, Pet: 'true', Car: true } } },
    { Input: input, Operation: { VideoTargetRec: { Face: true, ProcessType: 'Mosaic' }, SnapshotPrefix: 'frames' } },
    { Input: { Url: 'https://example.com/a.mp4' }, Operation: { TemplateId: 't1' } },
  ],
};

function issuesOf(tag: JobTag, params: unknown, unknownFields: 'error' | 'ignore' = 'error'): ValidationIssue[] {
  try {
    validateJobRequest(tag, params, { unknownFields });
  } catch (err) {
    assert.ok(err instanceof CiValidationError, String(err));
    return err.issues;
  }
  assert.fail('expected a CiValidationError');
}

/** The spec of the field at a dotted path, if there is one. */
function specAt(fields: Readonly<Record<string, FieldSpec>>, path: string): FieldSpec | undefined {
  const [head, ...rest] = path.split('.');
  const spec = Object.prototype.hasOwnProperty.call(fields, head!) ? fields[head!] : undefined;
  return rest.length === 0 || spec === undefined ? spec : specAt(spec.fields ?? {}, rest.join('.'));
}

/**
 * The draws of `tag` the validator accepts. The generator does not model the rules between
 * fields, so a draw may break one; it must never be refused for a field on its own.
 */
function validDraws(tag: JobTag, seed: number): Array<{ params: Record<string, unknown>; request: Record<string, unknown> }> {
  const rng = new Rng(seed);
  const spec = requestSpec(JOB_DESCRIPTORS[tag]);
  const out: Array<{ params: Record<string, unknown>; request: Record<string, unknown> }> = [];
  for (let attempt = 0; out.length < DRAWS && attempt < DRAWS * 50; attempt += 1) {
    const params = randomParams(rng, JOB_DESCRIPTORS[tag]);
    try {
      out.push({ params, request: validateJobRequest(tag, params) });
    } catch (err) {
      if (!(err instanceof CiValidationError)) throw err;
      for (const issue of err.issues) {
        const field = specAt(spec, issue.path);
        const where = `seed ${seed}, attempt ${attempt}: ${JSON.stringify(params)}`;
        assert.ok(field === undefined || issue.allowed !== describeAllowed(field), `${where} is refused for ${issue.path}`);
        assert.doesNotMatch(issue.allowed, /^a known field/, where);
      }
    }
  }
  assert.equal(out.length, DRAWS, `only ${out.length} valid ${tag} draws from seed ${seed}`);
  return out;
}

/** A valid scalar as it is sent: text, integers in canonical form, numbers trimmed, booleans as words. */
function sentText(given: unknown, spec: FieldSpec): string {
  if (spec.kind === 'integer') return String(Number(String(given).trim()));
  if (spec.kind === 'number') return typeof given === 'number' ? String(given) : String(given).trim();
  return String(given);
}

/** What valid `given` fields are sent as: blank ones and empty containers left out, in the spec's order. */
function expectedSent(given: Record<string, unknown>, fields: Readonly<Record<string, FieldSpec>>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(fields)) {
    const value = given[name];
    if (value === undefined || value === null || value === '') continue;
    const sent = spec.kind === 'container' ? expectedSent(value as Record<string, unknown>, spec.fields ?? {}) : sentText(value, spec);
    if (sent !== undefined) out[name] = sent;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

interface FieldAt {
  path: string;
  spec: FieldSpec;
  /** The parent container's given value, to set the field in. */
  parent: Record<string, unknown>;
  name: string;
}

/** Every field whose containers are all given in `params`, with the object it lives in. */
function fieldsIn(params: Record<string, unknown>, fields: Readonly<Record<string, FieldSpec>>, prefix = ''): FieldAt[] {
  return Object.entries(fields).flatMap(([name, spec]) => {
    const here: FieldAt = { path: prefix + name, spec, parent: params, name };
    const value = params[name];
    const inside =
      spec.kind === 'container' && value !== null && typeof value === 'object'
        ? fieldsIn(value as Record<string, unknown>, spec.fields ?? {}, `${prefix}${name}.`)
        : [];
    return [here, ...inside];
  });
}

/** Values the spec refuses, none of them blank. */
function invalidValues(spec: FieldSpec): unknown[] {
  const shared: unknown[] = [{ nested: 'x' }, ['x'], true];
  switch (spec.kind) {
    case 'container':
      return ['text', 5, ['x'], new Date(0)];
    case 'boolean':
      return ['yes', 1, 0, {}, 'TRUE'];
    case 'enum':
      return [...shared, 'not-a-value', spec.values!.map((v) => v.toLowerCase()).find((v) => !spec.values!.includes(v)) ?? 'Nope'];
    case 'integer':
    case 'number': {
      const out: unknown[] = [...shared, 'abc', '1e3', Number.NaN, Number.POSITIVE_INFINITY, '--1'];
      if (spec.kind === 'integer') out.push(2.5, '2.5');
      if (spec.min !== undefined) out.push(spec.min - 1, String(spec.min - 1));
      if (spec.max !== undefined) out.push(spec.max + 1, ` ${spec.max + 1} `);
      if (spec.minExclusive) out.push(spec.min);
      return out.filter((v) => typeof v !== 'number' || Number.isNaN(v) || !Number.isFinite(v) || !inSpecRange(v, spec) || !Number.isInteger(v));
    }
    default: {
      const out: unknown[] = [...shared];
      if (spec.maxLength !== undefined) out.push('x'.repeat(spec.maxLength + 1));
      if (spec.pattern) out.push(...['has space', 'ftp://x', 'x.png', '\n', 'é', 'Bad Colour!', 'a'].filter((t) => !spec.pattern!.test(t)));
      return out;
    }
  }
}

describe('compiled validation and the direct serialiser', () => {
  JOB_TAGS.forEach((tag, index) => {
    const seed = SEED + index;

    describe(tag, () => {
      it('builds the suite seed parameters exactly as XMLBuilder builds them', () => {
        for (const params of SEEDS[tag]) {
          const request = validateJobRequest(tag, params);
          assert.equal(buildJobRequest(tag, params), referenceXml(request), JSON.stringify(params));
        }
      });

      it(`builds ${DRAWS} random valid requests exactly as XMLBuilder builds them (seed ${seed})`, () => {
        const spec = requestSpec(JOB_DESCRIPTORS[tag]);
        validDraws(tag, seed).forEach(({ params, request }, draw) => {
          const where = `seed ${seed}, draw ${draw}: ${JSON.stringify(params)}`;
          // As JSON text, so that the order of the fields counts.
          assert.equal(JSON.stringify(request), JSON.stringify({ Tag: tag, ...expectedSent(params, spec) }), where);
          assert.equal(buildJobRequest(tag, params), referenceXml(request), where);
          assert.deepEqual(validateJobRequest(tag, params, { unknownFields: 'ignore' }), request, where);
        });
      });

      it(`reports one bad field as exactly one issue in the descriptor's words (seed ${seed})`, () => {
        const rng = new Rng(seed ^ 0xbad);
        const spec = requestSpec(JOB_DESCRIPTORS[tag]);
        let checked = 0;
        validDraws(tag, seed).forEach(({ params }, draw) => {
          const bad = structuredClone(params);
          const field = rng.pick(fieldsIn(bad, spec));
          const value = rng.pick(invalidValues(field.spec));
          field.parent[field.name] = value;
          const where = `seed ${seed}, draw ${draw}: ${field.path} = ${String(value)}`;
          assert.deepEqual(issuesOf(tag, bad), [{ path: field.path, value, allowed: describeAllowed(field.spec) }], where);
          assert.deepEqual(issuesOf(tag, bad, 'ignore'), [{ path: field.path, value, allowed: describeAllowed(field.spec) }], where);
          checked += 1;
        });
        assert.equal(checked, DRAWS);
      });

      it(`reports unknown fields by path with the known ones listed, or drops them when asked (seed ${seed})`, () => {
        const rng = new Rng(seed ^ 0xf1e1d);
        const spec = requestSpec(JOB_DESCRIPTORS[tag]);
        validDraws(tag, seed).forEach(({ params, request }, draw) => {
          const bad = structuredClone(params);
          const containers = [
            { path: '', object: bad, fields: spec as Readonly<Record<string, FieldSpec>> },
            ...fieldsIn(bad, spec)
              .filter((f) => f.spec.kind === 'container' && f.parent[f.name] !== null && typeof f.parent[f.name] === 'object')
              .map((f) => ({ path: `${f.path}.`, object: f.parent[f.name] as Record<string, unknown>, fields: f.spec.fields ?? {} })),
          ];
          const at = rng.pick(containers);
          const name = rng.pick(['Extra', 'count', 'Tags', '__proto__', 'constructor', 'hasOwnProperty']);
          const value = rng.pick<unknown>(['x', 0, { Object: 'evil' }, ['y'], false]);
          // defineProperty, so that `__proto__` becomes an own field as JSON.parse makes it.
          Object.defineProperty(at.object, name, { value, enumerable: true, configurable: true, writable: true });
          const where = `seed ${seed}, draw ${draw}: ${at.path}${name}`;
          assert.deepEqual(issuesOf(tag, bad), [{ path: `${at.path}${name}`, value, allowed: `a known field: ${Object.keys(at.fields).join(', ')}` }], where);
          const ignored = validateJobRequest(tag, bad, { unknownFields: 'ignore' });
          assert.deepEqual(ignored, request, where);
          assert.equal(buildJobRequest(tag, bad, { unknownFields: 'ignore' }), referenceXml(request), where);
        });
      });
    });
  });

  it('never sends or follows __proto__ and constructor keys of parsed JSON', () => {
    const params = JSON.parse(
      '{"Input":{"Object":"a.mp4","__proto__":{"Url":"https://evil.example/x"}},"Operation":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"UserData":"u"}}',
    ) as Record<string, unknown>;
    assert.deepEqual(
      issuesOf('MediaInfo', params).map((i) => i.path),
      ['Input.__proto__', 'Operation.__proto__', 'Operation.constructor'],
    );
    const request = validateJobRequest('MediaInfo', params, { unknownFields: 'ignore' });
    assert.equal(
      buildXml('Request', request),
      '<Request><Tag>MediaInfo</Tag><Input><Object>a.mp4</Object></Input><Operation><UserData>u</UserData></Operation></Request>',
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const inherited = Object.create({ Object: 'inherited.mp4' }) as object;
    const [issue, ...more] = issuesOf('MediaInfo', { Input: inherited });
    assert.deepEqual([issue!.path, issue!.allowed, more], ['Input', 'an object with fields Object', []]);
    assert.equal(issue!.value, inherited);
  });

  it('reads nothing from a polluted Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.UserData = 'from the prototype';
    proto.QueueId = 'has space';
    try {
      assert.deepEqual(validateJobRequest('MediaInfo', { Input: input, Operation: { JobLevel: 1 } }), {
        Tag: 'MediaInfo',
        Input: input,
        Operation: { JobLevel: '1' },
      });
    } finally {
      delete proto.UserData;
      delete proto.QueueId;
    }
  });
});

/** Plain data of every kind the serialiser takes, for comparison with XMLBuilder. */
function randomData(rng: Rng, depth: number): unknown {
  const text = codePoints('ab Z9 &<>"\'é中😀\t\n;]]>');
  const scalar = (): unknown =>
    rng.pick<() => unknown>([
      () => rng.string(text, 0, 10),
      () => '',
      () => rng.pick([0, -0, 1.5, -7, 1e21, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY]),
      () => rng.chance(0.5),
      () => BigInt(rng.int(-5, 5)),
      () => null,
      () => undefined,
    ])();
  if (depth >= 4 || rng.chance(0.4)) return scalar();
  if (rng.chance(0.3)) return Array.from({ length: rng.int(0, 3) }, () => (rng.chance(0.5) ? scalar() : randomObject(rng, depth + 1)));
  return randomObject(rng, depth + 1);
}

function randomObject(rng: Rng, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = rng.chance(0.1) ? Object.create(null) : {};
  for (let i = rng.int(0, 4); i > 0; i -= 1) out[rng.pick(['A', 'Bb', 'c_1', 'd-2', 'E.3', 'Tag', 'x'])] = randomData(rng, depth);
  return out;
}

describe('buildXml', () => {
  it(`writes random plain data exactly as XMLBuilder writes it (seed ${SEED})`, () => {
    const rng = new Rng(SEED);
    for (let draw = 0; draw < 2000; draw += 1) {
      const content = randomObject(rng, 0);
      assert.equal(buildXml('Request', content), referenceXml(content), `seed ${SEED}, draw ${draw}`);
    }
  });

  it('escapes exactly & < > " and \' in text, and writes empty text and objects as open and close tags', () => {
    const content = { A: `&amp; <b> "q" 'a' ]]> \u00a0 😀`, B: '', C: {}, D: null, E: [], F: ['', null, 'x'] };
    // XMLBuilder wrote an array's null items first.
    assert.equal(buildXml('R', content), '<R><A>&amp;amp; &lt;b&gt; &quot;q&quot; &apos;a&apos; ]]&gt; \u00a0 😀</A><B></B><C></C><D/><F/><F></F><F>x</F></R>');
    assert.equal(buildXml('R', content), reference.build({ R: content }));
  });

  it('refuses objects nested as deep as XMLBuilder refused them', () => {
    const nest = (levels: number, leaf: unknown): unknown => (levels === 0 ? leaf : { a: nest(levels - 1, leaf) });
    for (const [levels, leaf] of [
      [98, {}],
      [99, 'x'],
    ] as const) {
      const content = nest(levels, leaf) as Record<string, unknown>;
      assert.equal(buildXml('R', content), reference.build({ R: content }));
    }
    for (const [levels, leaf] of [
      [99, {}],
      [100, 'x'],
    ] as const) {
      const content = nest(levels, leaf) as Record<string, unknown>;
      assert.throws(() => reference.build({ R: content }), /Maximum nested tags exceeded/);
      assert.throws(() => buildXml('R', content), /Maximum nested tags exceeded/);
    }
  });

  it('refuses what is not plain data, and the names XMLBuilder read as text or processing instructions', () => {
    for (const value of [new Date(0), new Map(), [['nested']], () => 1, Symbol('s'), new (class Box {})()]) {
      assert.throws(() => buildXml('R', { A: value }), TypeError);
    }
    assert.throws(() => buildXml('R', { '#text': 'x' }), TypeError);
    assert.throws(() => buildXml('?xml', {}), TypeError);
  });
});
