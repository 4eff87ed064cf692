// The disruption budget each pool has left per reason right now (karpenter-core §3.4), counted the way the
// disruption pass counts it (disruption/world.ts `poolCounts`), before this plan's own disruptions take any.

import { budgetAllowance, insideWindows } from '../disruption/budgets.js';
import { formatDuration } from '../disruption/describe.js';
import { poolCounts } from '../disruption/world.js';
import type { DisruptionReason } from '../model/nodepool.js';
import type { Snapshot } from '../model/snapshot.js';
import type { NodeState } from '../plan/cluster-state.js';
import type { BudgetView } from './status.js';

export type DisruptionReasonName = DisruptionReason;

const REASONS: readonly DisruptionReason[] = ['Empty', 'Drifted', 'Underutilized'];

export function poolBudgets(snapshot: Snapshot, states: readonly NodeState[]): Map<string, BudgetView[]> {
  const counts = poolCounts(snapshot, states);
  const out = new Map<string, BudgetView[]>();
  for (const pool of snapshot.nodePools) {
    const { total, disrupting } = counts.get(pool.name) ?? { total: 0, disrupting: 0 };
    const open = insideWindows(pool, snapshot.now);
    out.set(
      pool.name,
      REASONS.map((reason): BudgetView => {
        if (!open) {
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
        const allowance = budgetAllowance(pool, reason, total, snapshot.now);
        if (allowance === Number.POSITIVE_INFINITY) return { reason, allowed: null, disrupting, remaining: null };
        const remaining = Math.max(0, allowance - disrupting);
        return {
          reason,
          allowed: allowance,
          disrupting,
          remaining,
          ...(remaining === 0
            ? { note: `budgets allow ${allowance} of ${total} nodes, ${disrupting} being disrupted` }
            : {}),
        };
      }),
    );
  }
  return out;
}
