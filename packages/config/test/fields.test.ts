import { strict as assert } from 'node:assert';
import { MediaInfoJob, QualityEstimateJob, SnapshotJob, VideoTagJob, VideoTargetRecJob } from '@node-red-tencent-ci/core';
import { callbackFields, inlineContainer, mergeParams, operationFields, paramsFromNode } from '../src/fields';

const keys = (fields: Array<{ key: string }>) => fields.map((f) => f.key);

describe('operationFields: one flat node property per Operation leaf', () => {
  it('gives MediaInfo UserData and JobLevel', () => {
    assert.deepEqual(keys(operationFields(MediaInfoJob)), ['UserData', 'JobLevel']);
  });

  it('gives Snapshot its inline parameters, the sprite layout and the Output keys, without TemplateId', () => {
    const k = keys(operationFields(SnapshotJob));
    assert.equal(k[0], 'Snapshot_Mode');
    for (const key of [
      'Snapshot_Count',
      'Snapshot_SpriteSnapshotConfig_Columns',
      'Snapshot_SpriteSnapshotConfig_Lines',
      'Output_Region',
      'Output_Bucket',
      'Output_Object',
      'Output_SpriteObject',
      'UserData',
      'JobLevel',
    ]) {
      assert.ok(k.includes(key), `missing ${key}`);
    }
    assert.ok(!k.includes('TemplateId'));
    assert.equal(k.length, 26);
  });

  it('keeps the path of each property under the request root', () => {
    const columns = operationFields(SnapshotJob).find((f) => f.key === 'Snapshot_SpriteSnapshotConfig_Columns')!;
    assert.deepEqual(columns.path, ['Operation', 'Snapshot', 'SpriteSnapshotConfig', 'Columns']);
    assert.equal(columns.group, 'Snapshot.SpriteSnapshotConfig');
  });

  it('gives QualityEstimate Rotate and Mode', () => {
    assert.deepEqual(keys(operationFields(QualityEstimateJob)), ['QualityEstimateConfig_Rotate', 'QualityEstimateConfig_Mode', 'UserData', 'JobLevel']);
  });

  it('gives VideoTag Scenario and Text', () => {
    assert.deepEqual(keys(operationFields(VideoTagJob)), ['VideoTag_Scenario', 'VideoTag_Text', 'UserData', 'JobLevel']);
  });

  it('gives VideoTargetRec its five targets, the nested TransTpl and SnapshotPrefix, without TemplateId', () => {
    const k = keys(operationFields(VideoTargetRecJob));
    assert.deepEqual(k.slice(0, 5), ['VideoTargetRec_Body', 'VideoTargetRec_Pet', 'VideoTargetRec_Car', 'VideoTargetRec_Face', 'VideoTargetRec_Plate']);
    for (const key of ['VideoTargetRec_TransTpl_Container_Format', 'VideoTargetRec_TransTpl_Video_Fps', 'Output_Object', 'SnapshotPrefix']) {
      assert.ok(k.includes(key), `missing ${key}`);
    }
    assert.ok(!k.includes('TemplateId'));
  });

  it('gives the request-level callback fields, with CallBackMqConfig as a group, and not QueueId', () => {
    const cb = callbackFields();
    assert.deepEqual(keys(cb), [
      'CallBackFormat',
      'CallBackType',
      'CallBack',
      'CallBackMqConfig_MqMode',
      'CallBackMqConfig_MqRegion',
      'CallBackMqConfig_MqName',
    ]);
    assert.deepEqual(cb.find((f) => f.key === 'CallBackMqConfig_MqName')!.path, ['CallBackMqConfig', 'MqName']);
  });

  it('names the inline container of the jobs that have a TemplateId alternative', () => {
    assert.equal(inlineContainer(SnapshotJob), 'Snapshot');
    assert.equal(inlineContainer(VideoTargetRecJob), 'VideoTargetRec');
    assert.equal(inlineContainer(VideoTagJob), undefined);
  });
});

