/**
 * The config node's runtime: where the bucket is and how to sign. It owns one CiClient and
 * one JobWatcher, shared by every node that uses it, created on first use and closed on
 * redeploy. Credentials come from Node-RED's credential store (where `${ENV}` works) and
 * fall back to TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY / TENCENTCLOUD_SESSION_TOKEN.
 */
import { CiClient, CiError, JobWatcher, numberSetting, type JobsDetail } from '@node-red-tencent-ci/core';
import { jobBoard } from './tracking/job-board';

export interface ConfigProps {
  /** The config node's id (Node-RED passes it with the settings). */
  id?: string;
  name?: string;
  bucket?: string;
  region?: string;
  endpoint?: string;
  /** Request timeout in seconds. */
  timeout?: number | string;
  /** Polling: first check after, and longest interval between checks, in seconds. */
  minInterval?: number | string;
  maxInterval?: number | string;
}

export interface Credentials {
  secretId?: string;
  secretKey?: string;
  sessionToken?: string;
}

export const CONFIG_TYPE = 'tencent-ci-config';

function num(value: unknown, fallback: number): number {
  const n = numberSetting(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Resolves credentials: node credentials first, then the environment. Never logs them. */
export function resolveCredentials(
  creds: Credentials | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Required<Pick<Credentials, 'secretId' | 'secretKey'>> & { sessionToken?: string } {
  const pick = (v: string | undefined, name: string) => (v && v.trim() ? v.trim() : env[name]?.trim() || '');
  return {
    secretId: pick(creds?.secretId, 'TENCENTCLOUD_SECRET_ID'),
    secretKey: pick(creds?.secretKey, 'TENCENTCLOUD_SECRET_KEY'),
    sessionToken: pick(creds?.sessionToken, 'TENCENTCLOUD_SESSION_TOKEN') || undefined,
  };
}

/** What job, wait and callback nodes use of a config node. */
export interface CiConnection {
  readonly bucket: string;
  readonly region: string;
  client(): CiClient;
  watcher(): JobWatcher;
  notify(details: JobsDetail | JobsDetail[]): number;
}

export class ConfigRuntime implements CiConnection {
  readonly bucket: string;
  readonly region: string;
  private readonly props: ConfigProps;
  private readonly creds: Credentials | undefined;
  private clientInstance?: CiClient;
  private watcherInstance?: JobWatcher;
  private closed = false;

  constructor(props: ConfigProps, creds: Credentials | undefined) {
    this.props = props;
    this.creds = creds;
    this.bucket = String(props.bucket ?? '').trim();
    this.region = String(props.region ?? '').trim();
  }

  /** The shared client; throws a CiError naming what is missing (never the secret values). */
  client(): CiClient {
    if (this.closed) throw new CiError({ code: 'ConfigClosed', message: 'The Tencent CI config node has been closed' });
    if (!this.clientInstance) {
      const { secretId, secretKey, sessionToken } = resolveCredentials(this.creds);
      if (!secretId || !secretKey) {
        throw new CiError({
          code: 'MissingCredentials',
          message: `No ${secretId ? 'SecretKey' : 'SecretId'}: set it in the Tencent CI config node or in the environment variable ${secretId ? 'TENCENTCLOUD_SECRET_KEY' : 'TENCENTCLOUD_SECRET_ID'}`,
        });
      }
      this.clientInstance = new CiClient({
        secretId,
        secretKey,
        sessionToken,
        bucket: this.bucket,
        region: this.region,
        endpoint: this.props.endpoint?.trim() || undefined,
        timeoutMs: num(this.props.timeout, 30) * 1000,
      });
    }
    return this.clientInstance;
  }

  watcher(): JobWatcher {
    if (!this.watcherInstance) {
      const min = num(this.props.minInterval, 1) * 1000;
      // The watcher reaches the client only when it polls, so notify() (callbacks) works
      // before, and without, credentials.
      // Every describe answer also tells the editor's Tencent CI sidebar how the jobs are doing (job-board.ts).
      const describer = {
        describe: (ids: string[]) =>
          this.client()
            .describe(ids)
            .then((answer) => {
              jobBoard.described(this.props.id, answer.JobsDetail);
              return answer;
            }),
        cancel: (id: string) => this.client().cancel(id),
      };
      this.watcherInstance = new JobWatcher(describer, {
        minIntervalMs: min,
        maxIntervalMs: Math.max(min, num(this.props.maxInterval, 15) * 1000),
        defaultTimeoutMs: 0,
      });
    }
    return this.watcherInstance;
  }

  /** Settles waits for these jobs at once (callbacks). */
  notify(details: JobsDetail | JobsDetail[]): number {
    return this.watcher().notify(details);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcherInstance?.close();
    await this.clientInstance?.close();
  }
}
