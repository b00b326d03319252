/**
 * The Node-RED rows of `npm run bench`: a real Node-RED process (the demo's settings: file
 * context store, write-through) against the emulator, on loopback only, bounded in count
 * and time.
 *
 * - RSS per 1,000 in-flight waits: 1,000 then 3,000 waits on a wait node (jobs that stay
 *   Submitted, polled), Node-RED's RSS after a full GC at each; the slope between them.
 * - Callback → output: for 2,000 of those waits, a TaskFinish callback POSTed to a
 *   callback-in node, and the time until the wait node's output reaches this process (over
 *   an http request node); alternated, one by one, with a plain `http in` → `http response`
 *   round trip in the same Node-RED (the floor for anything that crosses HTTP into Node-RED
 *   and back). p99 against p99.
 * - Jobs submitted per second through one job node: 2,000 msgs fanned out into a VideoTag
 *   node (wait: none) at once; from the fan-out to the 2,000th output, measured inside
 *   Node-RED.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CiClient, readBody } from '@node-red-tencent-ci/core';
import { formatTable, millis, percentile, perSecond, type BenchRow } from '@node-red-tencent-ci/core/bench/harness';
import { deployAndStart, freePort, prepareUserDir, startNodeRed, type FlowNode } from '../src';
import { emulatorConfig, startClipEmulator, waitOnJobId, type Account } from '../test/helpers/tracking-parts';

const FIRST_WAITS = 1000;
const MORE_WAITS = 2000;
const CALLBACKS = 2000;
const FAN_OUT = 2000;
const ACCOUNT: Account = {
  secretId: 'AKIDbenchTracking0000',
  secretKey: 'bench-tracking-secret-key-00',
  bucket: 'examplebucket-1250000000',
  region: 'ap-guangzhou',
};
const TOKEN = 'benchtoken0123456789abcdef';
const MiB = 1024 * 1024;

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

async function bodyText(req: IncomingMessage): Promise<string> {
  const result = await readBody(req);
  return result.kind === 'body' ? result.body.toString('utf8') : '';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function flows(emulatorUrl: string, sinkUrl: string): FlowNode[] {
  const z = 'bench';
  return [
    { id: z, type: 'tab', label: 'bench' },
    emulatorConfig(emulatorUrl, ACCOUNT, { minInterval: 1, maxInterval: 15 }),
    // Waits: POST /bench/waits with job ids; each wait's output goes back to the sink.
    { id: 'in-waits', type: 'http in', z, url: '/bench/waits', method: 'post', upload: false, wires: [['fan', 'ack']] },
    { id: 'ack', type: 'http response', z, statusCode: '200', wires: [] },
    { id: 'fan', type: 'function', z, outputs: 1, func: 'for (const id of msg.payload) node.send({ jobId: id, topic: id });\nreturn null;', wires: [['wait']] },
    waitOnJobId({ id: 'wait', z, wires: [['out'], ['out']] }),
    { id: 'out', type: 'function', z, outputs: 1, func: 'return { payload: msg.jobId };', wires: [['post']] },
    { id: 'post', type: 'http request', z, method: 'POST', ret: 'txt', paytoqs: 'ignore', url: `${sinkUrl}/out`, persist: true, wires: [[]] },
    {
      id: 'cb',
      type: 'tencent-ci-callback-in',
      z,
      config: 'cfg',
      path: 'bench',
      maxBytes: 1048576,
      confirm: false,
      credentials: { token: TOKEN },
      wires: [[]],
    },
    { id: 'in-ping', type: 'http in', z, url: '/bench/ping', method: 'get', wires: [['pong']] },
    { id: 'pong', type: 'http response', z, statusCode: '200', wires: [] },
    // Submits: POST /bench/submit {n}; n msgs into one job node; the time to the n-th output.
    { id: 'in-submit', type: 'http in', z, url: '/bench/submit', method: 'post', upload: false, wires: [['submit-fan', 'submit-ack']] },
    { id: 'submit-ack', type: 'http response', z, statusCode: '200', wires: [] },
    {
      id: 'submit-fan',
      type: 'function',
      z,
      outputs: 1,
      func: "const n = msg.payload.n; flow.set('submitStart', Date.now(), 'memory'); flow.set('submitted', 0, 'memory');\nfor (let i = 0; i < n; i += 1) node.send({ payload: 'input/clip.mp4', n });\nreturn null;",
      wires: [['tag']],
    },
    {
      id: 'tag',
      type: 'tencent-ci-video-tag',
      z,
      name: 'bench tag',
      config: 'cfg',
      input: 'payload',
      inputType: 'msg',
      paramsMode: 'inline',
      VideoTag_Scenario: 'Stream',
      CallBack: '',
      CallBackFormat: 'JSON',
      wait: 'none',
      timeout: 0,
      cancelOnTimeout: false,
      outputs: 1,
      wires: [['submit-count']],
    },
    {
      id: 'submit-count',
      type: 'function',
      z,
      outputs: 1,
      func: "const k = flow.get('submitted', 'memory') + 1; flow.set('submitted', k, 'memory');\nif (k < msg.n) return null;\nreturn { payload: String(Date.now() - flow.get('submitStart', 'memory')) };",
      wires: [['submit-done']],
    },
    { id: 'submit-done', type: 'http request', z, method: 'POST', ret: 'txt', paytoqs: 'ignore', url: `${sinkUrl}/submitted`, persist: true, wires: [[]] },
    // Answered by the httpNodeMiddleware in settings.js, which runs before every http in route.
    { id: 'in-mem', type: 'http in', z, url: '/bench/mem', method: 'get', wires: [['mem-out']] },
    { id: 'mem-out', type: 'http response', z, statusCode: '200', wires: [] },
  ];
}

export async function benchNodeRed(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tci-bench-node-red-'));
  // Jobs stay Submitted for 10 minutes: every wait stays in flight until its callback. The
  // emulator stands in for the service: its jobs stay in memory (no fsync per job), so the
  // figures are Node-RED's.
  const emulator = await startClipEmulator(join(dir, 'emulator'), ACCOUNT, 600_000, { persistJobs: false });
  const arrivals = new Map<string, number>();
  let submitted: ((ms: number) => void) | undefined;
  const sink = createServer(async (req, res) => {
    const text = await bodyText(req);
    if (req.url === '/submitted') submitted?.(Number(text));
    else arrivals.set(text, performance.now());
    res.end('ok');
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

  const userDir = join(dir, 'node-red');
  prepareUserDir(userDir, { credentialSecret: 'bench' });
  // The demo's settings, plus GET /bench/mem: a full GC, then process.memoryUsage().
  const memRoute =
    "(req, res, next) => { if (req.url !== '/bench/mem') return next(); for (let i = 0; i < 3; i++) global.gc(); res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(process.memoryUsage())); }";
  writeFileSync(join(userDir, 'settings.js'), `${readFileSync(join(userDir, 'settings.js'), 'utf8')}\nmodule.exports.httpNodeMiddleware = ${memRoute};\n`);
  const nodeRed = await startNodeRed({ userDir, port: await freePort(), nodeArgs: ['--expose-gc'] });
  const client = new CiClient({ ...ACCOUNT, endpoint: emulator.url });
  try {
    await deployAndStart(nodeRed, flows(emulator.url, sinkUrl));
    const submit = async (n: number) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i += 1) {
        const res = await client.submit('VideoTag', { Input: { Object: 'input/clip.mp4' }, Operation: { VideoTag: { Scenario: 'Stream' } } });
        ids.push(res.JobsDetail.JobId);
      }
      return ids;
    };
    /** RSS after a full GC, settled: the lowest of three readings (RSS does not shrink at once). */
    const rss = async () => {
      const reads: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const res = await fetch(`${nodeRed.url}/bench/mem`, { signal: AbortSignal.timeout(20_000) });
        await res.text();
        reads.push(rssOf(nodeRed.pid));
        await sleep(300);
      }
      return Math.min(...reads);
    };
    const startWaits = async (ids: string[]) => {
      const res = await fetch(`${nodeRed.url}/bench/waits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ids) });
      await res.text();
    };
    const callback = (jobId: string) =>
      fetch(`${nodeRed.url}/tencent-ci/callback/bench?token=${TOKEN}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ EventName: 'TaskFinish', JobsDetail: { JobId: jobId, Tag: 'VideoTag', State: 'Success', Code: 'Success', Message: 'Success' } }),
      }).then((r) => r.text());
    const arrived = async (id: string, timeoutMs: number) => {
      const end = Date.now() + timeoutMs;
      while (!arrivals.has(id)) {
        if (Date.now() > end) throw new Error(`bench: the wait for ${id} did not settle within ${timeoutMs} ms`);
        await new Promise((r) => setImmediate(r));
      }
    };

    // Warm up: 200 waits started, settled by callbacks (JIT, pools, the context file).
    const warm = await submit(200);
    await startWaits(warm);
    await sleep(2000);
    for (const id of warm) await callback(id);
    for (const id of warm) await arrived(id, 10_000);

    // Memory: the slope between FIRST_WAITS and FIRST_WAITS + MORE_WAITS waits in flight,
    // each saved and polled (what the first ones cost is mixed with the heap growing to its
    // working size, which the others do not pay again).
    const first = await submit(FIRST_WAITS);
    const more = await submit(MORE_WAITS);
    await startWaits(first);
    await sleep(6000);
    const rssAtFirst = await rss();
    await startWaits(more);
    await sleep(6000);
    const rssAtAll = await rss();
    const rssPer1000 = ((rssAtAll - rssAtFirst) / MiB) * (1000 / MORE_WAITS);

    // Callback -> output, alternated with a plain http in round trip.
    const latencies: number[] = [];
    const pings: number[] = [];
    for (const id of [...first, ...more].slice(0, CALLBACKS)) {
      let t0 = performance.now();
      await callback(id);
      await arrived(id, 10_000);
      latencies.push(arrivals.get(id)! - t0);
      t0 = performance.now();
      await (await fetch(`${nodeRed.url}/bench/ping`)).text();
      pings.push(performance.now() - t0);
    }
    const p99 = percentile(latencies, 99);
    const ping99 = percentile(pings, 99);

    // Jobs submitted per second through one job node.
    const runs: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const done = new Promise<number>((resolve, reject) => {
        submitted = resolve;
        setTimeout(() => reject(new Error(`bench: ${FAN_OUT} submits did not finish within 60 s\n${nodeRed.output().slice(-3000)}`)), 60_000).unref();
      });
      await fetch(`${nodeRed.url}/bench/submit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ n: FAN_OUT }),
      }).then((r) => r.text());
      runs.push(FAN_OUT / ((await done) / 1000));
    }
    const jobsPerSecond = Math.min(...runs);

    return [
      {
        path: 'real Node-RED: RSS per 1,000 in-flight waits',
        ours: `${rssPer1000.toFixed(2)} MiB`,
        peer: '5 MiB',
        peerName: 'goal',
        ratio: rssPer1000 / 5,
        goal: '<= 5 MiB',
        met: rssPer1000 <= 5,
        note: `slope between ${FIRST_WAITS} and ${FIRST_WAITS + MORE_WAITS} waits (file context store, write-through), RSS after a full GC`,
      },
      {
        path: `real Node-RED, ${(FIRST_WAITS + MORE_WAITS).toLocaleString('en-US')} waits: callback POST -> wait output p99`,
        ours: millis(p99),
        peer: millis(ping99),
        peerName: 'http in -> http response p99',
        ratio: p99 / ping99,
        goal: '<= 2x',
        met: p99 <= 2 * ping99,
        note: `${CALLBACKS} callbacks one by one, alternated with the plain round trip; p50 ${millis(percentile(latencies, 50))} vs ${millis(percentile(pings, 50))}`,
      },
      {
        path: `real Node-RED: jobs submitted per second through one job node (fan-out of ${FAN_OUT.toLocaleString('en-US')})`,
        ours: perSecond(jobsPerSecond),
        peer: '500/s',
        peerName: 'goal',
        ratio: jobsPerSecond / 500,
        goal: '>= 500/s',
        met: jobsPerSecond >= 500,
        note: `the slower of ${runs.length} rounds (${runs.map((r) => perSecond(r)).join(', ')})`,
      },
    ];
  } finally {
    await client.close();
    await nodeRed.stop();
    await emulator.close();
    sink.close();
    sink.closeAllConnections();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void benchNodeRed().then((rows) => console.log(formatTable(rows)));
