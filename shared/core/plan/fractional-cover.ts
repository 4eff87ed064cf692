// The cheapest fractional cover of a demand by node types, and the price per unit of each resource it implies.
// Added for re-packing (repack.ts): the LP "minimise Σ x_t·price_t subject to Σ x_t·room_t ≥ demand, x ≥ 0"
// is the lower bound the packing benchmark measures against, and its dual solution λ (a $/unit price per
// resource, with λ·room_t ≤ price_t for every type and equality on the types the optimum uses) says what each
// pod is worth and how cost-efficient each type is for this demand's cpu:memory mix: a type whose λ·room is
// close to its price is one the cheapest cover would buy. The LP has one row per resource (cpu, memory, pods,
// a few extended ones) and one column per type, so its dual — max demand·λ s.t. room_t·λ ≤ price_t — is solved
// with a dense dictionary simplex of (types × resources): λ = 0 is feasible, no phase one is needed, and
// Bland's rule rules out cycling on the many types of identical shape. No dependency: the core is pure.

/** A node type as the LP sees it: its room per resource (in the caller's units) and its $/h. */
export interface CoverColumn {
  readonly amounts: readonly number[];
  readonly price: number;
}

export interface Cover {
  /** $/h of the cheapest fractional cover. */
  readonly cost: number;
  /** Dual prices, one per resource: $/h per unit. */
  readonly duals: readonly number[];
  /** Fractional node count per column. */
  readonly counts: readonly number[];
}

const EPSILON = 1e-9;
/** A guard against numerical trouble; real inputs take a handful of pivots per resource. */
const MAX_PIVOTS = 1000;

/** The cheapest fractional cover of `demand`, or undefined when no mix of columns covers it. */
export function fractionalCover(columns: readonly CoverColumn[], demand: readonly number[]): Cover | undefined {
  const k = demand.length;
  const n = columns.length;
  // Row i: basic variable basic[i] = rhs[i] − Σ_j table[i][j] · (nonbasic variable j). Variables 0..k−1 are
  // the duals λ, k..k+n−1 the slacks of the columns' constraints.
  const table = columns.map((c) => Array.from({ length: k }, (_, j) => c.amounts[j] ?? 0));
  const rhs = columns.map((c) => c.price);
  const basic = columns.map((_, i) => k + i);
  const nonbasic = demand.map((_, j) => j);
  const objective = [...demand];
  let value = 0;
  for (let pivots = 0; pivots < MAX_PIVOTS; pivots++) {
    const entering = enteringColumn(objective, nonbasic);
    if (entering < 0) return solution(k, n, basic, nonbasic, rhs, objective, value);
    const row = leavingRow(table, rhs, basic, entering);
    if (row < 0) return undefined; // a demanded resource no column has: the cover is infeasible
    value += (objective[entering] as number) * pivot(table, rhs, objective, row, entering);
    const leaving = basic[row] as number;
    basic[row] = nonbasic[entering] as number;
    nonbasic[entering] = leaving;
  }
  return undefined;
}

/** Bland's rule: the improving nonbasic variable of lowest index. */
function enteringColumn(objective: readonly number[], nonbasic: readonly number[]): number {
  let best = -1;
  for (let j = 0; j < objective.length; j++) {
    if ((objective[j] as number) <= EPSILON) continue;
    if (best < 0 || (nonbasic[j] as number) < (nonbasic[best] as number)) best = j;
  }
  return best;
}

/** The ratio test; ties go to the basic variable of lowest index (Bland). */
function leavingRow(table: number[][], rhs: readonly number[], basic: readonly number[], j: number): number {
  let best = -1;
  let bestRatio = Number.POSITIVE_INFINITY;
  for (let i = 0; i < table.length; i++) {
    const a = (table[i] as number[])[j] as number;
    if (a <= EPSILON) continue;
    const ratio = (rhs[i] as number) / a;
    if (ratio < bestRatio - EPSILON || (ratio <= bestRatio + EPSILON && (basic[i] as number) < (basic[best] ?? 0))) {
      best = i;
      bestRatio = Math.min(ratio, bestRatio);
    }
  }
  return best;
}

/** Exchanges the basic variable of row `r` with nonbasic `j`; returns the entering variable's new value. */
function pivot(table: number[][], rhs: number[], objective: number[], r: number, j: number): number {
  const pivotRow = table[r] as number[];
  const p = pivotRow[j] as number;
  for (let c = 0; c < pivotRow.length; c++) pivotRow[c] = c === j ? 1 / p : (pivotRow[c] as number) / p;
  rhs[r] = (rhs[r] as number) / p;
  for (let i = 0; i < table.length; i++) {
    if (i === r) continue;
    const row = table[i] as number[];
    const f = row[j] as number;
    if (f === 0) continue;
    for (let c = 0; c < row.length; c++) row[c] = c === j ? -f / p : (row[c] as number) - f * (pivotRow[c] as number);
    rhs[i] = Math.max(0, (rhs[i] as number) - f * (rhs[r] as number));
  }
  const f = objective[j] as number;
  for (let c = 0; c < objective.length; c++) {
    objective[c] = c === j ? -f / p : (objective[c] as number) - f * (pivotRow[c] as number);
  }
  return rhs[r] as number;
}

function solution(
  k: number,
  n: number,
  basic: readonly number[],
  nonbasic: readonly number[],
  rhs: readonly number[],
  objective: readonly number[],
  value: number,
): Cover {
  const duals = new Array<number>(k).fill(0);
  basic.forEach((v, i) => {
    if (v < k) duals[v] = rhs[i] as number;
  });
  // The primal solution is the negated reduced cost of each column's slack.
  const counts = new Array<number>(n).fill(0);
  nonbasic.forEach((v, j) => {
    if (v >= k) counts[v - k] = Math.max(0, -(objective[j] as number));
  });
  return { cost: value, duals, counts };
}
