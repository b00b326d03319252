import assert from 'node:assert/strict';
import { inspect } from 'node:util';

import { CiClient } from '../src/client';
import { CiError } from '../src/errors';
import { cosOrigin, encodeObjectKey, objectKeyOfUrl, objectUrl, type ObjectUrlOptions } from '../src/object-url';
import { parseKeyTime, signatureFor } from '../src/sign';
import { rejection } from './helpers/assert';
import { startTestServer, TEST_SECRET_KEY, type TestServer } from './helpers/ci-test-server';
import { codePoints, Rng } from './helpers/random';

// The official SDK, used as a test oracle: getObjectUrl's synchronous answer is the URL, and
// it reads the clock through Date.now (util.getSkewTime).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const COS = require('cos-nodejs-sdk-v5') as new (options: Record<string, unknown>) => {
  getObjectUrl(params: Record<string, unknown>, callback?: (err: unknown, data?: { Url: string }) => void): string;
};

const SECRET_ID = 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE';
const SECRET_KEY = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE';
/** An STS token as the service issues them: letters, digits, - and _ (long). */
const TOKEN_ALPHABET = codePoints('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');

/** What object keys are made of: ASCII (with every sub-delimiter and `/`), spaces, `+`, `~`, CJK, accents and emoji. */
const KEY_ALPHABET = codePoints(
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~!*\'()+ /%?#&=;:@,$[]{}^`|\\"<>腾讯云数据万象视频截图éüñ😀🎬\u00a0\u3000',
);
/** `cn-south`: an old region name, addressed without `cos.` (the SDK warns about `sg`, the other kind). */
const REGIONS = ['ap-guangzhou', 'ap-shanghai', 'ap-beijing', 'ap-chongqing', 'ap-shanghai-fsi', 'na-siliconvalley', 'eu-frankfurt', 'cn-south'];
const BUCKET_CHARS = codePoints('abcdefghijklmnopqrstuvwxyz0123456789-');

function randomBucket(rng: Rng): string {
  const letter = () => rng.pick(codePoints('abcdefghijklmnopqrstuvwxyz0123456789'));
  return `${letter()}${rng.string(BUCKET_CHARS, 0, 20)}${letter()}-${rng.int(1000000000, 1399999999)}`;
}

/** Runs `fn` with Date.now fixed at `now` (both our code and the SDK read it). */
function atTime<T>(now: number, fn: () => T): T {
  const real = Date.now;
  Date.now = () => now;
  try {
    return fn();
  } finally {
    Date.now = real;
  }
}

interface Case {
  bucket: string;
  region: string;
  key: string;
  expires: number;
  now: number;
  token?: string;
}

/** A key; "/" alone names no object (refused, see below). */
function randomKey(rng: Rng): string {
  for (;;) {
    const key = rng.string(KEY_ALPHABET, 1, 60);
    if (key !== '/') return key;
  }
}

function randomCase(rng: Rng, withToken: boolean): Case {
  return {
    bucket: randomBucket(rng),
    region: rng.pick(REGIONS),
    key: randomKey(rng),
    expires: rng.chance(0.3) ? 3600 : rng.int(1, 7 * 24 * 3600),
    // Any ms within a second: the SDK rounds, not floors.
    now: 1_700_000_000_000 + rng.int(0, 300_000_000_000),
    token: withToken ? rng.string(TOKEN_ALPHABET, 100, 400) : undefined,
  };
}

function sdkUrl(c: Case, extra: Record<string, unknown> = {}): string {
  const cos = new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY, SecurityToken: c.token ?? '', ...extra });
  return atTime(c.now, () => cos.getObjectUrl({ Bucket: c.bucket, Region: c.region, Key: c.key, Sign: true, Expires: c.expires }));
}

function ourUrl(c: Case, extra: Partial<ObjectUrlOptions> = {}): string {
  return atTime(c.now, () =>
    objectUrl({
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      sessionToken: c.token,
      bucket: c.bucket,
      region: c.region,
      key: c.key,
      expiresIn: c.expires,
      ...extra,
    }),
  );
}

/** Checks a URL as the service would: the signature over `get`, the decoded path and the signed host. */
function verifyUrl(url: string, secretKey: string): { key: string; keyTime: string; valid: boolean; params: URLSearchParams } {
  const parsed = new URL(url);
  const params = parsed.searchParams;
  const keyTime = params.get('q-key-time')!;
  assert.equal(params.get('q-header-list'), 'host');
  assert.equal(params.get('q-url-param-list'), '');
  const pathname = decodeURIComponent(parsed.pathname);
  const expected = signatureFor({ secretKey, keyTime, method: 'GET', pathname, headers: { host: parsed.host } });
  return { key: pathname.slice(1), keyTime, valid: expected === params.get('q-signature'), params };
}

