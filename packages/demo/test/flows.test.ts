/** How the demo turns the example files into one deployable flow set. */
import { strict as assert } from 'node:assert';
import { JOB_TAGS, kebabTag } from '@node-red-tencent-ci/core';
import { callbackUrl, DEMO_CONFIG_ID, demoFlows, loadExampleFlows, scanWorkspace, TAB_ORDER, type DemoSettings, type ExampleFlow, type FlowNode } from '../src';
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

  it('puts the one-job examples first (MediaInfo first: the tab the editor opens on), then the combined flows in TAB_ORDER', () => {
    const labels = flows.filter((n) => n.type === 'tab').map((n) => String(n.label));
    const jobTabs = JOB_TAGS.map((tag) => `${tag} with wait for result`);
    assert.equal(labels[0], 'MediaInfo with wait for result');
    assert.deepEqual(labels.slice(0, JOB_TAGS.length), jobTabs);
    const rest = labels.slice(JOB_TAGS.length);
    assert.deepEqual(
      rest.filter((l) => TAB_ORDER.includes(l)),
      TAB_ORDER.filter((l) => rest.includes(l)),
    );
    assert.deepEqual(
      TAB_ORDER.filter((l) => !labels.includes(l)),
      [],
      'every tab TAB_ORDER names exists',
    );
  });

  describe('every example flow', () => {
    const tabOf = (example: ExampleFlow) => example.nodes.find((n) => n.type === 'tab')!;
    const debugs = (example: ExampleFlow) => example.nodes.filter((n) => n.type === 'debug');

    it('is one tab whose label is the file name (Import ▸ Examples lists the file, the demo shows the tab)', () => {
      for (const example of examples) {
        assert.equal(example.nodes.filter((n) => n.type === 'tab').length, 1, example.file);
        assert.equal(`${String(tabOf(example).label)}.json`, example.file);
      }
    });

    it('names its debug nodes "<short tab name>: <what>", one short name per tab, and no two debug nodes anywhere share a name', () => {
      const prefixes = new Map<string, string>();
      const names: string[] = [];
      for (const example of examples) {
        const tab = String(tabOf(example).label);
        const found = new Set(debugs(example).map((d) => /^(.+?): \S/.exec(String(d.name ?? ''))?.[1]));
        assert.equal(
          found.size,
          1,
          `${tab}: debug nodes ${debugs(example)
            .map((d) => JSON.stringify(d.name))
            .join(', ')}`,
        );
        const [prefix] = [...found];
        assert.ok(prefix, `${tab}: debug nodes named "<short tab name>: <what>"`);
        assert.equal(prefixes.get(prefix), undefined, `the short name "${prefix}" is used by ${prefixes.get(prefix)} and ${tab}`);
        prefixes.set(prefix, tab);
        names.push(...debugs(example).map((d) => String(d.name)));
      }
      assert.deepEqual(
        names.filter((n, i) => names.indexOf(n) !== i),
        [],
      );
    });

    it('is laid out to be seen whole in a 1280-px editor (node centres within 700 x 500; the editor tests check what is drawn)', () => {
      for (const example of examples) {
        for (const node of example.nodes.filter((n: FlowNode) => n.z)) {
          const where = `${example.file}: ${node.type} ${JSON.stringify(node.name ?? '')}`;
          assert.ok(Number(node.x) > 0 && Number(node.x) <= 700, `${where} x ${node.x}`);
          assert.ok(Number(node.y) > 0 && Number(node.y) <= 500, `${where} y ${node.y}`);
        }
      }
    });
  });

  it('refuses two examples that share a node id, naming the id and the file', () => {
    const twice: ExampleFlow[] = [
      { owner: 'a', file: 'one.json', nodes: [{ id: 'n1', type: 'inject' }] },
      { owner: 'b', file: 'two.json', nodes: [{ id: 'n1', type: 'inject' }] },
    ];
    assert.throws(() => demoFlows(twice, SETTINGS), /Node id n1 appears in two example flows \(b\/two\.json\)/);
  });
});
