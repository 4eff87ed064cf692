// Re-validation (karpenter-core §3.5 "Validation TTL"): a voluntary decision is re-checked against the cluster
// 15 s after it was taken and acted on only if it still holds — pods that just arrived, a node that just got
// busy, or a budget another actor used in the meantime abandon it. The core offers the check; the handler does
// the waiting (DESIGN.md §2 step 4).

import type { Disruption } from '../model/plan.js';
import type { Snapshot } from '../model/snapshot.js';
import { type Pass, startPass } from '../plan/pass.js';
import { plannedNode } from '../plan/planned-node.js';
import { REASONS } from './budgets.js';
import type { Candidate } from './candidates.js';
import { toDisruption, type VoluntaryMethod } from './command.js';
import { qualifiesForConsolidation } from './consolidation.js';
import { qualifiesForDrift } from './drift.js';
import { qualifiesForEmptiness } from './emptiness.js';
import { simulateRemoval } from './simulate.js';
import { ledger } from './world.js';

/** How long a decision waits before its re-validation: Karpenter's `commandValidationDelay`. */
export const REVALIDATION_DELAY_MS = 15_000;

export type Revalidation =
  | { readonly valid: true; readonly disruption: Disruption }
  | { readonly valid: false; readonly reason: string };

/**
 * Re-checks a disruption of an earlier plan against a later snapshot. Valid returns the disruption to act on:
 * the same one, or for emptiness the nodes that are still empty, or for drift the replacements needed now.
 * Expirations are forceful and only need the node to still exist.
 */
export function revalidate(disruption: Disruption, later: Snapshot): Revalidation {
  if (disruption.method === 'expiration') {
    const gone = disruption.nodes.find((n) => !later.nodes.some((node) => node.name === n));
    return gone ? invalid(`node ${gone} is gone`) : { valid: true, disruption };
  }
  const pass = startPass(later);
  const found = new Map(pass.scan.candidates.map((c) => [c.name, c]));
  const chosen: Candidate[] = [];
  for (const name of disruption.nodes) {
    const c = found.get(name);
    if (!c) return invalid(`node ${name} is no longer a candidate: ${pass.scan.excluded.get(name) ?? 'it is gone'}`);
    chosen.push(c);
  }
  const eligible = chosen.filter(QUALIFIES[disruption.method]);
  if (disruption.method !== 'emptiness' && eligible.length < chosen.length) {
    const lost = chosen.find((c) => !eligible.includes(c));
    return invalid(`node ${lost?.name} no longer qualifies for ${disruption.method}`);
  }
  const budget = ledger(pass.context, REASONS[disruption.method]);
  const kept = eligible.filter((c) => budget.take(c.pool.name));
  if (kept.length === 0 || (disruption.method !== 'emptiness' && kept.length < chosen.length)) {
    return invalid(`the ${REASONS[disruption.method]} budget no longer allows it`);
  }
  if (disruption.method === 'emptiness') return valid({ ...disruption, candidates: kept });
  if (disruption.method === 'drift') return revalidateDrift(pass, disruption, kept);
  return revalidateConsolidation(pass, disruption, kept);
}

/** The rule each method applies to a candidate, re-applied to the later cluster. */
const QUALIFIES: Record<VoluntaryMethod, (c: Candidate) => boolean> = {
  emptiness: qualifiesForEmptiness,
  drift: qualifiesForDrift,
  consolidation: qualifiesForConsolidation,
};

/** Empty drifted nodes must still be empty; a non-empty one must still have a place for every pod. */
function revalidateDrift(pass: Pass, disruption: Disruption, chosen: readonly Candidate[]): Revalidation {
  if (disruption.kind === 'delete' && chosen.every((c) => c.empty)) return valid({ ...disruption, candidates: chosen });
  const sim = simulateRemoval(pass.context, new Set(chosen.map((c) => c.name)));
  const [stuck] = sim.unplaced;
  if (stuck) return invalid(`pod ${stuck[0]} would now have nowhere to go (${stuck[1]})`);
  return valid({ ...disruption, candidates: chosen, replacements: sim.claims.map(plannedNode) });
}

/**
 * Karpenter's rule: the same candidates must again need no new node (delete), or exactly one whose instance
 * types include every type the decision would have sent (replace).
 */
function revalidateConsolidation(pass: Pass, disruption: Disruption, chosen: readonly Candidate[]): Revalidation {
  const sim = simulateRemoval(pass.context, new Set(chosen.map((c) => c.name)));
  const [stuck] = sim.unplaced;
  if (stuck) return invalid(`pod ${stuck[0]} would now have nowhere to go (${stuck[1]})`);
  const [claim, ...more] = sim.claims;
  if (disruption.kind === 'delete') {
    return claim ? invalid(`the pods now need ${sim.claims.length} new node(s)`) : { valid: true, disruption };
  }
  if (!claim || more.length > 0) return invalid(`the pods now need ${sim.claims.length} new nodes instead of one`);
  const options = new Set(claim.options.map((t) => t.name));
  const missing = disruption.replacements[0]?.instanceTypeOptions.find((t) => !options.has(t));
  if (missing) return invalid(`instance type ${missing} no longer fits the replacement`);
  return { valid: true, disruption };
}

function valid(parts: Disruption & { candidates: readonly Candidate[] }): Revalidation {
  const { candidates, ...disruption } = parts;
  const again = toDisruption({
    method: disruption.method as VoluntaryMethod,
    candidates,
    replacements: disruption.replacements,
    reason: disruption.reason,
  });
  return { valid: true, disruption: again };
}

function invalid(reason: string): Revalidation {
  return { valid: false, reason };
}
