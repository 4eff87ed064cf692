// The disruption budget each pool has left per reason right now (karpenter-core §3.4), counted the way the
// disruption pass counts it (disruption/world.ts `poolCounts`), before this plan's own disruptions take any.

import { poolBudget, REASONS } from '../disruption/budgets.js';
import { formatDuration } from '../disruption/describe.js';
import { poolCounts } from '../disruption/world.js';
import type { Snapshot } from '../model/snapshot.js';
import type { NodeState } from '../plan/cluster-state.js';
import type { BudgetView } from './status.js';

export function poolBudgets(snapshot: Snapshot, states: readonly NodeState[]): Map<string, BudgetView[]> {
  const counts = poolCounts(snapshot, states);
  const out = new Map<string, BudgetView[]>();
  for (const pool of snapshot.nodePools) {
    const poolCount = counts.get(pool.name) ?? { total: 0, disrupting: 0 };
    const { total, disrupting } = poolCount;
    out.set(
      pool.name,
      Object.values(REASONS).map((reason): BudgetView => {
        const budget = poolBudget(pool, poolCount, reason, snapshot.now);
        if (budget.outsideWindows) {
          const windows = (pool.disruptionWindows ?? []).map(
            (w) => `"${w.schedule}" for ${formatDuration(w.durationMs)}`,
          );
          return {
            reason,
            allowed: 0,
            disrupting,
            remaining: 0,
            note: `outside its disruption windows (${windows.join(', ')}, UTC)`,
          };
        }
        if (budget.allowance === Number.POSITIVE_INFINITY)
          return { reason, allowed: null, disrupting, remaining: null };
        return {
          reason,
          allowed: budget.allowance,
          disrupting,
          remaining: budget.left,
          ...(budget.left === 0
            ? { note: `budgets allow ${budget.allowance} of ${total} nodes, ${disrupting} being disrupted` }
            : {}),
        };
      }),
    );
  }
  return out;
}
