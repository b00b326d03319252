import assert from 'node:assert/strict';

import { CiError, ErrorCodes } from '../src/errors';
import type { WatchOutcome } from '../src/watcher';
import { activeTimeouts, detail, FakeDescriber, nextTurn, sleep, timeoutBaseline, useWatchers } from './helpers/watcher';

/** A listener that records its calls, and resolves `first` on the first one. */
function recorder(): { listener: (outcome: WatchOutcome) => void; calls: WatchOutcome[]; first: Promise<WatchOutcome> } {
  const calls: WatchOutcome[] = [];
  let resolve!: (outcome: WatchOutcome) => void;
  const first = new Promise<WatchOutcome>((r) => (resolve = r));
  return {
    calls,
    first,
    listener: (outcome) => {
      calls.push(outcome);
      resolve(outcome);
    },
  };
}

function errorOf(outcome: WatchOutcome): CiError {
  assert.ok('error' in outcome, `expected an error, got ${JSON.stringify(outcome)}`);
  return outcome.error;
}

describe('JobWatcher.watch', () => {
  const watcher = useWatchers();

  it('calls the listener once with the terminal detail', async () => {
    const fake = new FakeDescriber({ j1: ['Running', 'Success'] });
    const w = watcher(fake);
    const r = recorder();
    w.watch('j1', r.listener);
    assert.deepEqual(await r.first, { detail: detail('j1', 'Success') });
    await sleep(30);
    assert.equal(r.calls.length, 1);
    assert.equal(fake.calls.length, 2);
    assert.equal(w.size, 0);
  });

  it('counts as a wait while pending', () => {
    const w = watcher(new FakeDescriber(), { minIntervalMs: 1000, maxIntervalMs: 1000 });
    w.watch('j1', () => undefined);
    w.watch('j1', () => undefined);
    assert.deepEqual(w.stats(), { jobs: 1, waits: 2, requests: 0, inFlight: 0 });
  });

  it('never calls the listener inside watch(), even for a remembered detail', async () => {
    const w = watcher(new FakeDescriber());
    w.notify(detail('j1', 'Success'));
    const r = recorder();
    w.watch('j1', r.listener);
    assert.equal(r.calls.length, 0);
    assert.deepEqual(await r.first, { detail: detail('j1', 'Success') });
  });

  it('reports an invalid job id as an InvalidArgument error after watch() returns', async () => {
    const fake = new FakeDescriber();
    const w = watcher(fake);
    const r = recorder();
    w.watch('a/b', r.listener);
    assert.equal(r.calls.length, 0);
    assert.equal(errorOf(await r.first).code, 'InvalidArgument');
    assert.equal(w.size, 0);
    assert.equal(fake.calls.length, 0);
  });

  it('reports WatcherClosed after close(), after watch() returns', async () => {
    const w = watcher(new FakeDescriber());
    w.close();
    const r = recorder();
    w.watch('j1', r.listener);
    assert.equal(r.calls.length, 0);
    assert.equal(errorOf(await r.first).code, ErrorCodes.WatcherClosed);
  });

  it('throws InvalidArgument at once when the listener is not a function', () => {
    const w = watcher(new FakeDescriber());
    assert.throws(() => w.watch('j1', undefined as unknown as () => void), { code: 'InvalidArgument' });
    assert.equal(w.size, 0);
  });

  it('never calls the listener after unwatch(), even for an outcome already due', async () => {
    const w = watcher(new FakeDescriber());
    w.notify(detail('j1', 'Success'));
    const calls: WatchOutcome[] = [];
    const unwatch = w.watch('j1', (outcome) => calls.push(outcome));
    unwatch();
    await nextTurn();
    assert.deepEqual(calls, []);
  });

  it('unwatch() takes the job off the schedule: no describe, no timer, and a later detail reaches nobody', async () => {
    const baseline = await timeoutBaseline();
    const fake = new FakeDescriber();
    const w = watcher(fake);
    const calls: WatchOutcome[] = [];
    const unwatch = w.watch('j1', (outcome) => calls.push(outcome));
    unwatch();
    assert.equal(w.size, 0);
    assert.equal(activeTimeouts(), baseline);
    assert.equal(w.notify(detail('j1', 'Success')), 0);
    await sleep(30);
    assert.deepEqual(calls, []);
    assert.equal(fake.calls.length, 0);
  });

  it('unwatch() leaves other watches of the job alone', async () => {
    const w = watcher(new FakeDescriber(), { minIntervalMs: 1000, maxIntervalMs: 1000 });
    const gone: WatchOutcome[] = [];
    const unwatch = w.watch('j1', (outcome) => gone.push(outcome));
    const r = recorder();
    w.watch('j1', r.listener);
    unwatch();
    assert.deepEqual(w.stats().waits, 1);
    w.notify(detail('j1', 'Failed'));
    assert.deepEqual(await r.first, { detail: detail('j1', 'Failed') });
    assert.deepEqual(gone, []);
  });

  it('calls the listener at most once, whatever arrives later', async () => {
    const w = watcher(new FakeDescriber(), { minIntervalMs: 1000, maxIntervalMs: 1000 });
    const calls: WatchOutcome[] = [];
    const unwatch = w.watch('j1', (outcome) => calls.push(outcome), { timeoutMs: 20 });
    w.notify(detail('j1', 'Success'));
    w.notify(detail('j1', 'Failed'));
    await sleep(40);
    unwatch();
    assert.deepEqual(calls, [{ detail: detail('j1', 'Success') }]);
  });

  it('reports WaitTimeout and cancels with cancelOnTimeout', async () => {
    const fake = new FakeDescriber();
    const w = watcher(fake);
    const r = recorder();
    w.watch('j1', r.listener, { timeoutMs: 20, cancelOnTimeout: true });
    const error = errorOf(await r.first);
    await nextTurn();
    assert.equal(error.code, ErrorCodes.WaitTimeout);
    assert.deepEqual(fake.cancels, ['j1']);
  });

  it('reports JobNotFound', async () => {
    const w = watcher(new FakeDescriber({ j1: ['missing'] }), { minIntervalMs: 5, maxIntervalMs: 5, notFoundRetries: 1 });
    const r = recorder();
    w.watch('j1', r.listener);
    assert.equal(errorOf(await r.first).code, ErrorCodes.JobNotFound);
  });

  it('reports WatcherClosed for pending watches at close()', async () => {
    const w = watcher(new FakeDescriber());
    const r = recorder();
    w.watch('j1', r.listener);
    w.close();
    assert.equal(errorOf(await r.first).code, ErrorCodes.WatcherClosed);
  });

  it('reports a non-retryable describe error of the job', async () => {
    const fake = new FakeDescriber();
    const denied = new CiError({ code: 'AccessDenied', message: 'Access Denied', status: 403, retryable: false });
    fake.poison.set('j1', denied);
    const w = watcher(fake);
    const r = recorder();
    w.watch('j1', r.listener);
    assert.equal(errorOf(await r.first), denied);
  });

  it('a listener that throws does not stop the other listeners; its error surfaces as an uncaught exception', async () => {
    const w = watcher(new FakeDescriber(), { minIntervalMs: 1000, maxIntervalMs: 1000 });
    const mochaHandlers = process.listeners('uncaughtException');
    const uncaught: unknown[] = [];
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', (error) => uncaught.push(error));
    try {
      const boom = new Error('listener bug');
      w.watch('j1', () => {
        throw boom;
      });
      const r = recorder();
      w.watch('j1', r.listener);
      assert.equal(w.notify(detail('j1', 'Success')), 2);
      assert.deepEqual(await r.first, { detail: detail('j1', 'Success') });
      await nextTurn();
      assert.deepEqual(uncaught, [boom]);
      assert.equal(w.size, 0);
    } finally {
      process.removeAllListeners('uncaughtException');
      for (const handler of mochaHandlers) process.on('uncaughtException', handler);
    }
  });

  describe('checkNow', () => {
    it('puts the job into the next describe batch instead of after minIntervalMs', async () => {
      const fake = new FakeDescriber({}, ['Success']);
      const w = watcher(fake, { minIntervalMs: 5000, maxIntervalMs: 5000 });
      const r = recorder();
      const started = Date.now();
      w.watch('j1', r.listener, { checkNow: true });
      assert.deepEqual(await r.first, { detail: detail('j1', 'Success') });
      assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    });

    it('without checkNow, the first check waits for minIntervalMs', async () => {
      const fake = new FakeDescriber({}, ['Success']);
      const w = watcher(fake, { minIntervalMs: 5000, maxIntervalMs: 5000 });
      w.watch('j1', () => undefined);
      await sleep(50);
      assert.equal(fake.calls.length, 0);
    });

    it('checks 5,000 resumed watches at once, in 50 requests of 100 ids', async () => {
      const fake = new FakeDescriber({}, ['Success']);
      const w = watcher(fake, { minIntervalMs: 5000, maxIntervalMs: 5000, batchSize: 100, maxConcurrentRequests: 4 });
      const ids = Array.from({ length: 5000 }, (_, i) => `job-${i}`);
      let settled = 0;
      const all = new Promise<void>((resolve) => {
        for (const id of ids) {
          w.watch(
            id,
            (outcome) => {
              assert.ok('detail' in outcome && outcome.detail.JobId === id);
              settled += 1;
              if (settled === ids.length) resolve();
            },
            { checkNow: true },
          );
        }
      });
      await all;
      assert.equal(fake.calls.length, 50);
      assert.ok(fake.calls.every((c) => c.ids.length === 100));
      assert.ok(fake.maxInFlight <= 4, `${fake.maxInFlight} requests in flight`);
      assert.equal(w.size, 0);
    });

    it('is a WaitOptions option too', async () => {
      const fake = new FakeDescriber({}, ['Success']);
      const w = watcher(fake, { minIntervalMs: 5000, maxIntervalMs: 5000 });
      const started = Date.now();
      assert.equal((await w.wait('j1', { checkNow: true })).State, 'Success');
      assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    });
  });
});
