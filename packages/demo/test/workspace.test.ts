/** The workspace scan (src/workspace.ts) against the real tree, and against made-up trees for what it refuses. */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { read as readChangesetConfig } from '@changesets/config';
import { JOB_TAGS, kebabTag, nodeTypeOf, packageOf } from '@node-red-tencent-ci/core';
import { REPO_ROOT, scanWorkspace, type Workspace } from '../src';

describe('workspace scan', () => {
  let ws: Workspace;
  before(() => {
    ws = scanWorkspace();
  });

  it('reads every packages/<folder>/package.json of this repository', () => {
    assert.equal(ws.root, REPO_ROOT);
    const folders = readdirSync(join(REPO_ROOT, 'packages'))
      .filter((f) => readdirSync(join(REPO_ROOT, 'packages', f)).includes('package.json'))
      .sort();
    assert.deepEqual(
      ws.packages.map((p) => p.folder),
      folders,
    );
    for (const p of ws.packages) assert.equal(p.dir, join(REPO_ROOT, 'packages', p.folder));
  });

  it('finds the job packages of JOB_TAGS, in that order, with their node types', () => {
    assert.ok(JOB_TAGS.length >= 5);
    assert.deepEqual(
      ws.jobPackages.map((p) => p.folder),
      JOB_TAGS.map(kebabTag),
    );
    assert.deepEqual(
      ws.jobPackages.map((p) => p.name),
      JOB_TAGS.map(packageOf),
    );
    assert.deepEqual(
      ws.jobPackages.map((p) => p.jobTag),
      [...JOB_TAGS],
    );
    assert.deepEqual(
      ws.jobPackages.map((p) => p.nodeTypes),
      JOB_TAGS.map((t) => [nodeTypeOf(t)]),
    );
    assert.deepEqual(ws.jobNodeTypes, JOB_TAGS.map(nodeTypeOf));
    for (const tag of ['MediaInfo', 'Snapshot', 'QualityEstimate', 'VideoTag', 'VideoTargetRec'] as const)
      assert.ok(ws.jobNodeTypes.includes(nodeTypeOf(tag)), tag);
  });

  it('finds the other node packages (config, list-objects, wait, callback-in) after the job packages, and every node type once', () => {
    assert.deepEqual(ws.nodePackages.slice(0, ws.jobPackages.length), ws.jobPackages);
    const others = ws.nodePackages.slice(ws.jobPackages.length);
    assert.deepEqual(
      others.map((p) => [p.folder, p.nodeTypes, p.jobTag]),
      [
        ['callback-in', ['tencent-ci-callback-in'], undefined],
        ['config', ['tencent-ci-config'], undefined],
        ['list-objects', ['tencent-ci-list-objects'], undefined],
        ['wait', ['tencent-ci-wait'], undefined],
      ],
    );
    assert.equal(new Set(ws.nodeTypes).size, ws.nodeTypes.length);
    assert.equal(ws.nodeTypes.length, JOB_TAGS.length + 4);
    for (const pkg of ws.nodePackages) {
      for (const type of pkg.nodeTypes) {
        assert.equal(ws.packageOfType(type), pkg, type);
        assert.equal(pkg.nodes[type], `dist/${type}.js`, `${pkg.name} node-red.nodes.${type}`);
      }
    }
    assert.equal(ws.packageOfType('inject'), undefined);
    assert.deepEqual(ws.byFolder('wait')?.workspaceDependencies.sort(), ['@node-red-tencent-ci/config', '@node-red-tencent-ci/core']);
  });

  it('tells published from private packages; the umbrella is all, published Node-RED packages are it and the node packages', () => {
    assert.deepEqual(
      ws.packages.filter((p) => p.private).map((p) => p.folder),
      ['demo', 'editor-tests', 'packaging-tests', 'test-utils'],
    );
    assert.deepEqual(
      ws.publishable.map((p) => p.folder),
      ws.packages.filter((p) => !p.private).map((p) => p.folder),
    );
    for (const folder of ['core', 'emulator', 'all', 'config'])
      assert.ok(
        ws.publishable.some((p) => p.folder === folder),
        folder,
      );
    assert.equal(ws.umbrella?.name, '@node-red-tencent-ci/all');
    assert.equal(ws.byName('@node-red-tencent-ci/all'), ws.umbrella);
    assert.deepEqual(
      ws.publishable
        .filter((p) => p.nodeRed)
        .map((p) => p.name)
        .sort(),
      [ws.umbrella!, ...ws.nodePackages].map((p) => p.name).sort(),
    );
    assert.deepEqual(
      ws.packages.filter((p) => !p.nodeRed).map((p) => p.folder),
      ['core', 'demo', 'editor-tests', 'emulator', 'packaging-tests', 'test-utils'],
    );
  });

  it("finds the examples: the root examples/ for the umbrella, each node package's examples/ folder", () => {
    assert.equal(ws.umbrella!.examplesDir, join(REPO_ROOT, 'examples'));
    assert.deepEqual(
      ws.umbrella!.examples,
      readdirSync(join(REPO_ROOT, 'examples'))
        .filter((f) => f.endsWith('.json'))
        .sort(),
    );
    assert.ok(ws.umbrella!.examples.length >= 5);
    for (const pkg of ws.jobPackages) {
      assert.equal(pkg.examplesDir, join(pkg.dir, 'examples'));
      assert.ok(pkg.examples.includes(`${pkg.jobTag} with wait for result.json`), `${pkg.name}: ${pkg.examples.join(', ')}`);
    }
    assert.deepEqual(ws.byFolder('wait')!.examples, ['Wait for a job.json']);
    assert.deepEqual(ws.byFolder('callback-in')!.examples, ['Receive job callbacks.json']);
    assert.deepEqual([ws.byFolder('config')!.examples, ws.byFolder('config')!.examplesDir], [[], undefined]);
    assert.deepEqual(
      ws.examplePackages.map((p) => p.folder),
      ['all', ...ws.nodePackages.filter((p) => p.folder !== 'config').map((p) => p.folder)],
    );
    assert.deepEqual(
      ws.examples.map((e) => e.path),
      ws.examplePackages.flatMap((p) => p.examples.map((f) => join(p.examplesDir!, f))),
    );
  });

  it('the changeset "fixed" group, as changesets reads it, is exactly the published Node-RED packages (not core, emulator or private ones)', async () => {
    const config = await readChangesetConfig(REPO_ROOT);
    const nodeRedPackages = ws.publishable
      .filter((p) => p.nodeRed)
      .map((p) => p.name)
      .sort();
    assert.deepEqual(
      config.fixed.map((group) => [...group].sort()),
      [nodeRedPackages],
    );
  });

  describe('on a made-up tree', () => {
    let root: string;
    const write = (folder: string, manifest: object, examples: string[] = []) => {
      mkdirSync(join(root, 'packages', folder, 'examples'), { recursive: true });
      writeFileSync(join(root, 'packages', folder, 'package.json'), JSON.stringify(manifest));
      for (const e of examples) writeFileSync(join(root, 'packages', folder, 'examples', e), '[]');
    };
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'tci-workspace-scan-'));
      mkdirSync(join(root, 'examples'), { recursive: true });
      writeFileSync(join(root, 'examples', 'root.json'), '[]');
      mkdirSync(join(root, 'packages', 'not-a-package'), { recursive: true });
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('a new job package is a job package, in JOB_TAGS order, without any list being edited', () => {
      const [first, second] = JOB_TAGS;
      write(kebabTag(second!), { name: packageOf(second!), version: '1.0.0', 'node-red': { nodes: { [nodeTypeOf(second!)]: 'x.js' } } }, [
        'b.json',
        'a.json',
        'notes.md',
      ]);
      write(kebabTag(first!), {
        name: packageOf(first!),
        version: '1.0.0',
        dependencies: { '@x/core': '1', other: '1' },
        'node-red': { nodes: { [nodeTypeOf(first!)]: 'x.js' } },
      });
      write('core', { name: '@x/core', version: '1.0.0' });
      write('umbrella', { name: '@x/umbrella', version: '1.0.0', 'node-red': { nodes: {} } });
      write('tests', { name: '@x/tests', version: '0.0.0', private: true });
      const made = scanWorkspace(root);
      assert.deepEqual(made.packages.map((p) => p.folder).sort(), [kebabTag(first!), kebabTag(second!), 'core', 'tests', 'umbrella'].sort());
      assert.deepEqual(
        made.jobPackages.map((p) => p.jobTag),
        [first, second],
      );
      assert.deepEqual(made.byFolder(kebabTag(first!))!.workspaceDependencies, ['@x/core']);
      assert.equal(made.umbrella?.name, '@x/umbrella');
      assert.deepEqual(made.publishable.map((p) => p.name).includes('@x/tests'), false);
      assert.deepEqual(
        made.examples.map((e) => `${e.pkg.folder}/${e.file}`),
        ['umbrella/root.json', `${kebabTag(second!)}/a.json`, `${kebabTag(second!)}/b.json`],
      );
    });

    it('refuses a node type registered by two packages', () => {
      write('one', { name: '@x/one', version: '1.0.0', 'node-red': { nodes: { 'x-node': 'a.js' } } });
      write('two', { name: '@x/two', version: '1.0.0', 'node-red': { nodes: { 'x-node': 'b.js' } } });
      assert.throws(() => scanWorkspace(root), /node type x-node is in node-red\.nodes of both @x\/one and @x\/two/);
    });
  });
});
