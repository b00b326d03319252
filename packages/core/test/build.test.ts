import { strict as assert } from 'node:assert';
import { buildJobRequest, CiValidationError, JOB_DESCRIPTORS, JOB_TAGS, parseXml, validateJobRequest } from '../src';
import type { JobTag } from '../src';

function issuesOf(tag: JobTag, params: unknown): Array<{ path: string; allowed: string; value?: unknown }> {
  try {
    validateJobRequest(tag, params);
  } catch (err) {
    assert.ok(err instanceof CiValidationError, String(err));
    return err.issues;
  }
  assert.fail('expected a CiValidationError');
}

const input = { Object: 'input/demo.mp4' };
const output = { Region: 'ap-chongqing', Bucket: 'test-123456789', Object: 'output/snapshot-${number}.jpg' };

describe('buildJobRequest', () => {
  it('builds the seed MediaInfo body with elements in documented order', () => {
    const xml = buildJobRequest('MediaInfo', {
      Input: input,
      Operation: { UserData: 'This is my data.', JobLevel: 0 },
      CallBack: 'http://callback.demo.com',
      CallBackFormat: 'JSON',
    });
    assert.equal(
      xml,
      '<Request><Tag>MediaInfo</Tag><Input><Object>input/demo.mp4</Object></Input><Operation><UserData>This is my data.</UserData><JobLevel>0</JobLevel></Operation><CallBackFormat>JSON</CallBackFormat><CallBack>http://callback.demo.com</CallBack></Request>',
    );
  });

  it('builds the seed Snapshot body with a sprite config, numbers and booleans as text', () => {
    const xml = buildJobRequest('Snapshot', {
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
    });
    const doc = parseXml(xml) as { Request: Record<string, any> };
    const snap = doc.Request.Operation.Snapshot;
    assert.deepEqual(snap, {
      Mode: 'Interval',
      Start: '1',
      TimeInterval: '2',
      Count: '10',
      IsCheckBlack: 'false',
      SnapshotOutMode: 'SnapshotAndSprite',
      SpriteSnapshotConfig: { Color: 'Azure', Columns: '3', Lines: '2' },
    });
    assert.equal(doc.Request.Operation.Output.SpriteObject, 'output/sprite-${number}.jpg');
  });

  it('escapes XML special characters in text', () => {
    const xml = buildJobRequest('MediaInfo', { Input: { Object: 'in/a&b<c>.mp4' } });
    assert.match(xml, /<Object>in\/a&amp;b&lt;c&gt;.mp4<\/Object>/);
    assert.equal((parseXml(xml) as any).Request.Input.Object, 'in/a&b<c>.mp4');
  });

  it('builds QualityEstimate, VideoTag and VideoTargetRec bodies from the seeds', () => {
    assert.match(
      buildJobRequest('QualityEstimate', { Input: input, Operation: { QualityEstimateConfig: { Rotate: 90, Mode: 'vqaPlus' } } }),
      /<QualityEstimateConfig><Rotate>90<\/Rotate><Mode>vqaPlus<\/Mode><\/QualityEstimateConfig>/,
    );
    assert.match(
      buildJobRequest('VideoTag', { Input: input, Operation: { VideoTag: { Scenario: 'Stream' } } }),
      /<VideoTag><Scenario>Stream<\/Scenario><\/VideoTag>/,
    );
    assert.match(
      buildJobRequest('VideoTargetRec', { Input: input, Operation: { VideoTargetRec: { Body: true, Pet: 'true', Car: true } } }),
      /<VideoTargetRec><Body>true<\/Body><Pet>true<\/Pet><Car>true<\/Car><\/VideoTargetRec>/,
    );
  });

  it('leaves out empty and null fields, as editors leave blank inputs', () => {
    const xml = buildJobRequest('MediaInfo', { Input: input, Operation: { UserData: '', JobLevel: null }, CallBack: '' });
    assert.equal(xml, '<Request><Tag>MediaInfo</Tag><Input><Object>input/demo.mp4</Object></Input></Request>');
  });

  it('sends TDMQ callback settings', () => {
    const xml = buildJobRequest('MediaInfo', { Input: input, CallBackType: 'TDMQ', CallBackMqConfig: { MqMode: 'Queue', MqRegion: 'gz', MqName: 'jobs' } });
    assert.match(
      xml,
      /<CallBackType>TDMQ<\/CallBackType><CallBackMqConfig><MqMode>Queue<\/MqMode><MqRegion>gz<\/MqRegion><MqName>jobs<\/MqName><\/CallBackMqConfig>/,
    );
  });
});

