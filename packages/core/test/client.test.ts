import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';

import { Pool } from 'undici';

import { buildJobRequest } from '../src/build';
import { CiClient, type CiClientOptions } from '../src/client';
import { CiError, CiOutcomeUnknownError, CiValidationError } from '../src/errors';
import { parseKeyTime } from '../src/sign';
import { JobWatcher } from '../src/watcher';
import { startTestServer, type RecordedRequest, type Reply, type TestServer } from './helpers/ci-test-server';
import { rejection } from './helpers/assert';

const SECRET_KEY = 'SECRETKEYtest0123456789';
const SESSION_TOKEN = 'TOKEN123';
const FAST_RETRY = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };

function jobXml(jobId: string, state = 'Submitted', tag = 'MediaInfo'): string {
  return (
    `<JobsDetail><Code>Success</Code><Message/><JobId>${jobId}</JobId><State>${state}</State>` +
    `<CreationTime>2022-06-27T15:23:10+0800</CreationTime><StartTime>-</StartTime><EndTime>-</EndTime>` +
    `<Tag>${tag}</Tag></JobsDetail>`
  );
}

function ok(inner: string, headers?: Record<string, string>): Reply {
  return { status: 200, headers, body: `<Response>${inner}</Response>` };
}

function fail(status: number, code: string, message: string, headers?: Record<string, string>): Reply {
  return { status, headers, body: `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>r1</RequestId></Error>` };
}

const slowDown = (headers?: Record<string, string>) => fail(429, 'SlowDown', 'Please decrease the access frequency', headers);

/** The start of a recorded request's q-sign-time, in unix seconds. */
function signStart(req: RecordedRequest): number {
  assert.ok(req.authorization, 'request has no parseable Authorization');
  return parseKeyTime(req.authorization.signTime).start;
}

/** A port nothing listens on (a server was there a moment ago). */
async function closedPort(): Promise<number> {
  const s = await startTestServer();
  const { port } = s;
  await s.close();
  return port;
}

