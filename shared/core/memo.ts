// Get-or-create on a map: the one idiom behind the core's per-solve caches.

/** The value under `key`, created with `create` and stored on first use. */
export function getOrInsert<K, V>(
  map: Map<K, V> | (K extends object ? WeakMap<K, V> : never),
  key: K,
  create: () => V,
): V {
  const existing = map.get(key);
  if (existing !== undefined) return existing;
  const value = create();
  map.set(key, value);
  return value;
}
