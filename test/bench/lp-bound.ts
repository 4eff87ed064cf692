// The packing LP lower bound (DESIGN.md §9): the cheapest *fractional* set of allowed instance types whose
// allocatable covers the workload's total requests. Any real plan buys whole nodes of allowed types, and their
// allocatable covers the same totals, so no plan costs less: the ratio plan / bound measures packing waste
// (plus whatever topology forces). Solved with YALPS; units are scaled (cores, GiB) to keep the simplex tame.

import { solve } from 'yalps';
import type { InstanceType } from '../../shared/core/model/instancetype.js';
import type { Resources } from '../../shared/core/resources/resources.js';

export interface Candidate {
  readonly type: InstanceType;
  /** Room for pods per node (allocatable minus DaemonSet overhead). */
  readonly available: Resources;
  /** $/h of its cheapest offering the pool allows. */
  readonly price: number;
}

export interface Bound {
  /** $/h; NaN when infeasible. */
  readonly cost: number;
  readonly status: string;
  /** Fractional node counts by type, largest spend first. */
  readonly mix: readonly (readonly [string, number])[];
}

/** Resources the bound covers, with the scale that turns canonical units into well-sized LP coefficients. */
const SCALES: Readonly<Record<string, number>> = { cpu: 1 / 1000, memory: 1 / 2 ** 30, pods: 1 };

/**
 * The LP: minimise Σ x_t·price_t subject to Σ x_t·available_t[r] ≥ demand[r] for cpu, memory, pods and every
 * extended resource the workload requests (a GPU count, say), x_t ≥ 0 continuous.
 */
export function lpLowerBound(candidates: readonly Candidate[], demand: Resources): Bound {
  const resources = Object.keys(demand).filter((r) => (demand[r] as number) > 0);
  const scale = (r: string) => SCALES[r] ?? 1;
  const constraints = new Map(resources.map((r) => [r, { min: (demand[r] as number) * scale(r) }]));
  const variables = new Map(
    candidates.map((c) => {
      const coefficients: [string, number][] = [['cost', c.price]];
      for (const r of resources) coefficients.push([r, (c.available[r] ?? 0) * scale(r)]);
      return [c.type.name, coefficients] as const;
    }),
  );
  const solution = solve({ direction: 'minimize', objective: 'cost', constraints, variables });
  const price = new Map(candidates.map((c) => [c.type.name, c.price]));
  const mix = solution.variables
    .map(([name, x]) => [name, x] as const)
    .sort((a, b) => b[1] * (price.get(b[0]) ?? 0) - a[1] * (price.get(a[0]) ?? 0));
  return { cost: solution.status === 'optimal' ? solution.result : Number.NaN, status: solution.status, mix };
}