describe('objectUrl: agrees with cos-nodejs-sdk-v5 getObjectUrl', () => {
  const COUNT = 1000;

  for (const withToken of [false, true]) {
    it(`gives the SDK's URL for ${COUNT} random keys ${withToken ? 'with' : 'without'} an STS token`, () => {
      const rng = new Rng(withToken ? 0x0b1ec7 : 0x5eed5);
      let equal = 0;
      const differing: string[] = [];
      for (let i = 0; i < COUNT; i += 1) {
        const c = randomCase(rng, withToken);
        const expected = sdkUrl(c);
        const actual = ourUrl(c);
        if (actual === expected) equal += 1;
        else if (differing.length < 3) differing.push(`key ${JSON.stringify(c.key)} (seed ${rng.seed}, case ${i}):\n  sdk ${expected}\n  ours ${actual}`);
      }
      assert.equal(equal, COUNT, `${equal}/${COUNT} equal; first differences:\n${differing.join('\n')}`);
    });
  }

  it('gives the URL the SDK hands its callback too (the same, as no query parameter is signed)', async () => {
    const rng = new Rng(0xca11);
    for (let i = 0; i < 50; i += 1) {
      const c = randomCase(rng, i % 2 === 1);
      const cos = new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY, SecurityToken: c.token ?? '' });
      const answered = new Promise<string>((resolve, reject) => {
        atTime(c.now, () =>
          cos.getObjectUrl({ Bucket: c.bucket, Region: c.region, Key: c.key, Sign: true, Expires: c.expires }, (err, data) =>
            err ? reject(err) : resolve(data!.Url),
          ),
        );
      });
      assert.equal(await answered, ourUrl(c), c.key);
    }
  });

  it("gives the SDK's URL for keys with every special character it encodes, and with `/` kept", () => {
    const keys = ['a b', 'a+b', 'a/b/c.jpg', '~user/x', "!*'()", '腾讯云/截图 1.jpg', '😀.png', 'a%2Fb', '/leading', 'trailing/', 'a//b', ' ', '+'];
    for (const key of keys) {
      const c: Case = { bucket: 'examplebucket-1250000000', region: 'ap-guangzhou', key, expires: 3600, now: 1_722_000_000_499 };
      assert.equal(ourUrl(c), sdkUrl(c), key);
    }
  });

  it("gives the SDK's URL on an endpoint override (the SDK's Domain option)", () => {
    const rng = new Rng(0xd0a1);
    for (let i = 0; i < 100; i += 1) {
      const c = randomCase(rng, i % 2 === 0);
      assert.equal(ourUrl(c, { endpoint: 'http://127.0.0.1:9000' }), sdkUrl(c, { Domain: 'http://127.0.0.1:9000' }), c.key);
    }
  });

  it('matches the SDK on the default validity: 3600 s here, given explicitly to the SDK (its own default is 900 s)', () => {
    const c: Case = { bucket: 'examplebucket-1250000000', region: 'ap-guangzhou', key: 'snapshot/j1/0.jpg', expires: 3600, now: 1_722_000_000_000 };
    const url = atTime(c.now, () => objectUrl({ secretId: SECRET_ID, secretKey: SECRET_KEY, bucket: c.bucket, region: c.region, key: c.key }));
    assert.equal(url, sdkUrl(c));
    assert.equal(new URL(url).searchParams.get('q-key-time'), '1721999999;1722003599');
  });
});

