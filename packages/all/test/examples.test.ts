import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import helper from 'node-red-node-test-helper';
import { JOB_TAGS, nodeTypeOf } from '@node-red-tencent-ci/core';
// The workspace scan lives in the demo package, which depends on this one: read by path, not
// as a dependency (no cycle), from its TypeScript source.
import { scanWorkspace } from '../../demo/src/workspace';

const workspace = scanWorkspace();
/* eslint-disable @typescript-eslint/no-require-imports */
const modules = workspace.nodePackages.flatMap((pkg) => Object.values(pkg.nodes).map((file) => require(`${pkg.dir}/${file}`)));
const core = ['20-inject', '21-debug', '90-comment', '25-catch', '25-status', '91-global-config'].map((n) => require(`@node-red/nodes/core/common/${n}.js`));
core.push(...['10-switch', '10-function'].map((n) => require(`@node-red/nodes/core/function/${n}.js`)));

/**
 * The node files of the modules outside this workspace that a flow lists in its `global-config`
 * node (the module list Node-RED 4.1 exports, e.g. the Media dashboard's
 * `@flowfuse/node-red-dashboard`), as Node-RED would load them once Import installed them.
 */
function declaredModules(flow: any[]): unknown[] {
  const listed = Object.keys(flow.find((n) => n.type === 'global-config')?.modules ?? {}).filter((name) => !workspace.byName(name));
  return listed.flatMap((name) => Object.values(externalManifest(name)['node-red'].nodes).map((file) => require(`${name}/${file}`)));
}

/** The installed package.json of a module outside the workspace. */
function externalManifest(name: string): { version: string; 'node-red': { nodes: Record<string, string> } } {
  return require(`${name}/package.json`);
}
/* eslint-enable @typescript-eslint/no-require-imports */

helper.init(require.resolve('node-red'));

/** A config node type: its built editor definition (the .html beside the node's .js) says category "config". */
function isConfigType(type: string): boolean {
  const pkg = workspace.packageOfType(type)!;
  const html = readFileSync(`${pkg.dir}/${pkg.nodes[type]!.replace(/\.js$/, '.html')}`, 'utf8');
  return /\bcategory\s*:\s*["']config["']/.test(html);
}

/** Every example flow: the repository's examples/ (shipped by the umbrella package) and each node package's. */
const sets = workspace.examplePackages.map((pkg) => ({
  owner: pkg === workspace.umbrella ? `the repository (shipped by ${pkg.name})` : pkg.name,
  flows: pkg.examples.map((name) => ({ name, flow: JSON.parse(readFileSync(`${pkg.examplesDir}/${name}`, 'utf8')) as any[] })),
}));

describe('example flows', () => {
  afterEach(() => helper.unload());

  it("covers the umbrella's examples and those of every node package that has an examples/ folder", () => {
    assert.ok(workspace.umbrella && workspace.examplePackages[0] === workspace.umbrella, "the all package ships the repository's examples/");
    for (const pkg of workspace.jobPackages) assert.ok(workspace.examplePackages.includes(pkg), `${pkg.name} has example flows`);
  });

  for (const { owner, flows } of sets) {
    for (const { name, flow } of flows) {
      it(`${owner}: "${name}" deploys with every node started and no credentials in the file`, async () => {
        assert.ok(Array.isArray(flow) && flow.length > 0);
        assert.ok(
          flow.some((n) => n.type === 'comment'),
          'starts with comment nodes that explain it',
        );
        for (const n of flow) assert.equal(n.credentials, undefined, `${n.id} carries no credentials`);
        await helper.load([...modules, ...core, ...declaredModules(flow)], flow);
        for (const n of flow.filter((x) => x.type !== 'tab')) {
          assert.ok(helper.getNode(n.id), `${n.type} ${n.id} (${n.name ?? ''}) started`);
        }
      });
    }
  }

  /** Node-RED's own node types the examples use (they belong to no module the flow must list). */
  const CORE_TYPES = new Set(['tab', 'group', 'junction', 'comment', 'inject', 'debug', 'catch', 'status', 'function', 'switch', 'global-config']);
  for (const { owner, flows } of sets) {
    for (const { name, flow } of flows.filter((f) => f.flow.some((n) => n.type === 'global-config'))) {
      it(`${owner}: "${name}" lists every module its nodes come from in its global-config, as Node-RED 4.1 exports it`, () => {
        const listed = flow.find((n) => n.type === 'global-config').modules as Record<string, string>;
        const needed = new Set<string>();
        for (const type of new Set(flow.map((n) => n.type as string))) {
          if (CORE_TYPES.has(type)) continue;
          const ours = workspace.packageOfType(type)?.name;
          // Modules outside the workspace: the one whose node-red.nodes has a set of this name (Dashboard 2.0 names each set by its type).
          const other = Object.keys(listed).find((m) => !workspace.byName(m) && type in externalManifest(m)['node-red'].nodes);
          assert.ok(ours ?? other, `${type}: from no workspace package and no listed module`);
          needed.add((ours ?? other)!);
        }
        assert.deepEqual(Object.keys(listed).sort(), [...needed].sort());
        for (const [m, version] of Object.entries(listed)) {
          // Ours: any release (Import installs what is missing); another module: the version the demo installs and the tests run.
          if (workspace.byName(m)) assert.match(version, /^\d+\.\d+\.\d+$/, m);
          else assert.equal(version, externalManifest(m).version, `${m}: the version installed here`);
        }
      });
    }
  }

  it('every non-config node type appears in at least one example', () => {
    const used = new Set(sets.flatMap(({ flows }) => flows.flatMap(({ flow }) => flow.map((n) => n.type))));
    const flowTypes = workspace.nodeTypes.filter((type) => !isConfigType(type));
    for (const tag of JOB_TAGS) assert.ok(flowTypes.includes(nodeTypeOf(tag)), `the scan found the ${tag} node type`);
    for (const type of flowTypes) assert.ok(used.has(type), `${type} is in an example`);
  });
});
