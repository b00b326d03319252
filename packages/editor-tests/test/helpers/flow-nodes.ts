/**
 * Nodes the editor tests deploy in their own test tabs: an inject node that sends a string
 * payload (an input object key) into one node.
 */

/** An inject node at (140, y) sending `payload` as a string to `target`. */
export function injectNode(id: string, payload: string, target: string, y: number) {
  return {
    id,
    type: 'inject',
    props: [{ p: 'payload' }],
    payload,
    payloadType: 'str',
    repeat: '',
    once: false,
    x: 140,
    y,
    wires: [[target]],
  };
}
