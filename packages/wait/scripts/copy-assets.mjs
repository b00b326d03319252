// Copies the wait node's editor HTML, help pages, locales and icons next to the compiled
// node file. Each dist catalog is the package's own strings (wait.*) merged over the
// shared `common` section of the config package's job-common.json (status texts the
// StatusTracker uses, output labels, editor labels), so those strings live in one place.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPE = 'tencent-ci-wait';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const configDir = dirname(createRequire(import.meta.url).resolve('@node-red-tencent-ci/config/package.json'));
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

mkdirSync(dist, { recursive: true });
cpSync(join(root, 'src', `${TYPE}.html`), join(dist, `${TYPE}.html`));
for (const lang of ['en-US', 'zh-CN']) {
  const out = join(dist, 'locales', lang);
  mkdirSync(out, { recursive: true });
  const own = readJson(join(root, 'locales', lang, `${TYPE}.json`));
  const shared = readJson(join(configDir, 'locales', lang, 'job-common.json'));
  writeFileSync(join(out, `${TYPE}.json`), `${JSON.stringify({ common: shared.common, ...own }, null, 2)}\n`);
  cpSync(join(root, 'locales', lang, `${TYPE}.html`), join(out, `${TYPE}.html`));
}
cpSync(join(configDir, 'icons'), join(dist, 'icons'), { recursive: true });
