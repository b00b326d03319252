/** Mocha root hooks (loaded through .mocharc's `require`): stop Node-RED and remove temporary files after the run. */
import { cleanupAll } from './scratch';

export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    await cleanupAll();
  },
};
