// A voluntary disruption decision before it is printed: the candidates it removes, the nodes it launches in
// their place, and the sentence that explains it. `toDisruption` gives the plan's shape (DESIGN.md §5).

import type { Disruption, PlannedNode } from '../model/plan.js';
import { roundPrice } from '../plan/offerings.js';
import { byName } from '../plan/planned-node.js';
import type { Candidate } from './candidates.js';

export type VoluntaryMethod = 'emptiness' | 'drift' | 'consolidation';

export interface Command {
  readonly method: VoluntaryMethod;
  readonly candidates: readonly Candidate[];
  /** Empty for a delete. */
  readonly replacements: readonly PlannedNode[];
  readonly reason: string;
}

/** $/h the command saves: what the removed nodes cost minus what their replacements cost (negative for a drift that costs more). */
export function savings(
  candidates: readonly { readonly price: number }[],
  replacements: readonly PlannedNode[],
): number {
  const removed = candidates.reduce((sum, c) => sum + c.price, 0);
  const added = replacements.reduce((sum, r) => sum + r.hourlyPrice, 0);
  return roundPrice(removed - added);
}

/** The command as the plan prints it; node names sorted. */
export function toDisruption(command: Command): Disruption {
  return {
    method: command.method,
    kind: command.replacements.length > 0 ? 'replace' : 'delete',
    nodes: command.candidates.map((c) => c.name).sort(byName),
    replacements: command.replacements,
    savingsPerHour: savings(command.candidates, command.replacements),
    reason: command.reason,
  };
}
