/**
 * The repository's packages, as the packaging test sees them: the demo package's workspace
 * scan (packages/demo/src/workspace.ts) of every packages/<folder>/package.json, so a new
 * package or node type is packed and checked without editing a list here.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { scanWorkspace, type Manifest, type Workspace, type WorkspacePackage } from '@node-red-tencent-ci/demo';

export type { Manifest, Workspace, WorkspacePackage };

export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

export const SCOPE = '@node-red-tencent-ci/';

let scanned: Workspace | undefined;

/** The workspace scan of this repository (read once per run). */
export function workspace(): Workspace {
  scanned ??= scanWorkspace(REPO_ROOT);
  return scanned;
}

/** Every package that `npm publish` would publish (no `private: true`). */
export function publishablePackages(): WorkspacePackage[] {
  return workspace().publishable;
}

/** The Node-RED version the repository develops against (the root's node_modules). */
export function nodeRedVersion(): string {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'node-red', 'package.json'), 'utf8')) as Manifest;
  return manifest.version;
}

/** The config node's type: the one node type every other node package's nodes need. */
export const CONFIG_TYPE = 'tencent-ci-config';
export const LANGS = ['en-US', 'zh-CN'] as const;
