/**
 * The emulator's job API (docs/api/requests.md, docs/api/errors.md) driven by core's CiClient, and by raw signed
 * requests where a test needs a request the client would never send.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildJobRequest, parseResponse, sign, type JobTag } from '@node-red-tencent-ci/core';
import {
  BUCKET,
  CI_HOST,
  CI_TIME,
  REGION,
  SECRET_ID,
  SECRET_KEY,
  eventually,
  parsed,
  rawRequest,
  signedRequest,
  suiteEmulator,
  videoTag,
  waitForEnd,
  withEmulator,
  withHeldScript,
} from './helpers/emulator';
import { assertApiError, rejection } from './helpers/assert';
import { formatCiTime } from '../src/time';

/**
 * Core's sign() over only the Host of `url` (and `query`), with the test keys: for requests
 * sent raw, whose path or headers are not what signedRequest would send.
 */
function hostOnlyAuthorization(url: string, method: string, pathname: string, query?: Record<string, string>): string {
  return sign({ secretId: SECRET_ID, secretKey: SECRET_KEY, method, pathname, query, headers: { host: new URL(url).host } });
}

const SNAPSHOT_PARAMS = {
  Input: { Object: 'input/clip.mp4' },
  Operation: {
    Snapshot: { Mode: 'Interval', Start: '0', TimeInterval: '1', Count: '2' },
    Output: { Region: REGION, Bucket: BUCKET, Object: 'out/snap-${number}.jpg' },
  },
};

const SUBMITS: Array<{ tag: JobTag; params: Record<string, unknown> }> = [
  { tag: 'MediaInfo', params: { Input: { Object: 'input/clip.mp4' } } },
  { tag: 'Snapshot', params: SNAPSHOT_PARAMS },
  { tag: 'QualityEstimate', params: { Input: { Object: 'input/clip.mp4' }, Operation: { QualityEstimateConfig: { Mode: 'general' } } } },
  { tag: 'VideoTag', params: videoTag('input/clip.mp4') },
  { tag: 'VideoTargetRec', params: { Input: { Object: 'input/clip.mp4' }, Operation: { VideoTargetRec: { Body: 'true' } } } },
];

