/**
 * What the callback-in tests share: Node-RED's test helper with the node loaded, the
 * emulator on loopback behind the config node, requests to the node's URL, and what the
 * node emitted and warned.
 *
 * RED.httpNode is a fresh Express app on every helper.load(); the helper's server serves
 * an empty app of its own, so requests are handed to the current httpNode from there. With
 * `layout: 'node-red-default'` the app first runs an admin app with the body parsers and
 * options of Node-RED's editor API, as Node-RED does when httpAdminRoot and httpNodeRoot
 * are both `/` (its default).
 */
import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import helper from 'node-red-node-test-helper';
import { CiClient, JobWatcher, type JobsDetail } from '@node-red-tencent-ci/core';
import { configNode, putClip, putScript, SECRET_ID, SECRET_KEY, startTestEmulator, type Emulator } from '@node-red-tencent-ci/test-utils';
import type { EmulatorOptions } from '@node-red-tencent-ci/emulator';

/* eslint-disable @typescript-eslint/no-require-imports */
const configModule = require('@node-red-tencent-ci/config/dist/tencent-ci-config.js');
const callbackModule = require('../../dist/tencent-ci-callback-in.js');
/* eslint-enable @typescript-eslint/no-require-imports */

helper.init(require.resolve('node-red'));

export { helper };

