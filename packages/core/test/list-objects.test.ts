/**
 * CiClient.listObjects: COS "GET Bucket (List Objects)"
 * (https://cloud.tencent.com/document/product/436/7734, docs/api/objects.md#list-objects).
 *
 * - against the real emulator (packages/emulator, started from its source: the emulator
 *   depends on core, so core cannot depend on it): listing, prefix, delimiter, paging and
 *   keys that need encoding;
 * - against cos-nodejs-sdk-v5 `getBucket` as the oracle: both send their request to a
 *   loopback server that records it; the path and query must be equal, and our Authorization
 *   must be the SDK's `getAuthorization` for the same method, query and headers at our KeyTime;
 * - parseListObjects on bodies shaped like the page's examples.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { CiClient, type CiClientOptions } from '../src/client';
import { CiError } from '../src/errors';
import { listObjectsQuery, parseListObjects, type ListObjectsOptions, type ListObjectsResult } from '../src/list-objects';
import { parseAuthorization } from '../src/sign';
import { rejection } from './helpers/assert';
import { recordingClient, startTestServer, type RecordedRequest, type TestServer } from './helpers/ci-test-server';

// The official SDK, used as a test oracle (see sign.test.ts and object-url.test.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const COS = require('cos-nodejs-sdk-v5') as {
  new (options: Record<string, unknown>): { getBucket(params: Record<string, unknown>, callback: (err: unknown, data?: unknown) => void): void };
  getAuthorization(options: Record<string, unknown>): string;
};

/** What these tests use of the emulator (packages/emulator/src/emulator.ts). */
interface Emulator {
  url: string;
  port: number;
  stats(): { requests: Record<string, number> | number };
  close(): Promise<void>;
}
// The emulator from its source (tsx runs it): a static import would put it in core's program.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmulator } = require('../../emulator/src/emulator') as {
  startEmulator(options: { secretId: string; secretKey: string; root: string; bucket: string; region: string; persistJobs?: boolean }): Promise<Emulator>;
};

const SECRET_ID = 'AKIDlistobjects0001';
const SECRET_KEY = 'listObjectsSecretKey0001';
const BUCKET = 'examplebucket-1250000000';
const REGION = 'ap-guangzhou';

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const md5 = (data: string) => createHash('md5').update(data).digest('hex');

