/**
 * The demo command as `npm start` runs it: it prints the editor URL, the emulator's URL and
 * the demo credentials, serves both processes, keeps the user's flows on the next start, and
 * Ctrl-C (SIGINT to its process group) stops Node-RED and the emulator.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_BUCKET, DEMO_CREDENTIALS, DEMO_REGION, freePort } from '../src';

const CLI = join(__dirname, '..', 'dist', 'cli.js');

interface Run {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

function run(args: string[]): Run {
  // detached: its own process group, so a signal to the group reaches the demo and Node-RED as Ctrl-C would
  const child = spawn(process.execPath, [CLI, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    async waitFor(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = output.match(pattern);
        if (m) return m;
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no ${pattern} in the demo's output:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

describe('the demo command (npm start)', function () {
  this.timeout(120_000);
  let dir: string;
  let ports: string[];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tci-demo-cli-'));
    ports = ['--port', String(await freePort()), '--emulator-port', String(await freePort())];
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const ctrlC = async (demo: Run) => {
    process.kill(-demo.child.pid!, 'SIGINT');
    const code = await Promise.race([demo.exited, new Promise((r) => setTimeout(() => r('still running'), 30_000))]);
    return code;
  };

  it('starts the emulator and Node-RED with the examples, prints the editor URL, and Ctrl-C stops both', async () => {
    const demo = run(['--dir', dir, ...ports]);
    try {
      const [, editor] = await demo.waitFor(/Node-RED editor:\s+(\S+)/);
      const [, emulator] = await demo.waitFor(/CI emulator:\s+(\S+)/);
      assert.match(demo.output(), /deployed \d+ example flows/);
      const page = await fetch(editor!);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Node-RED/);
      const health = await fetch(`${emulator}/_emulator/health`);
      assert.equal(health.status, 200);
      assert.equal(await ctrlC(demo), 0, `exit code (output:\n${demo.output()})`);
      assert.match(demo.output(), /stopping Node-RED and the emulator/);
      assert.equal(await answers(editor!), false, 'Node-RED stopped');
      assert.equal(await answers(`${emulator}/_emulator/health`), false, 'the emulator stopped');
      // The demo-only credentials, for a flow or tool of the user's own against the emulator.
      for (const [label, value] of [
        ['Bucket', DEMO_BUCKET],
        ['Region', DEMO_REGION],
        ['SecretId', DEMO_CREDENTIALS.secretId],
        ['SecretKey', DEMO_CREDENTIALS.secretKey],
      ])
        assert.match(demo.output(), new RegExp(`^\\s+${label}:\\s+${value}$`, 'm'), `the banner prints ${label}`);
    } finally {
      demo.child.kill('SIGKILL');
    }
  });

  it('keeps the flows of the user dir on the next start, and --reset starts over', async () => {
    const again = run(['--dir', dir, ...ports]);
    try {
      await again.waitFor(/Node-RED editor:/);
      assert.match(again.output(), /kept the flows/);
      assert.equal(await ctrlC(again), 0);
    } finally {
      again.child.kill('SIGKILL');
    }
    const reset = run(['--dir', dir, '--reset', ...ports]);
    try {
      await reset.waitFor(/Node-RED editor:/);
      assert.match(reset.output(), /sample media made with ffmpeg/);
      assert.match(reset.output(), /deployed \d+ example flows/);
      assert.equal(await ctrlC(reset), 0);
    } finally {
      reset.child.kill('SIGKILL');
    }
  });

  it('refuses a bad option with a message that names it', async () => {
    const bad = run(['--dir', dir, '--port', 'eighty']);
    assert.equal(await bad.exited, 1);
    assert.match(bad.output(), /--port must be a port number from 1 to 65535, not "eighty"/);
  });
});
