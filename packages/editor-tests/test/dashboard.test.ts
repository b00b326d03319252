/**
 * The "Media dashboard" example (examples/Media dashboard.json), used as a user would: the
 * demo deploys it, Dashboard 2.0 serves it at /dashboard/media, and in Chromium the clip list
 * is filled from the emulator's bucket (the list objects node), a clip is picked and "Run
 * pipeline" runs MediaInfo → Snapshot → QualityEstimate → VideoTag. The page then shows the
 * frames and the sprite sheet as loaded images (through the job nodes' signed links), the
 * score on the gauge, the vqaPlus findings as points on the chart, the tags in a table, and
 * each job with its final state (from the job nodes' statuses) in the jobs table.
 */
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_SCRIPT } from '@node-red-tencent-ci/demo';
import { editorEnv, screenshotPath } from './helpers/editor';

const JOBS = ['MediaInfo', 'Snapshot', 'QualityEstimate', 'VideoTag'];
/** What the Snapshot node of the example asks for: 6 frames and one 3x2 sprite sheet. */
const FRAMES = 6;
/** A run of the four jobs on a 10 s clip takes about 8 s against the emulator. */
const RUN_TIMEOUT_MS = 90_000;

/** The widget of a group, by the group's title (the page's groups are titled "English · 中文"). */
const group = (page: Page, title: string) => page.locator('.nrdb-ui-group', { has: page.locator(`text=${title}`) });

/** The rows of the jobs table as its cells' texts. */
async function jobRows(page: Page): Promise<string[][]> {
  return group(page, 'Jobs · 任务')
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => (td.textContent ?? '').trim())));
}

/** Picks `clip` in the clip list (a Vuetify select filled by the list objects node) and presses Run pipeline. */
async function runPipeline(page: Page, clip: string): Promise<number> {
  await group(page, 'Clip · 视频').locator('.v-select').click();
  await page.locator('.v-overlay .v-list-item', { hasText: clip }).click();
  await page.locator('.v-overlay .v-list-item').first().waitFor({ state: 'hidden' });
  const before = new Set((await jobRows(page)).map((r) => r[0]));
  await page.locator('button', { hasText: 'Run pipeline' }).click();
  // The notice says which run started: "Run 2: input/demo.mp4".
  const notice = group(page, 'Clip · 视频').locator('text=/Run \\d+: /');
  await notice.waitFor();
  const run = Number(/Run (\d+):/.exec(await notice.innerText())![1]);
  assert.ok(!before.has(String(run)), `run ${run} is new`);
  return run;
}

/** Waits until the jobs table shows the four jobs of `run`, each ended; returns their rows by job. */
async function endedJobs(page: Page, run: number): Promise<Record<string, string[]>> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  for (;;) {
    const rows = (await jobRows(page)).filter((r) => r[0] === String(run));
    const byJob = Object.fromEntries(rows.map((r) => [r[1]!, r]));
    // The state is the job node's status without the job id: "succeeded", "failed: <code>", "timed out", "cancelled".
    if (JOBS.every((job) => byJob[job] && /^(succeeded|failed|timed out|cancelled)/.test(byJob[job]![3]!))) return byJob;
    if (Date.now() > deadline) assert.fail(`the jobs table did not show the four jobs of run ${run} ended: ${JSON.stringify(rows)}`);
    await page.waitForTimeout(250);
  }
}

/** The gallery's images, once each has loaded or failed: their alt (the object key) and natural width. */
async function galleryImages(page: Page): Promise<Array<{ key: string; width: number }>> {
  const images = page.locator('.tci-gallery img');
  await images.first().waitFor();
  await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLImageElement>('.tci-gallery img')).every((img) => img.complete));
  return images.evaluateAll((els) => (els as HTMLImageElement[]).map((img) => ({ key: img.alt, width: img.naturalWidth })));
}

/** The number on the score gauge (its value, not the 0 and 10 of its scale). */
async function gaugeScore(page: Page): Promise<number> {
  const text = await group(page, 'Quality · 质量').locator('.nrdb-ui-gauge-value span').innerText();
  assert.match(text, /^\d+(\.\d)?$/, 'the gauge shows the score to one decimal');
  return Number(text);
}

/**
 * Coloured (saturated) pixels of the findings chart's plot, below its legend: the points of
 * the series (axes, grid and labels are grey, and the legend's swatches are left out).
 */
async function plottedPixels(page: Page): Promise<number> {
  return group(page, 'Quality · 质量')
    .locator('.nrdb-ui-chart canvas')
    .first()
    .evaluate((canvas: HTMLCanvasElement) => {
      const { width, height } = canvas;
      const data = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
      const perRow: number[] = [];
      for (let y = 0; y < height; y++) {
        let n = 0;
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 4;
          const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
          if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 100) n++;
        }
        perRow.push(n);
      }
      // The legend: the first band of coloured rows, in the top quarter; the plot starts after it.
      let y = 0;
      while (y < height / 4 && perRow[y] === 0) y++;
      if (y < height / 4) while (y < height && perRow[y]! > 0) y++;
      else y = 0;
      return perRow.slice(y).reduce((a, b) => a + b, 0);
    });
}

