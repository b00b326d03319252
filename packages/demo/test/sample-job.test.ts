/**
 * The wait example's inject node holds a sample JobId the demo submitted on its first start.
 * On every later start the demo makes sure the emulator can answer for it: an emulator that
 * lost its jobs (a new emulator folder) gets a new sample job, written into the kept flows
 * before Node-RED reads them. Unit tests of refreshSampleJob, then the restart end to end.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, getFlows, inject, readDemoState, refreshSampleJob, startDemo, type Demo, type FlowNode } from '../src';
import { REPO_ROOT, startE2E, type E2E } from './helpers/e2e';

const TAB = 'Wait for a job';
const OLD = 'j00000000000000000000000000000old';
const NEW = 'j00000000000000000000000000000new';

/** The JobId an inject node sends as msg.jobId. */
const jobIdOf = (inject: FlowNode) => (inject.props as Array<{ p: string; v?: string }>).find((p) => p.p === 'jobId')?.v;

describe('the sample JobId of the wait example', function () {
  describe('refreshSampleJob (a start that keeps the flows)', () => {
    let dir: string;
    let flowsFile: string;
    let submitted: number;
    const flows = (): FlowNode[] => JSON.parse(readFileSync(flowsFile, 'utf8')) as FlowNode[];
    const check = (known: boolean, log?: (line: string) => void) => ({
      dir,
      flowsFile,
      known: () => known,
      submit: async () => {
        submitted += 1;
        return NEW;
      },
      log,
    });

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'tci-sample-job-'));
      flowsFile = join(dir, 'flows.json');
      submitted = 0;
      const kept: FlowNode[] = [
        { id: 't', type: 'tab', label: TAB },
        { id: 'i', type: 'inject', z: 't', props: [{ p: 'jobId', v: OLD, vt: 'str' }], wires: [[]] },
        { id: 'c', type: 'change', z: 't', rules: [{ t: 'set', p: 'jobId', to: OLD }], wires: [[]] },
        { id: 'd', type: 'debug', z: 't', name: OLD.slice(0, 5), wires: [] },
      ];
      writeFileSync(flowsFile, JSON.stringify(kept, null, 4));
      writeFileSync(join(dir, 'demo-state.json'), JSON.stringify({ sampleJobId: OLD }));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('leaves the flows alone when the emulator knows the JobId', async () => {
      const before = readFileSync(flowsFile, 'utf8');
      assert.equal(await refreshSampleJob(check(true)), OLD);
      assert.equal(submitted, 0);
      assert.equal(readFileSync(flowsFile, 'utf8'), before);
    });

    it('submits a new sample job when the emulator does not know it, and puts its JobId wherever the old one was', async () => {
      const lines: string[] = [];
      assert.equal(await refreshSampleJob(check(false, (l) => lines.push(l))), NEW);
      assert.equal(submitted, 1);
      const [, injectNode, change, debug] = flows();
      assert.equal(jobIdOf(injectNode!), NEW);
      assert.deepEqual(change!.rules, [{ t: 'set', p: 'jobId', to: NEW }]);
      assert.equal(debug!.name, OLD.slice(0, 5), 'only whole values are replaced');
      assert.ok(!readFileSync(flowsFile, 'utf8').includes(OLD));
      assert.deepEqual(readDemoState(dir), { sampleJobId: NEW });
      assert.match(lines.join('\n'), new RegExp(`does not know the sample job ${OLD}: submitted ${NEW} and put it in the kept flows \\(2 places\\)`));
    });

    it('forgets a JobId the flows no longer hold (the user changed them), and submits nothing', async () => {
      writeFileSync(flowsFile, JSON.stringify([{ id: 'i', type: 'inject', props: [{ p: 'jobId', v: 'jmine' }] }]));
      const before = readFileSync(flowsFile, 'utf8');
      assert.equal(await refreshSampleJob(check(false)), undefined);
      assert.equal(submitted, 0);
      assert.equal(readFileSync(flowsFile, 'utf8'), before);
      assert.equal(readDemoState(dir).sampleJobId, undefined);
    });

    it('does nothing when no sample JobId is remembered', async () => {
      rmSync(join(dir, 'demo-state.json'));
      assert.equal(await refreshSampleJob(check(false)), undefined);
      assert.equal(submitted, 0);
      assert.equal(jobIdOf(flows()[1]!), OLD);
    });
  });

  describe('a restart whose emulator has lost its jobs (end to end)', function () {
    this.timeout(180_000);
    let e: E2E;
    let again: Demo | undefined;
    let nodeRedPort: number;
    let emulatorPort: number;

    before(async () => {
      nodeRedPort = await freePort();
      emulatorPort = await freePort();
      // Fixed ports: the kept flows' config node names the emulator's URL.
      e = await startE2E({ nodeRedPort, emulatorPort });
    });
    after(async () => {
      if (!again) return e?.close();
      await again.stop();
      rmSync(e.dir, { recursive: true, force: true });
    });

    it('remembers the sample JobId it deployed', () => {
      const inject = e.node(TAB, 'inject', 'msg.jobId');
      const id = jobIdOf(inject);
      assert.match(String(id), /^j[0-9a-f]{32}$/);
      assert.equal(readDemoState(join(e.dir, 'demo')).sampleJobId, id);
      assert.ok(e.demo.emulator.job(id!), 'the emulator knows it');
    });

    it('gives the wait example a JobId the new emulator knows, and the wait node a success', async () => {
      const demoDir = join(e.dir, 'demo');
      const old = jobIdOf(e.node(TAB, 'inject', 'msg.jobId'))!;
      await e.demo.stop();
      // A fresh emulator folder: sample media made again, no job kept from before.
      rmSync(join(demoDir, 'emulator'), { recursive: true, force: true });
      const lines: string[] = [];
      again = await startDemo({ repoRoot: REPO_ROOT, dir: demoDir, nodeRedPort, emulatorPort, log: (l) => lines.push(l) });
      assert.equal(again.deployed, undefined, 'the flows were kept');
      assert.equal(again.emulator.job(old), undefined, 'the new emulator does not know the old sample job');
      assert.match(lines.join('\n'), /kept the flows/);
      assert.match(lines.join('\n'), /does not know the sample job/);

      const { flows } = await getFlows(again.nodeRed.url);
      const tab = flows.find((n) => n.type === 'tab' && n.label === TAB)!;
      const injectNode = flows.find((n) => n.z === tab.id && n.type === 'inject' && n.name === 'msg.jobId')!;
      const fresh = jobIdOf(injectNode)!;
      assert.notEqual(fresh, old);
      assert.ok(again.emulator.job(fresh), 'the emulator knows the JobId the inject node holds');
      assert.equal(readDemoState(demoDir).sampleJobId, fresh);

      // The kept flows still carry the taps (tests/helpers/taps.ts), writing to the same folder.
      const success = e.node(TAB, 'debug', 'wait: success').id;
      const failed = e.node(TAB, 'debug', 'wait: failed, cancelled or timed out').id;
      assert.ok(existsSync(e.tapsDir));
      await inject(again.nodeRed.url, injectNode.id);
      const [shown] = await e.shown(success, 1, 60_000);
      assert.equal(shown!.jobId, fresh);
      assert.equal(shown!.value.State, 'Success');
      assert.deepEqual(e.shownNow(failed), []);
    });
  });
});
