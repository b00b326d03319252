/**
 * The job board on its own (tracking/job-board.ts, glance.ts): what the sidebar lists for
 * each config node as waits start, move, end and are dropped; how much it keeps; the deltas
 * it publishes; and the result at a glance of each job type. Then the job tracker reporting
 * to it, with a fake watcher.
 */
import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import type { JobsDetail } from '@node-red-tencent-ci/core';
import { JobTracker, resetTracking, StatusTracker, type WaitStore } from '../src/index';
import { glanceOf } from '../src/tracking/glance';
import { JobBoard, MAX_DETAIL_CHARS, jobBoard, type BoardDelta } from '../src/tracking/job-board';

const JOB = 'j8d121820f5e411ec926ef19d53ba9c6f';
const JOB2 = 'j0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const JOB3 = 'j11112222333344445555666677778888';
const SNAP = { id: 'n1', type: 'tencent-ci-snapshot', name: 'frames' };
const WAIT = { id: 'w1', type: 'tencent-ci-wait' };

/** A board on a clock the test moves, with its deltas recorded. */
function board(options: ConstructorParameters<typeof JobBoard>[0] = {}) {
  let now = 1_000_000;
  const b = new JobBoard({ now: () => now, flushMs: 1_000_000, ...options });
  const deltas: Array<[string, BoardDelta]> = [];
  b.subscribe((configId, delta) => deltas.push([configId, delta]));
  return {
    b,
    deltas,
    advance: (ms: number) => (now += ms),
    rows: (configId = 'cfg') => b.listOf(configId).rows,
  };
}

const success = (jobId: string, extra: Partial<JobsDetail> = {}): JobsDetail => ({
  JobId: jobId,
  Tag: 'Snapshot',
  State: 'Success',
  Progress: '100',
  ...extra,
});