describe('emulator API', function () {
  describe('POST /jobs (submit)', () => {
    // Jobs never start here: submit answers only, and no ffmpeg is needed.
    const t = suiteEmulator(
      {
        startDelayMs: 60_000,
        scenario: { templates: { t1vtr: { Tag: 'VideoTargetRec', Name: 'vtr', VideoTargetRec: { Body: 'true' } } } },
      },
      'input/clip.mp4',
    );

    for (const { tag, params } of SUBMITS) {
      const ai = tag === 'VideoTargetRec';
      it(`answers a ${tag} submit with a Submitted JobsDetail, times "-" and a ${ai ? 'a' : 'j'}… JobId`, async () => {
        const { JobsDetail: d } = await t.client().submit(tag, params);
        assert.equal(d.Code, 'Success');
        assert.equal(d.State, 'Submitted');
        assert.equal(d.Tag, tag);
        assert.equal(d.StartTime, '-');
        assert.equal(d.EndTime, '-');
        assert.match(d.CreationTime ?? '', CI_TIME);
        assert.match(d.JobId, ai ? /^a[0-9a-f]{32}$/ : /^j[0-9a-f]{32}$/);
        assert.match(d.QueueId ?? '', /^p[0-9a-f]{32}$/);
        assert.equal(d.Operation?.JobLevel, '0');
        if (ai) {
          assert.equal(d.QueueType, 'AIProcess');
          assert.equal(d.Input, undefined);
        } else {
          assert.equal(d.QueueType, undefined);
          assert.deepEqual(d.Input, { BucketId: BUCKET, Object: 'input/clip.mp4', Region: REGION });
        }
      });
    }

    it("echoes the request's Operation (Snapshot parameters, Output, UserData, JobLevel) in the answer", async () => {
      const { JobsDetail: d } = await t
        .client()
        .submit('Snapshot', { ...SNAPSHOT_PARAMS, Operation: { ...SNAPSHOT_PARAMS.Operation, UserData: 'my-data', JobLevel: '2' } });
      assert.deepEqual(d.Operation, {
        Snapshot: { Mode: 'Interval', Start: '0', TimeInterval: '1', Count: '2' },
        Output: { Region: REGION, Bucket: BUCKET, Object: 'out/snap-${number}.jpg' },
        UserData: 'my-data',
        JobLevel: '2',
      });
    });

    it('answers <Response><JobsDetail> as application/xml with x-ci-request-id, Server: tencent-ci and Date', async () => {
      const res = await signedRequest(t.emu.url, { method: 'POST', pathname: '/jobs', body: buildJobRequest('VideoTag', videoTag('input/clip.mp4')) });
      assert.equal(res.status, 200);
      assert.match(res.body, /^<Response><JobsDetail><Code>Success<\/Code>/);
      assert.equal(res.headers['content-type'], 'application/xml');
      assert.equal(res.headers.server, 'tencent-ci');
      assert.match(String(res.headers['x-ci-request-id']), /^[A-Za-z0-9]{20,}$/);
      assert.ok(Math.abs(Date.parse(String(res.headers.date)) - Date.now()) < 5000, `Date ${res.headers.date}`);
    });

    it('gives each answer its own x-ci-request-id, and error answers an x-ci-trace-id too', async () => {
      const a = await signedRequest(t.emu.url, { method: 'GET', pathname: '/jobs/jnope' });
      const b = await signedRequest(t.emu.url, { method: 'POST', pathname: '/jobs', body: '<Request><Tag>Transcode</Tag></Request>' });
      assert.notEqual(a.headers['x-ci-request-id'], b.headers['x-ci-request-id']);
      assert.equal(a.headers['x-ci-trace-id'], undefined);
      assert.ok(b.headers['x-ci-trace-id']);
      assert.match(b.body, new RegExp(`<RequestId>${String(b.headers['x-ci-request-id'])}</RequestId>`));
    });

    it('stamps CreationTime with the current time in UTC+8', async () => {
      const { JobsDetail: d } = await t.client().submit('VideoTag', videoTag('input/clip.mp4'));
      const created = Date.parse(d.CreationTime!.replace(/(\d{2})(\d{2})$/, '$1:$2'));
      assert.ok(Math.abs(created - Date.now()) < 3000, `CreationTime ${d.CreationTime}`);
    });

    it('escapes XML special characters in the values it echoes', async () => {
      const userData = `a&b<c>"d'e`;
      const res = await signedRequest(t.emu.url, {
        method: 'POST',
        pathname: '/jobs',
        body: buildJobRequest('VideoTag', videoTag('input/clip.mp4', { Operation: { UserData: userData } })),
      });
      assert.equal(res.status, 200, res.body);
      assert.equal(parsed(res).JobsDetail[0]!.Operation?.UserData, userData);
    });

    it('refuses a POST without Content-Length (chunked) with 411 MissingContentLength', async () => {
      const body = buildJobRequest('VideoTag', videoTag('input/clip.mp4'));
      const authorization = hostOnlyAuthorization(t.emu.url, 'POST', '/jobs');
      const res = await rawRequest(t.emu.url, {
        method: 'POST',
        path: '/jobs',
        headers: { authorization, 'content-type': 'application/xml', 'transfer-encoding': 'chunked' },
        body,
      });
      assertApiError(res, 411, 'MissingContentLength');
    });

    it('refuses a body over 1 MiB with 413 InvalidContent', async () => {
      const body = `<Request><Tag>VideoTag</Tag><Pad>${'x'.repeat(1024 * 1024)}</Pad></Request>`;
      const res = await signedRequest(t.emu.url, { method: 'POST', pathname: '/jobs', body });
      assertApiError(res, 413, 'InvalidContent');
    });

    it('refuses an Output.Bucket that does not exist with 400 InvalidArgument', async () => {
      const err = await rejection(
        t.client().submit('Snapshot', {
          ...SNAPSHOT_PARAMS,
          Operation: { ...SNAPSHOT_PARAMS.Operation, Output: { Region: REGION, Bucket: 'nosuchbucket-1250000000', Object: 'o-${number}.jpg' } },
        }),
      );
      assert.deepEqual({ code: err.code, status: err.status }, { code: 'InvalidArgument', status: 400 });
      assert.match(err.message, /nosuchbucket-1250000000/);
    });

    it('refuses a parameter out of range (Snapshot Count 0) with 400 InvalidArgument naming the field', async () => {
      const body =
        '<Request><Tag>Snapshot</Tag><Input><Object>input/clip.mp4</Object></Input><Operation>' +
        '<Snapshot><Mode>Interval</Mode><Count>0</Count></Snapshot>' +
        `<Output><Region>${REGION}</Region><Bucket>${BUCKET}</Bucket><Object>out/\${number}.jpg</Object></Output></Operation></Request>`;
      const res = await signedRequest(t.emu.url, { method: 'POST', pathname: '/jobs', body });
      const message = assertApiError(res, 400, 'InvalidArgument');
      assert.match(message, /Operation\.Snapshot\.Count/);
    });

    it('refuses a job whose input object does not exist with 400 ResourceNotFound', async () => {
      const err = await rejection(t.client().submit('VideoTag', videoTag('input/missing.mp4')));
      assert.deepEqual({ code: err.code, status: err.status }, { code: 'ResourceNotFound', status: 400 });
      assert.match(err.message, /input\/missing\.mp4/);
    });

    it('refuses an empty body with 400 MissingContent', async () => {
      const res = await signedRequest(t.emu.url, { method: 'POST', pathname: '/jobs', body: '' });
      assertApiError(res, 400, 'MissingContent');
    });

    it('refuses a Tag it does not run with 400 InvalidArgument', async () => {
      const res = await signedRequest(t.emu.url, {
        method: 'POST',
        pathname: '/jobs',
        body: '<Request><Tag>Transcode</Tag><Input><Object>input/clip.mp4</Object></Input></Request>',
      });
      const message = assertApiError(res, 400, 'InvalidArgument');
      assert.match(message, /Transcode/);
    });

    it('refuses a body that is not XML with 400 InvalidContent', async () => {
      const res = await signedRequest(t.emu.url, { method: 'POST', pathname: '/jobs', body: '<Request><Tag>VideoTag</Tag>' });
      assertApiError(res, 400, 'InvalidContent');
    });

    it('refuses a body that differs from its Content-MD5 with 400 InvalidContent', async () => {
      const body = buildJobRequest('VideoTag', videoTag('input/clip.mp4'));
      const md5 = createHash('md5').update(`${body} `).digest('base64');
      const res = await signedRequest(t.emu.url, { method: 'POST', pathname: '/jobs', body, headers: { 'content-md5': md5 } });
      assertApiError(res, 400, 'InvalidContent');
    });

    it('refuses an unknown TemplateId with 400 InvalidArgument', async () => {
      const err = await rejection(t.client().submit('VideoTargetRec', { Input: { Object: 'input/clip.mp4' }, Operation: { TemplateId: 't1nosuchtemplate' } }));
      assert.deepEqual({ code: err.code, status: err.status }, { code: 'InvalidArgument', status: 400 });
      assert.match(err.message, /t1nosuchtemplate/);
    });

    it('takes the parameters of a TemplateId from the scenario and reports its TemplateName', async () => {
      const { JobsDetail: d } = await t.client().submit('VideoTargetRec', { Input: { Object: 'input/clip.mp4' }, Operation: { TemplateId: 't1vtr' } });
      assert.equal(d.State, 'Submitted');
      assert.equal(d.Operation?.TemplateId, 't1vtr');
      assert.equal(d.Operation?.TemplateName, 'vtr');
    });
  });

  describe('POST /jobs with a free queue slot', () => {
    it('answers State Submitted with StartTime "-" even when the job starts at once', async () => {
      await withEmulator({}, async (t) => {
        await t.put('input/a.mp4');
        const { JobsDetail: d } = await t.client().submit('VideoTag', videoTag('input/a.mp4'));
        assert.deepEqual([d.State, d.StartTime, d.EndTime], ['Submitted', '-', '-']);
      });
    });
  });

  describe('TemplateId jobs', () => {
    it('run a scenario template job to Success', async () => {
      await withEmulator({ scenario: { templates: { t1vtr: { Tag: 'VideoTargetRec', Name: 'vtr', VideoTargetRec: { Body: 'true' } } } } }, async (t) => {
        await t.put('input/people.mp4');
        const client = t.client();
        const { JobsDetail: d } = await client.submit('VideoTargetRec', { Input: { Object: 'input/people.mp4' }, Operation: { TemplateId: 't1vtr' } });
        const done = await waitForEnd(client, d.JobId);
        assert.equal(done.State, 'Success');
        assert.equal(done.Operation?.TemplateName, 'vtr');
      });
    });
  });

  describe('authentication', () => {
    const t = suiteEmulator();

    it('answers a request without Authorization with 401 MissingAuthorization', async () => {
      const res = await rawRequest(t.emu.url, { method: 'GET', path: '/jobs/jabc' });
      assertApiError(res, 401, 'MissingAuthorization');
    });

    it('answers a malformed Authorization with 401 InvalidAuthorization', async () => {
      const res = await rawRequest(t.emu.url, { method: 'GET', path: '/jobs/jabc', headers: { authorization: 'garbage' } });
      assertApiError(res, 401, 'InvalidAuthorization');
    });

    it('answers a signature made with the wrong SecretKey with 401 AccessDenied', async () => {
      const err = await rejection(t.client({ secretKey: 'not-the-secret-key' }).describe('jabc'));
      assert.deepEqual({ code: err.code, status: err.status }, { code: 'AccessDenied', status: 401 });
    });

    it('answers an unknown SecretId with 401 SecretidNotExist', async () => {
      const err = await rejection(t.client({ secretId: 'AKIDunknown' }).describe('jabc'));
      assert.deepEqual({ code: err.code, status: err.status }, { code: 'SecretidNotExist', status: 401 });
    });

    it('answers a signature whose KeyTime has ended with 401 SignatureExpired', async () => {
      const now = Math.floor(Date.now() / 1000);
      const res = await signedRequest(t.emu.url, { method: 'GET', pathname: '/jobs/jabc', keyTime: `${now - 7200};${now - 3600}` });
      assertApiError(res, 401, 'SignatureExpired');
    });

    it('answers a signature naming a header the request lacks with 401 InvalidAuthorization', async () => {
      const res = await signedRequest(t.emu.url, { method: 'GET', pathname: '/jobs/jabc', signedOnly: { 'x-ci-extra': 'x' } });
      const message = assertApiError(res, 401, 'InvalidAuthorization');
      assert.match(message, /x-ci-extra/);
    });

    it('answers a signature over another path with 401 AccessDenied', async () => {
      const authorization = hostOnlyAuthorization(t.emu.url, 'GET', '/jobs/jother');
      const res = await rawRequest(t.emu.url, { method: 'GET', path: '/jobs/jabc', headers: { authorization } });
      assertApiError(res, 401, 'AccessDenied');
    });

    it('answers a signature that starts more than 900 s in the future with 401 SignatureExpired', async () => {
      const now = Math.floor(Date.now() / 1000);
      const res = await signedRequest(t.emu.url, { method: 'GET', pathname: '/jobs/jabc', keyTime: `${now + 1000};${now + 2000}` });
      assertApiError(res, 401, 'SignatureExpired');
    });

    it('answers a signature naming a query parameter the request lacks with 401 InvalidAuthorization', async () => {
      const authorization = hostOnlyAuthorization(t.emu.url, 'GET', '/jobs/jabc', { detail: '1' });
      const res = await rawRequest(t.emu.url, { method: 'GET', path: '/jobs/jabc', headers: { authorization } });
      const message = assertApiError(res, 401, 'InvalidAuthorization');
      assert.match(message, /detail/);
    });

    it('accepts query parameters left out of the signature (?cancel unsigned, as the Python SDK sends it)', async () => {
      await withEmulator({ startDelayMs: 60_000 }, async (slowStart) => {
        await slowStart.put('input/a.mp4');
        const { JobId } = (await slowStart.client().submit('VideoTag', videoTag('input/a.mp4'))).JobsDetail;
        const authorization = hostOnlyAuthorization(slowStart.emu.url, 'PUT', `/jobs/${JobId}`);
        const res = await rawRequest(slowStart.emu.url, { method: 'PUT', path: `/jobs/${JobId}?cancel`, headers: { authorization, 'content-length': '0' } });
        assert.equal(res.status, 200, res.body);
        assert.equal(slowStart.emu.job(JobId)?.State, 'Cancel');
      });
    });

    it('answers with its own (skewed) clock in Date, from which CiClient corrects a SignatureExpired', async () => {
      await withEmulator({ clockSkewMs: 2 * 3600_000 }, async (ahead) => {
        const raw = await signedRequest(ahead.emu.url, { method: 'GET', pathname: '/jobs/jabc' });
        assertApiError(raw, 401, 'SignatureExpired');
        assert.ok(Math.abs(Date.parse(String(raw.headers.date)) - (Date.now() + 2 * 3600_000)) < 5000, `Date ${raw.headers.date}`);
        const res = await ahead.client().describe('jabc');
        assert.deepEqual(res.NonExistJobIds, ['jabc']);
      });
    });

    it('accepts the CI host name <bucket>.ci.<region>.myqcloud.com:<port> in Host', async () => {
      const res = await signedRequest(t.emu.url, { method: 'GET', pathname: '/jobs/jabc', host: `${CI_HOST}:${t.emu.port}` });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(parsed(res).NonExistJobIds, ['jabc']);
    });

    it('answers a CI host name of another region with 400 InvalidHost', async () => {
      const res = await signedRequest(t.emu.url, { method: 'GET', pathname: '/jobs/jabc', host: `${BUCKET}.ci.ap-beijing.myqcloud.com:${t.emu.port}` });
      assertApiError(res, 400, 'InvalidHost');
    });

    it('serves the bucket a CI host name names (a job on another bucket folder)', async () => {
      const other = 'otherbucket-1250000000';
      await mkdir(join(t.emu.root, other, 'input'), { recursive: true });
      await writeFile(join(t.emu.root, other, 'input', 'b.mp4'), 'video');
      const body = buildJobRequest('VideoTag', videoTag('input/b.mp4'));
      const res = await signedRequest(t.emu.url, { method: 'POST', pathname: '/jobs', body, host: `${other}.ci.${REGION}.myqcloud.com:${t.emu.port}` });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(parsed(res).JobsDetail[0]!.Input, { BucketId: other, Object: 'input/b.mp4', Region: REGION });
      const viaDefault = await signedRequest(t.emu.url, { method: 'POST', pathname: '/jobs', body });
      assertApiError(viaDefault, 400, 'ResourceNotFound');
    });

    describe('with a session token configured', () => {
      const s = suiteEmulator({ sessionToken: 'STS-TOKEN-1' });

      it('answers a request without the token with 403 AccessDenied', async () => {
        const err = await rejection(s.client().describe('jabc'));
        assert.deepEqual({ code: err.code, status: err.status }, { code: 'AccessDenied', status: 403 });
      });

      it('answers a request with another token with 403 AccessDenied', async () => {
        const err = await rejection(s.client({ sessionToken: 'STS-TOKEN-2' }).describe('jabc'));
        assert.deepEqual({ code: err.code, status: err.status }, { code: 'AccessDenied', status: 403 });
      });

      it('accepts the token in x-ci-security-token (signed, as CiClient sends it)', async () => {
        const res = await s.client({ sessionToken: 'STS-TOKEN-1' }).describe('jabc');
        assert.deepEqual(res.NonExistJobIds, ['jabc']);
      });

      it('accepts the token in x-cos-security-token, unsigned', async () => {
        const res = await signedRequest(s.emu.url, { method: 'GET', pathname: '/jobs/jabc', unsignedHeaders: { 'x-cos-security-token': 'STS-TOKEN-1' } });
        assert.equal(res.status, 200, res.body);
      });
    });
  });

  describe('GET /jobs/<ids> (describe)', () => {
    const t = suiteEmulator({ startDelayMs: 300 }, 'input/a.mp4');

    it('describes several jobs in one request and lists unknown ids in NonExistJobIds', async () => {
      const client = t.client();
      const a = (await client.submit('VideoTag', videoTag('input/a.mp4'))).JobsDetail.JobId;
      const b = (await client.submit('VideoTag', videoTag('input/a.mp4'))).JobsDetail.JobId;
      const res = await signedRequest(t.emu.url, { method: 'GET', pathname: `/jobs/${a},${b},jbogus` });
      assert.equal(res.status, 200);
      assert.match(res.body, /<NonExistJobIds>jbogus<\/NonExistJobIds>/);
      const body = parseResponse(res.body);
      assert.deepEqual(
        body.JobsDetail.map((d) => d.JobId),
        [a, b],
      );
      assert.deepEqual(body.NonExistJobIds, ['jbogus']);
    });

    it('leaves NonExistJobIds out when every id exists', async () => {
      const client = t.client();
      const a = (await client.submit('VideoTag', videoTag('input/a.mp4'))).JobsDetail.JobId;
      const res = await signedRequest(t.emu.url, { method: 'GET', pathname: `/jobs/${a}` });
      assert.doesNotMatch(res.body, /NonExistJobIds/);
    });

    it('answers an id list with a character outside [A-Za-z0-9_-] with 400 InvalidArgument', async () => {
      const res = await signedRequest(t.emu.url, { method: 'GET', pathname: '/jobs/j1,j.2' });
      assertApiError(res, 400, 'InvalidArgument');
    });

    it('answers more than 100 ids with 400 InvalidArgument', async () => {
      const ids = Array.from({ length: 101 }, (_, i) => `j${i}`).join(',');
      const res = await signedRequest(t.emu.url, { method: 'GET', pathname: `/jobs/${ids}` });
      assertApiError(res, 400, 'InvalidArgument');
    });

    it('takes a VideoTag job from Submitted through Running to Success, setting StartTime, EndTime and Progress', async () => {
      await withHeldScript(t, 'input/held.mp4', async (hold) => {
        const client = t.client();
        const { JobId } = (await client.submit('VideoTag', videoTag('input/held.mp4'))).JobsDetail;
        const first = (await client.describe(JobId)).JobsDetail[0]!;
        assert.deepEqual([first.State, first.StartTime, first.EndTime], ['Submitted', '-', '-']);
        const running = await eventually(
          async () => {
            const d = (await client.describe(JobId)).JobsDetail[0]!;
            return d.State === 'Running' ? d : undefined;
          },
          3000,
          'Running',
        );
        assert.match(running.StartTime ?? '', CI_TIME);
        assert.equal(running.EndTime, '-');
        assert.equal(running.Progress, '0');
        await hold.release();
        const done = await waitForEnd(client, JobId);
        assert.equal(done.State, 'Success');
        assert.equal(done.Code, 'Success');
        assert.match(done.EndTime ?? '', CI_TIME);
        assert.equal(done.Progress, '100');
      });
    });

    it('ends an unscripted VideoTag job in Success with empty results and a Message saying they are emulated', async () => {
      const client = t.client();
      const { JobId } = (await client.submit('VideoTag', videoTag('input/a.mp4'))).JobsDetail;
      const done = await waitForEnd(client, JobId);
      assert.equal(done.State, 'Success');
      assert.match(done.Message ?? '', /^Emulated result: .*result lists are empty/);
      assert.deepEqual(done.Operation?.VideoTagResult, { StreamData: { SubErrCode: '0', SubErrMsg: 'ok' } });
    });

    it('returns the result scripted in <key>.ci-result.json beside the input', async () => {
      await t.put('input/cat.mp4');
      await t.put(
        'input/cat.mp4.ci-result.json',
        JSON.stringify({ VideoTagResult: { StreamData: { SubErrCode: '0', SubErrMsg: 'ok', Data: { Tags: [{ Tag: 'Cat', Confidence: '0.9' }] } } } }),
      );
      const client = t.client();
      const { JobId } = (await client.submit('VideoTag', videoTag('input/cat.mp4'))).JobsDetail;
      const done = await waitForEnd(client, JobId);
      assert.equal(done.State, 'Success');
      assert.match(done.Message ?? '', /scripted by input\/cat\.mp4\.ci-result\.json/);
      const result = done.Operation?.VideoTagResult as { StreamData: { Data: { Tags: unknown } } };
      assert.deepEqual(result.StreamData.Data.Tags, [{ Tag: 'Cat', Confidence: '0.9' }]);
    });

    it("fails a job whose script says State Failed, with the script's Code and Message", async () => {
      await t.put('input/broken.mp4');
      await t.put('input/broken.mp4.ci-result.json', JSON.stringify({ State: 'Failed', Code: 'ResourceNotSupported', Message: 'scripted failure' }));
      const client = t.client();
      const { JobId } = (await client.submit('VideoTag', videoTag('input/broken.mp4'))).JobsDetail;
      const done = await waitForEnd(client, JobId);
      assert.deepEqual([done.State, done.Code, done.Message], ['Failed', 'ResourceNotSupported', 'scripted failure']);
    });

    it('takes a script holding the result element\'s content directly ({ "StreamData": … })', async () => {
      await t.put('input/direct.mp4');
      await t.put(
        'input/direct.mp4.ci-result.json',
        JSON.stringify({ StreamData: { SubErrCode: '0', SubErrMsg: 'ok', Data: { Labels: [{ First: 'Animal', Second: 'Cat', Confidence: '0.8' }] } } }),
      );
      const client = t.client();
      const { JobId } = (await client.submit('VideoTag', videoTag('input/direct.mp4'))).JobsDetail;
      const done = await waitForEnd(client, JobId);
      const result = done.Operation?.VideoTagResult as { StreamData: { Data: { Labels: unknown } } };
      assert.deepEqual(result.StreamData.Data.Labels, [{ First: 'Animal', Second: 'Cat', Confidence: '0.8' }]);
    });

    it('fails a job whose script is not JSON with Code InternalError naming the script', async () => {
      await t.put('input/badscript.mp4');
      await t.put('input/badscript.mp4.ci-result.json', '{ not json');
      const client = t.client();
      const { JobId } = (await client.submit('VideoTag', videoTag('input/badscript.mp4'))).JobsDetail;
      const done = await waitForEnd(client, JobId);
      assert.deepEqual([done.State, done.Code], ['Failed', 'InternalError']);
      assert.match(done.Message ?? '', /badscript\.mp4\.ci-result\.json is not valid JSON/);
    });

    it("keeps a job whose script says QueuedSeconds Submitted that long, then runs it with the script's result (QueuedSeconds left out)", async () => {
      await t.put('input/queued.mp4');
      await t.put(
        'input/queued.mp4.ci-result.json',
        JSON.stringify({ QueuedSeconds: 1.2, StreamData: { SubErrCode: '0', SubErrMsg: 'ok', Data: { Tags: [{ Tag: 'Dog' }] } } }),
      );
      const client = t.client();
      const submittedAt = Date.now();
      const { JobId } = (await client.submit('VideoTag', videoTag('input/queued.mp4'))).JobsDetail;
      await new Promise((r) => setTimeout(r, 700)); // past the emulator's 300 ms start delay
      assert.equal((await client.describe(JobId)).JobsDetail[0]!.State, 'Submitted');
      const done = await waitForEnd(client, JobId);
      assert.ok(Date.now() - submittedAt >= 1200, 'not started before QueuedSeconds passed');
      assert.equal(done.State, 'Success');
      assert.deepEqual(done.Operation?.VideoTagResult, { StreamData: { SubErrCode: '0', SubErrMsg: 'ok', Data: { Tags: [{ Tag: 'Dog' }] } } });
    });

    it('lets a job held by QueuedSeconds be cancelled while it waits', async () => {
      await t.put('input/queued-cancel.mp4');
      await t.put('input/queued-cancel.mp4.ci-result.json', JSON.stringify({ QueuedSeconds: 600 }));
      const client = t.client();
      const { JobId } = (await client.submit('VideoTag', videoTag('input/queued-cancel.mp4'))).JobsDetail;
      await new Promise((r) => setTimeout(r, 500));
      await client.cancel(JobId);
      assert.equal((await client.describe(JobId)).JobsDetail[0]!.State, 'Cancel');
    });

    it('ignores a QueuedSeconds that is not a number of seconds (the job runs at once)', async () => {
      await t.put('input/queued-bad.mp4');
      await t.put('input/queued-bad.mp4.ci-result.json', JSON.stringify({ QueuedSeconds: 'soon' }));
      const client = t.client();
      const { JobId } = (await client.submit('VideoTag', videoTag('input/queued-bad.mp4'))).JobsDetail;
      assert.equal((await waitForEnd(client, JobId)).State, 'Success');
    });

    it('fails a MediaInfo job whose input is deleted before it starts with Code ResourceNotFound', async () => {
      await t.put('input/gone.mp4');
      const client = t.client();
      const { JobId } = (await client.submit('MediaInfo', { Input: { Object: 'input/gone.mp4' } })).JobsDetail;
      await unlink(`${t.bucketDir}/input/gone.mp4`);
      const done = await waitForEnd(client, JobId);
      assert.deepEqual([done.State, done.Code], ['Failed', 'ResourceNotFound']);
      assert.match(done.Message ?? '', /input\/gone\.mp4/);
    });
  });

  describe('scenario results', () => {
    it("uses the scenario's results[<key>] for a VideoTargetRec job when no script file exists", async () => {
      const BodyRecognition = [
        {
          Time: '1.000000',
          Url: 'https://example.com/f.jpg',
          BodyInfo: [{ Name: 'person', Score: '90', Location: { X: '1', Y: '2', Width: '3', Height: '4' } }],
        },
      ];
      await withEmulator({ scenario: { results: { 'input/people.mp4': { VideoTargetRecResult: { BodyRecognition } } } } }, async (t) => {
        await t.put('input/people.mp4');
        const client = t.client();
        const { JobId } = (await client.submit('VideoTargetRec', { Input: { Object: 'input/people.mp4' }, Operation: { VideoTargetRec: { Body: 'true' } } }))
          .JobsDetail;
        const done = await waitForEnd(client, JobId);
        assert.equal(done.State, 'Success');
        assert.match(done.Message ?? '', /scripted by the scenario's results\["input\/people\.mp4"\]/);
        assert.deepEqual((done.Operation?.VideoTargetRecResult as { BodyRecognition: unknown }).BodyRecognition, BodyRecognition);
      });
    });
  });

  describe('GET /jobs (list)', () => {
    const t = suiteEmulator({}, 'input/a.mp4', 'input/b.mp4', 'input/c.mp4');
    /** Job ids in submission order: a, a, b, a, c(failed). */
    const ids: string[] = [];
    before(async () => {
      await t.put('input/c.mp4.ci-result.json', JSON.stringify({ State: 'Failed', Code: 'InternalError', Message: 'scripted' }));
      const client = t.client();
      for (const key of ['a', 'a', 'b', 'a', 'c']) {
        ids.push((await client.submit('VideoTag', videoTag(`input/${key}.mp4`))).JobsDetail.JobId);
      }
      for (const id of ids) await waitForEnd(client, id);
    });

    it('answers a list without tag with 400 InvalidArgument', async () => {
      const res = await signedRequest(t.emu.url, { method: 'GET', pathname: '/jobs', query: { size: '10' } });
      const message = assertApiError(res, 400, 'InvalidArgument');
      assert.match(message, /tag/);
    });

    it('lists the newest job first by default (orderByTime Desc)', async () => {
      const { JobsDetail } = await t.client().list({ tag: 'VideoTag' });
      assert.deepEqual(
        JobsDetail.map((d) => d.JobId),
        [...ids].reverse(),
      );
    });

    it('lists the oldest job first with orderByTime Asc', async () => {
      const { JobsDetail } = await t.client().list({ tag: 'VideoTag', orderByTime: 'Asc' });
      assert.deepEqual(
        JobsDetail.map((d) => d.JobId),
        ids,
      );
    });

    it('filters by states', async () => {
      const failed = await t.client().list({ tag: 'VideoTag', states: 'Failed' });
      assert.deepEqual(
        failed.JobsDetail.map((d) => d.JobId),
        [ids[4]],
      );
      const both = await t.client().list({ tag: 'VideoTag', states: ['Success', 'Failed'], orderByTime: 'Asc' });
      assert.deepEqual(
        both.JobsDetail.map((d) => d.JobId),
        ids,
      );
      const none = await t.client().list({ tag: 'VideoTag', states: 'Running' });
      assert.deepEqual(none.JobsDetail, []);
    });

    it('filters by inputObject (exact key)', async () => {
      const { JobsDetail } = await t.client().list({ tag: 'VideoTag', inputObject: 'input/b.mp4' });
      assert.deepEqual(
        JobsDetail.map((d) => d.JobId),
        [ids[2]],
      );
    });

    it('lists only jobs of the given tag', async () => {
      const { JobsDetail, NextToken } = await t.client().list({ tag: 'MediaInfo' });
      assert.deepEqual(JobsDetail, []);
      assert.equal(NextToken, undefined);
    });

    it('pages with size and NextToken until a page without NextToken', async () => {
      const client = t.client();
      const pages: string[][] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.list({ tag: 'VideoTag', size: 2, orderByTime: 'Asc', nextToken });
        pages.push(page.JobsDetail.map((d) => d.JobId));
        nextToken = page.NextToken;
      } while (nextToken && pages.length < 10);
      assert.deepEqual(pages, [ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    });

    it('filters by startCreationTime and endCreationTime (2022-06-27T00:00:00+0800 format)', async () => {
      const hourAgo = formatCiTime(Date.now() - 3600_000);
      const inAnHour = formatCiTime(Date.now() + 3600_000);
      const client = t.client();
      assert.equal((await client.list({ tag: 'VideoTag', startCreationTime: hourAgo, endCreationTime: inAnHour })).JobsDetail.length, 5);
      assert.deepEqual((await client.list({ tag: 'VideoTag', startCreationTime: inAnHour })).JobsDetail, []);
      assert.deepEqual((await client.list({ tag: 'VideoTag', endCreationTime: hourAgo })).JobsDetail, []);
    });

    const BAD_LIST_QUERIES: ReadonlyArray<readonly [string, Record<string, string>]> = [
      ['a malformed startCreationTime', { startCreationTime: '2022-06-27 00:00:00' }],
      ['a nextToken it did not issue', { nextToken: 'not-a-token' }],
      ['a nextToken that decodes to nothing ("-")', { nextToken: '-' }],
      ['size 101', { size: '101' }],
      ['an unknown state in states', { states: 'Done' }],
    ];
    for (const [what, query] of BAD_LIST_QUERIES) {
      it(`answers ${what} with 400 InvalidArgument`, async () => {
        const res = await signedRequest(t.emu.url, { method: 'GET', pathname: '/jobs', query: { tag: 'VideoTag', ...query } });
        assertApiError(res, 400, 'InvalidArgument');
      });
    }
  });

  describe('PUT /jobs/<id>?cancel', () => {
    const slow = suiteEmulator({ startDelayMs: 2000 }, 'input/a.mp4');
    const fast = suiteEmulator({}, 'input/a.mp4');

    it('cancels a Submitted job: describe then shows State Cancel with an EndTime', async () => {
      const client = slow.client();
      const { JobId } = (await client.submit('VideoTag', videoTag('input/a.mp4'))).JobsDetail;
      const res = await client.cancel(JobId);
      assert.match(res.requestId ?? '', /^[A-Za-z0-9]+$/);
      const d = (await client.describe(JobId)).JobsDetail[0]!;
      assert.equal(d.State, 'Cancel');
      assert.equal(d.StartTime, '-');
      assert.match(d.EndTime ?? '', CI_TIME);
      assert.equal(slow.emu.stats().queued, 0);
    });

    it('answers a successful cancel with 200 and an empty body', async () => {
      const client = slow.client();
      const { JobId } = (await client.submit('VideoTag', videoTag('input/a.mp4'))).JobsDetail;
      const res = await signedRequest(slow.emu.url, { method: 'PUT', pathname: `/jobs/${JobId}`, query: { cancel: '' } });
      assert.equal(res.status, 200);
      assert.equal(res.body, '');
    });

    it('refuses to cancel a finished job with 400 InvalidArgument "can not be modified"', async () => {
      const client = fast.client();
      const { JobId } = (await client.submit('VideoTag', videoTag('input/a.mp4'))).JobsDetail;
      assert.equal((await waitForEnd(client, JobId)).State, 'Success');
      const err = await rejection(client.cancel(JobId));
      assert.deepEqual({ code: err.code, status: err.status }, { code: 'InvalidArgument', status: 400 });
      assert.match(err.message, /can not be modified/);
    });

    it('refuses to cancel a Running job with 400 InvalidArgument "can not be modified"', async () => {
      await withHeldScript(fast, 'input/held.mp4', async (hold) => {
        const client = fast.client();
        const { JobId } = (await client.submit('VideoTag', videoTag('input/held.mp4'))).JobsDetail;
        await eventually(() => (fast.emu.job(JobId)?.State === 'Running' ? true : undefined), 3000, 'Running');
        const err = await rejection(client.cancel(JobId));
        assert.deepEqual({ code: err.code, status: err.status }, { code: 'InvalidArgument', status: 400 });
        assert.match(err.message, /can not be modified/);
        await hold.release();
        assert.equal((await waitForEnd(client, JobId)).State, 'Success');
      });
    });

    it('refuses to cancel an unknown job with 400 InvalidArgument', async () => {
      const err = await rejection(fast.client().cancel('jdoesnotexist'));
      assert.deepEqual({ code: err.code, status: err.status }, { code: 'InvalidArgument', status: 400 });
    });

    it('answers PUT /jobs/<id> without ?cancel with 400 InvalidArgument and leaves the job alone', async () => {
      const client = slow.client();
      const { JobId } = (await client.submit('VideoTag', videoTag('input/a.mp4'))).JobsDetail;
      const res = await signedRequest(slow.emu.url, { method: 'PUT', pathname: `/jobs/${JobId}`, body: '' });
      const message = assertApiError(res, 400, 'InvalidArgument');
      assert.match(message, /\?cancel/);
      assert.equal((await client.describe(JobId)).JobsDetail[0]!.State, 'Submitted');
    });
  });

  describe('JobLevel priority', () => {
    it('starts a waiting JobLevel 2 job before JobLevel 0 jobs submitted earlier', async () => {
      const lines: string[] = [];
      await withEmulator({ concurrency: 1, log: (line) => lines.push(line) }, async (t) => {
        await t.put('input/a.mp4');
        await withHeldScript(t, 'input/blocker.mp4', async (hold) => {
          const client = t.client();
          // The blocker takes the only slot and stays Running until released.
          const blocker = (await client.submit('VideoTag', videoTag('input/blocker.mp4'))).JobsDetail.JobId;
          await eventually(() => (t.emu.job(blocker)?.State === 'Running' ? true : undefined), 3000, 'the blocker to run');
          const low1 = (await client.submit('VideoTag', videoTag('input/a.mp4', { Operation: { JobLevel: '0' } }))).JobsDetail.JobId;
          const low2 = (await client.submit('VideoTag', videoTag('input/a.mp4', { Operation: { JobLevel: '0' } }))).JobsDetail.JobId;
          const high = (await client.submit('VideoTag', videoTag('input/a.mp4', { Operation: { JobLevel: '2' } }))).JobsDetail.JobId;
          assert.deepEqual(
            [low1, low2, high].map((id) => t.emu.job(id)?.State),
            ['Submitted', 'Submitted', 'Submitted'],
          );
          await hold.release();
          for (const id of [low1, low2, high]) await waitForEnd(client, id);
          const order = lines.filter((l) => l.startsWith('success ')).map((l) => l.split(' ')[2]);
          assert.deepEqual(order, [blocker, high, low1, low2]);
        });
      });
    });
  });

  describe('objects (PUT/GET/HEAD /<key>)', () => {
    const t = suiteEmulator();

    it('stores a PUT object (answering its MD5 ETag) and serves it back with GET', async () => {
      const put = await signedRequest(t.emu.url, { method: 'PUT', pathname: '/input/hello.txt', body: 'hello world' });
      assert.equal(put.status, 200, put.body);
      assert.equal(put.headers.etag, `"${createHash('md5').update('hello world').digest('hex')}"`);
      assert.ok(put.headers['x-cos-request-id']);
      const get = await signedRequest(t.emu.url, { method: 'GET', pathname: '/input/hello.txt' });
      assert.equal(get.status, 200);
      assert.equal(get.body, 'hello world');
      assert.equal(get.headers['content-type'], 'text/plain');
    });

    it("answers HEAD with the object's size and no body", async () => {
      await t.put('input/size.bin', Buffer.alloc(1234));
      const head = await signedRequest(t.emu.url, { method: 'HEAD', pathname: '/input/size.bin' });
      assert.equal(head.status, 200);
      assert.equal(head.headers['content-length'], '1234');
      assert.equal(head.headers['content-type'], 'application/octet-stream');
      assert.equal(head.body, '');
    });

    it('makes a PUT object usable as a job input', async () => {
      await signedRequest(t.emu.url, { method: 'PUT', pathname: '/input/uploaded.mp4', body: 'video bytes' });
      const client = t.client();
      const { JobsDetail } = await client.submit('VideoTag', videoTag('input/uploaded.mp4'));
      assert.equal((await waitForEnd(client, JobsDetail.JobId)).State, 'Success');
    });

    it('stores keys with spaces and non-ASCII characters under their decoded name', async () => {
      const key = 'input/my clip (腾讯云).txt';
      const put = await signedRequest(t.emu.url, { method: 'PUT', pathname: `/${key}`, body: 'unicode' });
      assert.equal(put.status, 200, put.body);
      assert.equal(await readFile(join(t.bucketDir, key), 'utf8'), 'unicode');
      const get = await signedRequest(t.emu.url, { method: 'GET', pathname: `/${key}` });
      assert.equal(get.body, 'unicode');
    });

    it('answers GET of a missing key with 404 NoSuchKey', async () => {
      const res = await signedRequest(t.emu.url, { method: 'GET', pathname: '/input/nothing.txt' });
      assertApiError(res, 404, 'NoSuchKey');
    });

    it('refuses a key with a .. segment with 400 InvalidArgument', async () => {
      // Sent raw: fetch and URL would normalise the `..` away.
      const authorization = hostOnlyAuthorization(t.emu.url, 'GET', '/input/../../etc/passwd');
      const res = await rawRequest(t.emu.url, { method: 'GET', path: '/input/../../etc/passwd', headers: { authorization } });
      assertApiError(res, 400, 'InvalidArgument');
    });

    it('answers an unsigned GET of an object as a private COS bucket does: 403 AccessDenied "Access Denied."', async () => {
      await t.put('input/secret.txt', 'x');
      const res = await rawRequest(t.emu.url, { method: 'GET', path: '/input/secret.txt' });
      assert.equal(assertApiError(res, 403, 'AccessDenied'), 'Access Denied.');
    });
  });

  describe('debug routes', () => {
    it('GET /_emulator/stats counts API requests by route and jobs by state (debug requests not counted)', async () => {
      await withEmulator({}, async (t) => {
        await t.put('input/a.mp4');
        const client = t.client();
        const { JobId } = (await client.submit('VideoTag', videoTag('input/a.mp4'))).JobsDetail;
        await waitForEnd(client, JobId); // 1+ describes
        await client.list({ tag: 'VideoTag' });
        await rawRequest(t.emu.url, { method: 'DELETE', path: '/jobs' });
        await fetch(`${t.emu.url}/_emulator/health`);
        const res = await fetch(`${t.emu.url}/_emulator/stats`);
        assert.equal(res.headers.get('content-type'), 'application/json');
        const stats = (await res.json()) as { requests: Record<string, number>; jobs: Record<string, number>; queued: number };
        const describes = stats.requests.describe!;
        assert.ok(describes >= 1);
        assert.deepEqual(stats.requests, {
          total: 3 + describes,
          submit: 1,
          describe: describes,
          list: 1,
          cancel: 0,
          object: 0,
          videoinfo: 0,
          snapshot: 0,
          unknown: 1,
        });
        assert.deepEqual(stats.jobs, { Submitted: 0, Running: 0, Success: 1, Failed: 0, Cancel: 0 });
        assert.equal(stats.queued, 0);
        assert.deepEqual(t.emu.stats().requests, stats.requests);
      });
    });

    it('GET /_emulator/health reports the bucket, region and whether ffmpeg was found', async () => {
      await withEmulator({}, async (t) => {
        const health = await (await fetch(`${t.emu.url}/_emulator/health`)).json();
        assert.deepEqual(health, { ok: true, bucket: BUCKET, region: REGION, ffmpeg: Boolean(t.emu.tools.ffmpeg), ffprobe: Boolean(t.emu.tools.ffprobe) });
      });
    });
  });
});
