/**
 * Building a job request against the official SDK: our `buildJobRequest` (validates every
 * field, then serialises) beside cos-nodejs-sdk-v5's `json2xml` (serialises only), measured
 * side by side in one process. Run alone with `npx tsx bench/build.ts`.
 */
import { buildJobRequest } from '../src';
import { formatTable, sideBySide, throughputRow, type BenchRow } from './harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkUtil = require('cos-nodejs-sdk-v5/sdk/util') as { json2xml: (json: unknown) => string };

/** The Snapshot request of bench/run.ts: inline parameters with a sprite sheet, a callback. */
const SNAPSHOT_PARAMS = {
  Input: { Object: 'input/demo.mp4' },
  Operation: {
    Snapshot: {
      Mode: 'Interval',
      Start: '1',
      TimeInterval: '2',
      Count: '10',
      SnapshotOutMode: 'SnapshotAndSprite',
      SpriteSnapshotConfig: { Color: 'Azure', Columns: '3', Lines: '2' },
    },
    Output: { Region: 'ap-chongqing', Bucket: 'test-123456789', Object: 'output/snapshot-${number}.jpg', SpriteObject: 'output/sprite-${number}.jpg' },
    UserData: 'This is my data.',
    JobLevel: '0',
  },
  CallBack: 'http://callback.demo.com',
  CallBackFormat: 'JSON',
};

/** One row: build + validate a Snapshot request against the SDK's json2xml (goal: at least as fast). */
export async function benchBuild(): Promise<BenchRow[]> {
  const r = sideBySide(
    () => buildJobRequest('Snapshot', SNAPSHOT_PARAMS),
    () => sdkUtil.json2xml({ Request: { Tag: 'Snapshot', ...SNAPSHOT_PARAMS } }),
  );
  return [throughputRow('build + validate a Snapshot request', r, 'cos-nodejs-sdk-v5 json2xml', 1.0, 'ours also validates every field')];
}

if (require.main === module) benchBuild().then((rows) => console.log(formatTable(rows)));
