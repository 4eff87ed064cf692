// Emptiness (karpenter-core §3.1–3.2): nodes with nothing to move — only DaemonSet and mirror pods — once
// consolidateAfter has passed, under either consolidation policy. One command takes every empty node the
// budgets allow, best first; nothing is simulated because no pod moves.

import { REASONS } from './budgets.js';
import { byValue, type Candidate } from './candidates.js';
import type { Command } from './command.js';
import { count, formatDuration } from './describe.js';
import { ledger, type PassContext } from './world.js';

/** Emptiness may take the node: nothing to move, consolidateAfter passed, nothing protecting it. */
export function qualifiesForEmptiness(c: Candidate): boolean {
  return c.empty && c.settled && !c.podProtection;
}

/** The emptiness command, or undefined when no empty node may go now. */
export function emptiness(ctx: PassContext, candidates: readonly Candidate[]): Command | undefined {
  const budget = ledger(ctx, REASONS.emptiness);
  const chosen = candidates
    .filter(qualifiesForEmptiness)
    .sort(byValue)
    .filter((c) => budget.take(c.pool.name));
  if (chosen.length === 0) return undefined;
  return { method: 'emptiness', candidates: chosen, replacements: [], reason: describe(chosen) };
}

function describe(chosen: readonly Candidate[]): string {
  const what = chosen.length === 1 ? 'the node has' : `${count(chosen.length, 'node')} have`;
  const afters = [...new Set(chosen.map((c) => c.pool.consolidateAfterMs ?? 0))];
  const after = afters.length === 1 ? `consolidateAfter ${formatDuration(afters[0] as number)}` : 'consolidateAfter';
  return `${what} no pods to move (DaemonSet and mirror pods aside) for longer than ${after}`;
}
