/**
 * The `tencent-ci-emulator` command as a child process (bin/tencent-ci-emulator.js → dist/cli.js),
 * for the CLI and persistence suites. It runs the BUILT package: `npm test` builds first
 * (turbo's test task depends on build); by hand, run `npm run build` in packages/emulator first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CiClient } from '@node-red-tencent-ci/core';
import { BUCKET, REGION } from './emulator';

const PACKAGE = join(__dirname, '..', '..');
const BIN = join(PACKAGE, 'bin', 'tencent-ci-emulator.js');

/** Throws when dist/cli.js has not been built (call it in a before hook). */
export function requireBuiltCli(): void {
  if (!existsSync(join(PACKAGE, 'dist', 'cli.js'))) {
    throw new Error('packages/emulator/dist/cli.js is missing: run `npm run build` in packages/emulator (npm test builds first)');
  }
}

/** The environment without credentials, so that only the options given count. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const name of ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_SESSION_TOKEN']) if (!(name in extra)) delete env[name];
  return env;
}

export interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the command with `args`; its output is collected as it arrives. */
export function run(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Run {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString('utf8');
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** SIGKILLs each run still alive (by its PID) and waits for it to exit. */
export async function killAll(runs: Run[]): Promise<void> {
  for (const r of runs.splice(0)) {
    if (r.child.exitCode === null && r.child.signalCode === null) {
      r.child.kill('SIGKILL');
      await r.exit;
    }
  }
}

/** Runs `use` with a core client of the emulator at `url` (these credentials, no retries), then closes the client. */
export async function withClient<T>(url: string, use: (client: CiClient) => Promise<T>, secretId: string, secretKey: string): Promise<T> {
  const client = new CiClient({ secretId, secretKey, bucket: BUCKET, region: REGION, endpoint: url, retry: false });
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

/** Waits until stdout matches `pattern` (output arrives in chunks: a line may come later than the one before). */
export async function waitForStdout(r: Run, pattern: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = pattern.exec(r.stdout());
    if (m) return m;
    if (r.child.exitCode !== null) throw new Error(`the emulator exited with ${r.child.exitCode}: ${r.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} printed within ${timeoutMs} ms; stdout: ${r.stdout()} stderr: ${r.stderr()}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

/** Waits for the "listening on <url>" line and returns the URL. */
export async function listeningUrl(r: Run, timeoutMs = 10_000): Promise<string> {
  return (await waitForStdout(r, /tencent-ci-emulator listening on (http:\/\/\S+)/, timeoutMs))[1]!;
}
