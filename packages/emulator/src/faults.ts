/**
 * Fault injection, per route and with a probability, deterministic under a seed.
 *
 * Spec: comma-separated rules `route:kind@probability`, e.g.
 *   `describe:503@0.2,submit:429@0.1,*:latency=300@1,describe:drop-before@0.05,callback:fail@0.5`
 * routes: submit, describe, list, cancel, object, callback, * (every API route);
 * kinds: latency=<ms>, 429, 500, 503, drop-before (close the connection before processing),
 * drop-after (process the request, then close the connection without answering),
 * fail (callback deliveries: the attempt fails without being sent).
 */
import { seededRandom } from '@node-red-tencent-ci/core';

export type FaultRoute = 'submit' | 'describe' | 'list' | 'cancel' | 'object' | 'callback' | '*';
export type FaultKind = 'latency' | '429' | '500' | '503' | 'drop-before' | 'drop-after' | 'fail';

export interface FaultRule {
  route: FaultRoute;
  kind: FaultKind;
  probability: number;
  /** Latency in ms. */
  value?: number;
}

const ROUTES = new Set<FaultRoute>(['submit', 'describe', 'list', 'cancel', 'object', 'callback', '*']);
const KINDS = new Set<FaultKind>(['latency', '429', '500', '503', 'drop-before', 'drop-after', 'fail']);

export function parseFaults(spec: string | readonly FaultRule[] | undefined): FaultRule[] {
  if (spec === undefined || spec === '') return [];
  if (typeof spec !== 'string') return spec.map((r) => ({ ...r }));
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([a-z*]+):([a-z0-9-]+)(?:=(\d+))?(?:@([0-9.]+))?$/.exec(part);
      if (!m) throw new Error(`Fault rule ${JSON.stringify(part)} is not route:kind[=value][@probability]`);
      const [, route, kind, value, probability] = m;
      if (!ROUTES.has(route as FaultRoute)) throw new Error(`Fault rule ${part}: unknown route ${route}; use ${[...ROUTES].join(', ')}`);
      if (!KINDS.has(kind as FaultKind)) throw new Error(`Fault rule ${part}: unknown kind ${kind}; use ${[...KINDS].join(', ')}`);
      if (kind === 'latency' && value === undefined) throw new Error(`Fault rule ${part}: latency needs a value in ms, e.g. latency=200`);
      const p = probability === undefined ? 1 : Number(probability);
      if (!(p >= 0 && p <= 1)) throw new Error(`Fault rule ${part}: probability must be in [0, 1]`);
      return { route: route as FaultRoute, kind: kind as FaultKind, probability: p, value: value === undefined ? undefined : Number(value) };
    });
}

export class Faults {
  private rules: FaultRule[];
  private random: () => number;
  readonly injected: Record<string, number> = {};

  constructor(spec: string | readonly FaultRule[] | undefined, seed?: number) {
    this.rules = parseFaults(spec);
    this.random = seed === undefined ? Math.random : seededRandom(seed);
  }

  set(spec: string | readonly FaultRule[] | undefined, seed?: number): void {
    this.rules = parseFaults(spec);
    if (seed !== undefined) this.random = seededRandom(seed);
  }

  get active(): readonly FaultRule[] {
    return this.rules;
  }

  /** The faults that fire for one request on `route` (at most one of each kind; latency adds up). */
  draw(route: Exclude<FaultRoute, '*'>): { latencyMs: number; fault?: FaultKind } {
    let latencyMs = 0;
    let fault: FaultKind | undefined;
    for (const rule of this.rules) {
      if (rule.route !== route && !(rule.route === '*' && route !== 'callback')) continue;
      if (this.random() >= rule.probability) continue;
      if (rule.kind === 'latency') {
        latencyMs += rule.value ?? 0;
        this.count(route, 'latency');
      } else if (!fault) {
        fault = rule.kind;
        this.count(route, rule.kind);
      }
    }
    return { latencyMs, fault };
  }

  private count(route: string, kind: string): void {
    const key = `${route}:${kind}`;
    this.injected[key] = (this.injected[key] ?? 0) + 1;
  }
}
