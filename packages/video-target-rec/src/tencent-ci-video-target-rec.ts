/** Node-RED module: the tencent-ci-video-target-rec node (VideoTargetRec jobs), built from core's VideoTargetRec descriptor. */
import { registerJobNode, type NodeAPI } from '@node-red-tencent-ci/config';

export = function register(RED: NodeAPI): void {
  registerJobNode(RED, 'VideoTargetRec');
};
