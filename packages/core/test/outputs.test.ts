import assert from 'node:assert/strict';

import { JOB_DESCRIPTORS, JOB_TAGS } from '../src/jobs';
import { jobOutputs } from '../src/jobs/outputs';
import { parseCallback, parseResponse } from '../src/parse';
import type { JobsDetail } from '../src/types';
import { fixture } from './helpers/fixtures';

const snapshotKeys = ['0', '1', '2', '3', '4', '5'].map((n) => `output/snapshot-${n}.jpg`);

/** The Snapshot callbacks' seven objects: six frames and one sprite sheet. */
const SNAPSHOT_OUTPUTS = [
  ...snapshotKeys.map((key) => ({ kind: 'snapshot', bucket: 'test-123456789', region: 'ap-chongqing', key })),
  { kind: 'sprite', bucket: 'test-123456789', region: 'ap-chongqing', key: 'output/sprite-0.jpg' },
];

const VTR_URL = 'https://test-1234567890.cos.ap-chongqing.myqcloud.com/test-1234567890/a993e661c699811ed9588038f7fb96507/input/car.mp4';

function detail(tag: string, operation: Record<string, unknown>, input: Record<string, unknown> = {}): JobsDetail {
  return { JobId: 'j1', Tag: tag, State: 'Success', Input: input, Operation: operation };
}

