// The provisioning half of a pass: pending pods (validated first) and the pods of nodes being disrupted are
// placed on the nodes that may take them or on new nodes (DESIGN.md §5 "Accounting", "Being disrupted").
// The disruption pass reuses `placedPods` and `usedCapacity` for its own solves.

import { LABEL_HOSTNAME } from '../labels.js';
import type { Node } from '../model/node.js';
import type { NodePool } from '../model/nodepool.js';
import type { PlannedNode, Unschedulable } from '../model/plan.js';
import { isDaemonSetPod, isMirrorPod, isPending, type Pod, podKey } from '../model/pod.js';
import type { Snapshot } from '../model/snapshot.js';
import { add, type Resources } from '../resources/resources.js';
import type { NodeClaim } from '../scheduling/node-claim.js';
import { type SolveResult, solve } from '../scheduling/scheduler.js';
import type { PlacedPod } from '../scheduling/topology/topology.js';
import type { NodeState } from './cluster-state.js';
import { plannedNode } from './planned-node.js';
import { validatePod } from './pod-validation.js';
import { repack } from './repack.js';
import { rightSize } from './right-size.js';

export interface Provisioning {
  readonly result: SolveResult;
  readonly unschedulable: readonly Unschedulable[];
  /** The nodes the plan launches, in order; the disruption pass treats them as in flight. */
  readonly claims: readonly NodeClaim[];
  /** `claims` as the plan prints them, one for one. */
  readonly newNodes: readonly PlannedNode[];
}

/**
 * Places the snapshot's pending pods and the reschedulable pods of nodes being disrupted (`states[].disrupting`,
 * which includes the nodes this plan expires) on the other nodes or on new ones.
 */
export function provision(snapshot: Snapshot, states: readonly NodeState[]): Provisioning {
  const unschedulable: Unschedulable[] = [];
  const toPlace: Pod[] = [];
  for (const pod of snapshot.pods.filter(isPending)) {
    const invalid = validatePod(pod);
    if (invalid) unschedulable.push({ pod: podKey(pod), reason: invalid });
    else toPlace.push(pod);
  }
  for (const s of states.filter((s) => s.disrupting)) toPlace.push(...s.pods.filter(isReschedulable));
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
  // Right-sizing and re-packing only here: consolidation and drift simulations judge the solve's own planned nodes.
  const claims = repack(rightSize(result.newNodes), [...toPlace, ...usable.flatMap((s) => s.pods)]);
  return { result, unschedulable, claims, newNodes: claims.map(plannedNode) };
}

/** Pods that move when their node goes: active ones that are neither DaemonSet nor mirror pods. */
export function isReschedulable(pod: Pod): boolean {
  return !isDaemonSetPod(pod) && !isMirrorPod(pod);
}

/** Running pods with their node's labels (hostname included) and taints, for topology counts. */
export function placedPods(nodes: readonly { readonly node: Node; readonly pods: readonly Pod[] }[]): PlacedPod[] {
  const out: PlacedPod[] = [];
  for (const { node, pods } of nodes) {
    const nodeLabels = { [LABEL_HOSTNAME]: node.name, ...node.labels };
    for (const pod of pods) out.push({ pod, nodeLabels, nodeTaints: node.taints });
  }
  return out;
}

/** Capacity (and one `nodes`) of each node of the pool, counted against its limits. */
export function usedCapacity(
  nodes: readonly { readonly node: Node; readonly pool?: NodePool | undefined }[],
  pool: string,
): Resources {
  let used: Resources = {};
  for (const s of nodes) if (s.pool?.name === pool) used = add(used, s.node.capacity, { nodes: 1 });
  return used;
}