describe('paramsFromNode: node properties to job parameters', () => {
  const snapshotNode = {
    Snapshot_Mode: 'Interval',
    Snapshot_Count: ' 3 ',
    Snapshot_SpriteSnapshotConfig_Columns: '4',
    Output_Object: 'out/${number}.jpg',
    TemplateId: 't1',
  };

  it('builds the nested inline Snapshot parameters, trimmed, and leaves TemplateId out in inline mode', () => {
    assert.deepEqual(paramsFromNode(SnapshotJob, { ...snapshotNode, paramsMode: 'inline' }), {
      Operation: {
        Snapshot: { Mode: 'Interval', Count: '3', SpriteSnapshotConfig: { Columns: '4' } },
        Output: { Object: 'out/${number}.jpg' },
      },
    });
  });

  it('treats a node without paramsMode as inline', () => {
    const params = paramsFromNode(SnapshotJob, snapshotNode);
    assert.equal((params.Operation as any).TemplateId, undefined);
    assert.equal((params.Operation as any).Snapshot.Count, '3');
  });

  it('drops the inline Snapshot fields and keeps TemplateId and Output in template mode', () => {
    assert.deepEqual(paramsFromNode(SnapshotJob, { ...snapshotNode, paramsMode: 'template', TemplateId: '  t1  ' }), {
      Operation: { Output: { Object: 'out/${number}.jpg' }, TemplateId: 't1' },
    });
  });

  it('leaves blank, whitespace-only, null and undefined values out', () => {
    assert.deepEqual(paramsFromNode(VideoTagJob, { VideoTag_Scenario: 'Stream', VideoTag_Text: '   ', UserData: '', JobLevel: null, CallBack: undefined }), {
      Operation: { VideoTag: { Scenario: 'Stream' } },
    });
  });

  it('gives nothing for a node with no settings', () => {
    assert.deepEqual(paramsFromNode(MediaInfoJob, {}), {});
  });

  it('puts the callback fields at the request level and nests CallBackMqConfig', () => {
    assert.deepEqual(
      paramsFromNode(MediaInfoJob, {
        JobLevel: '1',
        CallBack: 'https://example.com/cb',
        CallBackFormat: 'JSON',
        CallBackType: 'TDMQ',
        CallBackMqConfig_MqMode: 'Queue',
        CallBackMqConfig_MqRegion: 'gz',
        CallBackMqConfig_MqName: 'jobs',
      }),
      {
        Operation: { JobLevel: '1' },
        CallBackFormat: 'JSON',
        CallBackType: 'TDMQ',
        CallBack: 'https://example.com/cb',
        CallBackMqConfig: { MqMode: 'Queue', MqRegion: 'gz', MqName: 'jobs' },
      },
    );
  });

  it('ignores node properties that are not job fields', () => {
    assert.deepEqual(paramsFromNode(MediaInfoJob, { name: 'n', wait: 'result', timeout: 30, input: 'payload', UserData: 'u' }), {
      Operation: { UserData: 'u' },
    });
  });
});

describe('mergeParams: msg.ciParams over node parameters', () => {
  it('merges nested objects field by field', () => {
    assert.deepEqual(mergeParams({ Snapshot: { Mode: 'Interval', Count: '3' }, UserData: 'a' }, { Snapshot: { Count: 1, Width: '128' } }), {
      Snapshot: { Mode: 'Interval', Count: 1, Width: '128' },
      UserData: 'a',
    });
  });

  it('replaces arrays rather than merging them', () => {
    assert.deepEqual(mergeParams({ List: ['a', 'b', 'c'] }, { List: ['z'] }), { List: ['z'] });
  });

  it('replaces an object with a scalar and a scalar with an object', () => {
    assert.deepEqual(mergeParams({ A: { x: '1' }, B: '2' }, { A: 'flat', B: { y: '3' } }), { A: 'flat', B: { y: '3' } });
  });

  it('ignores __proto__, constructor and prototype keys', () => {
    const override = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"x": 1}, "prototype": 1, "UserData": "u"}');
    const merged = mergeParams({}, override);
    assert.deepEqual(Object.keys(merged), ['UserData']);
    assert.equal(Object.getPrototypeOf(merged), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((merged as Record<string, unknown>).polluted, undefined);
  });

  it('changes neither argument', () => {
    const base = { Snapshot: { Count: '3' } };
    const override = { Snapshot: { Width: '128' } };
    mergeParams(base, override);
    assert.deepEqual(base, { Snapshot: { Count: '3' } });
    assert.deepEqual(override, { Snapshot: { Width: '128' } });
  });
});
