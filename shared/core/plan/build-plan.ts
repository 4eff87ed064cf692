// `plan(snapshot)`: the provisioning half of a decision pass, in the shape `fleetwright plan` prints
// (DESIGN.md §5): which pods go where, which nodes to launch and at what price, and why any pod cannot be placed.

import {
  LABEL_CAPACITY_TYPE,
  LABEL_HOSTNAME,
  LABEL_NODECLASS,
  LABEL_NODEPOOL,
  LABEL_ZONE,
  WELL_KNOWN_LABELS,
} from '../labels.js';
import type { Plan, PlannedNode, Unschedulable } from '../model/plan.js';
import { isDaemonSetPod, isMirrorPod, isPending, type Pod, podKey } from '../model/pod.js';
import type { Snapshot } from '../model/snapshot.js';
import { add, type Resources } from '../resources/resources.js';
import type { NodeClaim } from '../scheduling/node-claim.js';
import { solve } from '../scheduling/scheduler.js';
import type { PlacedPod } from '../scheduling/topology/topology.js';
import { type NodeState, nodeStates } from './cluster-state.js';
import { chooseOffering, MAX_INSTANCE_TYPES, priceOptions, roundPrice, withoutExotic } from './offerings.js';
import { validatePod } from './pod-validation.js';

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Plans capacity for the snapshot's pending pods and the pods of nodes being disrupted. */
export function plan(snapshot: Snapshot): Plan {
  const states = nodeStates(snapshot);
  const unschedulable: Unschedulable[] = [];
  const toPlace: Pod[] = [];
  for (const pod of snapshot.pods.filter(isPending)) {
    const invalid = validatePod(pod);
    if (invalid) unschedulable.push({ pod: podKey(pod), reason: invalid });
    else toPlace.push(pod);
  }
  for (const s of states.filter((s) => s.disrupting)) {
    toPlace.push(...s.pods.filter((p) => !isDaemonSetPod(p) && !isMirrorPod(p)));
  }
  const usable = states.filter((s) => !s.disrupting);
  const result = solve({
    pods: toPlace,
    existing: usable.map((s) => ({ node: s.node, pods: s.pods, initialized: s.initialized, pool: s.pool })),
    placed: placedPods(usable),
    daemonSets: snapshot.daemonSets,
    pools: snapshot.nodePools.map((pool) => ({
      pool,
      instanceTypes: snapshot.instanceTypes.get(pool.nodeClassName) ?? [],
      used: usedCapacity(usable, pool.name),
    })),
    settings: snapshot.settings,
  });
  const byUid = new Map(toPlace.map((p) => [p.uid, p]));
  for (const [uid, reason] of result.failures) unschedulable.push({ pod: podKey(byUid.get(uid) as Pod), reason });
  const newNodes = result.newNodes.map(plannedNode);
  const before = states.reduce((sum, s) => sum + (s.price ?? 0), 0);
  const after = before + newNodes.reduce((sum, n) => sum + n.hourlyPrice, 0);
  return {
    newNodes,
    existingNodes: result.existing
      .filter((n) => n.placed.length > 0)
      .map((n) => ({ name: n.name, pods: n.placed.map((v) => podKey(v.pod)).sort(byName) }))
      .sort((a, b) => byName(a.name, b.name)),
    unschedulable: unschedulable.sort((a, b) => byName(a.pod, b.pod)),
    disruptions: [],
    blocked: states
      .filter((s) => s.price === undefined)
      .map((s) => ({
        node: s.node.name,
        reason: `instance type "${s.node.labels['node.kubernetes.io/instance-type'] ?? '<none>'}" is not in the catalogue: capacity only`,
      }))
      .sort((a, b) => byName(a.node, b.node)),
    hourlyCost: { before: roundPrice(before), after: roundPrice(after) },
  };
}

function placedPods(states: readonly NodeState[]): PlacedPod[] {
  const out: PlacedPod[] = [];
  for (const s of states) {
    const nodeLabels = { [LABEL_HOSTNAME]: s.node.name, ...s.node.labels };
    for (const pod of s.pods) out.push({ pod, nodeLabels, nodeTaints: s.node.taints });
  }
  return out;
}

function usedCapacity(states: readonly NodeState[], pool: string): Resources {
  let used: Resources = {};
  for (const s of states) if (s.pool?.name === pool) used = add(used, s.node.capacity, { nodes: 1 });
  return used;
}

/** What a launch for this claim would get (DESIGN.md §5 "Choosing a node's offering"). */
export function plannedNode(claim: NodeClaim): PlannedNode {
  const options = priceOptions(withoutExotic(claim.options, claim.requirements), claim.requirements).slice(
    0,
    MAX_INSTANCE_TYPES,
  );
  const cheapest = options[0];
  if (!cheapest) throw new Error(`planned node ${claim.hostname} has no instance type with an allowed offering`);
  const offering = chooseOffering(cheapest);
  const pool = claim.template.pool;
  const custom = Object.fromEntries(
    Object.entries(claim.requirements.labels()).filter(([k]) => !WELL_KNOWN_LABELS.has(k) && k !== LABEL_HOSTNAME),
  );
  return {
    nodePool: pool.name,
    instanceType: cheapest.type.name,
    instanceTypeOptions: options.map((o) => o.type.name),
    capacityType: offering.capacityType,
    zone: offering.zone,
    hourlyPrice: roundPrice(offering.price),
    labels: sortKeys({
      ...custom,
      ...cheapest.type.labels,
      ...pool.labels,
      [LABEL_ZONE]: offering.zone,
      [LABEL_CAPACITY_TYPE]: offering.capacityType,
      [LABEL_NODEPOOL]: pool.name,
      [LABEL_NODECLASS]: pool.nodeClassName,
    }),
    taints: [...pool.taints, ...pool.startupTaints],
    pods: claim.pods.map((v) => podKey(v.pod)).sort(byName),
  };
}

function sortKeys(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => byName(a, b)));
}
