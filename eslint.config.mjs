// ESLint flat config for the whole monorepo. Each package's `lint` script runs `eslint .`
// from its own directory; ESLint 10 looks this file up from the linted files upward, so the
// patterns below are relative to the repository root either way.
//
// @eslint/js recommended + typescript-eslint recommended (not the type-checked presets: no
// type information, so it stays fast). No stylistic rules: Prettier formats (.prettierrc.json).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// The `globals` package is not installed: the few names each kind of code uses, by hand.
// (typescript-eslint turns `no-undef` off for .ts files, so these matter for .js/.mjs/.cjs.)
const readonly = (names) =>
  Object.fromEntries(
    names
      .split(/\s+/)
      .filter(Boolean)
      .map((name) => [name, 'readonly']),
  );

const sharedGlobals = `
  console setTimeout clearTimeout setInterval clearInterval queueMicrotask structuredClone URL URLSearchParams
  TextEncoder TextDecoder AbortController AbortSignal Event EventTarget fetch Request Response Headers FormData Blob
  atob btoa crypto performance`;
const nodeGlobals = readonly(`${sharedGlobals}
  process Buffer global globalThis setImmediate clearImmediate require module exports __dirname __filename`);
const mochaGlobals = readonly(`
  describe context it specify before after beforeEach afterEach xdescribe xcontext xit xspecify
  suite test suiteSetup suiteTeardown setup teardown`);
const nodeOnlyGlobals = 'process Buffer global setImmediate clearImmediate require module exports __dirname __filename';
const browserGlobals = readonly(`${sharedGlobals}
  window document navigator location history localStorage sessionStorage alert confirm requestAnimationFrame
  cancelAnimationFrame getComputedStyle HTMLElement HTMLInputElement HTMLSelectElement HTMLTextAreaElement Element Node
  MutationObserver KeyboardEvent MouseEvent CustomEvent XMLHttpRequest
  $ jQuery RED`); // the last three: Node-RED's editor (jQuery and the RED object)

// `_`-prefixed arguments, variables and caught errors are deliberately unused.
const unusedVars = {
  args: 'after-used',
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  caughtErrors: 'all',
  caughtErrorsIgnorePattern: '^_',
  destructuredArrayIgnorePattern: '^_',
  ignoreRestSiblings: true,
};

export default defineConfig(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.turbo/**',
      'test-output/**',
      'test-results/**',
      '**/*.tsbuildinfo',
      '**/*.json',
      'examples/**',
      'packages/*/examples/**',
      '.demo/**',
      '.changeset/**',
    ],
  },
  {
    linterOptions: {
      // Every eslint-disable comment must still be needed.
      reportUnusedDisableDirectives: 'error',
    },
  },
  {
    files: ['packages/*/{src,test,scripts,bench,bin,types}/**/*.{ts,mts,cts,js,mjs,cjs}', 'scripts/**/*.{ts,mts,cts,js,mjs,cjs}', 'eslint.config.mjs'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { globals: nodeGlobals },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', unusedVars],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'prefer-const': ['error', { destructuring: 'all' }],
      'no-var': 'error',
      // Node-RED node constructors keep `this` as `node` for their callbacks.
      '@typescript-eslint/no-this-alias': ['error', { allowDestructuring: true, allowedNames: ['node'] }],
    },
  },
  {
    // CommonJS scripts: require/module.exports are how they are written.
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['packages/*/test/**', 'scripts/job-package-template/test/**'],
    languageOptions: { globals: { ...nodeGlobals, ...mochaGlobals } },
  },
  {
    // Tests, the shared test helpers and hand-written typings of untyped modules stub and
    // probe loosely typed Node-RED objects: `any` is allowed there (not in runtime code).
    files: ['packages/*/test/**', 'packages/test-utils/**', 'packages/*/types/**', 'scripts/job-package-template/test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Code that runs in the Node-RED editor (the browser).
    files: ['packages/config/src/editor/browser/**'],
    languageOptions: { globals: { ...browserGlobals, ...Object.fromEntries(nodeOnlyGlobals.split(' ').map((name) => [name, 'off'])) } },
    // A script's top-level `interface Window { … }` merges into the global Window.
    rules: { '@typescript-eslint/no-unused-vars': ['error', { ...unusedVars, varsIgnorePattern: '^_|^Window$' }] },
  },
  {
    // Plain browser scripts (not modules, not CommonJS).
    files: ['packages/config/src/editor/browser/**/*.js'],
    languageOptions: { sourceType: 'script' },
  },
);
