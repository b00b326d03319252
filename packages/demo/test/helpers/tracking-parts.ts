/**
 * What the tracking tests (tracking-rig.ts) and the tracking bench (bench/tracking.ts) both
 * build: an emulator in this process holding one sample clip, the config node that points at
 * it, a wait node that takes its job id from msg.jobId, and a poll until something holds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSampleClip, startEmulator, type Emulator } from '@node-red-tencent-ci/emulator';
import type { FlowNode } from '../../src';

export interface Account {
  secretId: string;
  secretKey: string;
  bucket: string;
  region: string;
}

/**
 * An emulator on loopback with input/clip.mp4 under `<root>/<bucket>`; each job stays
 * Submitted for `startDelayMs`. `persistJobs: false` (the bench) keeps its jobs in memory.
 */
export async function startClipEmulator(root: string, account: Account, startDelayMs: number, options: { persistJobs?: boolean } = {}): Promise<Emulator> {
  makeSampleClip(join(root, account.bucket, 'input', 'clip.mp4'), { seconds: 1, size: '160x120', rate: 5 });
  return startEmulator({ host: '127.0.0.1', port: 0, root, ...account, startDelayMs, ...options });
}

/** The config node "cfg" ("emulator"), polling between `minInterval` and `maxInterval` seconds. */
export function emulatorConfig(emulatorUrl: string, account: Account, poll: { minInterval: number; maxInterval: number }): FlowNode {
  const { secretId, secretKey, bucket, region } = account;
  return {
    id: 'cfg',
    type: 'tencent-ci-config',
    name: 'emulator',
    bucket,
    region,
    endpoint: emulatorUrl,
    timeout: 10,
    ...poll,
    credentials: { secretId, secretKey },
  };
}

/** A wait node on "cfg" with no timeout and the default store, for the job id in msg.jobId. */
export function waitOnJobId(node: { id: string; z: string; wires: string[][]; [prop: string]: unknown }): FlowNode {
  return { type: 'tencent-ci-wait', config: 'cfg', jobId: '', jobIdType: 'msg', timeout: 0, cancelOnTimeout: false, store: '', ...node };
}

/** The waits a node keeps in the file context store (localfilesystem: context/<flow>/<node>.json). */
export function savedWaits(userDir: string, flowId: string, nodeId: string): Array<{ jobId: string; delivered?: string }> {
  const file = join(userDir, 'context', flowId, `${nodeId}.json`);
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8').trim();
  return text ? ((JSON.parse(text) as { pending?: Array<{ jobId: string; delivered?: string }> }).pending ?? []) : [];
}

/** Polls `fn` every `intervalMs` until it returns something truthy, and returns that. */
export async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
