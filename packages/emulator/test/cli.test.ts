/**
 * The `tencent-ci-emulator` command (bin/tencent-ci-emulator.js → dist/cli.js).
 *
 * It runs the BUILT package: `npm test` builds first (turbo's test task depends on build);
 * when running this file by hand, run `npx tsc -p tsconfig.build.json` in packages/emulator first.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CiClient } from '@node-red-tencent-ci/core';
import { BUCKET, REGION, eventually } from './helpers/emulator';
import { rejection } from './helpers/assert';
import { cleanEnv, killAll, listeningUrl, requireBuiltCli, run, waitForStdout, withClient as withCliClient, type Run } from './helpers/cli';

const SECRET_ID = 'AKIDcli';
const SECRET_KEY = 'clisecret';

/** Runs `use` with a core client of the emulator at `url` (these credentials, no retries), then closes the client. */
function withClient<T>(url: string, use: (client: CiClient) => Promise<T>, secretId = SECRET_ID, secretKey = SECRET_KEY): Promise<T> {
  return withCliClient(url, use, secretId, secretKey);
}

describe('tencent-ci-emulator command', function () {
  let root: string;
  const running: Run[] = [];

  before(async function () {
    requireBuiltCli();
    root = await mkdtemp(join(tmpdir(), 'ci-emu-cli-'));
  });

  afterEach(() => killAll(running));

  after(() => rm(root, { recursive: true, force: true }));

  function serve(extra: string[] = [], env?: NodeJS.ProcessEnv): Run {
    const r = run(['--port', '0', '--root', root, '--bucket', BUCKET, '--region', REGION, ...extra], env);
    running.push(r);
    return r;
  }

  it('prints its URL, answers a signed describe, and exits with code 0 on SIGTERM', async () => {
    const r = serve(['--secret-id', SECRET_ID, '--secret-key', SECRET_KEY, '--quiet']);
    const url = await listeningUrl(r);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    await waitForStdout(r, new RegExp(`bucket ${BUCKET} \\(${REGION}\\), root ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    await withClient(url, async (client) => {
      const res = await client.describe('jnothing');
      assert.deepEqual(res.NonExistJobIds, ['jnothing']);
    });
    r.child.kill('SIGTERM');
    assert.deepEqual(await r.exit, { code: 0, signal: null });
  });

  it('checks signatures against --secret-key (a client with another key gets 401 AccessDenied)', async () => {
    const r = serve(['--secret-id', SECRET_ID, '--secret-key', SECRET_KEY, '--quiet']);
    const url = await listeningUrl(r);
    await withClient(
      url,
      async (client) => {
        const err = await rejection(client.describe('jnothing'));
        assert.deepEqual([err.code, err.status], ['AccessDenied', 401]);
      },
      SECRET_ID,
      'other',
    );
  });

  it('takes the credentials from TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY', async () => {
    const r = serve(['--quiet'], cleanEnv({ TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: 'envsecret' }));
    const url = await listeningUrl(r);
    await withClient(
      url,
      async (client) => {
        assert.deepEqual((await client.describe('jx')).NonExistJobIds, ['jx']);
      },
      'AKIDenv',
      'envsecret',
    );
  });

  /** Submits a VideoTag job on a fresh input and waits for it to end; returns its JobId. */
  async function runJob(url: string, key: string): Promise<string> {
    await mkdir(join(root, BUCKET, 'input'), { recursive: true });
    await writeFile(join(root, BUCKET, key), 'video');
    return withClient(url, async (client) => {
      const { JobId } = (await client.submit('VideoTag', { Input: { Object: key }, Operation: { VideoTag: { Scenario: 'Stream' } } })).JobsDetail;
      for (let i = 0; i < 200; i += 1) {
        if ((await client.describe(JobId)).JobsDetail[0]?.State === 'Success') return JobId;
        await new Promise((res) => setTimeout(res, 10));
      }
      throw new Error(`job ${JobId} did not end`);
    });
  }

  it("logs a job's submit and success as [emulator] lines", async () => {
    const r = serve(['--secret-id', SECRET_ID, '--secret-key', SECRET_KEY]);
    const jobId = await runJob(await listeningUrl(r), 'input/logged.mp4');
    // stdout is read asynchronously: give the lines a moment to arrive.
    await eventually(() => (r.stdout().includes(`success VideoTag ${jobId}`) ? true : undefined), 3000, 'the success line');
    assert.match(r.stdout(), new RegExp(`^\\[emulator\\] submit VideoTag ${jobId} \\(input/logged\\.mp4\\)$`, 'm'));
    assert.match(r.stdout(), new RegExp(`^\\[emulator\\] success VideoTag ${jobId}$`, 'm'));
  });

  it('logs nothing about jobs with --quiet', async () => {
    const r = serve(['--secret-id', SECRET_ID, '--secret-key', SECRET_KEY, '--quiet']);
    await runJob(await listeningUrl(r), 'input/quiet.mp4');
    r.child.kill('SIGTERM');
    await r.exit; // all output read
    assert.doesNotMatch(r.stdout(), /\[emulator\]/);
  });

  it('applies --faults (describe:503@1 makes every describe fail with ServiceUnavailable)', async () => {
    const r = serve(['--secret-id', SECRET_ID, '--secret-key', SECRET_KEY, '--quiet', '--faults', 'describe:503@1']);
    await withClient(await listeningUrl(r), async (client) => {
      const err = await rejection(client.describe('jx'));
      assert.deepEqual([err.code, err.status], ['ServiceUnavailable', 503]);
    });
  });

  it('--help prints the usage with every option and exits with code 0', async () => {
    const r = run(['--help']);
    const { code } = await r.exit;
    assert.equal(code, 0);
    const help = r.stdout();
    assert.match(help, /^tencent-ci-emulator — /);
    assert.match(help, /Usage: tencent-ci-emulator \[options\]/);
    for (const option of [
      '--host',
      '--port',
      '--root',
      '--bucket',
      '--region',
      '--secret-id',
      '--secret-key',
      '--session-token',
      '--concurrency',
      '--faults',
      '--seed',
      '--scenario',
      '--callback-url',
      '--start-delay',
      '--no-persist',
      '--quiet',
      '-h, --help',
    ]) {
      assert.ok(help.includes(`  ${option} `), `help lists ${option}`);
    }
  });

  it('exits with code 1 and names --secret-id when no credentials are given', async () => {
    const r = run(['--port', '0', '--root', root]);
    const { code } = await r.exit;
    assert.equal(code, 1);
    assert.match(r.stderr(), /--secret-id/);
    assert.equal(r.stdout(), '');
  });

  it('exits with code 1 and names the option for an unknown option', async () => {
    const r = run(['--secret-id', SECRET_ID, '--secret-key', SECRET_KEY, '--prot', '0']);
    const { code } = await r.exit;
    assert.equal(code, 1);
    assert.match(r.stderr(), /--prot/);
  });

  it('exits with code 1 and names the rule for a bad --faults spec', async () => {
    const r = run(['--secret-id', SECRET_ID, '--secret-key', SECRET_KEY, '--root', root, '--faults', 'describe:teapot@1']);
    const { code } = await r.exit;
    assert.equal(code, 1);
    assert.match(r.stderr(), /describe:teapot@1: unknown kind teapot/);
  });

  it('exits with code 1 for --concurrency 0', async () => {
    const r = run(['--secret-id', SECRET_ID, '--secret-key', SECRET_KEY, '--concurrency', '0']);
    const { code } = await r.exit;
    assert.equal(code, 1);
    assert.match(r.stderr(), /--concurrency must be at least 1/);
  });
});
