/** How the demo turns the example files into one deployable flow set. */
import { strict as assert } from 'node:assert';
import { JOB_TAGS, kebabTag } from '@node-red-tencent-ci/core';
import { callbackUrl, DEMO_CONFIG_ID, demoFlows, loadExampleFlows, scanWorkspace, type DemoSettings, type ExampleFlow } from '../src';
import { REPO_ROOT } from './helpers/e2e';

const SETTINGS: DemoSettings = {
  emulatorUrl: 'http://127.0.0.1:9999',
  bucket: 'examplebucket-1250000000',
  region: 'ap-guangzhou',
  secretId: 'AKIDflows',
  secretKey: 'flows-secret',
  nodeRedUrl: 'http://127.0.0.1:1880',
  callbackToken: 'tok en',
  sampleJobId: 'jsample',
};

describe('demo flows', () => {
  const examples = loadExampleFlows(REPO_ROOT);
  const flows = demoFlows(examples, SETTINGS);

  it("loads the root examples and every node package's examples, one tab each", () => {
    const owners = new Set(examples.map((e) => e.owner));
    const workspace = scanWorkspace(REPO_ROOT);
    const expected = workspace.examplePackages.map((p) => (p === workspace.umbrella ? 'examples' : p.folder));
    assert.deepEqual([...owners].sort(), [...expected].sort());
    for (const owner of ['examples', ...JOB_TAGS.map(kebabTag), 'wait', 'callback-in']) assert.ok(owners.has(owner), owner);
    assert.equal(examples.length, workspace.examples.length);
    assert.equal(flows.filter((n) => n.type === 'tab').length, examples.length);
  });

  it("replaces the examples' config nodes by one that points at the emulator with the demo credentials", () => {
    const configs = flows.filter((n) => n.type === 'tencent-ci-config');
    assert.equal(configs.length, 1);
    assert.deepEqual(
      [configs[0]!.id, configs[0]!.endpoint, configs[0]!.credentials],
      [DEMO_CONFIG_ID, SETTINGS.emulatorUrl, { secretId: 'AKIDflows', secretKey: 'flows-secret' }],
    );
    for (const n of flows.filter((x) => typeof x.config === 'string')) assert.equal(n.config, DEMO_CONFIG_ID, `${n.type} ${n.id}`);
  });

  it('gives callback-in nodes the token and pastes the callback URL into the blank CallBack on their tab', () => {
    for (const n of flows.filter((x) => x.type === 'tencent-ci-callback-in')) assert.deepEqual(n.credentials, { token: 'tok en' });
    const tab = flows.find((n) => n.type === 'tab' && n.label === 'Job callbacks')!;
    const job = flows.find((n) => n.z === tab.id && n.type === 'tencent-ci-video-tag')!;
    assert.equal(job.CallBack, 'http://127.0.0.1:1880/tencent-ci/callback/example-callbacks?token=tok%20en');
    assert.equal(callbackUrl(SETTINGS, 'a/b'), 'http://127.0.0.1:1880/tencent-ci/callback/a%2Fb?token=tok%20en');
  });

  it('puts the sample JobId where the wait example asks for one to be pasted', () => {
    const inject = flows.find((n) => n.type === 'inject' && n.name === 'msg.jobId')!;
    assert.deepEqual((inject.props as Array<{ p: string; v?: string }>).find((p) => p.p === 'jobId')!.v, 'jsample');
  });

  it('refuses two examples that share a node id, naming the id and the file', () => {
    const twice: ExampleFlow[] = [
      { owner: 'a', file: 'one.json', nodes: [{ id: 'n1', type: 'inject' }] },
      { owner: 'b', file: 'two.json', nodes: [{ id: 'n1', type: 'inject' }] },
    ];
    assert.throws(() => demoFlows(twice, SETTINGS), /Node id n1 appears in two example flows \(b\/two\.json\)/);
  });
});
