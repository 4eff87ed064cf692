// Re-packing, added for the packing target of DESIGN.md §9. The solve plans nodes one at a time, each launched as
// the cheapest type that holds the pods that happened to join it, and right-sizing can only split one node at a
// time; so the plan buys many types and leaves room idle (1.10–1.28× the packing benchmark's lower bound). The
// cheapest fractional cover of the same pods (fractional-cover.ts) instead buys the one or two types whose
// cpu:memory mix and price suit the pods as a whole. Here the pods of a group of interchangeable planned nodes
// (repack-groups.ts) are packed again, together: every resource is priced as that cover prices it (its dual
// prices), types are ranked by how much of their price their room is worth, and the pods go into the types worth
// the most per dollar (vector-pack.ts, pack-search.ts). The new nodes replace the group's when they cost less.
//
// A group already within GATE of its fractional bound is left alone (nothing to gain; this keeps the pass cheap
// where packing is tight), and a re-pack is kept only when it saves MIN_SAVING and fits the pool's limits. New
// nodes get as options every type of the group that holds their pods, as a planned node from the solve does.

import { getOrInsert } from '../memo.js';
import type { InstanceType } from '../model/instancetype.js';
import type { Pod } from '../model/pod.js';
import { CPU, EPHEMERAL_STORAGE, MEMORY, type Resources } from '../resources/resources.js';
import type { NodeClaim } from '../scheduling/node-claim.js';
import type { PodView } from '../scheduling/pod-view.js';
import { byScheduleOrder } from '../scheduling/queue.js';
import { fractionalCover } from './fractional-cover.js';
import { isExotic } from './offerings.js';
import { type Packing, searchPacking } from './pack-search.js';
import { type RepackGroup, repackGroups } from './repack-groups.js';
import {
  type Candidate,
  candidatesFor,
  launchPrice,
  launchPriceOnce,
  seedClaim,
  swapWithinLimits,
  typesHolding,
} from './replacement-claims.js';
import { type BinType, fitsIn, type Shape } from './vector-pack.js';

/** A re-pack must save at least this fraction, so near-equal reshuffles never churn the plan. */
const MIN_SAVING = 0.01;
/**
 * Groups this close to their fractional bound are not re-packed: on whole nodes the packer itself lands a few
 * percent over the bound, so it could not save MIN_SAVING there.
 */
const GATE = 0.03;
/** Units for the LP (cores, GiB) so its coefficients stay within a few orders of magnitude of each other. */
const LP_SCALE: Readonly<Record<string, number>> = { [CPU]: 1e-3, [MEMORY]: 2 ** -30, [EPHEMERAL_STORAGE]: 2 ** -30 };

/**
 * The planned nodes with each re-packable group replaced by cheaper nodes where that saves money; other nodes
 * unchanged, order kept (a group's new nodes take its first node's place). `pods` are every pod whose topology
 * terms could select a planned pod: the solve's pods and those already running.
 */
export function repack(claims: readonly NodeClaim[], pods: readonly Pod[]): NodeClaim[] {
  let seq = claims.reduce((m, c) => Math.max(m, c.seq), 0) + 1;
  const replaced = new Map<NodeClaim, NodeClaim[]>();
  for (const group of repackGroups(claims, pods)) {
    const packed = repackGroup(group, () => seq++);
    if (!packed) continue;
    group.claims.forEach((c, i) => {
      replaced.set(c, i === 0 ? packed : []);
    });
  }
  if (replaced.size === 0) return [...claims];
  return claims.flatMap((c) => replaced.get(c) ?? [c]);
}

interface ShapeGroup extends Shape {
  /** The pods of this shape, in schedule order. */
  readonly views: PodView[];
}

