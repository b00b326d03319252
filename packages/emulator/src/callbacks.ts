/**
 * Callback delivery: when a job ends, POST its TaskFinish body to the job's CallBack URL
 * (or the emulator's default), XML or JSON; retry failed deliveries with backoff a bounded
 * number of times. CallBackType TDMQ keeps the message in an in-memory topic instead,
 * readable at `GET /_emulator/mq/<name>`.
 */
import { callbackBody } from './bodies';
import type { Faults } from './faults';
import type { CallbackTarget } from './job';
import { redactUrl, redactUrlIn } from './redact';

export interface CallbackStats {
  delivered: number;
  failed: number;
  attempts: number;
}

export interface MqMessage {
  MqMode?: string;
  MqRegion?: string;
  MqName: string;
  format: 'XML' | 'JSON';
  body: string;
  time: string;
}

export interface CallbackOptions {
  retries: number;
  retryDelayMs: number;
  timeoutMs: number;
  faults: Faults;
  log: (line: string) => void;
}

export class Callbacks {
  readonly stats: CallbackStats = { delivered: 0, failed: 0, attempts: 0 };
  readonly topics = new Map<string, MqMessage[]>();
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  private readonly abort = new AbortController();

  constructor(private readonly options: CallbackOptions) {}

  /** Sends a job's TaskFinish; `settled` is called once it is delivered or given up after its retries (not when close() cuts it short). */
  send(jobId: string, detail: Record<string, unknown>, target: CallbackTarget, settled: () => void = () => undefined): void {
    const { body, contentType } = callbackBody(detail, target.format);
    if (target.type === 'TDMQ') {
      const name = target.mq?.MqName ?? 'default';
      const list = this.topics.get(name) ?? [];
      list.push({ ...target.mq, MqName: name, format: target.format, body, time: new Date().toISOString() });
      this.topics.set(name, list);
      this.stats.delivered += 1;
      this.options.log(`callback ${jobId} -> TDMQ ${name}`);
      settled();
      return;
    }
    if (!target.url) return settled();
    const p = this.deliver(jobId, target.url, body, contentType)
      .then((outcome) => {
        if (outcome !== 'cut short') settled();
      })
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  private async deliver(jobId: string, url: string, body: string, contentType: string): Promise<'delivered' | 'failed' | 'cut short'> {
    const shown = redactUrl(url); // callback URLs carry tokens: never log them
    for (let attempt = 0; attempt <= this.options.retries && !this.closed; attempt += 1) {
      if (attempt > 0) await this.sleep(this.options.retryDelayMs * 2 ** (attempt - 1));
      if (this.closed) return 'cut short';
      this.stats.attempts += 1;
      const { latencyMs, fault } = this.options.faults.draw('callback');
      if (latencyMs) await this.sleep(latencyMs);
      let outcome: string;
      if (fault) {
        outcome = `injected ${fault}`;
      } else {
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': contentType, 'user-agent': 'tencent-ci-emulator' },
            body,
            signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.timeoutMs)]),
          });
          await res.arrayBuffer().catch(() => undefined);
          if (res.ok) {
            this.stats.delivered += 1;
            this.options.log(`callback ${jobId} -> ${shown}: ${res.status}`);
            return 'delivered';
          }
          outcome = `HTTP ${res.status}`;
        } catch (err) {
          outcome = redactUrlIn((err as Error).message, url); // undici may quote the URL
        }
      }
      if (this.closed) return 'cut short';
      this.options.log(`callback ${jobId} -> ${shown} failed (attempt ${attempt + 1}): ${outcome}`);
    }
    if (this.closed) return 'cut short';
    this.stats.failed += 1;
    return 'failed';
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  /** Waits for deliveries in flight (tests), up to `timeoutMs`. */
  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0 && Date.now() < deadline) await Promise.race([...this.pending, new Promise((r) => setTimeout(r, 20))]);
  }

  close(): void {
    this.closed = true;
    this.abort.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
