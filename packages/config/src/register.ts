/**
 * Registering a node type with Node-RED, typed end to end: the node's `this` (its own
 * fields and its credentials), its settings from the flow, and the credentials it declares.
 */
import type { Node, NodeCredentials, NodeDef } from 'node-red';
import type { NodeAPI } from './node-red';

/** What registering needs of `RED`. */
type Registry = Pick<NodeAPI['nodes'], 'registerType' | 'getCredentials'>;

/** The credentials a node type keeps (the `TCreds` of its `Node<TCreds>`). */
export type CredentialsOf<TNode extends Node<object>> = TNode['credentials'];

export interface RegisterOptions<TNode extends Node<object>> {
  /** The credential fields, each `text` or `password` (docs/node-red.md#credentials-and-config). */
  credentials?: NodeCredentials<CredentialsOf<TNode>>;
}

/**
 * `RED.nodes.registerType(type, constructor, options)`. Node-RED calls `constructor` with a
 * fresh `this`, which `RED.nodes.createNode(this, def)` makes a Node; the constructor
 * then adds the node's own fields, so `TNode` is the Node with those fields. `options` is
 * passed on as given (none stays none).
 */
export function registerNodeType<TNode extends Node<object>, TDef extends NodeDef>(
  RED: { nodes: Pick<Registry, 'registerType'> },
  type: string,
  constructor: (this: TNode, def: TDef) => void,
  options?: RegisterOptions<TNode>,
): void {
  RED.nodes.registerType<TNode, TDef, unknown, CredentialsOf<TNode>>(type, constructor, options);
}

/**
 * The stored credentials of the node with this id, or undefined. The published
 * `getCredentials` answers a bare `object`; Node-RED answers the node's credentials as
 * saved (the fields its type declares, each possibly missing), or undefined for an id
 * that has none.
 */
export function credentialsOf<TCreds extends object>(RED: { nodes: Pick<Registry, 'getCredentials'> }, id: string): Partial<TCreds> | undefined {
  return RED.nodes.getCredentials(id) as Partial<TCreds> | undefined;
}