function repackGroup(group: RepackGroup, nextSeq: () => number): NodeClaim[] | undefined {
  const { template, requirements, claims } = group;
  const views = claims.flatMap((c) => c.pods);
  if (views.length < 2) return undefined;
  const { types, every, all } = candidatesFor(template, requirements);
  const dims = dimensions(views);
  const demand = dims.map((r) => views.reduce((sum, v) => sum + (v.pod.requests[r] ?? 0), 0));
  let current = 0;
  for (const c of claims) current += launchPriceOnce(c.options, c.requirements) ?? Number.POSITIVE_INFINITY;
  // Most groups are already about as cheap as the bound allows: rule that out before looking at pod shapes.
  const plainCover = resourcePrices(demand, binTypesOf(all, dims), dims);
  if (plainCover && current <= plainCover.bound * (1 + GATE)) return undefined;
  const shapes = shapesOf(views, dims);
  const launchTypes = launchable(every, all, shapes, dims);
  if (!launchTypes) return undefined;
  const bins = binTypesOf(launchTypes, dims);
  const worth = launchTypes === all ? plainCover : resourcePrices(demand, bins, dims);
  if (!worth || current <= worth.bound * (1 + GATE)) return undefined;
  inScheduleOrder(shapes);
  const packing = searchPacking(shapes, byEfficiency(bins, worth.prices), worth.prices, cheapestFirst(bins));
  if (!packing) return undefined;
  // Nodes of a repeated fill hold the same requests: they share one options list, priced once.
  const fills = new Map<readonly number[], { options: InstanceType[]; price: number }>();
  let cost = 0;
  for (const counts of packing) {
    const fill = getOrInsert(fills, counts, () => {
      const options = typesHolding(template, types, load(counts, shapes, dims));
      return { options, price: launchPrice(options, requirements) ?? Number.POSITIVE_INFINITY };
    });
    cost += fill.price;
  }
  if (cost >= current * (1 - MIN_SAVING)) return undefined;
  const optionsOf = (counts: readonly number[]) => (fills.get(counts) as { options: InstanceType[] }).options;
  const packed = seedClaims(group, packing, shapes, optionsOf, nextSeq);
  return swapWithinLimits(template, claims, packed) ? packed : undefined;
}

/** The planned nodes of a packing: each shape's pods handed out in order, each node's pods in schedule order. */
function seedClaims(
  group: RepackGroup,
  packing: Packing,
  shapes: readonly ShapeGroup[],
  optionsOf: (counts: readonly number[]) => readonly InstanceType[],
  nextSeq: () => number,
): NodeClaim[] {
  const next = shapes.map(() => 0);
  return packing.map((counts) => {
    const views = counts.flatMap((count, s) => {
      const from = next[s] as number;
      next[s] = from + count;
      return (shapes[s] as ShapeGroup).views.slice(from, from + count);
    });
    views.sort((a, b) => byScheduleOrder(a.pod, b.pod));
    const seq = nextSeq();
    const hostname = `hostname-repacked-${String(seq).padStart(4, '0')}`;
    return seedClaim(group.template, group.requirements, views, optionsOf(counts), hostname, seq);
  });
}

/**
 * The types the group's nodes may launch as, mirroring the launch-time exotic filter (offerings.ts): the plain
 * types when each pod fits one, the types holding some pod when none fits a plain type (GPU pods on GPU types);
 * undefined for a mix of both, which the filter would price node by node in a way this packing does not model.
 */
function launchable(
  every: readonly Candidate[],
  all: readonly Candidate[],
  shapes: readonly Shape[],
  dims: readonly string[],
): readonly Candidate[] | undefined {
  // `all` is `every` without exotic types, or all of them when every type is exotic.
  const plain = all.some((c) => isExotic(c.type)) ? [] : all;
  const holds = (c: Candidate, s: Shape) => s.size.every((x, d) => x <= (c.room[dims[d] as string] ?? 0));
  const plainHolds = shapes.map((s) => plain.some((c) => holds(c, s)));
  if (plainHolds.every(Boolean)) return plain.length > 0 ? plain : undefined;
  if (plainHolds.some(Boolean)) return undefined;
  const holding = every.filter((c) => shapes.some((s) => holds(c, s)));
  return holding.length > 0 ? holding : undefined;
}

