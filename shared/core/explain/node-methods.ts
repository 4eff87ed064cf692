// For one managed node: what each disruption method sees (expiration, emptiness, drift, consolidation), what is
// left of its pool's budgets, and what consolidating it would do and save. Every judgement is the disruption
// code's own (`qualifiesFor*`, `consolidate`, `simulateRemoval`, the budget ledger); this file only asks it about
// one node, and about a node that is no candidate as if nothing kept it out.

import { REASONS } from '../disruption/budgets.js';
import { buildCandidate, type Candidate } from '../disruption/candidates.js';
import { savings } from '../disruption/command.js';
import { consolidate, qualifiesForConsolidation } from '../disruption/consolidation.js';
import { count, formatDuration, formatTime, listNames, perHour } from '../disruption/describe.js';
import { qualifiesForDrift } from '../disruption/drift.js';
import { qualifiesForEmptiness } from '../disruption/emptiness.js';
import { expirationDisruption, isExpired } from '../disruption/expiration.js';
import { simulateRemoval } from '../disruption/simulate.js';
import { ledger, type PassContext, settled, type WorldNode } from '../disruption/world.js';
import type { DisruptionReason, NodePool } from '../model/nodepool.js';
import type { PlannedNode } from '../model/plan.js';
import { podKey } from '../model/pod.js';
import type { NodeState } from '../plan/cluster-state.js';
import { roundPrice } from '../plan/offerings.js';

export type MethodName = 'expiration' | 'emptiness' | 'drift' | 'consolidation';

export interface MethodCheck {
  readonly method: MethodName;
  /** The method would take the node in this pass (were it the command the pass acts on). */
  readonly applies: boolean;
  /** What the method sees of the node. */
  readonly detail: string;
  /** Why it does not apply, beyond what keeps the node out of disruption altogether. */
  readonly reasons: readonly string[];
}

export interface BudgetCheck {
  readonly reason: DisruptionReason;
  /** Nodes of the pool that may still be disrupted for this reason now. */
  readonly left: number | 'unlimited';
  /** Why none may, when none may. */
  readonly exhausted?: string;
}

export interface ConsolidationWhatIf {
  readonly outcome: 'delete' | 'replace' | 'none';
  /** True when something keeps the node out of consolidation now: the answer assumes it away. */
  readonly hypothetical: boolean;
  readonly beforePerHour?: number;
  readonly afterPerHour?: number;
  readonly savingsPerHour?: number;
  readonly replacement?: PlannedNode;
  readonly reason: string;
}

/** A managed node of a known pool and type, as the disruption pass sees it. */
export interface Judged {
  readonly state: NodeState & { readonly pool: NodePool; readonly price: number };
  /** Its place in the pass's world; absent for a node that is leaving. */
  readonly world?: WorldNode;
  /** The scan's candidate, or undefined when the scan kept it out. */
  readonly candidate?: Candidate;
  /** Node-level reasons keep it out (protections waived for drift aside). */
  readonly blocked: boolean;
}

/**
 * The candidate the scan builds (`candidates.ts` `judge`), for a node the scan kept out, so each method can be
 * asked what it would do were the node not protected, not receiving pods, and so on.
 */
export function asCandidate(ctx: PassContext, j: Judged, w: WorldNode): Candidate {
  if (j.candidate) return j.candidate;
  return buildCandidate(ctx, w, j.state);
}

export function expirationCheck(j: Judged, now: number): MethodCheck {
  const { node, pool } = j.state;
  const after = pool.expireAfterMs;
  if (after === null) return { method: 'expiration', applies: false, detail: 'expireAfter is Never', reasons: [] };
  if (isExpired(j.state, now)) {
    const leaving = !j.world && !j.state.disrupting;
    return { method: 'expiration', applies: !leaving, detail: expirationDisruption(j.state, now).reason, reasons: [] };
  }
  const at = node.creationTimestamp + after;
  return {
    method: 'expiration',
    applies: false,
    detail: `expires at ${formatTime(at)} (expireAfter ${formatDuration(after)}, ${formatDuration(at - now)} from now)`,
    reasons: [],
  };
}

/** Why consolidateAfter has not passed, or undefined when it has. */
function unsettled(pool: NodePool, w: WorldNode, now: number): string | undefined {
  if (settled(w, now)) return undefined;
  const after = pool.consolidateAfterMs;
  if (after === null) return `nodepool "${pool.name}" has consolidateAfter Never`;
  const since = w.lastActivity === now ? 'it receives pods now' : `its last change at ${formatTime(w.lastActivity)}`;
  return `consolidateAfter ${formatDuration(after)} has not passed since ${since} (${formatDuration(w.lastActivity + after - now)} left)`;
}

