import assert from 'node:assert/strict';
import semver from 'semver';
import { packAll, type Tarball } from './helpers/tarballs';
import { nodeRedVersion, publishablePackages, SCOPE, workspace } from './helpers/workspace';

/** node-red-dev's D01 limit (the 95th percentile of the Node-RED catalogue). */
const MAX_RUNTIME_DEPENDENCIES = 6;
/**
 * The umbrella package exists to depend on every node package, so it cannot stay under the
 * limit; its dependencies must be this project's node packages and nothing else.
 */
const UMBRELLA = workspace().umbrella!.name;

describe('package.json of every publishable package', function () {
  let tarballs: Map<string, Tarball>;

  before(async function () {
    tarballs = await packAll();
  });

  for (const pkg of publishablePackages()) {
    const name = pkg.manifest.name;
    const packed = () => tarballs.get(name)!.manifest;

    it(`${name}: scoped name, version, license, repository with directory, bugs, engines.node, files`, function () {
      const m = packed();
      assert.ok(name.startsWith(SCOPE), `${name} is not in the ${SCOPE} scope`);
      assert.ok(semver.valid(m.version), `version ${m.version} is not semver`);
      assert.ok(typeof m.license === 'string' && m.license.length > 0, 'license is missing');
      const repository = m.repository as { type?: string; url?: string; directory?: string } | undefined;
      assert.ok(repository?.url, 'repository.url is missing');
      assert.equal(repository.directory, `packages/${pkg.folder}`, 'repository.directory must name the package folder (npm links it)');
      assert.ok((m.bugs as { url?: string } | undefined)?.url, 'bugs.url is missing');
      const engines = m.engines as { node?: string } | undefined;
      assert.ok(engines?.node && semver.validRange(engines.node), 'engines.node is missing or not a range');
      assert.ok(
        semver.satisfies(process.version, engines.node),
        `engines.node ${engines.node} excludes the Node.js the project is tested with (${process.version})`,
      );
      assert.ok(Array.isArray(m.files) && m.files.length > 0, 'files is missing (everything in the folder would be published)');
    });

    it(`${name}: dependencies on this project's packages are satisfied by their workspace versions`, function () {
      const problems: string[] = [];
      for (const [dep, range] of Object.entries(packed().dependencies ?? {})) {
        if (!dep.startsWith(SCOPE)) continue;
        const target = tarballs.get(dep);
        if (!target) problems.push(`${dep}: not a publishable package of this repository`);
        else if (!semver.satisfies(target.manifest.version, range)) problems.push(`${dep}@${range} does not accept the workspace's ${target.manifest.version}`);
      }
      assert.deepEqual(problems, []);
    });
  }

  for (const pkg of publishablePackages().filter((p) => p.manifest['node-red'] !== undefined)) {
    const name = pkg.manifest.name;
    const packed = () => tarballs.get(name)!.manifest;

    describe(`${name} (a Node-RED package)`, function () {
      it('has the node-red keyword', function () {
        assert.ok(
          Array.isArray(packed().keywords) && (packed().keywords as string[]).includes('node-red'),
          'keywords must contain "node-red" (the flow library lists only such packages)',
        );
      });

      it(`declares node-red.version, a range that Node-RED ${nodeRedVersion()} satisfies`, function () {
        const range = packed()['node-red']?.version;
        assert.ok(range && semver.validRange(range), 'node-red.version is missing or not a range');
        assert.ok(semver.satisfies(nodeRedVersion(), range), `node-red.version ${range} excludes Node-RED ${nodeRedVersion()}`);
      });

      it('does not declare node-red.dependencies (see packages/config/README.md, "Why no node-red.dependencies")', function () {
        assert.equal(
          packed()['node-red']?.dependencies,
          undefined,
          `${name} lists node-red.dependencies. Node-RED 4 then leaves the named modules out of the editor unless the user installed them by name, ` +
            'so the config node dialog goes missing after `npm install` of a node package: see packages/config/README.md ("Why no node-red.dependencies") ' +
            'and the node-red.dependencies test of this suite, which re-checks that behaviour.',
        );
      });

      it(`has at most ${MAX_RUNTIME_DEPENDENCIES} runtime dependencies (the umbrella package: only this project's node packages)`, function () {
        const deps = Object.keys(packed().dependencies ?? {});
        if (name === UMBRELLA) {
          const nodePackages = [...tarballs.values()]
            .filter((t) => t.manifest['node-red'] && t.manifest.name !== UMBRELLA)
            .map((t) => t.manifest.name)
            .sort();
          assert.deepEqual(deps.sort(), nodePackages, `${UMBRELLA} should depend on exactly the node packages`);
        } else {
          assert.ok(deps.length <= MAX_RUNTIME_DEPENDENCIES, `${deps.length} dependencies: ${deps.join(', ')}`);
        }
      });

      it('has no install scripts (Node-RED installs nodes with npm, often without a compiler)', function () {
        const scripts = (packed().scripts ?? {}) as Record<string, string>;
        assert.deepEqual(
          Object.keys(scripts).filter((s) => /^(pre|post)?install$|^prepare$/.test(s)),
          [],
        );
      });
    });
  }
});
