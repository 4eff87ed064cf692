// Consolidation (karpenter-core §3.5): remove nodes whose pods fit elsewhere (delete), or swap them for one
// cheaper node (replace). Multi-node first — a binary search for the longest prefix of the best candidates that
// still yields a command — then single-node, candidate by candidate. Only pools with
// `WhenEmptyOrUnderutilized` take part; emptiness handles empty nodes.

import { REASONS } from './budgets.js';
import { byValue, type Candidate } from './candidates.js';
import type { Command } from './command.js';
import { count, listNames, perHour } from './describe.js';
import { cheaperReplacement, minSavingsNeeded } from './replacement.js';
import { simulateRemoval } from './simulate.js';
import { ledger, type PassContext } from './world.js';

/** Karpenter's batch cap for multi-node consolidation: more candidates cost solves and rarely all go at once. */
export const MAX_MULTI_NODE_CANDIDATES = 100;

/** Consolidation may take the node: settled, non-empty, unprotected, in a `WhenEmptyOrUnderutilized` pool. */
export function qualifiesForConsolidation(c: Candidate): boolean {
  return c.settled && !c.empty && !c.podProtection && c.pool.consolidationPolicy === 'WhenEmptyOrUnderutilized';
}

/** The candidates consolidation may take, best first. */
export function consolidationCandidates(candidates: readonly Candidate[]): Candidate[] {
  return candidates.filter(qualifiesForConsolidation).sort(byValue);
}

/** The consolidation command for exactly these candidates, or why there is none. */
export function consolidate(ctx: PassContext, candidates: readonly Candidate[]): Command | string {
  const sim = simulateRemoval(ctx, new Set(candidates.map((c) => c.name)));
  const [stuck] = sim.unplaced;
  if (stuck) return `pod ${stuck[0]} would have nowhere to go (${stuck[1]})`;
  const current = candidates.reduce((sum, c) => sum + c.price, 0);
  const fitting = sim.moved.length - sim.claims.reduce((n, c) => n + c.pods.length, 0);
  const fit = fitting === 1 ? 'fits' : 'fit';
  const elsewhere = fitting > 0 ? `${count(fitting, 'pod')} ${fit} on ${listNames([...sim.destinations.keys()])}` : '';
  if (sim.claims.length === 0) {
    const need = minSavingsNeeded(candidates);
    if (current < need) return `deleting saves ${perHour(current)}, less than minSavings ${perHour(need)}`;
    return { method: 'consolidation', candidates, replacements: [], reason: `${elsewhere}, so ${removal(candidates)}` };
  }
  const [claim, ...more] = sim.claims;
  if (!claim || more.length > 0) {
    return `its pods would need ${sim.claims.length} new nodes; consolidation replaces with one at most`;
  }
  const replacement = cheaperReplacement(claim, candidates, ctx.snapshot.settings);
  if (typeof replacement === 'string') return replacement;
  const { node, worstPrice } = replacement;
  const swap =
    `one ${node.capacityType} ${node.instanceType} (${perHour(node.hourlyPrice)}, at most ${perHour(worstPrice)}) ` +
    `replaces ${removal(candidates, 'costing')} ${perHour(current)}`;
  return {
    method: 'consolidation',
    candidates,
    replacements: [node],
    reason: elsewhere ? `${swap}; ${elsewhere}` : swap,
  };
}

function removal(candidates: readonly Candidate[], verb?: string): string {
  const what = candidates.length === 1 ? 'the node' : `${candidates.length} nodes`;
  return verb ? `${what} ${verb}` : `${what} can go`;
}

/**
 * Multi-node consolidation: among the first 100 budget-allowed candidates (best first), the longest prefix of
 * two or more that yields a command, by binary search (so ~7 simulations, not 100).
 */
export function multiNodeConsolidation(ctx: PassContext, candidates: readonly Candidate[]): Command | undefined {
  const budget = ledger(ctx, REASONS.consolidation);
  const eligible = consolidationCandidates(candidates)
    .filter((c) => budget.take(c.pool.name))
    .slice(0, MAX_MULTI_NODE_CANDIDATES);
  let best: Command | undefined;
  let low = 1;
  let high = eligible.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const command = consolidate(ctx, eligible.slice(0, mid + 1));
    if (typeof command === 'string') high = mid - 1;
    else {
      best = command;
      low = mid + 1;
    }
  }
  return best;
}

/**
 * Single-node consolidation: candidates in order, pools interleaved round-robin so one large pool does not starve
 * the others; the first that yields a command wins. Pools whose budget is used up are skipped.
 */
export function singleNodeConsolidation(ctx: PassContext, candidates: readonly Candidate[]): Command | undefined {
  const budget = ledger(ctx, REASONS.consolidation);
  for (const candidate of interleaveByPool(consolidationCandidates(candidates))) {
    if (budget.remaining(candidate.pool.name) <= 0) continue;
    const command = consolidate(ctx, [candidate]);
    if (typeof command !== 'string') return command;
  }
  return undefined;
}

/** Candidates taken one per pool in turn, pools in the order their best candidate appears. */
export function interleaveByPool(sorted: readonly Candidate[]): Candidate[] {
  const byPool = new Map<string, Candidate[]>();
  for (const c of sorted) {
    const list = byPool.get(c.pool.name);
    if (list) list.push(c);
    else byPool.set(c.pool.name, [c]);
  }
  const out: Candidate[] = [];
  const lists = [...byPool.values()];
  for (let i = 0; out.length < sorted.length; i++)
    for (const list of lists) if (list[i]) out.push(list[i] as Candidate);
  return out;
}
