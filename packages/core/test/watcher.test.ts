import assert from 'node:assert/strict';

import { CiError, ErrorCodes } from '../src/errors';
import type { JobsDetail } from '../src/types';
import { JobWatcher, type JobDescriber } from '../src/watcher';
import { rejection } from './helpers/assert';
import { activeTimeouts, detail, FakeDescriber, nextTurn, sleep, timeoutBaseline, useWatchers } from './helpers/watcher';

describe('JobWatcher', () => {
  const watcher = useWatchers();

  describe('settling', () => {
    it('resolves with the Success detail once a describe reports it', async () => {
      const fake = new FakeDescriber({ j1: ['Submitted', 'Running', 'Success'] });
      const result = await watcher(fake).wait('j1');
      assert.deepEqual(result, detail('j1', 'Success'));
      assert.equal(fake.calls.length, 3);
    });

    it('resolves (does not reject) with the detail of a Failed job', async () => {
      const fake = new FakeDescriber({ j1: ['Running', 'Failed'] });
      const result = await watcher(fake).wait('j1');
      assert.equal(result.State, 'Failed');
      assert.equal(result.Code, 'InternalError');
      assert.equal(result.Message, 'transcode failed');
    });

    it('resolves (does not reject) with the detail of a Cancel job', async () => {
      const fake = new FakeDescriber({ j1: ['Cancel'] });
      const result = await watcher(fake).wait('j1');
      assert.deepEqual(result, detail('j1', 'Cancel'));
    });

    it('keeps polling a Pause job (Pause is not terminal)', async () => {
      const fake = new FakeDescriber({ j1: ['Pause', 'Pause', 'Success'] });
      const result = await watcher(fake, { minIntervalMs: 5, maxIntervalMs: 5 }).wait('j1');
      assert.equal(result.State, 'Success');
      assert.equal(fake.calls.length, 3);
    });

    it('settles two waits on one job together from one entry and one describe per check', async () => {
      const fake = new FakeDescriber({ j1: ['Running', 'Success'] });
      const w = watcher(fake);
      const first = w.wait('j1');
      const second = w.wait('j1');
      assert.equal(w.size, 1);
      assert.deepEqual(w.stats(), { jobs: 1, waits: 2, requests: 0, inFlight: 0 });
      const [a, b] = await Promise.all([first, second]);
      assert.equal(a, b);
      assert.equal(a.State, 'Success');
      assert.deepEqual(
        fake.calls.map((c) => c.ids),
        [['j1'], ['j1']],
      );
      assert.deepEqual(w.stats(), { jobs: 0, waits: 0, requests: 2, inFlight: 0 });
    });
  });

  describe('batching and scheduling', () => {
    it('1,000 waits with batchSize 100 cost 10 describe requests per round and one timer', async () => {
      const fake = new FakeDescriber({}, ['Running', 'Success']);
      const w = watcher(fake, { minIntervalMs: 50, maxIntervalMs: 100, batchSize: 100 });
      const ids = Array.from({ length: 1000 }, (_, i) => `job-${i}`);
      const baseline = await timeoutBaseline();
      const realSetTimeout = globalThis.setTimeout;
      let setTimeoutCalls = 0;
      globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
        setTimeoutCalls += 1;
        return realSetTimeout(...args);
      }) as unknown as typeof setTimeout;
      let results: JobsDetail[];
      try {
        const waits = ids.map((id) => w.wait(id));
        assert.equal(w.size, 1000);
        assert.equal(activeTimeouts() - baseline, 1, 'one armed timer for 1,000 waits');
        results = await Promise.all(waits);
      } finally {
        globalThis.setTimeout = realSetTimeout;
      }
      assert.equal(results.length, 1000);
      assert.ok(results.every((r, i) => r.JobId === ids[i] && r.State === 'Success'));
      assert.equal(fake.calls.length, 20, '10 requests per round, 2 rounds');
      assert.ok(fake.calls.every((c) => c.ids.length === 100));
      for (const round of [fake.calls.slice(0, 10), fake.calls.slice(10)]) {
        assert.deepEqual(new Set(round.flatMap((c) => c.ids)), new Set(ids), 'each round checks every job once');
      }
      // The count includes any other timer the process arms meanwhile (CI saw 13); the point
      // is that timers do not grow with the number of jobs (one per job would be 1,000+).
      assert.ok(setTimeoutCalls <= 40, `setTimeout called ${setTimeoutCalls} times for 1,000 jobs`);
      assert.equal(activeTimeouts(), baseline, 'no timer left once nothing waits');
    });

    it('never has more than maxConcurrentRequests describes in flight', async () => {
      const fake = new FakeDescriber({}, ['Success']);
      fake.delayMs = 15;
      const w = watcher(fake, { batchSize: 10, maxConcurrentRequests: 2 });
      await Promise.all(Array.from({ length: 50 }, (_, i) => w.wait(`j${i}`)));
      assert.equal(fake.calls.length, 5);
      assert.equal(fake.maxInFlight, 2);
    });

    it('does not describe a job again while its describe is in flight', async () => {
      const fake = new FakeDescriber({ j1: ['Running', 'Running', 'Success'] });
      fake.delayMs = 30;
      const result = await watcher(fake, { minIntervalMs: 5, maxIntervalMs: 5 }).wait('j1');
      assert.equal(result.State, 'Success');
      assert.equal(fake.calls.length, 3);
      assert.equal(fake.maxInFlight, 1);
    });

    it('checks first after minIntervalMs, then grows the interval by backoff up to maxIntervalMs', async () => {
      const fake = new FakeDescriber({ j1: ['Running', 'Running', 'Running', 'Running', 'Success'] });
      const w = watcher(fake, { minIntervalMs: 10, backoff: 2, maxIntervalMs: 40 });
      const start = Date.now();
      await w.wait('j1');
      const times = [start, ...fake.calls.map((c) => c.at)];
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      const expected = [10, 20, 40, 40, 40];
      assert.equal(gaps.length, 5);
      gaps.forEach((gap, i) => assert.ok(gap >= expected[i]! - 1, `gap ${i} is ${gap} ms, expected >= ${expected[i]}`));
      assert.ok(gaps[3]! < 80 && gaps[4]! < 80, `intervals capped at 40 ms, got ${gaps.join(', ')}`);
    });

    it('arms no timer while nothing waits', async () => {
      const baseline = await timeoutBaseline();
      const fake = new FakeDescriber({ j1: ['Success'] });
      const w = watcher(fake);
      assert.equal(activeTimeouts(), baseline);
      const pending = w.wait('j1');
      assert.equal(activeTimeouts(), baseline + 1);
      await pending;
      assert.equal(activeTimeouts(), baseline);
      assert.equal(w.size, 0);
    });
  });

  describe('notify', () => {
    it('settles a wait at once without a describe and returns how many waits settled', async () => {
      const fake = new FakeDescriber();
      const w = watcher(fake, { minIntervalMs: 1000, maxIntervalMs: 1000 });
      const first = w.wait('j1');
      const second = w.wait('j1');
      const other = w.wait('j2');
      assert.equal(w.notify([detail('j1', 'Success'), detail('j3', 'Failed')]), 2);
      assert.deepEqual(await first, detail('j1', 'Success'));
      assert.deepEqual(await second, detail('j1', 'Success'));
      assert.equal(w.size, 1);
      assert.equal(w.notify(detail('j2', 'Failed')), 1);
      assert.equal((await other).State, 'Failed');
      assert.equal(fake.calls.length, 0);
    });

    it('ignores non-terminal details', async () => {
      const w = watcher(new FakeDescriber(), { minIntervalMs: 1000, maxIntervalMs: 1000 });
      const pending = w.wait('j1');
      assert.equal(w.notify(detail('j1', 'Running')), 0);
      assert.equal(w.size, 1);
      w.notify(detail('j1', 'Success'));
      assert.equal((await pending).State, 'Success');
    });

    it('settles a wait registered after the callback at once (recent cache)', async () => {
      const fake = new FakeDescriber();
      const w = watcher(fake, { minIntervalMs: 1000, maxIntervalMs: 1000 });
      assert.equal(w.notify(detail('j1', 'Success')), 0);
      const result = await w.wait('j1');
      assert.deepEqual(result, detail('j1', 'Success'));
      assert.equal(w.size, 0);
      assert.equal(fake.calls.length, 0);
    });

    it('remembers terminal details learned from a describe', async () => {
      const fake = new FakeDescriber({ j1: ['Success'] });
      const w = watcher(fake);
      await w.wait('j1');
      assert.equal((await w.wait('j1')).State, 'Success');
      assert.equal(fake.calls.length, 1);
    });

    it('forgets a remembered detail after recentTtlMs', async () => {
      let clock = 1_000_000;
      const w = watcher(new FakeDescriber(), { minIntervalMs: 1000, maxIntervalMs: 1000, recentTtlMs: 100, now: () => clock });
      w.notify([detail('j1', 'Success'), detail('j2', 'Success')]);
      clock += 99;
      assert.equal((await w.wait('j1')).State, 'Success');
      clock += 1;
      void w.wait('j2').catch(() => undefined);
      assert.equal(w.size, 1, 'j2 is waited for again');
    });

    it('remembers at most 1,000 details, dropping the oldest', async () => {
      const w = watcher(new FakeDescriber(), { minIntervalMs: 1000, maxIntervalMs: 1000 });
      w.notify(Array.from({ length: 1001 }, (_, i) => detail(`j${i}`, 'Success')));
      assert.equal((await w.wait('j1000')).JobId, 'j1000');
      assert.equal((await w.wait('j1')).JobId, 'j1');
      void w.wait('j0').catch(() => undefined);
      assert.equal(w.size, 1, 'j0 was forgotten');
    });
  });

  describe('timeouts and abort', () => {
    it('rejects with WaitTimeout naming the job, the limit and the last state', async () => {
      const fake = new FakeDescriber({ j1: ['Running'] });
      const error = await rejection(watcher(fake, { minIntervalMs: 10, maxIntervalMs: 1000 }).wait('j1', { timeoutMs: 30 }));
      assert.equal(error.code, ErrorCodes.WaitTimeout);
      assert.equal(error.message, 'Job j1 did not finish within 0.03 s (last state: Running)');
      assert.equal(error.retryable, true);
    });

    it('applies defaultTimeoutMs when the wait has no timeoutMs', async () => {
      const w = watcher(new FakeDescriber(), { minIntervalMs: 1000, maxIntervalMs: 1000, defaultTimeoutMs: 20 });
      const error = await rejection(w.wait('j1'));
      assert.equal(error.message, 'Job j1 did not finish within 0.02 s (last state: unknown)');
      assert.equal(w.size, 0);
    });

    it('timeoutMs 0 waits without a deadline', async () => {
      const w = watcher(new FakeDescriber(), { defaultTimeoutMs: 20 });
      const pending = w.wait('j1', { timeoutMs: 0 });
      await sleep(40);
      assert.equal(w.size, 1);
      w.notify(detail('j1', 'Success'));
      assert.equal((await pending).State, 'Success');
    });

    it('cancels the job on timeout when cancelOnTimeout is set, swallowing the cancel error', async () => {
      const fake = new FakeDescriber();
      const w = watcher(fake);
      const error = await rejection(w.wait('j1', { timeoutMs: 20, cancelOnTimeout: true }));
      await nextTurn();
      assert.equal(error.code, ErrorCodes.WaitTimeout);
      assert.deepEqual(fake.cancels, ['j1']);
      assert.equal(w.size, 0);
    });

    it('does not cancel on timeout without cancelOnTimeout', async () => {
      const fake = new FakeDescriber();
      await rejection(watcher(fake).wait('j1', { timeoutMs: 20 }));
      await nextTurn();
      assert.deepEqual(fake.cancels, []);
    });

    it('does not cancel on timeout while another wait still waits for the job', async () => {
      const fake = new FakeDescriber();
      const w = watcher(fake);
      const patient = w.wait('j1', { timeoutMs: 0 });
      await rejection(w.wait('j1', { timeoutMs: 20, cancelOnTimeout: true }));
      await nextTurn();
      assert.deepEqual(fake.cancels, []);
      assert.deepEqual(w.stats().waits, 1);
      w.notify(detail('j1', 'Success'));
      assert.equal((await patient).State, 'Success');
    });

    it('abort rejects that wait with Aborted and the job leaves the schedule', async () => {
      const baseline = await timeoutBaseline();
      const fake = new FakeDescriber();
      const w = watcher(fake);
      const controller = new AbortController();
      const pending = w.wait('j1', { signal: controller.signal });
      controller.abort();
      const error = await rejection(pending);
      assert.equal(error.code, ErrorCodes.Aborted);
      assert.equal(w.size, 0);
      assert.equal(activeTimeouts(), baseline);
      await sleep(30);
      assert.equal(fake.calls.length, 0);
    });

    it('abort of one wait leaves the other wait on the job pending', async () => {
      const w = watcher(new FakeDescriber(), { minIntervalMs: 1000, maxIntervalMs: 1000 });
      const controller = new AbortController();
      const aborted = w.wait('j1', { signal: controller.signal });
      const other = w.wait('j1');
      controller.abort();
      assert.equal((await rejection(aborted)).code, ErrorCodes.Aborted);
      assert.deepEqual(w.stats(), { jobs: 1, waits: 1, requests: 0, inFlight: 0 });
      w.notify(detail('j1', 'Success'));
      assert.equal((await other).State, 'Success');
    });

    it('an already aborted signal rejects at once', async () => {
      const fake = new FakeDescriber();
      const w = watcher(fake);
      const error = await rejection(w.wait('j1', { signal: AbortSignal.abort() }));
      assert.equal(error.code, ErrorCodes.Aborted);
      assert.equal(w.size, 0);
    });
  });

  describe('describe answers and errors', () => {
    it('rechecks a job in NonExistJobIds notFoundRetries times, then rejects with JobNotFound', async () => {
      const fake = new FakeDescriber({ j1: ['missing'] });
      const w = watcher(fake, { minIntervalMs: 5, maxIntervalMs: 5, notFoundRetries: 2 });
      const error = await rejection(w.wait('j1'));
      assert.equal(error.code, ErrorCodes.JobNotFound);
      assert.equal(fake.calls.length, 3);
      assert.equal(w.size, 0);
    });

    it('resolves a job that is briefly unknown right after submit', async () => {
      const fake = new FakeDescriber({ j1: ['missing', 'missing', 'Running', 'Success'] });
      const result = await watcher(fake, { minIntervalMs: 5, maxIntervalMs: 5, notFoundRetries: 2 }).wait('j1');
      assert.equal(result.State, 'Success');
      assert.equal(fake.calls.length, 4);
    });

    it('keeps waiting through retryable describe errors (429, network) and later succeeds', async () => {
      const fake = new FakeDescriber({ j1: ['Success'] });
      fake.failures.push(
        new CiError({ code: 'SlowDown', message: 'Please decrease the access frequency', status: 429, retryable: true }),
        new Error('socket hang up'),
      );
      const result = await watcher(fake, { minIntervalMs: 5 }).wait('j1');
      assert.equal(result.State, 'Success');
      assert.equal(fake.calls.length, 3);
    });

    /** A watcher whose first describe fails with a non-retryable AccessDenied, `denied`; later ones answer Success. */
    function deniedOnce() {
      const fake = new FakeDescriber({}, ['Success']);
      const denied = new CiError({ code: 'AccessDenied', message: 'Access Denied', status: 403, retryable: false });
      fake.failures.push(denied);
      return { fake, denied, w: watcher(fake) };
    }

    it('describes each job of a batch alone after a non-retryable error for the batch, and they settle', async () => {
      const { fake, w } = deniedOnce();
      const results = await Promise.all([w.wait('j1'), w.wait('j2')]);
      assert.deepEqual(
        results.map((r) => r.State),
        ['Success', 'Success'],
      );
      assert.deepEqual(
        fake.calls.map((c) => c.ids),
        [['j1', 'j2'], ['j1'], ['j2']],
      );
      assert.equal(w.size, 0);
    });

    it('rejects the waits of a job described alone with its non-retryable describe error', async () => {
      const { fake, denied, w } = deniedOnce();
      const results = await Promise.allSettled([w.wait('j1'), w.wait('j1')]);
      assert.deepEqual(results, [
        { status: 'rejected', reason: denied },
        { status: 'rejected', reason: denied },
      ]);
      assert.deepEqual(
        fake.calls.map((c) => c.ids),
        [['j1']],
      );
      assert.equal(w.size, 0);
    });

    it("one poisoned id in a batch of 50 rejects only that job's wait; the other 49 settle", async () => {
      const fake = new FakeDescriber({}, ['Success']);
      const invalid = new CiError({ code: 'InvalidArgument', message: 'The job id is invalid', status: 400, retryable: false });
      fake.poison.set('job-17', invalid);
      const w = watcher(fake, { batchSize: 50 });
      const ids = Array.from({ length: 50 }, (_, i) => `job-${i}`);
      const results = await Promise.allSettled(ids.map((id) => w.wait(id)));
      assert.deepEqual(results[17], { status: 'rejected', reason: invalid });
      const others = results.filter((_, i) => i !== 17);
      assert.equal(others.length, 49);
      assert.ok(others.every((r) => r.status === 'fulfilled' && r.value.State === 'Success'));
      assert.deepEqual(fake.calls[0]!.ids, ids, 'first the whole batch');
      assert.deepEqual(
        fake.calls.slice(1).map((c) => c.ids),
        ids.map((id) => [id]),
        'then each job alone',
      );
      assert.equal(w.size, 0);
    });

    it('rejects nothing for retryable errors (503, network) on a batch of 50: all settle in later batches', async () => {
      const fake = new FakeDescriber({}, ['Success']);
      fake.failures.push(
        new CiError({ code: 'ServiceUnavailable', message: 'Service Unavailable', status: 503, retryable: true }),
        new CiError({ code: 'NetworkError', message: 'socket hang up', retryable: true }),
        new Error('ECONNRESET'),
      );
      const w = watcher(fake, { batchSize: 50 });
      const ids = Array.from({ length: 50 }, (_, i) => `job-${i}`);
      const results = await Promise.all(ids.map((id) => w.wait(id)));
      assert.ok(results.every((r) => r.State === 'Success'));
      assert.deepEqual(
        fake.calls.map((c) => c.ids.length),
        [50, 50, 50, 50],
        'three failed batches, one answered; never one id alone',
      );
    });

    it('describes isolated jobs right after the batch error, not after the check interval', async () => {
      const fake = new FakeDescriber({}, ['Success']);
      fake.failures.push(new CiError({ code: 'InvalidArgument', message: 'bad id', status: 400, retryable: false }));
      const w = watcher(fake, { minIntervalMs: 5000, maxIntervalMs: 5000 });
      const started = Date.now();
      const results = await Promise.all(['j1', 'j2', 'j3'].map((id) => w.wait(id, { checkNow: true })));
      assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
      assert.deepEqual(
        results.map((r) => r.State),
        ['Success', 'Success', 'Success'],
      );
      assert.deepEqual(
        fake.calls.map((c) => c.ids),
        [['j1', 'j2', 'j3'], ['j1'], ['j2'], ['j3']],
      );
    });

    it('batches an isolated job again once a describe of it succeeds', async () => {
      const fake = new FakeDescriber({}, ['Running', 'Success']);
      fake.failures.push(new CiError({ code: 'InvalidArgument', message: 'bad id', status: 400, retryable: false }));
      const w = watcher(fake, { minIntervalMs: 10, maxIntervalMs: 10, backoff: 1 });
      const results = await Promise.all(['j1', 'j2', 'j3'].map((id) => w.wait(id)));
      assert.deepEqual(
        results.map((r) => r.State),
        ['Success', 'Success', 'Success'],
      );
      assert.deepEqual(
        fake.calls.map((c) => c.ids),
        [['j1', 'j2', 'j3'], ['j1'], ['j2'], ['j3'], ['j1', 'j2', 'j3']],
      );
    });

    it('treats a describe that throws synchronously like a failed request', async () => {
      let calls = 0;
      const describer: JobDescriber = {
        describe(ids) {
          calls += 1;
          if (calls === 1) throw new Error('boom');
          return Promise.resolve({ JobsDetail: ids.map((id) => detail(id, 'Success')) });
        },
      };
      const result = await watcher(describer, { minIntervalMs: 5 }).wait('j1');
      assert.equal(result.State, 'Success');
      assert.equal(calls, 2);
    });
  });

  describe('close and validation', () => {
    it('close rejects pending waits with WatcherClosed, leaves no timer, and rejects later waits', async () => {
      const baseline = await timeoutBaseline();
      const w = watcher(new FakeDescriber());
      const pending = [w.wait('j1'), w.wait('j2'), w.wait('j2')];
      assert.equal(activeTimeouts(), baseline + 1);
      w.close();
      for (const p of pending) assert.equal((await rejection(p)).code, ErrorCodes.WatcherClosed);
      assert.equal(activeTimeouts(), baseline);
      assert.equal(w.size, 0);
      assert.equal((await rejection(w.wait('j3'))).code, ErrorCodes.WatcherClosed);
      assert.equal(w.notify(detail('j3', 'Success')), 0);
    });

    it('ignores the answer of a describe in flight at close', async () => {
      const fake = new FakeDescriber({ j1: ['Success'] });
      fake.delayMs = 20;
      const w = watcher(fake, { minIntervalMs: 5 });
      const pending = w.wait('j1');
      await sleep(12);
      assert.equal(w.stats().inFlight, 1);
      w.close();
      assert.equal((await rejection(pending)).code, ErrorCodes.WatcherClosed);
      await sleep(25);
      assert.equal(fake.calls.length, 1);
      assert.equal(w.stats().inFlight, 0);
      assert.equal((await rejection(w.wait('j1'))).code, ErrorCodes.WatcherClosed);
    });

    for (const bad of ['', 'a/b', 'j1,j2', 'j 1', 'jöb', 42, undefined]) {
      it(`rejects the job id ${JSON.stringify(bad) ?? 'undefined'} with InvalidArgument`, async () => {
        const fake = new FakeDescriber();
        const w = watcher(fake);
        const error = await rejection(w.wait(bad as string));
        assert.equal(error.code, 'InvalidArgument');
        assert.equal(w.size, 0);
        assert.equal(fake.calls.length, 0);
      });
    }

    it('rejects a negative timeoutMs with InvalidArgument', async () => {
      const error = await rejection(watcher(new FakeDescriber()).wait('j1', { timeoutMs: -1 }));
      assert.equal(error.code, 'InvalidArgument');
    });

    it('accepts batchSize 1 and 100', () => {
      assert.doesNotThrow(() => new JobWatcher(new FakeDescriber(), { batchSize: 1 }));
      assert.doesNotThrow(() => new JobWatcher(new FakeDescriber(), { batchSize: 100 }));
    });

    it('refuses a batchSize outside [1, 100] or not an integer, naming the option, the value and the range', () => {
      for (const batchSize of [0, 101, 1000, 2.5, Number.NaN, Infinity]) {
        assert.throws(
          () => new JobWatcher(new FakeDescriber(), { batchSize }),
          (err: unknown) =>
            err instanceof CiError &&
            err.code === 'InvalidArgument' &&
            err.message === `JobWatcher option batchSize is ${batchSize}; allowed: an integer in [1, 100]`,
          String(batchSize),
        );
      }
    });

    it('throws InvalidArgument for options out of range', () => {
      for (const options of [
        { minIntervalMs: 0 },
        { batchSize: 0 },
        { batchSize: 1.5 },
        { backoff: 0.5 },
        { maxConcurrentRequests: 0 },
        { minIntervalMs: 100, maxIntervalMs: 50 },
      ]) {
        assert.throws(() => new JobWatcher(new FakeDescriber(), options), { code: 'InvalidArgument' }, JSON.stringify(options));
      }
    });
  });
});
