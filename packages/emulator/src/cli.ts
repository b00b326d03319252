/** The `tencent-ci-emulator` command. */
import { parseArgs } from 'node:util';
import { startEmulator, type EmulatorOptions } from './emulator';
import { missingToolsMessage } from './media/tools';

export const HELP = `tencent-ci-emulator — a local Tencent Cloud Infinite (CI) media-job server

Usage: tencent-ci-emulator [options]

  --host HOST            interface to listen on (default 127.0.0.1)
  --port PORT            port; 0 picks a free one (default 0); the URL is printed
  --root DIR             bucket folders: DIR/<BucketName-APPID>/<object key> (default: a temp folder,
                         removed on exit); jobs are kept in DIR/.emulator/jobs across restarts
  --no-persist           forget all jobs when the emulator stops (keep nothing in DIR/.emulator)
  --bucket NAME          bucket for hosts that do not name one, e.g. 127.0.0.1 (default examplebucket-1250000000)
  --region REGION        region of the CI host names it answers (default ap-guangzhou)
  --secret-id ID         SecretId clients sign with (or env TENCENTCLOUD_SECRET_ID)
  --secret-key KEY       SecretKey clients sign with (or env TENCENTCLOUD_SECRET_KEY)
  --session-token TOKEN  require this STS token as x-ci-security-token (or env TENCENTCLOUD_SESSION_TOKEN)
  --concurrency N        jobs running at once (default 2)
  --faults SPEC          inject faults: route:kind[=value]@probability, comma-separated, e.g.
                         "describe:503@0.2,submit:429@0.1,*:latency=200@1,callback:fail@0.5"
                         routes submit, describe, list, cancel, object, callback, *;
                         kinds latency=<ms>, 429, 500, 503, drop-before, drop-after, fail
  --seed N               make fault injection deterministic
  --scenario FILE        JSON with "templates" (TemplateId -> parameters) and "results"
                         (input key -> scripted VideoTag/VideoTargetRec result)
  --callback-url URL     callback for jobs that do not set CallBack
  --start-delay MS       minimum time a job stays Submitted (default 0)
  --quiet                do not log requests and job events
  -h, --help             show this help

API: POST /jobs, GET /jobs/<id>[,<id>…], GET /jobs, PUT /jobs/<id>?cancel, PUT/GET/HEAD /<key>.
Debug (unsigned): GET /_emulator/stats, /_emulator/health, /_emulator/mq/<name>, GET/POST /_emulator/faults.
VideoTag and VideoTargetRec results are scripted (<key>.ci-result.json beside the input, or the
scenario file); without a script they succeed with empty results and say so in their Message.`;

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${JSON.stringify(value)}`);
  return n;
}

/** parseArgs entries for options that take a value (`--name VALUE`), as listed in HELP. */
function valueOptions<const N extends string>(names: readonly N[]): Record<N, { type: 'string' }> {
  return Object.fromEntries(names.map((name) => [name, { type: 'string' }])) as Record<N, { type: 'string' }>;
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): EmulatorOptions & { help?: boolean; quiet?: boolean } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...valueOptions([
        'host',
        'port',
        'root',
        'bucket',
        'region',
        'secret-id',
        'secret-key',
        'session-token',
        'concurrency',
        'faults',
        'seed',
        'scenario',
        'callback-url',
        'start-delay',
      ]),
      'no-persist': { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true, secretId: '', secretKey: '' };
  const secretId = values['secret-id'] ?? env.TENCENTCLOUD_SECRET_ID;
  const secretKey = values['secret-key'] ?? env.TENCENTCLOUD_SECRET_KEY;
  if (!secretId || !secretKey)
    throw new Error('Give --secret-id and --secret-key (or set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY): clients must sign with them. See --help.');
  const concurrency = int('concurrency', values.concurrency);
  if (concurrency === 0) throw new Error('--concurrency must be at least 1');
  return {
    host: values.host,
    port: int('port', values.port),
    root: values.root,
    bucket: values.bucket,
    region: values.region,
    secretId,
    secretKey,
    sessionToken: values['session-token'] ?? env.TENCENTCLOUD_SESSION_TOKEN,
    concurrency,
    faults: values.faults,
    seed: int('seed', values.seed),
    scenario: values.scenario,
    callbackUrl: values['callback-url'],
    startDelayMs: int('start-delay', values['start-delay']),
    persistJobs: !values['no-persist'],
    quiet: values.quiet,
  };
}

export async function main(argv: string[]): Promise<void> {
  const options = parseCli(argv);
  if (options.help) {
    console.log(HELP);
    return;
  }
  const emulator = await startEmulator({ ...options, log: options.quiet ? undefined : (line) => console.log(`[emulator] ${line}`) });
  console.log(`tencent-ci-emulator listening on ${emulator.url}`);
  console.log(`  bucket ${emulator.bucket} (${emulator.region}), root ${emulator.root}`);
  console.log(
    emulator.jobsFolder
      ? `  jobs kept in ${emulator.jobsFolder} (${emulator.restoredJobs} read back)`
      : '  jobs are not kept (--no-persist): they are forgotten when the emulator stops',
  );
  if (!emulator.tools.ffmpeg || !emulator.tools.ffprobe)
    console.log(`  warning: ${missingToolsMessage(emulator.tools, emulator.tools.ffprobe ? 'ffmpeg' : 'ffprobe')}; media jobs will fail until then`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
