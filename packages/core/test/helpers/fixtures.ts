import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Tencent's sample bodies, copied from Tencent's doc pages and SDKs (sources in test/fixtures/README.md). */
export const FIXTURES_DIR = join(__dirname, '..', 'fixtures');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES_DIR, name), 'utf8');
}
