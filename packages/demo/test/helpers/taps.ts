/**
 * Taps on the example flows' debug nodes: beside each debug node, a function node and a
 * file-out node (both Node-RED core nodes) that append what that debug node shows to
 * `<dir>/<debugId>.jsonl`. The tests read those files: they see what a user sees in the debug
 * sidebar, written by the real flow in the real Node-RED process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowNode } from '../../src';

export function tapDebugNodes(flows: FlowNode[], dir: string): FlowNode[] {
  const out = flows.map((n) => ({ ...n }));
  const added: FlowNode[] = [];
  for (const debug of flows.filter((n) => n.type === 'debug')) {
    const fnId = `tap-fn-${debug.id}`;
    const fileId = `tap-file-${debug.id}`;
    const path = debug.targetType === 'full' || debug.complete === 'true' ? '' : String(debug.complete || 'payload');
    added.push({
      id: fnId,
      type: 'function',
      z: debug.z,
      name: `tap ${debug.name ?? debug.id}`,
      func: `const value = ${JSON.stringify(path)} ? RED.util.getMessageProperty(msg, ${JSON.stringify(path)}) : msg;\nreturn { payload: JSON.stringify({ value, jobId: msg.jobId, ci: msg.ci, at: Date.now() }) };`,
      outputs: 1,
      x: Number(debug.x ?? 0) + 40,
      y: Number(debug.y ?? 0) + 20,
      wires: [[fileId]],
    });
    added.push({
      id: fileId,
      type: 'file',
      z: debug.z,
      name: '',
      filename: join(dir, `${debug.id}.jsonl`),
      filenameType: 'str',
      appendNewline: true,
      createDir: true,
      overwriteFile: 'false',
      encoding: 'utf8',
      x: Number(debug.x ?? 0) + 80,
      y: Number(debug.y ?? 0) + 40,
      wires: [[]],
    });
    for (const node of out) {
      if (!Array.isArray(node.wires)) continue;
      node.wires = (node.wires as string[][]).map((port) => (port.includes(debug.id) ? [...port, fnId] : port));
    }
  }
  return [...out, ...added];
}

export interface Tapped {
  value: any;
  jobId?: string;
  ci?: any;
  at: number;
}

export function readTap(dir: string, debugId: string): Tapped[] {
  const file = join(dir, `${debugId}.jsonl`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Tapped);
}

/** Resolves with the tap's lines once it has at least `count`. */
export async function waitForTap(dir: string, debugId: string, count = 1, timeoutMs = 30_000): Promise<Tapped[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = readTap(dir, debugId);
    if (lines.length >= count) return lines;
    if (Date.now() > deadline) throw new Error(`debug node ${debugId} showed ${lines.length} message(s), expected ${count}, within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
