/** Node-RED module: the __TYPE__ node (__TAG__ jobs), built from core's __TAG__ descriptor. */
import { registerJobNode, type NodeAPI } from '@node-red-tencent-ci/config';

export = function register(RED: NodeAPI): void {
  registerJobNode(RED, '__TAG__');
};
