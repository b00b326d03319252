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
import { callbackUrl, demoFlows, loadExampleFlows, QUEUE_CALLBACK_PATH } from './flows';
import { DEMO_OBJECTS, prepareDemoBucket } from './media';
import { prepareUserDir, startNodeRed, type NodeRedProcess } from './node-red';

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
  const firstStart = !existsSync(join(userDir, 'flows.json'));
  const secrets = demoSecrets(dir);

  // Jobs that name no callback URL report to the "Receive job callbacks" example, as a
  // queue-level callback would.
  const emulator = await startEmulator({
    host: '127.0.0.1',
    port: options.emulatorPort ?? 9100,
    root: emulatorRoot,
    bucket: DEMO_BUCKET,
    region: DEMO_REGION,
    ...DEMO_CREDENTIALS,
    callbackUrl: callbackUrl({ nodeRedUrl, callbackToken: secrets.callbackToken }, QUEUE_CALLBACK_PATH),
    ...options.emulator,
  });
  log(`emulator: ${emulator.url} (bucket ${emulator.bucket}, folder ${join(emulatorRoot, emulator.bucket)}; ${emulator.tools.source})`);

  prepareUserDir(userDir, { credentialSecret: secrets.credentialSecret });
  const start = () => startNodeRed({ userDir, port, onLine: options.onNodeRedLine });
  let nodeRed: NodeRedProcess | undefined;
  let deployed: FlowNode[] | undefined;
  try {
    nodeRed = await start();
    if (firstStart || options.redeploy) {
      deployed = demoFlows(loadExampleFlows(options.repoRoot), {
        emulatorUrl: emulator.url,
        bucket: emulator.bucket,
        region: emulator.region,
        ...DEMO_CREDENTIALS,
        nodeRedUrl,
        callbackToken: secrets.callbackToken,
        sampleJobId: await submitSampleJob(emulator),
      });
      await deployAndStart(nodeRed, deployed);
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
