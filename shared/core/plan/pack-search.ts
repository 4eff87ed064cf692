// Several runs of the greedy packer (vector-pack.ts) for re-packing (repack.ts), the cheapest kept. The greedy
// opens the node worth the most per dollar at each step, and with every type on offer it can use up early the pods
// that later nodes needed to fill their memory or CPU; the fewer the nodes, the more such a miss costs (at 100
// pods one half-empty node is a few percent of the bill). Offering only the k most cost-efficient types, for a few
// k, pushes it towards the one to three types the cheapest fractional cover buys; longer lists let the last nodes
// be small. On the packing benchmark the short lists win at 100 pods (1.06× the bound → 1.04×), the long ones from
// 1 000 pods up. Re-packing pairs of the resulting nodes was tried too and, with this fill rule, saved nothing.
//
// A node's cost here is that of the cheapest type with room for its pods, which is what its launch will pick.

import { type BinType, fitsIn, packShapes, type Shape } from './vector-pack.js';

/** Candidate-list lengths tried, most cost-efficient types first: the cover's basis, a few more, and plenty. */
const LIST_LENGTHS: readonly number[] = [2, 3, 5, 8, 16, 32];
/**
 * Lists longer than 16 are tried only when the best packing so far has at most this many nodes. Each run costs
 * about its list length (32 types: ~40 ms for 3 000 pods), and what the long list buys is a better last node or
 * two: 100 pods in three zones go from 1.10× to 1.08× the bound, 10 000 gain nothing.
 */
const LONG_LIST_MAX_NODES = 64;

/** Pods per shape, one array per node; nodes of a repeated fill share one array. */
export type Packing = readonly (readonly number[])[];

/**
 * The cheapest packing found of all the shapes' pods, or undefined when some pod fits no type. `ranked` is the
 * candidate types, most cost-efficient first; `byPrice` every type a launch may pick, cheapest first (types no
 * cheaper than a roomier one may be left out).
 */
export function searchPacking(
  shapes: readonly Shape[],
  ranked: readonly BinType[],
  worth: readonly number[],
  byPrice: readonly BinType[],
): Packing | undefined {
  let best: { bins: Packing; cost: number } | undefined;
  for (const k of LIST_LENGTHS) {
    if (k > 16 && best && best.bins.length > LONG_LIST_MAX_NODES) break;
    const bins = packShapes(shapes, candidateList(ranked, k, shapes), worth)?.map((b) => b.counts);
    if (!bins) continue;
    const cost = packingCost(bins, shapes, byPrice);
    if (!best || cost < best.cost) best = { bins, cost };
    // Fewer types than the list length: every longer list is this one again.
    if (k >= ranked.length) break;
  }
  return best?.bins;
}

/** The first `k` ranked types, plus, for any shape none of them holds, the first ranked type that does. */
function candidateList(ranked: readonly BinType[], k: number, shapes: readonly Shape[]): BinType[] {
  const list = ranked.slice(0, k);
  for (const s of shapes) {
    if (list.some((t) => fitsIn(s.size, t.room))) continue;
    const fallback = ranked.find((t) => fitsIn(s.size, t.room));
    if (fallback) list.push(fallback);
  }
  return list;
}

function packingCost(bins: Packing, shapes: readonly Shape[], byPrice: readonly BinType[]): number {
  // Repeated fills share one array: price each once.
  const priced = new Map<readonly number[], number>();
  let total = 0;
  for (const counts of bins) {
    let price = priced.get(counts);
    if (price === undefined) {
      price = nodeCost(counts, shapes, byPrice);
      priced.set(counts, price);
    }
    total += price;
  }
  return total;
}

/** The price of the cheapest type with room for the node's pods (infinite when none has). */
function nodeCost(counts: readonly number[], shapes: readonly Shape[], byPrice: readonly BinType[]): number {
  const load = (shapes[0] as Shape).size.map((_, d) =>
    counts.reduce((sum, c, s) => sum + c * ((shapes[s] as Shape).size[d] as number), 0),
  );
  return byPrice.find((t) => fitsIn(load, t.room))?.price ?? Number.POSITIVE_INFINITY;
}