describe('CiClient.listObjects against the emulator', function () {
  /** The keys in the bucket; each object's content is `content of <key>`. */
  /** Keys that need encoding: CJK, spaces, +, an encoded-looking %2B, emoji, a control character, a space before a slash. */
  const ODD_KEYS = ['腾讯云/视频 1.mp4', 'space in name/a b.mp4', 'plus/a+b.mp4', 'plus/a%2Bb.mp4', 'emoji/\u{1F3AC}.mp4', 'ctl/bell\u0007.mp4', 'trailing /x'];
  const KEYS = ['a.jpg', 'input/a.mp4', 'input/b.MOV', 'input/sub/c.mp4', 'input/sub/d.jpg', 'input-2/e.mp4', 'out/x.jpg', 'zeta.txt', ...ODD_KEYS];
  let emulator: Emulator;
  let root: string;
  const clients: CiClient[] = [];

  function client(options: Partial<CiClientOptions> = {}): CiClient {
    const c = new CiClient({ secretId: SECRET_ID, secretKey: SECRET_KEY, bucket: BUCKET, region: REGION, endpoint: emulator.url, retry: false, ...options });
    clients.push(c);
    return c;
  }

  /** Every page of a listing, following nextMarker. */
  async function allPages(options: ListObjectsOptions): Promise<ListObjectsResult[]> {
    const pages: ListObjectsResult[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await client().listObjects({ ...options, marker });
      pages.push(page);
      if (!page.isTruncated) return pages;
      assert.ok(page.nextMarker, 'a truncated page has a nextMarker');
      marker = page.nextMarker;
      assert.ok(pages.length < 100, 'the listing does not end');
    }
  }

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'core-list-objects-'));
    for (const key of KEYS) {
      const file = join(root, BUCKET, key);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `content of ${key}`);
    }
    emulator = await startEmulator({ secretId: SECRET_ID, secretKey: SECRET_KEY, root, bucket: BUCKET, region: REGION, persistJobs: false });
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await emulator?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('lists every key in UTF-8 byte order with its size, ETag (no quotes), time and storage class', async () => {
    const page = await client().listObjects();
    assert.equal(page.name, BUCKET);
    assert.equal(page.prefix, '');
    assert.equal(page.marker, '');
    assert.equal(page.maxKeys, 1000);
    assert.equal(page.isTruncated, false);
    assert.equal(page.nextMarker, undefined);
    assert.equal(page.delimiter, undefined);
    assert.deepEqual(page.commonPrefixes, []);
    assert.deepEqual(
      page.contents.map((c) => c.key),
      [...KEYS].sort(byteOrder),
    );
    for (const object of page.contents) {
      const content = `content of ${object.key}`;
      assert.deepEqual(
        { ...object, lastModified: undefined },
        { key: object.key, lastModified: undefined, etag: md5(content), size: Buffer.byteLength(content), storageClass: 'STANDARD' },
      );
      assert.match(object.lastModified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it('lists only the keys under a prefix', async () => {
    const page = await client().listObjects({ prefix: 'input/' });
    assert.equal(page.prefix, 'input/');
    assert.deepEqual(
      page.contents.map((c) => c.key),
      ['input/a.mp4', 'input/b.MOV', 'input/sub/c.mp4', 'input/sub/d.jpg'],
    );
    assert.deepEqual((await client().listObjects({ prefix: 'nothing/' })).contents, []);
  });

  it('rolls keys up into commonPrefixes with a delimiter', async () => {
    const folder = await client().listObjects({ prefix: 'input/', delimiter: '/' });
    assert.equal(folder.delimiter, '/');
    assert.deepEqual(
      folder.contents.map((c) => c.key),
      ['input/a.mp4', 'input/b.MOV'],
    );
    assert.deepEqual(folder.commonPrefixes, ['input/sub/']);
    const top = await client().listObjects({ delimiter: '/' });
    assert.deepEqual(
      top.contents.map((c) => c.key),
      ['a.jpg', 'zeta.txt'],
    );
    assert.deepEqual(top.commonPrefixes, ['ctl/', 'emoji/', 'input-2/', 'input/', 'out/', 'plus/', 'space in name/', 'trailing /', '腾讯云/'].sort(byteOrder));
  });

  it('pages with maxKeys and marker: every key exactly once, in order, for every page size', async () => {
    const all = (await client().listObjects()).contents.map((c) => c.key);
    for (const maxKeys of [1, 2, 3, 4, 7, 14, 15, 16]) {
      const pages = await allPages({ maxKeys });
      const keys = pages.flatMap((p) => p.contents.map((c) => c.key));
      assert.deepEqual(keys, all, `maxKeys ${maxKeys}`);
      assert.equal(pages.length, Math.max(1, Math.ceil(all.length / maxKeys)), `maxKeys ${maxKeys}`);
      for (const page of pages) assert.ok(page.contents.length <= maxKeys && page.maxKeys === maxKeys);
      for (let i = 1; i < pages.length; i += 1) assert.equal(pages[i]!.marker, pages[i - 1]!.nextMarker);
    }
    // With a delimiter a common prefix is one entry and never comes back.
    const entries = (await allPages({ delimiter: '/', maxKeys: 2 })).flatMap((p) => [...p.commonPrefixes, ...p.contents.map((c) => c.key)]);
    assert.equal(new Set(entries).size, entries.length);
    assert.equal(entries.length, 11);
  });

  it('round-trips keys with CJK, spaces, +, %, emoji and control characters (and reads each one back)', async () => {
    const c = client();
    for (const key of ODD_KEYS) {
      const prefix = key.slice(0, key.indexOf('/') + 1);
      const page = await c.listObjects({ prefix, delimiter: '/' });
      assert.ok(
        page.contents.some((o) => o.key === key),
        `${JSON.stringify(key)} in ${JSON.stringify(page.contents.map((o) => o.key))}`,
      );
      assert.equal(page.prefix, prefix);
      const { body } = await c.getObject(key, { maxBytes: 1000 });
      assert.equal(body.toString('utf8'), `content of ${key}`);
    }
    const marker = await c.listObjects({ prefix: 'plus/', marker: 'plus/a%2Bb.mp4' });
    assert.equal(marker.marker, 'plus/a%2Bb.mp4');
    assert.deepEqual(
      marker.contents.map((o) => o.key),
      ['plus/a+b.mp4'],
    );
  });

  it('refuses bad options before any request, naming the option and the value', async () => {
    const before = JSON.stringify(emulator.stats().requests);
    const c = client();
    const cases: Array<[ListObjectsOptions, RegExp]> = [
      [{ maxKeys: 0 }, /maxKeys is 0; allowed: a whole number from 1 to 1000/],
      [{ maxKeys: 1001 }, /maxKeys is 1001/],
      [{ maxKeys: 2.5 }, /maxKeys is 2\.5/],
      [{ maxKeys: '10' as unknown as number }, /maxKeys is "10"/],
      [{ maxKeys: Number.NaN }, /maxKeys is NaN/],
      [{ prefix: 42 as unknown as string }, /prefix must be a string, got 42/],
      [{ delimiter: null as unknown as string }, /delimiter must be a string, got null/],
      [{ marker: 'a\ud800' }, /marker "a\\ud800" contains a lone UTF-16 surrogate/],
      [null as unknown as ListObjectsOptions, /takes an options object, got null/],
    ];
    for (const [options, message] of cases) {
      const err = await rejection(c.listObjects(options));
      assert.equal(err.code, 'InvalidArgument', message.source);
      assert.match(err.message, message);
    }
    assert.equal(JSON.stringify(emulator.stats().requests), before, 'nothing was sent');
  });

  it('fails with the service code on a wrong secret, without the secret in the error', async () => {
    const err = await rejection(client({ secretKey: 'wrongSecretKey0000000001' }).listObjects({ prefix: 'input/' }));
    assert.equal(err.code, 'SignatureDoesNotMatch');
    assert.equal(err.status, 403);
    assert.match(err.message, /^Listing the objects of examplebucket-1250000000 under "input\/": /);
    assert.ok(!err.message.includes('wrongSecretKey') && !err.message.includes(SECRET_KEY));
  });
});

describe('CiClient.listObjects: the request cos-nodejs-sdk-v5 getBucket sends', () => {
  let server: TestServer;
  const clients: CiClient[] = [];
  const EMPTY = `<?xml version='1.0' encoding='utf-8' ?><ListBucketResult><Name>${BUCKET}</Name><EncodingType>url</EncodingType><Prefix/><Marker/><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`;

  beforeEach(async () => {
    server = await startTestServer([{ status: 200, headers: { 'content-type': 'application/xml' }, body: EMPTY }], { secretKey: SECRET_KEY });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.close();
  });

  function sdkGetBucket(params: Record<string, unknown>, token?: string): Promise<RecordedRequest> {
    const cos = new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY, SecurityToken: token ?? '', Domain: server.url, Protocol: 'http:' });
    const from = server.requests.length;
    return new Promise((resolve, reject) => {
      cos.getBucket({ Bucket: BUCKET, Region: REGION, ...params }, (err) => (err ? reject(err) : resolve(server.requests[from]!)));
    });
  }

  async function ours(options: ListObjectsOptions, token?: string): Promise<RecordedRequest> {
    const c = recordingClient(server, { secretId: SECRET_ID, secretKey: SECRET_KEY, bucket: BUCKET, region: REGION }, clients, token);
    const from = server.requests.length;
    await c.listObjects(options);
    return server.requests[from]!;
  }

  /** The SDK's getBucket parameters for our options (EncodingType url and MaxKeys as we always send them). */
  function sdkParams(options: ListObjectsOptions): Record<string, unknown> {
    return {
      Prefix: options.prefix ?? '',
      ...(options.delimiter ? { Delimiter: options.delimiter } : {}),
      ...(options.marker ? { Marker: options.marker } : {}),
      MaxKeys: options.maxKeys ?? 1000,
      EncodingType: 'url',
    };
  }

  const CASES: ListObjectsOptions[] = [
    {},
    { prefix: 'input/' },
    { prefix: 'input/', delimiter: '/' },
    { prefix: '腾讯云/视频 1', delimiter: '/', marker: '腾讯云/视频 1/a+b.mp4', maxKeys: 5 },
    { marker: "~!*'()[]@$&=;:,? %2B", maxKeys: 1 },
    { prefix: 'emoji/\u{1F3AC}', maxKeys: 1000 },
  ];

  for (const token of [undefined, 'sts-token_0123456789-abcdefABCDEF']) {
    it(`sends the SDK's path and query, signed as the SDK signs them${token ? ' (with an STS token)' : ''}`, async () => {
      for (const options of CASES) {
        const sdk = await sdkGetBucket(sdkParams(options), token);
        const mine = await ours(options, token);
        assert.equal(mine.method, 'GET');
        assert.equal(mine.url, sdk.url, JSON.stringify(options));
        assert.ok(mine.signatureValid, 'the recording server verifies our signature');
        assert.ok(sdk.signatureValid, "and the SDK's");
        const a = parseAuthorization(mine.headers.authorization)!;
        const s = parseAuthorization(sdk.headers.authorization)!;
        // The SDK sends the token but signs only host; we sign the token too, as getObject does.
        assert.deepEqual(a.headerList, token ? [...s.headerList, 'x-cos-security-token'] : s.headerList, 'the signed headers');
        assert.deepEqual(a.urlParamList, s.urlParamList, 'the same signed query parameters');
        assert.equal(mine.headers['x-cos-security-token'], sdk.headers['x-cos-security-token']);
        // The SDK's own signer over the SDK's query and our signed headers, at our KeyTime, gives our Authorization.
        const query = Object.fromEntries(new URL(sdk.url, 'http://x').searchParams);
        const headers = Object.fromEntries(a.headerList.map((name) => [name, String(sdk.headers[name])]));
        const expected = COS.getAuthorization({
          SecretId: SECRET_ID,
          SecretKey: SECRET_KEY,
          Method: 'GET',
          Pathname: '/',
          Query: query,
          Headers: headers,
          KeyTime: a.keyTime,
        });
        assert.equal(mine.headers.authorization, expected, JSON.stringify(options));
      }
    });
  }

  it('sends `prefix=` and `encoding-type=url` even when no option is given', async () => {
    assert.equal((await ours({})).url, '/?prefix=&max-keys=1000&encoding-type=url');
    assert.deepEqual(listObjectsQuery({ prefix: 'a', delimiter: '/', marker: 'a/b', maxKeys: 3 }), {
      prefix: 'a',
      delimiter: '/',
      marker: 'a/b',
      'max-keys': '3',
      'encoding-type': 'url',
    });
  });

  it('turns a COS error body into a CiError with its code', async () => {
    server.respond([
      {
        status: 404,
        headers: { 'content-type': 'application/xml', 'x-cos-request-id': 'cos-req-1' },
        body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist.</Message><RequestId>cos-req-1</RequestId></Error>',
      },
    ]);
    const err = await rejection(ours({ prefix: 'input/' }));
    assert.ok(err instanceof CiError);
    assert.equal(err.code, 'NoSuchBucket');
    assert.equal(err.status, 404);
    assert.equal(err.requestId, 'cos-req-1');
    assert.match(err.message, /Listing the objects of examplebucket-1250000000 under "input\/": .*NoSuchBucket/);
    assert.equal(server.requests.length, 1, 'a 404 is not retried');
  });
});