describe('jobOutputs: what a job wrote, from its descriptor', () => {
  it('lists a Snapshot XML callback (fixture): each ObjectPrefix + ObjectName, frames then sprite sheets', () => {
    assert.deepEqual(jobOutputs(parseCallback(fixture('callback-snapshot-api.xml')).JobsDetail[0]!), SNAPSHOT_OUTPUTS);
  });

  it('lists the same objects from the JSON workflow callback, whose sprite ObjectName is a single string', () => {
    assert.deepEqual(jobOutputs(parseCallback(fixture('callback-snapshot-workflow.json')).JobsDetail[0]!), SNAPSHOT_OUTPUTS);
    // Not normalised: the collapsed single value is read as a list of one.
    const raw = (JSON.parse(fixture('callback-snapshot-workflow.json')) as { JobsDetail: JobsDetail }).JobsDetail;
    assert.equal(typeof (raw.Operation as any).MediaResult.OutputFile.SpriteOutputFile.ObjectName, 'string');
    assert.deepEqual(jobOutputs(raw), SNAPSHOT_OUTPUTS);
  });

  it("lists VideoTargetRec's frames by URL (fixture), with the key of each, as they are on the COS host of the job's bucket", () => {
    // The abridged sample has no Tag; every real JobsDetail has one.
    const fromFixture = parseCallback(fixture('callback-videotargetrec-abridged.xml')).JobsDetail[0]!;
    assert.equal(fromFixture.Tag, undefined);
    assert.deepEqual(jobOutputs({ ...fromFixture, Tag: 'VideoTargetRec' }), [
      {
        kind: 'frame',
        bucket: 'test-1234567890',
        region: 'ap-chongqing',
        key: 'test-1234567890/a993e661c699811ed9588038f7fb96507/input/car.mp4/1206-1.jpg',
        url: `${VTR_URL}/1206-1.jpg`,
      },
      {
        kind: 'frame',
        bucket: 'test-1234567890',
        region: 'ap-chongqing',
        key: 'test-1234567890/a993e661c699811ed9588038f7fb96507/input/car.mp4/2413-2.jpg',
        url: `${VTR_URL}/2413-2.jpg`,
      },
    ]);
  });

  it('reads every VideoTargetRec recognition with a Url, once per frame, and keeps a URL on another host without a key', () => {
    const input = { BucketId: 'test-1234567890', Region: 'ap-chongqing', Object: 'input/car.mp4' };
    const out = jobOutputs(
      detail(
        'VideoTargetRec',
        {
          VideoTargetRecResult: {
            BodyRecognition: [{ Time: '1', Url: `${VTR_URL}/1000-1.jpg` }, { Time: '2' }],
            CarRecognition: [{ Time: '1', Url: `${VTR_URL}/1000-1.jpg` }],
            PetRecognition: { Time: '3', Url: `${VTR_URL}/%E5%9B%BE%203.jpg` },
            FaceRecognition: [{ Url: 'https://cdn.example.com/f/4.jpg' }],
            LicenseRecognitionResult: [{ Url: `${VTR_URL}/5000-5.jpg?sign=abc` }],
          },
        },
        input,
      ),
    );
    assert.deepEqual(
      out.map((o) => [o.kind, o.key, o.url]),
      [
        ['frame', 'test-1234567890/a993e661c699811ed9588038f7fb96507/input/car.mp4/1000-1.jpg', `${VTR_URL}/1000-1.jpg`],
        ['frame', 'test-1234567890/a993e661c699811ed9588038f7fb96507/input/car.mp4/图 3.jpg', `${VTR_URL}/%E5%9B%BE%203.jpg`],
        ['frame', undefined, 'https://cdn.example.com/f/4.jpg'],
        ['frame', 'test-1234567890/a993e661c699811ed9588038f7fb96507/input/car.mp4/5000-5.jpg', `${VTR_URL}/5000-5.jpg?sign=abc`],
      ],
    );
    assert.deepEqual(out[2], { kind: 'frame', url: 'https://cdn.example.com/f/4.jpg' });
  });

  it("derives no key for a URL on another bucket's host, and takes the bucket of a Url input from the options", () => {
    const operation = { VideoTargetRecResult: { BodyRecognition: [{ Url: 'https://other-1250000000.cos.ap-guangzhou.myqcloud.com/a.jpg' }] } };
    assert.deepEqual(jobOutputs(detail('VideoTargetRec', operation, { BucketId: 'mine-1250000000', Region: 'ap-guangzhou' })), [
      { kind: 'frame', url: 'https://other-1250000000.cos.ap-guangzhou.myqcloud.com/a.jpg' },
    ]);
    const urlInput = detail('VideoTargetRec', operation, { Url: 'https://example.com/v.mp4' });
    assert.deepEqual(jobOutputs(urlInput), [{ kind: 'frame', url: 'https://other-1250000000.cos.ap-guangzhou.myqcloud.com/a.jpg' }]);
    assert.deepEqual(jobOutputs(urlInput, { bucket: 'other-1250000000', region: 'ap-guangzhou' }), [
      {
        kind: 'frame',
        bucket: 'other-1250000000',
        region: 'ap-guangzhou',
        key: 'a.jpg',
        url: 'https://other-1250000000.cos.ap-guangzhou.myqcloud.com/a.jpg',
      },
    ]);
  });

  it("takes a file list's missing Bucket and Region from Operation.Output, then the input, then the options", () => {
    const files = {
      MediaResult: { OutputFile: { ObjectPrefix: 'snap/', ObjectName: ['0.jpg'], SpriteOutputFile: { ObjectPrefix: '', ObjectName: ['snap/s-0.jpg'] } } },
    };
    const fromOutput = jobOutputs(
      detail('Snapshot', { ...files, Output: { Bucket: 'out-1250000000', Region: 'ap-beijing' } }, { BucketId: 'in-1250000000', Region: 'ap-shanghai' }),
    );
    assert.deepEqual(fromOutput, [
      { kind: 'snapshot', bucket: 'out-1250000000', region: 'ap-beijing', key: 'snap/0.jpg' },
      { kind: 'sprite', bucket: 'out-1250000000', region: 'ap-beijing', key: 'snap/s-0.jpg' },
    ]);
    assert.deepEqual(
      jobOutputs(detail('Snapshot', files, { BucketId: 'in-1250000000', Region: 'ap-shanghai' })).map((o) => `${o.bucket} ${o.region}`),
      ['in-1250000000 ap-shanghai', 'in-1250000000 ap-shanghai'],
    );
    assert.deepEqual(
      jobOutputs(detail('Snapshot', files), { bucket: 'cfg-1250000000', region: 'ap-nanjing' }).map((o) => `${o.bucket} ${o.region}`),
      ['cfg-1250000000 ap-nanjing', 'cfg-1250000000 ap-nanjing'],
    );
    assert.deepEqual(jobOutputs(detail('Snapshot', files)), [], 'no bucket anywhere: nothing to point to');
  });

  it("lists nothing for an OnlySprite job's empty frame list, and skips names that are not strings", () => {
    const out = jobOutputs(
      detail('Snapshot', {
        MediaResult: {
          OutputFile: {
            Bucket: 'b-1250000000',
            Region: 'ap-guangzhou',
            ObjectPrefix: 'p/',
            ObjectName: [],
            SpriteOutputFile: { Bucket: 'b-1250000000', Region: 'ap-guangzhou', ObjectPrefix: 'p/', ObjectName: ['s.jpg', '', 7] },
          },
        },
      }),
    );
    assert.deepEqual(out, [{ kind: 'sprite', bucket: 'b-1250000000', region: 'ap-guangzhou', key: 'p/s.jpg' }]);
  });

  it('lists nothing for job types that write no objects (MediaInfo, QualityEstimate, VideoTag fixtures) and for unknown Tags', () => {
    assert.deepEqual(jobOutputs(parseCallback(fixture('callback-qualityestimate.xml')).JobsDetail[0]!), []);
    assert.deepEqual(jobOutputs(parseCallback(fixture('callback-videotag-stream.xml')).JobsDetail[0]!), []);
    // A finished transcode: MediaResult.OutputFile is there, but Transcode is not a job type here.
    const transcode = parseResponse(fixture('describe-job-success-transcode.xml')).JobsDetail[0]!;
    assert.ok((transcode.Operation as any).MediaResult.OutputFile);
    assert.deepEqual(jobOutputs(transcode), []);
    assert.deepEqual(jobOutputs(detail('MediaInfo', { MediaInfo: {} })), []);
    assert.deepEqual(jobOutputs({ JobId: 'j1', Tag: 'Snapshot', State: 'Submitted' }), [], 'no Operation yet');
    assert.deepEqual(jobOutputs(null as unknown as JobsDetail), []);
  });

  it('is driven by the descriptors: only Snapshot and VideoTargetRec declare outputs, on paths the normaliser makes arrays', () => {
    const declaring = JOB_TAGS.filter((tag) => (JOB_DESCRIPTORS[tag].outputs ?? []).length > 0);
    assert.deepEqual(declaring, ['Snapshot', 'VideoTargetRec']);
    for (const tag of declaring) {
      const d = JOB_DESCRIPTORS[tag];
      for (const spec of d.outputs!) {
        const arrayPath = spec.from === 'fileList' ? `${spec.path}.ObjectName` : spec.path;
        assert.ok(d.resultArrayPaths.includes(arrayPath), `${tag}: ${arrayPath} is an array path`);
      }
    }
    assert.deepEqual([...new Set(JOB_DESCRIPTORS.Snapshot.outputs!.map((o) => o.kind))], ['snapshot', 'sprite']);
    assert.deepEqual([...new Set(JOB_DESCRIPTORS.VideoTargetRec.outputs!.map((o) => o.kind))], ['frame']);
  });
});
