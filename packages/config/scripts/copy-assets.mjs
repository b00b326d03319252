// Copies the config node's editor HTML, locales and icons next to the compiled node file.
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });
cpSync(join(root, 'src', 'tencent-ci-config.html'), join(dist, 'tencent-ci-config.html'));
for (const lang of ['en-US', 'zh-CN']) {
  mkdirSync(join(dist, 'locales', lang), { recursive: true });
  for (const file of ['tencent-ci-config.json', 'tencent-ci-config.html']) {
    cpSync(join(root, 'locales', lang, file), join(dist, 'locales', lang, file));
  }
}
cpSync(join(root, 'icons'), join(dist, 'icons'), { recursive: true });
