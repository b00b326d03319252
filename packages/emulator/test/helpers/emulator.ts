/**
 * Test helpers shared by the API, SDK, callback and fault suites: an emulator in a fresh
 * temp folder, core clients pointed at it, raw signed HTTP requests (for malformed or
 * hand-built requests), and a way to hold a scripted job in Running.
 */
import { constants, openSync, closeSync, writeSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { CiClient, parseResponse, sign, type CiClientOptions, type CiResponse, type JobsDetail } from '@node-red-tencent-ci/core';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator';

export const SECRET_ID = 'AKIDemulatortest0001';
export const SECRET_KEY = 'emulatorTestSecretKey0001';
export const BUCKET = 'examplebucket-1250000000';
export const REGION = 'ap-guangzhou';
export const CI_HOST = `${BUCKET}.ci.${REGION}.myqcloud.com`;

/** `2022-06-27T15:23:10+0800` */
export const CI_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0800$/;

export interface TestEmulator {
  emu: Emulator;
  /** The bucket folder: objects are files under it. */
  bucketDir: string;
  /** A core client signed with the emulator's credentials (no retries unless given). */
  client(options?: Partial<CiClientOptions>): CiClient;
  /** Writes an object into the bucket folder. */
  put(key: string, data?: string | Buffer): Promise<void>;
  close(): Promise<void>;
}

export async function startTestEmulator(options: Partial<EmulatorOptions> = {}): Promise<TestEmulator> {
  const root = await mkdtemp(join(tmpdir(), 'ci-emu-test-'));
  const emu = await startEmulator({ secretId: SECRET_ID, secretKey: SECRET_KEY, root, bucket: BUCKET, region: REGION, ...options });
  const clients: CiClient[] = [];
  const bucketDir = join(root, BUCKET);
  return {
    emu,
    bucketDir,
    client(clientOptions = {}) {
      const c = new CiClient({ secretId: SECRET_ID, secretKey: SECRET_KEY, bucket: BUCKET, region: REGION, endpoint: emu.url, retry: false, ...clientOptions });
      clients.push(c);
      return c;
    },
    async put(key, data = 'not really a video') {
      const file = join(bucketDir, key);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, data);
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await emu.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Runs `use` with a fresh emulator, and closes the emulator whatever happens. */
export async function withEmulator<T>(options: Partial<EmulatorOptions>, use: (t: TestEmulator) => Promise<T>): Promise<T> {
  const t = await startTestEmulator(options);
  try {
    return await use(t);
  } finally {
    await t.close();
  }
}

/**
 * One emulator for the tests of the enclosing `describe`: started in its `before` hook (with
 * the objects `keys` put into the bucket), closed in its `after` hook. Call it in the
 * describe's body; the object it returns stands for the emulator once the hook has run.
 */
export function suiteEmulator(options: Partial<EmulatorOptions> = {}, ...keys: string[]): TestEmulator {
  let started: TestEmulator | undefined;
  before(async () => {
    started = await startTestEmulator(options);
    for (const key of keys) await started.put(key);
  });
  after(() => started?.close());
  const current = (): TestEmulator => {
    if (!started) throw new Error("the suite's emulator is used before its before() hook ran");
    return started;
  };
  return {
    get emu() {
      return current().emu;
    },
    get bucketDir() {
      return current().bucketDir;
    },
    client: (clientOptions) => current().client(clientOptions),
    put: (key, data) => current().put(key, data),
    close: () => current().close(),
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  method: string;
  /** The path as sent on the wire (already encoded), with its query string. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One HTTP exchange with exactly the given headers (node:http, so Host can be set). */
export function rawRequest(url: string, req: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const r = httpRequest({ hostname, port, method: req.method, path: req.path, headers: req.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

export interface SignedRequest {
  method: 'GET' | 'POST' | 'PUT' | 'HEAD';
  /** Decoded path, e.g. `/jobs/j1,j2`. */
  pathname: string;
  /** Query parameters (signed and sent; '' = no value, sent as `?cancel`). */
  query?: Record<string, string>;
  body?: string;
  /** Extra headers to send and sign. */
  headers?: Record<string, string>;
  /** Headers to send without signing them. */
  unsignedHeaders?: Record<string, string>;
  /** Headers to sign but NOT send. */
  signedOnly?: Record<string, string>;
  /** Host header to send and sign (default: the emulator's host:port). */
  host?: string;
  secretId?: string;
  secretKey?: string;
  keyTime?: string;
}

function encodeQuery(query: Record<string, string> | undefined): string {
  const parts = Object.entries(query ?? {}).map(([k, v]) => (v === '' ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`));
  return parts.length ? `?${parts.join('&')}` : '';
}

/** A request signed with core's sign(): host (and content-type/length with a body) plus `headers`. */
export function signedRequest(url: string, req: SignedRequest): Promise<RawResponse> {
  const host = req.host ?? new URL(url).host;
  const signed: Record<string, string> = { host, ...req.headers };
  if (req.body !== undefined) {
    signed['content-type'] = 'application/xml';
    signed['content-length'] = String(Buffer.byteLength(req.body));
  }
  const authorization = sign({
    secretId: req.secretId ?? SECRET_ID,
    secretKey: req.secretKey ?? SECRET_KEY,
    method: req.method,
    pathname: req.pathname,
    query: req.query,
    headers: { ...signed, ...req.signedOnly },
    keyTime: req.keyTime,
  });
  const path =
    req.pathname
      .split('/')
      .map((s) => encodeURIComponent(s).replace(/%2C/g, ','))
      .join('/') + encodeQuery(req.query);
  return rawRequest(url, { method: req.method, path, headers: { ...signed, ...req.unsignedHeaders, authorization }, body: req.body });
}

/** The `<Error>` fields of a body, or undefined when it is not one. */
export function errorOf(res: RawResponse): { Code?: string; Message?: string; RequestId?: string } | undefined {
  const m = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(res.body)?.[1];
  return res.body.includes('<Error>') ? { Code: m('Code'), Message: m('Message'), RequestId: m('RequestId') } : undefined;
}

export function parsed(res: RawResponse): CiResponse {
  return parseResponse(res.body, { status: res.status });
}

/** The parameters of a VideoTag job on `key`. */
export function videoTag(
  key: string,
  extra: Record<string, unknown> = {},
): { Input: { Object: string }; Operation: Record<string, unknown>; [k: string]: unknown } {
  const { Operation, ...rest } = extra as { Operation?: Record<string, unknown> };
  return { Input: { Object: key }, Operation: { VideoTag: { Scenario: 'Stream' }, ...Operation }, ...rest };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value other than undefined (fails after `timeoutMs`). */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Polls describe until the job is in a terminal state; returns its JobsDetail. */
export async function waitForEnd(client: CiClient, jobId: string, timeoutMs = 5000): Promise<JobsDetail> {
  return eventually(
    async () => {
      const d = (await client.describe(jobId)).JobsDetail[0];
      return d && ['Success', 'Failed', 'Cancel'].includes(d.State) ? d : undefined;
    },
    timeoutMs,
    `job ${jobId} to end`,
  );
}

/**
 * Makes `<key>.ci-result.json` a named pipe: a VideoTag/VideoTargetRec job on `key` then
 * stays Running (its script read blocks) until `release(script)` writes the script.
 */
export function holdScript(bucketDir: string, key: string): { release(script?: unknown): Promise<void>; abandon(): void } {
  const fifo = join(bucketDir, `${key}.ci-result.json`);
  execFileSync('mkfifo', [fifo]);
  let released = false;
  /** Writes the script if a job has the pipe open for reading; false when none has. */
  const tryWrite = (script: unknown): boolean => {
    if (released) return true;
    let fd: number;
    try {
      // Non-blocking: fails with ENXIO while no job has the pipe open for reading.
      fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch {
      return false;
    }
    released = true;
    try {
      writeSync(fd, JSON.stringify(script));
    } finally {
      closeSync(fd);
    }
    return true;
  };
  return {
    async release(script: unknown = { VideoTagResult: { StreamData: { SubErrCode: '0', SubErrMsg: 'ok' } } }) {
      await eventually(() => (tryWrite(script) ? true : undefined), 3000, `a job to read ${key}.ci-result.json`);
    },
    /** Unblocks a reader if there is one (cleanup); never waits. */
    abandon() {
      tryWrite({});
    },
  };
}

/** Puts `key` into the bucket with its job script held (holdScript), runs `use`, then abandons the hold whatever happens. */
export async function withHeldScript<T>(t: TestEmulator, key: string, use: (hold: ReturnType<typeof holdScript>) => Promise<T>): Promise<T> {
  await t.put(key);
  const hold = holdScript(t.bucketDir, key);
  try {
    return await use(hold);
  } finally {
    hold.abandon();
  }
}

export type { Emulator };
