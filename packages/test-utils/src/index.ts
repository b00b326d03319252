/**
 * What the node packages' tests share: an emulator on loopback with sample media in its
 * bucket, the config node for it, and Node-RED's test helper.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { makeSampleClip, startEmulator, type Emulator, type EmulatorOptions } from '@node-red-tencent-ci/emulator';

export const SECRET_ID = 'AKIDnodetest';
export const SECRET_KEY = 'node-test-secret-key-0123456789';
export const BUCKET = 'examplebucket-1250000000';
export const REGION = 'ap-guangzhou';

/** A short clip with a test pattern and a tone, made by ffmpeg (nothing binary is committed). */
export function makeClip(file: string, seconds = 2, size = '320x240'): void {
  makeSampleClip(file, { seconds, size, rate: 10 });
}

const clipCache = new Map<string, string>();

/** Puts a sample clip at `key` in the emulator's bucket (generated once per process). */
export function putClip(emulator: Emulator, key: string, seconds = 2): void {
  const cacheKey = String(seconds);
  let source = clipCache.get(cacheKey);
  if (!source || !existsSync(source)) {
    source = join(mkdtempSync(join(tmpdir(), 'tci-clip-')), 'clip.mp4');
    makeClip(source, seconds);
    clipCache.set(cacheKey, source);
  }
  const target = join(emulator.root, emulator.bucket, key);
  mkdirSync(dirname(target), { recursive: true });
  execFileSync('cp', [source, target]);
}

/** Writes a scripted VideoTag/VideoTargetRec result beside `key`. */
export function putScript(emulator: Emulator, key: string, script: unknown): void {
  const target = join(emulator.root, emulator.bucket, `${key}.ci-result.json`);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, JSON.stringify(script));
}

export function startTestEmulator(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return startEmulator({
    secretId: SECRET_ID,
    secretKey: SECRET_KEY,
    bucket: BUCKET,
    region: REGION,
    root: mkdtempSync(join(tmpdir(), 'tci-node-test-')),
    ...options,
  });
}

/** The config node of a test flow, pointing at the emulator, and its credentials for helper.load. */
export function configNode(emulator: Emulator, id = 'cfg', extra: Record<string, unknown> = {}) {
  return {
    node: {
      id,
      type: 'tencent-ci-config',
      name: 'emulator',
      bucket: emulator.bucket,
      region: emulator.region,
      endpoint: emulator.url,
      timeout: 10,
      minInterval: 0.05,
      maxInterval: 0.2,
      ...extra,
    },
    credentials: { [id]: { secretId: SECRET_ID, secretKey: SECRET_KEY } },
  };
}

/** Resolves with the next message a helper node receives (rejects after `ms`). */
export function nextMessage(node: { on(event: 'input', cb: (msg: any) => void): void }, ms = 20_000): Promise<any> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message within ${ms} ms`)), ms);
    node.on('input', (msg) => {
      clearTimeout(timer);
      resolve(msg);
    });
  });
}

export type { Emulator };

/** Node-RED's own Catch node module, for tests that check errors reach Catch. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const catchNode = require('@node-red/nodes/core/common/25-catch.js');
