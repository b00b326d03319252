/**
 * A Node-RED process with one tab of 50-job fan-outs, against an emulator in this process:
 * - "go jobs" → 50 msgs → a video tag node in "when the job ends" mode ("tagger");
 * - "go waits" → 50 msgs → a video tag node that only submits → a wait node ("waiter").
 * Every output ends in a debug node, tapped to a file (see taps.ts), so the tests read
 * exactly what reached the debug sidebar, written by the real flows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '@node-red-tencent-ci/emulator';
import { deployAndStart, freePort, inject, prepareUserDir, startNodeRed, type DeploymentType, type FlowNode, type NodeRedProcess } from '../../src';
import { readTap, tapDebugNodes, type Tapped } from './taps';
import { emulatorConfig, savedWaits, startClipEmulator, waitOnJobId, type Account } from './tracking-parts';

export { until } from './tracking-parts';

export const FAN_OUT = 50;
const ACCOUNT: Account = {
  secretId: 'AKIDtrackingE2E000000',
  secretKey: 'tracking-e2e-secret-key-0000',
  bucket: 'examplebucket-1250000000',
  region: 'ap-guangzhou',
};
export const TAB = 'tab-tracking';

export interface Rig {
  emulator: Emulator;
  nodeRed: NodeRedProcess;
  userDir: string;
  flows: FlowNode[];
  /** Clicks an inject node by id. */
  click(id: string): Promise<void>;
  tap(debugId: string): Tapped[];
  /** The waits a node keeps in the file context store (localfilesystem: context/<flow>/<node>.json). */
  saved(nodeId: string): Array<{ jobId: string; delivered?: string }>;
  deploy(flows: FlowNode[], type: DeploymentType): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

function fanOut(id: string, wire: string, y: number): FlowNode {
  return {
    id,
    type: 'function',
    z: TAB,
    name: `fan out ${id}`,
    outputs: 1,
    x: 300,
    y,
    wires: [[wire]],
    func: `for (let i = 0; i < ${FAN_OUT}; i++) node.send({ payload: 'input/clip.mp4', topic: '${id}-' + i });\nreturn null;`,
  };
}

function debug(id: string, y: number): FlowNode {
  return { id, type: 'debug', z: TAB, name: id, active: true, tosidebar: true, console: false, complete: 'true', targetType: 'full', x: 800, y, wires: [] };
}

/** The flows: job node and wait node chains, each ending in debug nodes, plus a catch. */
export function trackingFlows(emulatorUrl: string): FlowNode[] {
  const videoTag = {
    type: 'tencent-ci-video-tag',
    z: TAB,
    config: 'cfg',
    input: 'payload',
    inputType: 'msg',
    paramsMode: 'inline',
    TemplateId: '',
    cancelOnTimeout: false,
    blockOverrides: false,
    VideoTag_Scenario: 'Stream',
    CallBack: 'no',
  };
  return [
    { id: TAB, type: 'tab', label: 'Durable tracking' },
    { id: 'note', type: 'comment', z: TAB, name: 'durable tracking', x: 100, y: 20, wires: [] },
    emulatorConfig(emulatorUrl, ACCOUNT, { minInterval: 0.5, maxInterval: 1 }),
    { id: 'go-jobs', type: 'inject', z: TAB, name: 'go jobs', props: [], repeat: '', once: false, x: 100, y: 100, wires: [['fan-jobs']] },
    fanOut('fan-jobs', 'tagger', 100),
    { id: 'tagger', name: 'tagger', wait: 'result', timeout: 0, outputs: 2, x: 500, y: 100, wires: [['job-ok'], ['job-bad']], ...videoTag },
    debug('job-ok', 80),
    debug('job-ok-2', 60),
    debug('job-bad', 120),
    { id: 'go-waits', type: 'inject', z: TAB, name: 'go waits', props: [], repeat: '', once: false, x: 100, y: 200, wires: [['fan-waits']] },
    fanOut('fan-waits', 'submitter', 200),
    { id: 'submitter', name: 'submitter', wait: 'none', timeout: 0, outputs: 1, x: 500, y: 200, wires: [['waiter']], ...videoTag },
    waitOnJobId({ id: 'waiter', z: TAB, name: 'waiter', x: 650, y: 200, wires: [['wait-ok'], ['wait-bad']] }),
    debug('wait-ok', 180),
    debug('wait-bad', 220),
    { id: 'catch', type: 'catch', z: TAB, name: '', scope: null, uncaught: false, x: 100, y: 300, wires: [['errors']] },
    debug('errors', 300),
  ];
}

export async function startRig(options: { startDelayMs: number; fileStore: boolean }): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'tci-tracking-'));
  const emulator = await startClipEmulator(join(dir, 'emulator'), ACCOUNT, options.startDelayMs);
  const userDir = join(dir, 'node-red');
  // Node-RED's default context (memory, nothing configured), or a file store that writes through.
  prepareUserDir(userDir, { credentialSecret: 'tracking-e2e', extra: options.fileStore ? {} : { contextStorage: undefined } });
  const port = await freePort();
  const start = () => startNodeRed({ userDir, port });
  const tapsDir = join(dir, 'taps');
  const flows = tapDebugNodes(trackingFlows(emulator.url), tapsDir);
  const rig: Rig = {
    emulator,
    nodeRed: await start(),
    userDir,
    flows,
    click: (id) => inject(rig.nodeRed.url, id),
    tap: (id) => readTap(tapsDir, id),
    saved: (nodeId) => savedWaits(userDir, TAB, nodeId),
    async deploy(next, type) {
      await deployAndStart(rig.nodeRed, next, 30_000, type);
    },
    async restart() {
      rig.nodeRed = await start();
    },
    async close() {
      await rig.nodeRed.stop();
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await rig.deploy(flows, 'full');
  return rig;
}
