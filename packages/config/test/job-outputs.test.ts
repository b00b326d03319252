/**
 * msg.ci.outputs of a job node's Success output, on a Snapshot node against the emulator over
 * loopback: every listed key is a file in the emulator's bucket folder, every link opens it
 * with a plain fetch(), and "Attach small images" adds the files' bytes within its total.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKeyTime } from '@node-red-tencent-ci/core';
import { SECRET_ID, SECRET_KEY, startTestEmulator, putClip, type Emulator } from '@node-red-tencent-ci/test-utils';
import { CLIP, CLIP_SECONDS, helper, JobNodeHarness, nextOutcome, type NodeModule, type TestNode } from '@node-red-tencent-ci/test-utils/src/nodes';
import { registerJobNode } from '../dist/index';
import { outputSettings } from '../src/job-outputs';
import { mediaInfoHarness } from './job-node-harness';
import type { OutputEntry } from '../src/job-outputs';

const snapshotModule: NodeModule = (RED) => registerJobNode(RED, 'Snapshot');

/** Three 128 px frames and one 3 × 1 sprite sheet, in a folder per job. */
const FRAMES_AND_SPRITE = {
  Snapshot_Mode: 'Interval',
  Snapshot_TimeInterval: '0.5',
  Snapshot_Count: '3',
  Snapshot_Width: '128',
  Snapshot_SnapshotOutMode: 'SnapshotAndSprite',
  Snapshot_SpriteSnapshotConfig_Columns: '3',
  Snapshot_SpriteSnapshotConfig_Lines: '1',
  Snapshot_SpriteSnapshotConfig_Color: 'Black',
  Output_Object: 'links/${jobid}/${number}.jpg',
  Output_SpriteObject: 'links/${jobid}/sprite-${number}.jpg',
  wait: 'result',
  timeout: 60,
};

function onDisk(emulator: Emulator, key: string): Buffer {
  return readFileSync(join(emulator.root, emulator.bucket, key));
}

/** Runs the flow once (unloading an earlier one) and answers the Success msg and the node's warnings. */
async function succeed(harness: JobNodeHarness, props: Record<string, unknown>, options: Parameters<JobNodeHarness['load']>[1] = {}) {
  await helper.unload();
  const nodes = await harness.load(props, options);
  const warnings: string[] = [];
  // Only this feature's warnings (a tracker also warns once that waits do not survive a restart).
  (nodes.n1 as TestNode).on('call:warn', (call: { args: unknown[] }) => {
    const text = String(call.args[0]);
    if (text.startsWith('common.outputFiles.')) warnings.push(text);
  });
  const outcome = nextOutcome(nodes, 60_000);
  nodes.n1.receive({ payload: CLIP });
  const { port, msg } = await outcome;
  assert.equal(port, 'ok', JSON.stringify(msg.error ?? msg.payload));
  return { msg, warnings, entries: msg.ci.outputs as OutputEntry[] };
}

