/**
 * The watcher's polling schedule with the config node's defaults (1 s, 15 s), on a virtual
 * clock: the watcher's `now` and its one timer (setTimeout/clearTimeout, replaced while a
 * test runs) follow `VirtualTime`, so minutes and hours of polling take milliseconds.
 */
import assert from 'node:assert/strict';

import { CiError } from '../src/errors';
import type { JobsDetail } from '../src/types';
import { JobWatcher, type DescriberAnswer, type JobDescriber, type JobWatcherOptions } from '../src/watcher';
import { nextTurn } from './helpers/watcher';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** The config node's defaults (packages/config/src/config-node.ts). */
const CONFIG_DEFAULTS: JobWatcherOptions = { minIntervalMs: 1000, maxIntervalMs: 15_000, defaultTimeoutMs: 0 };
/** The schedule before earlyIntervalMs and ageFraction: ×1.5 per check up to maxIntervalMs. */
const BEFORE: JobWatcherOptions = { ...CONFIG_DEFAULTS, backoff: 1.5, earlyIntervalMs: 15_000 };

/** Timers and a clock that only move when told to. */
class VirtualTime {
  now = 1_000_000;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  private lastId = 0;
  private saved?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };

  install(): void {
    this.saved = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
    globalThis.setTimeout = ((fn: () => void, delay = 0) => {
      this.lastId += 1;
      this.timers.set(this.lastId, { at: this.now + Math.max(0, delay), fn });
      return this.lastId;
    }) as unknown as typeof setTimeout;
    globalThis.clearTimeout = ((id: number) => {
      this.timers.delete(id);
    }) as unknown as typeof clearTimeout;
  }

  uninstall(): void {
    if (!this.saved) return;
    globalThis.setTimeout = this.saved.setTimeout;
    globalThis.clearTimeout = this.saved.clearTimeout;
    this.saved = undefined;
  }

  get armed(): number {
    return this.timers.size;
  }

  /** Moves the clock `ms` on, firing each timer at its time and letting promises settle after each. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await nextTurn();
      let nextId: number | undefined;
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && (nextId === undefined || timer.at < this.timers.get(nextId)!.at)) nextId = id;
      }
      if (nextId === undefined) break;
      const timer = this.timers.get(nextId)!;
      this.timers.delete(nextId);
      this.now = Math.max(this.now, timer.at);
      timer.fn();
    }
    this.now = end;
    await nextTurn();
  }
}

/** A service whose jobs end at known virtual times (Running until then; unknown ids never end). */
class TimedService implements JobDescriber {
  readonly calls: { ids: string[]; at: number }[] = [];
  readonly ends = new Map<string, number>();
  readonly failures: unknown[] = [];

  constructor(private readonly time: VirtualTime) {}

  async describe(ids: string[]): Promise<DescriberAnswer> {
    this.calls.push({ ids: [...ids], at: this.time.now });
    if (this.failures.length > 0) throw this.failures.shift();
    return {
      JobsDetail: ids.map((id): JobsDetail => {
        const end = this.ends.get(id) ?? Infinity;
        return { JobId: id, Tag: 'Transcode', State: this.time.now >= end ? 'Success' : 'Running' };
      }),
    };
  }

  /** When the job was described, in ms since `from`. */
  checksOf(jobId: string, from: number): number[] {
    return this.calls.filter((c) => c.ids.includes(jobId)).map((c) => c.at - from);
  }
}

function gapsOf(times: number[]): number[] {
  return times.map((t, i) => t - (i === 0 ? 0 : times[i - 1]!));
}

