/**
 * Fresh installs of packed tarballs, each in its own directory outside the repository with
 * its own Node-RED (Node-RED also scans node_modules of every ancestor of its install
 * directory, so a Node-RED from the repository would see the workspace packages too).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { npm } from './npm';
import { scratchDir } from './scratch';
import { exampleDependencies, packAll, tarballOf } from './tarballs';
import { nodeRedVersion, SCOPE } from './workspace';

export interface Installation {
  /** The directory npm installed into; also Node-RED's user directory. */
  dir: string;
  /** Node-RED's red.js in that directory. */
  redJs: string;
}

/** `npm install node-red@<root's version> <tarballs...>` (and other `name@version` specs) in a new directory. */
export async function installTarballs(name: string, tarballs: string[]): Promise<Installation> {
  const dir = scratchDir(name);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `packaging-test-${name}`, version: '0.0.0', private: true }, null, 2)}\n`);
  await npm(['install', '--prefer-offline', '--no-audit', '--no-fund', `node-red@${nodeRedVersion()}`, ...tarballs], dir, 170_000);
  return { dir, redJs: join(dir, 'node_modules', 'node-red', 'red.js') };
}

/** The user directory's package.json dependencies (what Node-RED counts as installed by the user). */
export function recordedDependencies(dir: string): Record<string, string> {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {};
}

/**
 * Leaves only `names` in the user directory's package.json dependencies, as after the palette
 * manager's `npm install <name>`: the module's own dependencies are in node_modules, but not
 * in package.json.
 */
export function keepRecordedDependencies(dir: string, names: string[]): void {
  const file = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: Record<string, string> };
  const recorded = manifest.dependencies ?? {};
  for (const name of names) if (!recorded[name]) throw new Error(`${name} is not in ${file}`);
  manifest.dependencies = Object.fromEntries(names.map((n) => [n, recorded[n]!]));
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Sets the user directory's package.json dependencies. */
export function setRecordedDependencies(dir: string, dependencies: Record<string, string>): void {
  const file = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: Record<string, string> };
  manifest.dependencies = dependencies;
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

let full: Promise<Installation> | undefined;

/**
 * Every publishable tarball plus Node-RED, installed once per run, with the modules the
 * shipped examples list as theirs (what Import offers to install): the Media dashboard's
 * Dashboard 2.0.
 */
export function fullInstall(): Promise<Installation> {
  full ??= packAll().then(async (tarballs) =>
    installTarballs('all-packages', [...[...tarballs.values()].map((t) => t.file), ...(await exampleDependencies(SCOPE))]),
  );
  return full;
}

/** The tarballs one package needs when its workspace dependencies are not published: itself and those, recursively. */
export async function tarballsFor(name: string): Promise<string[]> {
  const names = new Set<string>();
  const visit = async (n: string) => {
    if (names.has(n)) return;
    names.add(n);
    const tarball = await tarballOf(n);
    for (const dep of Object.keys(tarball.manifest.dependencies ?? {})) if ((await packAll()).has(dep)) await visit(dep);
  };
  await visit(name);
  return Promise.all([...names].sort().map(async (n) => (await tarballOf(n)).file));
}
