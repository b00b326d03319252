import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { svgProblems } from './helpers/svg';
import { packAll, type Tarball } from './helpers/tarballs';
import { publishablePackages, REPO_ROOT, workspace } from './helpers/workspace';

/** The repository's license: the Apache License 2.0, which every package's package.json names. */
const LICENSE = readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8');

/** Paths that must never be published, with the reason. */
const FORBIDDEN: Array<[RegExp, string]> = [
  [/(^|\/)(test|tests|__tests__|spec|fixtures?)\//, 'test directory'],
  [/\.(test|spec)\.[cm]?[jt]sx?$/, 'test file'],
  [/(^|\/)\.mocharc/, 'test configuration'],
  [/\.(ts|tsx|mts|cts)$/, 'TypeScript source'],
  [/\.map$/, 'source map'],
  [/(^|\/)tsconfig[^/]*\.json$/, 'build configuration'],
  [/\.tsbuildinfo$/, 'build cache'],
  [/(^|\/)\.turbo\//, 'build cache'],
  [/(^|\/)node_modules\//, 'installed dependency'],
  [/(^|\/)\.env(\.|$)/, 'environment file (secrets)'],
  [/(^|\/)\.npmrc$/, 'npm configuration (tokens)'],
  [/(^|\/)flows_cred\.json$/, 'Node-RED credentials'],
  [/\.(pem|key|p12|pfx)$/, 'key material'],
  [/(^|\/)id_(rsa|ed25519|ecdsa)/, 'key material'],
];

/** Content that looks like a real secret. */
const SECRET_CONTENT: Array<[RegExp, string]> = [
  [/\bAKID[0-9A-Za-z]{32}\b/, 'a Tencent Cloud SecretId'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\bnpm_[0-9A-Za-z]{36}\b/, 'an npm token'],
  [/\bgh[pousr]_[0-9A-Za-z]{36}\b/, 'a GitHub token'],
];

function isDeclaration(path: string): boolean {
  return /\.d\.[cm]?ts$/.test(path);
}

describe('tarball contents', function () {
  let tarballs: Map<string, Tarball>;

  before(async function () {
    tarballs = await packAll();
  });

  it('npm pack produces a tarball for every publishable package', function () {
    assert.deepEqual(
      [...tarballs.keys()].sort(),
      publishablePackages()
        .map((p) => p.manifest.name)
        .sort(),
    );
  });

  it("every publishable package is built before this test: each is a dependency of this package's package.json, directly or through another (turbo's ^build)", function () {
    const ws = workspace();
    const reached = new Set<string>();
    const visit = (name: string) => {
      if (reached.has(name)) return;
      reached.add(name);
      const pkg = ws.byName(name)!;
      for (const dep of [...pkg.workspaceDependencies, ...pkg.workspaceDevDependencies]) visit(dep);
    };
    const self = ws.byFolder('packaging-tests')!;
    for (const dep of [...self.workspaceDependencies, ...self.workspaceDevDependencies]) visit(dep);
    assert.deepEqual(
      publishablePackages()
        .map((p) => p.name)
        .filter((n) => !reached.has(n)),
      [],
      `not built before ${self.name}'s tests: add them to its devDependencies`,
    );
  });

  it("the repository's LICENSE is the full Apache License 2.0", function () {
    assert.match(LICENSE, /^\s*Apache License\s+Version 2\.0, January 2004\s+http:\/\/www\.apache\.org\/licenses\//);
    assert.match(LICENSE, /TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION/);
    assert.match(LICENSE, /END OF TERMS AND CONDITIONS/);
    assert.ok(LICENSE.length > 10_000, `LICENSE is ${LICENSE.length} characters: not the full text`);
  });

  it('the job package template (npm run new-job) gives a new package the LICENSE and a palette icon named after its node type', function () {
    const template = join(REPO_ROOT, 'scripts', 'job-package-template');
    assert.equal(readFileSync(join(template, 'LICENSE'), 'utf8'), LICENSE, `${template}/LICENSE differs from the repository's`);
    assert.ok(existsSync(join(template, 'icons', '__TYPE__.svg')), `${template}/icons/__TYPE__.svg is missing: the new package's build would fail`);
    assert.deepEqual(svgProblems(readFileSync(join(template, 'icons', '__TYPE__.svg'), 'utf8')), [], 'the placeholder icon');
  });

  for (const pkg of publishablePackages()) {
    const name = pkg.manifest.name;

    it(`${name}: ships LICENSE, the repository's Apache-2.0 text`, function () {
      const tarball = tarballs.get(name)!;
      assert.ok(tarball.files.includes('LICENSE'), `${name}: no LICENSE in the tarball (keep a copy of the root LICENSE in ${pkg.dir})`);
      assert.equal(readFileSync(join(tarball.dir, 'LICENSE'), 'utf8'), LICENSE, `${name}: its LICENSE differs from the repository's`);
      assert.equal(tarball.manifest.license, 'Apache-2.0');
    });

    it(`${name}: no tests, TypeScript sources, source maps, build files or secrets`, function () {
      const tarball = tarballs.get(name)!;
      const problems: string[] = [];
      for (const path of tarball.files) {
        for (const [pattern, why] of FORBIDDEN) {
          if (pattern.test(path) && !(why === 'TypeScript source' && isDeclaration(path))) problems.push(`${path}: ${why}`);
        }
        if (/\.(js|cjs|mjs|json|html|md|txt|ts|yml|yaml|svg)$/.test(path)) {
          const text = readFileSync(join(tarball.dir, path), 'utf8');
          for (const [pattern, what] of SECRET_CONTENT) if (pattern.test(text)) problems.push(`${path}: contains what looks like ${what}`);
        }
      }
      assert.deepEqual(problems, [], `${name} would publish:\n${problems.join('\n')}`);
    });

    it(`${name}: ships the files its package.json points at (main, types, bin)`, function () {
      const tarball = tarballs.get(name)!;
      const manifest = tarball.manifest;
      const pointed: string[] = [];
      if (typeof manifest.main === 'string') pointed.push(manifest.main);
      if (typeof manifest.types === 'string') pointed.push(manifest.types);
      if (typeof manifest.bin === 'string') pointed.push(manifest.bin);
      else if (manifest.bin && typeof manifest.bin === 'object') pointed.push(...Object.values(manifest.bin as Record<string, string>));
      const missing = pointed.map((p) => p.replace(/^\.\//, '')).filter((p) => !tarball.files.includes(p) && !tarball.files.includes(`${p}.js`));
      assert.deepEqual(missing, [], `${name}: package.json points at files the tarball lacks`);
      assert.ok(tarball.files.includes('README.md'), `${name}: no README.md in the tarball (npm shows it as the package page)`);
    });
  }
});
