/** The node's settings as the runtime reads them. */
import { numberSetting } from '@node-red-tencent-ci/core';
import type { NodeDef } from '@node-red-tencent-ci/config';

export const TYPE = 'tencent-ci-callback-in';
/** Body limit when the node sets none: 1 MiB. */
const DEFAULT_MAX_BYTES = 1024 * 1024;
export const MAX_PATH_LENGTH = 128;

export interface CallbackInProps extends NodeDef {
  config?: string;
  /** URL path segment; blank: derived from the node id. */
  path?: string;
  /** Largest body accepted, in bytes. */
  maxBytes?: number | string;
  /** Re-read each job from the service before emitting it. */
  confirm?: boolean | string;
  /** Only the editor uses it (to show the URL). */
  baseUrl?: string;
}

/** The node's path: as set (slashes trimmed), else its id made URL-safe. */
export function pathOf(path: unknown, id: string): string {
  const p = typeof path === 'string' ? path.trim().replace(/^\/+|\/+$/g, '') : '';
  return p || id.replace(/[^A-Za-z0-9._~-]/g, '-');
}

/** The body limit in bytes: a positive whole number, else 1 MiB. */
export function maxBytesOf(value: unknown): number {
  const n = numberSetting(value);
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : DEFAULT_MAX_BYTES;
}
