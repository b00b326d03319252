/** A bounded set of recently seen keys: the oldest key is forgotten first. */
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly max = 10_000) {}

  get size(): number {
    return this.keys.size;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** Adds `key`; false when it was already there (a duplicate). */
  add(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.max) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    return true;
  }

  /** Forgets `key`, so that a later delivery of it counts again. */
  delete(key: string): void {
    this.keys.delete(key);
  }
}
