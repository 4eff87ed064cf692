// `plan(snapshot)`: one decision pass in the shape `fleetwright plan` prints (DESIGN.md §5): which pods go where,
// which nodes to launch and at what price, why any pod cannot be placed, which nodes to remove or replace and
// why, which nodes are kept out of disruption, and the $/h before and after.

import { blockedNodes, passDisruptions } from '../disruption/orchestrate.js';
import type { Disruption, Plan, PlannedNode } from '../model/plan.js';
import { podKey } from '../model/pod.js';
import type { Snapshot } from '../model/snapshot.js';
import type { NodeState } from './cluster-state.js';
import { roundPrice } from './offerings.js';
import { startPass } from './pass.js';
import { byName } from './planned-node.js';

/**
 * Plans capacity for the snapshot's pending pods and the pods of nodes being disrupted, then the disruption
 * pass: expirations first, then the first voluntary method that yields a command.
 */
export function plan(snapshot: Snapshot): Plan {
  const pass = startPass(snapshot);
  const { provisioning } = pass;
  const disruptions = passDisruptions(pass.context, pass.expired, pass.scan.candidates);
  return {
    newNodes: provisioning.newNodes,
    existingNodes: provisioning.result.existing
      .filter((n) => n.placed.length > 0)
      .map((n) => ({ name: n.name, pods: n.placed.map((v) => podKey(v.pod)).sort(byName) }))
      .sort((a, b) => byName(a.name, b.name)),
    unschedulable: [...provisioning.unschedulable].sort((a, b) => byName(a.pod, b.pod)),
    disruptions,
    blocked: blockedNodes(pass.context, pass.scan),
    hourlyCost: hourlyCost(pass.states, provisioning.newNodes, disruptions),
  };
}

/** Before: the given nodes. After: plus new nodes and replacements, minus the nodes disrupted. */
function hourlyCost(
  states: readonly NodeState[],
  newNodes: readonly PlannedNode[],
  disruptions: readonly Disruption[],
) {
  const price = new Map(states.map((s) => [s.node.name, s.price ?? 0]));
  const before = states.reduce((sum, s) => sum + (s.price ?? 0), 0);
  let after = before + newNodes.reduce((sum, n) => sum + n.hourlyPrice, 0);
  for (const d of disruptions) {
    for (const name of d.nodes) after -= price.get(name) ?? 0;
    for (const r of d.replacements) after += r.hourlyPrice;
  }
  return { before: roundPrice(before), after: roundPrice(after) };
}
