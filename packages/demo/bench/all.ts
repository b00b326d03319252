/**
 * `npm run bench` (from the root): every row in one table, core's (ours against the
 * official SDK cos-nodejs-sdk-v5, raw fast-xml-parser, or per-job polling, side by side in
 * this process) and the real Node-RED ones (bench/tracking.ts). Not part of `npm test`.
 * Loopback only; about two minutes on a 2-core machine.
 */
import { benchCore } from '@node-red-tencent-ci/core/bench/run';
import { formatTable } from '@node-red-tencent-ci/core/bench/harness';
import { benchNodeRed } from './tracking';

async function main(): Promise<void> {
  const started = Date.now();
  if (!(globalThis as { gc?: unknown }).gc) console.warn('bench: run with --expose-gc (npm run bench does) so each measure starts on a clean heap');
  const rows = [...(await benchCore()), ...(await benchNodeRed())];
  console.log(formatTable(rows));
  const missed = rows.filter((r) => !r.met);
  console.log(
    `\n${rows.length - missed.length} of ${rows.length} goals met in ${Math.round((Date.now() - started) / 1000)} s${missed.length ? `; missed: ${missed.map((r) => r.path).join('; ')}` : ''}`,
  );
  if (missed.length) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
