/**
 * What a user reads on the canvas and in the debug sidebar when jobs end: each end state's
 * status is a short sentence (Success, Failed with CI's code, Cancel, Timeout) with the job
 * id shortened; an error that no Catch node takes shows its message first; a job node
 * dropped from the palette picks the demo's only config node and waits for the result.
 *
 * The test adds one tab of its own through the admin API (POST /flow) and removes it after,
 * so the example tabs stay as the demo deployed them.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CiClient } from '@node-red-tencent-ci/core';
import { addFlow, DEMO_CONFIG_ID, DEMO_CREDENTIALS, inject, removeFlow } from '@node-red-tencent-ci/demo';
import { editorEnv, screenshotPath, showSidebarTab, type EditorPage, type RedGlobal } from './helpers/editor';
import { injectNode } from './helpers/flow-nodes';
import { editorForSuite } from './helpers/suite-editor';

/** The test tab's id: Node-RED gives a flow added with POST /flow an id of its own. */
let TAB = '';
const NOT_A_VIDEO = 'input/not-a-video.mp4';
/** A VideoTag job on this object stays queued for 10 minutes in the demo (its script's QueuedSeconds). */
const QUEUED = 'input/queued.mp4';

/** A tab without a Catch node: a job node per end state, and a wait node for the cancelled job. */
function statusFlow() {
  const job = (id: string, type: string, y: number, extra: Record<string, unknown> = {}) => ({
    id,
    type,
    name: id.replace('tci-st-', ''),
    config: DEMO_CONFIG_ID,
    input: 'payload',
    inputType: 'msg',
    wait: 'result',
    timeout: 60,
    x: 360,
    y,
    wires: [[], []],
    ...extra,
  });
  return {
    label: 'Statuses (test)',
    nodes: [
      injectNode('tci-in-ok', 'input/demo.mp4', 'tci-st-success', 60),
      job('tci-st-success', 'tencent-ci-media-info', 60),
      injectNode('tci-in-failed', NOT_A_VIDEO, 'tci-st-failed', 120),
      job('tci-st-failed', 'tencent-ci-media-info', 120),
      injectNode('tci-in-timeout', QUEUED, 'tci-st-timeout', 180),
      job('tci-st-timeout', 'tencent-ci-video-tag', 180, { timeout: 2, cancelOnTimeout: true, VideoTag_Scenario: 'Stream' }),
      injectNode('tci-in-missing', 'input/missing.mp4', 'tci-st-missing', 240),
      job('tci-st-missing', 'tencent-ci-media-info', 240),
      injectNode('tci-in-cancel', QUEUED, 'tci-st-submit', 300),
      job('tci-st-submit', 'tencent-ci-video-tag', 300, { wait: 'none', VideoTag_Scenario: 'Stream', wires: [['tci-st-wait']] }),
      { id: 'tci-st-wait', type: 'tencent-ci-wait', name: 'cancelled', config: DEMO_CONFIG_ID, timeout: 60, x: 600, y: 300, wires: [[], []] },
    ],
  };
}