describe('parseListObjects', () => {
  // Shaped like the page's first example (a listing of the bucket root, no encoding-type).
  const SAMPLE = `<?xml version='1.0' encoding='utf-8' ?>
<ListBucketResult>
	<Name>examplebucket-1250000000</Name>
	<Prefix/>
	<Marker/>
	<MaxKeys>1000</MaxKeys>
	<IsTruncated>false</IsTruncated>
	<Contents>
		<Key>example-folder-1/example-object-1.jpg</Key>
		<LastModified>2020-12-10T03:37:30.000Z</LastModified>
		<ETag>&quot;3f9a5dbff88b25b769fa6304902b5d9d&quot;</ETag>
		<Size>20</Size>
		<Owner>
			<ID>1250000000</ID>
			<DisplayName>1250000000</DisplayName>
		</Owner>
		<StorageClass>STANDARD</StorageClass>
	</Contents>
	<Contents>
		<Key>example-object-2.jpg</Key>
		<LastModified>2020-12-10T03:37:30.000Z</LastModified>
		<ETag>&quot;3f9a5dbff88b25b769fa6304902b5d9d-2&quot;</ETag>
		<Size>5242880</Size>
		<Owner>
			<ID>1250000000</ID>
			<DisplayName>1250000000</DisplayName>
		</Owner>
		<StorageClass>STANDARD_IA</StorageClass>
	</Contents>
</ListBucketResult>`;

  it("reads the page's example", () => {
    assert.deepEqual(parseListObjects(SAMPLE), {
      name: 'examplebucket-1250000000',
      prefix: '',
      marker: '',
      maxKeys: 1000,
      isTruncated: false,
      contents: [
        {
          key: 'example-folder-1/example-object-1.jpg',
          lastModified: '2020-12-10T03:37:30.000Z',
          etag: '3f9a5dbff88b25b769fa6304902b5d9d',
          size: 20,
          storageClass: 'STANDARD',
        },
        {
          key: 'example-object-2.jpg',
          lastModified: '2020-12-10T03:37:30.000Z',
          etag: '3f9a5dbff88b25b769fa6304902b5d9d-2',
          size: 5242880,
          storageClass: 'STANDARD_IA',
        },
      ],
      commonPrefixes: [],
    });
  });

  it('decodes a url-encoded answer, with one Contents and one CommonPrefixes as arrays', () => {
    const body = `<ListBucketResult><Name>examplebucket-1250000000</Name><EncodingType>url</EncodingType><Prefix>%E8%85%BE%E8%AE%AF%E4%BA%91%2F</Prefix>
<Marker>%E8%85%BE%E8%AE%AF%E4%BA%91%2Fa</Marker><MaxKeys>2</MaxKeys><Delimiter>%2F</Delimiter><IsTruncated>true</IsTruncated>
<NextMarker>%E8%85%BE%E8%AE%AF%E4%BA%91%2Fsub%2F</NextMarker><CommonPrefixes><Prefix>%E8%85%BE%E8%AE%AF%E4%BA%91%2Fsub%2F</Prefix></CommonPrefixes>
<Contents><Key>%E8%85%BE%E8%AE%AF%E4%BA%91%2Fa%20b%2Bc%07.mp4</Key><LastModified>2024-01-02T03:04:05.000Z</LastModified><ETag>"abc"</ETag><Size>0</Size></Contents></ListBucketResult>`;
    assert.deepEqual(parseListObjects(body), {
      name: 'examplebucket-1250000000',
      prefix: '腾讯云/',
      marker: '腾讯云/a',
      delimiter: '/',
      maxKeys: 2,
      isTruncated: true,
      nextMarker: '腾讯云/sub/',
      contents: [{ key: '腾讯云/a b+c\u0007.mp4', lastModified: '2024-01-02T03:04:05.000Z', etag: 'abc', size: 0 }],
      commonPrefixes: ['腾讯云/sub/'],
    });
  });

  it('refuses what is not a listing with CiErrors only', () => {
    const code = (body: string) => {
      try {
        parseListObjects(body);
      } catch (err) {
        assert.ok(err instanceof CiError, String(err));
        return err.code;
      }
      assert.fail('expected a refusal');
    };
    assert.equal(code('<Error><Code>AccessDenied</Code><Message>Access Denied.</Message></Error>'), 'AccessDenied');
    assert.equal(code('<Response><JobsDetail/></Response>'), 'MalformedResponse');
    assert.equal(code('<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>'), 'MalformedResponse');
    assert.equal(code('<ListBucketResult><Contents><Key>a</Key><Size>x</Size></Contents></ListBucketResult>'), 'MalformedResponse');
    assert.equal(
      code('<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>%E8</Key><Size>1</Size></Contents></ListBucketResult>'),
      'MalformedResponse',
    );
    assert.equal(code('<ListBucketResult><Name>x</Name>'), 'MalformedResponse');
    assert.equal(code('not xml'), 'MalformedResponse');
  });
});
