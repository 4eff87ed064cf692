// What a config change would do to a live cluster (`fleetwright plan --cluster --nodepools …`, the review step
// before `config push`): the nodes it would drift (and so replace, budget by budget), the nodes that would lose
// their pool, the pods it would strand or place, and the $/h once the drift has played out — estimated by
// re-planning the drifted nodes' pods as pending under the new config, which is what the replacements do.

import { driftReason } from '../disruption/drift.js';
import { LABEL_NODEPOOL } from '../labels.js';
import type { Node } from '../model/node.js';
import type { Plan } from '../model/plan.js';
import { isDaemonSetPod, isMirrorPod, podKey } from '../model/pod.js';
import type { Snapshot } from '../model/snapshot.js';
import { plan } from '../plan/build-plan.js';
import { nodePrice } from '../plan/cluster-state.js';
import { roundPrice } from '../plan/offerings.js';

export interface DriftedNode {
  readonly node: string;
  readonly nodePool: string;
  readonly reason: string;
}

export interface ConfigDiff {
  /** Managed nodes drifted under the proposed config that are not drifted under the live one. */
  readonly drifted: readonly DriftedNode[];
  /** Managed nodes whose pool the proposed config no longer has (they are left alone, as orphans). */
  readonly orphaned: readonly string[];
  /** Pods the live plan places and the proposed plan cannot, with the proposed plan's reason. */
  readonly stranded: readonly { readonly pod: string; readonly reason: string }[];
  /** Pods the live plan cannot place and the proposed one can. */
  readonly placed: readonly string[];
  readonly live: Plan;
  readonly proposed: Plan;
  readonly hourlyCost: {
    /** The cluster as it is. */
    readonly now: number;
    /** After the live config's plan. */
    readonly live: number;
    /** After the proposed config's plan and every drifted node replaced. */
    readonly proposed: number;
  };
}

/** `live` and `proposed` are the same cluster snapshotted with the live and the proposed config. */
export function configDiff(live: Snapshot, proposed: Snapshot): ConfigDiff {
  const livePlan = plan(live);
  const proposedPlan = plan(proposed);
  const drifted = driftedNodes(proposed).filter((d) => !driftedNodes(live).some((l) => l.node === d.node));
  const proposedPools = new Set(proposed.nodePools.map((p) => p.name));
  const orphaned = live.nodes
    .filter((n) => live.managedNodes.has(n.name) && !proposedPools.has(n.labels[LABEL_NODEPOOL] ?? ''))
    .map((n) => n.name);
  const liveStuck = new Set(livePlan.unschedulable.map((u) => u.pod));
  const proposedStuck = new Map(proposedPlan.unschedulable.map((u) => [u.pod, u.reason]));
  return {
    drifted,
    orphaned,
    stranded: [...proposedStuck].filter(([pod]) => !liveStuck.has(pod)).map(([pod, reason]) => ({ pod, reason })),
    placed: [...liveStuck].filter((pod) => !proposedStuck.has(pod)),
    live: livePlan,
    proposed: proposedPlan,
    hourlyCost: {
      now: livePlan.hourlyCost.before,
      live: livePlan.hourlyCost.after,
      proposed: afterDrift(proposed, proposedPlan, new Set(drifted.map((d) => d.node))),
    },
  };
}

function driftedNodes(snapshot: Snapshot): DriftedNode[] {
  const pools = new Map(snapshot.nodePools.map((p) => [p.name, p]));
  const classes = new Map(snapshot.nodeClasses.map((c) => [c.name, c]));
  const out: DriftedNode[] = [];
  for (const node of snapshot.nodes) {
    if (!snapshot.managedNodes.has(node.name)) continue;
    const pool = pools.get(node.labels[LABEL_NODEPOOL] ?? '');
    if (!pool) continue;
    const reason = driftReason(node, pool, classes.get(pool.nodeClassName), snapshot.images?.get(pool.nodeClassName));
    if (reason) out.push({ node: node.name, nodePool: pool.name, reason });
  }
  return out;
}

/**
 * $/h once every drifted node is replaced: the proposed plan's nodes without the drifted ones, plus new nodes for
 * their pods, planned as pending under the proposed config. Without drifted nodes it is the proposed plan's.
 */
function afterDrift(snapshot: Snapshot, proposedPlan: Plan, drifted: ReadonlySet<string>): number {
  if (drifted.size === 0) return proposedPlan.hourlyCost.after;
  const moved = snapshot.pods.filter(
    (p) => p.nodeName !== undefined && drifted.has(p.nodeName) && !isDaemonSetPod(p) && !isMirrorPod(p),
  );
  const movedKeys = new Set(moved.map(podKey));
  const without: Snapshot = {
    ...snapshot,
    nodes: snapshot.nodes.filter((n) => !drifted.has(n.name)),
    pods: [
      ...snapshot.pods.filter((p) => !movedKeys.has(podKey(p)) && !(p.nodeName && drifted.has(p.nodeName))),
      ...moved.map((p) => pending(p)),
    ],
  };
  const replanned = plan(without);
  const removed = snapshot.nodes
    .filter((n) => drifted.has(n.name))
    .reduce((sum, n) => sum + (priceOf(snapshot, n) ?? 0), 0);
  // Keep the proposed plan's own disruptions of the other nodes out of this estimate: it is about the drift.
  return roundPrice(
    proposedPlan.hourlyCost.before - removed + replanned.newNodes.reduce((sum, n) => sum + n.hourlyPrice, 0),
  );
}

function pending<T extends { readonly nodeName?: string | undefined }>(pod: T): T {
  const { nodeName: _, ...rest } = pod;
  return { ...rest, unschedulable: true } as unknown as T;
}

function priceOf(snapshot: Snapshot, node: Node): number | undefined {
  const pool = snapshot.nodePools.find((p) => p.name === node.labels[LABEL_NODEPOOL]);
  const types = (pool && snapshot.instanceTypes.get(pool.nodeClassName)) ?? [];
  return nodePrice(node, types);
}
