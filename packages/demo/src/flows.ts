/**
 * The example flows as the demo deploys them: every root example and every package's
 * examples, each on its own tab (the one-job examples first), with their config nodes
 * replaced by one config node that points at the demo emulator, and the callback example's
 * job node pointed at the demo's callback-in URL.
 */
import { readFileSync } from 'node:fs';
import type { JobTag } from '@node-red-tencent-ci/core';
import type { FlowNode } from './admin';
import { scanWorkspace } from './workspace';

export interface ExampleFlow {
  /** Where it ships: "examples" (the repository's, shipped by the all package) or a package folder name. */
  owner: string;
  file: string;
  nodes: FlowNode[];
  /** The job type of the package that ships it, for a job package's example. */
  jobTag?: JobTag;
}

/**
 * Every example flow of the repository: the root examples/ (shipped by the umbrella package)
 * and each node package's examples/, as the workspace scan (./workspace.ts) finds them.
 */
export function loadExampleFlows(repoRoot: string): ExampleFlow[] {
  const workspace = scanWorkspace(repoRoot);
  return workspace.examples.map(({ pkg, file, path }) => ({
    owner: pkg === workspace.umbrella ? 'examples' : pkg.folder,
    file,
    nodes: JSON.parse(readFileSync(path, 'utf8')) as FlowNode[],
    ...(pkg.jobTag ? { jobTag: pkg.jobTag } : {}),
  }));
}

export interface DemoSettings {
  emulatorUrl: string;
  bucket: string;
  region: string;
  secretId: string;
  secretKey: string;
  /** Node-RED's base URL as the emulator reaches it (for job callbacks). */
  nodeRedUrl: string;
  /** The callback-in nodes' token. */
  callbackToken: string;
  /** A JobId for inject nodes that ask for one to be pasted in. */
  sampleJobId?: string;
}

/**
 * The path of the callback-in node in @node-red-tencent-ci/callback-in's example ("Receive
 * job callbacks"): it shows the callbacks of jobs whose Callback URL names this path, and no
 * others (the demo's emulator has no queue-level callback URL).
 */
export const QUEUE_CALLBACK_PATH = 'example-jobs';
/** What an example's inject node holds where the user should paste a JobId. */
const JOBID_PLACEHOLDER = 'paste-a-JobId-here';

/**
 * The demo's tab order after the one-job examples (which come first, in JOB_TAGS order, so
 * the editor opens on the simplest one: one click, one result): the flows that combine
 * nodes, by tab label. Examples not named here follow, in the order the scan found them.
 */
export const TAB_ORDER = [
  'Video pipeline',
  'Media dashboard',
  'Submit, then wait',
  'Wait for a job',
  'Job callbacks',
  'Receive job callbacks',
  'Errors and Catch',
  'Cancel on timeout',
];

const tabLabel = (example: ExampleFlow) => String(example.nodes.find((n) => n.type === 'tab')?.label ?? '');

/** The examples in the demo's tab order: the job packages' one-job examples first, then TAB_ORDER, then the rest. */
function demoOrder(examples: ExampleFlow[]): ExampleFlow[] {
  const rank = (example: ExampleFlow) => {
    // A job package's first example, "<Tag> with wait for result"; its others (One frame at once) go with the rest.
    if (example.jobTag && tabLabel(example) === `${example.jobTag} with wait for result`) return -1;
    const i = TAB_ORDER.indexOf(tabLabel(example));
    return i === -1 ? TAB_ORDER.length : i;
  };
  return examples
    .map((example, index) => ({ example, index }))
    .sort((a, b) => rank(a.example) - rank(b.example) || a.index - b.index)
    .map(({ example }) => example);
}

export const DEMO_CONFIG_ID = 'tencent-ci-demo-cfg';

/**
 * One deployable flow set: the examples' nodes (ids kept, so tests can find them) in the
 * demo's tab order, one shared config node with the demo credentials, and callbacks wired to
 * callback-in.
 */
export function demoFlows(examples: ExampleFlow[], demo: DemoSettings): FlowNode[] {
  const out: FlowNode[] = [
    {
      id: DEMO_CONFIG_ID,
      type: 'tencent-ci-config',
      name: 'demo emulator',
      bucket: demo.bucket,
      region: demo.region,
      endpoint: demo.emulatorUrl,
      timeout: 30,
      minInterval: 1,
      maxInterval: 5,
      credentials: { secretId: demo.secretId, secretKey: demo.secretKey },
    },
  ];
  const seen = new Set<string>([DEMO_CONFIG_ID]);
  for (const example of demoOrder(examples)) {
    const configIds = new Set(example.nodes.filter((n) => n.type === 'tencent-ci-config').map((n) => n.id));
    const callbackIn = example.nodes.find((n) => n.type === 'tencent-ci-callback-in');
    for (const node of example.nodes) {
      if (configIds.has(node.id)) continue;
      if (seen.has(node.id)) throw new Error(`Node id ${node.id} appears in two example flows (${example.owner}/${example.file}); example ids must be unique`);
      seen.add(node.id);
      const copy: FlowNode = { ...node };
      if (typeof copy.config === 'string' && configIds.has(copy.config)) copy.config = DEMO_CONFIG_ID;
      if (copy.type === 'tencent-ci-callback-in') copy.credentials = { token: demo.callbackToken };
      // A job node on the same tab as a callback-in node, with its Callback URL left blank for
      // the user to paste: the demo pastes the callback-in URL for them.
      if (callbackIn && copy.type !== 'tencent-ci-callback-in' && copy.type.startsWith('tencent-ci-') && 'CallBack' in copy && !copy.CallBack) {
        copy.CallBack = callbackUrl(demo, String(callbackIn.path ?? ''));
      }
      if (copy.type === 'inject' && demo.sampleJobId && Array.isArray(copy.props)) {
        copy.props = (copy.props as Array<Record<string, unknown>>).map((p) => (p.v === JOBID_PLACEHOLDER ? { ...p, v: demo.sampleJobId } : p));
      }
      out.push(copy);
    }
  }
  return out;
}

export function callbackUrl(demo: Pick<DemoSettings, 'nodeRedUrl' | 'callbackToken'>, path: string): string {
  return `${demo.nodeRedUrl}/tencent-ci/callback/${encodeURIComponent(path)}?token=${encodeURIComponent(demo.callbackToken)}`;
}
