/**
 * Building a job request against the official SDK: our `buildJobRequest` (validates every
 * field, then serialises) beside cos-nodejs-sdk-v5's `json2xml` (serialises only), measured
 * side by side in one process. Run alone with `npx tsx bench/build.ts`.
 */
import { buildJobRequest } from '../src';
import { formatTable, sideBySide, throughputRow, type BenchRow } from './harness';
import { SEED_SNAPSHOT_PARAMS } from '../test/helpers/seed-requests';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkUtil = require('cos-nodejs-sdk-v5/sdk/util') as { json2xml: (json: unknown) => string };

/** One row: build + validate a Snapshot request against the SDK's json2xml (goal: at least as fast). */
export async function benchBuild(): Promise<BenchRow[]> {
  const r = sideBySide(
    () => buildJobRequest('Snapshot', SEED_SNAPSHOT_PARAMS),
    () => sdkUtil.json2xml({ Request: { Tag: 'Snapshot', ...SEED_SNAPSHOT_PARAMS } }),
  );
  return [throughputRow('build + validate a Snapshot request', r, 'cos-nodejs-sdk-v5 json2xml', 1.0, 'ours also validates every field')];
}

if (require.main === module) benchBuild().then((rows) => console.log(formatTable(rows)));
