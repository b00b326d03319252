/**
 * Helpers for property tests on top of core's deterministic PRNG (seededRandom, mulberry32).
 * Same seed -> same sequence, so a failing case can be replayed from its printed seed.
 */
import { seededRandom } from '../../src/random';

export class Rng {
  private readonly next: () => number;

  constructor(readonly seed: number) {
    this.next = seededRandom(seed);
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }

  /** An integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  /** `count` distinct items (or all of them when fewer), in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = items.slice();
    const out: T[] = [];
    while (out.length < count && pool.length > 0) out.push(pool.splice(this.int(0, pool.length - 1), 1)[0]);
    return out;
  }

  /**
   * A string of length in [minLen, maxLen] drawn from `alphabet`, given as whole code points
   * (so an emoji is never split into a lone surrogate).
   */
  string(alphabet: readonly string[], minLen: number, maxLen: number): string {
    const n = this.int(minLen, maxLen);
    let s = '';
    for (let i = 0; i < n; i++) s += this.pick(alphabet);
    return s;
  }

  /** Each letter upper- or lower-cased at random. */
  randomCase(s: string): string {
    return Array.from(s, (c) => (this.chance(0.5) ? c.toUpperCase() : c.toLowerCase())).join('');
  }
}

/** Splits a string into whole code points, for use as an alphabet. */
export function codePoints(s: string): string[] {
  return Array.from(s);
}
