import { CLIP, JobNodeHarness, describeJobNode } from '@node-red-tencent-ci/test-utils/src/nodes';

// eslint-disable-next-line @typescript-eslint/no-require-imports
describeJobNode(JobNodeHarness.forTag('__TAG__', require('../dist/__TYPE__.js')), (harness) => {
  it(`submits a __TAG__ job for ${CLIP} as dropped (with the descriptor's starting values) and ends on output 1`, async () => {
    const { port, msg } = await harness.run({ wait: 'result', timeout: 30 }, { payload: CLIP });
    if (port !== 'ok') throw new Error(`expected output 1, got ${port}: ${JSON.stringify(msg.payload ?? msg.error)}`);
  });
});