/** The resources the group's pods request, in a fixed order. */
function dimensions(views: readonly PodView[]): string[] {
  const keys = new Set<string>();
  for (const v of views) for (const key in v.pod.requests) if ((v.pod.requests[key] as number) > 0) keys.add(key);
  return [...keys].sort();
}

/** Pods with identical requests, as one shape each (unordered until `inScheduleOrder`: most groups stop sooner). */
function shapesOf(views: readonly PodView[], dims: readonly string[]): ShapeGroup[] {
  const byKey = new Map<string, ShapeGroup & { count: number }>();
  for (const v of views) {
    const size = dims.map((r) => v.pod.requests[r] ?? 0);
    const key = size.join(',');
    const shape = byKey.get(key);
    if (shape) {
      shape.views.push(v);
      shape.count++;
    } else byKey.set(key, { size, count: 1, views: [v] });
  }
  return [...byKey.values()];
}

/** Sorts each shape's pods, and the shapes by their first pod, in schedule order: the packing's tie-breaks. */
function inScheduleOrder(shapes: ShapeGroup[]): void {
  for (const s of shapes) s.views.sort((a, b) => byScheduleOrder(a.pod, b.pod));
  shapes.sort((a, b) => byScheduleOrder((a.views[0] as PodView).pod, (b.views[0] as PodView).pod));
}

/**
 * The cheapest fractional cover of the group's requests (`demand`, per dimension) by the candidate types: its cost
 * (the group's lower bound) and its dual prices per resource, in the requests' own units.
 */
function resourcePrices(
  demand: readonly number[],
  bins: readonly BinType[],
  dims: readonly string[],
): { bound: number; prices: number[] } | undefined {
  const scale = dims.map((r) => LP_SCALE[r] ?? 1);
  const cover = fractionalCover(
    bins.map((b) => ({ amounts: b.room.map((x, d) => x * (scale[d] as number)), price: b.price })),
    demand.map((x, d) => x * (scale[d] as number)),
  );
  if (!cover) return undefined;
  return { bound: cover.cost, prices: cover.duals.map((p, d) => p * (scale[d] as number)) };
}

/** Candidates as the packer sees them: room per dimension, and price. */
function binTypesOf(candidates: readonly Candidate[], dims: readonly string[]): BinType[] {
  return candidates.map((c) => ({ room: dims.map((r) => c.room[r] ?? 0), price: c.price }));
}

/**
 * The types by how much of their price their room is worth at the resource prices (1 for the types the cover
 * buys, less for the others); ties keep catalogue order.
 */
function byEfficiency(bins: readonly BinType[], prices: readonly number[]): BinType[] {
  const efficiency = (b: BinType) => b.room.reduce((sum, x, d) => sum + x * (prices[d] as number), 0) / b.price;
  return bins
    .map((b, i) => ({ b, i, e: efficiency(b) }))
    .sort((x, y) => y.e - x.e || x.i - y.i)
    .map((x) => x.b);
}

/** The types a launch could pick, cheapest first, without those that cost at least as much as a roomier one. */
function cheapestFirst(bins: readonly BinType[]): BinType[] {
  const kept: BinType[] = [];
  for (const b of [...bins].sort((x, y) => x.price - y.price)) {
    if (!kept.some((k) => fitsIn(b.room, k.room))) kept.push(b);
  }
  return kept;
}

/** A node's requests, by resource name. */
function load(counts: readonly number[], shapes: readonly Shape[], dims: readonly string[]): Resources {
  const out: Record<string, number> = {};
  dims.forEach((r, d) => {
    out[r] = counts.reduce((sum, c, s) => sum + c * ((shapes[s] as Shape).size[d] as number), 0);
  });
  return out;
}
