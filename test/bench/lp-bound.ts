// The packing LP lower bound (DESIGN.md §9): the cheapest *fractional* set of allowed instance types whose
// allocatable covers the workload's total requests. Any real plan buys whole nodes of allowed types, and their
// allocatable covers the same totals, so no plan costs less: the ratio plan / bound measures packing waste
// (plus whatever topology forces). Solved with YALPS; units are scaled (cores, GiB) to keep the simplex tame.
//
// Two constraints every plan obeys make it tighter (both added with re-packing, when the gap left was small
// enough for the bound's own slack to matter). Pools: nodes of a pool take only the pods that may use it (a pod
// that does not tolerate the GPU pool's taint never runs on a GPU node's CPUs), so for each set of pools some pods
// are limited to, those pools' nodes must cover those pods; before, the general pods' CPU could be "covered" by GPU
// nodes. Zones: workloads that spread over zones (DoNotSchedule) get the LP per zone, each zone's nodes holding that
// zone's share of every spread Deployment (zonal-split.ts) at that zone's prices, as the plan's must; before, every
// pod could run where a type is cheapest. The first raises the GPU workload’s bound by 16–22%, the second the zonal
// workload's by ~0.6%; neither changes a single-pool, zone-free workload.

import { solve } from 'yalps';
import type { InstanceType } from '../../shared/core/model/instancetype.js';
import { addInto, type Resources } from '../../shared/core/resources/resources.js';
import type { ZonalSplit } from './zonal-split.js';

export interface Candidate {
  /** The NodePool the type is offered through. */
  readonly pool: string;
  readonly type: InstanceType;
  /** Room for pods per node (allocatable minus DaemonSet overhead). */
  readonly available: Resources;
  /** $/h of its cheapest offering the pool allows. */
  readonly price: number;
  /** That offering's capacity type (spot, on-demand): the bench prints which one the bound is priced at. */
  readonly capacityType: string;
  /** Per zone, $/h of its cheapest offering there the pool allows. */
  readonly zonePrices: ReadonlyMap<string, number>;
}

export interface Bound {
  /** $/h; NaN when infeasible. */
  readonly cost: number;
  readonly status: string;
  /** Fractional node counts by type (summed over zones), largest spend first. */
  readonly mix: readonly (readonly [string, number])[];
}

/** Pods that may use exactly these pools, and their total requests. */
export interface PoolClass {
  readonly pools: readonly string[];
  readonly demand: Resources;
}

export interface BoundOptions {
  readonly zonal?: ZonalSplit | undefined;
  readonly classes?: readonly PoolClass[];
}

/** Resources the bound covers, with the scale that turns canonical units into well-sized LP coefficients. */
export const SCALES: Readonly<Record<string, number>> = { cpu: 1 / 1000, memory: 1 / 2 ** 30, pods: 1 };

/**
 * The LP: minimise Σ x_t·price_t subject to Σ x_t·available_t[r] ≥ demand[r] for cpu, memory, pods and every
 * extended resource the workload requests (a GPU count, say), x_t ≥ 0 continuous; x is per pool and type. With pod
 * classes, the pools of each class also cover the classes limited to them; with a zonal split, x is also per zone,
 * priced by zone, and each zone's x covers the zone's floor.
 */
export function lpLowerBound(candidates: readonly Candidate[], demand: Resources, options: BoundOptions = {}): Bound {
  const { zonal } = options;
  const resources = Object.keys(demand).filter((r) => (demand[r] as number) > 0);
  const scale = (r: string) => SCALES[r] ?? 1;
  const constraints = new Map(resources.map((r) => [r, { min: (demand[r] as number) * scale(r) }]));
  const limits = poolLimits(options.classes ?? [], candidates);
  for (const [i, limit] of limits.entries()) {
    for (const r of resources) constraints.set(`pools${i}|${r}`, { min: (limit.demand[r] ?? 0) * scale(r) });
  }
  for (const zone of zonal?.zones ?? []) {
    for (const r of resources) constraints.set(`${zone}|${r}`, { min: (zonal?.floor[r] ?? 0) * scale(r) });
  }
  const variables = new Map<string, [string, number][]>();
  const spend = new Map<string, number>();
  for (const c of candidates) {
    for (const zone of zonal ? zonal.zones : [undefined]) {
      const price = zone === undefined ? c.price : c.zonePrices.get(zone);
      if (price === undefined) continue;
      const coefficients: [string, number][] = [['cost', price]];
      for (const r of resources) {
        const amount = (c.available[r] ?? 0) * scale(r);
        coefficients.push([r, amount]);
        for (const [i, limit] of limits.entries())
          if (limit.pools.has(c.pool)) coefficients.push([`pools${i}|${r}`, amount]);
        if (zone !== undefined) coefficients.push([`${zone}|${r}`, amount]);
      }
      const name = `${c.type.name}@${c.pool}@${zone ?? ''}`;
      variables.set(name, coefficients);
      spend.set(name, price);
    }
  }
  const solution = solve({ direction: 'minimize', objective: 'cost', constraints, variables });
  const byType = new Map<string, { count: number; dollars: number }>();
  for (const [name, x] of solution.variables) {
    const type = name.split('@')[0] as string;
    const seen = byType.get(type) ?? { count: 0, dollars: 0 };
    byType.set(type, { count: seen.count + x, dollars: seen.dollars + x * (spend.get(name) ?? 0) });
  }
  const mix = [...byType.entries()]
    .sort((a, b) => b[1].dollars - a[1].dollars)
    .map(([type, s]) => [type, s.count] as const);
  return { cost: solution.status === 'optimal' ? solution.result : Number.NaN, status: solution.status, mix };
}

/**
 * For each set of pools some pods are limited to (short of every pool): those pools, and the requests of every
 * pod limited to a subset of them. Each is a necessary condition; for overlapping sets their unions would add more.
 */
export function poolLimits(
  classes: readonly PoolClass[],
  candidates: readonly Candidate[],
): { pools: ReadonlySet<string>; demand: Resources }[] {
  const everyPool = new Set(candidates.map((c) => c.pool));
  const out: { pools: ReadonlySet<string>; demand: Resources }[] = [];
  for (const c of classes) {
    const pools = new Set(c.pools);
    if (pools.size === 0 || pools.size >= everyPool.size) continue;
    if (out.some((o) => o.pools.size === pools.size && [...pools].every((p) => o.pools.has(p)))) continue;
    const demand: Record<string, number> = {};
    for (const d of classes) if (d.pools.length > 0 && d.pools.every((p) => pools.has(p))) addInto(demand, d.demand);
    out.push({ pools, demand });
  }
  return out;
}
