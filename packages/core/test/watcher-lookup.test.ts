import assert from 'node:assert/strict';

import { CiError, ErrorCodes } from '../src/errors';
import { rejection } from './helpers/assert';
import { activeTimeouts, detail, FakeDescriber, sleep, timeoutBaseline, useWatchers } from './helpers/watcher';

const unavailable = () => new CiError({ code: 'ServiceUnavailable', message: 'Service Unavailable', status: 503, retryable: true });

describe('JobWatcher.lookup', () => {
  const watcher = useWatchers();

  it('resolves with the detail the service reports in any state', async () => {
    const fake = new FakeDescriber({ j1: ['Running'] });
    const w = watcher(fake);
    assert.deepEqual(await w.lookup('j1'), detail('j1', 'Running'));
    assert.deepEqual(
      fake.calls.map((c) => c.ids),
      [['j1']],
    );
  });

  it('resolves undefined at once when the service reports the job in NonExistJobIds', async () => {
    const fake = new FakeDescriber({ j1: ['missing'] });
    const w = watcher(fake, { notFoundRetries: 3 });
    assert.equal(await w.lookup('j1'), undefined);
    assert.equal(fake.calls.length, 1);
  });

  it('is not a wait and leaves nothing watched: no further describe, no timer', async () => {
    const baseline = await timeoutBaseline();
    const fake = new FakeDescriber({ j1: ['Running'] });
    const w = watcher(fake);
    const pending = w.lookup('j1');
    assert.deepEqual(w.stats(), { jobs: 0, waits: 0, requests: 0, inFlight: 0 });
    await pending;
    await sleep(50);
    assert.equal(fake.calls.length, 1);
    assert.equal(w.size, 0);
    assert.equal(activeTimeouts(), baseline);
  });

  it('1,000 lookups with batchSize 100 and maxConcurrentRequests 2 cost 10 requests, at most 2 in flight', async () => {
    const fake = new FakeDescriber({}, ['Running']);
    fake.delayMs = 5;
    const w = watcher(fake, { batchSize: 100, maxConcurrentRequests: 2 });
    const ids = Array.from({ length: 1000 }, (_, i) => `job-${i}`);
    const results = await Promise.all(ids.map((id) => w.lookup(id)));
    assert.ok(results.every((r, i) => r?.JobId === ids[i] && r.State === 'Running'));
    assert.equal(fake.calls.length, 10);
    assert.ok(fake.calls.every((c) => c.ids.length === 100));
    assert.deepEqual(new Set(fake.calls.flatMap((c) => c.ids)), new Set(ids));
    assert.equal(fake.maxInFlight, 2);
  });

  it('shares one request with due waits and other lookups', async () => {
    const fake = new FakeDescriber({}, ['Running']);
    const w = watcher(fake, { minIntervalMs: 1000, maxIntervalMs: 1000 });
    for (const id of ['j1', 'j2', 'j3']) void w.wait(id, { checkNow: true }).catch(() => undefined);
    const lookups = Promise.all([w.lookup('j2'), w.lookup('j4'), w.lookup('j4')]);
    assert.deepEqual(
      (await lookups).map((d) => d?.JobId),
      ['j2', 'j4', 'j4'],
    );
    assert.deepEqual(
      fake.calls.map((c) => c.ids),
      [['j1', 'j2', 'j3', 'j4']],
    );
    assert.equal(w.size, 3);
  });

  it('settles waits with a terminal detail it learns, and remembers it', async () => {
    const fake = new FakeDescriber({ j1: ['Success'] });
    const w = watcher(fake, { minIntervalMs: 1000, maxIntervalMs: 1000 });
    const waiting = w.wait('j1');
    assert.equal((await w.lookup('j1'))?.State, 'Success');
    assert.equal((await waiting).State, 'Success');
    assert.equal((await w.wait('j1')).State, 'Success');
    assert.equal(fake.calls.length, 1);
  });

  it('asks the service even when notify() told the watcher otherwise', async () => {
    const fake = new FakeDescriber({ j1: ['Running'] });
    const w = watcher(fake);
    w.notify(detail('j1', 'Success'));
    assert.equal((await w.lookup('j1'))?.State, 'Running');
    assert.equal(fake.calls.length, 1);
  });

  it('answers from a describe sent after it, not one already in flight', async () => {
    const fake = new FakeDescriber({ j1: ['Running', 'Success'] });
    fake.delayMs = 30;
    const w = watcher(fake, { minIntervalMs: 5 });
    const waiting = w.wait('j1');
    await sleep(15);
    assert.equal(w.stats().inFlight, 1);
    assert.equal((await w.lookup('j1'))?.State, 'Success');
    assert.equal((await waiting).State, 'Success');
    assert.equal(fake.calls.length, 2);
  });

  it('retries retryable failures and resolves when the third attempt succeeds', async () => {
    const fake = new FakeDescriber({ j1: ['Running'] });
    fake.failures.push(unavailable(), new Error('socket hang up'));
    const w = watcher(fake, { minIntervalMs: 5 });
    assert.equal((await w.lookup('j1'))?.State, 'Running');
    assert.equal(fake.calls.length, 3);
  });

  it('rejects with the last error after 3 retryable failures in a row', async () => {
    const fake = new FakeDescriber({ j1: ['Running'] });
    const last = unavailable();
    fake.failures.push(unavailable(), unavailable(), last, unavailable());
    const w = watcher(fake, { minIntervalMs: 5 });
    assert.equal(await rejection(w.lookup('j1')), last);
    assert.equal(fake.calls.length, 3);
  });

  it('rejects with a retryable NetworkError CiError when the describer throws something else 3 times', async () => {
    const fake = new FakeDescriber({ j1: ['Running'] });
    fake.failures.push(new Error('socket hang up'), new Error('socket hang up'), new Error('socket hang up'));
    const w = watcher(fake, { minIntervalMs: 5 });
    const error = await rejection(w.lookup('j1'));
    assert.equal(error.code, ErrorCodes.Network);
    assert.equal(error.retryable, true);
    assert.equal(error.message, 'Describing job j1 failed: socket hang up');
  });

  it('a non-retryable error for a batch rejects only the lookup whose own describe fails', async () => {
    const fake = new FakeDescriber({}, ['Running']);
    const invalid = new CiError({ code: 'InvalidArgument', message: 'The job id is invalid', status: 400, retryable: false });
    fake.poison.set('j2', invalid);
    const w = watcher(fake);
    const results = await Promise.allSettled(['j1', 'j2', 'j3'].map((id) => w.lookup(id)));
    assert.deepEqual(results, [
      { status: 'fulfilled', value: detail('j1', 'Running') },
      { status: 'rejected', reason: invalid },
      { status: 'fulfilled', value: detail('j3', 'Running') },
    ]);
    assert.deepEqual(
      fake.calls.map((c) => c.ids),
      [['j1', 'j2', 'j3'], ['j1'], ['j2'], ['j3']],
    );
  });

  it('rejects pending lookups, queued or in flight, with WatcherClosed at close(), and later ones too', async () => {
    const fake = new FakeDescriber({}, ['Running']);
    fake.delayMs = 50;
    const w = watcher(fake);
    const inFlight = w.lookup('j1');
    await sleep(15);
    assert.equal(w.stats().inFlight, 1);
    const queued = w.lookup('j1');
    w.close();
    assert.equal((await rejection(inFlight)).code, ErrorCodes.WatcherClosed);
    assert.equal((await rejection(queued)).code, ErrorCodes.WatcherClosed);
    assert.equal((await rejection(w.lookup('j2'))).code, ErrorCodes.WatcherClosed);
  });

  it('rejects an invalid job id with InvalidArgument without a request', async () => {
    const fake = new FakeDescriber();
    const w = watcher(fake);
    assert.equal((await rejection(w.lookup('j1,j2'))).code, 'InvalidArgument');
    await sleep(20);
    assert.equal(fake.calls.length, 0);
  });
});
