// A tighter lower bound for small workloads: the LP bound (lp-bound.ts) with whole nodes. Any plan buys a whole
// number of nodes of allowed types whose room covers the workload's total requests (per zone, for zonal spreads),
// so the cheapest such multiset of types — an integer program — bounds every plan from below; it still ignores
// how pods split between nodes, so real packings cost more. At 100 pods the gap between this bound and the LP
// bound is what integrality alone costs; from ~1 000 pods up the two agree within ~0.1%.
//
// The ILPs stay small: a type is left out when some other type of its pool is as roomy in every resource and no
// dearer (a plan can swap it for that one), or when it alone costs more than covering the demand with a single
// type (only where every pod may use every pool, so that single-type cover is a real plan). Pool limits are as in
// the LP bound (lp-bound.ts); zonal spreads together with pool limits are not modelled (undefined). With
// zonal spreads the leftover replicas of each Deployment (zonal-split.ts) may land in any distinct zones: every
// such placement is tried (per zone, each demand's ILP is solved once) and the cheapest counts. Returns undefined
// when an ILP is not solved to optimality within its time limit, or there are too many placements to try.

import { solve } from 'yalps';
import type { Resources } from '../../shared/core/resources/resources.js';
import { type BoundOptions, type Candidate, poolLimits, SCALES } from './lp-bound.js';

/** Placements of leftover replicas tried at most (3 zones: 3^7 for seven single leftovers). */
const MAX_PLACEMENTS = 3 ** 7;
/** Per ILP. */
const TIMEOUT_MS = 10_000;

interface Column {
  readonly name: string;
  readonly pool: string;
  readonly price: number;
  readonly room: readonly number[];
}

/** The whole-node bound in $/h, or undefined when it could not be proven in time. */
export function wholeNodeBound(
  candidates: readonly Candidate[],
  demand: Resources,
  options: BoundOptions = {},
): number | undefined {
  const { zonal } = options;
  const resources = Object.keys(demand).filter((r) => (demand[r] as number) > 0);
  const vector = (list: Resources) => resources.map((r) => (list[r] ?? 0) * (SCALES[r] ?? 1));
  const limits = poolLimits(options.classes ?? [], candidates).map((l) => ({
    pools: l.pools,
    demand: vector(l.demand),
  }));
  const columns = (zone?: string) =>
    undominated(
      candidates.flatMap((c) => {
        const price = zone === undefined ? c.price : c.zonePrices.get(zone);
        const name = `${c.type.name}@${c.pool}`;
        return price === undefined ? [] : [{ name, pool: c.pool, price, room: vector(c.available) }];
      }),
    );
  if (!zonal) return cover(columns(), vector(demand), limits) ?? undefined;
  if (limits.length > 0) return undefined;
  if (!zonal.complete || !zonal.remainders) return undefined;
  const perZone = zonal.zones.map((z) => ({ columns: columns(z), memo: new Map<string, number | null>() }));
  const floor = vector(zonal.floor);
  const leftovers = zonal.remainders.map((r) => ({ count: r.count, size: vector(r.requests) }));
  const choices = leftovers.map((l) => subsets(zonal.zones.length, l.count));
  if (choices.reduce((n, c) => n * c.length, 1) > MAX_PLACEMENTS) return undefined;
  let best = Number.POSITIVE_INFINITY;
  const place = (i: number, demands: number[][]): boolean => {
    if (i === leftovers.length) {
      let total = 0;
      for (const [z, d] of demands.entries()) {
        const zone = perZone[z] as (typeof perZone)[number];
        const key = d.map((x) => x.toFixed(9)).join(',');
        let cost = zone.memo.get(key);
        if (cost === undefined) {
          cost = cover(zone.columns, d, []);
          zone.memo.set(key, cost);
        }
        if (cost === null) return false;
        total += cost;
      }
      best = Math.min(best, total);
      return true;
    }
    const leftover = leftovers[i] as (typeof leftovers)[number];
    for (const zs of choices[i] as number[][]) {
      const next = demands.map((d, z) => (zs.includes(z) ? d.map((x, k) => x + (leftover.size[k] as number)) : d));
      if (!place(i + 1, next)) return false;
    }
    return true;
  };
  return place(
    0,
    zonal.zones.map(() => [...floor]),
  )
    ? best
    : undefined;
}

/** The cheapest whole-node cover of `demand` (and of each pool limit's); null when not proven optimal in time. */
function cover(
  columns: readonly Column[],
  demand: readonly number[],
  limits: readonly { pools: ReadonlySet<string>; demand: readonly number[] }[],
): number | null {
  if (demand.every((x) => x <= 0)) return 0;
  // One type alone covers the demand for this much: a type dearer than that is in no optimal cover.
  let single = Number.POSITIVE_INFINITY;
  if (limits.length === 0) {
    for (const c of columns) {
      const nodes = Math.max(...demand.map((x, k) => (x > 0 ? Math.ceil(x / (c.room[k] as number) - 1e-9) : 0)));
      single = Math.min(single, nodes * c.price);
    }
  }
  const constraints = new Map(demand.map((x, k) => [String(k), { min: x }]));
  for (const [i, limit] of limits.entries()) {
    for (const [k, x] of limit.demand.entries()) constraints.set(`${i}|${k}`, { min: x });
  }
  const variables = new Map(
    columns
      .filter((c) => c.price <= single)
      .map((c) => {
        const coefficients: [string, number][] = [['cost', c.price]];
        for (const [k, x] of c.room.entries()) {
          coefficients.push([String(k), x]);
          for (const [i, limit] of limits.entries()) if (limit.pools.has(c.pool)) coefficients.push([`${i}|${k}`, x]);
        }
        return [c.name, coefficients] as const;
      }),
  );
  const result = solve(
    { direction: 'minimize', objective: 'cost', constraints, variables, integers: true },
    { timeout: TIMEOUT_MS },
  );
  return result.status === 'optimal' ? result.result : null;
}

/** Columns that no other column of the same pool matches in every resource at no higher price; cheapest first. */
function undominated(columns: readonly Column[]): Column[] {
  const kept: Column[] = [];
  for (const c of [...columns].sort((a, b) => a.price - b.price)) {
    if (!kept.some((k) => k.pool === c.pool && k.room.every((x, i) => x >= (c.room[i] as number)))) kept.push(c);
  }
  return kept;
}

/** Every set of `size` distinct indexes below `n`, as sorted arrays. */
function subsets(n: number, size: number): number[][] {
  if (size === 0) return [[]];
  const out: number[][] = [];
  for (let first = 0; first < n; first++) {
    for (const rest of subsets(n, size - 1)) if (rest.every((r) => r > first)) out.push([first, ...rest]);
  }
  return out;
}
