/**
 * `npm run bench -w packages/core`: every core row of `npm run bench` (signing, parsing,
 * building, describe over loopback, waiting), ours against the official SDK
 * (cos-nodejs-sdk-v5) or the named peer, measured side by side in this process.
 */
import { benchBuild } from './build';
import { benchDescribe } from './describe';
import { formatTable, type BenchRow } from './harness';
import { benchParse } from './parse';
import { benchSign } from './sign';
import { benchWaits } from './waits';

export async function benchCore(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const bench of [benchSign, benchParse, benchBuild, benchDescribe, benchWaits]) rows.push(...(await bench()));
  return rows;
}

if (require.main === module) {
  benchCore().then(
    (rows) => console.log(formatTable(rows)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
