// One disruption pass, in Karpenter's order (karpenter-core §3.1, DESIGN.md §5 "Disruptions"): every expired
// node, then the command of the first voluntary method that yields one — emptiness, drift, multi-node
// consolidation, single-node consolidation. And the list of nodes kept out of disruption, with reasons.

import type { DisruptionReason } from '../model/nodepool.js';
import type { Blocked, Disruption } from '../model/plan.js';
import type { NodeState } from '../plan/cluster-state.js';
import { byName } from '../plan/planned-node.js';
import { type BudgetLedger, REASONS } from './budgets.js';
import type { Candidate, CandidateScan } from './candidates.js';
import { type Command, toDisruption } from './command.js';
import { multiNodeConsolidation, qualifiesForConsolidation, singleNodeConsolidation } from './consolidation.js';
import { driftCommand, qualifiesForDrift } from './drift.js';
import { emptiness, qualifiesForEmptiness } from './emptiness.js';
import { expirationDisruption } from './expiration.js';
import { ledger, type PassContext } from './world.js';

type Method = (ctx: PassContext, candidates: readonly Candidate[]) => Command | undefined;

/** Karpenter's order: the cheapest and least disruptive decisions first; the first that yields a command acts. */
const METHODS: readonly Method[] = [emptiness, driftCommand, multiNodeConsolidation, singleNodeConsolidation];

/** The command of the first voluntary method that yields one, or undefined. */
export function voluntaryCommand(ctx: PassContext, candidates: readonly Candidate[]): Command | undefined {
  for (const method of METHODS) {
    const command = method(ctx, candidates);
    if (command) return command;
  }
  return undefined;
}

/** What the pass executes now: the expirations (by node name), then the voluntary command. */
export function passDisruptions(
  ctx: PassContext,
  expired: readonly NodeState[],
  candidates: readonly Candidate[],
): Disruption[] {
  const command = voluntaryCommand(ctx, candidates);
  return [...expired.map((s) => expirationDisruption(s, ctx.now)), ...(command ? [toDisruption(command)] : [])];
}

/**
 * The plan's `blocked[]`: protected nodes and nodes of unknown type (from the scan), and candidates that some
 * method would consider but whose pool has no budget (or open window) left for any of those methods right now.
 * Sorted by node name.
 */
export function blockedNodes(ctx: PassContext, scan: CandidateScan): Blocked[] {
  const ledgers = new Map<DisruptionReason, BudgetLedger>(Object.values(REASONS).map((r) => [r, ledger(ctx, r)]));
  const blocked = [...scan.blocked];
  for (const c of scan.candidates) {
    const reasons = applicableReasons(c);
    const why = reasons.map((r) => ledgers.get(r)?.exhausted(c.pool.name));
    if (reasons.length === 0 || why.some((w) => w === undefined)) continue;
    blocked.push({ node: c.name, reason: [...new Set(why)].join('; ') });
  }
  return blocked.sort((a, b) => byName(a.node, b.node));
}

/** The budget reasons under which some method would consider the candidate now. */
function applicableReasons(c: Candidate): DisruptionReason[] {
  const reasons: DisruptionReason[] = [];
  if (qualifiesForEmptiness(c)) reasons.push(REASONS.emptiness);
  if (qualifiesForDrift(c)) reasons.push(REASONS.drift);
  if (qualifiesForConsolidation(c)) reasons.push(REASONS.consolidation);
  return reasons;
}