describe('objectUrl: the URL', () => {
  const base = { secretId: SECRET_ID, secretKey: SECRET_KEY, bucket: 'examplebucket-1250000000', region: 'ap-guangzhou' };

  it('is on the COS host, with the key encoded and `/` kept, and signs host only', () => {
    const url = objectUrl({ ...base, key: 'out/截图 1+2.jpg', now: 1_722_000_000_000 });
    assert.ok(url.startsWith('https://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/out/%E6%88%AA%E5%9B%BE%201%2B2.jpg?'), url);
    const { key, valid, params } = verifyUrl(url, SECRET_KEY);
    assert.equal(key, 'out/截图 1+2.jpg');
    assert.ok(valid, 'the signature verifies');
    assert.deepEqual([...params.keys()], ['q-sign-algorithm', 'q-ak', 'q-sign-time', 'q-key-time', 'q-header-list', 'q-url-param-list', 'q-signature']);
    assert.equal(params.get('q-ak'), SECRET_ID);
  });

  it('holds the SecretId and the STS token, never the SecretKey', () => {
    const url = objectUrl({ ...base, key: 'a.jpg', sessionToken: 'tok_en-123' });
    assert.equal(new URL(url).searchParams.get('x-cos-security-token'), 'tok_en-123');
    assert.ok(!url.includes(SECRET_KEY));
  });

  it('encodes a token with characters a URL query cannot carry as they are (the SDK appends it raw)', () => {
    const url = objectUrl({ ...base, key: 'a.jpg', sessionToken: 'ab+c/d=' });
    assert.ok(url.endsWith('&x-cos-security-token=ab%2Bc%2Fd%3D'), url);
    assert.equal(new URL(url).searchParams.get('x-cos-security-token'), 'ab+c/d=');
  });

  it('is valid for expiresIn seconds from one second before now', () => {
    const url = objectUrl({ ...base, key: 'a.jpg', expiresIn: 60, now: 1_722_000_000_000 });
    assert.deepEqual(parseKeyTime(new URL(url).searchParams.get('q-key-time')!), { start: 1_721_999_999, end: 1_722_000_059 });
  });

  it('uses only the origin of an endpoint override', () => {
    const url = objectUrl({ ...base, key: 'a b.jpg', endpoint: 'http://127.0.0.1:8080/some/path?x=1' });
    assert.ok(url.startsWith('http://127.0.0.1:8080/a%20b.jpg?'), url);
    assert.ok(verifyUrl(url, SECRET_KEY).valid);
  });

  it('addresses the old region names as the SDK does (no cos. in the host)', () => {
    assert.equal(cosOrigin('b-1250000000', 'cn-south'), 'https://b-1250000000.cn-south.myqcloud.com');
    assert.equal(cosOrigin('b-1250000000', 'ap-guangzhou'), 'https://b-1250000000.cos.ap-guangzhou.myqcloud.com');
  });
});

describe('objectUrl: malformed input', () => {
  const base = { secretId: SECRET_ID, secretKey: SECRET_KEY, bucket: 'examplebucket-1250000000', region: 'ap-guangzhou', key: 'a.jpg' };

  function refusal(fn: () => unknown): CiError {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof CiError, `expected a CiError, got ${inspect(err)}`);
      assert.equal(err.code, 'InvalidArgument');
      assert.ok(!err.message.includes(SECRET_KEY), 'the message holds no SecretKey');
      return err;
    }
    assert.fail('expected a refusal');
  }

  it('refuses an empty key, and "/" (the SDK drops a leading "/", leaving nothing)', () => {
    assert.match(refusal(() => objectUrl({ ...base, key: '' })).message, /non-empty string, got an empty string/);
    assert.match(refusal(() => objectUrl({ ...base, key: '/' })).message, /non-empty string, got "\/"/);
  });

  it('drops one leading "/", as the SDK does', () => {
    assert.equal(objectUrl({ ...base, key: '/a.jpg', now: 1e12 }), objectUrl({ ...base, key: 'a.jpg', now: 1e12 }));
  });

  it('refuses a key that is not a string', () => {
    assert.match(refusal(() => objectUrl({ ...base, key: 42 as unknown as string })).message, /non-empty string, got number/);
  });

  it('refuses a key with a lone surrogate, naming it', () => {
    for (const key of ['a\ud800b', 'tail\ud83d', '\udc00head']) {
      const err = refusal(() => objectUrl({ ...base, key }));
      assert.match(err.message, /lone UTF-16 surrogate/);
      assert.ok(err.message.includes(JSON.stringify(key)), err.message);
    }
    assert.doesNotThrow(() => objectUrl({ ...base, key: '😀' }), 'a whole surrogate pair is fine');
  });

  it('refuses a validity below one second or not a number', () => {
    for (const expiresIn of [0, -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, '60' as unknown as number]) {
      assert.match(refusal(() => objectUrl({ ...base, expiresIn })).message, /expiresIn/);
    }
  });

  it('refuses missing credentials without quoting them', () => {
    assert.match(refusal(() => objectUrl({ ...base, secretKey: '' })).message, /needs a SecretKey/);
    assert.match(refusal(() => objectUrl({ ...base, secretId: ' ' })).message, /needs a SecretId/);
  });

  it('refuses an endpoint that is not an http(s) URL', () => {
    assert.match(refusal(() => objectUrl({ ...base, endpoint: 'ftp://host' })).message, /http:\/\/ or https:\/\//);
    assert.match(refusal(() => objectUrl({ ...base, endpoint: 'not a url' })).message, /is not a URL/);
  });

  it('encodeObjectKey refuses the same keys', () => {
    assert.equal(encodeObjectKey('a b/c+d~e'), 'a%20b/c%2Bd~e');
    assert.throws(() => encodeObjectKey(''), CiError);
    assert.throws(() => encodeObjectKey('\ud800'), CiError);
  });
});

