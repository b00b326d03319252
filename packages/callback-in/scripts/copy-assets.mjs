// Copies the editor HTML, the locales (messages and help) and the shared icon next to the compiled node file.
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });
cpSync(join(root, 'src', 'tencent-ci-callback-in.html'), join(dist, 'tencent-ci-callback-in.html'));
for (const lang of readdirSync(join(root, 'locales'))) {
  mkdirSync(join(dist, 'locales', lang), { recursive: true });
  for (const file of readdirSync(join(root, 'locales', lang))) {
    cpSync(join(root, 'locales', lang, file), join(dist, 'locales', lang, file));
  }
}
const icons = join(root, '..', 'config', 'icons');
if (!existsSync(icons)) throw new Error(`No icons at ${icons}: the config package's icons folder is needed`);
cpSync(icons, join(dist, 'icons'), { recursive: true });
