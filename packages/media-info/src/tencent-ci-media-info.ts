/** Node-RED module: the tencent-ci-media-info node (MediaInfo jobs), built from core's MediaInfo descriptor. */
import { registerJobNode, type NodeAPI } from '@node-red-tencent-ci/config';

export = function register(RED: NodeAPI): void {
  registerJobNode(RED, 'MediaInfo');
};
