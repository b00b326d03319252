/**
 * A node property's value for one message, as Node-RED's own nodes read a typed input
 * (`RED.util.evaluateNodeProperty`: msg, flow, global, env, JSONata, str, num, json and so on).
 */
import type { Node, NodeAPI, NodeMessage } from './node-red';

/**
 * Resolves the property `value` of type `type` for `msg`. Errors, thrown or called back (a bad
 * JSONata expression, a missing context store), reject the promise.
 */
export function evaluateProperty(RED: NodeAPI, node: Node, msg: NodeMessage, value: string, type: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    try {
      RED.util.evaluateNodeProperty(value, type, node, msg, (err, result) => (err ? reject(err) : resolve(result)));
    } catch (err) {
      reject(err);
    }
  });
}