describe('msg.ci.outputs of a job node (Snapshot, against the emulator)', () => {
  const harness = new JobNodeHarness({ module: snapshotModule, type: 'tencent-ci-snapshot', tag: 'Snapshot', props: FRAMES_AND_SPRITE }).install();

  it('lists every frame and the sprite sheet, each a file in the bucket folder with a link that opens it', async () => {
    const { msg, entries } = await succeed(harness, {});
    const emulator = harness.emulator;
    const jobId = msg.jobId as string;
    assert.deepEqual(
      entries.map((e) => [e.kind, e.key]),
      [
        ['snapshot', `links/${jobId}/0.jpg`],
        ['snapshot', `links/${jobId}/1.jpg`],
        ['snapshot', `links/${jobId}/2.jpg`],
        ['sprite', `links/${jobId}/sprite-0.jpg`],
      ],
    );
    for (const entry of entries) {
      assert.deepEqual(Object.keys(entry).sort(), ['bucket', 'key', 'kind', 'region', 'url']);
      assert.equal(entry.bucket, emulator.bucket);
      assert.equal(entry.region, emulator.region);
      assert.equal(entry.data, undefined, 'no data unless asked');
      const file = onDisk(emulator, entry.key!);
      assert.ok(entry.url!.startsWith(`${emulator.url}/links/${jobId}/`), entry.url);
      const res = await fetch(entry.url!);
      assert.equal(res.status, 200, `${entry.key}: ${await res.clone().text()}`);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(file), `${entry.key}: the link gives the file's bytes`);
    }
  });

  it('opens nothing with a link whose signature was changed', async () => {
    const { entries } = await succeed(harness, {});
    const url = new URL(entries[0]!.url!);
    const signature = url.searchParams.get('q-signature')!;
    url.searchParams.set(
      'q-signature',
      signature.replace(/^./, (c) => (c === '0' ? '1' : '0')),
    );
    assert.equal((await fetch(url)).status, 403);
  });

  it('signs the links for an hour by default (a saved node without the setting) and for Link validity when set', async () => {
    const window = (url: string) => {
      const { start, end } = parseKeyTime(new URL(url).searchParams.get('q-key-time')!);
      return end - start;
    };
    const byDefault = await succeed(harness, {});
    assert.equal(window(byDefault.entries[0]!.url!), 3600);
    const short = await succeed(harness, { linkValidity: '120' });
    assert.equal(window(short.entries[0]!.url!), 120);
    assert.equal((await fetch(short.entries[0]!.url!)).status, 200);
  });

  it('holds the SecretId in the links, never the SecretKey', async () => {
    const { msg } = await succeed(harness, {});
    const text = JSON.stringify(msg);
    assert.ok(!text.includes(SECRET_KEY), 'no SecretKey in the msg');
    assert.equal(new URL(msg.ci.outputs[0].url).searchParams.get('q-ak'), SECRET_ID);
  });

  it('attaches the images as Buffers equal to the files on disk with "Attach small images"', async () => {
    const { entries, warnings } = await succeed(harness, { attachImages: true });
    assert.equal(entries.length, 4);
    for (const entry of entries) {
      assert.ok(Buffer.isBuffer(entry.data), `${entry.key} has data`);
      assert.ok(entry.data!.equals(onDisk(harness.emulator, entry.key!)), `${entry.key}: data is the file`);
    }
    assert.deepEqual(warnings, []);
  });

  it('keeps the attached total within Attach at most, leaves the rest without data and warns once with their number', async () => {
    // The sizes of this job's files, learnt from a first run with room for all of them.
    const all = await succeed(harness, { attachImages: true });
    const sizes = all.entries.map((e) => e.data!.length);
    // Room for the first frame and a bit: not for the second, maybe for a later smaller one.
    const capBytes = sizes[0]! + Math.floor(Math.min(...sizes.slice(1)) / 2);
    const { entries, warnings } = await succeed(harness, { attachImages: true, attachLimit: String(capBytes / 1048576) });
    const capped = Math.floor((capBytes / 1048576) * 1048576);
    const attached = entries.filter((e) => e.data);
    const total = attached.reduce((n, e) => n + e.data!.length, 0);
    assert.ok(total <= capped, `${total} bytes attached, cap ${capped}`);
    assert.ok(entries[0]!.data, 'the first image fits');
    assert.equal(entries[1]!.data, undefined, 'the second does not');
    for (const e of attached) assert.ok(e.data!.equals(onDisk(harness.emulator, e.key!)));
    const leftOut = entries.length - attached.length;
    assert.ok(leftOut >= 1);
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.match(warnings[0]!, new RegExp(`^common\\.outputFiles\\.leftOut`));
    // The catalog is not loaded in the test helper: the count is checked through the shape of every entry instead.
    assert.ok(
      entries.every((e) => typeof e.url === 'string'),
      'every entry keeps its link',
    );
  });

  it('attaches nothing with Attach at most 0, and warns once', async () => {
    const { entries, warnings } = await succeed(harness, { attachImages: true, attachLimit: '0' });
    assert.ok(entries.every((e) => e.data === undefined));
    assert.equal(warnings.length, 1);
  });

  it('has no outputs on a msg sent as soon as the job is submitted', async () => {
    const nodes = await harness.load({ wait: 'none' });
    const outcome = nextOutcome(nodes);
    nodes.n1.receive({ payload: CLIP });
    const { port, msg } = await outcome;
    assert.equal(port, 'ok');
    assert.equal(msg.ci.state, 'Submitted');
    assert.equal(msg.ci.outputs, undefined);
  });

  it('puts the STS token into the links as x-cos-security-token, and the links open', async () => {
    const emulator = await startTestEmulator({ sessionToken: 'sts-token_for-links' });
    putClip(emulator, CLIP, CLIP_SECONDS);
    try {
      const { entries, msg } = await succeed(
        harness,
        {},
        { emulator, credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY, sessionToken: 'sts-token_for-links' } },
      );
      assert.equal(entries.length, 4);
      for (const entry of entries) {
        assert.equal(new URL(entry.url!).searchParams.get('x-cos-security-token'), 'sts-token_for-links');
        const res = await fetch(entry.url!);
        assert.equal(res.status, 200, await res.clone().text());
        assert.ok(Buffer.from(await res.arrayBuffer()).equals(onDisk(emulator, entry.key!)));
      }
      assert.ok(!JSON.stringify(msg).includes(SECRET_KEY));
    } finally {
      await emulator.close();
    }
  });
});

describe('msg.ci.outputs of a job that writes no files (MediaInfo)', () => {
  const harness = mediaInfoHarness().install();

  it('is an empty list', async () => {
    const { port, msg } = await harness.run({ wait: 'result', timeout: 30, attachImages: true }, { payload: CLIP });
    assert.equal(port, 'ok');
    assert.deepEqual(msg.ci.outputs, []);
  });
});

describe('output settings of a job node (outputSettings)', () => {
  it('takes the defaults for a node saved before the settings existed, and for unusable values', () => {
    const defaults = { linkValidity: 3600, attachImages: false, attachMaxBytes: 5 * 1048576 };
    assert.deepEqual(outputSettings({}), defaults);
    assert.deepEqual(outputSettings({ linkValidity: '', attachImages: undefined, attachLimit: '' }), defaults);
    assert.deepEqual(outputSettings({ linkValidity: '0', attachLimit: '-1' }), defaults);
    assert.deepEqual(outputSettings({ linkValidity: 'soon', attachLimit: 'lots' }), defaults);
  });

  it('reads numbers given as text or numbers', () => {
    assert.deepEqual(outputSettings({ linkValidity: '90.7', attachImages: true, attachLimit: '0.5' }), {
      linkValidity: 90,
      attachImages: true,
      attachMaxBytes: 524288,
    });
    assert.deepEqual(outputSettings({ linkValidity: 60, attachImages: 'true', attachLimit: 0 }), { linkValidity: 60, attachImages: true, attachMaxBytes: 0 });
  });
});
