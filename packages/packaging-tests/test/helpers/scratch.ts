/**
 * Temporary directories outside the repository and the Node-RED processes started in them,
 * cleaned up by the root hook after the whole run (set KEEP_PACKAGING_TMP=1 to keep the
 * directories for a look).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let root: string | undefined;
const stoppers: Array<() => Promise<void>> = [];

/** A new empty directory under this run's temporary root. */
export function scratchDir(name: string): string {
  root ??= mkdtempSync(join(tmpdir(), 'tencent-ci-packaging-'));
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Registers something to stop when the run ends (Node-RED processes). */
export function onCleanup(stop: () => Promise<void>): void {
  stoppers.push(stop);
}

export async function cleanupAll(): Promise<void> {
  while (stoppers.length) await stoppers.pop()!().catch(() => undefined);
  if (root && !process.env.KEEP_PACKAGING_TMP) rmSync(root, { recursive: true, force: true });
  else if (root) console.log(`packaging test files kept in ${root}`);
  root = undefined;
}
