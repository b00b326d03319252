#!/usr/bin/env node
// `npm start`: build every package, then start the best runnable thing the repo has.
// Today that is a walk through the core library (build, validate, sign, parse);
// the emulator and the Node-RED demo take over as they land.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' };
const build = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: root, stdio: 'inherit', env });
if (build.status !== 0) process.exit(build.status ?? 1);

const demo = join(root, 'scripts', 'demo.mjs');
if (existsSync(demo)) {
  const run = spawnSync(process.execPath, [demo, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
  process.exit(run.status ?? 1);
}
const core = await import(join(root, 'packages/core/dist/index.js'));
console.log('\n@node-red-tencent-ci/core is built. A Snapshot job request, validated and signed:\n');
const body = core.buildJobRequest('Snapshot', {
  Input: { Object: 'input/demo.mp4' },
  Operation: { Snapshot: { Mode: 'Interval', TimeInterval: 2, Count: 5 }, Output: { Region: 'ap-guangzhou', Bucket: 'examplebucket-1250000000', Object: 'out/snap-${number}.jpg' } },
});
console.log(body);
console.log('\nAuthorization:', core.sign({ secretId: 'AKIDEXAMPLE', secretKey: 'example-only', method: 'POST', pathname: '/jobs', headers: { host: 'examplebucket-1250000000.ci.ap-guangzhou.myqcloud.com' } }).replace(/q-signature=\w+/, 'q-signature=…'));
try {
  core.buildJobRequest('Snapshot', { Input: { Object: 'input/demo.mp4' }, Operation: { Snapshot: { Count: 0 } } });
} catch (err) {
  console.log('\nAnd a bad one is refused before anything is sent:\n ', err.message);
}
