/** Node-RED module: the tencent-ci-quality-estimate node (QualityEstimate jobs), built from core's QualityEstimate descriptor. */
import { registerJobNode, type NodeAPI } from '@node-red-tencent-ci/config';

export = function register(RED: NodeAPI): void {
  registerJobNode(RED, 'QualityEstimate');
};
