// Disruption budgets per pool and reason (karpenter-core §3.4) and fleetwright's maintenance windows
// (DESIGN.md §3 `spec.fleetwright.disruption.windows`). Both only limit voluntary disruption (emptiness, drift,
// consolidation); expiration ignores them.

import type { DisruptionReason, NodePool } from '../model/nodepool.js';
import { parseCron, windowOpen } from './cron.js';
import { count, formatDuration } from './describe.js';

/** The budget reason each voluntary method consumes. */
export const REASONS = {
  emptiness: 'Empty',
  drift: 'Drifted',
  consolidation: 'Underutilized',
} as const satisfies Record<string, DisruptionReason>;

/** Nodes of a pool, as budgets count them. */
export interface PoolCounts {
  /** Managed nodes that are initialized or being disrupted: the base of a percentage. */
  readonly total: number;
  /** Managed nodes already being disrupted (tainted, deleting, or expired by this plan): they use the budget. */
  readonly disrupting: number;
}

/**
 * How many nodes one budget allows out of `total`: an integer, or a percentage rounded up. Anything unreadable
 * allows none, so a misconfigured budget fails closed as Karpenter's does.
 */
export function budgetNodes(nodes: string, total: number): number {
  const text = nodes.trim();
  const percent = /^(\d+)%$/.exec(text);
  if (percent) return Math.ceil((Number(percent[1]) * total) / 100);
  return /^\d+$/.test(text) ? Number(text) : 0;
}

/**
 * The pool's allowance for `reason` before counting nodes already being disrupted: the minimum over its budgets
 * that apply to the reason (no `reasons` = every reason) and are active now (no schedule = always). Unlimited
 * when none applies; zero when any budget's schedule is unusable.
 */
export function budgetAllowance(pool: NodePool, reason: DisruptionReason, total: number, now: number): number {
  let allowed = Number.POSITIVE_INFINITY;
  for (const budget of pool.budgets) {
    // A schedule that cannot be read, or has no duration, makes the pool allow nothing (Karpenter fails closed).
    if (budget.schedule !== undefined && (!parseCron(budget.schedule) || !budget.durationMs)) return 0;
    if (budget.reasons && budget.reasons.length > 0 && !budget.reasons.includes(reason)) continue;
    if (budget.schedule !== undefined && !windowOpen(budget.schedule, budget.durationMs, now)) continue;
    allowed = Math.min(allowed, budgetNodes(budget.nodes, total));
  }
  return allowed;
}

/** Whether the pool may be disrupted voluntarily now: it has no windows, or one of them is open. */
export function insideWindows(pool: NodePool, now: number): boolean {
  const windows = pool.disruptionWindows ?? [];
  return windows.length === 0 || windows.some((w) => windowOpen(w.schedule, w.durationMs, now));
}

/** One pool's budget for one reason now. */
export interface PoolBudget {
  /** Nodes its budgets allow (Infinity when none applies); 0 outside its windows. */
  readonly allowance: number;
  /** The allowance less the nodes already being disrupted. */
  readonly left: number;
  readonly outsideWindows: boolean;
  /** Why nothing is left, when nothing is. */
  readonly why?: string;
}

export function poolBudget(pool: NodePool, counts: PoolCounts, reason: DisruptionReason, now: number): PoolBudget {
  if (!insideWindows(pool, now)) return { allowance: 0, left: 0, outsideWindows: true, why: outsideWindows(pool) };
  const allowance = budgetAllowance(pool, reason, counts.total, now);
  const left = Math.max(0, allowance - counts.disrupting);
  if (left > 0) return { allowance, left, outsideWindows: false };
  const why =
    `nodepool "${pool.name}" has no ${reason} disruption budget left right now ` +
    `(its budgets allow ${count(allowance, 'node')}, ${counts.disrupting} already being disrupted)`;
  return { allowance, left, outsideWindows: false, why };
}

/** Per-pool allowances for one reason, consumed as a method picks nodes. */
export class BudgetLedger {
  private readonly left = new Map<string, number>();
  private readonly why = new Map<string, string>();

  constructor(
    pools: readonly NodePool[],
    counts: ReadonlyMap<string, PoolCounts>,
    readonly reason: DisruptionReason,
    now: number,
  ) {
    for (const pool of pools) {
      const budget = poolBudget(pool, counts.get(pool.name) ?? { total: 0, disrupting: 0 }, reason, now);
      this.left.set(pool.name, budget.left);
      if (budget.why) this.why.set(pool.name, budget.why);
    }
  }

  /** What is left for the pool (a pool the ledger does not know has nothing left). */
  remaining(pool: string): number {
    return this.left.get(pool) ?? 0;
  }

  /** Uses one disruption of the pool's allowance; false when none is left. */
  take(pool: string): boolean {
    const left = this.remaining(pool);
    if (left <= 0) return false;
    this.left.set(pool, left - 1);
    return true;
  }

  /** Why the pool allowed no disruption for this reason when the ledger was made, or undefined. */
  exhausted(pool: string): string | undefined {
    return this.why.get(pool);
  }
}

function outsideWindows(pool: NodePool): string {
  const windows = (pool.disruptionWindows ?? []).map((w) => `"${w.schedule}" for ${formatDuration(w.durationMs)}`);
  return `nodepool "${pool.name}" disrupts nodes voluntarily only inside its windows (${windows.join(', ')}, UTC)`;
}
