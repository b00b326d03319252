/**
 * The repository's packages as their package.json files describe them: one scan of
 * packages/<folder>/package.json that answers which packages are published, which are
 * Node-RED node packages and which node types they register, which of those are job
 * packages (their node type is nodeTypeOf(tag) of a JOB_TAGS entry), and which example flows
 * each ships. The demo, the editor tests, the packaging tests and the all package's tests
 * read their lists of packages, node types and examples from here, so a new package (e.g. one
 * made by scripts/new-job.mjs) is picked up without editing any list.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { JOB_TAGS, nodeTypeOf, type JobTag } from '@node-red-tencent-ci/core';

/** The repository root (this file is packages/demo/src/workspace.ts, or its build in dist/). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** The fields of a package.json the scan and its users read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  main?: string;
  files?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  'node-red'?: { version?: string; nodes?: Record<string, string>; dependencies?: string[] };
  [field: string]: unknown;
}

export interface WorkspacePackage {
  /** Folder name under packages/ ("snapshot"). */
  folder: string;
  /** Absolute path of the folder. */
  dir: string;
  /** Package name ("@node-red-tencent-ci/snapshot"). */
  name: string;
  version: string;
  /** `private: true`: never published. */
  private: boolean;
  manifest: Manifest;
  /** Has a `node-red` field (a node package, or the umbrella package that installs them). */
  nodeRed: boolean;
  /** `node-red.nodes`: node type → file, relative to `dir` (empty when it registers none). */
  nodes: Record<string, string>;
  /** The node types it registers (the keys of `node-red.nodes`). */
  nodeTypes: string[];
  /** The job type whose node this package registers (nodeTypeOf(tag) is one of its node types). */
  jobTag?: JobTag;
  /** This repository's packages among its `dependencies` (runtime, not dev). */
  workspaceDependencies: string[];
  /** This repository's packages among its `devDependencies`. */
  workspaceDevDependencies: string[];
  /**
   * Where its example flows are kept in the repository: packages/<folder>/examples, or for the
   * umbrella package the root examples/ folder its build copies into its own examples/.
   * Undefined when it has none.
   */
  examplesDir?: string;
  /** The example flow files in `examplesDir` (".json" names, sorted). */
  examples: string[];
}

export interface ExampleFile {
  /** The package that ships it. */
  pkg: WorkspacePackage;
  /** File name ("Snapshot with wait for result.json"). */
  file: string;
  /** Absolute path in the repository. */
  path: string;
}

export interface Workspace {
  root: string;
  /** Every package under packages/, by folder name. */
  packages: WorkspacePackage[];
  /** What `npm publish` publishes: every package without `private: true`. */
  publishable: WorkspacePackage[];
  /**
   * The packages that register Node-RED node types: the job packages in JOB_TAGS order, then
   * the others (config, wait, callback-in, …) by folder name.
   */
  nodePackages: WorkspacePackage[];
  /** The job packages, in JOB_TAGS order. */
  jobPackages: WorkspacePackage[];
  /**
   * The umbrella package: published, has a `node-red` field but registers no node type of its
   * own (it installs the node packages and ships the root examples/).
   */
  umbrella?: WorkspacePackage;
  /** Every node type the node packages register, in `nodePackages` order. */
  nodeTypes: string[];
  /** The node types of job packages, in JOB_TAGS order. */
  jobNodeTypes: string[];
  /** Every package's example flows (the umbrella's first), in `examplePackages` order. */
  examples: ExampleFile[];
  /** The packages that ship example flows: the umbrella first, then the node packages that have any. */
  examplePackages: WorkspacePackage[];
  /** The package that registers `type`. */
  packageOfType(type: string): WorkspacePackage | undefined;
  /** The package named `name` ("@node-red-tencent-ci/…"). */
  byName(name: string): WorkspacePackage | undefined;
  /** The package in packages/<folder>. */
  byFolder(folder: string): WorkspacePackage | undefined;
}

