#!/usr/bin/env node
/** `node <config>/dist/editor/assets-cli.js <type> [--common]`: copy a hand-written node's editor assets into `dist/` (see assets.ts). */
import { join } from 'node:path';
import { copyNodeAssets, withCommon } from './assets';

const [type, ...flags] = process.argv.slice(2);
if (!type) {
  console.error('usage: assets-cli <node-type> [--common]   (--common merges the shared status and editor strings into the catalog)');
  process.exit(2);
}
const configDir = join(__dirname, '..', '..');
copyNodeAssets({ type, packageDir: process.cwd(), configDir, catalog: flags.includes('--common') ? withCommon(configDir) : undefined });
