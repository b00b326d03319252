#!/usr/bin/env node
/** `node <config>/dist/editor/cli.js <type> <Tag>`: build a job node's editor assets in the current package. */
import { join } from 'node:path';
import { isJobTag } from '@node-red-tencent-ci/core';
import { buildJobEditor } from './build-html';

const [type, tag] = process.argv.slice(2);
if (!type || !isJobTag(tag)) {
  console.error('usage: build-editor <node-type> <MediaInfo|Snapshot|QualityEstimate|VideoTag|VideoTargetRec>');
  process.exit(2);
}
buildJobEditor({ type, tag, packageDir: process.cwd(), configDir: join(__dirname, '..', '..') });
