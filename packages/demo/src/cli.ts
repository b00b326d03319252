#!/usr/bin/env node
/**
 * `npm start` runs this after building: the emulator and Node-RED with every node and the
 * example flows, until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { DEMO_CREDENTIALS, startDemo } from './demo';

const HELP = `Usage: npm start [-- options]

  --port N            Node-RED's port (default 1880)
  --emulator-port N   the emulator's port (default 9100; the examples' config nodes point there)
  --dir DIR           where the demo keeps its state (default .demo in the repository)
  --reset             start over: new sample media, fresh Node-RED user dir, examples deployed again
  --verbose           print Node-RED's log
  -h, --help          this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'emulator-port': { type: 'string' },
      dir: { type: 'string' },
      reset: { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const port = (name: string, value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`--${name} must be a port number from 1 to 65535, not ${JSON.stringify(value)}`);
    return n;
  };
  const repoRoot = resolve(__dirname, '..', '..', '..');
  const log = (line: string) => console.log(`[demo] ${line}`);
  const dir = resolve(values.dir ?? join(repoRoot, '.demo'));
  const demo = await startDemo({
    repoRoot,
    dir,
    nodeRedPort: port('port', values.port, 1880),
    emulatorPort: port('emulator-port', values['emulator-port'], 9100),
    reset: values.reset,
    log,
    onNodeRedLine: values.verbose ? (line) => console.log(`[node-red] ${line}`) : undefined,
  });
  // Demo-only values (the emulator accepts nothing else): printed so a flow of your own, or
  // another tool, can use the emulator too. The demo's config node already holds them.
  console.log(`
  Node-RED editor:  ${demo.nodeRed.url}/
  Media dashboard:  ${demo.nodeRed.url}/dashboard (Dashboard 2.0: pick a clip, press Run pipeline)
  CI emulator:      ${demo.emulator.url} (sample media in input/)
    Bucket:         ${demo.emulator.bucket}
    Region:         ${demo.emulator.region}
    SecretId:       ${DEMO_CREDENTIALS.secretId}
    SecretKey:      ${DEMO_CREDENTIALS.secretKey}
  (demo-only credentials; the "demo emulator" config node already holds them)

  Each tab is one example flow: click an inject node's button and watch the debug sidebar.
  State: ${dir} (npm start -- --reset starts over). Press Ctrl-C to stop both.
`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping Node-RED and the emulator`);
    demo.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  void demo.nodeRed.exited.then((code) => {
    if (stopping) return;
    console.error(`Node-RED exited (code ${code}); stopping the emulator.\n${demo.nodeRed.output().slice(-3000)}`);
    void demo.emulator.close().then(() => process.exit(1));
  });
}

main().catch((err: Error) => {
  console.error(`The demo could not start: ${err.message}`);
  process.exit(1);
});
