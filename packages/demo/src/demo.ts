/**
 * The demo: the emulator with sample media, and Node-RED with every package loaded and the
 * example flows deployed against it. Used by `npm start` (cli.ts) and by the end-to-end tests.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CiClient } from '@node-red-tencent-ci/core';
import { startEmulator, type Emulator } from '@node-red-tencent-ci/emulator';
import { deployAndStart, type FlowNode } from './admin';
import { demoFlows, loadExampleFlows } from './flows';
import { DEMO_OBJECTS, prepareDemoBucket } from './media';
import { preferDebugSidebar, prepareUserDir, startNodeRed, type NodeRedProcess } from './node-red';

export const DEMO_CREDENTIALS = { secretId: 'AKIDdemoEmulatorOnly0000', secretKey: 'demo-emulator-only-secret-key' } as const;
export const DEMO_BUCKET = 'examplebucket-1250000000';
export const DEMO_REGION = 'ap-guangzhou';

export interface DemoOptions {
  /** The repository root (examples are read from here). */
  repoRoot: string;
  /** Where the demo keeps its state: emulator bucket folder, Node-RED user dir. */
  dir: string;
  nodeRedPort?: number;
  emulatorPort?: number;
  /** Start from scratch: delete `dir` first. */
  reset?: boolean;
  /** Deploy the example flows even when the user dir already has flows. */
  redeploy?: boolean;
  log?: (line: string) => void;
  /** Node-RED's own output. */
  onNodeRedLine?: (line: string) => void;
  /** Emulator options for tests (e.g. a start delay). */
  emulator?: { startDelayMs?: number; log?: (line: string) => void };
}

export interface Demo {
  emulator: Emulator;
  nodeRed: NodeRedProcess;
  userDir: string;
  /** The flows deployed this start (undefined when the user dir's own flows were kept). */
  deployed?: FlowNode[];
  /** Starts Node-RED again on the same user dir (after a stop or kill). */
  restartNodeRed(): Promise<NodeRedProcess>;
  stop(): Promise<void>;
}

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const log = options.log ?? (() => {});
  const dir = resolve(options.dir);
  if (options.reset) rmSync(dir, { recursive: true, force: true });
  const emulatorRoot = join(dir, 'emulator');
  const userDir = join(dir, 'node-red');
  prepareDemoBucket(emulatorRoot, DEMO_BUCKET, log);

  const port = options.nodeRedPort ?? 1880;
  const nodeRedUrl = `http://127.0.0.1:${port}`;
  const flowsFile = join(userDir, 'flows.json');
  const deploy = !existsSync(flowsFile) || options.redeploy === true;
  const secrets = demoSecrets(dir);

  // No queue-level callback URL: a job reports to a callback-in node only when its own
  // Callback URL names it, so each example tab shows its own results and nothing else.
  const emulator = await startEmulator({
    host: '127.0.0.1',
    port: options.emulatorPort ?? 9100,
    root: emulatorRoot,
    bucket: DEMO_BUCKET,
    region: DEMO_REGION,
    ...DEMO_CREDENTIALS,
    ...options.emulator,
  });
  log(`emulator: ${emulator.url} (bucket ${emulator.bucket}, folder ${join(emulatorRoot, emulator.bucket)}; ${emulator.tools.source})`);

  prepareUserDir(userDir, { credentialSecret: secrets.credentialSecret });
  preferDebugSidebar(userDir);
  const start = () => startNodeRed({ userDir, port, onLine: options.onNodeRedLine });
  let nodeRed: NodeRedProcess | undefined;
  let deployed: FlowNode[] | undefined;
  try {
    // Before Node-RED reads the kept flows: their sample JobId must be one this emulator knows.
    if (!deploy) await refreshSampleJob({ dir, flowsFile, known: (id) => emulator.job(id) !== undefined, submit: () => submitSampleJob(emulator), log });
    nodeRed = await start();
    if (deploy) {
      const sampleJobId = await submitSampleJob(emulator);
      deployed = demoFlows(loadExampleFlows(options.repoRoot), {
        emulatorUrl: emulator.url,
        bucket: emulator.bucket,
        region: emulator.region,
        ...DEMO_CREDENTIALS,
        nodeRedUrl,
        callbackToken: secrets.callbackToken,
        sampleJobId,
      });
      await deployAndStart(nodeRed, deployed);
      writeDemoState(dir, { ...readDemoState(dir), sampleJobId });
      log(`deployed ${deployed.filter((n) => n.type === 'tab').length} example flows`);
    } else {
      log(`kept the flows in ${userDir} (npm start -- --reset starts over)`);
    }
  } catch (err) {
    await nodeRed?.kill();
    await emulator.close();
    throw err;
  }

  const demo: Demo = {
    emulator,
    nodeRed: nodeRed!,
    userDir,
    deployed,
    async restartNodeRed() {
      demo.nodeRed = await start();
      return demo.nodeRed;
    },
    async stop() {
      await demo.nodeRed.stop();
      await emulator.close();
    },
  };
  return demo;
}