describe('JobBoard', () => {
  describe('what it lists', () => {
    it('lists a job a node waits for as in flight, naming the node', () => {
      const { b, rows } = board();
      b.tracked('cfg', JOB, 'wait-1', SNAP);
      assert.deepEqual(rows(), [{ jobId: JOB, startedAt: 1_000_000, nodes: [SNAP], tag: 'Snapshot' }], 'a job node’s type names the Tag');
      b.tracked('cfg', JOB2, 'wait-2', WAIT);
      assert.equal(b.listOf('cfg').rows.find((r) => r.jobId === JOB2)!.tag, undefined, 'a wait node’s does not (the first describe answer will)');
      assert.equal(b.status('cfg', JOB), 'in-flight');
      assert.deepEqual(b.listOf('other').rows, [], 'per config node');
    });

    it('takes tag, state and progress from the watcher’s describe answers for jobs in flight, and the CreationTime when earlier', () => {
      const created = Date.parse('2026-01-02T03:04:05+08:00');
      const { b, rows } = board({ now: () => created + 5000 });
      b.tracked('cfg', JOB, 'wait-1', SNAP);
      b.described('cfg', [
        { JobId: JOB, Tag: 'Snapshot', State: 'Running', Progress: '42', CreationTime: '2026-01-02T03:04:05+0800' },
        { JobId: JOB2, Tag: 'VideoTag', State: 'Running' },
      ]);
      const [row] = rows();
      assert.equal(row!.tag, 'Snapshot');
      assert.equal(row!.state, 'Running');
      assert.equal(row!.progress, 42);
      assert.equal(row!.startedAt, created, 'it was created before this Node-RED began waiting (a wait node, a restart)');
      assert.equal(rows().length, 1, 'jobs no node here waits for are not listed');
      assert.equal(b.lastDetail('cfg', JOB)?.Progress, '42');
    });

    it('moves a job to the finished ones with its terminal JobsDetail, for every node that waited', () => {
      const { b, rows, advance } = board();
      b.tracked('cfg', JOB, 'wait-1', SNAP);
      b.tracked('cfg', JOB, 'wait-2', WAIT);
      advance(7000);
      b.ended('cfg', JOB, 'wait-1', { kind: 'detail', detail: success(JOB, { Tag: 'QualityEstimate', Operation: { QualityEstimate: { Score: '8.1' } } }) });
      b.ended('cfg', JOB, 'wait-2', { kind: 'detail', detail: success(JOB) }); // the same end, seen by the other wait
      const [row] = rows();
      assert.equal(row!.state, 'Success');
      assert.equal(row!.endedAt, 1_007_000);
      assert.deepEqual(row!.nodes, [SNAP, WAIT]);
      assert.deepEqual(row!.glance, { kind: 'score', score: '8.1' });
      assert.equal(b.status('cfg', JOB), 'finished');
      assert.equal(JSON.parse(b.detailJson('cfg', JOB)!).Operation.QualityEstimate.Score, '8.1');
    });

    it('keeps a job in flight while another node still waits for it after one timed out; the last timeout ends it', () => {
      const { b, rows } = board();
      b.tracked('cfg', JOB, 'wait-1', SNAP);
      b.tracked('cfg', JOB, 'wait-2', WAIT);
      b.ended('cfg', JOB, 'wait-1', { kind: 'timeout', message: 'gave up' });
      assert.equal(b.status('cfg', JOB), 'in-flight');
      assert.deepEqual(rows()[0]!.nodes, [WAIT], 'in flight, it names the nodes still waiting');
      b.ended('cfg', JOB, 'wait-2', { kind: 'timeout', message: 'gave up too' });
      const [row] = rows();
      assert.equal(row!.end, 'timeout');
      assert.equal(row!.message, 'gave up too');
      assert.deepEqual(row!.nodes, [SNAP, WAIT], 'finished, it names every node that waited');
    });

    it('ends a job with the error of its last wait, code and message (cut to 300 characters)', () => {
      const { b, rows } = board();
      b.tracked('cfg', JOB, 'wait-1', SNAP);
      b.ended('cfg', JOB, 'wait-1', { kind: 'error', error: Object.assign(new Error('x'.repeat(400)), { code: 'JobNotFound' }) });
      const [row] = rows();
      assert.equal(row!.end, 'error');
      assert.equal(row!.code, 'JobNotFound');
      assert.equal(row!.message!.length, 300);
    });

    it('shows a Failed job with CI’s Code and Message, and no glance', () => {
      const { b, rows } = board();
      b.tracked('cfg', JOB, 'wait-1', SNAP);
      b.ended('cfg', JOB, 'wait-1', { kind: 'detail', detail: { JobId: JOB, Tag: 'Snapshot', State: 'Failed', Code: 'InvalidInput', Message: 'not a video' } });
      const [row] = rows();
      assert.deepEqual([row!.state, row!.code, row!.message, row!.glance], ['Failed', 'InvalidInput', 'not a video', undefined]);
    });

    it('ends a job whose only wait stopped (a wait node told to stop) or whose node was removed', () => {
      const { b, rows } = board();
      b.tracked('cfg', JOB, 'wait-1', WAIT);
      b.tracked('cfg', JOB2, 'wait-2', SNAP);
      b.released(['wait-1'], 'stopped');
      b.released(['wait-2', 'never-tracked'], 'removed');
      assert.deepEqual(
        rows().map((r) => [r.jobId, r.end]),
        [
          [JOB2, 'removed'],
          [JOB, 'stopped'],
        ],
      );
    });

    it('after the flows start, drops the waits of nodes that no longer exist', () => {
      const { b, rows } = board();
      b.tracked('cfg', JOB, 'wait-1', SNAP);
      b.tracked('cfg', JOB2, 'wait-2', WAIT);
      b.prune((id) => id === WAIT.id);
      assert.equal(b.status('cfg', JOB), 'finished');
      assert.equal(rows().find((r) => r.jobId === JOB)!.end, 'removed');
      assert.equal(b.status('cfg', JOB2), 'in-flight');
    });

    it('keeps the same row for a wait taken up again after a redeploy, and moves it when its node now uses another config node', () => {
      const { b } = board();
      b.tracked('cfg', JOB, 'wait-1', SNAP);
      b.tracked('cfg', JOB, 'wait-1', { ...SNAP, name: 'renamed' }); // the node's next instance
      assert.deepEqual(b.listOf('cfg').rows[0]!.nodes, [{ ...SNAP, name: 'renamed' }]);
      b.tracked('cfg2', JOB, 'wait-1', SNAP);
      assert.deepEqual(b.listOf('cfg').rows, [], 'gone from the old config node, not listed as ended');
      assert.equal(b.status('cfg2', JOB), 'in-flight');
    });

    it('lists a job that is waited for again once: in flight again, from its first start, naming the nodes that waited before', () => {
      const { b, rows, advance } = board();
      b.tracked('cfg', JOB, 'wait-1', SNAP);
      advance(5000);
      b.ended('cfg', JOB, 'wait-1', { kind: 'timeout', message: 'gave up' });
      b.tracked('cfg', JOB, 'wait-2', WAIT); // a wait node takes the timed-out msg
      assert.deepEqual(
        rows().map((r) => [r.jobId, r.endedAt, r.startedAt]),
        [[JOB, undefined, 1_000_000]],
      );
      b.ended('cfg', JOB, 'wait-2', { kind: 'detail', detail: { JobId: JOB, Tag: 'VideoTag', State: 'Cancel' } });
      assert.deepEqual(rows()[0]!.nodes, [SNAP, WAIT]);
      assert.equal(rows()[0]!.end, undefined, 'it ended with its own state this time');
    });

    it('orders jobs in flight newest first, then finished ones by when they ended, newest first', () => {
      const { b, rows, advance } = board();
      b.tracked('cfg', JOB, 'w1', SNAP);
      advance(10);
      b.tracked('cfg', JOB2, 'w2', SNAP);
      advance(10);
      b.tracked('cfg', JOB3, 'w3', SNAP);
      b.ended('cfg', JOB, 'w1', { kind: 'detail', detail: success(JOB) });
      advance(10);
      b.ended('cfg', JOB3, 'w3', { kind: 'detail', detail: success(JOB3) });
      assert.deepEqual(
        rows().map((r) => r.jobId),
        [JOB2, JOB3, JOB],
      );
    });

    it('ignores waits without a config node or with something that is not a JobId', () => {
      const { b } = board();
      b.tracked('', JOB, 'w1', SNAP);
      b.tracked('cfg', 'not/a job', 'w2', SNAP);
      assert.deepEqual(b.list(), []);
    });
  });

  describe('how much it keeps', () => {
    it('keeps the last `recent` finished jobs per config node, dropping the oldest', () => {
      const { b, rows } = board({ recent: 2 });
      for (const [i, id] of [JOB, JOB2, JOB3].entries()) {
        b.tracked('cfg', id, `w${i}`, SNAP);
        b.ended('cfg', id, `w${i}`, { kind: 'detail', detail: success(id) });
      }
      b.tracked('cfg2', JOB, 'other', SNAP);
      b.ended('cfg2', JOB, 'other', { kind: 'detail', detail: success(JOB) });
      assert.deepEqual(
        rows().map((r) => r.jobId),
        [JOB3, JOB2],
      );
      assert.equal(b.status('cfg', JOB), undefined);
      assert.equal(rows('cfg2').length, 1, 'each config node keeps its own');
    });

    it('drops finished jobs at once when `recent` is lowered; 0 keeps none', () => {
      const { b, rows } = board();
      b.tracked('cfg', JOB, 'w1', SNAP);
      b.ended('cfg', JOB, 'w1', { kind: 'detail', detail: success(JOB) });
      b.tracked('cfg', JOB2, 'w2', SNAP);
      b.configure({ recent: 0 });
      assert.deepEqual(
        rows().map((r) => r.jobId),
        [JOB2],
        'jobs in flight stay',
      );
    });

    it(`keeps a finished JobsDetail only up to ${MAX_DETAIL_CHARS / 1024} KiB of JSON`, () => {
      const { b } = board();
      b.tracked('cfg', JOB, 'w1', SNAP);
      b.ended('cfg', JOB, 'w1', { kind: 'detail', detail: success(JOB, { Message: 'x'.repeat(MAX_DETAIL_CHARS) }) });
      assert.equal(b.detailJson('cfg', JOB), undefined);
      assert.equal(b.status('cfg', JOB), 'finished', 'the row stays');
    });

    it('lets the sidebar fetch only the outputs its glance shows, of jobs it still lists', () => {
      const outputs = [
        ...['f0.jpg', 'f1.jpg', 'f2.jpg', 'f3.jpg', 'f4.jpg'].map((key) => ({ kind: 'snapshot', key, bucket: 'b', region: 'r' })),
        { kind: 'sprite', key: 's0.jpg', bucket: 'b', region: 'r' },
      ];
      const { b } = board({ recent: 1, outputsOf: (configId) => (configId === 'cfg' ? outputs : []) });
      b.tracked('cfg', JOB, 'w1', SNAP);
      b.ended('cfg', JOB, 'w1', { kind: 'detail', detail: success(JOB) });
      assert.deepEqual(b.listOf('cfg').rows[0]!.glance, {
        kind: 'images',
        frames: ['f0.jpg', 'f1.jpg', 'f2.jpg', 'f3.jpg'],
        sprites: ['s0.jpg'],
        frameCount: 5,
        spriteCount: 1,
      });
      assert.deepEqual(b.output('cfg', 'f0.jpg'), outputs[0]);
      assert.equal(b.output('cfg', 's0.jpg')?.kind, 'sprite');
      assert.equal(b.output('cfg', 'f4.jpg'), undefined, 'not shown');
      assert.equal(b.output('cfg2', 'f0.jpg'), undefined, 'another config node');
      b.tracked('cfg', JOB2, 'w2', SNAP);
      b.ended('cfg', JOB2, 'w2', { kind: 'detail', detail: { JobId: JOB2, Tag: 'Snapshot', State: 'Failed' } });
      assert.equal(b.output('cfg', 'f0.jpg'), undefined, 'its job is no longer listed');
    });

    it('forgets a wait’s job once it ended (no in-flight entry is left behind)', () => {
      const { b } = board();
      for (let i = 0; i < 100; i += 1) {
        const id = `j${String(i).padStart(32, '0')}`;
        b.tracked('cfg', id, `w${i}`, SNAP);
        b.ended('cfg', id, `w${i}`, { kind: 'timeout', message: 'x' });
      }
      assert.equal(b.listOf('cfg').rows.length, 50, 'the default recent');
      assert.equal(b.listOf('cfg').rows.filter((r) => r.endedAt === undefined).length, 0);
    });
  });

  describe('deltas', () => {
    it('publishes the changes of each config node together, seq counting up by one', () => {
      const { b, deltas } = board();
      b.tracked('cfg', JOB, 'w1', SNAP);
      b.described('cfg', [{ JobId: JOB, Tag: 'Snapshot', State: 'Running' }]);
      b.tracked('cfg2', JOB2, 'w2', SNAP);
      b.flush();
      assert.deepEqual(
        deltas.map(([configId, d]) => [configId, d.seq, d.rows.map((r) => [r.jobId, r.state]), d.removed]),
        [
          ['cfg', 1, [[JOB, 'Running']], []],
          ['cfg2', 1, [[JOB2, undefined]], []],
        ],
      );
      b.ended('cfg', JOB, 'w1', { kind: 'detail', detail: success(JOB) });
      b.flush();
      assert.deepEqual(deltas.at(-1), ['cfg', { seq: 2, rows: [b.listOf('cfg').rows[0]], removed: [] }]);
      assert.equal(b.listOf('cfg').seq, 2, 'the list answers the seq it includes');
    });

    it('names the jobs dropped from the list in `removed`', () => {
      const { b, deltas } = board({ recent: 1 });
      for (const [i, id] of [JOB, JOB2].entries()) {
        b.tracked('cfg', id, `w${i}`, SNAP);
        b.ended('cfg', id, `w${i}`, { kind: 'detail', detail: success(id) });
      }
      b.flush();
      assert.deepEqual(deltas[0]![1].removed, [JOB]);
      assert.deepEqual(
        deltas[0]![1].rows.map((r) => r.jobId),
        [JOB2],
      );
    });

    it('sends nothing for a describe answer that changes nothing, and nothing while no one listens', () => {
      const { b, deltas } = board();
      b.tracked('cfg', JOB, 'w1', SNAP);
      b.described('cfg', [{ JobId: JOB, Tag: 'Snapshot', State: 'Running' }]);
      b.flush();
      b.described('cfg', [{ JobId: JOB, Tag: 'Snapshot', State: 'Running' }]);
      b.flush();
      assert.equal(deltas.length, 1);
      const quiet = new JobBoard();
      quiet.tracked('cfg', JOB, 'w1', SNAP);
      quiet.flush();
      assert.equal(quiet.listOf('cfg').seq, 0);
    });

    it('flushes on its own after flushMs, on a timer that does not keep the process alive', async () => {
      const deltas: BoardDelta[] = [];
      const b = new JobBoard({ flushMs: 5 });
      b.subscribe((_c, d) => deltas.push(d));
      b.tracked('cfg', JOB, 'w1', SNAP);
      b.tracked('cfg', JOB2, 'w2', SNAP);
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(deltas.length, 1);
      assert.equal(deltas[0]!.rows.length, 2);
    });
  });
});

