/**
 * Jobs across restarts (docs/emulator.md, "Jobs across restarts"): an emulator started on a
 * root where another ran answers for every job the other accepted, runs the unfinished ones
 * to their end and keeps the ended ones as they were — after a close, and after SIGKILLs at
 * random moments of the CLI process. Corrupt records are skipped; persistence can be off.
 *
 * The SIGKILL and --no-persist tests run the BUILT command (see helpers/cli.ts).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CiClient, isTerminalState, type JobsDetail } from '@node-red-tencent-ci/core';
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/emulator';
import { haveFfmpeg, makeTinyClip } from './helpers/clip';
import { killAll, listeningUrl, requireBuiltCli, run, waitForStdout, type Run } from './helpers/cli';
import { BUCKET, REGION, SECRET_ID, SECRET_KEY, eventually, holdScript, sleep, videoTag, waitForEnd } from './helpers/emulator';
import { startSink, type HttpSink } from './helpers/http-sink';

const CAT_SCRIPT = { VideoTagResult: { StreamData: { SubErrCode: '0', SubErrMsg: 'ok', Data: { Tags: [{ Tag: 'Cat', Confidence: '0.9' }] } } } };
const FAIL_SCRIPT = { State: 'Failed', Code: 'InternalError', Message: 'scripted failure' };
const SCENARIO = { templates: { t1vtr: { Tag: 'VideoTargetRec', Name: 'vtr', VideoTargetRec: { Body: 'true' } } } };

/** The first tag of a VideoTag job's result (CAT_SCRIPT's is Cat). */
function firstTag(d: JobsDetail): string | undefined {
  return (d.Operation?.VideoTagResult as { StreamData?: { Data?: { Tags?: Array<{ Tag?: string }> } } } | undefined)?.StreamData?.Data?.Tags?.[0]?.Tag;
}

interface Started {
  emu: Emulator;
  client: CiClient;
  logs: string[];
  close(): Promise<void>;
}

