// What a config change would do to a live cluster (`fleetwright plan --cluster --nodepools …`, the review step
// before `config push`): the nodes it would drift, which of them can be replaced and which cannot (their pods fit
// nowhere under the new config, so drift leaves them), the pods it strands or newly places, and the $/h.
//
// The three $/h figures share one definition, so they compare: the nodes there are now, plus the new nodes the
// plan launches for pending pods, minus the drifted nodes that can be replaced, plus their replacements — planned
// by re-planning their pods as pending under the new config, which is what the replacements do. Other voluntary
// disruptions (consolidation, emptiness) are left out of all three: they are not the change's doing.

import { driftReason } from '../disruption/drift.js';
import { LABEL_NODEPOOL } from '../labels.js';
import type { Plan } from '../model/plan.js';
import { isDaemonSetPod, isMirrorPod, type Pod, podKey } from '../model/pod.js';
import type { Snapshot } from '../model/snapshot.js';
import { plan } from '../plan/build-plan.js';
import { nodeStates } from '../plan/cluster-state.js';
import { roundPrice } from '../plan/offerings.js';

export interface DriftedNode {
  readonly node: string;
  readonly nodePool: string;
  readonly reason: string;
  /** Undefined when its pods can all be placed under the new config; else why drift has to leave the node. */
  readonly kept?: string;
}

export interface ConfigDiff {
  /** Managed nodes drifted under the proposed config that are not drifted under the live one. */
  readonly drifted: readonly DriftedNode[];
  /** Pods the change leaves without a place: pending ones the live plan places, and pods of drifted nodes. */
  readonly stranded: readonly { readonly pod: string; readonly reason: string }[];
  /** Pending pods the live plan cannot place and the proposed one can. */
  readonly placed: readonly string[];
  readonly live: Plan;
  readonly proposed: Plan;
  readonly hourlyCost: {
    /** The nodes there are now. */
    readonly now: number;
    /** With the stored config: plus the nodes launched for pending pods. */
    readonly live: number;
    /** With the change: plus new nodes for pending pods, with every replaceable drifted node replaced. */
    readonly proposed: number;
  };
}

/** `live` and `proposed` are the same cluster snapshotted with the live and the proposed config. */
export function configDiff(live: Snapshot, proposed: Snapshot): ConfigDiff {
  const livePlan = plan(live);
  const proposedPlan = plan(proposed);
  const alreadyDrifted = new Set(driftedNodes(live).map((d) => d.node));
  const drifted = driftedNodes(proposed).filter((d) => !alreadyDrifted.has(d.node));
  const liveStuck = new Set(livePlan.unschedulable.map((u) => u.pod));
  const proposedStuck = new Map(proposedPlan.unschedulable.map((u) => [u.pod, u.reason]));
  const replacement = replaceDrifted(proposed, drifted);
  const stranded = [
    ...[...proposedStuck].filter(([pod]) => !liveStuck.has(pod)).map(([pod, reason]) => ({ pod, reason })),
    ...replacement.stranded,
  ];
  const newNodes = (p: Plan) => p.newNodes.reduce((sum, n) => sum + n.hourlyPrice, 0);
  const now = livePlan.hourlyCost.before;
  return {
    drifted: replacement.drifted,
    stranded,
    placed: [...liveStuck].filter((pod) => !proposedStuck.has(pod)),
    live: livePlan,
    proposed: proposedPlan,
    hourlyCost: {
      now,
      live: roundPrice(now + newNodes(livePlan)),
      proposed: roundPrice(now - replacement.removedCost + newNodes(replacement.plan ?? proposedPlan)),
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

interface Replacement {
  readonly drifted: DriftedNode[];
  readonly stranded: { pod: string; reason: string }[];
  /** $/h of the drifted nodes that go. */
  readonly removedCost: number;
  /** The plan with the replaceable drifted nodes gone and their pods pending; undefined when none drifted. */
  readonly plan?: Plan;
}

/**
 * Re-plans the drifted nodes' pods as pending under the proposed config. A node with a pod that fits nowhere is
 * one drift leaves alone (the disruption pass only replaces nodes whose pods all land); it is kept, and the plan
 * is made again without it, so its pods do not count twice.
 */
function replaceDrifted(snapshot: Snapshot, drifted: readonly DriftedNode[]): Replacement {
  if (drifted.length === 0) return { drifted: [], stranded: [], removedCost: 0 };
  const first = planWithout(snapshot, new Set(drifted.map((d) => d.node)));
  const podNode = new Map(snapshot.pods.flatMap((p) => (p.nodeName ? [[podKey(p), p.nodeName] as const] : [])));
  const stuck = new Map<string, { pod: string; reason: string }[]>();
  for (const u of first.plan.unschedulable) {
    const node = podNode.get(u.pod);
    if (node === undefined || !first.leaving.has(node)) continue;
    stuck.set(node, [...(stuck.get(node) ?? []), u]);
  }
  const replaceable = new Set(drifted.filter((d) => !stuck.has(d.node)).map((d) => d.node));
  const final = stuck.size === 0 ? first : planWithout(snapshot, replaceable);
  const price = new Map(nodeStates(snapshot).map((s) => [s.node.name, s.price ?? 0]));
  return {
    drifted: drifted.map((d) => {
      const pods = stuck.get(d.node);
      if (!pods) return d;
      const names = pods.map((p) => p.pod);
      return { ...d, kept: `${names.join(', ')} could not be placed anywhere, so drift leaves the node` };
    }),
    stranded: [...stuck.values()].flat(),
    removedCost: [...replaceable].reduce((sum, n) => sum + (price.get(n) ?? 0), 0),
    plan: final.plan,
  };
}

/** The plan with `leaving` nodes gone and their movable pods pending (as their replacements would see them). */
function planWithout(snapshot: Snapshot, leaving: ReadonlySet<string>): { plan: Plan; leaving: ReadonlySet<string> } {
  const stays = (p: Pod) => p.nodeName === undefined || !leaving.has(p.nodeName);
  const moves = (p: Pod) => !stays(p) && !isDaemonSetPod(p) && !isMirrorPod(p);
  const without: Snapshot = {
    ...snapshot,
    nodes: snapshot.nodes.filter((n) => !leaving.has(n.name)),
    pods: [...snapshot.pods.filter(stays), ...snapshot.pods.filter(moves).map(asPending)],
  };
  return { plan: plan(without), leaving };
}

function asPending(pod: Pod): Pod {
  const { nodeName: _, ...rest } = pod;
  return { ...rest, phase: 'Pending', unschedulable: true };
}