/** The voluntary methods, each with what it sees and why it would not take the node now. */
export function voluntaryChecks(ctx: PassContext, j: Judged, what: ConsolidationWhatIf): MethodCheck[] {
  const w = j.world;
  if (!w) {
    const reasons = ['the node is already leaving'];
    return (['emptiness', 'drift', 'consolidation'] as const).map((method) => ({
      method,
      applies: false,
      detail: 'not judged',
      reasons,
    }));
  }
  const c = asCandidate(ctx, j, w);
  const pool = j.state.pool;
  const notCandidate = j.blocked ? ['kept out of disruption (see above)'] : [];
  const budget = (reason: DisruptionReason) => {
    const why = ledger(ctx, reason).exhausted(pool.name);
    return why ? [why] : [];
  };
  const wait = unsettled(pool, w, ctx.now);
  const moving = c.reschedulable.map(podKey);
  // With drift waiving pod-level protections (terminationGracePeriod), the node is a candidate for drift only.
  const waived = !j.blocked && c.podProtection ? [`pod-level protection: ${c.podProtection}`] : [];
  const emptiness = [
    ...(c.empty ? [] : [`${count(moving.length, 'pod')} to move (${listNames(moving)})`]),
    ...(wait ? [wait] : []),
    ...waived,
    ...budget(REASONS.emptiness),
  ];
  const drift = [...(c.drift ? driftPlacement(ctx, c) : ['not drifted']), ...budget(REASONS.drift)];
  const consolidation = [
    ...(pool.consolidationPolicy === 'WhenEmpty' ? [`nodepool "${pool.name}" has consolidationPolicy WhenEmpty`] : []),
    ...(c.empty ? ['it is empty: emptiness, not consolidation, removes empty nodes'] : []),
    ...(wait ? [wait] : []),
    ...waived,
    ...budget(REASONS.consolidation),
    ...(!c.empty && what.outcome === 'none' ? [what.reason] : []),
  ];
  const check = (method: MethodName, detail: string, qualifies: boolean, reasons: string[]): MethodCheck => {
    const all = [...notCandidate, ...reasons];
    return { method, applies: !j.blocked && qualifies && all.length === 0, detail, reasons: all };
  };
  return [
    check(
      'emptiness',
      c.empty ? 'no pods to move' : `${count(moving.length, 'pod')} to move`,
      qualifiesForEmptiness(c),
      emptiness,
    ),
    check('drift', c.drift ?? 'not drifted', qualifiesForDrift(c), drift),
    check('consolidation', what.reason, qualifiesForConsolidation(c), consolidation),
  ];
}

/** A non-empty drifted node goes only when all its pods find a place. */
function driftPlacement(ctx: PassContext, c: Candidate): string[] {
  if (c.empty) return [];
  const [stuck] = simulateRemoval(ctx, new Set([c.name])).unplaced;
  return stuck ? [`pod ${stuck[0]} would have nowhere to go (${stuck[1]})`] : [];
}

/** What a single-node consolidation of this node would do, the disruption code's `consolidate` deciding. */
export function consolidationWhatIf(ctx: PassContext, j: Judged): ConsolidationWhatIf {
  const w = j.world;
  if (!w) return { outcome: 'none', hypothetical: false, reason: 'the node is already leaving' };
  const c = asCandidate(ctx, j, w);
  const price = roundPrice(c.price);
  if (c.empty) {
    const hypothetical = j.blocked || !qualifiesForEmptiness(c);
    const reason = 'no pods to move: emptiness deletes it';
    return { outcome: 'delete', hypothetical, beforePerHour: price, afterPerHour: 0, savingsPerHour: price, reason };
  }
  const hypothetical = j.blocked || !qualifiesForConsolidation(c);
  const command = consolidate(ctx, [c]);
  if (typeof command === 'string') return { outcome: 'none', hypothetical, reason: command };
  const [replacement] = command.replacements;
  const after = roundPrice(replacement?.hourlyPrice ?? 0);
  return {
    outcome: replacement ? 'replace' : 'delete',
    hypothetical,
    beforePerHour: price,
    afterPerHour: after,
    savingsPerHour: savings([c], command.replacements),
    ...(replacement ? { replacement } : {}),
    reason: command.reason,
  };
}

export function budgetChecks(ctx: PassContext, pool: NodePool): BudgetCheck[] {
  return Object.values(REASONS).map((reason) => {
    const l = ledger(ctx, reason);
    const left = l.remaining(pool.name);
    const exhausted = l.exhausted(pool.name);
    return { reason, left: Number.isFinite(left) ? left : 'unlimited', ...(exhausted ? { exhausted } : {}) };
  });
}

/** "$0.1008/h -> $0.0000/h" */
export function priceChange(what: ConsolidationWhatIf): string {
  return what.beforePerHour === undefined ? '' : `${perHour(what.beforePerHour)} -> ${perHour(what.afterPerHour ?? 0)}`;
}
