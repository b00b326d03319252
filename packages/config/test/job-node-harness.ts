/** A job node built by this package's shared runtime (MediaInfo: the quickest job), for the config node's tests. */
import { JobNodeHarness, type NodeModule } from '@node-red-tencent-ci/test-utils/src/nodes';
import { registerJobNode } from '../dist/index';

const mediaInfoModule: NodeModule = (RED) => registerJobNode(RED, 'MediaInfo');

export function mediaInfoHarness(): JobNodeHarness {
  return new JobNodeHarness({ module: mediaInfoModule, type: 'tencent-ci-media-info', tag: 'MediaInfo', props: {} });
}