export const TOKEN = 'Tok3n-abcdefghijklmnopqr';
const FIXTURES = join(__dirname, '..', '..', '..', 'core', 'test', 'fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
export const VIDEOTAG_XML = fixture('callback-videotag-stream.xml');
export const VIDEOTAG_JSON = fixture('callback-videotag-stream.json');
export const FIXTURE_JOB_ID = 'j535b10a4f8e211ec9452c1c27f56a659';
export const UNKNOWN_JOB_ID = `j${'0'.repeat(32)}`;

/** The n-th of a series of JobIds the emulator does not know. */
export const unknownJobId = (n: number) => `j${n.toString(16).padStart(32, '0')}`;

/** A callback body in the service's JSON form. */
export function jsonCallback(...details: Array<Partial<JobsDetail>>): string {
  return JSON.stringify({ EventName: 'TaskFinish', JobsDetail: details.length === 1 ? details[0] : details });
}

export const callbackUrl = (path = 'jobs', token = TOKEN) => `/tencent-ci/callback/${path}?token=${token}`;

/** Every message a node receives, in order. */
export function collect(id: string): Array<Record<string, any>> {
  const msgs: Array<Record<string, any>> = [];
  helper.getNode(id).on('input', (msg) => msgs.push(msg));
  return msgs;
}

/** Every warning a node gives, as text. */
export function warnings(id: string): string[] {
  const out: string[] = [];
  helper.getNode(id).on('call:warn', (call) => out.push(String(call.args[0])));
  return out;
}

/** Every status a node shows. */
export function statuses(id: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  helper.getNode(id).on('call:status', (call) => out.push(call.args[0] as Record<string, unknown>));
  return out;
}

/** Everything the runtime log received since the last load, as one string. */
export const logged = () => JSON.stringify(helper.log().args);

export const settle = (ms = 100) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `check()` holds (polled), rejects after `ms`. */
export async function until(check: () => boolean, ms = 10_000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${ms} ms`);
    await settle(20);
  }
}

/**
 * Runs `fn` with `settings` given to the test helper for the flows it loads, then gives it
 * `restore` (by default each of those settings unset), whether `fn` passed or failed.
 */
export async function withSettings(settings: Record<string, unknown>, fn: () => Promise<void>, restore?: Record<string, unknown>): Promise<void> {
  helper.settings(settings);
  try {
    await fn();
  } finally {
    helper.settings(restore ?? Object.fromEntries(Object.keys(settings).map((key) => [key, undefined])));
  }
}

/**
 * An httpNodeMiddleware that reads the body and JSON-parses it itself, setting req.body and
 * req._body, as a parser that ignores req._body would; `reads` picks the requests it reads
 * (by default all), the others go on untouched.
 */
export function parseJsonFirst(reads: (req: IncomingMessage) => boolean = () => true) {
  return (req: any, _res: unknown, next: () => void) => {
    if (!reads(req)) return next();
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => {
      req.body = JSON.parse(text);
      req._body = true;
      next();
    });
  };
}

/** The parts of Express the harness uses to mount apps (loaded from Node-RED's own dependencies). */
type Handler = (req: unknown, res: unknown, next: (err?: unknown) => void) => void;
type ExpressApp = Handler & { use(...handlers: unknown[]): void };

/** An admin app as Node-RED's editor API starts one: its body-parser package, parsers and options. */
export function editorApiLikeApp(): ExpressApp {
  const editorApi = dirname(require.resolve('@node-red/editor-api/package.json'));
  /* eslint-disable @typescript-eslint/no-require-imports */
  const express = require(require.resolve('express', { paths: [editorApi] })) as () => ExpressApp;
  const bodyParser = require(require.resolve('body-parser', { paths: [editorApi] })) as {
    json(o: object): Handler;
    urlencoded(o: object): Handler;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const app = express();
  app.use(bodyParser.json({ limit: '5mb' }));
  app.use(bodyParser.urlencoded({ limit: '5mb', extended: true }));
  return app;
}

/** A proxy in front of the emulator that counts the describe requests (GET /jobs/…) in flight at once. */
export interface DescribeCounter {
  url: string;
  /** Most describe requests in flight at the same time so far. */
  maxInFlight(): number;
  /** Describe requests seen so far, and the ids each asked for. */
  batches(): string[][];
  reset(): void;
  close(): Promise<void>;
}

export async function describeCounter(target: Emulator): Promise<DescribeCounter> {
  let inFlight = 0;
  let max = 0;
  let batches: string[][] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const describe = req.method === 'GET' && path.startsWith('/jobs/');
    if (describe) {
      batches.push(path.slice('/jobs/'.length).split(','));
      inFlight += 1;
      max = Math.max(max, inFlight);
    }
    const upstream = request(`${target.url}${req.url}`, { method: req.method, headers: req.headers }, (answer: IncomingMessage) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', () => {
        if (describe) inFlight -= 1;
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    maxInFlight: () => max,
    batches: () => batches,
    reset() {
      max = inFlight;
      batches = [];
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface HarnessOptions {
  emulator?: Partial<EmulatorOptions>;
  layout?: 'node-only' | 'node-red-default';
}

/** One Node-RED test helper server with the emulator, for one test file. */
export class Harness {
  emulator!: Emulator;
  client!: CiClient;
  private httpNode: Handler | undefined;

  constructor(private readonly options: HarnessOptions = {}) {}

  async start(): Promise<void> {
    this.emulator = await startTestEmulator({ callbackRetries: 0, ...this.options.emulator });
    putClip(this.emulator, 'input/clip.mp4', 1);
    putScript(this.emulator, 'input/clip.mp4', {
      StreamData: { SubErrCode: '0', SubErrMsg: 'ok', Data: { Tags: [{ Tag: 'Cat', TagCls: 'Animal', Confidence: '91' }] } },
    });
    this.client = new CiClient({
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      bucket: this.emulator.bucket,
      region: this.emulator.region,
      endpoint: this.emulator.url,
    });
    await helper.startServer();
    const app = (helper as unknown as { _app: ExpressApp })._app;
    if (this.options.layout === 'node-red-default') app.use('/', editorApiLikeApp());
    app.use('/', ((req, res, next) => (this.httpNode ? this.httpNode(req, res, next) : next())) as Handler);
  }

  async stop(): Promise<void> {
    await this.client.close();
    await helper.stopServer();
    await this.emulator.close();
  }

  async unload(): Promise<void> {
    await helper.unload();
    this.httpNode = undefined;
  }

  /** Captures RED.httpNode, and keeps RED._'s substitutions so tests see what a log line would hold. */
  private readonly captureRed = (RED: { httpNode: Handler | undefined; _: unknown }) => {
    this.httpNode = RED.httpNode;
    RED._ = (key: string, substitutions?: Record<string, unknown>) => (substitutions ? `${key} ${JSON.stringify(substitutions)}` : key);
  };

  /** A flow with the config node `cfg` and callback-in nodes n1, n2, … wired to helper nodes out1, out2, …. */
  flow(nodes: Array<Record<string, unknown>> = [{}], cfgExtra: Record<string, unknown> = {}) {
    const cfg = configNode(this.emulator, 'cfg', cfgExtra);
    const credentials: Record<string, unknown> = { ...cfg.credentials };
    const flowNodes: Array<Record<string, unknown>> = [{ id: 'tab', type: 'tab' }, cfg.node];
    nodes.forEach((props, i) => {
      const id = `n${i + 1}`;
      flowNodes.push({
        id,
        z: 'tab',
        type: 'tencent-ci-callback-in',
        name: '',
        config: 'cfg',
        path: 'jobs',
        maxBytes: 1048576,
        confirm: false,
        baseUrl: '',
        wires: [[`out${i + 1}`]],
        ...props,
      });
      flowNodes.push({ id: `out${i + 1}`, z: 'tab', type: 'helper' });
      credentials[id] = { token: TOKEN };
    });
    return { nodes: flowNodes, credentials };
  }

  async load(nodes?: Array<Record<string, unknown>>, cfgExtra?: Record<string, unknown>): Promise<void> {
    const f = this.flow(nodes, cfgExtra);
    await this.loadFlow(f.nodes, f.credentials);
  }

  async loadFlow(nodes: unknown[], credentials: Record<string, unknown>, extraModules: unknown[] = []): Promise<void> {
    await helper.load([this.captureRed, configModule, callbackModule, ...extraModules], nodes, credentials);
  }

  post(path: string, body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = { 'content-type': 'application/xml' }): Promise<Response> {
    return fetch(`${helper.url()}${path}`, { method: 'POST', headers, body, ...(typeof body === 'string' ? {} : { duplex: 'half' }) } as RequestInit);
  }

  /** Submits a VideoTag job and waits for its end. */
  async finishedJob(extra: Record<string, unknown> = {}): Promise<JobsDetail> {
    return (await this.finishedJobs(1, extra))[0]!;
  }

  /** Submits `count` VideoTag jobs and waits for all of them to end. */
  async finishedJobs(count: number, extra: Record<string, unknown> = {}): Promise<JobsDetail[]> {
    const submitted: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const { JobsDetail: job } = await this.client.submit('VideoTag', {
        Input: { Object: 'input/clip.mp4' },
        Operation: { VideoTag: { Scenario: 'Stream' } },
        ...extra,
      });
      submitted.push(job.JobId);
    }
    const watcher = new JobWatcher(this.client, { minIntervalMs: 50, maxIntervalMs: 200, batchSize: 100 });
    try {
      return await Promise.all(submitted.map((id) => watcher.wait(id, { timeoutMs: 60_000 })));
    } finally {
      watcher.close();
    }
  }
}
