import { strict as assert } from 'node:assert';
import { SECRET_ID, SECRET_KEY } from '@node-red-tencent-ci/test-utils';
import { CLIP, activeTimeoutsWhenIdle, helper, setEnv } from '@node-red-tencent-ci/test-utils/src/nodes';
import { mediaInfoHarness } from './job-node-harness';

const NO_ENV = { TENCENTCLOUD_SECRET_ID: undefined, TENCENTCLOUD_SECRET_KEY: undefined, TENCENTCLOUD_SESSION_TOKEN: undefined };
const WRONG_KEY = 'wrong-secret-key-9876543210';

describe('tencent-ci-config node', () => {
  const harness = mediaInfoHarness().install();
  let restoreEnv: () => void;
  beforeEach(() => {
    restoreEnv = setEnv(NO_ENV);
  });
  afterEach(() => restoreEnv());

  describe('credentials', () => {
    it('signs jobs with the SecretId and SecretKey from the credential store', async () => {
      const { port, msg } = await harness.run({ wait: 'none' }, { payload: CLIP }, { credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY } });
      assert.equal(port, 'ok');
      assert.equal(msg.payload.State, 'Submitted');
    });

    it('reports AccessDenied to Catch when the stored SecretKey is wrong', async () => {
      const { port, msg } = await harness.run({}, { payload: CLIP }, { credentials: { secretId: SECRET_ID, secretKey: WRONG_KEY } });
      assert.equal(port, 'caught');
      assert.match(msg.error.message, /AccessDenied/);
    });

    it('falls back to TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY when its credentials are blank', async () => {
      setEnv({ TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: SECRET_KEY });
      const { port, msg } = await harness.run({ wait: 'none' }, { payload: CLIP }, { credentials: { secretId: '', secretKey: '' } });
      assert.equal(port, 'ok');
      assert.equal(msg.payload.State, 'Submitted');
    });

    it('prefers its own credentials to the environment', async () => {
      setEnv({ TENCENTCLOUD_SECRET_ID: 'AKIDother', TENCENTCLOUD_SECRET_KEY: WRONG_KEY });
      const { port } = await harness.run({}, { payload: CLIP }, { credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY } });
      assert.equal(port, 'ok');
    });

    it('reports a missing SecretId to Catch, naming TENCENTCLOUD_SECRET_ID and no secret', async () => {
      setEnv({ TENCENTCLOUD_SECRET_KEY: SECRET_KEY });
      const before = harness.submits();
      const { port, msg } = await harness.run({}, { payload: CLIP }, { credentials: { secretId: '', secretKey: '' } });
      assert.equal(port, 'caught');
      assert.match(msg.error.message, /No SecretId: set it in the Tencent CI config node or in the environment variable TENCENTCLOUD_SECRET_ID/);
      assert.ok(!JSON.stringify(msg).includes(SECRET_KEY));
      assert.equal(harness.submits(), before);
    });

    it('reports a missing SecretKey to Catch, naming TENCENTCLOUD_SECRET_KEY', async () => {
      const { port, msg } = await harness.run({}, { payload: CLIP }, { credentials: { secretId: SECRET_ID, secretKey: '' } });
      assert.equal(port, 'caught');
      assert.match(msg.error.message, /No SecretKey: set it in the Tencent CI config node or in the environment variable TENCENTCLOUD_SECRET_KEY/);
    });

    it('reports a job node without a config node to Catch', async () => {
      const { port, msg } = await harness.run({ config: '' }, { payload: CLIP });
      assert.equal(port, 'caught');
      assert.match(msg.error.message, /common\.errors\.noConfig/);
    });
  });

  describe('"Test connection" (POST /tencent-ci-config/test)', () => {
    const dialog = (body: Record<string, unknown>) => ({
      id: 'new-config',
      bucket: harness.emulator.bucket,
      region: harness.emulator.region,
      endpoint: harness.emulator.url,
      ...body,
    });
    const post = (body: Record<string, unknown>) => helper.request().post('/tencent-ci-config/test').send(body);

    it('answers ok for the SecretId and SecretKey in the dialog', async () => {
      await harness.load();
      const res = await post(dialog({ secretId: SECRET_ID, secretKey: SECRET_KEY }));
      assert.equal(res.status, 200);
      assert.equal(res.body.ok, true);
      assert.equal(res.body.code, 'Success');
      assert.equal(typeof res.body.requestId, 'string');
      assert.ok(!res.text.includes(SECRET_KEY));
    });

    it('answers AccessDenied for a wrong SecretKey, without the key', async () => {
      await harness.load();
      const res = await post(dialog({ secretId: SECRET_ID, secretKey: WRONG_KEY }));
      assert.equal(res.body.ok, false);
      assert.equal(res.body.code, 'AccessDenied');
      assert.ok(!res.text.includes(WRONG_KEY));
      assert.ok(!res.text.includes(SECRET_KEY));
    });

    it('uses the stored credentials of the config node when the dialog sends the unchanged-password marker', async () => {
      await harness.load();
      const res = await post(dialog({ id: 'cfg', secretId: SECRET_ID, secretKey: '__PWRD__' }));
      assert.equal(res.body.ok, true);
      assert.ok(!res.text.includes(SECRET_KEY));
    });

    it('answers MissingCredentials for the marker when no credentials are stored or set in the environment', async () => {
      await harness.load();
      const res = await post(dialog({ id: 'no-such-node', secretId: SECRET_ID, secretKey: '__PWRD__' }));
      assert.equal(res.body.ok, false);
      assert.equal(res.body.code, 'MissingCredentials');
    });

    it('falls back to the environment when the dialog has no credentials', async () => {
      setEnv({ TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: SECRET_KEY });
      await harness.load();
      const res = await post(dialog({}));
      assert.equal(res.body.ok, true);
      assert.ok(!res.text.includes(SECRET_KEY));
    });
  });

  describe('closing', () => {
    it('closes its client and watcher when the flow stops, leaving no timer behind', async () => {
      const baseline = await activeTimeoutsWhenIdle(harness.emulator);
      const { port, nodes } = await harness.run({ wait: 'result', timeout: 30 }, { payload: CLIP });
      assert.equal(port, 'ok');
      const ci = nodes.cfg.ci;
      const watcher = ci.watcher();
      await helper.unload();
      assert.throws(() => ci.client(), { code: 'ConfigClosed' });
      await assert.rejects(watcher.wait(`j${'1'.repeat(32)}`), { code: 'WatcherClosed' });
      assert.equal(await activeTimeoutsWhenIdle(harness.emulator), baseline, 'Timeout handles left after close');
    });
  });
});
