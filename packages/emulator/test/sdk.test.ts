/**
 * The official Node SDK (cos-nodejs-sdk-v5, a dev dependency of packages/core) as a client
 * of the emulator: its own signing (which signs Host but sends the STS token unsigned) must
 * be accepted, and its error objects must carry the documented codes.
 *
 * SDK facts these tests rely on (sdk/base.js): `request({ Url })` signs the path of Url and
 * the Host of Url (plus content-length and content-type); `Action: 'cancel'` and
 * `Query: { cancel: '' }` both go on the wire as `?cancel=` (the request library re-serialises
 * the query) and are signed with q-url-param-list=cancel;
 * the token goes in x-ci-security-token only for *.ci.* URLs (else x-cos-security-token);
 * every 5xx and network error is retried up to 4 attempts in all, with no option to turn it off.
 */
import assert from 'node:assert/strict';
import COS from 'cos-nodejs-sdk-v5';
import { buildJobRequest } from '@node-red-tencent-ci/core';
import { CI_HOST, SECRET_ID, SECRET_KEY, suiteEmulator, videoTag, withEmulator } from './helpers/emulator';
import { sdkFailure } from './helpers/assert';

type Result = COS.RequestResult;

function call(cos: COS, params: COS.RequestParams): Promise<Result> {
  return new Promise((resolve, reject) => {
    cos.request(params, (err, data) => (err ? reject(err) : resolve(data)));
  });
}

function submitParams(url: string): COS.RequestParams {
  return { Method: 'POST', Url: `${url}/jobs`, Headers: { 'content-type': 'application/xml' }, Body: buildJobRequest('VideoTag', videoTag('input/a.mp4')) };
}

/** Headers of every request the SDK sends. */
function recordHeaders(cos: COS): Array<Record<string, string>> {
  const sent: Array<Record<string, string>> = [];
  (cos as unknown as { on(event: string, fn: (opt: { headers: Record<string, string> }) => void): void }).on('before-send', (opt) =>
    sent.push({ ...opt.headers }),
  );
  return sent;
}

