/** The config node a node names, as the runtime the other nodes use. */
import { CONFIG_TYPE, type CiConnection } from './config-node';
import type { NodeAPI } from './node-red';

/** The config node's runtime, or undefined (none selected, or not deployed). */
export function connectionOf(RED: NodeAPI, id: unknown): CiConnection | undefined {
  if (typeof id !== 'string' || !id) return undefined;
  const node = RED.nodes.getNode(id) as { type?: string; ci?: CiConnection } | null;
  return node && node.type === CONFIG_TYPE ? node.ci : undefined;
}