describe('jobs across restarts', function () {
  let root: string;
  const started: Started[] = [];
  const runs: Run[] = [];
  let sink: HttpSink | undefined;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ci-emu-persist-'));
  });

  afterEach(async () => {
    for (const s of started.splice(0)) await s.close();
    await killAll(runs);
    await sink?.close();
    sink = undefined;
    await rm(root, { recursive: true, force: true });
  });

  const bucketFile = (key: string) => join(root, BUCKET, key);
  const jobsFolder = () => join(root, '.emulator', 'jobs');

  async function put(key: string, data: string | Buffer = 'not really a video'): Promise<void> {
    await mkdir(dirname(bucketFile(key)), { recursive: true });
    await writeFile(bucketFile(key), data);
  }

  /** An emulator on `root` (in this process) with a client; closed by afterEach unless closed before. */
  async function start(options: Partial<EmulatorOptions> = {}): Promise<Started> {
    const logs: string[] = [];
    const emu = await startEmulator({ secretId: SECRET_ID, secretKey: SECRET_KEY, root, bucket: BUCKET, region: REGION, log: (l) => logs.push(l), ...options });
    const client = new CiClient({ secretId: SECRET_ID, secretKey: SECRET_KEY, bucket: BUCKET, region: REGION, endpoint: emu.url, retry: false });
    let closed = false;
    const s: Started = {
      emu,
      client,
      logs,
      async close() {
        if (closed) return;
        closed = true;
        await client.close();
        await emu.close();
      },
    };
    started.push(s);
    return s;
  }

  /** Every job of each tag, as list gives them newest first. */
  async function listAll(client: CiClient, tags: readonly string[]): Promise<Record<string, JobsDetail[]>> {
    const out: Record<string, JobsDetail[]> = {};
    for (const tag of tags) out[tag] = (await client.list({ tag: tag as 'VideoTag', size: 100 })).JobsDetail;
    return out;
  }

  it('answers describe and list for ended jobs exactly as before a close and restart, and sends no callback again', async function () {
    sink = await startSink();
    await put('input/cat.mp4');
    await put('input/cat.mp4.ci-result.json', JSON.stringify(CAT_SCRIPT));
    await put('input/fail.mp4');
    await put('input/fail.mp4.ci-result.json', JSON.stringify(FAIL_SCRIPT));
    await put('input/people.mp4');
    await put('input/later.mp4');
    await put('input/later.mp4.ci-result.json', JSON.stringify({ QueuedSeconds: 600, ...CAT_SCRIPT }));
    const tags = ['VideoTag', 'VideoTargetRec'];
    if (haveFfmpeg()) {
      await makeTinyClip(bucketFile('input/clip.mp4'));
      tags.push('MediaInfo');
    }

    const first = await start({ scenario: SCENARIO });
    const c = first.client;
    const callBack = { CallBack: sink.url };
    const ids = [
      (await c.submit('VideoTag', videoTag('input/cat.mp4', callBack))).JobsDetail.JobId,
      (await c.submit('VideoTag', videoTag('input/fail.mp4', { ...callBack, CallBackFormat: 'JSON' }))).JobsDetail.JobId,
      (await c.submit('VideoTargetRec', { Input: { Object: 'input/people.mp4' }, Operation: { TemplateId: 't1vtr', JobLevel: '1' }, ...callBack })).JobsDetail
        .JobId,
    ];
    if (tags.includes('MediaInfo')) ids.push((await c.submit('MediaInfo', { Input: { Object: 'input/clip.mp4' }, ...callBack })).JobsDetail.JobId);
    const cancelled = (await c.submit('VideoTag', videoTag('input/later.mp4', callBack))).JobsDetail.JobId;
    await c.cancel(cancelled);
    ids.push(cancelled);
    for (const id of ids) await waitForEnd(c, id, 20_000);
    await sink.waitFor(ids.length);
    await first.emu.callbacksIdle();

    const before = (await c.describe(ids)).JobsDetail;
    assert.deepEqual(
      before.map((d) => d.State),
      ['Success', 'Failed', 'Success', ...(tags.includes('MediaInfo') ? ['Success'] : []), 'Cancel'],
    );
    assert.equal(firstTag(before[0]!), 'Cat', 'the scripted result is part of what is compared');
    assert.equal(before[2]!.Operation?.TemplateName, 'vtr');
    const listedBefore = await listAll(c, tags);
    const countsBefore = first.emu.stats().jobs;
    await first.close();

    const second = await start({ scenario: SCENARIO });
    assert.equal(second.emu.restoredJobs, ids.length);
    assert.ok(
      second.logs.some((l) => l.includes(`${ids.length} stored job(s)`) && l.includes('0 unfinished queued again')),
      second.logs.join('\n'),
    );
    const after = await second.client.describe(ids);
    assert.deepEqual(after.NonExistJobIds, []);
    assert.deepEqual(after.JobsDetail, before);
    assert.deepEqual(await listAll(second.client, tags), listedBefore);
    assert.deepEqual(second.emu.stats().jobs, countsBefore);

    // A new job comes after the restored ones (seq beyond theirs): first in a Desc list.
    const fresh = (await second.client.submit('VideoTag', videoTag('input/cat.mp4'))).JobsDetail.JobId;
    const listed = (await second.client.list({ tag: 'VideoTag', size: 100 })).JobsDetail.map((d) => d.JobId);
    assert.deepEqual(listed, [fresh, ...listedBefore.VideoTag!.map((d) => d.JobId)]);
    await waitForEnd(second.client, fresh);

    await sleep(300);
    await second.emu.callbacksIdle();
    assert.equal(sink.received.length, ids.length, 'no callback is sent again for a job that ended before the restart');
  });

  it('has a job on disk when its submit answer arrives', async () => {
    await put('input/cat.mp4');
    const s = await start({ startDelayMs: 60_000 });
    const { JobId } = (await s.client.submit('VideoTag', videoTag('input/cat.mp4'))).JobsDetail;
    const record = JSON.parse(await readFile(join(jobsFolder(), `${JobId}.json`), 'utf8'));
    assert.deepEqual([record.job.JobId, record.job.State, record.job.seq], [JobId, 'Submitted', 1]);
    assert.equal(s.emu.jobsFolder, jobsFolder());
  });

  it('runs the jobs that were Submitted or Running at close to their end; a Running one keeps its StartTime', async () => {
    await put('input/held.mp4');
    await put('input/next.mp4');
    await put('input/next.mp4.ci-result.json', JSON.stringify(CAT_SCRIPT));
    const hold = holdScript(join(root, BUCKET), 'input/held.mp4');
    const first = await start({ concurrency: 1 });
    const held = (await first.client.submit('VideoTag', videoTag('input/held.mp4'))).JobsDetail.JobId;
    const running = await eventually(
      async () => {
        const d = (await first.client.describe(held)).JobsDetail[0];
        return d?.State === 'Running' ? d : undefined;
      },
      5000,
      'the held job to run',
    );
    const next = (await first.client.submit('VideoTag', videoTag('input/next.mp4'))).JobsDetail.JobId;
    assert.equal((await first.client.describe(next)).JobsDetail[0]?.State, 'Submitted');
    await first.close();
    hold.abandon();
    // The script can be read now: the rerun ends.
    await rm(bucketFile('input/held.mp4.ci-result.json'));
    await put('input/held.mp4.ci-result.json', JSON.stringify(CAT_SCRIPT));

    const second = await start({ concurrency: 1 });
    assert.ok(
      second.logs.some((l) => l.includes('2 stored job(s)') && l.includes('2 unfinished queued again')),
      second.logs.join('\n'),
    );
    const heldNow = (await second.client.describe(held)).JobsDetail[0]!;
    assert.notEqual(heldNow.State, 'Submitted', 'a job a client saw Running never goes back to Submitted');
    const heldDone = await waitForEnd(second.client, held);
    const nextDone = await waitForEnd(second.client, next);
    assert.deepEqual([heldDone.State, nextDone.State], ['Success', 'Success']);
    assert.equal(heldDone.StartTime, running.StartTime);
    assert.equal(heldDone.CreationTime, running.CreationTime);
    assert.equal(firstTag(heldDone), 'Cat');
    assert.equal(nextDone.Progress, '100');
  });

  it('sends after a restart a callback that the close cut short, and only once', async () => {
    sink = await startSink([500, 200]);
    await put('input/cat.mp4');
    const options = { callbackRetries: 3, callbackRetryDelayMs: 60_000 };
    const first = await start(options);
    const { JobId } = (await first.client.submit('VideoTag', videoTag('input/cat.mp4', { CallBack: sink.url }))).JobsDetail;
    await waitForEnd(first.client, JobId);
    await sink.waitFor(1); // the first attempt got 500; the retry waits a minute
    await first.close();

    const second = await start(options);
    assert.ok(
      second.logs.some((l) => l.includes('1 callback(s) sent again')),
      second.logs.join('\n'),
    );
    const [, again] = await sink.waitFor(2);
    assert.match(again!.body, new RegExp(`<JobId>${JobId}</JobId>`));
    await second.emu.callbacksIdle();
    await second.close();

    const third = await start(options);
    assert.ok(
      third.logs.some((l) => l.includes('0 callback(s) sent again')),
      third.logs.join('\n'),
    );
    await sleep(300);
    assert.equal(sink.received.length, 2);
  });

  it('skips a torn or corrupt job file with one log line each, removes a leftover temp file, and loads the other jobs', async () => {
    await put('input/cat.mp4');
    const first = await start();
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) ids.push((await first.client.submit('VideoTag', videoTag('input/cat.mp4'))).JobsDetail.JobId);
    for (const id of ids) await waitForEnd(first.client, id);
    const before = (await first.client.describe(ids)).JobsDetail;
    await first.close();

    const [torn, badField, notJson, whole] = ids as [string, string, string, string];
    const file = (id: string) => join(jobsFolder(), `${id}.json`);
    const { size } = await stat(file(torn));
    await truncate(file(torn), Math.floor(size / 2));
    const record = JSON.parse(await readFile(file(badField), 'utf8'));
    record.job.State = 'Paused';
    await writeFile(file(badField), JSON.stringify(record));
    await writeFile(file(notJson), '\0\0\0\0');
    const temp = `${file(whole)}.12345.1.tmp`;
    await writeFile(temp, '{"format":"tencent-ci-emul');

    const second = await start();
    const lines = (text: string) => second.logs.filter((l) => l.includes(text));
    assert.equal(lines(`${torn}.json`).length, 1, second.logs.join('\n'));
    assert.match(lines(`${torn}.json`)[0]!, /^skipped job file .*: not JSON/);
    assert.equal(lines(`${badField}.json`).length, 1);
    assert.match(lines(`${badField}.json`)[0]!, /^skipped job file .*: its job's State is not one of Submitted, Running, Success, Failed, Cancel: "Paused"/);
    assert.equal(lines(`${notJson}.json`).length, 1);
    assert.equal(lines('.tmp').length, 1);
    assert.match(lines('.tmp')[0]!, /^removed .*\.tmp: a job write that a stop cut short/);
    assert.equal(existsSync(temp), false);
    assert.equal(second.emu.restoredJobs, 1);

    const after = await second.client.describe(ids);
    assert.deepEqual(after.NonExistJobIds.sort(), [torn, badField, notJson].sort());
    assert.deepEqual(after.JobsDetail, [before[3]]);
  });

  it('forgets every job when persistJobs is false, and keeps nothing on disk', async () => {
    await put('input/cat.mp4');
    const first = await start({ persistJobs: false });
    assert.equal(first.emu.jobsFolder, undefined);
    const { JobId } = (await first.client.submit('VideoTag', videoTag('input/cat.mp4'))).JobsDetail;
    assert.equal((await waitForEnd(first.client, JobId)).State, 'Success');
    await first.close();
    assert.equal(existsSync(join(root, '.emulator')), false);

    const again = await start({ persistJobs: false });
    assert.deepEqual((await again.client.describe(JobId)).NonExistJobIds, [JobId]);
    await again.close();
    const persisting = await start();
    assert.deepEqual((await persisting.client.describe(JobId)).NonExistJobIds, [JobId]);
  });

  it('keeps jobs in the temp root it made itself, and removes that root on close', async () => {
    const emu = await startEmulator({ secretId: SECRET_ID, secretKey: SECRET_KEY });
    assert.equal(emu.jobsFolder, join(emu.root, '.emulator', 'jobs'));
    await emu.close();
    assert.equal(existsSync(emu.root), false);
  });

  describe('the command', function () {
    before(requireBuiltCli);

    function serve(extra: string[] = []): Run {
      const r = run(['--port', '0', '--root', root, '--bucket', BUCKET, '--region', REGION, '--secret-id', SECRET_ID, '--secret-key', SECRET_KEY, ...extra]);
      runs.push(r);
      return r;
    }

    const clientOf = (url: string) => new CiClient({ secretId: SECRET_ID, secretKey: SECRET_KEY, bucket: BUCKET, region: REGION, endpoint: url, retry: false });

    it('forgets its jobs across a restart with --no-persist', async () => {
      await put('input/cat.mp4');
      const r = serve(['--no-persist']);
      const url = await listeningUrl(r);
      await waitForStdout(r, /jobs are not kept \(--no-persist\)/);
      const client = clientOf(url);
      const { JobId } = (await client.submit('VideoTag', videoTag('input/cat.mp4'))).JobsDetail;
      await waitForEnd(client, JobId);
      await client.close();
      r.child.kill('SIGTERM');
      assert.deepEqual(await r.exit, { code: 0, signal: null });
      assert.equal(existsSync(join(root, '.emulator')), false);

      const again = serve(['--no-persist']);
      const client2 = clientOf(await listeningUrl(again));
      try {
        assert.deepEqual((await client2.describe(JobId)).NonExistJobIds, [JobId]);
      } finally {
        await client2.close();
      }
    });

    it('knows every JobId it answered after SIGKILLs at random moments, runs the unfinished jobs to their end and keeps the ended ones', async function () {
      this.timeout(180_000);
      await put('input/cat.mp4');
      await put('input/cat.mp4.ci-result.json', JSON.stringify(CAT_SCRIPT));
      await put('input/held.mp4');
      const hold = holdScript(join(root, BUCKET), 'input/held.mp4');
      const known: string[] = [];
      /** What a client saw: the first ended JobsDetail of a job, and the jobs it saw Running. */
      const ended = new Map<string, JobsDetail>();
      const seenRunning = new Set<string>();
      const observe = (details: JobsDetail[]) => {
        for (const d of details) {
          if (isTerminalState(d.State) && !ended.has(d.JobId)) ended.set(d.JobId, d);
          if (d.State === 'Running') seenRunning.add(d.JobId);
        }
      };
      /** Every JobId answered is known; ended jobs are as first seen; none seen Running is Submitted again. */
      const check = async (client: CiClient, round: number) => {
        const { JobsDetail: details, NonExistJobIds: missing } = await client.describe(known);
        assert.deepEqual(missing, [], `round ${round}: every JobId a submit answered is known`);
        for (const d of details) {
          if (ended.has(d.JobId)) assert.deepEqual(d, ended.get(d.JobId), `round ${round}: job ${d.JobId} is as it was when it ended`);
          if (seenRunning.has(d.JobId)) assert.notEqual(d.State, 'Submitted', `round ${round}: job ${d.JobId} was seen Running`);
        }
        observe(details);
      };

      const rounds = 6;
      for (let round = 0; round < rounds; round += 1) {
        const r = serve(['--concurrency', '2']);
        const url = await listeningUrl(r);
        const client = clientOf(url);
        try {
          await check(client, round);
          if (round === 0) {
            const { JobId } = (await client.submit('VideoTag', videoTag('input/held.mp4'))).JobsDetail;
            known.push(JobId);
            await eventually(async () => ((await client.describe(JobId)).JobsDetail[0]?.State === 'Running' ? true : undefined), 5000, 'the held job to run');
            seenRunning.add(JobId);
          }
          // A burst of submits; SIGKILL right after the k-th answer, with the others (and the
          // queue's writes of starts and ends) in flight.
          const burst = 16;
          const killAfter = 2 + Math.floor(Math.random() * 12);
          let answered = 0;
          const watching = (async () => {
            while (r.child.exitCode === null && r.child.signalCode === null) {
              try {
                observe((await client.describe(known)).JobsDetail);
              } catch {
                return; // killed
              }
              await sleep(Math.random() * 5);
            }
          })();
          await Promise.allSettled(
            Array.from({ length: burst }, async (_, i) => {
              await sleep(i * Math.random() * 3);
              const { JobId } = (await client.submit('VideoTag', videoTag('input/cat.mp4'))).JobsDetail;
              known.push(JobId);
              answered += 1;
              if (answered === killAfter) r.child.kill('SIGKILL');
            }),
          );
          if (answered < killAfter) r.child.kill('SIGKILL');
          assert.equal((await r.exit).signal, 'SIGKILL');
          await watching;
        } finally {
          await client.close();
        }
        assert.doesNotMatch(r.stdout(), /skipped job file/, `round ${round}: a SIGKILL leaves no record unreadable`);
      }

      // The held job's script can be read now: every job can end.
      hold.abandon();
      await rm(bucketFile('input/held.mp4.ci-result.json'));
      await put('input/held.mp4.ci-result.json', JSON.stringify(CAT_SCRIPT));
      const r = serve(['--concurrency', '4']);
      const client = clientOf(await listeningUrl(r));
      try {
        await check(client, rounds);
        const done = await eventually(
          async () => {
            const { JobsDetail: details } = await client.describe(known);
            return details.every((d) => isTerminalState(d.State)) ? details : undefined;
          },
          60_000,
          'every job to end',
        );
        assert.equal(done.length, known.length);
        for (const d of done) {
          assert.equal(d.State, 'Success', `job ${d.JobId}: ${d.Code} ${d.Message}`);
          assert.equal(firstTag(d), 'Cat', `job ${d.JobId} has its result`);
        }
        await check(client, rounds + 1);
        const files = (await readdir(jobsFolder())).filter((f) => f.endsWith('.json'));
        assert.ok(files.length >= known.length, 'a record for every job answered (and maybe for submits killed before their answer)');
      } finally {
        await client.close();
      }
      assert.doesNotMatch(r.stdout(), /skipped job file/);
      r.child.kill('SIGTERM');
      assert.deepEqual(await r.exit, { code: 0, signal: null });
    });
  });
});
