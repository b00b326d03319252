// The all package ships the repository's cross-package example flows (examples/ at the root).
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(pkg, '..', '..', 'examples');
const target = join(pkg, 'examples');
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
for (const file of readdirSync(source).filter((f) => f.endsWith('.json'))) cpSync(join(source, file), join(target, file));
