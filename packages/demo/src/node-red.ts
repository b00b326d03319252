/**
 * Node-RED 4 as a separate process, the way a user runs it: `node red.js -u DIR -p PORT`
 * (so the PID held is Node-RED's own), with settings for a clean, offline first start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface NodeRedSettingsOptions {
  /** Encrypts flows_cred.json. */
  credentialSecret: string;
  /** Extra settings merged in (plain JSON values). */
  extra?: Record<string, unknown>;
}

/**
 * settings.js for a user dir: no telemetry consent dialog or update check, no palette
 * catalogue fetched from the internet, no tours, a credentialSecret, and a file context
 * store that writes through (cache off), so waits in flight survive even a SIGKILL.
 */
export function settingsFile(options: NodeRedSettingsOptions): string {
  const settings = {
    uiHost: '127.0.0.1',
    flowFile: 'flows.json',
    flowFilePretty: true,
    credentialSecret: options.credentialSecret,
    telemetry: { enabled: false, updateNotification: false },
    editorTheme: { palette: { catalogues: [] }, tours: false, projects: { enabled: false } },
    contextStorage: {
      default: 'file',
      file: { module: 'localfilesystem', config: { cache: false } },
      memory: { module: 'memory' },
    },
    logging: { console: { level: 'info', metrics: false, audit: false } },
    ...options.extra,
  };
  return `// Written by @node-red-tencent-ci/demo.\nmodule.exports = ${JSON.stringify(settings, null, 2)};\n`;
}

/** Creates `dir` with settings.js (kept if it exists, unless `overwrite`). */
export function prepareUserDir(dir: string, options: NodeRedSettingsOptions & { overwrite?: boolean }): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'settings.js');
  if (options.overwrite || !existsSync(file)) writeFileSync(file, settingsFile(options));
}

/**
 * The editor's sidebar tabs, Debug first: Node-RED's default order is info, help,
 * version-control, debug (red.js, RED.sidebar).
 */
const DEBUG_FIRST_SIDEBAR = ['debug', 'info', 'help', 'version-control'];

/**
 * Makes the editor open with the Debug sidebar: puts Debug first in the user's sidebar tab
 * order, the editor setting `editor.sidebar.order` that Node-RED keeps per user in
 * `.config.users.json` (anonymous user "_": no adminAuth) and saves when a user drags a sidebar
 * tab. On load the editor shows the tab this browser showed last (localStorage
 * "last-sidebar-tab"), and the first tab of that order in a browser that has not shown one yet.
 * Leaves an order the user already has alone. Call it while Node-RED is not running.
 */
export function preferDebugSidebar(dir: string): void {
  const file = join(dir, '.config.users.json');
  const users = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}) as Record<string, UserSettings>;
  const user = users._ ?? {};
  if (user.editor?.sidebar?.order) return;
  users._ = { ...user, editor: { ...user.editor, sidebar: { ...user.editor?.sidebar, order: DEBUG_FIRST_SIDEBAR } } };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(users, null, 4));
}

interface UserSettings {
  editor?: { sidebar?: { order?: string[]; [key: string]: unknown }; [key: string]: unknown };
  [key: string]: unknown;
}

export interface StartNodeRedOptions {
  userDir: string;
  port: number;
  /** Node-RED's red.js (default: the one this package resolves, i.e. the repository's). */
  redJs?: string;
  env?: NodeJS.ProcessEnv;
  /** Called with every line Node-RED prints. */
  onLine?: (line: string) => void;
  /** How long to wait for the editor to answer (default 60 s). */
  readyTimeoutMs?: number;
  /** Options for node itself, before red.js (e.g. --expose-gc). */
  nodeArgs?: string[];
}

export interface NodeRedProcess {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** Everything Node-RED printed so far. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  /** SIGINT (Node-RED closes its nodes), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL: the process dies without closing anything. */
  kill(): Promise<void>;
}

export function defaultRedJs(): string {
  return require.resolve('node-red/red.js');
}

export async function startNodeRed(options: StartNodeRedOptions): Promise<NodeRedProcess> {
  const redJs = options.redJs ?? defaultRedJs();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), redJs, '-u', options.userDir, '-p', String(options.port)], {
    env: { ...process.env, NODE_RED_ENABLE_PROJECTS: 'false', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const onData = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output += text;
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
    if (options.onLine) for (const line of text.split('\n')) if (line.trim()) options.onLine(line);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${options.port}`;

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let running = true;
  void exited.then(() => {
    running = false;
  });
  for (;;) {
    if (!running) throw new Error(`Node-RED exited before it was ready:\n${output.slice(-4000)}`);
    if (/Started flows|Server now running/.test(output)) {
      try {
        const res = await fetch(`${url}/settings`);
        if (res.ok && /Started flows/.test(output)) break;
      } catch {
        // not listening yet
      }
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Node-RED did not start within ${options.readyTimeoutMs ?? 60_000} ms:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const stopWith = async (signal: NodeJS.Signals, graceMs: number) => {
    if (!running) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return {
    url,
    port: options.port,
    pid: child.pid!,
    child,
    output: () => output,
    exited,
    stop: (graceMs = 15_000) => stopWith('SIGINT', graceMs),
    kill: () => stopWith('SIGKILL', 0),
  };
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createServer } = require('node:net') as typeof import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as import('node:net').AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
