/**
 * Waiting for many jobs: the JobWatcher against per-job polling every 5 s (the loop of
 * Tencent's SDK demos: describe the job alone, sleep 5 s, until it ends), side by side in one
 * run against one loopback server that answers `GET /jobs/<id1,id2,…>` like CI.
 *
 * 1,000 jobs of 1–20 s (seeded), started over the first 2 s, for each side (the same
 * durations; ids `ours-…` and `peer-…`). The server knows each job's end, counts the
 * requests of each side, and answers Submitted for the first 300 ms of a job, then Running
 * (without Progress, which CI reports only for some job types), then Success. Measured: the
 * describe requests each side sends, and each job's end → its wait settling.
 *
 * Real time over loopback (no fake timers), about 30 s, at most 60 s. Run alone with
 * `cd packages/core && npx tsx bench/waits.ts`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { CiClient } from '../src/client';
import { seededRandom } from '../src/random';
import { isTerminalState } from '../src/types';
import { JobWatcher } from '../src/watcher';
import { formatTable, percentile, type BenchRow } from './harness';

const JOBS = 1000;
const FAN_OUT_MS = 2000;
const MIN_DURATION_MS = 1000;
const MAX_DURATION_MS = 20_000;
const SUBMITTED_MS = 300;
const PEER_INTERVAL_MS = 5000;
/** The whole measure gives up after this. */
const LIMIT_MS = 55_000;
const SEED = 20_240_601;
const PEER_NAME = 'per-job polling every 5 s';

type Side = 'ours' | 'peer';

interface Job {
  readonly id: string;
  readonly side: Side;
  readonly startAt: number;
  readonly endAt: number;
  settledAt?: number;
}

/** CI's time format, `2022-06-27T15:23:12+0800`. */
function ciTime(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000);
  return `${d.toISOString().slice(0, 19)}+0800`;
}

function jobXml(job: Job, now: number): string {
  const state = now >= job.endAt ? 'Success' : now - job.startAt < SUBMITTED_MS ? 'Submitted' : 'Running';
  const started = state === 'Submitted' ? '-' : ciTime(job.startAt + SUBMITTED_MS);
  const ended = state === 'Success' ? ciTime(job.endAt) : '-';
  const progress = state === 'Success' ? '<Progress>100</Progress>' : '';
  return (
    `<JobsDetail><Code>Success</Code><Message/><JobId>${job.id}</JobId><State>${state}</State>${progress}` +
    `<CreationTime>${ciTime(job.startAt)}</CreationTime><StartTime>${started}</StartTime><EndTime>${ended}</EndTime>` +
    `<QueueId>p2242ab62c7c94486915508540933a2c6</QueueId><Tag>Transcode</Tag>` +
    `<Input><BucketId>examplebucket-1250000000</BucketId><Object>input/${job.id}.mp4</Object><Region>ap-guangzhou</Region></Input>` +
    `<Operation><TemplateId>t1460606b9752148c4ab182f55163ba7cd</TemplateId>` +
    `<Output><Region>ap-guangzhou</Region><Bucket>examplebucket-1250000000</Bucket><Object>output/${job.id}.mp4</Object></Output></Operation>` +
    `</JobsDetail>`
  );
}

/** A loopback CI that answers describes from the jobs it knows and counts requests per side. */
function ciServer(jobs: Map<string, Job>) {
  const requests: Record<Side, number> = { ours: 0, peer: 0 };
  const ids: Record<Side, number> = { ours: 0, peer: 0 };
  let n = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const now = Date.now();
      const match = /^\/jobs\/([^?]+)/.exec(req.url ?? '');
      n += 1;
      const headers = { 'content-type': 'application/xml', 'x-ci-request-id': `bench-${n}` };
      if (req.method !== 'GET' || !match) {
        res.writeHead(404, headers);
        res.end('<Error><Code>NoSuchKey</Code><Message>not here</Message></Error>');
        return;
      }
      const asked = decodeURIComponent(match[1]!).split(',');
      const side: Side = asked[0]!.startsWith('peer-') ? 'peer' : 'ours';
      requests[side] += 1;
      ids[side] += asked.length;
      const parts = ['<Response>'];
      const unknown: string[] = [];
      for (const id of asked) {
        const job = jobs.get(id);
        if (job && job.startAt <= now) parts.push(jobXml(job, now));
        else unknown.push(id);
      }
      for (const id of unknown) parts.push(`<NonExistJobIds>${id}</NonExistJobIds>`);
      parts.push('</Response>');
      const body = Buffer.from(parts.join(''));
      res.writeHead(200, { ...headers, 'content-length': body.length });
      res.end(body);
    });
  });
  return { server, requests, ids };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The peer: one job, described alone every 5 s from its start until it ends. */
