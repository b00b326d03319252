/**
 * Node-RED killed with SIGKILL while waits are in flight, then started again on the same
 * user dir: the wait node resumes every wait from its file context store and every result
 * still arrives, once.
 */
import { strict as assert } from 'node:assert';
import { startE2E, type E2E } from './helpers/e2e';
import { savedWaits, until as poll } from './helpers/tracking-parts';

const TAB = 'Submit, then wait';

/** Polls every 50 ms for up to 20 s. */
const until = <T>(what: string, fn: () => T | undefined | false): Promise<T> => poll(what, fn, 20_000, 50);

describe('restart: SIGKILL with waits in flight (end to end)', function () {
  this.timeout(120_000);
  let e: E2E;
  before(async () => {
    // Jobs stay Submitted for 3 s: long enough to kill Node-RED while their waits are open.
    e = await startE2E({ emulator: { startDelayMs: 3000 } });
  });
  after(() => e?.close());

  it('every result arrives after Node-RED is killed and started again on the same user dir', async () => {
    const inject = e.node(TAB, 'inject', 'input/demo.mp4').id;
    const wait = e.node(TAB, 'tencent-ci-wait');
    const submittedDebug = e.node(TAB, 'debug', 'submit then wait: submitted').id;
    const tagsDebug = e.node(TAB, 'debug', 'submit then wait: tags').id;

    for (let i = 0; i < 3; i++) await e.click(inject);
    const submitted = (await e.shown(submittedDebug, 3)).map((s) => s.value as string);
    assert.equal(new Set(submitted).size, 3);
    // The wait node writes its waits through to the file store before they count as safe.
    await until('3 waits saved in the file context store', () => savedWaits(e.demo.userDir, String(wait.z), wait.id).length === 3);
    assert.deepEqual(
      savedWaits(e.demo.userDir, String(wait.z), wait.id)
        .map((w) => w.jobId)
        .sort(),
      [...submitted].sort(),
    );
    assert.deepEqual(e.shownNow(tagsDebug), [], 'no result before the kill');

    const oldPid = e.demo.nodeRed.pid;
    await e.demo.nodeRed.kill();
    assert.throws(() => process.kill(oldPid, 0), /ESRCH/, 'Node-RED is gone');

    // The jobs end while Node-RED is down (their callbacks fail): only the resumed waits can report them.
    await until('the jobs to end in the emulator', () => submitted.every((id) => e.demo.emulator.job(id)?.State === 'Success'));
    assert.deepEqual(e.shownNow(tagsDebug), []);

    const restarted = await e.demo.restartNodeRed();
    assert.notEqual(restarted.pid, oldPid);
    const tags = await e.shown(tagsDebug, 3);
    assert.deepEqual(tags.map((t) => t.jobId).sort(), [...submitted].sort(), "each job's result, with its own message");
    for (const t of tags) assert.ok(Array.isArray(t.value.Tags) && t.value.Tags.length === 3);
    await until('the saved waits to be cleared', () => savedWaits(e.demo.userDir, String(wait.z), wait.id).length === 0);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(e.shownNow(tagsDebug).length, 3, 'no result twice');
    assert.deepEqual(e.shownNow(e.node(TAB, 'debug', 'submit then wait: errors').id), []);
  });
});