describe('CiClient', () => {
  let server: TestServer;
  let clients: CiClient[] = [];

  function client(overrides: Partial<CiClientOptions> = {}): CiClient {
    const c = new CiClient({
      secretId: 'AKIDtest',
      secretKey: SECRET_KEY,
      bucket: 'examplebucket-1250000000',
      region: 'ap-guangzhou',
      endpoint: server.url,
      retry: FAST_RETRY,
      timeoutMs: 2000,
      ...overrides,
    });
    clients.push(c);
    return c;
  }

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    await server.close();
    await Promise.all(clients.map((c) => c.close()));
    clients = [];
  });

  describe('submit', () => {
    it('sends POST /jobs with the XML body from buildJobRequest, signed over host;content-length;content-type', async () => {
      server.respond([ok(jobXml('j1'), { 'x-ci-request-id': 'NjJiYzM1_submit' })]);
      const params = { Input: { Object: 'input/a.mp4' } };

      await client().submit('MediaInfo', params);

      assert.equal(server.requests.length, 1);
      const [req] = server.requests;
      assert.equal(req!.method, 'POST');
      assert.equal(req!.url, '/jobs');
      assert.equal(req!.headers['content-type'], 'application/xml');
      assert.equal(req!.headers.host, new URL(server.url).host);
      assert.equal(req!.body, buildJobRequest('MediaInfo', params));
      assert.ok(req!.body.includes('<Tag>MediaInfo</Tag>'));
      assert.ok(req!.body.includes('<Object>input/a.mp4</Object>'));
      assert.deepEqual(req!.authorization?.headerList, ['content-length', 'content-type', 'host']);
      assert.equal(req!.signatureValid, true);
    });

    it('names the package and its version from package.json in the User-Agent', async () => {
      server.respond([ok(jobXml('j1'))]);
      await client().submit('MediaInfo', { Input: { Object: 'input/a.mp4' } });
      const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
      assert.equal(server.requests[0]!.headers['user-agent'], `node-red-tencent-ci/${version}`);
    });

    it('returns the JobsDetail as an object and the requestId from x-ci-request-id', async () => {
      server.respond([ok(jobXml('j1'), { 'x-ci-request-id': 'NjJiYzM1_submit' })]);

      const result = await client().submit('MediaInfo', { Input: { Object: 'input/a.mp4' } });

      assert.equal(Array.isArray(result.JobsDetail), false);
      assert.equal(result.JobsDetail.JobId, 'j1');
      assert.equal(result.JobsDetail.State, 'Submitted');
      assert.equal(result.JobsDetail.Tag, 'MediaInfo');
      assert.equal(result.requestId, 'NjJiYzM1_submit');
    });

    it('throws CiValidationError naming Operation.Snapshot.Count for Count 0 and sends no request', async () => {
      const params = {
        Input: { Object: 'input/a.mp4' },
        Operation: {
          Snapshot: { Count: 0 },
          Output: { Region: 'ap-guangzhou', Bucket: 'examplebucket-1250000000', Object: 'output/snapshot-${number}.jpg' },
        },
      };

      const err = await rejection(client().submit('Snapshot', params));

      assert.ok(err instanceof CiValidationError);
      assert.equal(err.code, 'InvalidArgument');
      assert.equal(err.path, 'Operation.Snapshot.Count');
      assert.match(err.message, /Operation\.Snapshot\.Count/);
      assert.equal(server.requests.length, 0);
    });
  });

  describe('describe', () => {
    it('queries three ids in ONE request GET /jobs/j1,j2,j3 and returns JobsDetail and NonExistJobIds', async () => {
      server.respond([ok(`${jobXml('j1', 'Running')}${jobXml('j2', 'Success')}<NonExistJobIds>j3</NonExistJobIds>`)]);

      const result = await client().describe(['j1', 'j2', 'j3']);

      assert.equal(server.requests.length, 1);
      assert.equal(server.requests[0]!.method, 'GET');
      assert.equal(server.requests[0]!.url, '/jobs/j1,j2,j3');
      assert.equal(server.requests[0]!.signatureValid, true);
      assert.deepEqual(
        result.JobsDetail.map((d) => [d.JobId, d.State]),
        [
          ['j1', 'Running'],
          ['j2', 'Success'],
        ],
      );
      assert.deepEqual(result.NonExistJobIds, ['j3']);
    });

    it('splits 5 ids into 3 requests with describeBatchSize 2', async () => {
      server.respond((req) => {
        const ids = req.url.slice('/jobs/'.length).split(',');
        return ok(ids.map((id) => jobXml(id, 'Running')).join(''));
      });

      const result = await client({ describeBatchSize: 2 }).describe(['a1', 'a2', 'a3', 'a4', 'a5']);

      assert.deepEqual(server.requests.map((r) => r.url).sort(), ['/jobs/a1,a2', '/jobs/a3,a4', '/jobs/a5']);
      assert.deepEqual(result.JobsDetail.map((d) => d.JobId).sort(), ['a1', 'a2', 'a3', 'a4', 'a5']);
      assert.deepEqual(result.NonExistJobIds, []);
    });

    it('sends 100 ids in one request with describeBatchSize 100', async () => {
      server.respond((req) =>
        ok(
          req.url
            .slice('/jobs/'.length)
            .split(',')
            .map((id) => jobXml(id, 'Running'))
            .join(''),
        ),
      );
      const ids = Array.from({ length: 100 }, (_, i) => `j${i}`);

      const result = await client({ describeBatchSize: 100 }).describe(ids);

      assert.equal(server.requests.length, 1);
      assert.equal(result.JobsDetail.length, 100);
    });

    it('refuses a describeBatchSize outside [1, 100] or not an integer, naming the option, the value and the range', () => {
      for (const describeBatchSize of [0, 101, 2.5, Number.NaN]) {
        assert.throws(
          () => client({ describeBatchSize }),
          (err: unknown) =>
            err instanceof CiError &&
            err.code === 'InvalidArgument' &&
            err.message === `CiClient option describeBatchSize is ${describeBatchSize}; allowed: an integer in [1, 100]`,
          String(describeBatchSize),
        );
      }
    });

    it('reports ids missing from both JobsDetail and NonExistJobIds in NonExistJobIds', async () => {
      server.respond([ok(jobXml('j1', 'Running'))]);

      const result = await client().describe(['j1', 'j2']);

      assert.deepEqual(
        result.JobsDetail.map((d) => d.JobId),
        ['j1'],
      );
      assert.deepEqual(result.NonExistJobIds, ['j2']);
    });

    it('asks for a repeated id once', async () => {
      server.respond([ok(jobXml('j1', 'Running'))]);

      await client().describe(['j1', 'j1']);

      assert.deepEqual(
        server.requests.map((r) => r.url),
        ['/jobs/j1'],
      );
    });

    it("throws InvalidArgument for the id 'a/b' without sending a request", async () => {
      const err = await rejection(client().describe(['j1', 'a/b']));

      assert.equal(err.code, 'InvalidArgument');
      assert.equal(server.requests.length, 0);
    });
  });

  describe('list', () => {
    const query = { tag: 'Snapshot', states: ['Success', 'Failed'], size: 20, startCreationTime: '2022-06-27T00:00:00+0800' };

    it('percent-encodes + and , in the query and signs every parameter under its lower-cased name', async () => {
      server.respond([ok(`${jobXml('j1', 'Success', 'Snapshot')}<NextToken>token-2</NextToken>`)]);

      await client().list(query);

      const [req] = server.requests;
      assert.equal(req!.method, 'GET');
      assert.ok(req!.url.startsWith('/jobs?'), req!.url);
      assert.ok(req!.url.includes('startCreationTime=2022-06-27T00%3A00%3A00%2B0800'), req!.url);
      assert.ok(req!.url.includes('states=Success%2CFailed'), req!.url);
      assert.ok(!req!.url.includes('+') && !req!.url.includes(','), req!.url);
      assert.deepEqual(req!.authorization?.urlParamList, ['size', 'startcreationtime', 'states', 'tag']);
      assert.equal(req!.signatureValid, true);
    });

    it('returns the JobsDetail array and NextToken', async () => {
      server.respond([ok(`${jobXml('j1', 'Success', 'Snapshot')}<NextToken>token-2</NextToken>`)]);

      const result = await client().list(query);

      assert.deepEqual(
        result.JobsDetail.map((d) => d.JobId),
        ['j1'],
      );
      assert.equal(result.NextToken, 'token-2');
    });

    it('throws InvalidArgument for size 101 without sending a request', async () => {
      const err = await rejection(client().list({ ...query, size: 101 }));

      assert.equal(err.code, 'InvalidArgument');
      assert.equal(server.requests.length, 0);
    });
  });

  describe('refusals name what they concern', () => {
    it('starts a refused submit with the job and its input object, then the service code and message', async () => {
      server.respond([fail(400, 'InvalidArgument', 'The input is not a video')]);
      const err = await rejection(client().submit('MediaInfo', { Input: { Object: 'input/a.mp4' } }));
      assert.ok(err instanceof CiError);
      assert.equal(err.code, 'InvalidArgument');
      assert.match(err.message, /^Submitting the MediaInfo job for input\/a\.mp4: CI error InvalidArgument \(HTTP 400\): The input is not a video/);
      assert.equal(String(err), err.message, 'toString() is the message, as Node-RED shows it in msg.error.message');
    });

    it('names an input URL without its query (a signed URL carries its signature there)', async () => {
      server.respond([fail(400, 'InvalidArgument', 'bad input')]);
      const err = await rejection(
        client().submit('VideoTargetRec', { Input: { Url: 'https://example.com/v.mp4?sign=SECRETSIG' }, Operation: { VideoTargetRec: { Body: 'true' } } }),
      );
      assert.match(err.message, /^Submitting the VideoTargetRec job for https:\/\/example\.com\/v\.mp4: /);
      assert.ok(!err.message.includes('SECRETSIG'));
    });

    it('starts a refused cancel with the job id', async () => {
      server.respond([fail(400, 'InvalidArgument', 'The job has ended')]);
      const err = await rejection(client().cancel('j1'));
      assert.match(err.message, /^Cancelling job j1: CI error InvalidArgument/);
    });
  });

  describe('cancel', () => {
    it('sends PUT /jobs/j1?cancel signed with q-url-param-list=cancel', async () => {
      server.respond([{ status: 200, body: '' }]);

      await client().cancel('j1');

      const [req] = server.requests;
      assert.equal(req!.method, 'PUT');
      assert.equal(req!.url, '/jobs/j1?cancel');
      assert.deepEqual(req!.authorization?.urlParamList, ['cancel']);
      assert.equal(req!.signatureValid, true);
    });
  });

  describe('retries (GET)', () => {
    it('retries 429 SlowDown twice, then succeeds with the third answer', async () => {
      server.respond([slowDown(), slowDown(), ok(jobXml('j1', 'Running'))]);

      const result = await client().describe('j1');

      assert.equal(server.requests.length, 3);
      assert.equal(result.JobsDetail[0]!.State, 'Running');
    });

    it('retries 503 ServiceUnavailable, then succeeds', async () => {
      server.respond([fail(503, 'ServiceUnavailable', 'please try again'), ok(jobXml('j1', 'Running'))]);

      const result = await client().describe('j1');

      assert.equal(server.requests.length, 2);
      assert.equal(result.JobsDetail[0]!.JobId, 'j1');
    });

    it('retries a connection reset, then succeeds', async () => {
      server.respond([{ reset: 'before-body' }, ok(jobXml('j1', 'Running'))]);

      const result = await client().describe('j1');

      assert.equal(server.requests.length, 2);
      assert.equal(result.JobsDetail[0]!.JobId, 'j1');
    });

    it('throws the last SlowDown (status 429, retryable) after 1 + retries requests', async () => {
      server.respond([slowDown()]);

      const err = await rejection(client().describe('j1'));

      assert.equal(server.requests.length, 1 + FAST_RETRY.retries);
      assert.equal(err.code, 'SlowDown');
      assert.equal(err.status, 429);
      assert.equal(err.retryable, true);
      assert.ok(!(err instanceof CiOutcomeUnknownError));
    });

    it('honours Retry-After only up to maxDelayMs (Retry-After: 30 still succeeds at once)', async () => {
      server.respond([slowDown({ 'retry-after': '30' }), ok(jobXml('j1', 'Running'))]);
      const started = Date.now();

      await client().describe('j1');

      assert.equal(server.requests.length, 2);
      assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    });

    it('falls back to the default retries when retry.retries is undefined', async () => {
      server.respond([fail(503, 'ServiceUnavailable', 'please try again'), ok(jobXml('j1', 'Running'))]);

      await client({ retry: { retries: undefined, minDelayMs: 1, maxDelayMs: 5 } }).describe('j1');

      assert.equal(server.requests.length, 2);
    });
  });

  describe('submit retries only what cannot have created a job', () => {
    const params = { Input: { Object: 'input/a.mp4' } };

    it('throws CiOutcomeUnknownError after 1 request when the connection drops after the body was read', async () => {
      server.respond([{ reset: 'after-body' }, ok(jobXml('j1'))]);

      const err = await rejection(client().submit('MediaInfo', params));

      assert.ok(err instanceof CiOutcomeUnknownError);
      assert.equal(err.code, 'OutcomeUnknown');
      assert.equal(err.retryable, false);
      assert.equal(server.requests.length, 1);
      assert.equal(server.requests[0]!.body, buildJobRequest('MediaInfo', params));
    });

    it('throws CiOutcomeUnknownError after 1 request for 500 InternalError, naming InternalError', async () => {
      server.respond([fail(500, 'InternalError', 'internal error'), ok(jobXml('j1'))]);

      const err = await rejection(client().submit('MediaInfo', params));

      assert.ok(err instanceof CiOutcomeUnknownError);
      assert.equal(err.code, 'OutcomeUnknown');
      assert.equal(err.status, 500);
      assert.match(err.message, /InternalError/);
      assert.equal(server.requests.length, 1);
    });

    it('throws CiOutcomeUnknownError after 1 request when no answer comes within timeoutMs', async () => {
      server.respond([{ hang: true }]);

      const err = await rejection(client({ timeoutMs: 50 }).submit('MediaInfo', params));

      assert.ok(err instanceof CiOutcomeUnknownError);
      assert.equal(err.code, 'OutcomeUnknown');
      assert.equal(server.requests.length, 1);
    });

    it('throws the service error InvalidArgument (not OutcomeUnknown) after 1 request for a 400', async () => {
      server.respond([fail(400, 'InvalidArgument', 'Operation is invalid'), ok(jobXml('j1'))]);

      const err = await rejection(client().submit('MediaInfo', params));

      assert.ok(!(err instanceof CiOutcomeUnknownError));
      assert.equal(err.code, 'InvalidArgument');
      assert.equal(err.status, 400);
      assert.equal(server.requests.length, 1);
    });

    it('retries a refused connection (1 + retries attempts) and finally throws a retryable NetworkError', async () => {
      const port = await closedPort();
      const pool = new Pool(`http://127.0.0.1:${port}`);
      let refused = 0;
      pool.on('connectionError', () => {
        refused += 1;
      });

      try {
        const err = await rejection(client({ endpoint: `http://127.0.0.1:${port}`, dispatcher: pool }).submit('MediaInfo', params));

        assert.ok(!(err instanceof CiOutcomeUnknownError));
        assert.equal(err.code, 'NetworkError');
        assert.equal(err.retryable, true);
        assert.equal(refused, 1 + FAST_RETRY.retries);
      } finally {
        await pool.close();
      }
    });

    it('retries 429 SlowDown (rejected before any job exists) and succeeds with the second request', async () => {
      server.respond([slowDown(), ok(jobXml('j1'))]);

      const result = await client().submit('MediaInfo', params);

      assert.equal(server.requests.length, 2);
      assert.equal(result.JobsDetail.JobId, 'j1');
    });
    it('re-signs and resends a submit rejected with 403 AccessDenied "Request has expired"', async () => {
      const date = new Date(Date.now() + 2 * 3600 * 1000).toUTCString();
      server.respond([fail(403, 'AccessDenied', 'Request has expired', { date }), ok(jobXml('j1'))]);

      const result = await client().submit('MediaInfo', params);

      assert.equal(result.JobsDetail.JobId, 'j1');
      assert.equal(server.requests.length, 2);
    });

    it('throws CiOutcomeUnknownError when a 200 answer to a submit cannot be read', async () => {
      server.respond([{ status: 200, body: '<Response><JobsDetail><JobId>j1</JobId>' }]);

      const err = await rejection(client().submit('MediaInfo', params));

      assert.ok(err instanceof CiOutcomeUnknownError);
      assert.equal(err.code, 'OutcomeUnknown');
      assert.equal(server.requests.length, 1);
    });
  });

  describe('clock skew', () => {
    const TWO_HOURS = 2 * 3600 * 1000;

    for (const [name, answer] of [
      ['403 AccessDenied "Request has expired"', (date: string) => fail(403, 'AccessDenied', 'Request has expired', { date })],
      ['401 SignatureExpired', (date: string) => fail(401, 'SignatureExpired', 'The signature has expired', { date })],
    ] as const) {
      it(`re-signs with the server's clock after ${name} and succeeds`, async () => {
        const serverNow = Date.now() + TWO_HOURS;
        server.respond([answer(new Date(serverNow).toUTCString()), ok(jobXml('j1', 'Running'))]);

        const result = await client().describe('j1');

        assert.equal(result.JobsDetail[0]!.JobId, 'j1');
        assert.equal(server.requests.length, 2);
        const [first, second] = server.requests;
        assert.ok(Math.abs(signStart(first!) - Date.now() / 1000) <= 120, 'first request signed with the local clock');
        assert.ok(Math.abs(signStart(second!) - serverNow / 1000) <= 120, 'second request signed with the server clock');
        assert.equal(second!.signatureValid, true);
      });
    }

    it("re-signs with the server's clock when the server is 2 hours behind", async () => {
      const serverNow = Date.now() - TWO_HOURS;
      server.respond([fail(403, 'AccessDenied', 'Request has expired', { date: new Date(serverNow).toUTCString() }), ok(jobXml('j1', 'Running'))]);

      await client().describe('j1');

      assert.equal(server.requests.length, 2);
      assert.ok(Math.abs(signStart(server.requests[1]!) - serverNow / 1000) <= 120);
    });

    it('keeps signing later requests with the learned server clock', async () => {
      const serverNow = Date.now() + TWO_HOURS;
      server.respond([fail(401, 'SignatureExpired', 'expired', { date: new Date(serverNow).toUTCString() }), ok(jobXml('j1', 'Running'))]);
      const c = client();
      await c.describe('j1');

      await c.describe('j1');

      assert.equal(server.requests.length, 3);
      assert.ok(Math.abs(signStart(server.requests[2]!) - serverNow / 1000) <= 120);
    });

    it('corrects the clock only once per request: a second SignatureExpired is thrown', async () => {
      const date = new Date(Date.now() + TWO_HOURS).toUTCString();
      server.respond([fail(401, 'SignatureExpired', 'expired', { date })]);

      const err = await rejection(client().describe('j1'));

      assert.equal(err.code, 'SignatureExpired');
      assert.equal(err.status, 401);
      assert.equal(server.requests.length, 2);
    });
  });

  describe('KeyTime window', () => {
    it('signs requests within a minute with one KeyTime (one SignKey per window), then derives a new one', async () => {
      server.respond(() => ok(jobXml('j1', 'Running')));
      const c = client({ signatureExpiresIn: 900 });
      const realNow = Date.now;
      let now = realNow();
      Date.now = () => now;
      try {
        await c.describe('j1');
        now += 59_000;
        await c.describe('j1');
        now += 2_000;
        await c.describe('j1');
      } finally {
        Date.now = realNow;
      }
      const [a, b, d] = server.requests.map((r) => r.authorization!.keyTime);
      assert.equal(b, a, 'reused within the window');
      assert.notEqual(d, a, 'a new KeyTime after the window');
      for (const req of server.requests) assert.equal(req.signatureValid, true);
      // Even at the end of its window a KeyTime has >= 90 % of signatureExpiresIn left.
      assert.ok(parseKeyTime(a!).end - parseKeyTime(a!).start >= 900 + 60);
      assert.ok(parseKeyTime(d!).start > parseKeyTime(a!).start + 59);
    });
  });

  describe('STS session token', () => {
    it('sends x-ci-security-token: TOKEN123 on every request, signed, and the signature is valid', async () => {
      server.respond((req) => (req.method === 'POST' ? ok(jobXml('j1')) : ok(jobXml('j1', 'Running'))));
      const c = client({ sessionToken: SESSION_TOKEN });

      await c.submit('MediaInfo', { Input: { Object: 'input/a.mp4' } });
      await c.describe('j1');
      await c.list({ tag: 'MediaInfo' });
      await c.cancel('j1');

      assert.equal(server.requests.length, 4);
      for (const req of server.requests) {
        assert.equal(req.headers['x-ci-security-token'], SESSION_TOKEN, `${req.method} ${req.url}`);
        assert.ok(req.authorization?.headerList.includes('x-ci-security-token'), `${req.method} ${req.url}`);
        assert.equal(req.signatureValid, true, `${req.method} ${req.url}`);
      }
    });
  });

  describe('errors never carry secrets', () => {
    function assertNoSecrets(err: CiError): void {
      const renderings = {
        'String(err)': String(err),
        'err.message': err.message,
        'JSON.stringify(err)': JSON.stringify(err),
        'err.stack': err.stack ?? '',
        'util.inspect(err)': inspect(err, { depth: 5 }),
      };
      for (const [how, text] of Object.entries(renderings)) {
        for (const secret of [SECRET_KEY, SESSION_TOKEN, 'q-signature']) {
          assert.ok(!text.includes(secret), `${how} contains ${secret}: ${text}`);
        }
      }
    }

    it('for a 401 InvalidAuthorization answer', async () => {
      server.respond([fail(401, 'InvalidAuthorization', 'The Authorization header is invalid')]);

      const err = await rejection(client({ sessionToken: SESSION_TOKEN }).describe('j1'));

      assert.equal(err.code, 'InvalidAuthorization');
      assertNoSecrets(err);
    });

    it('for a network error', async () => {
      const port = await closedPort();

      const err = await rejection(client({ sessionToken: SESSION_TOKEN, endpoint: `http://127.0.0.1:${port}`, retry: false }).describe('j1'));

      assert.equal(err.code, 'NetworkError');
      assertNoSecrets(err);
    });

    it('for a timeout', async () => {
      server.respond([{ hang: true }]);

      const err = await rejection(client({ sessionToken: SESSION_TOKEN, timeoutMs: 50, retry: false }).describe('j1'));

      assert.equal(err.code, 'RequestTimeout');
      assertNoSecrets(err);
    });

    it('for an unknown submit outcome', async () => {
      server.respond([{ reset: 'after-body' }]);

      const err = await rejection(client({ sessionToken: SESSION_TOKEN }).submit('MediaInfo', { Input: { Object: 'input/a.mp4' } }));

      assert.equal(err.code, 'OutcomeUnknown');
      assertNoSecrets(err);
    });
  });

  describe('limits and connections', () => {
    it('throws RequestTimeout after 2 requests when a GET gets no answer within timeoutMs 50 (retries 1)', async () => {
      server.respond([{ hang: true }]);

      const err = await rejection(client({ timeoutMs: 50, retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 } }).describe('j1'));

      assert.equal(err.code, 'RequestTimeout');
      assert.equal(err.retryable, true);
      assert.equal(server.requests.length, 2);
    });

    it('throws BodyTooLarge for a 5000-byte answer with maxBodyBytes 1000, without retrying', async () => {
      const padding = 'x'.repeat(5000 - '<Response><Pad></Pad></Response>'.length);
      server.respond([ok(`<Pad>${padding}</Pad>`)]);

      const err = await rejection(client({ maxBodyBytes: 1000 }).describe('j1'));

      assert.equal(err.code, 'BodyTooLarge');
      assert.equal(server.requests.length, 1);
    });

    it('reuses one keep-alive connection for 5 sequential describes', async () => {
      server.respond([ok(jobXml('j1', 'Running'))]);
      const c = client();

      for (let i = 0; i < 5; i += 1) {
        await c.describe('j1');
        // undici reuses an HTTP/1.1 socket only one event-loop turn after its response completed.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }

      assert.equal(server.requests.length, 5);
      assert.equal(server.connections, 1);
    });

    it('opens at most 2 connections for 5 back-to-back describes (keep-alive, undici waits a turn per socket)', async () => {
      server.respond([ok(jobXml('j1', 'Running'))]);
      const c = client();

      for (let i = 0; i < 5; i += 1) await c.describe('j1');

      assert.equal(server.requests.length, 5);
      assert.ok(server.connections <= 2, `${server.connections} connections`);
    });
  });

  describe('with JobWatcher', () => {
    it('settles 200 waits in batches of at most 50 ids and at most 16 requests', async () => {
      const describes = new Map<string, number>();
      server.respond((req) => {
        const ids = decodeURIComponent(req.url.slice('/jobs/'.length)).split(',');
        const details = ids.map((id) => {
          const n = (describes.get(id) ?? 0) + 1;
          describes.set(id, n);
          return jobXml(id, n <= 2 ? 'Running' : 'Success');
        });
        return ok(details.join(''));
      });
      const watcher = new JobWatcher(client({ describeBatchSize: 50 }), { minIntervalMs: 10, maxIntervalMs: 20, batchSize: 50 });
      const ids = Array.from({ length: 200 }, (_, i) => `job${String(i).padStart(3, '0')}`);

      try {
        const details = await Promise.all(ids.map((id) => watcher.wait(id, { timeoutMs: 10_000 })));

        assert.deepEqual(
          details.map((d) => d.JobId),
          ids,
        );
        assert.ok(details.every((d) => d.State === 'Success'));
        assert.ok(server.requests.every((r) => r.method === 'GET' && r.url.startsWith('/jobs/')));
        assert.ok(server.requests.length <= 16, `${server.requests.length} requests`);
        for (const req of server.requests) {
          assert.ok(req.url.slice('/jobs/'.length).split(',').length <= 50, req.url);
        }
      } finally {
        watcher.close();
      }
    });
  });
});

describe('CiClient secrets on the object', () => {
  it('keeps the SecretKey and token out of util.inspect and JSON.stringify of the client', async () => {
    const c = new CiClient({
      secretId: 'AKIDtest',
      secretKey: 'SECRETKEYtest0123456789',
      sessionToken: 'TOKEN123',
      bucket: 'examplebucket-1250000000',
      region: 'ap-guangzhou',
    });
    try {
      for (const text of [inspect(c, { depth: 5, showHidden: true }), JSON.stringify(c)]) {
        assert.ok(!text.includes('SECRETKEYtest0123456789'), text);
        assert.ok(!text.includes('TOKEN123'), text);
      }
    } finally {
      await c.close();
    }
  });
});
