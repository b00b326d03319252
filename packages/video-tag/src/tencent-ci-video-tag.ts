/** Node-RED module: the tencent-ci-video-tag node (VideoTag jobs), built from core's VideoTag descriptor. */
import { registerJobNode, type NodeAPI } from '@node-red-tencent-ci/config';

export = function register(RED: NodeAPI): void {
  registerJobNode(RED, 'VideoTag');
};