describe('result at a glance (glanceOf)', () => {
  it('QualityEstimate: its Score', () => {
    assert.deepEqual(
      glanceOf({ JobId: JOB, Tag: 'QualityEstimate', State: 'Success', Operation: { QualityEstimate: { Score: '6.460358', VqaPlusResult: {} } } }),
      {
        kind: 'score',
        score: '6.460358',
      },
    );
  });

  it('VideoTag: the three tags of highest confidence, else the ShortVideo labels', () => {
    const tags = [{ Tag: 'b', Confidence: '0.5' }, { Tag: 'a', Confidence: '0.9' }, { Tag: 'd' }, { Tag: 'c', Confidence: '0.7' }];
    const detail = (Data: unknown): JobsDetail => ({ JobId: JOB, Tag: 'VideoTag', State: 'Success', Operation: { VideoTagResult: { StreamData: { Data } } } });
    assert.deepEqual(glanceOf(detail({ Tags: tags })), {
      kind: 'tags',
      tags: [
        { name: 'a', confidence: '0.9' },
        { name: 'c', confidence: '0.7' },
        { name: 'b', confidence: '0.5' },
      ],
    });
    assert.deepEqual(glanceOf(detail({ Labels: [{ First: 'sport', Second: 'football', Confidence: '0.8' }] })), {
      kind: 'tags',
      tags: [{ name: 'football', confidence: '0.8' }],
    });
    assert.equal(glanceOf(detail({})), undefined);
  });

  it('VideoTargetRec: how many targets of each kind', () => {
    const result = {
      BodyRecognition: [
        { Time: '1', BodyInfo: [{ Name: 'person' }, { Name: 'person' }] },
        { Time: '2', BodyInfo: [{ Name: 'person' }] },
      ],
      CarRecognition: [{ Time: '1', CarInfo: { Name: 'car' } }], // a raw single item counts too
      LicenseRecognitionResult: [{ Time: '1', PlateInfo: [{ Name: '粤B12345' }] }],
    };
    assert.deepEqual(glanceOf({ JobId: JOB, Tag: 'VideoTargetRec', State: 'Success', Operation: { VideoTargetRecResult: result } }), {
      kind: 'targets',
      counts: { body: 3, car: 1, plate: 1 },
    });
  });

  it('Snapshot: frames and sprite sheets from its outputs', () => {
    const outputs = [
      { kind: 'snapshot', key: 'a/0.jpg' },
      { kind: 'sprite', key: 'a/sprite-0.jpg' },
    ];
    assert.deepEqual(glanceOf(success(JOB), outputs), { kind: 'images', frames: ['a/0.jpg'], sprites: ['a/sprite-0.jpg'], frameCount: 1, spriteCount: 1 });
    assert.equal(glanceOf(success(JOB), []), undefined);
  });

  it('nothing for jobs that did not succeed, or that have no glance (MediaInfo)', () => {
    assert.equal(glanceOf({ JobId: JOB, Tag: 'QualityEstimate', State: 'Failed', Operation: { QualityEstimate: { Score: '1' } } }), undefined);
    assert.equal(glanceOf({ JobId: JOB, Tag: 'MediaInfo', State: 'Success', Operation: { MediaInfo: {} } }), undefined);
  });
});

