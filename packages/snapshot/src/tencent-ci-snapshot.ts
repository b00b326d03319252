/** Node-RED module: the tencent-ci-snapshot node (Snapshot jobs), built from core's Snapshot descriptor. */
import { registerJobNode, type NodeAPI } from '@node-red-tencent-ci/config';

export = function register(RED: NodeAPI): void {
  registerJobNode(RED, 'Snapshot');
};
