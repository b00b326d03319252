/**
 * Durable tracking end to end: 50 jobs on a job node in "when the job ends" mode and 50 on a
 * wait node, in a real Node-RED process, through a full, a flows and a nodes redeploy, and
 * through a SIGKILL with a restart while the jobs end: every result arrives exactly once,
 * each time. A deleted node's waits are dropped with a warning and nothing crashes.
 */
import { strict as assert } from 'node:assert';
import { FAN_OUT, startRig, until, type Rig } from './helpers/tracking-rig';
import type { FlowNode } from '../src';

/** Lines a tap has now, to count what a round adds. */
function marks(rig: Rig, ids: string[]): Record<string, number> {
  return Object.fromEntries(ids.map((id) => [id, rig.tap(id).length]));
}

/** Starts a rig before the suite's tests and closes it after them; `set` receives it. */
function rigForSuite(options: Parameters<typeof startRig>[0], set: (rig: Rig) => void): void {
  let rig: Rig | undefined;
  before(async () => set((rig = await startRig(options))));
  after(() => rig?.close());
}

const OUTPUTS = ['job-ok', 'job-ok-2', 'job-bad', 'wait-ok', 'wait-bad', 'errors'];

/**
 * Starts 50 + 50 waits, runs `during` once they are all tracked, then checks that each job's
 * result reached `jobOk` and `wait-ok` exactly once, and nothing reached the other outputs.
 */
async function round(rig: Rig, during: (jobIds: string[]) => Promise<void>, { jobOk = 'job-ok', fileStore = true } = {}): Promise<void> {
  const before = marks(rig, OUTPUTS);
  const jobsBefore = rig.emulator.stats().requests.submit;
  await rig.click('go-jobs');
  await rig.click('go-waits');
  await until('100 jobs submitted', () => rig.emulator.stats().requests.submit >= jobsBefore + 2 * FAN_OUT);
  if (fileStore) {
    await until('50 waits saved by each node', () => rig.saved('tagger').length === FAN_OUT && rig.saved('waiter').length === FAN_OUT);
  } else {
    const describes = rig.emulator.stats().requests.describe;
    await until('the waits being polled', () => rig.emulator.stats().requests.describe > describes + 1);
  }
  const pending = fileStore ? [...rig.saved('tagger'), ...rig.saved('waiter')].map((w) => w.jobId) : [];
  assert.equal(rig.tap(jobOk).length - before[jobOk]!, 0, 'no result before the action');
  await during(pending);

  const fresh = (id: string) => rig.tap(id).slice(before[id]);
  await until(`50 results at ${jobOk} and wait-ok`, () => fresh(jobOk).length >= FAN_OUT && fresh('wait-ok').length >= FAN_OUT, 40_000);
  await new Promise((r) => setTimeout(r, 2000)); // anything sent twice would show by now
  for (const id of [jobOk, 'wait-ok']) {
    const got = fresh(id);
    assert.equal(got.length, FAN_OUT, `${id}: ${got.length} results`);
    const ids = got.map((t) => t.jobId!);
    assert.equal(new Set(ids).size, FAN_OUT, `${id}: each job once`);
    for (const t of got) {
      assert.equal(t.value.payload.State, 'Success');
      assert.equal(t.ci.deliveryId, `${t.jobId}:Success`);
    }
    if (pending.length) for (const jobId of ids) assert.ok(pending.includes(jobId), `${jobId} was one of the saved waits`);
  }
  for (const id of OUTPUTS.filter((o) => o !== jobOk && o !== 'wait-ok')) assert.deepEqual(fresh(id), [], `nothing at ${id}`);
  if (fileStore) await until('the saved waits cleared', () => rig.saved('tagger').length === 0 && rig.saved('waiter').length === 0, 5000);
}

