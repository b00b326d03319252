import { strict as assert } from 'node:assert';
import { resolveCredentials } from '../src/config-node';

const ENV = {
  TENCENTCLOUD_SECRET_ID: 'AKIDfromenv',
  TENCENTCLOUD_SECRET_KEY: 'key-from-env',
  TENCENTCLOUD_SESSION_TOKEN: 'token-from-env',
};

describe('resolveCredentials: the credential store first, then the environment', () => {
  it("uses the node's credentials when they are set", () => {
    assert.deepEqual(resolveCredentials({ secretId: 'AKIDnode', secretKey: 'key-node', sessionToken: 'token-node' }, ENV), {
      secretId: 'AKIDnode',
      secretKey: 'key-node',
      sessionToken: 'token-node',
    });
  });

  it('reads all three from TENCENTCLOUD_* when the node has none', () => {
    assert.deepEqual(resolveCredentials(undefined, ENV), { secretId: 'AKIDfromenv', secretKey: 'key-from-env', sessionToken: 'token-from-env' });
  });

  it('falls back to the environment for TENCENTCLOUD_SECRET_ID alone', () => {
    assert.equal(resolveCredentials({ secretKey: 'key-node' }, ENV).secretId, 'AKIDfromenv');
    assert.equal(resolveCredentials({ secretKey: 'key-node' }, ENV).secretKey, 'key-node');
  });

  it('falls back to the environment for TENCENTCLOUD_SECRET_KEY alone', () => {
    assert.equal(resolveCredentials({ secretId: 'AKIDnode', secretKey: '' }, ENV).secretKey, 'key-from-env');
    assert.equal(resolveCredentials({ secretId: 'AKIDnode', secretKey: '' }, ENV).secretId, 'AKIDnode');
  });

  it('falls back to the environment for TENCENTCLOUD_SESSION_TOKEN alone', () => {
    assert.equal(resolveCredentials({ secretId: 'AKIDnode', secretKey: 'key-node' }, ENV).sessionToken, 'token-from-env');
  });

  it('treats whitespace-only node credentials as blank', () => {
    assert.equal(resolveCredentials({ secretId: '   ', secretKey: '\t' }, ENV).secretId, 'AKIDfromenv');
    assert.equal(resolveCredentials({ secretId: '   ', secretKey: '\t' }, ENV).secretKey, 'key-from-env');
  });

  it('trims whitespace around node and environment values', () => {
    assert.deepEqual(resolveCredentials({ secretId: '  AKIDnode \n' }, { TENCENTCLOUD_SECRET_KEY: ' key-from-env\n', TENCENTCLOUD_SESSION_TOKEN: ' t ' }), {
      secretId: 'AKIDnode',
      secretKey: 'key-from-env',
      sessionToken: 't',
    });
  });

  it('gives empty SecretId and SecretKey and no session token when neither has them', () => {
    assert.deepEqual(resolveCredentials({}, {}), { secretId: '', secretKey: '', sessionToken: undefined });
  });
});