async function pollEvery5s(client: CiClient, job: Job, until: number): Promise<void> {
  while (Date.now() < until) {
    await sleep(PEER_INTERVAL_MS);
    try {
      const answer = await client.describe(job.id);
      const detail = answer.JobsDetail.find((d) => d.JobId === job.id);
      if (detail && isTerminalState(detail.State)) {
        job.settledAt = Date.now();
        return;
      }
    } catch {
      // a demo loop would log and poll again
    }
  }
}

function fmtMs(ms: number): string {
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}

export async function benchWaits(): Promise<BenchRow[]> {
  const random = seededRandom(SEED);
  const durations = Array.from({ length: JOBS }, () => MIN_DURATION_MS + random() * (MAX_DURATION_MS - MIN_DURATION_MS));
  const jobs = new Map<string, Job>();
  const { server, requests, ids } = ciServer(jobs);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientOptions = { endpoint, secretId: 'AKIDbench', secretKey: 'benchsecretkey0123456789', bucket: 'examplebucket-1250000000', region: 'ap-guangzhou' };
  const oursClient = new CiClient(clientOptions);
  const peerClient = new CiClient(clientOptions);
  // As the config node makes it (packages/config/src/config-node.ts), with its default intervals.
  const watcher = new JobWatcher(oursClient, { minIntervalMs: 1000, maxIntervalMs: 15_000, defaultTimeoutMs: 0 });

  const t0 = Date.now() + 100;
  const until = t0 + LIMIT_MS;
  const pending: Promise<void>[] = [];
  const all: Job[] = [];
  const start = (job: Job) => {
    jobs.set(job.id, job);
    all.push(job);
    if (job.side === 'ours') {
      pending.push(
        watcher.wait(job.id).then(
          () => {
            job.settledAt = Date.now();
          },
          () => undefined,
        ),
      );
    } else {
      pending.push(pollEvery5s(peerClient, job, until));
    }
  };
  // The fan-out: job i of each side starts at t0 + i × 2 ms, as if submitted then.
  const order: { side: Side; i: number }[] = [];
  for (let i = 0; i < JOBS; i += 1) order.push({ side: 'ours', i }, { side: 'peer', i });
  let next = 0;
  while (next < order.length) {
    const now = Date.now();
    while (next < order.length && t0 + (order[next]!.i * FAN_OUT_MS) / JOBS <= now) {
      const { side, i } = order[next]!;
      const id = `${side}-${String(i).padStart(4, '0')}`;
      start({ id, side, startAt: now, endAt: now + durations[i]! });
      next += 1;
    }
    await sleep(5);
  }

  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, until - Date.now()))));
  await Promise.race([Promise.all(pending), limit]);
  clearTimeout(timer);
  watcher.close();
  await Promise.all([oursClient.close(), peerClient.close()]);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));

  const lag = (side: Side) => all.filter((j) => j.side === side).map((j) => (j.settledAt === undefined ? Infinity : j.settledAt - j.endAt));
  const oursLag = lag('ours');
  const peerLag = lag('peer');
  const unsettled = [...oursLag, ...peerLag].filter((x) => x === Infinity).length;
  const oursP99 = percentile(oursLag, 99);
  const peerP99 = percentile(peerLag, 99);
  const ratio = requests.peer / requests.ours;
  const unsettledNote = unsettled > 0 ? `; ${unsettled} waits did not settle within ${LIMIT_MS / 1000} s` : '';
  return [
    {
      path: '1,000 waits, jobs of 1-20 s: describe requests',
      ours: requests.ours.toLocaleString('en-US'),
      peer: requests.peer.toLocaleString('en-US'),
      peerName: PEER_NAME,
      ratio,
      goal: '>= 20x',
      met: ratio >= 20 && unsettled === 0,
      note: `ids per request: ours ${(ids.ours / requests.ours).toFixed(1)}, peer 1; ids described: ours ${ids.ours.toLocaleString('en-US')}, peer ${ids.peer.toLocaleString('en-US')}${unsettledNote}`,
    },
    {
      path: '1,000 waits: job end -> settle p99',
      ours: fmtMs(oursP99),
      peer: fmtMs(peerP99),
      peerName: PEER_NAME,
      ratio: peerP99 / oursP99,
      goal: '<= 5000 ms',
      met: oursP99 <= 5000,
      note: `p50 ours ${fmtMs(percentile(oursLag, 50))}, peer ${fmtMs(percentile(peerLag, 50))}; max ours ${fmtMs(percentile(oursLag, 100))}, peer ${fmtMs(percentile(peerLag, 100))}`,
    },
  ];
}

if (require.main === module) benchWaits().then((rows) => console.log(formatTable(rows)));