describe('JobTracker reports to the job board', () => {
  afterEach(() => resetTracking());

  type Listener = (outcome: { detail: JobsDetail }) => void;

  /** A node "n1" (a snapshot node) on config node "cfg", with a watcher the test ends jobs through. */
  function rig() {
    const listeners: Array<{ jobId: string; listener: Listener }> = [];
    const watcher = {
      watch: (jobId: string, listener: Listener) => {
        listeners.push({ jobId, listener });
        return () => undefined;
      },
    };
    const ci = { bucket: 'b', region: 'r', watcher: () => watcher, client: () => ({}), notify: () => 0 };
    const events = new EventEmitter();
    const node = {
      id: 'n1',
      z: 'tab',
      type: 'tencent-ci-snapshot',
      name: 'frames',
      send: () => undefined,
      warn: () => undefined,
      error: () => undefined,
      status: () => undefined,
    };
    const nodes = new Map<string, unknown>([
      ['cfg', { type: 'tencent-ci-config', ci }],
      ['n1', node],
    ]);
    const RED = {
      _: (key: string) => key,
      util: { cloneMessage: <T>(m: T) => structuredClone(m) },
      settings: {},
      nodes: { getNode: (id: string) => nodes.get(id) ?? null, eachNode: () => undefined },
      log: { warn: () => undefined, info: () => undefined, error: () => undefined },
      events,
    };
    const store: WaitStore = {
      durable: false,
      load: async () => [],
      put: async () => undefined,
      remove: async () => undefined,
      clear: async () => undefined,
      flush: async () => undefined,
    };
    const tracker = new JobTracker(RED as any, node as any, {
      config: 'cfg',
      cancelOnTimeout: false,
      status: new StatusTracker(RED as any, node as any),
      waitStore: store,
    });
    events.emit('flows:started');
    const completion = { send: () => undefined, done: () => undefined };
    return { tracker, listeners, completion };
  }

  it('lists a wait while it waits and moves it to the finished jobs with the result it delivers', async () => {
    const { tracker, listeners, completion } = rig();
    await tracker.ready;
    await tracker.track(JOB, { payload: 'input/clip.mp4' }, { timeoutMs: 0, completion });
    assert.deepEqual(jobBoard.listOf('cfg').rows[0]!.nodes, [{ id: 'n1', type: 'tencent-ci-snapshot', name: 'frames' }]);
    assert.equal(jobBoard.status('cfg', JOB), 'in-flight');
    listeners[0]!.listener({ detail: { JobId: JOB, Tag: 'Snapshot', State: 'Cancel' } });
    assert.equal(jobBoard.status('cfg', JOB), 'finished');
    assert.equal(jobBoard.listOf('cfg').rows[0]!.state, 'Cancel');
  });

  it('marks the waits of a deleted node as removed, and leaves those of a redeployed node in flight', async () => {
    const { tracker, completion } = rig();
    await tracker.ready;
    await tracker.track(JOB, {}, { timeoutMs: 0, completion });
    await tracker.close(false);
    assert.equal(jobBoard.status('cfg', JOB), 'in-flight', 'handed to the next instance');
    const again = rig();
    await again.tracker.ready;
    await again.tracker.track(JOB2, {}, { timeoutMs: 0, completion: again.completion });
    await again.tracker.close(true);
    assert.equal(jobBoard.listOf('cfg').rows.find((r) => r.jobId === JOB2)!.end, 'removed');
  });

  it('marks a wait the node stopped (a wait node’s stop) as stopped', async () => {
    const { tracker, completion } = rig();
    await tracker.ready;
    await tracker.track(JOB, {}, { timeoutMs: 0, completion });
    tracker.stop(new Set([JOB]));
    assert.equal(jobBoard.listOf('cfg').rows[0]!.end, 'stopped');
  });
});
