/** Node-RED's admin HTTP API, as the editor uses it (no adminAuth in the demo and tests). */

export interface FlowNode {
  id: string;
  type: string;
  z?: string;
  [prop: string]: unknown;
}

async function call(url: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const { json, ...rest } = init;
  const res = await fetch(url, {
    ...rest,
    headers: {
      ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
      'Node-RED-API-Version': 'v2',
      ...(rest.headers as Record<string, string> | undefined),
    },
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });
  if (!res.ok) throw new Error(`${rest.method ?? 'GET'} ${url}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

/** The deployed flows (v2: `{ rev, flows }`). */
export async function getFlows(base: string): Promise<{ rev: string; flows: FlowNode[] }> {
  return (await call(`${base}/flows`)).json() as Promise<{ rev: string; flows: FlowNode[] }>;
}

/** What a deploy restarts: everything, the flows that changed, or the nodes that changed (the editor's Deploy menu). */
export type DeploymentType = 'full' | 'flows' | 'nodes';

/**
 * Deploys `flows` as the whole configuration (a full deploy unless `type` says otherwise).
 * Nodes may carry `credentials`, which Node-RED moves into its encrypted credentials file.
 */
export async function deployFlows(base: string, flows: FlowNode[], type: DeploymentType = 'full'): Promise<string> {
  const res = await call(`${base}/flows`, { method: 'POST', json: { flows }, headers: { 'Node-RED-Deployment-Type': type } });
  return ((await res.json()) as { rev: string }).rev;
}

const STARTED = /^.*Started (?:modified )?(?:flows|nodes)$/gm;

/**
 * Deploys `flows` and waits until Node-RED has started them: the API answers before the
 * nodes run, so an inject right after a deploy could miss its node.
 */
export async function deployAndStart(
  nodeRed: { url: string; output(): string },
  flows: FlowNode[],
  timeoutMs = 30_000,
  type: DeploymentType = 'full',
): Promise<string> {
  const started = () => nodeRed.output().match(STARTED)?.length ?? 0;
  const before = started();
  const rev = await deployFlows(nodeRed.url, flows, type);
  const deadline = Date.now() + timeoutMs;
  while (started() <= before) {
    if (Date.now() > deadline) throw new Error(`Node-RED did not start the deployed flows within ${timeoutMs} ms:\n${nodeRed.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return rev;
}

/**
 * Adds one tab with its nodes beside the deployed flows (`POST /flow`), leaving the other
 * tabs running; Node-RED gives the tab an id of its own, which this resolves with.
 */
export async function addFlow(base: string, flow: { label: string; nodes: FlowNode[]; configs?: FlowNode[] }): Promise<string> {
  const res = await call(`${base}/flow`, { method: 'POST', json: { configs: [], ...flow } });
  return ((await res.json()) as { id: string }).id;
}

/** Removes one tab and its nodes (`DELETE /flow/:id`). */
export async function removeFlow(base: string, id: string): Promise<void> {
  await call(`${base}/flow/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Clicks an inject node's button. */
export async function inject(base: string, nodeId: string): Promise<void> {
  await call(`${base}/inject/${nodeId}`, { method: 'POST' });
}

/** One node set as `GET /nodes` lists it. */
export interface NodeSetInfo {
  id: string;
  module: string;
  name: string;
  types: string[];
  enabled: boolean;
  /** Why it failed to load, if it did. */
  err?: string;
}

/** `GET /nodes` (JSON): the node sets Node-RED loaded, as the editor is told about them. */
export async function nodeList(base: string): Promise<NodeSetInfo[]> {
  return (await call(`${base}/nodes`, { headers: { accept: 'application/json' } })).json() as Promise<NodeSetInfo[]>;
}
