// A small time-to-live cache on an injected clock: callers pass `now` (epoch ms), so tests and the simulator's
// virtual clock drive expiry. Entries past their TTL are not returned by `get`, but `stale` still finds them:
// a failed refresh can fall back to the last good value instead of failing the tick.

interface Entry<V> {
  readonly value: V;
  readonly expiresAt: number;
}

export class TtlCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();

  constructor(private readonly ttlMs: number) {}

  /** The fresh value for `key`, or undefined when absent or expired. */
  get(key: K, now: number): V | undefined {
    const entry = this.entries.get(key);
    return entry !== undefined && now < entry.expiresAt ? entry.value : undefined;
  }

  /** The last value stored for `key`, fresh or not. */
  stale(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  set(key: K, value: V, now: number): void {
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  /**
   * The fresh value for `key`, else `load()`'s, stored. When `load` fails and an expired value exists, that
   * value is returned (and kept expired, so the next call retries); otherwise the error propagates.
   */
  async getOrLoad(key: K, now: number, load: () => Promise<V>): Promise<V> {
    const fresh = this.get(key, now);
    if (fresh !== undefined) return fresh;
    try {
      const value = await load();
      this.set(key, value, now);
      return value;
    } catch (error) {
      const previous = this.stale(key);
      if (previous !== undefined) return previous;
      throw error;
    }
  }
}