describe('durable tracking in real Node-RED (end to end)', function () {
  this.timeout(300_000);

  describe('with a file context store', () => {
    let rig: Rig;
    // Each job stays Submitted for 6 s after it is created: the action happens meanwhile.
    rigForSuite({ startDelayMs: 6000, fileStore: true }, (r) => (rig = r));

    it('(a) a full redeploy: each of the 100 results arrives once', async () => {
      await round(rig, () => rig.deploy(rig.flows, 'full'));
    });

    it('(b) a "modified flows" redeploy of the tab: each result arrives once', async () => {
      const flows = rig.flows.map((n) => (n.id === 'note' ? { ...n, name: 'durable tracking (changed)' } : n));
      await round(rig, () => rig.deploy(flows, 'flows'));
      rig.flows = flows;
    });

    it('(c) a "modified nodes" redeploy that changes both nodes: results follow their new wiring', async () => {
      const flows = rig.flows.map((n): FlowNode => {
        // Output 1 now goes to another debug node (and its tap), no longer to "job-ok".
        if (n.id === 'tagger') return { ...n, name: 'tagger (rewired)', wires: [['job-ok-2', 'tap-fn-job-ok-2'], (n.wires as string[][])[1]!] };
        if (n.id === 'waiter') return { ...n, name: 'waiter (renamed)' };
        return n;
      });
      await round(rig, () => rig.deploy(flows, 'nodes'), { jobOk: 'job-ok-2' });
      rig.flows = flows;
    });

    it('(d) SIGKILL while 100 jobs run; they end while Node-RED is down; after the restart each result arrives once, checked in batches', async () => {
      await round(
        rig,
        async (jobIds) => {
          await rig.nodeRed.kill();
          await until('the jobs to end in the emulator', () => jobIds.every((id) => rig.emulator.job(id)?.State === 'Success'), 30_000);
          const describes = rig.emulator.stats().requests.describe;
          const started = Date.now();
          await rig.restart();
          // 100 saved waits: checked at once, in batches of up to 50 ids, not one request each.
          await until('the resumed results', () => rig.tap('job-ok-2').length > 0 && rig.tap('wait-ok').length > 0, 15_000);
          const used = rig.emulator.stats().requests.describe - describes;
          assert.ok(used <= 6, `${used} describe requests for 100 resumed waits`);
          assert.ok(Date.now() - started < 15_000);
        },
        { jobOk: 'job-ok-2' },
      );
      const resumed = rig.tap('wait-ok').slice(-FAN_OUT);
      assert.ok(
        resumed.every((t) => t.value.resumed === true),
        'resumed msgs say so',
      );
    });

    it("drops a deleted node's waits with a warning, and goes on running", async () => {
      const submitted = rig.emulator.stats().requests.submit;
      await rig.click('go-jobs');
      await until('50 waits saved', () => rig.emulator.stats().requests.submit >= submitted + FAN_OUT && rig.saved('tagger').length === FAN_OUT);
      const before = marks(rig, OUTPUTS);
      const without = rig.flows.filter((n) => n.id !== 'tagger');
      await rig.deploy(without, 'nodes');
      await until('the warning in the log', () => /The node was deleted: stopped waiting for 50 job/.test(rig.nodeRed.output()), 10_000);
      await new Promise((r) => setTimeout(r, 7000)); // the jobs end meanwhile
      assert.deepEqual(marks(rig, OUTPUTS), before, 'nothing sent for the deleted node');
      const res = await fetch(`${rig.nodeRed.url}/flows`);
      assert.equal(res.status, 200, 'Node-RED still answers');
      assert.doesNotMatch(rig.nodeRed.output(), /Uncaught|TypeError|RangeError/);
      await rig.deploy(rig.flows, 'full');
    });
  });

  describe("with Node-RED's default context (memory, nothing configured)", () => {
    let rig: Rig;
    rigForSuite({ startDelayMs: 5000, fileStore: false }, (r) => (rig = r));

    it('a full redeploy still loses nothing: each of the 100 results arrives once', async () => {
      await round(rig, () => rig.deploy(rig.flows, 'full'), { fileStore: false });
      assert.match(rig.nodeRed.output(), /survive a redeploy but not a restart/);
    });
  });
});
