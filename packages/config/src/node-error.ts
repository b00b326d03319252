/**
 * What a node hands Node-RED for an error (docs/node-red.md#messages-and-errors).
 *
 * Node-RED gives a node's error to the Catch nodes that cover the node; when none does, it
 * logs it, and the debug sidebar shows an Error object collapsed as `{name, message, code,
 * stack}`, with the message cut off. So a node reports:
 *
 * - the Error itself when a Catch node may take it: Catch gets `msg.error.message` (CiError's
 *   toString is its message, without "CiError: ") and `msg.error.code`;
 * - its message as text when no Catch node covers the node: the sidebar and the log show
 *   that sentence whole, and it starts with what to do.
 */
import type { DoneFn, Node, NodeAPI } from './node-red';

interface CatchNodeDef {
  type: string;
  z?: string;
  scope?: unknown;
  /** Disabled. */
  d?: boolean;
}

/**
 * Whether a Catch node may take this node's errors: one on the node's tab whose scope is
 * all nodes, a group, or a list naming the node. A node inside a subflow instance (`_alias`
 * set) counts as covered: the instance's own Catch nodes and its parent's are not worth
 * guessing, and the Error is the safe answer there.
 */
function mayBeCaught(RED: NodeAPI, node: Node): boolean {
  if ((node as Node & { _alias?: string })._alias) return true;
  let found = false;
  RED.nodes.eachNode((def) => {
    const n = def as unknown as CatchNodeDef;
    if (found || n.type !== 'catch' || n.z !== node.z || n.d === true) return;
    found = !Array.isArray(n.scope) || n.scope.includes(node.id);
  });
  return found;
}

/** The message of any thrown value. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : String(err);
}

/** What to pass to `done()` or `node.error()` for `err` (see above). */
export function reportable(RED: NodeAPI, node: Node, err: unknown): Error | string {
  if (mayBeCaught(RED, node)) return err instanceof Error ? err : new Error(errorText(err));
  return errorText(err);
}

/**
 * Ends an input msg with `err` as reportable() makes it. Node-RED's `done(err)` takes any
 * value and hands it to `node.error(err, msg)` as given; the published type says Error.
 */
export function endWithError(RED: NodeAPI, node: Node, done: DoneFn, err: unknown): void {
  (done as (err?: Error | string) => void)(reportable(RED, node, err));
}
