// A small seeded PRNG for the benchmarks: mulberry32, so every run draws the same pods. Karpenter's benchmark
// uses Go's math/rand with seed 42; the sequence differs, the distributions (uniform picks) do not.

/** A deterministic generator of floats in [0, 1). */
export type Random = () => number;

/** mulberry32: 32 bits of state, passes the usual smoke tests, plenty for drawing benchmark inputs. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One element of `values`, uniformly. */
export function pick<T>(random: Random, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)] as T;
}
