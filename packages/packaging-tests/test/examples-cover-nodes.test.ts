/** The example flows the tarballs ship (Import ▸ Examples): every node is shown, and each package's examples work with that package alone. */
import assert from 'node:assert/strict';
import { nodeEntries, readShipped, companionPaths } from './helpers/node-sources';
import { nodeRedTarballs, shippedExamples, type ShippedExample } from './helpers/tarballs';
import { JOB_TAGS, nodeTypeOf } from '@node-red-tencent-ci/core';
import { CONFIG_TYPE, workspace } from './helpers/workspace';

const UMBRELLA = workspace().umbrella!.name;

describe('example flows in the tarballs', function () {
  let examples: ShippedExample[];
  let types: Map<string, { packageName: string; config: boolean }>;

  before(async function () {
    examples = await shippedExamples();
    types = new Map();
    for (const tarball of await nodeRedTarballs()) {
      for (const entry of nodeEntries(tarball)) {
        const html = readShipped(tarball, companionPaths(entry.file, 'en-US').html) ?? '';
        types.set(entry.type, { packageName: tarball.manifest.name, config: /\bcategory\s*:\s*["']config["']/.test(html) });
      }
    }
  });

  it("the tarballs ship every node type this project has (the workspace scan's node-red.nodes)", function () {
    assert.deepEqual([...types.keys()].sort(), [...workspace().nodeTypes].sort());
    for (const tag of JOB_TAGS) assert.ok(types.has(nodeTypeOf(tag)), `no tarball ships ${nodeTypeOf(tag)} (job type ${tag})`);
    assert.ok(types.get(CONFIG_TYPE)?.config, `${CONFIG_TYPE} should be a config node`);
  });

  it('every node type except config nodes appears in at least one shipped example', function () {
    const used = new Set(examples.flatMap((e) => e.nodes.map((n) => n.type)));
    const missing = [...types].filter(([type, info]) => !info.config && !used.has(type)).map(([type]) => type);
    assert.deepEqual(missing, [], 'node types no example shows');
  });

  it("each node package's examples use only its own nodes, the config node and core nodes (they must import without the other packages)", function () {
    const problems: string[] = [];
    for (const example of examples.filter((e) => e.packageName !== UMBRELLA)) {
      for (const type of new Set(example.nodes.map((n) => n.type))) {
        const owner = types.get(type);
        if (!owner && type.startsWith('tencent-ci-')) problems.push(`${example.packageName} ${example.path}: unknown type ${type}`);
        else if (owner && !owner.config && owner.packageName !== example.packageName)
          problems.push(`${example.packageName} ${example.path}: uses ${type} from ${owner.packageName}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('every example is a flow array with unique node ids and no credentials', function () {
    for (const example of examples) {
      const label = `${example.packageName} ${example.path}`;
      assert.ok(Array.isArray(example.nodes) && example.nodes.length > 0, `${label}: not a flow`);
      const ids = example.nodes.map((n) => n.id);
      assert.equal(new Set(ids).size, ids.length, `${label}: duplicate node ids`);
      const withCredentials = example.nodes.filter(
        (n) => n.credentials !== undefined || ['secretId', 'secretKey', 'sessionToken', 'token'].some((k) => typeof n[k] === 'string' && n[k] !== ''),
      );
      assert.deepEqual(
        withCredentials.map((n) => `${n.type} ${n.id}`),
        [],
        `${label}: credentials in an example`,
      );
    }
  });
});