describe('statuses and errors as a user reads them', () => {
  let editor: EditorPage;
  let client: CiClient;

  before(async () => {
    const { demo } = editorEnv();
    // An object that exists but is no video: its MediaInfo job runs and fails.
    const file = join(demo.emulator.root, demo.emulator.bucket, NOT_A_VIDEO);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, 'this is not a video\n');
    client = new CiClient({ ...DEMO_CREDENTIALS, bucket: demo.emulator.bucket, region: demo.emulator.region, endpoint: demo.emulator.url });
    TAB = await addFlow(editorEnv().url, statusFlow());
  });
  after(async () => {
    await removeFlow(editorEnv().url, TAB).catch(() => undefined);
    await client.close();
  });
  editorForSuite((e) => (editor = e));

  /** The status text under a node on the canvas. */
  async function statusText(id: string): Promise<string> {
    return (await editor.page.locator(`g.red-ui-flow-node-group[id="${id}"] .red-ui-flow-node-status-label`).textContent()) ?? '';
  }

  async function waitForStatus(id: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      text = await statusText(id);
      if (pattern.test(text)) return text;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the status of ${id} is ${JSON.stringify(text)}, not ${pattern}`);
  }

  it('reads "succeeded", "failed: <code>", "timed out" and "cancelled", each at most 22 characters before a shortened job id', async () => {
    const { page } = editor;
    await page.evaluate((tab) => (window as unknown as { RED: RedGlobal }).RED.workspaces.show(tab), TAB);
    const base = editorEnv().url;
    for (const id of ['tci-in-ok', 'tci-in-failed', 'tci-in-timeout']) await inject(base, id);
    // The cancelled job: submitted by a node that does not wait, waited for by the wait node, then cancelled while queued.
    // The timeout node's job is on the same queued object: it must be submitted (and so known) before the new one is looked for.
    await waitForStatus('tci-st-timeout', /^(waiting|timed out) /);
    const known = new Set((await queuedJobs()).map((d) => d.JobId));
    await inject(base, 'tci-in-cancel');
    const jobId = await newQueuedJob(known);
    await waitForStatus('tci-st-wait', /^waiting/);
    await client.cancel(jobId);

    const shortId = /[0-9a-z]{4}…[0-9a-z]{4}$/;
    const success = await waitForStatus('tci-st-success', /^succeeded /);
    const failed = await waitForStatus('tci-st-failed', /^failed: \S+ /);
    const timedOut = await waitForStatus('tci-st-timeout', /^timed out /);
    const cancelled = await waitForStatus('tci-st-wait', /^cancelled /);
    for (const text of [success, failed, timedOut, cancelled]) {
      assert.match(text, shortId, `${JSON.stringify(text)} ends with a shortened job id`);
      const words = text.replace(shortId, '').trim();
      assert.ok(words.length <= 22, `${JSON.stringify(words)} is short`);
    }
    assert.ok(!/Success/.test(cancelled), 'a cancelled job does not read as "failed: Cancel Success"');
    await page.screenshot({ path: screenshotPath('statuses.png') });
  });

  it('shows an error that no Catch node takes with its message first, naming the job and the object', async () => {
    const { page } = editor;
    await showSidebarTab(page, 'debug');
    await inject(editorEnv().url, 'tci-in-missing');
    const message = page.locator('.red-ui-debug-msg.red-ui-debug-msg-level-20', { hasText: 'input/missing.mp4' }).first();
    await message.waitFor();
    const text = ((await message.locator('.red-ui-debug-msg-payload').textContent()) ?? '').trim();
    assert.match(text, /^"?Submitting the MediaInfo job for input\/missing\.mp4: CI error ResourceNotFound/);
    assert.ok(!text.startsWith('CiError'), text);
    await message.screenshot({ path: screenshotPath('uncaught-error.png') });
    await page.screenshot({ path: screenshotPath('uncaught-error-sidebar.png') });
  });

  it('gives a job node dropped from the palette the only config node and Output "when the job ends", and a wait and a callback node the config node', async () => {
    const { page } = editor;
    await page.evaluate((tab) => (window as unknown as { RED: RedGlobal }).RED.workspaces.show(tab), TAB);
    const dropped: Record<string, unknown> = {};
    for (const [i, type] of ['tencent-ci-snapshot', 'tencent-ci-wait', 'tencent-ci-callback-in'].entries()) {
      const entry = page.locator(`#red-ui-palette-container .red-ui-palette-node[data-palette-type="${type}"]`);
      await entry.scrollIntoViewIfNeeded();
      await entry.dragTo(page.locator('#red-ui-workspace-chart'), { targetPosition: { x: 600, y: 420 + 60 * i } });
      dropped[type] = await page.evaluate(
        ({ tab, type }) => {
          const R = (window as unknown as { RED: RedGlobal }).RED;
          let hit: Record<string, unknown> | undefined;
          R.nodes.eachNode((n) => {
            if (n.type === type && n.z === tab) hit = n as unknown as Record<string, unknown>;
          });
          return (
            hit &&
            (type === 'tencent-ci-snapshot'
              ? { config: hit.config, wait: hit.wait, outputs: hit.outputs, Output_Object: hit.Output_Object }
              : { config: hit.config })
          );
        },
        { tab: TAB, type },
      );
    }
    assert.deepEqual(dropped, {
      'tencent-ci-snapshot': { config: DEMO_CONFIG_ID, wait: 'result', outputs: 2, Output_Object: 'snapshot/${jobid}/${number}.${ext}' },
      'tencent-ci-wait': { config: DEMO_CONFIG_ID },
      'tencent-ci-callback-in': { config: DEMO_CONFIG_ID },
    });
  });

  /** VideoTag jobs on the queued object that are still waiting in the queue. */
  async function queuedJobs() {
    return (await client.list({ tag: 'VideoTag', inputObject: QUEUED, states: 'Submitted', size: 100 })).JobsDetail;
  }

  /** The job the submit-only node made: the one queued job not in `known`. */
  async function newQueuedJob(known: Set<string>): Promise<string> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const fresh = (await queuedJobs()).filter((d) => !known.has(d.JobId));
      if (fresh.length === 1) return fresh[0]!.JobId;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the submit-only video tag node made no queued job');
  }
});
