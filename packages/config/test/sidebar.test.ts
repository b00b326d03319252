/**
 * The sidebar plugin's runtime side (sidebar.ts) in Node-RED's test runtime against the
 * emulator: the list, a job's JobsDetail, cancelling, the output objects behind the
 * thumbnails, the comms deltas, the `recent` setting; and, on a stand-in RED, the
 * permission each admin route asks for.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configNode, putClip, putScript, startTestEmulator, type Emulator } from '@node-red-tencent-ci/test-utils';
import { CLIP, helper, useNodeRed, waitFor, type NodeModule } from '@node-red-tencent-ci/test-utils/src/nodes';
import { registerJobNode } from '../dist/index';
import { jobBoard } from '../dist/tracking/job-board';
import type { BoardDelta, JobsAnswer } from '../src/tracking/board-wire';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const configModule: NodeModule = require('../dist/tencent-ci-config.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sidebarModule: NodeModule = require('../dist/tencent-ci-sidebar.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MAX_OBJECT_BYTES, recentSetting } = require('../dist/sidebar') as typeof import('../src/sidebar');
/** Where the test runtime's RED.comms.publish goes (Node-RED's runtime events). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeEvents: import('node:events').EventEmitter = require('@node-red/util').events;

const jobModules: NodeModule = (RED) => {
  registerJobNode(RED, 'Snapshot');
  registerJobNode(RED, 'VideoTag');
};

/** A VideoTag job on this object stays Submitted for 10 minutes (its script's QueuedSeconds). */
const QUEUED = 'input/queued.mp4';
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

