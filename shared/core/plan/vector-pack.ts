// Packing pods of a few distinct shapes into nodes of several candidate types, cheapest total first: the bin
// packing behind re-packing (repack.ts, pack-search.ts). Pods are counted per shape (requests as a vector over
// resources), so a node's fill costs (its pods × shapes), not (its pods × all pods).
//
// A pod's worth is its requests valued at the resource prices of the cheapest fractional cover
// (fractional-cover.ts), so a node's "worth per dollar" says how close it comes to the lower bound: 1 is no waste.
// Each step opens one node: every candidate type is filled greedily from the pods left, and the type whose fill is
// worth the most per dollar wins. The fill takes, pod after pod, the one that fits and scores best on
//   (size·free / room²) × worth / (largest share of the free room it takes):
// the first factor is the dot-product heuristic of vector bin packing (pods big where the node still has room keep
// its cpu:memory mix close to its type's), the rest is knapsack density (worth per unit of the scarcest resource
// left), which keeps a compute type from filling up with memory-heavy pods just because they are big. On the
// packing benchmark the product beat either alone by 1–4%. Once a type wins with some fill, that fill is repeated
// for a share of the pods left, then the choice is made again: thousands of pods take tens of choices.

export interface Shape {
  /** Requests per resource. */
  readonly size: readonly number[];
  readonly count: number;
}

export interface BinType {
  /** Room per resource, in the same order as `Shape.size`. */
  readonly room: readonly number[];
  readonly price: number;
}

export interface PackedBin {
  /** Index into the bin types. */
  readonly type: number;
  /** Pods per shape. */
  readonly counts: readonly number[];
}

/** Of the repeats a winning fill could still make, the share made before choosing again. */
const REPEAT_SHARE = 0.5;

/**
 * Nodes holding every pod, or undefined when some pod fits no type. `worth` prices each resource; types are
 * tried in the order given, which breaks ties.
 */
export function packShapes(
  shapes: readonly Shape[],
  types: readonly BinType[],
  worth: readonly number[],
): PackedBin[] | undefined {
  const left = shapes.map((s) => s.count);
  const value = shapes.map((s) => dot(s.size, worth));
  let podsLeft = left.reduce((a, b) => a + b, 0);
  const bins: PackedBin[] = [];
  while (podsLeft > 0) {
    let best: { type: number; counts: number[]; score: number } | undefined;
    types.forEach((type, t) => {
      const counts = fill(shapes, left, type.room, value);
      if (!counts.some((c) => c > 0)) return;
      const score = dot(counts, value) / type.price;
      if (!best || score > best.score) best = { type: t, counts, score };
    });
    if (!best) return undefined;
    const { type, counts } = best;
    const repeats = Math.max(1, Math.floor(REPEAT_SHARE * possibleRepeats(counts, left)));
    for (let r = 0; r < repeats; r++) bins.push({ type, counts });
    counts.forEach((c, s) => {
      left[s] = (left[s] as number) - c * repeats;
      podsLeft -= c * repeats;
    });
  }
  return bins;
}

function possibleRepeats(counts: readonly number[], left: readonly number[]): number {
  let repeats = Number.POSITIVE_INFINITY;
  counts.forEach((c, s) => {
    if (c > 0) repeats = Math.min(repeats, Math.floor((left[s] as number) / c));
  });
  return repeats;
}

/** A greedy fill of one node with `room`: pods per shape (`value`: each shape's worth). */
function fill(
  shapes: readonly Shape[],
  left: readonly number[],
  room: readonly number[],
  value: readonly number[],
): number[] {
  const free = [...room];
  const counts = shapes.map(() => 0);
  for (;;) {
    let best = -1;
    let bestScore = -1;
    for (let s = 0; s < shapes.length; s++) {
      if ((counts[s] as number) >= (left[s] as number)) continue;
      const score = fillScore((shapes[s] as Shape).size, free, room, value[s] as number);
      if (score > bestScore) {
        best = s;
        bestScore = score;
      }
    }
    if (best < 0) return counts;
    const size = (shapes[best] as Shape).size;
    counts[best] = (counts[best] as number) + 1;
    for (let d = 0; d < free.length; d++) free[d] = (free[d] as number) - (size[d] as number);
  }
}

/**
 * (size·free / room²) × worth / (largest share of the free room the pod takes), in one pass; -1 when the pod
 * does not fit. The fill's hot loop.
 */
function fillScore(size: readonly number[], free: readonly number[], room: readonly number[], worth: number): number {
  let aligned = 0;
  let share = Number.MIN_VALUE;
  for (let d = 0; d < size.length; d++) {
    const x = size[d] as number;
    if (x <= 0) continue;
    const f = free[d] as number;
    if (x > f) return -1;
    const r = room[d] as number;
    aligned += (x * f) / (r * r);
    share = Math.max(share, x / f);
  }
  return (aligned * worth) / share;
}

export function fitsIn(size: readonly number[], free: readonly number[]): boolean {
  for (let d = 0; d < size.length; d++) if ((size[d] as number) > (free[d] as number)) return false;
  return true;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}