describe('validation', () => {
  it('names the field, the value and the allowed range for Snapshot Count 0', () => {
    assert.throws(
      () => buildJobRequest('Snapshot', { Input: input, Operation: { Snapshot: { Count: 0 }, Output: output } }),
      (err: unknown) =>
        err instanceof CiValidationError &&
        err.path === 'Operation.Snapshot.Count' &&
        err.message === 'Invalid Snapshot job: Operation.Snapshot.Count is 0; allowed: an integer in (0, 10000]',
    );
  });

  it('requires Input.Object', () => {
    assert.deepEqual(issuesOf('MediaInfo', { Input: {} }), [{ path: 'Input.Object', value: undefined, allowed: 'text' }]);
    assert.equal(issuesOf('MediaInfo', {})[0]!.path, 'Input.Object');
  });

  it('requires Snapshot Output with Region and Bucket', () => {
    assert.deepEqual(
      issuesOf('Snapshot', { Input: input, Operation: { TemplateId: 't1' } }).map((i) => i.path),
      ['Operation.Output.Region', 'Operation.Output.Bucket'],
    );
    assert.deepEqual(
      issuesOf('Snapshot', { Input: input, Operation: { TemplateId: 't1', Output: { Object: 'a.jpg' } } }).map((i) => i.path),
      ['Operation.Output.Region', 'Operation.Output.Bucket'],
    );
  });

  it('requires TemplateId or inline parameters', () => {
    const [issue] = issuesOf('Snapshot', { Input: input, Operation: { Output: output } });
    assert.equal(issue!.path, 'Operation.TemplateId or Operation.Snapshot');
    assert.equal(issuesOf('VideoTargetRec', { Input: input, Operation: { UserData: 'x' } })[0]!.path, 'Operation.TemplateId or Operation.VideoTargetRec');
  });

  it('accepts TemplateId alone, and TemplateId with inline parameters (TemplateId wins at the service)', () => {
    assert.doesNotThrow(() =>
      validateJobRequest('Snapshot', { Input: input, Operation: { TemplateId: 't1460606b9752148c4ab182f55163ba7cd', Output: output } }),
    );
    assert.doesNotThrow(() => validateJobRequest('Snapshot', { Input: input, Operation: { TemplateId: 't1', Snapshot: { Count: 3 }, Output: output } }));
  });

  it('checks UserData is printable ASCII of at most 1024 characters', () => {
    assert.equal(
      issuesOf('MediaInfo', { Input: input, Operation: { UserData: 'héllo' } })[0]!.allowed,
      'printable ASCII (space to ~), at most 1024 characters',
    );
    assert.equal(issuesOf('MediaInfo', { Input: input, Operation: { UserData: 'x'.repeat(1025) } })[0]!.path, 'Operation.UserData');
    assert.equal(issuesOf('MediaInfo', { Input: input, Operation: { UserData: 'line\nbreak' } })[0]!.path, 'Operation.UserData');
    assert.doesNotThrow(() => validateJobRequest('MediaInfo', { Input: input, Operation: { UserData: 'x'.repeat(1024) } }));
  });

  it('checks JobLevel is 0, 1 or 2', () => {
    assert.deepEqual(issuesOf('MediaInfo', { Input: input, Operation: { JobLevel: 3 } }), [
      { path: 'Operation.JobLevel', value: 3, allowed: 'an integer in [0, 2]' },
    ]);
    assert.equal(issuesOf('MediaInfo', { Input: input, Operation: { JobLevel: 1.5 } })[0]!.path, 'Operation.JobLevel');
    assert.equal(validateJobRequest('MediaInfo', { Input: input, Operation: { JobLevel: '2' } }).Operation && true, true);
  });

  it('checks Rotate and Mode of QualityEstimate', () => {
    assert.deepEqual(issuesOf('QualityEstimate', { Input: input, Operation: { QualityEstimateConfig: { Rotate: 45 } } }), [
      { path: 'Operation.QualityEstimateConfig.Rotate', value: 45, allowed: 'one of 0, 90, 180, 270' },
    ]);
    assert.equal(
      issuesOf('QualityEstimate', { Input: input, Operation: { QualityEstimateConfig: { Mode: 'VQAPLUS' } } })[0]!.allowed,
      'one of general, vqaPlus',
    );
  });

  it('requires VideoTag Scenario Stream or ShortVideo', () => {
    assert.deepEqual(issuesOf('VideoTag', { Input: input }), [{ path: 'Operation.VideoTag.Scenario', value: undefined, allowed: 'one of Stream, ShortVideo' }]);
    assert.equal(issuesOf('VideoTag', { Input: input, Operation: { VideoTag: { Text: 'x' } } })[0]!.path, 'Operation.VideoTag.Scenario');
    assert.equal(issuesOf('VideoTag', { Input: input, Operation: { VideoTag: { Scenario: 'Movie' } } })[0]!.allowed, 'one of Stream, ShortVideo');
    assert.doesNotThrow(() => validateJobRequest('VideoTag', { Input: input, Operation: { VideoTag: { Scenario: 'ShortVideo', Text: 'cats' } } }));
  });

  const snapshotRanges: Array<[string, unknown, string]> = [
    ['Start', -1, 'a number >= 0'],
    ['TimeInterval', 0, 'a number in (0, 3600]'],
    ['TimeInterval', 3600.5, 'a number in (0, 3600]'],
    ['Count', 10001, 'an integer in (0, 10000]'],
    ['Count', 2.5, 'an integer in (0, 10000]'],
    ['Width', 127, 'an integer in [128, 4096]'],
    ['Height', 4097, 'an integer in [128, 4096]'],
    ['BlackLevel', 29, 'an integer in [30, 100]'],
    ['PixelBlackThreshold', 256, 'an integer in [0, 255]'],
    ['Mode', 'Random', 'one of Interval, Average, KeyFrame'],
    ['SnapshotOutMode', 'Sprite', 'one of OnlySnapshot, OnlySprite, SnapshotAndSprite'],
    ['IsCheckBlack', 'yes', 'true or false'],
    ['IsCheckCount', 1, 'true or false'],
  ];
  for (const [field, value, allowed] of snapshotRanges) {
    it(`rejects Snapshot ${field} ${JSON.stringify(value)} (allowed: ${allowed})`, () => {
      assert.deepEqual(issuesOf('Snapshot', { Input: input, Operation: { Snapshot: { Count: 1, [field]: value }, Output: output } }), [
        { path: `Operation.Snapshot.${field}`, value, allowed },
      ]);
    });
  }

  const spriteRanges: Array<[string, unknown, string]> = [
    ['CellWidth', 7, 'an integer in [8, 4096]'],
    ['CellHeight', 5000, 'an integer in [8, 4096]'],
    ['Padding', 1025, 'an integer in [0, 1024]'],
    ['Margin', -1, 'an integer in [0, 1024]'],
    ['Columns', 0, 'an integer in [1, 10000]'],
    ['Lines', 10001, 'an integer in [1, 10000]'],
    ['ScaleMethod', 'Stretch', 'one of DirectScale, MaxWHScaleAndPad, MaxWHScale'],
    ['Color', 'not a colour!', 'an FFmpeg colour name (e.g. Black, AliceBlue) or #RRGGBB'],
  ];
  for (const [field, value, allowed] of spriteRanges) {
    it(`rejects SpriteSnapshotConfig ${field} ${JSON.stringify(value)}`, () => {
      const sprite = { Color: 'Black', Columns: 2, Lines: 2, [field]: value };
      assert.deepEqual(
        issuesOf('Snapshot', {
          Input: input,
          Operation: { Snapshot: { Count: 4, SnapshotOutMode: 'OnlySprite', SpriteSnapshotConfig: sprite }, Output: output },
        }),
        [{ path: `Operation.Snapshot.SpriteSnapshotConfig.${field}`, value, allowed }],
      );
    });
  }

  it('requires SpriteSnapshotConfig with Color, Columns and Lines when sprites are written', () => {
    assert.deepEqual(issuesOf('Snapshot', { Input: input, Operation: { Snapshot: { Count: 4, SnapshotOutMode: 'SnapshotAndSprite' }, Output: output } }), [
      { path: 'Operation.Snapshot.SpriteSnapshotConfig', value: undefined, allowed: 'required when Operation.Snapshot.SnapshotOutMode is SnapshotAndSprite' },
    ]);
    assert.deepEqual(
      issuesOf('Snapshot', {
        Input: input,
        Operation: { Snapshot: { Count: 4, SnapshotOutMode: 'OnlySprite', SpriteSnapshotConfig: { Padding: 2 } }, Output: output },
      }).map((i) => i.path),
      ['Operation.Snapshot.SpriteSnapshotConfig.Color', 'Operation.Snapshot.SpriteSnapshotConfig.Columns', 'Operation.Snapshot.SpriteSnapshotConfig.Lines'],
    );
  });

  it('requires the ${number} wildcard in Output.Object when several shots are taken', () => {
    const single = { ...output, Object: 'output/cover.jpg' };
    assert.equal(issuesOf('Snapshot', { Input: input, Operation: { Snapshot: { Count: 5 }, Output: single } })[0]!.path, 'Operation.Output.Object');
    assert.doesNotThrow(() => validateJobRequest('Snapshot', { Input: input, Operation: { Snapshot: { Count: 1 }, Output: single } }));
    assert.doesNotThrow(() =>
      validateJobRequest('Snapshot', { Input: input, Operation: { Snapshot: { Count: 5 }, Output: { ...output, Object: 'out/${Number}.jpg' } } }),
    );
  });

  it('allows only jpg sprite sheets', () => {
    assert.equal(
      issuesOf('Snapshot', { Input: input, Operation: { TemplateId: 't1', Output: { ...output, SpriteObject: 'sprite-${number}.png' } } })[0]!.path,
      'Operation.Output.SpriteObject',
    );
  });

  it('checks Output bucket and region formats', () => {
    const issues = issuesOf('Snapshot', {
      Input: input,
      Operation: { TemplateId: 't1', Output: { Region: 'Guangzhou', Bucket: 'mybucket', Object: 'a-${number}.jpg' } },
    });
    assert.deepEqual(
      issues.map((i) => i.path),
      ['Operation.Output.Region', 'Operation.Output.Bucket'],
    );
    assert.equal(issues[1]!.allowed, 'BucketName-APPID, e.g. examplebucket-1250000000');
  });

  it('checks VideoTargetRec flags, SnapshotFreq and the rules between them', () => {
    assert.equal(issuesOf('VideoTargetRec', { Input: input, Operation: { VideoTargetRec: { Body: 'yes' } } })[0]!.allowed, 'true or false');
    assert.equal(
      issuesOf('VideoTargetRec', { Input: input, Operation: { VideoTargetRec: { Body: true, SnapshotFreq: 31 } } })[0]!.allowed,
      'a number in [0, 30]',
    );
    assert.equal(
      issuesOf('VideoTargetRec', { Input: input, Operation: { VideoTargetRec: { Body: false, Pet: false } } })[0]!.allowed,
      'at least one of Body, Pet, Car, Face, Plate set to true',
    );
    assert.equal(
      issuesOf('VideoTargetRec', { Input: input, Operation: { VideoTargetRec: { Body: true, ProcessType: 'Mosaic' } } })[0]!.path,
      'Operation.VideoTargetRec.ProcessType',
    );
    assert.doesNotThrow(() =>
      validateJobRequest('VideoTargetRec', { Input: input, Operation: { VideoTargetRec: { Face: true, ProcessType: 'Mosaic' }, SnapshotPrefix: 'frames' } }),
    );
  });

  it('accepts Input.Url instead of Input.Object for VideoTargetRec only', () => {
    assert.doesNotThrow(() => validateJobRequest('VideoTargetRec', { Input: { Url: 'https://example.com/a.mp4' }, Operation: { TemplateId: 't1' } }));
    assert.equal(issuesOf('VideoTargetRec', { Input: {}, Operation: { TemplateId: 't1' } })[0]!.path, 'Input.Object or Input.Url');
    assert.equal(issuesOf('MediaInfo', { Input: { Url: 'https://example.com/a.mp4' } })[0]!.path, 'Input.Object');
  });

  it('checks callback fields: URL or "no", XML or JSON, Url or TDMQ with its MQ config', () => {
    assert.equal(issuesOf('MediaInfo', { Input: input, CallBack: 'ftp://x' })[0]!.allowed, 'an http:// or https:// URL, or "no"');
    assert.doesNotThrow(() => validateJobRequest('MediaInfo', { Input: input, CallBack: 'no' }));
    assert.equal(issuesOf('MediaInfo', { Input: input, CallBackFormat: 'YAML' })[0]!.allowed, 'one of XML, JSON');
    assert.deepEqual(issuesOf('MediaInfo', { Input: input, CallBackType: 'TDMQ' }), [
      { path: 'CallBackMqConfig', value: undefined, allowed: 'required when CallBackType is TDMQ' },
    ]);
    assert.equal(
      issuesOf('MediaInfo', { Input: input, CallBackType: 'TDMQ', CallBackMqConfig: { MqMode: 'Queue', MqRegion: 'us', MqName: 'q' } })[0]!.allowed,
      'one of sh, bj, gz, cd, hk',
    );
  });

  it('rejects unknown fields by name, with the known ones listed', () => {
    const [issue] = issuesOf('Snapshot', { Input: input, Operation: { Snapshot: { count: 3 }, Output: output } });
    assert.equal(issue!.path, 'Operation.Snapshot.count');
    assert.match(issue!.allowed, /^a known field: Mode, Start, TimeInterval, Count,/);
  });

  it('ignores unknown fields when asked to (as the emulator does)', () => {
    const req = validateJobRequest('MediaInfo', { Input: input, Operation: { Extra: 'x' } }, { unknownFields: 'ignore' });
    assert.deepEqual(req, { Tag: 'MediaInfo', Input: input });
  });

  it('reports every problem at once', () => {
    const issues = issuesOf('Snapshot', { Input: {}, Operation: { Snapshot: { Count: 0, Width: 10 }, Output: output, JobLevel: 9 } });
    assert.deepEqual(
      issues.map((i) => i.path),
      ['Input.Object', 'Operation.Snapshot.Count', 'Operation.Snapshot.Width', 'Operation.JobLevel'],
    );
  });

  it('rejects a Tag that contradicts the job type and non-object parameters', () => {
    assert.equal(issuesOf('MediaInfo', { Tag: 'Snapshot', Input: input })[0]!.path, 'Tag');
    assert.equal(issuesOf('MediaInfo', 'input/a.mp4')[0]!.path, '(parameters)');
    assert.equal(issuesOf('MediaInfo', [input])[0]!.path, '(parameters)');
  });

  it('keeps a value out of the message when it is long', () => {
    assert.throws(
      () => buildJobRequest('MediaInfo', { Input: input, Operation: { UserData: 'é'.repeat(500) } }),
      (err: unknown) => err instanceof CiValidationError && err.message.length < 300,
    );
  });
});

describe('descriptors', () => {
  it('cover the five job types', () => {
    assert.deepEqual(JOB_TAGS, ['MediaInfo', 'Snapshot', 'QualityEstimate', 'VideoTag', 'VideoTargetRec']);
  });

  it('give every field a kind and a doc line, every enum its values, every container its fields', () => {
    const walk = (fields: Record<string, any>, path: string): number =>
      Object.entries(fields).reduce((n, [name, spec]) => {
        assert.ok(spec.doc && typeof spec.doc === 'string', `${path}.${name} has a doc`);
        if (spec.kind === 'enum') assert.ok(spec.values?.length > 0, `${path}.${name} has values`);
        if (spec.kind === 'container') return n + 1 + walk(spec.fields, `${path}.${name}`);
        return n + 1;
      }, 0);
    for (const tag of JOB_TAGS) {
      const d = JOB_DESCRIPTORS[tag];
      assert.equal(d.tag, tag);
      assert.ok(walk(d.operation, `${tag}.Operation`) >= 2);
      walk(d.input, `${tag}.Input`);
    }
  });
});