describe('cos-nodejs-sdk-v5 against the emulator', function () {
  const t = suiteEmulator({ startDelayMs: 60_000 }, 'input/a.mp4');

  it('submits a job with cos.request POST /jobs and gets the parsed <Response><JobsDetail>', async () => {
    const cos = new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY });
    const sent = recordHeaders(cos);
    const data = await call(cos, submitParams(t.emu.url));
    assert.match(sent[0]!.Authorization ?? '', /&q-header-list=content-length;content-type;host&q-url-param-list=&/);
    assert.equal(data.statusCode, 200);
    assert.equal(data.Response.JobsDetail.State, 'Submitted');
    assert.equal(data.Response.JobsDetail.Tag, 'VideoTag');
    assert.match(data.Response.JobsDetail.JobId, /^j[0-9a-f]{32}$/);
    assert.ok(data.headers?.['x-ci-request-id']);
  });

  it('describes a job with GET /jobs/<id>', async () => {
    const cos = new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY });
    const { JobId } = (await call(cos, submitParams(t.emu.url))).Response.JobsDetail;
    const data = await call(cos, { Method: 'GET', Url: `${t.emu.url}/jobs/${JobId}` });
    assert.equal(data.statusCode, 200);
    assert.equal(data.Response.JobsDetail.JobId, JobId);
    assert.equal(data.Response.JobsDetail.State, 'Submitted');
  });

  it('cancels a job with PUT /jobs/<id> and Action "cancel" (on the wire ?cancel=, signed as cancel)', async () => {
    const cos = new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY });
    const { JobId } = (await call(cos, submitParams(t.emu.url))).Response.JobsDetail;
    const data = await call(cos, { Method: 'PUT', Url: `${t.emu.url}/jobs/${JobId}`, Action: 'cancel' });
    assert.equal(data.statusCode, 200);
    assert.equal(t.emu.job(JobId)?.State, 'Cancel');
  });

  it('gets err.code AccessDenied and statusCode 401 for a wrong SecretKey, after one request (4xx is not retried)', async () => {
    const before = t.emu.stats().requests.describe;
    const cos = new COS({ SecretId: SECRET_ID, SecretKey: 'wrong-secret-key' });
    const err = await sdkFailure(call(cos, { Method: 'GET', Url: `${t.emu.url}/jobs/jnope` }));
    assert.equal(err.code, 'AccessDenied');
    assert.equal(err.statusCode, 401);
    assert.match(err.message, /signature/);
    assert.equal(t.emu.stats().requests.describe - before, 1);
  });

  it('gets err.code SecretidNotExist for an unknown SecretId', async () => {
    const cos = new COS({ SecretId: 'AKIDunknown', SecretKey: SECRET_KEY });
    const err = await sdkFailure(call(cos, { Method: 'GET', Url: `${t.emu.url}/jobs/jnope` }));
    assert.deepEqual([err.code, err.statusCode], ['SecretidNotExist', 401]);
  });

  it('sends a 503 four times in all before giving up (the SDK always retries 5xx)', async () => {
    await withEmulator({ faults: 'describe:503@1' }, async (f) => {
      const cos = new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY });
      const err = await sdkFailure(call(cos, { Method: 'GET', Url: `${f.emu.url}/jobs/jnope` }));
      assert.deepEqual([err.code, err.statusCode], ['ServiceUnavailable', 503]);
      assert.equal(f.emu.stats().requests.describe, 4);
    });
  });

  describe('with STS credentials', () => {
    const s = suiteEmulator({ startDelayMs: 60_000, sessionToken: 'STS-TOKEN-SDK' }, 'input/a.mp4');

    it('submits, describes and cancels with SecurityToken (sent unsigned as x-cos-security-token to 127.0.0.1)', async () => {
      const cos = new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY, SecurityToken: 'STS-TOKEN-SDK' });
      const sent = recordHeaders(cos);
      const { JobId } = (await call(cos, submitParams(s.emu.url))).Response.JobsDetail;
      assert.equal((await call(cos, { Method: 'GET', Url: `${s.emu.url}/jobs/${JobId}` })).Response.JobsDetail.State, 'Submitted');
      await call(cos, { Method: 'PUT', Url: `${s.emu.url}/jobs/${JobId}`, Action: 'cancel' });
      assert.equal(s.emu.job(JobId)?.State, 'Cancel');
      assert.equal(sent[0]!['x-cos-security-token'], 'STS-TOKEN-SDK');
      assert.doesNotMatch(sent[0]!.Authorization ?? '', /security-token/);
    });

    it('works with temporary keys from a getAuthorization callback', async () => {
      const cos = new COS({
        getAuthorization: (_options, callback) =>
          callback({
            TmpSecretId: SECRET_ID,
            TmpSecretKey: SECRET_KEY,
            SecurityToken: 'STS-TOKEN-SDK',
            StartTime: Math.floor(Date.now() / 1000) - 10,
            ExpiredTime: Math.floor(Date.now() / 1000) + 900,
          }),
      });
      const { JobId } = (await call(cos, submitParams(s.emu.url))).Response.JobsDetail;
      const data = await call(cos, { Method: 'GET', Url: `${s.emu.url}/jobs/${JobId}` });
      assert.equal(data.Response.JobsDetail.JobId, JobId);
    });

    it('sends the token as x-ci-security-token for the real CI host name (Ip option) and is accepted', async () => {
      const cos = new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY, SecurityToken: 'STS-TOKEN-SDK', Protocol: 'http:', Ip: `127.0.0.1:${s.emu.port}` });
      const sent = recordHeaders(cos);
      const data = await call(cos, { Method: 'GET', Url: `http://${CI_HOST}/jobs/jnope` });
      assert.equal(data.statusCode, 200);
      assert.equal(data.Response.NonExistJobIds, 'jnope');
      assert.equal(sent[0]!['x-ci-security-token'], 'STS-TOKEN-SDK');
      assert.equal(sent[0]!.Host, CI_HOST);
      assert.match(sent[0]!.Authorization ?? '', /q-header-list=host&/);
    });

    it('gets err.code AccessDenied and statusCode 403 with a wrong SecurityToken', async () => {
      const cos = new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY, SecurityToken: 'STS-OTHER' });
      const err = await sdkFailure(call(cos, { Method: 'GET', Url: `${s.emu.url}/jobs/jnope` }));
      assert.deepEqual([err.code, err.statusCode], ['AccessDenied', 403]);
    });
  });
});