describe('JobWatcher schedule (virtual clock, config defaults)', () => {
  let time: VirtualTime;
  const watchers: JobWatcher[] = [];

  function setup(options: JobWatcherOptions = CONFIG_DEFAULTS): { service: TimedService; w: JobWatcher; t0: number } {
    const service = new TimedService(time);
    const w = new JobWatcher(service, { ...options, now: () => time.now });
    watchers.push(w);
    return { service, w, t0: time.now };
  }

  /** How many times a job that runs `ms` is described before its wait settles. */
  async function checksOfJobLasting(ms: number, options: JobWatcherOptions): Promise<number> {
    const { service, w, t0 } = setup(options);
    service.ends.set('long', t0 + ms);
    let settled = false;
    void w.wait('long').then(() => (settled = true));
    await time.advance(ms + 20 * SECOND);
    assert.ok(settled);
    return service.calls.length;
  }

  beforeEach(() => {
    time = new VirtualTime();
    time.install();
  });

  afterEach(() => {
    for (const w of watchers.splice(0)) w.close();
    time.uninstall();
  });

  describe('young jobs', () => {
    it('checks after 1 s, 3 s later, then every 3.5 s until the job is 17.5 s old, then at most a fifth of its age apart', async () => {
      const { service, w, t0 } = setup();
      void w.wait('j1').catch(() => undefined);
      await time.advance(30 * SECOND);
      const checks = service.checksOf('j1', t0);
      assert.deepEqual(checks.slice(0, 7), [1000, 4000, 7500, 11_000, 14_500, 18_000, 21_600]);
      const gaps = gapsOf(checks);
      gaps.forEach((gap, i) => {
        const age = i === 0 ? 0 : checks[i - 1]!;
        assert.ok(gap <= Math.max(3500, age / 5), `gap ${gap} ms after the check at ${age} ms`);
      });
      const young = gaps.filter((_, i) => i === 0 || checks[i - 1]! < 17.5 * SECOND);
      assert.ok(
        young.every((gap) => gap <= 3500),
        `checked at least every 3.5 s in its first 17.5 s: ${gaps.join(', ')}`,
      );
    });

    it('settles each job ending in its first minute at most max(3.5 s, a fifth of its run time) after its end', async () => {
      const { service, w, t0 } = setup();
      const late: string[] = [];
      let settled = 0;
      for (let i = 0; i < 600; i += 1) {
        const id = `j${i}`;
        const ran = 500 + i * 99; // 0.5 s … 59.8 s
        service.ends.set(id, t0 + ran);
        void w.wait(id).then(() => {
          settled += 1;
          const lag = time.now - (t0 + ran);
          if (lag > Math.max(3500, ran / 5)) late.push(`${id} ran ${ran} ms, settled ${lag} ms after`);
        });
      }
      await time.advance(80 * SECOND);
      assert.equal(settled, 600);
      assert.deepEqual(late, []);
    });

    it('before: the same jobs could settle 7+ s after their end', async () => {
      const { service, w, t0 } = setup(BEFORE);
      const lags: number[] = [];
      for (let i = 0; i < 200; i += 1) {
        const end = t0 + 500 + i * 97;
        service.ends.set(`j${i}`, end);
        void w.wait(`j${i}`).then(() => lags.push(time.now - end));
      }
      await time.advance(30 * SECOND);
      assert.ok(Math.max(...lags) > 7000, `longest end -> settle ${Math.max(...lags)} ms`);
    });

    it('earlyIntervalMs >= maxIntervalMs gives the schedule before: ×backoff per check up to maxIntervalMs', async () => {
      const { service, w, t0 } = setup(BEFORE);
      void w.wait('j1').catch(() => undefined);
      await time.advance(70 * SECOND);
      assert.deepEqual(gapsOf(service.checksOf('j1', t0)), [1000, 1500, 2250, 3375, 5062.5, 7593.75, 11_390.625, 15_000, 15_000]);
    });

    it('ageFraction 0 keeps the interval at earlyIntervalMs for as long as the job runs', async () => {
      const { service, w, t0 } = setup({ ...CONFIG_DEFAULTS, ageFraction: 0 });
      void w.wait('j1').catch(() => undefined);
      await time.advance(2 * MINUTE);
      const gaps = gapsOf(service.checksOf('j1', t0));
      assert.deepEqual(gaps.slice(0, 3), [1000, 3000, 3500]);
      assert.ok(
        gaps.slice(2).every((gap) => gap === 3500),
        gaps.join(', '),
      );
    });

    it('never checks more often than minIntervalMs, whatever earlyIntervalMs says', async () => {
      const { service, w, t0 } = setup({ minIntervalMs: 10_000, maxIntervalMs: 30_000 });
      void w.wait('j1').catch(() => undefined);
      await time.advance(5 * MINUTE);
      const gaps = gapsOf(service.checksOf('j1', t0));
      assert.ok(
        gaps.every((gap) => gap >= 10_000),
        gaps.join(', '),
      );
      assert.equal(gaps.at(-1), 30_000, 'and it still grows to maxIntervalMs with age');
    });
  });

  describe('long jobs', () => {
    it('reach maxIntervalMs by 75 s of age and stay there', async () => {
      const { service, w, t0 } = setup();
      void w.wait('j1').catch(() => undefined);
      await time.advance(10 * MINUTE);
      const checks = service.checksOf('j1', t0);
      const gaps = gapsOf(checks);
      const late = gaps.filter((_, i) => checks[i - 1]! >= 75 * SECOND);
      assert.ok(late.length >= 30);
      assert.ok(
        late.every((gap) => gap === 15_000),
        late.join(', '),
      );
      for (let i = 1; i < gaps.length; i += 1) assert.ok(gaps[i]! >= gaps[i - 1]!, `the interval never shrinks: ${gaps.join(', ')}`);
    });

    // The young phase costs a few checks once per job; after 75 s the rate is the one before.
    for (const [name, ms] of [
      ['1 min', MINUTE],
      ['2 min', 2 * MINUTE],
      ['10 min', 10 * MINUTE],
      ['1 h', 60 * MINUTE],
      ['6 h', 6 * 60 * MINUTE],
    ] as const) {
      it(`a ${name} job is checked at most 4 times more than before`, async () => {
        const now = await checksOfJobLasting(ms, CONFIG_DEFAULTS);
        const before = await checksOfJobLasting(ms, BEFORE);
        assert.ok(now <= before + 4, `${now} checks, before ${before}`);
      });
    }

    it('back off to maxIntervalMs after retryable errors even while young, then return to the interval of their age', async () => {
      const { service, w, t0 } = setup();
      const busy = new CiError({ code: 'SlowDown', message: 'Please decrease the access frequency', status: 429, retryable: true });
      service.failures.push(busy, busy, busy, busy);
      void w.wait('j1').catch(() => undefined);
      await time.advance(60 * SECOND);
      const gaps = gapsOf(service.checksOf('j1', t0));
      assert.deepEqual(gaps.slice(0, 6), [1000, 3000, 9000, 15_000, 15_000, 8600]);
    });
  });

  describe('filling requests', () => {
    it('fills a request with room from the jobs due soonest (within half their interval), not the others', async () => {
      const { service, w, t0 } = setup({ ...CONFIG_DEFAULTS, batchSize: 10 });
      // j0 is due at 1 s; j1…j20 at 1.05 s, 1.10 s, …, 2 s: only those due by 1.5 s may ride along.
      void w.wait('j0').catch(() => undefined);
      for (let i = 1; i <= 20; i += 1) {
        await time.advance(50);
        void w.wait(`j${i}`).catch(() => undefined);
      }
      await time.advance(1000 - 20 * 50);
      assert.equal(service.calls.length, 1);
      assert.equal(service.calls[0]!.at - t0, 1000);
      assert.deepEqual(service.calls[0]!.ids, ['j0', 'j1', 'j2', 'j3', 'j4', 'j5', 'j6', 'j7', 'j8', 'j9'], 'the due job and the 9 due soonest');
    });

    it('sends full batches first and fills the last one: 120 due jobs and 40 due soon cost 3 requests of 50', async () => {
      const { service, w } = setup({ ...CONFIG_DEFAULTS, batchSize: 50 });
      for (let i = 0; i < 120; i += 1) void w.wait(`due${i}`).catch(() => undefined);
      await time.advance(300);
      for (let i = 0; i < 40; i += 1) void w.wait(`soon${i}`).catch(() => undefined);
      await time.advance(700);
      assert.deepEqual(
        service.calls.map((c) => c.ids.length),
        [50, 50, 50],
      );
      const last = service.calls[2]!.ids;
      assert.equal(last.filter((id) => id.startsWith('due')).length, 20);
      assert.equal(last.filter((id) => id.startsWith('soon')).length, 30);
    });

    it('10 jobs submitted 300 ms apart soon share one request per round', async () => {
      const { service, w, t0 } = setup();
      for (let i = 0; i < 10; i += 1) {
        void w.wait(`j${i}`).catch(() => undefined);
        await time.advance(300);
      }
      await time.advance(60 * SECOND - 3000);
      const late = service.calls.filter((c) => c.at - t0 >= 20 * SECOND);
      assert.ok(late.length > 0);
      assert.ok(
        late.every((c) => c.ids.length === 10),
        late.map((c) => c.ids.length).join(', '),
      );
      assert.ok(service.calls.length <= 17, `${service.calls.length} requests in the first minute for 10 jobs`);
    });

    it('one timer for 1,000 young jobs, and none once they settle', async () => {
      const { service, w, t0 } = setup();
      for (let i = 0; i < 1000; i += 1) service.ends.set(`j${i}`, t0 + 1000 + i * 19);
      const waits = Array.from({ length: 1000 }, (_, i) => w.wait(`j${i}`));
      assert.equal(time.armed, 1);
      await time.advance(30 * SECOND);
      assert.equal((await Promise.all(waits)).length, 1000);
      assert.equal(time.armed, 0);
    });
  });

  describe('options', () => {
    it('refuses an earlyIntervalMs below 1 and an ageFraction below 0, naming the option', () => {
      for (const options of [{ earlyIntervalMs: 0 }, { earlyIntervalMs: Number.NaN }, { ageFraction: -0.1 }, { ageFraction: Number.NaN }]) {
        assert.throws(
          () => new JobWatcher(new TimedService(time), options),
          (err: unknown) =>
            err instanceof CiError && err.code === 'InvalidArgument' && err.message.startsWith(`JobWatcher option ${Object.keys(options)[0]} is`),
          JSON.stringify(options),
        );
      }
    });
  });
});