/** Secrets the demo keeps between starts (the callback token must match the deployed flows). */
function demoSecrets(dir: string): { callbackToken: string; credentialSecret: string } {
  const file = join(dir, 'demo-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const secrets = { callbackToken: randomBytes(12).toString('hex'), credentialSecret: randomBytes(16).toString('hex') };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/** What the demo remembers between starts besides its secrets (demo-state.json beside demo-secrets.json). */
interface DemoState {
  /** The JobId the demo put into the wait example's inject node (see submitSampleJob). */
  sampleJobId?: string;
}

const stateFile = (dir: string) => join(dir, 'demo-state.json');

export function readDemoState(dir: string): DemoState {
  const file = stateFile(dir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoState) : {};
}

function writeDemoState(dir: string, state: DemoState): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(stateFile(dir), `${JSON.stringify(state, null, 2)}\n`);
}

interface SampleJobCheck {
  /** The demo's state folder (demo-state.json). */
  dir: string;
  /** The kept flows.json (Node-RED not running). */
  flowsFile: string;
  /** Whether the emulator answers for this JobId. */
  known(jobId: string): boolean;
  /** Submits a new sample job and resolves with its JobId. */
  submit(): Promise<string>;
  log?: (line: string) => void;
}

/**
 * On a start that keeps the flows: makes sure the sample JobId they hold (the one remembered
 * in demo-state.json) is one the emulator answers, whether or not the emulator kept its jobs
 * (a new emulator folder has none). If it does not, submits a new sample job and writes its
 * JobId into flows.json wherever the old one was, and remembers it. A remembered JobId the
 * flows no longer hold (the user changed them) is forgotten and the flows are left alone.
 * Resolves with the sample JobId the flows hold, if any.
 */
export async function refreshSampleJob(check: SampleJobCheck): Promise<string | undefined> {
  const state = readDemoState(check.dir);
  const old = state.sampleJobId;
  if (!old || !existsSync(check.flowsFile)) return undefined;
  const flows = JSON.parse(readFileSync(check.flowsFile, 'utf8')) as unknown;
  if (!holds(flows, old)) {
    writeDemoState(check.dir, { ...state, sampleJobId: undefined });
    return undefined;
  }
  if (check.known(old)) return old;
  const fresh = await check.submit();
  const places = replaceString(flows, old, fresh);
  // As Node-RED writes it with flowFilePretty (settingsFile).
  writeFileSync(check.flowsFile, JSON.stringify(flows, null, 4));
  writeDemoState(check.dir, { ...state, sampleJobId: fresh });
  check.log?.(`the emulator does not know the sample job ${old}: submitted ${fresh} and put it in the kept flows (${places} place${places === 1 ? '' : 's'})`);
  return fresh;
}

/** Whether `value` holds the string `s` anywhere (as a value, not a key). */
function holds(value: unknown, s: string): boolean {
  if (value === s) return true;
  if (value && typeof value === 'object') return Object.values(value).some((v) => holds(v, s));
  return false;
}

/** Replaces every string value equal to `from` in `value` (in place) by `to`; returns how many. */
function replaceString(value: unknown, from: string, to: string): number {
  if (!value || typeof value !== 'object') return 0;
  let count = 0;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (record[key] === from) {
      record[key] = to;
      count += 1;
    } else count += replaceString(record[key], from, to);
  }
  return count;
}

/** A finished MediaInfo job, so the wait node's example has a real JobId to wait for. */
async function submitSampleJob(emulator: Emulator): Promise<string> {
  const client = new CiClient({ ...DEMO_CREDENTIALS, bucket: emulator.bucket, region: emulator.region, endpoint: emulator.url });
  try {
    const res = await client.submit('MediaInfo', { Input: { Object: DEMO_OBJECTS.clean }, CallBack: 'no' });
    return res.JobsDetail.JobId;
  } finally {
    await client.close();
  }
}
