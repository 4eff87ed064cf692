// Expiration (karpenter-core §3.1): a managed node older than its pool's `expireAfter` is removed, forcefully —
// outside budgets and windows, whatever protects its pods (the drain still respects PDBs until the pool's
// terminationGracePeriod). Decided before provisioning: an expired node is being disrupted, so its pods are
// placed together with the pending pods and it counts against its pool's budget (DESIGN.md §5).

import type { Disruption } from '../model/plan.js';
import type { Snapshot } from '../model/snapshot.js';
import type { NodeState } from '../plan/cluster-state.js';
import { roundPrice } from '../plan/offerings.js';
import { formatDuration } from './describe.js';

export interface Expirations {
  /** The snapshot's node states with every expired node marked as being disrupted. */
  readonly states: readonly NodeState[];
  /** The nodes this plan expires, by name. */
  readonly expired: readonly NodeState[];
}

/** Whether the node is past its pool's expireAfter at `now` (never under `expireAfter: Never`). */
export function isExpired(state: NodeState, now: number): boolean {
  const after = state.pool?.expireAfterMs;
  return after !== null && after !== undefined && now - state.node.creationTimestamp >= after;
}

/** Marks the managed nodes past expireAfter (that are not already leaving) as disrupted by this plan. */
export function withExpirations(snapshot: Snapshot, states: readonly NodeState[]): Expirations {
  const expired: NodeState[] = [];
  const marked = states.map((s) => {
    if (s.disrupting || !snapshot.managedNodes.has(s.node.name) || !isExpired(s, snapshot.now)) return s;
    const leaving = { ...s, disrupting: true };
    expired.push(leaving);
    return leaving;
  });
  expired.sort((a, b) => (a.node.name < b.node.name ? -1 : 1));
  return { states: marked, expired };
}

/** The plan's entry for one expired node: a delete with no replacements (its pods are in the provisioning). */
export function expirationDisruption(state: NodeState, now: number): Disruption {
  const age = now - state.node.creationTimestamp;
  return {
    method: 'expiration',
    kind: 'delete',
    nodes: [state.node.name],
    replacements: [],
    savingsPerHour: roundPrice(state.price ?? 0),
    reason: `the node is ${formatDuration(age)} old, past nodepool "${state.pool?.name}"'s expireAfter of ${formatDuration(state.pool?.expireAfterMs ?? 0)}`,
  };
}
