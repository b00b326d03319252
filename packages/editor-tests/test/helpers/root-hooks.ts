/**
 * Mocha root hooks (loaded through .mocharc.json): one demo and one Chromium for the whole
 * run. Fails the run with a clear message when Chromium is not installed.
 */
import type { RootHookObject } from 'mocha';
import { startEditorEnv, stopEditorEnv } from './editor';

export const mochaHooks: RootHookObject = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    await startEditorEnv();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopEditorEnv();
  },
};
