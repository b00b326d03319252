/** Runs npm the way a user would, isolated from the npm script that may be running this suite. */
import { spawn } from 'node:child_process';

/**
 * npm exports its configuration to scripts as npm_* variables; `npm_config_local_prefix`
 * alone would make an `npm install` in a temporary directory act on the repository. Only
 * settings about where the cache is and how to reach the registry are passed on.
 */
const KEPT_NPM_VARIABLES = new Set([
  'npm_config_cache',
  'npm_config_userconfig',
  'npm_config_globalconfig',
  'npm_config_cafile',
  'npm_config_registry',
  'npm_config_proxy',
  'npm_config_https_proxy',
  'npm_config_noproxy',
  'npm_config_strict_ssl',
]);

export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && !KEPT_NPM_VARIABLES.has(key.toLowerCase())) continue;
    env[key] = value;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

export interface NpmResult {
  stdout: string;
  stderr: string;
}

/** `npm <args>` in `cwd`; rejects with npm's output when it fails or takes longer than `timeoutMs`. */
export function npm(args: string[], cwd: string, timeoutMs = 120_000): Promise<NpmResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`npm ${args.join(' ')} (in ${cwd}) failed with ${signal ?? `exit code ${code}`}:\n${stderr.slice(-4000)}\n${stdout.slice(-2000)}`));
    });
  });
}
