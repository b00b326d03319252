/**
 * All tarballs and Node-RED installed together in a fresh directory outside the repository,
 * and that Node-RED started with the directory as its user directory: what a user of the
 * published packages gets, in the runtime and in the editor.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { JOB_TAGS, nodeTypeOf } from '@node-red-tencent-ci/core';
import { deployFlows, type FlowNode, nodeList, type NodeRedProcess, type NodeSetInfo } from '@node-red-tencent-ci/demo';
import { fullInstall, type Installation } from './helpers/installs';
import { catalogOf, companionPaths, nodeEntries, readShipped, type NodeEntry } from './helpers/node-sources';
import { editorHtml, exampleFlow, exampleModules, exampleNames, loadProblems, nodeCatalogs, startIn } from './helpers/node-red';
import { nodeRedTarballs, packAll, shippedExamples } from './helpers/tarballs';
import { LANGS, REPO_ROOT, SCOPE, workspace } from './helpers/workspace';

describe('all packages installed from their tarballs, with Node-RED', function () {
  let installation: Installation;
  let nodeRed: NodeRedProcess;
  let sets: NodeSetInfo[];
  let entries: NodeEntry[];

  before(async function () {
    installation = await fullInstall();
    nodeRed = await startIn(installation);
    sets = await nodeList(nodeRed.url);
    entries = (await nodeRedTarballs()).flatMap(nodeEntries);
  });

  it('is installed outside the repository, with its own Node-RED', function () {
    assert.ok(relative(REPO_ROOT, installation.dir).startsWith('..'), `${installation.dir} is inside the repository`);
    assert.ok(relative(installation.dir, installation.redJs).startsWith('node_modules'), installation.redJs);
  });

  it('Node-RED loads every module without an error', function () {
    const ours = sets.filter((s) => s.module.startsWith(SCOPE));
    assert.deepEqual(
      ours.filter((s) => s.err).map((s) => `${s.id}: ${s.err}`),
      [],
    );
    assert.deepEqual(
      ours.filter((s) => !s.enabled).map((s) => s.id),
      [],
      'disabled node sets',
    );
    assert.deepEqual(loadProblems(nodeRed.output()), [], 'Node-RED reported problems while loading');
  });

  it('registers every node type of the workspace once, from the package that ships it, and no other type of ours (GET /nodes)', function () {
    const registered = sets.flatMap((s) => s.types.map((t) => ({ type: t, module: s.module })));
    const ours = registered.filter((r) => r.module.startsWith(SCOPE));
    const expected = workspace().nodeTypes;
    assert.deepEqual([...new Set(ours.map((r) => r.type))].sort(), [...expected].sort(), 'our node types in GET /nodes, against the workspace scan');
    for (const tag of JOB_TAGS) assert.ok(expected.includes(nodeTypeOf(tag)), `the scan found no ${nodeTypeOf(tag)} (job type ${tag})`);
    for (const type of expected) {
      const found = registered.filter((r) => r.type === type);
      assert.equal(found.length, 1, `${type} is registered ${found.length} times (${found.map((f) => f.module).join(', ')})`);
      assert.equal(found[0]!.module, workspace().packageOfType(type)!.name, `${type} comes from the package whose node-red.nodes lists it`);
    }
    for (const entry of entries) {
      const set = sets.find((s) => s.id === `${entry.tarball.manifest.name}/${entry.type}`);
      assert.deepEqual(set?.types, [entry.type], `${entry.tarball.manifest.name}/${entry.type}`);
    }
  });

  for (const lang of LANGS) {
    it(`the editor gets every type's definition, edit dialog and ${lang} help`, async function () {
      const html = await editorHtml(nodeRed.url, lang);
      for (const entry of entries) {
        const { type } = entry;
        assert.ok(html.includes(`<!-- --- [red-module:${entry.tarball.manifest.name}/${type}] --- -->`), `${type}: the editor is not sent its node set`);
        assert.match(html, new RegExp(`data-template-name=["']${type}["']`), `${type}: no edit dialog`);
        assert.match(html, new RegExp(`data-help-name=["']${type}["']`), `${type}: no help`);
        const help = readShipped(entry.tarball, companionPaths(entry.file, lang).help);
        if (help)
          assert.ok(html.includes(help.trim().slice(0, 300)), `${type}: the ${lang} help sent is not the shipped ${companionPaths(entry.file, lang).help}`);
      }
    });

    it(`the editor gets every node's ${lang} catalog as shipped (GET /nodes/messages?lng=${lang})`, async function () {
      const catalogs = await nodeCatalogs(nodeRed.url, lang);
      for (const entry of entries) {
        const namespace = `${entry.tarball.manifest.name}/${entry.type}`;
        assert.ok(catalogs[namespace], `no ${lang} catalog for ${namespace}`);
        assert.deepEqual(catalogs[namespace], catalogOf(entry, lang), `${namespace}: the ${lang} catalog served differs from the shipped one`);
      }
    });
  }

  it('Import ▸ Examples lists every example flow the tarballs ship', async function () {
    const shipped = await shippedExamples();
    const modules = await exampleModules(nodeRed.url);
    for (const name of new Set(shipped.map((e) => e.packageName))) {
      assert.ok(modules.includes(name), `${name} is not under Import ▸ Examples (${modules.join(', ')})`);
      const expected = shipped
        .filter((e) => e.packageName === name)
        .map((e) => e.path.replace(/^examples\//, '').replace(/\.json$/, ''))
        .sort();
      assert.deepEqual((await exampleNames(nodeRed.url, name)).sort(), expected, `${name}'s examples`);
    }
  });

  it('every example imports with registered node types only (no "unknown" nodes)', async function () {
    const known = new Set(sets.flatMap((s) => s.types));
    for (const tab of ['tab', 'group', 'subflow', 'junction']) known.add(tab);
    for (const example of await shippedExamples()) {
      const name = example.path.replace(/^examples\//, '').replace(/\.json$/, '');
      const flow = await exampleFlow(nodeRed.url, example.packageName, name);
      assert.deepEqual(flow, example.nodes, `${example.packageName} ${name}: served differently from the tarball`);
      const unknown = [...new Set(flow.map((n) => n.type))].filter((t) => !known.has(t) && !t.startsWith('subflow:'));
      assert.deepEqual(unknown, [], `${example.packageName} ${name} has nodes of unregistered types`);
    }
  });

  it('every example deploys and its flows start (no "Waiting for missing types")', async function () {
    for (const example of await shippedExamples()) {
      const before = nodeRed.output().length;
      await deployFlows(nodeRed.url, example.nodes as FlowNode[]);
      const deadline = Date.now() + 15_000;
      let after = '';
      while (Date.now() < deadline) {
        after = nodeRed.output().slice(before);
        if (/Started flows|Waiting for missing types/.test(after)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const label = `${example.packageName} ${example.path}`;
      assert.doesNotMatch(after, /Waiting for missing types/, `${label}:\n${after}`);
      assert.match(after, /Started flows/, `${label}: the flows did not start:\n${after}`);
      assert.deepEqual(
        after.split('\n').filter((l) => /\[error\]/.test(l)),
        [],
        `${label}: errors while starting`,
      );
    }
  });

  it('has every publishable package in node_modules, at its workspace version', async function () {
    for (const tarball of (await packAll()).values()) {
      const file = join(installation.dir, 'node_modules', ...tarball.manifest.name.split('/'), 'package.json');
      assert.ok(existsSync(file), `${tarball.manifest.name} is not installed`);
      assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version, tarball.manifest.version, tarball.manifest.name);
    }
  });
});
