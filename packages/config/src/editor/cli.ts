#!/usr/bin/env node
/**
 * `node <config>/dist/editor/cli.js <Tag>`: build a job node's editor assets in the current
 * package (the job package's folder). The node type is core's `nodeTypeOf(tag)`.
 */
import { join } from 'node:path';
import { isJobTag, JOB_TAGS, nodeTypeOf } from '@node-red-tencent-ci/core';
import { buildJobEditor } from './build-html';

const args = process.argv.slice(2);
// The older form `<type> <Tag>` is still accepted when the type is the Tag's own.
const tag = args.length === 2 && args[0] === nodeTypeOf(args[1]!) ? args[1] : args.length === 1 ? args[0] : undefined;
if (!isJobTag(tag)) {
  console.error(`usage: build-editor <${JOB_TAGS.join('|')}>`);
  process.exit(2);
}
buildJobEditor({ type: nodeTypeOf(tag), tag, packageDir: process.cwd(), configDir: join(__dirname, '..', '..') });
