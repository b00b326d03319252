/** The repository's packages, as the packaging test sees them. */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  'node-red'?: { version?: string; nodes?: Record<string, string>; dependencies?: string[] };
  [field: string]: unknown;
}

export interface WorkspacePackage {
  /** Folder name under packages/. */
  folder: string;
  dir: string;
  manifest: Manifest;
}

export const SCOPE = '@node-red-tencent-ci/';

export function workspacePackages(): WorkspacePackage[] {
  const packagesDir = join(REPO_ROOT, 'packages');
  return readdirSync(packagesDir)
    .filter((folder) => existsSync(join(packagesDir, folder, 'package.json')))
    .sort()
    .map((folder) => ({
      folder,
      dir: join(packagesDir, folder),
      manifest: JSON.parse(readFileSync(join(packagesDir, folder, 'package.json'), 'utf8')) as Manifest,
    }));
}

/** Every package that `npm publish` would publish (no `private: true`). */
export function publishablePackages(): WorkspacePackage[] {
  return workspacePackages().filter((p) => p.manifest.private !== true);
}

/** The Node-RED version the repository develops against (the root's node_modules). */
export function nodeRedVersion(): string {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'node-red', 'package.json'), 'utf8')) as Manifest;
  return manifest.version;
}

/** The node types this project ships; the packaging test insists every one of them is delivered. */
export const EXPECTED_TYPES = [
  'tencent-ci-config',
  'tencent-ci-media-info',
  'tencent-ci-snapshot',
  'tencent-ci-quality-estimate',
  'tencent-ci-video-tag',
  'tencent-ci-video-target-rec',
  'tencent-ci-wait',
  'tencent-ci-callback-in',
] as const;

export const CONFIG_TYPE = 'tencent-ci-config';
export const LANGS = ['en-US', 'zh-CN'] as const;