describe('objectKeyOfUrl', () => {
  const bucket = 'test-1234567890';
  const region = 'ap-chongqing';

  it("gives the decoded path of a URL on the bucket's COS host, without its query", () => {
    assert.equal(objectKeyOfUrl(`https://${bucket}.cos.${region}.myqcloud.com/a/%E6%88%AA%20b.jpg?sign=x`, bucket, region), 'a/截 b.jpg');
    assert.equal(objectKeyOfUrl(`http://${bucket.toUpperCase()}.cos.${region}.myqcloud.com/k.jpg`, bucket, region), 'k.jpg');
  });

  it('gives nothing for another host, another bucket, no key or a broken encoding', () => {
    assert.equal(objectKeyOfUrl('https://cdn.example.com/a.jpg', bucket, region), undefined);
    assert.equal(objectKeyOfUrl(`https://other-1234567890.cos.${region}.myqcloud.com/a.jpg`, bucket, region), undefined);
    assert.equal(objectKeyOfUrl(`https://${bucket}.cos.ap-guangzhou.myqcloud.com/a.jpg`, bucket, region), undefined);
    assert.equal(objectKeyOfUrl(`https://${bucket}.cos.${region}.myqcloud.com/`, bucket, region), undefined);
    assert.equal(objectKeyOfUrl(`https://${bucket}.cos.${region}.myqcloud.com/%E6`, bucket, region), undefined);
    assert.equal(objectKeyOfUrl('not a url', bucket, region), undefined);
    assert.equal(objectKeyOfUrl(undefined, bucket, region), undefined);
  });
});

