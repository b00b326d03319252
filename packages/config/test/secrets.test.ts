import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import { SECRET_ID, SECRET_KEY } from '@node-red-tencent-ci/test-utils';
import { CLIP, helper, nextOutcome, type LoadedJob, type Outcome } from '@node-red-tencent-ci/test-utils/src/nodes';
import { mediaInfoHarness } from './job-node-harness';

const WRONG_KEY = 'wrong-secret-key-9876543210';

/** Everything a run makes visible: messages on both outputs and Catch, errors, warnings and statuses of the job node. */
function watch(nodes: LoadedJob): { seen: unknown[] } {
  const seen: unknown[] = [];
  for (const id of ['ok', 'bad', 'caught'] as const) nodes[id].on('input', (msg: unknown) => seen.push(msg));
  for (const event of ['call:error', 'call:warn', 'call:log', 'call:status']) nodes.n1.on(event, (call: { args: unknown[] }) => seen.push(call.args));
  return { seen };
}

/** Every form a value could be read in: JSON (as a debug node shows it) and a deep inspect (as a log shows it, with causes). */
function exposed(values: unknown[]): string {
  return values.map((v) => `${safeJson(v)}\n${inspect(v, { depth: 12, showHidden: true })}`).join('\n');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

describe('secrets never leak from a job node', () => {
  const harness = mediaInfoHarness().install();

  async function run(secretKey: string): Promise<{ outcome: Outcome; text: string; log: string }> {
    const nodes = await harness.load({ wait: 'result', timeout: 30 }, { credentials: { secretId: SECRET_ID, secretKey } });
    const { seen } = watch(nodes);
    const outcome = nextOutcome(nodes);
    nodes.n1.receive({ payload: CLIP });
    return collect(await outcome, seen);
  }

  /** The same with a Catch node that does not watch the job node: its errors go to the log. */
  async function runUncaught(secretKey: string): Promise<{ text: string; log: string }> {
    const nodes = await harness.load({ wait: 'result', timeout: 30 }, { credentials: { secretId: SECRET_ID, secretKey }, catchScope: ['elsewhere'] });
    const { seen } = watch(nodes);
    const failed = new Promise((resolve) => nodes.n1.on('call:error', resolve));
    nodes.n1.receive({ payload: CLIP });
    await failed;
    return collect(undefined, seen);
  }

  async function collect<T>(result: T, seen: unknown[]): Promise<{ outcome: T; text: string; log: string }> {
    await new Promise((r) => setTimeout(r, 20)); // the helper reports calls on the next tick
    const log = exposed(helper.log().args);
    return { outcome: result, text: `${exposed(seen)}\n${log}`, log };
  }

  it('shows the SecretKey in no message, status or log of a successful job', async () => {
    const { outcome, text } = await run(SECRET_KEY);
    assert.equal(outcome.port, 'ok');
    assert.ok(text.includes(outcome.msg.jobId), 'the capture holds the emitted message');
    assert.ok(!text.includes(SECRET_KEY));
  });

  it('shows neither the wrong SecretKey nor the right one in the error or the Catch message of an AccessDenied', async () => {
    const { outcome, text } = await run(WRONG_KEY);
    assert.equal(outcome.port, 'caught');
    assert.match(outcome.msg.error.message, /AccessDenied/);
    assert.ok(!text.includes(WRONG_KEY));
    assert.ok(!text.includes(SECRET_KEY));
  });

  it('shows neither key in the log entry of an AccessDenied that no Catch node handles', async () => {
    const { text, log } = await runUncaught(WRONG_KEY);
    assert.match(log, /AccessDenied/, 'the log holds the error');
    assert.ok(!text.includes(WRONG_KEY));
    assert.ok(!text.includes(SECRET_KEY));
  });
});