describe('Media dashboard (Dashboard 2.0 example)', function () {
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    const { browser, url } = editorEnv();
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 1000 } });
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
    page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
    });
    await page.goto(`${url}/dashboard/media`);
  });
  after(async () => {
    await context?.close();
  });

  it('lists the videos of the bucket in the clip list', async () => {
    await group(page, 'Clip · 视频').locator('.v-select').click();
    const items = page.locator('.v-overlay .v-list-item');
    await items.filter({ hasText: 'input/demo.mp4' }).waitFor();
    const texts = (await items.allInnerTexts()).map((t) => t.trim());
    for (const clip of ['input/demo.mp4', 'input/degraded.mp4']) {
      assert.ok(
        texts.some((t) => t.startsWith(`${clip} (`)),
        `${clip} with its size in ${JSON.stringify(texts)}`,
      );
    }
    await page.keyboard.press('Escape');
  });

  it('runs the pipeline on the degraded clip: loaded frames and sprite, a low score, findings on the chart, four jobs ended', async function () {
    this.timeout(RUN_TIMEOUT_MS + 60_000);
    const run = await runPipeline(page, 'input/degraded.mp4');
    const jobs = await endedJobs(page, run);
    for (const job of JOBS) {
      const [, , clip, state, jobId, seconds] = jobs[job]!;
      assert.equal(state, 'succeeded', `${job}: ${JSON.stringify(jobs[job])}`);
      assert.equal(clip, 'input/degraded.mp4');
      assert.match(jobId!, /^j[0-9a-f]{3}…[0-9a-f]{4}$/, `${job} shows its JobId, shortened as in its node status`);
      assert.ok(Number(seconds) > 0, `${job} took ${seconds} s`);
    }

    const images = await galleryImages(page);
    assert.equal(images.length, FRAMES + 1, `${FRAMES} frames and one sprite sheet: ${JSON.stringify(images)}`);
    assert.deepEqual(
      images.filter((img) => img.width === 0),
      [],
      'images that did not load',
    );
    assert.ok(
      images.some((img) => /sprite-0\.jpg$/.test(img.key)),
      'the sprite sheet is in the gallery',
    );

    const score = await gaugeScore(page);
    assert.ok(score > 0 && score < 6, `the degraded clip scores poorly: ${score}`);

    // Chart.js draws on an animation frame: poll for the points.
    let plotted = 0;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline && plotted === 0;) {
      plotted = await plottedPixels(page);
      if (plotted === 0) await page.waitForTimeout(200);
    }
    assert.ok(plotted > 20, `the chart plots the vqaPlus findings (${plotted} coloured pixels in its plot)`);

    await page.screenshot({ path: screenshotPath('dashboard-degraded.png'), fullPage: true });
  });

  it('runs it again on the clean clip: the tags the service found, most confident first, and an empty chart', async function () {
    this.timeout(RUN_TIMEOUT_MS + 60_000);
    const run = await runPipeline(page, 'input/demo.mp4');
    const jobs = await endedJobs(page, run);
    for (const job of JOBS) assert.equal(jobs[job]![3], 'succeeded', `${job}: ${JSON.stringify(jobs[job])}`);

    const expected = [...DEMO_SCRIPT.VideoTagResult.StreamData.Data.Tags].sort((a, b) => Number(b.Confidence) - Number(a.Confidence)).map((t) => t.Tag);
    const tags = group(page, 'Tags · 标签').locator('tbody tr');
    let shown: string[] = [];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await page.waitForTimeout(200)) {
      shown = await tags.evaluateAll((rows) => rows.map((r) => (r.querySelector('td')?.textContent ?? '').trim()));
      if (shown.length === expected.length) break;
    }
    assert.deepEqual(shown, expected);

    assert.ok((await gaugeScore(page)) >= 6, 'the clean clip scores well');
    assert.equal(await plottedPixels(page), 0, 'no findings on the clean clip');
    // Both runs are in the jobs table, newest first.
    const runs = (await jobRows(page)).map((r) => Number(r[0]));
    assert.deepEqual(runs.slice(0, 8), [run, run, run, run, run - 1, run - 1, run - 1, run - 1]);

    await page.screenshot({ path: screenshotPath('dashboard-clean.png'), fullPage: true });
    // Dashboard 2.0's gauge sizes its needle mask from its box, which is 0 while the page lays out: a console error of its own.
    const gaugeLayout = /<rect> attribute (width|height): A negative value is not valid/;
    assert.deepEqual(
      errors.filter((e) => !gaugeLayout.test(e)),
      [],
      'console errors on the dashboard page',
    );
  });
});
