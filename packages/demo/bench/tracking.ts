/**
 * `npm run bench` (demo): the job tracker in a real Node-RED process, against the emulator,
 * on loopback only, bounded in count and time.
 *
 * - RSS per 1,000 in-flight waits: 2,000 then 4,000 waits on a wait node (jobs that stay
 *   Submitted), Node-RED's RSS and heap after a full GC at each; the slope between them.
 * - Callback → output latency: for each of those 4,000 waits, a TaskFinish callback POSTed to
 *   a callback-in node; the time until the wait node's output reaches this process (over an
 *   http request node). Side by side, in the same Node-RED: a plain http in → http response
 *   round trip (the floor for anything that crosses HTTP into Node-RED and back).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CiClient, readBody } from '@node-red-tencent-ci/core';
import { deployAndStart, freePort, prepareUserDir, startNodeRed, type FlowNode } from '../src';
import { emulatorConfig, startClipEmulator, waitOnJobId, type Account } from '../test/helpers/tracking-parts';

const WAITS = 2000;
const ACCOUNT: Account = {
  secretId: 'AKIDbenchTracking0000',
  secretKey: 'bench-tracking-secret-key-00',
  bucket: 'examplebucket-1250000000',
  region: 'ap-guangzhou',
};
const TOKEN = 'benchtoken0123456789abcdef';
const MiB = 1024 * 1024;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

async function bodyText(req: IncomingMessage): Promise<string> {
  const result = await readBody(req);
  return result.kind === 'body' ? result.body.toString('utf8') : '';
}

function flows(emulatorUrl: string, sinkUrl: string): FlowNode[] {
  const z = 'bench';
  return [
    { id: z, type: 'tab', label: 'bench' },
    emulatorConfig(emulatorUrl, ACCOUNT, { minInterval: 5, maxInterval: 30 }),
    { id: 'in-waits', type: 'http in', z, url: '/bench/waits', method: 'post', upload: false, wires: [['fan', 'ack']] },
    { id: 'ack', type: 'http response', z, statusCode: '200', wires: [] },
    { id: 'fan', type: 'function', z, outputs: 1, func: 'for (const id of msg.payload) node.send({ jobId: id, topic: id });\nreturn null;', wires: [['wait']] },
    waitOnJobId({ id: 'wait', z, wires: [['out'], ['out']] }),
    { id: 'out', type: 'function', z, outputs: 1, func: 'return { payload: msg.jobId };', wires: [['post']] },
    { id: 'post', type: 'http request', z, method: 'POST', ret: 'txt', paytoqs: 'ignore', url: sinkUrl, persist: true, wires: [[]] },
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
    // Answered by the httpNodeMiddleware in settings.js, which runs before every http in route.
    { id: 'in-mem', type: 'http in', z, url: '/bench/mem', method: 'get', wires: [['mem-out']] },
    { id: 'mem-out', type: 'http response', z, statusCode: '200', wires: [] },
  ];
}

interface Figures {
  rssPer1000: number;
  heapPer1000: number;
  p50: number;
  p99: number;
  ping50: number;
  ping99: number;
}

async function run(fileStore: boolean): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'tci-bench-tracking-'));
  // Jobs stay Submitted for 10 minutes: every wait stays in flight until its callback.
  const emulator = await startClipEmulator(join(dir, 'emulator'), ACCOUNT, 600_000);
  const arrivals = new Map<string, number>();
  const sink = createServer(async (req, res) => {
    const jobId = await bodyText(req);
    arrivals.set(jobId, performance.now());
    res.end('ok');
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/out`;

  const userDir = join(dir, 'node-red');
  prepareUserDir(userDir, { credentialSecret: 'bench', extra: fileStore ? {} : { contextStorage: undefined } });
  // The demo's settings (file context store, write-through), plus GET /bench/mem: a full GC, then process.memoryUsage().
  const memRoute =
    "(req, res, next) => { if (req.url !== '/bench/mem') return next(); for (let i = 0; i < 3; i++) global.gc(); res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(process.memoryUsage())); }";
  writeFileSync(join(userDir, 'settings.js'), `${readFileSync(join(userDir, 'settings.js'), 'utf8')}\nmodule.exports.httpNodeMiddleware = ${memRoute};\n`);
  const nodeRed = await startNodeRed({ userDir, port: await freePort(), nodeArgs: ['--expose-gc'] });
  const client = new CiClient({ ...ACCOUNT, endpoint: emulator.url });
  try {
    await deployAndStart(nodeRed, flows(emulator.url, sinkUrl));
    const submit = async (n: number) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i += 1)
        ids.push(
          (await client.submit('VideoTag', { Input: { Object: 'input/clip.mp4' }, Operation: { VideoTag: { Scenario: 'Stream' } }, CallBack: 'no' })).JobsDetail
            .JobId,
        );
      return ids;
    };
    /** After a full GC, settled: the lowest of three readings (RSS does not shrink at once). */
    const memory = async () => {
      const reads = [];
      for (let i = 0; i < 3; i += 1) {
        reads.push(await memoryOnce());
        await new Promise((r) => setTimeout(r, 300));
      }
      return { rss: Math.min(...reads.map((r) => r.rss)), heap: Math.min(...reads.map((r) => r.heap)) };
    };
    const memoryOnce = async () => {
      const res = await fetch(`${nodeRed.url}/bench/mem`, { signal: AbortSignal.timeout(20_000) }).catch((err: Error) => {
        throw new Error(`GET /bench/mem: ${err.message}\n${nodeRed.output().slice(-2000)}`);
      });
      const text = await res.text();
      let usage: { heapUsed: number };
      try {
        usage = JSON.parse(text) as { heapUsed: number };
      } catch {
        throw new Error(`GET /bench/mem answered ${res.status}: ${text.slice(0, 300)}`);
      }
      return { rss: rssOf(nodeRed.pid), heap: usage.heapUsed };
    };
    const startWaits = (ids: string[]) =>
      fetch(`${nodeRed.url}/bench/waits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ids) });
    const callback = (jobId: string) =>
      fetch(`${nodeRed.url}/tencent-ci/callback/bench?token=${TOKEN}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ EventName: 'TaskFinish', JobsDetail: { JobId: jobId, Tag: 'VideoTag', State: 'Success', Code: 'Success', Message: 'Success' } }),
      }).then((r) => r.text());
    const settled = async (ids: string[], timeoutMs: number) => {
      const end = Date.now() + timeoutMs;
      while (ids.some((id) => !arrivals.has(id))) {
        if (Date.now() > end) throw new Error(`${ids.filter((id) => !arrivals.has(id)).length} waits did not settle`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    // Warm up: one round of waits (started, polled, settled by callbacks).
    const warm = await submit(WAITS);
    await startWaits(warm);
    await new Promise((r) => setTimeout(r, 8000));
    await Promise.all(
      Array.from({ length: 16 }, async (_, k) => {
        for (let i = k; i < warm.length; i += 16) await callback(warm[i]!);
      }),
    );
    await settled(warm, 30_000);
    await new Promise((r) => setTimeout(r, 2000));

    // The cost of waits is the slope between two loaded states (WAITS, then 2 x WAITS in
    // flight), each saved and polled: what the first waits cost is mixed with the heap
    // growing to its working size, which the second ones do not pay again.
    const first = await submit(WAITS);
    const second = await submit(WAITS);
    await startWaits(first);
    await new Promise((r) => setTimeout(r, 8000));
    const at1 = await memory();
    await startWaits(second);
    await new Promise((r) => setTimeout(r, 8000));
    const at2 = await memory();
    const rssPer1000 = ((at2.rss - at1.rss) / MiB) * (1000 / WAITS);
    const heapPer1000 = ((at2.heap - at1.heap) / MiB) * (1000 / WAITS);
    const ids = [...first, ...second];

    const latencies: number[] = [];
    for (const id of ids) {
      const t0 = performance.now();
      await callback(id);
      await settled([id], 10_000);
      latencies.push(arrivals.get(id)! - t0);
    }
    const pings: number[] = [];
    for (let i = 0; i < ids.length; i += 1) {
      const t0 = performance.now();
      await (await fetch(`${nodeRed.url}/bench/ping`)).text();
      pings.push(performance.now() - t0);
    }
    return {
      rssPer1000,
      heapPer1000,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      ping50: percentile(pings, 50),
      ping99: percentile(pings, 99),
    };
  } finally {
    await client.close();
    await nodeRed.stop();
    await emulator.close();
    sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`\nJob tracker in real Node-RED: ${2 * WAITS} waits on a wait node (jobs that stay Submitted), then a callback for each, one at a time.`);
  for (const [label, fileStore] of [
    ['file context store, write-through (cache: false)', true],
    ['Node-RED default context (memory)', false],
  ] as const) {
    const f = await run(fileStore);
    console.log(`\n  ${label}`);
    console.log(`    RSS per 1,000 in-flight waits:           ${f.rssPer1000.toFixed(2)} MiB   (heap after GC: ${f.heapPer1000.toFixed(2)} MiB)`);
    console.log(`    callback POST -> wait output p50 / p99:  ${f.p50.toFixed(1)} / ${f.p99.toFixed(1)} ms`);
    console.log(`    plain http in -> http response p50/p99:  ${f.ping50.toFixed(1)} / ${f.ping99.toFixed(1)} ms   (same Node-RED)`);
    console.log(`    ratio of the p99s:                       ${(f.p99 / f.ping99).toFixed(2)}x`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
