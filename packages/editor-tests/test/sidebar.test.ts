/**
 * The "Tencent CI" sidebar tab (the config package's plugin tencent-ci-sidebar), used as a
 * user would in a real editor against real Node-RED and the emulator: opened from the sidebar's
 * tab menu, it lists a Snapshot job while its node waits and after it ends, with thumbnails of
 * the frames and the sprite sheet that are real images; a row opens the JobsDetail in
 * Node-RED's JSON viewer, copies the JobId and reveals its node; a queued job is cancelled
 * with its button and a confirmation; and in zh-CN the tab reads in Chinese.
 *
 * The test adds one tab of its own through the admin API (POST /flow) and removes it after.
 */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { CiClient } from '@node-red-tencent-ci/core';
import { addFlow, DEMO_CONFIG_ID, DEMO_CREDENTIALS, inject, removeFlow } from '@node-red-tencent-ci/demo';
import { editorEnv, localeMessages, RAW_KEY, screenshotPath, type EditorPage, type RedGlobal } from './helpers/editor';
import { injectNode } from './helpers/flow-nodes';
import { editorForSuite } from './helpers/suite-editor';

/** The test tab's id (Node-RED gives a flow added with POST /flow an id of its own). */
let TAB = '';
/** A VideoTag job on this object stays queued for 10 minutes in the demo (its script's QueuedSeconds). */
const QUEUED = 'input/queued.mp4';
const FRAMES_NODE = 'sidebar frames';
const QUEUED_NODE = 'sidebar queued tag';
const sidebarText = (lang: 'en-US' | 'zh-CN') => (localeMessages('config', 'tencent-ci-sidebar', lang) as { sidebar: Record<string, any> }).sidebar;

function sidebarFlow() {
  return {
    label: 'Sidebar (test)',
    nodes: [
      injectNode('tci-sb-in-frames', 'input/demo.mp4', 'tci-sb-frames', 60),
      {
        id: 'tci-sb-frames',
        type: 'tencent-ci-snapshot',
        name: FRAMES_NODE,
        config: DEMO_CONFIG_ID,
        input: 'payload',
        inputType: 'msg',
        wait: 'result',
        timeout: 120,
        // Eight frames and a sprite sheet of them: a few seconds of ffmpeg, so the job is seen in flight.
        Snapshot_Mode: 'Average',
        Snapshot_Count: '8',
        Snapshot_Width: '320',
        Snapshot_SnapshotOutMode: 'SnapshotAndSprite',
        Snapshot_SpriteSnapshotConfig_Columns: '4',
        Snapshot_SpriteSnapshotConfig_Lines: '2',
        Snapshot_SpriteSnapshotConfig_Color: 'Black',
        Output_Object: 'sidebar-test/${jobid}/${number}.jpg',
        Output_SpriteObject: 'sidebar-test/${jobid}/sprite-${number}.jpg',
        x: 380,
        y: 60,
        wires: [[], []],
      },
      injectNode('tci-sb-in-queued', QUEUED, 'tci-sb-queued', 140),
      {
        id: 'tci-sb-queued',
        type: 'tencent-ci-video-tag',
        name: QUEUED_NODE,
        config: DEMO_CONFIG_ID,
        input: 'payload',
        inputType: 'msg',
        wait: 'result',
        timeout: 0,
        VideoTag_Scenario: 'Stream',
        x: 380,
        y: 140,
        wires: [[], []],
      },
    ],
  };
}

/** Opens the tab the way a user does when its icon does not fit: the sidebar's tab menu, then its name. */
async function showJobsSidebar(page: Page, lang: 'en-US' | 'zh-CN'): Promise<Locator> {
  await page.locator('#red-ui-sidebar .red-ui-tab-link-button-menu').click();
  await page.locator('a[id="red-ui-tabs-menu-option-tencent-ci"]', { hasText: sidebarText(lang).name }).click();
  await page.locator('#red-ui-tab-tencent-ci.active').waitFor();
  const tab = page.locator('.tci-jobs');
  await tab.locator('.tci-jobs-config').first().waitFor();
  return tab;
}

/** The row of the job a node waits (or waited) for, found by the node's name in the row. */
function rowOf(page: Page, nodeName: string): Locator {
  return page.locator('.tci-job', { has: page.locator('.tci-job-node', { hasText: nodeName }) }).first();
}

async function sidebarBox(page: Page) {
  return (await page.locator('#red-ui-sidebar').boundingBox())!;
}