const jsonFiles = (dir: string | undefined): string[] =>
  dir && existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];

const byFolderName = (a: WorkspacePackage, b: WorkspacePackage) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0);

/** Scans packages/<folder>/package.json under `root` (default: this repository). */
export function scanWorkspace(root: string = REPO_ROOT): Workspace {
  const packagesDir = join(root, 'packages');
  const manifests = readdirSync(packagesDir)
    .filter((folder) => existsSync(join(packagesDir, folder, 'package.json')))
    .sort()
    .map((folder) => ({
      folder,
      dir: join(packagesDir, folder),
      manifest: JSON.parse(readFileSync(join(packagesDir, folder, 'package.json'), 'utf8')) as Manifest,
    }));
  const names = new Set(manifests.map((m) => m.manifest.name));
  const jobTagOfType = new Map<string, JobTag>(JOB_TAGS.map((tag) => [nodeTypeOf(tag), tag]));

  const packages: WorkspacePackage[] = manifests.map(({ folder, dir, manifest }) => {
    const nodes = { ...(manifest['node-red']?.nodes ?? {}) };
    const nodeTypes = Object.keys(nodes);
    const nodeRed = manifest['node-red'] !== undefined;
    const isUmbrella = nodeRed && nodeTypes.length === 0 && manifest.private !== true;
    const ownExamples = join(dir, 'examples');
    const examplesDir = isUmbrella ? join(root, 'examples') : ownExamples;
    const examples = jsonFiles(examplesDir);
    return {
      folder,
      dir,
      name: manifest.name,
      version: manifest.version,
      private: manifest.private === true,
      manifest,
      nodeRed,
      nodes,
      nodeTypes,
      jobTag: nodeTypes.map((t) => jobTagOfType.get(t)).find((t) => t !== undefined),
      workspaceDependencies: Object.keys(manifest.dependencies ?? {}).filter((d) => names.has(d)),
      workspaceDevDependencies: Object.keys(manifest.devDependencies ?? {}).filter((d) => names.has(d)),
      examplesDir: examples.length > 0 ? examplesDir : undefined,
      examples,
    };
  });

  const jobPackages = JOB_TAGS.flatMap((tag) => packages.filter((p) => p.jobTag === tag));
  const otherNodePackages = packages.filter((p) => p.nodeTypes.length > 0 && p.jobTag === undefined).sort(byFolderName);
  const nodePackages = [...jobPackages, ...otherNodePackages];
  const umbrellas = packages.filter((p) => p.nodeRed && p.nodeTypes.length === 0 && !p.private);
  if (umbrellas.length > 1) throw new Error(`more than one umbrella package (a node-red field and no nodes): ${umbrellas.map((p) => p.name).join(', ')}`);
  const umbrella = umbrellas[0];
  const examplePackages = [...(umbrella ? [umbrella] : []), ...nodePackages].filter((p) => p.examples.length > 0);

  const typeOwner = new Map<string, WorkspacePackage>();
  for (const pkg of nodePackages) {
    for (const type of pkg.nodeTypes) {
      const other = typeOwner.get(type);
      if (other) throw new Error(`node type ${type} is in node-red.nodes of both ${other.name} and ${pkg.name}`);
      typeOwner.set(type, pkg);
    }
  }

  return {
    root,
    packages,
    publishable: packages.filter((p) => !p.private),
    nodePackages,
    jobPackages,
    umbrella,
    nodeTypes: nodePackages.flatMap((p) => p.nodeTypes),
    jobNodeTypes: jobPackages.map((p) => nodeTypeOf(p.jobTag!)),
    examples: examplePackages.flatMap((pkg) => pkg.examples.map((file) => ({ pkg, file, path: join(pkg.examplesDir!, file) }))),
    examplePackages,
    packageOfType: (type) => typeOwner.get(type),
    byName: (name) => packages.find((p) => p.name === name),
    byFolder: (folder) => packages.find((p) => p.folder === folder),
  };
}