describe('CiClient: objectUrl and getObject', () => {
  let server: TestServer;
  const clients: CiClient[] = [];

  function client(overrides: Partial<ConstructorParameters<typeof CiClient>[0]> = {}): CiClient {
    const c = new CiClient({
      secretId: 'AKIDtest',
      secretKey: TEST_SECRET_KEY,
      bucket: 'examplebucket-1250000000',
      region: 'ap-guangzhou',
      endpoint: server.url,
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
      ...overrides,
    });
    clients.push(c);
    return c;
  }

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.close();
  });

  it('makes the URL objectUrl() makes for its own bucket, region and credentials', () => {
    const c = client({ endpoint: undefined, sessionToken: 'tok-1' });
    const now = 1_722_000_000_250;
    const expected = objectUrl({
      secretId: 'AKIDtest',
      secretKey: TEST_SECRET_KEY,
      sessionToken: 'tok-1',
      bucket: 'examplebucket-1250000000',
      region: 'ap-guangzhou',
      key: 'snap/0.jpg',
      expiresIn: 120,
      now,
    });
    assert.equal(
      atTime(now, () => c.objectUrl('snap/0.jpg', { expiresIn: 120 })),
      expected,
    );
    assert.equal(c.objectOrigin, 'https://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com');
    assert.equal(
      atTime(now, () => c.objectUrl('snap/0.jpg')),
      atTime(now, () =>
        objectUrl({
          secretId: 'AKIDtest',
          secretKey: TEST_SECRET_KEY,
          sessionToken: 'tok-1',
          bucket: 'examplebucket-1250000000',
          region: 'ap-guangzhou',
          key: 'snap/0.jpg',
        }),
      ),
      'default validity 3600 s',
    );
  });

  it('puts URLs on the endpoint override, where the server accepts them', () => {
    const url = client().objectUrl('a b/c+d.jpg');
    assert.ok(url.startsWith(`${server.url}/a%20b/c%2Bd.jpg?`), url);
    assert.ok(verifyUrl(url, TEST_SECRET_KEY).valid);
  });

  it('refuses an empty key and a lone surrogate in objectUrl and getObject', async () => {
    const c = client();
    assert.throws(() => c.objectUrl(''), /non-empty string/);
    assert.throws(() => c.objectUrl('a\udfffb'), /lone UTF-16 surrogate/);
    assert.equal((await rejection(c.getObject('', { maxBytes: 10 }))).code, 'InvalidArgument');
    assert.equal((await rejection(c.getObject('x\ud800', { maxBytes: 10 }))).code, 'InvalidArgument');
    assert.equal((await rejection(c.getObject('x', { maxBytes: -1 }))).code, 'InvalidArgument');
    assert.equal(server.requests.length, 0);
  });

  it('reads an object with a signed GET: body, Content-Type and length', async () => {
    server.respond([{ status: 200, headers: { 'content-type': 'image/jpeg', 'x-cos-request-id': 'cos-1' }, body: 'JPEGDATA' }]);
    const got = await client().getObject('snap/截图 0.jpg', { maxBytes: 100 });
    assert.deepEqual(got, { body: Buffer.from('JPEGDATA'), contentType: 'image/jpeg', contentLength: 8 });
    const [req] = server.requests;
    assert.equal(req!.method, 'GET');
    assert.equal(decodeURIComponent(req!.url), '/snap/截图 0.jpg');
    assert.ok(req!.signatureValid, 'the request is signed');
    assert.deepEqual(req!.authorization?.headerList, ['host']);
  });

  it('sends the STS token to objects as x-cos-security-token', async () => {
    server.respond([{ status: 200, headers: { 'content-type': 'image/png' }, body: 'P' }]);
    await client({ sessionToken: 'tok-2' }).getObject('a.png', { maxBytes: 10 });
    const [req] = server.requests;
    assert.equal(req!.headers['x-cos-security-token'], 'tok-2');
    assert.equal(req!.headers['x-ci-security-token'], undefined);
    assert.ok(req!.signatureValid);
  });

  it('refuses a body over maxBytes with BodyTooLarge, whether its length is declared or not', async () => {
    // A declared length is refused before reading: the unread body must not throw later (an AbortError once did).
    const declaredBody = 'x'.repeat(3000);
    server.respond([{ status: 200, headers: { 'content-type': 'image/jpeg', 'content-length': String(declaredBody.length) }, body: declaredBody }]);
    const declared = await rejection(client().getObject('big.jpg', { maxBytes: 100 }));
    assert.equal(declared.code, 'BodyTooLarge');
    assert.match(declared.message, /Object "big\.jpg" is larger than the 100-byte limit/);

    server.respond([{ status: 200, headers: { 'content-type': 'image/jpeg' }, body: 'y'.repeat(4_000_000) }]);
    const streamed = await rejection(client().getObject('big2.jpg', { maxBytes: 1000 }));
    assert.equal(streamed.code, 'BodyTooLarge');
    await new Promise((resolve) => setTimeout(resolve, 50)); // an AbortError would surface as an uncaught error here
  });

  it('reads a body of exactly maxBytes', async () => {
    server.respond([{ status: 200, body: 'z'.repeat(100) }]);
    assert.equal((await client().getObject('edge.bin', { maxBytes: 100 })).contentLength, 100);
  });

  it('reports a missing object as the service answers it (NoSuchKey), even with a small maxBytes', async () => {
    server.respond([
      {
        status: 404,
        body: '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>r9</RequestId></Error>',
      },
    ]);
    const err = await rejection(client().getObject('gone.jpg', { maxBytes: 10 }));
    assert.equal(err.code, 'NoSuchKey');
    assert.equal(err.status, 404);
    assert.match(err.message, /Reading object gone\.jpg/);
  });

  it('retries a read the service could not answer (503)', async () => {
    server.respond([
      { status: 503, body: '<Error><Code>ServiceUnavailable</Code><Message>busy</Message></Error>' },
      { status: 200, body: 'ok' },
    ]);
    assert.equal((await client().getObject('a.jpg', { maxBytes: 10 })).body.toString(), 'ok');
    assert.equal(server.requests.length, 2);
  });

  it('never shows its SecretKey or token in inspect or JSON', () => {
    const c = client({ sessionToken: 'tok-secret-3' });
    for (const shown of [inspect(c, { depth: 5 }), JSON.stringify(c)]) {
      assert.ok(!shown.includes(TEST_SECRET_KEY));
      assert.ok(!shown.includes('tok-secret-3'));
    }
  });
});