describe('the Tencent CI sidebar', () => {
  let client: CiClient;

  before(async () => {
    const { demo, url } = editorEnv();
    client = new CiClient({ ...DEMO_CREDENTIALS, bucket: demo.emulator.bucket, region: demo.emulator.region, endpoint: demo.emulator.url });
    TAB = await addFlow(url, sidebarFlow());
  });
  after(async () => {
    await removeFlow(editorEnv().url, TAB).catch(() => undefined);
    await client.close();
  });

  describe('in en-US', () => {
    let editor: EditorPage;
    editorForSuite((e) => (editor = e));
    const text = sidebarText('en-US');

    it('lists a Snapshot job while its node waits, then as succeeded with thumbnails of its frames and sprite sheet that are real images', async () => {
      const { page } = editor;
      await page.evaluate((tab) => (window as unknown as { RED: RedGlobal }).RED.workspaces.show(tab), TAB);
      const sidebar = await showJobsSidebar(page, 'en-US');
      assert.equal(((await page.locator('#red-ui-tab-tencent-ci .red-ui-tab-label').textContent()) ?? '').trim(), text.label);
      await inject(editorEnv().url, 'tci-sb-in-frames');

      const row = rowOf(page, FRAMES_NODE);
      // In flight: the row arrives through comms (no reload, no polling by the editor).
      await row.and(page.locator('.tci-job-in-flight')).waitFor({ timeout: 10_000 });
      assert.equal(await row.locator('.tci-job-tag').textContent(), 'Snapshot');
      assert.ok(await row.locator('.tci-job-cancel').isVisible(), 'a job in flight can be cancelled');
      const inFlightState = ((await row.locator('.tci-job-state-text').textContent()) ?? '').trim();
      assert.ok([text.state.waiting, text.state.Submitted, text.state.Running].includes(inFlightState), inFlightState);
      await page.screenshot({ path: screenshotPath('sidebar-in-flight.png'), clip: await sidebarBox(page) });

      await row.and(page.locator('[data-state="Success"]')).waitFor({ timeout: 60_000 });
      assert.equal(((await row.locator('.tci-job-state-text').textContent()) ?? '').trim(), text.state.Success);
      assert.equal(await row.locator('.tci-job-cancel').count(), 0, 'no cancel button once it ended');
      const frames = row.locator('.tci-thumbs-frames img.tci-thumb');
      const sprites = row.locator('.tci-thumbs-sprites img.tci-thumb');
      assert.equal(await frames.count(), 4, 'the first four of the eight frames');
      assert.equal(await sprites.count(), 1, 'the sprite sheet');
      assert.equal(((await row.locator('.tci-thumbs-frames .tci-thumbs-more').textContent()) ?? '').trim(), '+4');
      // Every thumbnail is a decoded image, fetched through the runtime with the config node's credentials.
      await page.waitForFunction(
        (name) => {
          const rows = Array.from(document.querySelectorAll('.tci-job')).filter((r) => r.textContent!.includes(name));
          const imgs = rows.length ? Array.from(rows[0]!.querySelectorAll('img.tci-thumb')) : [];
          return imgs.length === 5 && imgs.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0);
        },
        FRAMES_NODE,
        { timeout: 15_000 },
      );
      const sizes = await row
        .locator('img.tci-thumb')
        .evaluateAll((imgs) => imgs.map((i) => [(i as HTMLImageElement).naturalWidth, (i as HTMLImageElement).naturalHeight]));
      for (const [w, h] of sizes.slice(0, 4)) assert.ok(w === 320 && h! > 0, `a frame is ${w}x${h}`);
      assert.ok(sizes[4]![0]! >= 4 * 320, `the sprite sheet holds four frames a row (${sizes[4]![0]} px wide)`);
      const keys = await row.locator('img.tci-thumb').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('data-key')));
      assert.ok(
        keys.every((k) => k!.startsWith('sidebar-test/')),
        `${keys}`,
      );
      assert.ok(!(await sidebar.innerHTML()).includes(DEMO_CREDENTIALS.secretKey), 'no secret reaches the editor');
      await page.screenshot({ path: screenshotPath('sidebar-en-US.png') });
    });

    it('opens the JobsDetail in Node-RED’s JSON viewer, copies the JobId and reveals the node', async () => {
      const { page } = editor;
      const row = rowOf(page, FRAMES_NODE);
      const jobId = (await row.getAttribute('data-job-id'))!;
      await row.locator('.tci-job-head').click();
      const viewer = row.locator('.tci-job-detail > .red-ui-debug-msg-element');
      await viewer.waitFor();
      const shown = (await viewer.textContent()) ?? '';
      assert.ok(shown.includes('JobsDetail') && shown.includes(jobId) && shown.includes('MediaResult'), shown.slice(0, 300));
      await page.screenshot({ path: screenshotPath('sidebar-detail.png'), clip: await sidebarBox(page) });

      await row.locator('.tci-job-copy').click();
      await page.locator('.red-ui-popover', { hasText: text.copied }).waitFor();

      // From another tab, the node link switches to the node's tab and shows the node.
      await page.evaluate(() => {
        const R = (window as unknown as { RED: RedGlobal }).RED;
        let other = '';
        R.nodes.eachNode((n) => {
          if (!other && n.z !== R.workspaces.active()) other = n.z;
        });
        R.workspaces.show(other);
      });
      assert.notEqual(await page.evaluate(() => (window as unknown as { RED: RedGlobal }).RED.workspaces.active()), TAB);
      await row.locator('.tci-job-reveal').click();
      await page.waitForFunction((tab) => (window as unknown as { RED: RedGlobal }).RED.workspaces.active() === tab, TAB);
      await page.locator('g.red-ui-flow-node-group[id="tci-sb-frames"]').waitFor({ state: 'visible' });
    });

    it('cancels a queued job with its button after a confirmation: the row and the node’s status say cancelled', async () => {
      const { page } = editor;
      await inject(editorEnv().url, 'tci-sb-in-queued');
      const row = rowOf(page, QUEUED_NODE);
      await row.and(page.locator('[data-state="Submitted"]')).waitFor({ timeout: 15_000 });
      assert.equal(((await row.locator('.tci-job-state-text').textContent()) ?? '').trim(), text.state.Submitted);
      const jobId = (await row.getAttribute('data-job-id'))!;
      assert.equal((await client.describe([jobId])).JobsDetail[0]!.State, 'Submitted');

      await row.locator('.tci-job-cancel').click();
      const dialog = page.locator('.red-ui-notification', { hasText: jobId });
      await dialog.waitFor();
      await page.screenshot({ path: screenshotPath('sidebar-cancel-confirm.png') });
      await dialog.locator('button', { hasText: text.cancelJob }).click();

      await row.and(page.locator('[data-state="Cancel"]')).waitFor({ timeout: 15_000 });
      assert.equal(((await row.locator('.tci-job-state-text').textContent()) ?? '').trim(), text.state.Cancel);
      assert.equal((await client.describe([jobId])).JobsDetail[0]!.State, 'Cancel');
      const status = page.locator('g.red-ui-flow-node-group[id="tci-sb-queued"] .red-ui-flow-node-status-label');
      await page.waitForFunction(
        () => /^cancelled /.test(document.querySelector('g.red-ui-flow-node-group[id="tci-sb-queued"] .red-ui-flow-node-status-label')?.textContent ?? ''),
        undefined,
        { timeout: 15_000 },
      );
      assert.match((await status.textContent()) ?? '', /^cancelled /);
      await page.screenshot({ path: screenshotPath('sidebar-cancelled.png') });
      assert.deepEqual(
        editor.errors.filter((e) => !/favicon/.test(e)),
        [],
      );
    });
  });

  describe('in zh-CN', () => {
    let editor: EditorPage;
    editorForSuite((e) => (editor = e), { locale: 'zh-CN' });
    const text = sidebarText('zh-CN');

    it('reads in Chinese: the tab, the states, the glance and the buttons', async () => {
      const { page } = editor;
      assert.equal(await page.evaluate(() => (window as unknown as { RED: RedGlobal }).RED.i18n.lang()), 'zh-CN');
      await page.evaluate((tab) => (window as unknown as { RED: RedGlobal }).RED.workspaces.show(tab), TAB);
      const sidebar = await showJobsSidebar(page, 'zh-CN');
      assert.equal(((await page.locator('#red-ui-tab-tencent-ci .red-ui-tab-label').textContent()) ?? '').trim(), '腾讯云数据万象');
      const frames = rowOf(page, FRAMES_NODE);
      await frames.waitFor();
      assert.equal(((await frames.locator('.tci-job-state-text').textContent()) ?? '').trim(), '成功');
      assert.match((await frames.locator('.tci-glance-counts').textContent()) ?? '', /^截图：8 张 · 雪碧图：1 张$/);
      assert.match((await frames.locator('.tci-job-elapsed').textContent()) ?? '', /^\d+ 秒$/);
      assert.equal(((await rowOf(page, QUEUED_NODE).locator('.tci-job-state-text').textContent()) ?? '').trim(), text.state.Cancel);
      assert.match((await sidebar.locator('.tci-jobs-summary').textContent()) ?? '', /^\d+ 个进行中 · \d+ 个已结束$/);
      // No text in the tab is an untranslated key.
      const texts = await sidebar.evaluate((el) => {
        const out: string[] = [];
        const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) if (walk.currentNode.textContent!.trim()) out.push(walk.currentNode.textContent!.trim());
        return out;
      });
      assert.deepEqual(
        texts.filter((t) => RAW_KEY.test(t) && t.startsWith('sidebar.')),
        [],
      );
      await page.waitForFunction(
        (name) => {
          const rows = Array.from(document.querySelectorAll('.tci-job')).filter((r) => r.textContent!.includes(name));
          const imgs = rows.length ? Array.from(rows[0]!.querySelectorAll('img.tci-thumb')) : [];
          return imgs.length === 5 && imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0);
        },
        FRAMES_NODE,
        { timeout: 15_000 },
      );
      await frames.locator('.tci-job-copy').hover();
      await page.locator('.red-ui-popover', { hasText: text.copy }).waitFor();
      await page.screenshot({ path: screenshotPath('sidebar-zh-CN.png') });
      assert.deepEqual(
        editor.errors.filter((e) => !/favicon/.test(e)),
        [],
      );
    });
  });
});
