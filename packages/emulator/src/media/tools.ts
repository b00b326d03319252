/**
 * Finding and running ffmpeg / ffprobe.
 *
 * Lookup order for each tool: FFMPEG_PATH / FFPROBE_PATH, then the directories on PATH, then
 * the optional npm packages that ship binaries (`@ffmpeg-installer/ffmpeg`,
 * `@ffprobe-installer/ffprobe`; not dependencies of this package, used when the user installed
 * them). Tools are run with child_process.spawn, never through a shell.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';

import { MediaErrorCodes, MediaJobError } from './errors';

export interface MediaTools {
  ffmpeg?: string;
  ffprobe?: string;
  /** Where the tools were found, for logs: e.g. `ffmpeg: PATH (/usr/bin/ffmpeg); ffprobe: FFPROBE_PATH (/opt/ffprobe)`. */
  source: string;
}

export type ToolName = 'ffmpeg' | 'ffprobe';

const ENV_VAR: Record<ToolName, string> = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' };
const NPM_PACKAGE: Record<ToolName, string> = { ffmpeg: '@ffmpeg-installer/ffmpeg', ffprobe: '@ffprobe-installer/ffprobe' };

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const pathVar = env.PATH ?? env.Path ?? '';
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function fromNpmPackage(pkg: string): string | undefined {
  try {
    // Optional: present only when the user installed it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(pkg) as { path?: unknown };
    return typeof mod.path === 'string' && isExecutableFile(mod.path) ? mod.path : undefined;
  } catch {
    return undefined;
  }
}

function locate(tool: ToolName, env: NodeJS.ProcessEnv): { path?: string; from: string } {
  const explicit = env[ENV_VAR[tool]];
  // An explicit setting is used as given (a wrong path then fails loudly when run).
  if (explicit) return { path: explicit, from: ENV_VAR[tool] };
  const onPath = findOnPath(tool, env);
  if (onPath) return { path: onPath, from: 'PATH' };
  const npm = fromNpmPackage(NPM_PACKAGE[tool]);
  if (npm) return { path: npm, from: NPM_PACKAGE[tool] };
  return { from: 'not found' };
}

export function locateMediaTools(env: NodeJS.ProcessEnv = process.env): MediaTools {
  const ffmpeg = locate('ffmpeg', env);
  const ffprobe = locate('ffprobe', env);
  const describe = (name: ToolName, found: { path?: string; from: string }) => (found.path ? `${name}: ${found.from} (${found.path})` : `${name}: not found`);
  return {
    ...(ffmpeg.path ? { ffmpeg: ffmpeg.path } : {}),
    ...(ffprobe.path ? { ffprobe: ffprobe.path } : {}),
    source: `${describe('ffmpeg', ffmpeg)}; ${describe('ffprobe', ffprobe)}`,
  };
}

export const INSTALL_HINT =
  'install ffmpeg (Debian/Ubuntu: apt-get install --no-install-recommends ffmpeg; macOS: brew install ffmpeg) or set FFMPEG_PATH/FFPROBE_PATH';

/** Says which tool is missing and how to get it. */
export function missingToolsMessage(tools: MediaTools, needs: ToolName): string {
  return `${needs} is needed for this job but was not found (${tools.source}): ${INSTALL_HINT}`;
}

/** The tool's path, or a MediaJobError InternalError saying what to install. */
export function requireTool(tools: MediaTools, needs: ToolName): string {
  const bin = tools[needs];
  if (!bin) throw new MediaJobError(MediaErrorCodes.InternalError, missingToolsMessage(tools, needs));
  return bin;
}

export interface RunToolOptions {
  /** Kill the tool after this long (default 120 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A tool run that failed: non-zero exit, killed by the timeout, or could not start. */
export class ToolError extends Error {
  /** The last part of stderr (up to 4000 characters). */
  stderr: string;
  exitCode?: number | null;
  timedOut: boolean;
  /** Set when the tool could not be started (e.g. `ENOENT`). */
  code?: string;

  constructor(message: string, init: { stderr?: string; exitCode?: number | null; timedOut?: boolean; code?: string }) {
    super(message);
    this.name = 'ToolError';
    this.stderr = init.stderr ?? '';
    this.exitCode = init.exitCode;
    this.timedOut = init.timedOut ?? false;
    if (init.code) this.code = init.code;
  }
}

const STDERR_TAIL = 4000;

function tail(text: string, max = STDERR_TAIL): string {
  return text.length > max ? text.slice(text.length - max) : text;
}

/** The last non-empty stderr lines, for error messages. */
function lastLines(text: string, count = 3): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-count)
    .join(' | ');
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const err = new Error(typeof reason === 'string' ? reason : 'The operation was aborted');
  err.name = 'AbortError';
  return err;
}

/** Runs `bin args…` (no shell) and resolves with its output; rejects with a ToolError on failure. */
export function runTool(bin: string, args: string[], opts: RunToolOptions = {}): Promise<{ stdout: string; stderr: string }> {
  const { timeoutMs = 120_000, signal } = opts;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    let timedOut = false;
    const name = basename(bin);

    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const onAbort = () => {
      kill();
      finish(() => reject(abortError(signal as AbortSignal)));
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (e: NodeJS.ErrnoException) => {
      kill();
      finish(() => reject(new ToolError(`${name} could not be started: ${e.message}`, { code: e.code, stderr: tail(Buffer.concat(err).toString('utf8')) })));
    });
    child.on('close', (code, sig) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) {
        finish(() => reject(new ToolError(`${name} timed out after ${timeoutMs} ms`, { stderr: tail(stderr), exitCode: code, timedOut: true })));
      } else if (code !== 0) {
        const why = code === null ? `was killed (${sig ?? 'signal'})` : `exited with code ${code}`;
        const detail = lastLines(stderr);
        finish(() => reject(new ToolError(`${name} ${why}${detail ? `: ${detail}` : ''}`, { stderr: tail(stderr), exitCode: code })));
      } else {
        finish(() => resolve({ stdout, stderr }));
      }
    });
  });
}

/**
 * Turns a failed tool run into the job's error: InternalError (with the install hint when the
 * tool could not be started). Abort errors pass through unchanged so callers can tell a cancel.
 */
export function toolFailure(err: unknown, what: string, tools: MediaTools, tool: ToolName): Error {
  if (err instanceof MediaJobError) return err;
  if (err instanceof ToolError) {
    if (err.code === 'ENOENT' || err.code === 'EACCES') {
      return new MediaJobError(MediaErrorCodes.InternalError, `${what}: ${err.message}; ${missingToolsMessage(tools, tool)}`);
    }
    return new MediaJobError(MediaErrorCodes.InternalError, `${what}: ${err.message}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** ffmpeg's opening arguments for a run with no console: no banner, no stdin, no progress, only errors logged. */
export const QUIET_FFMPEG = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error'] as const;
