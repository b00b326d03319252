/**
 * The demo's example tabs as a new user meets them, after the demo's Node-RED restarts (so
 * the flows are the ones kept in flows.json): the editor opens on the first example with the
 * Debug sidebar, each flow is seen whole in a 1280-px editor, and clicking each inject node's
 * button shows its results in the debug sidebar, on its own tab's debug nodes only. A
 * screenshot of the debug sidebar afterwards goes to test-output/editor/.
 */
import assert from 'node:assert/strict';
import { rmSync, statSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { JOB_TAGS } from '@node-red-tencent-ci/core';
import { DEMO_SCRIPT } from '@node-red-tencent-ci/demo';
import { editorEnv, openEditor, screenshotPath, type EditorPage } from './helpers/editor';

const VIEWPORT = { width: 1280, height: 800 };
/** How long after the expected messages a stray one (from another tab, or a second result) would have arrived. */
const SETTLE_MS = 1500;

/** One debug message as the editor receives it (comms topic "debug"), and where its source node is. */
interface Shown {
  /** The debug node's id, name and tab label. */
  id: string;
  name: string;
  tab: string;
  /** The value shown, as Node-RED sends it to the sidebar (JSON for objects, the string itself for strings; at most debugMaxLength characters). */
  text: string;
  format: string;
}

/** What one click of an inject node must show: each debug node once, and what its message says. */
interface Click {
  inject: string;
  shows: Record<string, (text: string) => boolean>;
  timeoutMs?: number;
}

const success = (text: string) => /"State":"Success"/.test(text);
/** The tags the demo scripts for input/demo.mp4, each named in the message. */
const hasTags = (text: string) => DEMO_SCRIPT.VideoTagResult.StreamData.Data.Tags.every((t) => text.includes(JSON.stringify(t.Tag)));
const score = (text: string) => Number((JSON.parse(text) as { Score: string }).Score);

/** The Media dashboard example's tab: run from its Dashboard 2.0 page (dashboard.test.ts), not from inject buttons. */
const DASHBOARD_TAB = 'Media dashboard';

/** Every example tab with inject nodes, by label: the clicks and what each must show (success, or the error / timeout it is meant to show). */
const EXPECTED: Record<string, Click[]> = {
  ...Object.fromEntries(JOB_TAGS.map((tag) => [`${tag} with wait for result`, [{ inject: 'input/demo.mp4', shows: { [`${tag}: result`]: success } }]])),
  'Video pipeline': [
    {
      inject: 'input/demo.mp4',
      shows: {
        'pipeline: duration': (t) => Math.abs(Number(t) - 10) < 0.2,
        'pipeline: snapshot files': (t) => /"ObjectName":\[/.test(t) && /"SpriteOutputFile"/.test(t),
        'pipeline: good quality': (t) => score(t) >= 6,
      },
    },
    {
      inject: 'input/degraded.mp4',
      shows: {
        'pipeline: duration': (t) => Number(t) > 0,
        'pipeline: snapshot files': (t) => /"ObjectName":\[/.test(t),
        'pipeline: poor quality': (t) => score(t) < 6,
      },
    },
  ],
  'Submit, then wait': [
    { inject: 'input/demo.mp4', shows: { 'submit then wait: submitted': (t) => /^j[0-9a-f]{32}$/.test(t), 'submit then wait: tags': hasTags } },
  ],
  'Wait for a job': [{ inject: 'msg.jobId', shows: { 'wait: success': (t) => success(t) && /"Tag":"MediaInfo"/.test(t) } }],
  'Job callbacks': [{ inject: 'input/demo.mp4', shows: { 'callbacks: result (job node)': hasTags, 'callbacks: callback success': success } }],
  'Errors and Catch': [
    { inject: 'input/missing.mp4', shows: { 'errors: object not found': (t) => t.includes('input/missing.mp4') } },
    { inject: 'input/demo.mp4', shows: { 'errors: succeeded': (t) => t === 'Success' } },
    { inject: 'Snapshot Count 0', shows: { 'errors: bad parameters': (t) => /Operation\.Snapshot\.Count is 0/.test(t) } },
  ],
  'One frame at once': [
    {
      inject: 'input/demo.mp4',
      shows: { 'frame: what was taken': (t) => /"instant":true/.test(t) && /"time":2\b/.test(t) && /"width":320/.test(t) && /"format":"jpg"/.test(t) },
    },
  ],
  'List videos in the bucket': [
    {
      inject: 'list input/',
      shows: { 'List videos in the bucket: videos': (t) => t.includes('"key":"input/demo.mp4"') && t.includes('"key":"input/degraded.mp4"') },
    },
  ],
  'Cancel on timeout': [
    {
      inject: 'input/queued.mp4',
      shows: { 'cancel: timed out': (t) => /"timedOut":true/.test(t), 'cancel: job state (Cancel)': (t) => t === 'Cancel' },
      timeoutMs: 30_000,
    },
  ],
};

interface EditorRed {
  nodes: {
    getWorkspaceOrder(): string[];
    workspace(id: string): { id: string; label: string } | null;
    node(id: string): { id: string; type: string; z?: string; name?: string } | null;
    eachNode(cb: (n: { id: string; type: string; z: string; name?: string }) => void): void;
  };
  workspaces: { active(): string };
  comms: { subscribe(topic: string, cb: (topic: string, msg: { id: string; msg: unknown; format?: string }) => void): void };
}
type Win = { RED: EditorRed; $: (el: unknown) => { data(key: string): unknown }; __debugMessages: Array<{ id: string; text: string; format: string }> };

/** Starts recording every debug message the editor receives, in order. */
async function recordDebugMessages(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as Win;
    w.__debugMessages = [];
    w.RED.comms.subscribe('debug', (_topic, m) => {
      w.__debugMessages.push({ id: m.id, text: typeof m.msg === 'string' ? m.msg : JSON.stringify(m.msg), format: m.format ?? '' });
    });
  });
}

/** The messages the debug sidebar shows (its DOM, each with its source node), and the recorded ones, from index `from`. */
async function debugState(page: Page, from = { sidebar: 0, received: 0 }): Promise<{ sidebar: Array<Pick<Shown, 'id' | 'name' | 'tab'>>; received: Shown[] }> {
  // No named functions inside evaluate: tsx would wrap them in a helper the page does not have.
  return page.evaluate((f) => {
    const w = window as unknown as Win;
    const sources = Array.from(document.querySelectorAll('#red-ui-sidebar-content .red-ui-debug-msg')).map((el) => ({
      id: String(w.$(el).data('source')),
      text: '',
      format: '',
    }));
    const [sidebar, received] = [sources, w.__debugMessages].map((list) =>
      list.map((m) => {
        const node = w.RED.nodes.node(m.id);
        return { id: m.id, name: node?.name ?? '', tab: (node?.z && w.RED.nodes.workspace(node.z)?.label) || '', text: m.text, format: m.format };
      }),
    );
    return { sidebar: sidebar!.slice(f.sidebar), received: received!.slice(f.received) };
  }, from);
}

/** The browser's double-click interval and then some: a click sooner after the last one, nearby, would be a double click (which opens the flow's or node's edit tray). */
const AFTER_CLICK_MS = 600;

/** Shows a tab by clicking it in the workspace tab bar, as a user does. */
async function showTab(page: Page, id: string): Promise<void> {
  if ((await page.evaluate(() => (window as unknown as Win).RED.workspaces.active())) === id) return;
  const tab = page.locator(`#red-ui-workspace-tabs li#red-ui-tab-${id}`);
  await tab.scrollIntoViewIfNeeded();
  await tab.click();
  await page.waitForFunction((z) => (window as unknown as Win).RED.workspaces.active() === z, id);
  await page.waitForTimeout(AFTER_CLICK_MS);
}

/** The nodes of the active tab that the canvas does not show whole (their drawn box, with buttons and ports, against the visible chart). */
async function outsideCanvas(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const w = window as unknown as Win;
    const chart = document.getElementById('red-ui-workspace-chart')!;
    const c = chart.getBoundingClientRect();
    const z = w.RED.workspaces.active();
    const out: string[] = [];
    w.RED.nodes.eachNode((n) => {
      if (n.z !== z) return;
      const box = document.getElementById(n.id)?.getBoundingClientRect();
      if (!box) out.push(`${n.type} "${n.name ?? ''}": not drawn`);
      else if (box.left < c.left || box.top < c.top || box.right > c.left + chart.clientWidth || box.bottom > c.top + chart.clientHeight)
        out.push(
          `${n.type} "${n.name ?? ''}" at ${Math.round(box.left - c.left)}..${Math.round(box.right - c.left)} x ${Math.round(box.top - c.top)}..${Math.round(box.bottom - c.top)}`,
        );
    });
    return out;
  });
}

