/** `npm pack` of every publishable package, once per run, each tarball also extracted for inspection. */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { npm } from './npm';
import { scratchDir } from './scratch';
import { publishablePackages, type Manifest, type WorkspacePackage } from './workspace';

const run = promisify(execFile);

export interface Tarball {
  pkg: WorkspacePackage;
  /** The .tgz file. */
  file: string;
  /** Paths inside the tarball, relative to its `package/` root, as npm reports them. */
  files: string[];
  /** Where the tarball was extracted (its `package/` folder). */
  dir: string;
  /** The package.json as packed. */
  manifest: Manifest;
}

interface PackReport {
  filename: string;
  files: Array<{ path: string }>;
}

async function packOne(pkg: WorkspacePackage, destination: string, extractRoot: string): Promise<Tarball> {
  const { stdout } = await npm(['pack', '--json', '--pack-destination', destination], pkg.dir);
  const [report] = JSON.parse(stdout) as PackReport[];
  if (!report) throw new Error(`npm pack printed no report for ${pkg.manifest.name}`);
  const file = join(destination, report.filename);
  const target = join(extractRoot, pkg.folder);
  mkdirSync(target, { recursive: true });
  await run('tar', ['-xzf', file, '-C', target]);
  const dir = join(target, 'package');
  return {
    pkg,
    file,
    files: report.files.map((f) => f.path).sort(),
    dir,
    manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest,
  };
}

let packed: Promise<Map<string, Tarball>> | undefined;

/** Tarballs by package name. Packs three at a time; the packages must have been built. */
export function packAll(): Promise<Map<string, Tarball>> {
  packed ??= (async () => {
    const destination = scratchDir('tarballs');
    const extractRoot = scratchDir('extracted');
    const queue = [...publishablePackages()];
    const out = new Map<string, Tarball>();
    await Promise.all(
      [0, 1, 2].map(async () => {
        for (let pkg = queue.shift(); pkg; pkg = queue.shift()) {
          const tarball = await packOne(pkg, destination, extractRoot);
          out.set(tarball.manifest.name, tarball);
        }
      }),
    );
    return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
  })();
  return packed;
}

export async function tarballOf(name: string): Promise<Tarball> {
  const tarball = (await packAll()).get(name);
  if (!tarball) throw new Error(`${name} is not a publishable package of this repository`);
  return tarball;
}

/** Publishable packages with a `node-red` field. */
export async function nodeRedTarballs(): Promise<Tarball[]> {
  return [...(await packAll()).values()].filter((t) => t.manifest['node-red'] !== undefined);
}

export interface ShippedExample {
  packageName: string;
  /** Path inside the tarball, e.g. `examples/Snapshot with wait for result.json`. */
  path: string;
  nodes: Array<{ id: string; type: string; [prop: string]: unknown }>;
}

/** Every example flow the tarballs ship (Node-RED lists `examples/**\/*.json` of a module). */
export async function shippedExamples(): Promise<ShippedExample[]> {
  const out: ShippedExample[] = [];
  for (const tarball of await nodeRedTarballs()) {
    for (const path of tarball.files.filter((f) => f.startsWith('examples/') && f.endsWith('.json'))) {
      out.push({ packageName: tarball.manifest.name, path, nodes: JSON.parse(readFileSync(join(tarball.dir, path), 'utf8')) });
    }
  }
  return out;
}

/**
 * The modules outside the workspace that shipped examples need, as `name@version` from each
 * example's `global-config` node (the module list Node-RED 4.1 writes into an exported flow,
 * and offers to install on Import): `@flowfuse/node-red-dashboard@1.31.0` for the Media
 * dashboard.
 */
export async function exampleDependencies(scope: string): Promise<string[]> {
  const specs = new Set<string>();
  for (const example of await shippedExamples()) {
    for (const node of example.nodes as Array<{ type: string; modules?: Record<string, string> }>) {
      if (node.type !== 'global-config') continue;
      for (const [name, version] of Object.entries(node.modules ?? {})) if (!name.startsWith(scope)) specs.add(`${name}@${version}`);
    }
  }
  return [...specs].sort();
}