describe('Tencent CI sidebar plugin (runtime side)', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startTestEmulator();
    putClip(emulator, CLIP, 2);
    putClip(emulator, QUEUED, 2);
    putScript(emulator, QUEUED, { QueuedSeconds: 600, StreamData: { SubErrCode: '0', SubErrMsg: 'ok', Data: { Tags: [] } } });
  });
  after(async () => {
    await emulator.close();
  });
  useNodeRed();
  afterEach(() => helper.settings({}));

  /** cfg, a Snapshot node "snap" (frames and a sprite sheet) and a VideoTag node "tag", both waiting for the result. */
  async function load() {
    const cfg = configNode(emulator);
    const job = (id: string, type: string, props: Record<string, unknown>) => ({
      id,
      z: 'tab',
      type,
      name: `${id} node`,
      config: 'cfg',
      input: 'payload',
      inputType: 'msg',
      wait: 'result',
      timeout: 60,
      wires: [[`${id}-ok`], [`${id}-bad`]],
      ...props,
    });
    const flow = [
      { id: 'tab', type: 'tab' },
      cfg.node,
      job('snap', 'tencent-ci-snapshot', {
        Snapshot_Mode: 'Interval',
        Snapshot_TimeInterval: '1',
        Snapshot_Count: '2',
        Snapshot_Width: '160',
        Snapshot_SnapshotOutMode: 'SnapshotAndSprite',
        Snapshot_SpriteSnapshotConfig_Columns: '2',
        Snapshot_SpriteSnapshotConfig_Lines: '1',
        Snapshot_SpriteSnapshotConfig_Color: 'Black',
        Output_Object: 'sidebar/${jobid}/${number}.jpg',
        Output_SpriteObject: 'sidebar/${jobid}/sprite-${number}.jpg',
      }),
      job('tag', 'tencent-ci-video-tag', { VideoTag_Scenario: 'Stream' }),
      ...['snap-ok', 'snap-bad', 'tag-ok', 'tag-bad'].map((id) => ({ id, z: 'tab', type: 'helper' })),
    ];
    await helper.load([configModule, jobModules, sidebarModule], flow, cfg.credentials);
    const next = (id: string) => new Promise<any>((resolve) => helper.getNode(id).on('input', resolve));
    return { node: (id: string) => helper.getNode(id), next };
  }

  const list = async (): Promise<JobsAnswer> => (await helper.request().get('/tencent-ci/jobs')).body;
  const rowOf = async (jobId: string) => (await list()).configs.find((c) => c.configId === 'cfg')?.rows.find((r) => r.jobId === jobId);
  /** The job id a node submitted, once the board lists it. */
  async function listedJob(nodeId: string): Promise<string> {
    let jobId: string | undefined;
    await waitFor(
      () => {
        jobId = jobBoard.listOf('cfg').rows.find((r) => r.nodes.some((n) => n.id === nodeId))?.jobId;
        return jobId !== undefined;
      },
      10_000,
      `a job of ${nodeId}`,
    );
    return jobId!;
  }

  describe('GET /tencent-ci/jobs', () => {
    it('lists a Snapshot job while its node waits, then finished with its frames and sprite sheet', async () => {
      const { node, next } = await load();
      const done = next('snap-ok');
      node('snap').receive({ payload: CLIP });
      const jobId = await listedJob('snap');
      const running = await rowOf(jobId);
      assert.equal(running!.endedAt, undefined);
      assert.deepEqual(running!.nodes, [{ id: 'snap', type: 'tencent-ci-snapshot', name: 'snap node' }]);
      const msg = await done;
      assert.equal(msg.jobId, jobId);
      const answer = await list();
      assert.equal(answer.recent, 50);
      const row = answer.configs[0]!.rows[0]!;
      assert.equal(row.jobId, jobId);
      assert.equal(row.state, 'Success');
      assert.equal(row.tag, 'Snapshot');
      assert.ok(row.endedAt! >= row.startedAt);
      assert.deepEqual(row.glance, {
        kind: 'images',
        frames: [`sidebar/${jobId}/0.jpg`, `sidebar/${jobId}/1.jpg`],
        sprites: [`sidebar/${jobId}/sprite-0.jpg`],
        frameCount: 2,
        spriteCount: 1,
      });
    });

    it('keeps as many finished jobs per config node as settings.js tencentCi.sidebar.recent says', async () => {
      helper.settings({ tencentCi: { sidebar: { recent: 7 } } });
      await load();
      assert.equal((await list()).recent, 7);
      assert.equal(jobBoard.recent, 7);
    });
  });

  describe('GET /tencent-ci/jobs/:configId/:jobId', () => {
    it('answers a finished job’s terminal JobsDetail, and the service’s answer for one in flight', async () => {
      const { node, next } = await load();
      const done = next('snap-ok');
      node('snap').receive({ payload: CLIP });
      const jobId = await listedJob('snap');
      const live = await helper.request().get(`/tencent-ci/jobs/cfg/${jobId}`);
      assert.equal(live.status, 200);
      assert.equal(live.body.JobId, jobId);
      await done;
      const res = await helper.request().get(`/tencent-ci/jobs/cfg/${jobId}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.State, 'Success');
      const file = res.body.Operation.MediaResult.OutputFile;
      assert.deepEqual(
        file.ObjectName.map((name: string) => `${file.ObjectPrefix}${name}`),
        [`sidebar/${jobId}/0.jpg`, `sidebar/${jobId}/1.jpg`],
      );
    });

    it('answers 404 for a job it does not list (it is no window on every job of the bucket)', async () => {
      await load();
      const res = await helper.request().get('/tencent-ci/jobs/cfg/j00000000000000000000000000000000');
      assert.equal(res.status, 404);
      assert.equal(res.body.code, 'UnknownJob');
    });
  });

  describe('POST /tencent-ci/jobs/:configId/:jobId/cancel', () => {
    it('cancels a queued job with the config node’s client: its node sends it on output 2 as cancelled, and the row says so', async () => {
      const { node, next } = await load();
      const cancelled = next('tag-bad');
      node('tag').receive({ payload: QUEUED });
      const jobId = await listedJob('tag');
      const res = await helper.request().post(`/tencent-ci/jobs/cfg/${jobId}/cancel`).send({});
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { ok: true });
      const msg = await cancelled;
      assert.equal(msg.payload.State, 'Cancel');
      assert.equal(emulator.job(jobId)?.State, 'Cancel');
      await waitFor(() => jobBoard.status('cfg', jobId) === 'finished', 5_000, 'the row finished');
      assert.equal((await rowOf(jobId))!.state, 'Cancel');
    });

    it('refuses a job it does not list (404), one that ended (409) and something that is not a JobId (400)', async () => {
      const { node, next } = await load();
      const done = next('snap-ok');
      node('snap').receive({ payload: CLIP });
      const jobId = await listedJob('snap');
      await done;
      const cancels = emulator.stats().requests.cancel;
      const post = (path: string) => helper.request().post(path).send({});
      assert.equal((await post(`/tencent-ci/jobs/cfg/${jobId}/cancel`)).status, 409);
      assert.equal((await post('/tencent-ci/jobs/cfg/j00000000000000000000000000000000/cancel')).status, 404);
      assert.equal((await post(`/tencent-ci/jobs/other-config/${jobId}/cancel`)).status, 404);
      assert.equal((await post('/tencent-ci/jobs/cfg/not%20a%20job/cancel')).status, 400);
      assert.equal(emulator.stats().requests.cancel, cancels, 'nothing reached the service');
    });
  });

  describe('GET /tencent-ci/object/:configId?key=', () => {
    /** Loads the flow and runs one Snapshot job to its end; resolves with its row's glance. */
    async function finishedSnapshot() {
      const { node, next } = await load();
      const done = next('snap-ok');
      node('snap').receive({ payload: CLIP });
      const msg = await done;
      const row = await rowOf(msg.jobId);
      assert.equal(row?.glance?.kind, 'images');
      return row.glance as Extract<NonNullable<typeof row.glance>, { kind: 'images' }>;
    }

    it('sends a frame and the sprite sheet the list shows, read with the config node’s credentials, with their Content-Type', async () => {
      const glance = await finishedSnapshot();
      for (const key of [glance.frames[0]!, glance.sprites[0]!]) {
        const res = await helper.request().get(`/tencent-ci/object/cfg?key=${encodeURIComponent(key)}`);
        assert.equal(res.status, 200, key);
        assert.equal(res.headers['content-type'], 'image/jpeg');
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        assert.match(res.headers['content-security-policy'], /sandbox/);
        assert.ok(Buffer.isBuffer(res.body) && res.body.subarray(0, 3).equals(JPEG), `${key} is a JPEG`);
      }
    });

    it('refuses keys that are not outputs of a job it lists: the input, another bucket path, another config node', async () => {
      const glance = await finishedSnapshot();
      const get = (config: string, key: string) => helper.request().get(`/tencent-ci/object/${config}?key=${encodeURIComponent(key)}`);
      for (const [config, key] of [
        ['cfg', CLIP],
        ['cfg', `${glance.frames[0]}/../../${CLIP}`],
        ['cfg', ''],
        ['other', glance.frames[0]!],
      ] as const) {
        const res = await get(config, key);
        assert.equal(res.status, 404, `${config} ${key}`);
        assert.equal(res.body.code, 'UnknownObject');
      }
    });

    it(`answers 413 for an output larger than ${MAX_OBJECT_BYTES / 1024 / 1024} MiB`, async () => {
      await load();
      // A finished job whose only frame is 3 MiB: listed as the tracker would list it.
      const key = 'big/frame-0.jpg';
      const file = join(emulator.root, emulator.bucket, key);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, Buffer.concat([JPEG, Buffer.alloc(3 * 1024 * 1024)]));
      const jobId = 'j99999999999999999999999999999999';
      jobBoard.tracked('cfg', jobId, 'test-wait', { id: 'snap' });
      jobBoard.ended('cfg', jobId, 'test-wait', {
        kind: 'detail',
        detail: {
          JobId: jobId,
          Tag: 'Snapshot',
          State: 'Success',
          Input: { BucketId: emulator.bucket, Region: emulator.region, Object: CLIP },
          Operation: { MediaResult: { OutputFile: { Bucket: emulator.bucket, Region: emulator.region, ObjectPrefix: 'big/frame-', ObjectName: ['0.jpg'] } } },
        },
      });
      const res = await helper.request().get(`/tencent-ci/object/cfg?key=${encodeURIComponent(key)}`);
      assert.equal(res.status, 413);
      assert.equal(res.body.code, 'BodyTooLarge');
    });
  });

  describe('comms', () => {
    it('publishes each change as a delta on tencent-ci/jobs/<configId>, seq counting up by one, not retained', async () => {
      const seen: Array<{ topic: string; data: BoardDelta; retain: boolean }> = [];
      const listener = (event: { topic: string; data: BoardDelta; retain: boolean }) => {
        if (event.topic.startsWith('tencent-ci/')) seen.push(event);
      };
      runtimeEvents.on('comms', listener);
      try {
        const { node, next } = await load();
        const done = next('snap-ok');
        node('snap').receive({ payload: CLIP });
        const msg = await done;
        await waitFor(() => seen.some((e) => e.data.rows.some((r) => r.jobId === msg.jobId && r.state === 'Success')), 5_000, 'the Success delta');
        assert.ok(seen.every((e) => e.topic === 'tencent-ci/jobs/cfg' && e.retain === false));
        assert.deepEqual(
          seen.map((e) => e.data.seq),
          seen.map((_e, i) => seen[0]!.data.seq + i),
        );
        assert.equal(seen[0]!.data.rows[0]!.jobId, msg.jobId, 'the first delta lists the job in flight');
        assert.equal(seen[0]!.data.rows[0]!.endedAt, undefined);
      } finally {
        runtimeEvents.off('comms', listener);
      }
    });
  });
});

describe('the sidebar’s admin routes and settings (stand-in RED)', () => {
  /** Registers the plugin on a RED that records each route and the permission its first handler asks for. */
  function routes(settings: Record<string, unknown> = {}) {
    const found: Record<string, string> = {};
    const warnings: string[] = [];
    const record = (method: string) => (path: string, guard: { permission?: string }) => {
      found[`${method} ${path}`] = guard.permission ?? '(none)';
    };
    const RED = {
      _: (key: string) => key,
      settings,
      auth: { needsPermission: (permission: string) => Object.assign(() => undefined, { permission }) },
      httpAdmin: { get: record('GET'), post: record('POST') },
      comms: { publish: () => undefined },
      nodes: { getNode: () => null },
      log: { warn: (m: string) => warnings.push(m), audit: () => undefined, AUDIT: 98 },
      events: { on: () => undefined },
    };
    sidebarModule(RED as any);
    return { found, warnings };
  }
  afterEach(() => jobBoard.configure({ recent: 50 }));

  it('asks tencent-ci.read for the list, a JobsDetail and an object, and tencent-ci.write to cancel', () => {
    assert.deepEqual(routes().found, {
      'GET /tencent-ci/jobs': 'tencent-ci.read',
      'GET /tencent-ci/jobs/:configId/:jobId': 'tencent-ci.read',
      'POST /tencent-ci/jobs/:configId/:jobId/cancel': 'tencent-ci.write',
      'GET /tencent-ci/object/:configId': 'tencent-ci.read',
    });
  });

  it('reads tencentCi.sidebar.recent: a whole number from 0 to 1000, else 50 with a warning', () => {
    assert.deepEqual(recentSetting(undefined), { recent: 50, invalid: false });
    assert.deepEqual(recentSetting({ sidebar: { recent: 0 } }), { recent: 0, invalid: false });
    assert.deepEqual(recentSetting({ sidebar: { recent: 1000 } }), { recent: 1000, invalid: false });
    for (const bad of [-1, 1001, 2.5, '20', null]) assert.deepEqual(recentSetting({ sidebar: { recent: bad } }), { recent: 50, invalid: true }, String(bad));
    assert.deepEqual(routes({ tencentCi: { sidebar: { recent: 'lots' } } }).warnings, ['sidebar.warn.badRecent']);
    assert.equal(jobBoard.recent, 50);
  });
});
