import { CLIP, JobNodeHarness, describeJobNodeBasics, startingProps } from '@node-red-tencent-ci/test-utils/src/nodes';

const harness = new JobNodeHarness({
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  module: require('../dist/__TYPE__.js'),
  type: '__TYPE__',
  tag: '__TAG__',
  props: startingProps('__TAG__'),
});

describe('__TYPE__ node', () => {
  harness.install();
  describeJobNodeBasics(harness);

  it(`submits a __TAG__ job for ${CLIP} as dropped (with the descriptor's starting values)`, async () => {
    const { port, msg } = await harness.run({ wait: 'result', timeout: 30 }, { payload: CLIP });
    if (port !== 'ok') throw new Error(`expected output 1, got ${port}: ${JSON.stringify(msg.payload ?? msg.error)}`);
  });
});
