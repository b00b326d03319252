#!/usr/bin/env node
// Runs every package's test suite through turbo, then prints one closing line
// "N passed, N failed" that sums all suites (CI reads that line, not mocha's).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, 'test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const turbo = spawnSync('npx', ['turbo', 'run', 'test', '--continue', '--concurrency=1', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
});

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
const failures = [];
for (const file of existsSync(resultsDir)
  ? readdirSync(resultsDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : []) {
  const r = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
  for (const f of r.failures ?? []) failures.push({ suite: r.name, ...f });
  rows.push(`  ${r.name}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
}
// A suite that crashed before reporting counts as one failure, so a broken
// package can never vanish from the total.
if (turbo.status !== 0 && failed === 0) failed = 1;

if (failures.length > 0) {
  console.log('\nFailed tests:');
  for (const f of failures) {
    console.log(`  ${f.suite}${f.file ? ` (${f.file})` : ''}: ${f.title}`);
    for (const line of f.message.split('\n')) console.log(`      ${line}`);
  }
}
console.log('\nTest suites:');
for (const row of rows) console.log(row);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(turbo.status === 0 && failed === 0 ? 0 : 1);