describe('example tabs: each shows its own results (after a restart of Node-RED)', function () {
  this.timeout(120_000);
  let editor: EditorPage;
  let tabs: Array<{ id: string; label: string }>;
  /** Debug messages per tab, over all clicks. */
  const perTab = new Map<string, number>();

  before(async () => {
    const { demo } = editorEnv();
    const pid = demo.nodeRed.pid;
    await demo.nodeRed.stop();
    await demo.restartNodeRed();
    assert.notEqual(demo.nodeRed.pid, pid, 'Node-RED restarted');
    assert.equal(demo.nodeRed.url, editorEnv().url);
    editor = await openEditor(VIEWPORT);
    tabs = await editor.page.evaluate(() => {
      const R = (window as unknown as Win).RED;
      return R.nodes.getWorkspaceOrder().map((id) => ({ id, label: R.nodes.workspace(id)!.label }));
    });
    await recordDebugMessages(editor.page);
  });
  after(async () => {
    await editor?.close();
  });

  it('opens on the first example tab, MediaInfo with wait for result, with the Debug sidebar shown', async () => {
    const { page } = editor;
    assert.equal(tabs[0]!.label, 'MediaInfo with wait for result');
    assert.equal(await page.evaluate(() => (window as unknown as Win).RED.workspaces.active()), tabs[0]!.id);
    await page.locator(`#red-ui-workspace-tabs li.active#red-ui-tab-${tabs[0]!.id}`).waitFor();
    assert.equal(await page.locator('#red-ui-sidebar-tabs li.active').getAttribute('id'), 'red-ui-tab-debug');
    await page.locator('#red-ui-sidebar-content .red-ui-debug-content').first().waitFor({ state: 'visible' });
    assert.ok(!(await page.locator('#red-ui-main-container').getAttribute('class'))?.includes('red-ui-sidebar-closed'), 'the sidebar is open');
    assert.deepEqual(editor.errors, []);
  });

  it('has an expectation for every tab with inject nodes, and shows each whole flow in a 1280-px editor with the palette and the sidebar', async () => {
    const { page } = editor;
    const withInjects = await page.evaluate(() => {
      const R = (window as unknown as Win).RED;
      const z = new Set<string>();
      R.nodes.eachNode((n) => {
        if (n.type === 'inject') z.add(n.z);
      });
      return [...z].map((id) => R.nodes.workspace(id)!.label);
    });
    // The Media dashboard's inject node fills its clip list on start: dashboard.test.ts uses that tab from its page.
    assert.deepEqual(withInjects.filter((label) => label !== DASHBOARD_TAB).sort(), Object.keys(EXPECTED).sort());
    assert.ok(withInjects.includes(DASHBOARD_TAB), `a tab "${DASHBOARD_TAB}"`);
    const cutOff: string[] = [];
    for (const tab of tabs) {
      await showTab(page, tab.id);
      cutOff.push(...(await outsideCanvas(page)).map((n) => `${tab.label}: ${n}`));
    }
    assert.deepEqual(cutOff, []);
  });

  for (const [label, clicks] of Object.entries(EXPECTED)) {
    it(`${label}: each inject node's results appear on this tab's debug nodes only`, async () => {
      const { page } = editor;
      const tab = tabs.find((t) => t.label === label);
      assert.ok(tab, `a tab "${label}"`);
      await showTab(page, tab.id);
      for (const click of clicks) {
        const before = await debugState(page);
        const from = { sidebar: before.sidebar.length, received: before.received.length };
        const injectId = await page.evaluate(
          ({ z, name }) => {
            let id: string | undefined;
            (window as unknown as Win).RED.nodes.eachNode((n) => {
              if (n.z === z && n.type === 'inject' && n.name === name) id = n.id;
            });
            return id;
          },
          { z: tab.id, name: click.inject },
        );
        assert.ok(injectId, `an inject node "${click.inject}" on ${label}`);
        await page.locator(`#red-ui-workspace-chart g.red-ui-flow-node-group[id="${injectId}"] .red-ui-flow-node-button`).click();

        const expected = Object.keys(click.shows).sort();
        const deadline = Date.now() + (click.timeoutMs ?? 20_000);
        let now = await debugState(page, from);
        while (!expected.every((name) => now.sidebar.some((m) => m.name === name))) {
          if (Date.now() > deadline) break;
          await page.waitForTimeout(100);
          now = await debugState(page, from);
        }
        await page.waitForTimeout(SETTLE_MS);
        now = await debugState(page, from);
        const what = `clicking "${click.inject}" on ${label}`;
        assert.deepEqual(
          now.sidebar.map((m) => `${m.tab} / ${m.name}`).sort(),
          expected.map((name) => `${label} / ${name}`),
          `${what}: the debug sidebar shows each expected message once, all from this tab`,
        );
        assert.equal(now.received.length, now.sidebar.length, `${what}: the sidebar shows every debug message the editor received`);
        for (const m of now.received) {
          assert.ok(click.shows[m.name]!(m.text), `${what}: "${m.name}" shows ${m.text.slice(0, 300)}`);
          perTab.set(m.tab, (perTab.get(m.tab) ?? 0) + 1);
        }
      }
      assert.deepEqual(editor.errors, []);
    });
  }

  it('showed nothing on the tabs without inject nodes (Receive job callbacks), and a screenshot of the debug sidebar', async () => {
    const { page } = editor;
    const all = await debugState(page);
    const counted = new Map<string, number>();
    for (const m of all.sidebar) counted.set(m.tab, (counted.get(m.tab) ?? 0) + 1);
    const expected = Object.fromEntries(
      Object.entries(EXPECTED).map(([label, clicks]) => [label, clicks.reduce((n, c) => n + Object.keys(c.shows).length, 0)]),
    );
    assert.deepEqual(Object.fromEntries(counted), expected, 'debug messages per tab');
    assert.deepEqual(Object.fromEntries(perTab), expected);
    assert.equal(counted.get('Receive job callbacks'), undefined);

    const file = screenshotPath('example-tabs-debug-sidebar.png');
    rmSync(file, { force: true });
    await page.locator('#red-ui-sidebar').screenshot({ path: file });
    assert.ok(statSync(file).size > 2000, `${file} is not empty`);
    const whole = screenshotPath('example-tabs-editor.png');
    rmSync(whole, { force: true });
    await page.screenshot({ path: whole });
    assert.deepEqual(editor.errors, []);
  });
});
