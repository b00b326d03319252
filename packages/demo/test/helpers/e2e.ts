/**
 * The end-to-end setup: the demo (emulator in this process, Node-RED as its own process) in
 * a temp folder on free loopback ports, with every example flow deployed and its debug
 * nodes tapped.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deployAndStart, freePort, inject, startDemo, type Demo, type DemoOptions, type FlowNode } from '../../src';
import { tapDebugNodes, waitForTap, readTap, type Tapped } from './taps';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

export interface E2E {
  demo: Demo;
  dir: string;
  tapsDir: string;
  flows: FlowNode[];
  /** Clicks an inject node. */
  click(injectId: string): Promise<void>;
  /** What a debug node has shown (waits for `count` messages). */
  shown(debugId: string, count?: number, timeoutMs?: number): Promise<Tapped[]>;
  /** What a debug node has shown so far. */
  shownNow(debugId: string): Tapped[];
  /** A node of the deployed flows by type and name (names are unique on a tab). */
  node(tab: string, type: string, name?: string): FlowNode;
  close(): Promise<void>;
}

export async function startE2E(options: Partial<DemoOptions> = {}): Promise<E2E> {
  const dir = mkdtempSync(join(tmpdir(), 'tci-e2e-'));
  const tapsDir = join(dir, 'taps');
  mkdirSync(tapsDir);
  const demo = await startDemo({ repoRoot: REPO_ROOT, dir: join(dir, 'demo'), nodeRedPort: await freePort(), emulatorPort: 0, ...options });
  const flows = tapDebugNodes(demo.deployed!, tapsDir);
  await deployAndStart(demo.nodeRed, flows);
  const tabOf = (label: string) => {
    const tab = flows.find((n) => n.type === 'tab' && n.label === label);
    if (!tab)
      throw new Error(
        `no tab "${label}" in the deployed flows (tabs: ${flows
          .filter((n) => n.type === 'tab')
          .map((n) => n.label)
          .join(', ')})`,
      );
    return tab.id;
  };
  return {
    demo,
    dir,
    tapsDir,
    flows,
    click: (id) => inject(demo.nodeRed.url, id),
    shown: (id, count, timeoutMs) => waitForTap(tapsDir, id, count, timeoutMs),
    shownNow: (id) => readTap(tapsDir, id),
    node(tab, type, name) {
      const z = tabOf(tab);
      const found = flows.filter((n) => n.z === z && n.type === type && (name === undefined || n.name === name));
      if (found.length !== 1) throw new Error(`${found.length} ${type} nodes named ${JSON.stringify(name)} on tab "${tab}"`);
      return found[0]!;
    },
    async close() {
      await demo.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
