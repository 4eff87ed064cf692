// What the disruption pass sees: the cluster after this plan's provisioning. Nodes being disrupted are gone,
// pods this plan places on an existing node count as running there, and each node this plan launches is an
// in-flight node (not initialized) holding its pods. Consolidating against this view keeps a voluntary
// disruption from taking room the provisioning already promised to pending pods. The pass context adds budget
// counts per pool and the PDBs with their allowances; it is built once per pass.

import { LABEL_HOSTNAME } from '../labels.js';
import type { Node } from '../model/node.js';
import type { DisruptionReason, NodePool } from '../model/nodepool.js';
import type { PlannedNode } from '../model/plan.js';
import { isDaemonSetPod, type Pod } from '../model/pod.js';
import type { Snapshot } from '../model/snapshot.js';
import type { NodeState } from '../plan/cluster-state.js';
import type { Provisioning } from '../plan/provision.js';
import type { NodeClaim } from '../scheduling/node-claim.js';
import { BudgetLedger, type PoolCounts } from './budgets.js';
import { PdbIndex } from './pdb.js';

export interface WorldNode {
  readonly node: Node;
  readonly pool?: NodePool | undefined;
  readonly initialized: boolean;
  /** Active pods bound to it, plus the pods this plan places on it. */
  readonly pods: readonly Pod[];
  /** It receives pods in this plan: like Karpenter's nominated nodes, it is no disruption candidate. */
  readonly nominated: boolean;
  /** $/h; undefined for a type the catalogue does not know. */
  readonly price?: number | undefined;
  /**
   * When the node last changed (DESIGN.md §5): the later of its creation and the start of its newest
   * non-DaemonSet pod; `now` for a node that receives pods in this plan.
   */
  readonly lastActivity: number;
}

export interface PassContext {
  /** Prices already adjusted. */
  readonly snapshot: Snapshot;
  readonly now: number;
  readonly world: readonly WorldNode[];
  readonly counts: ReadonlyMap<string, PoolCounts>;
  readonly pdbs: PdbIndex;
}

/**
 * The context of a disruption pass. `states` must already mark the nodes this plan expires as disrupting: they
 * leave the world and count against their pool's budget (DESIGN.md §5 "Being disrupted").
 */
export function passContext(snapshot: Snapshot, states: readonly NodeState[], provisioning: Provisioning): PassContext {
  return {
    snapshot,
    now: snapshot.now,
    world: buildWorld(snapshot, states, provisioning),
    counts: poolCounts(snapshot, states),
    pdbs: new PdbIndex(snapshot.pdbs, snapshot.pods),
  };
}

/** A fresh budget ledger for one reason. */
export function ledger(ctx: PassContext, reason: DisruptionReason): BudgetLedger {
  return new BudgetLedger(ctx.snapshot.nodePools, ctx.counts, reason, ctx.now);
}

/** The world after provisioning: the nodes not being disrupted, then the nodes this plan launches. */
export function buildWorld(snapshot: Snapshot, states: readonly NodeState[], provisioning: Provisioning): WorldNode[] {
  const placedOn = new Map(provisioning.result.existing.map((e) => [e.name, e.placed.map((v) => v.pod)]));
  const world: WorldNode[] = [];
  for (const s of states) {
    if (s.disrupting) continue;
    const placed = placedOn.get(s.node.name) ?? [];
    world.push({
      node: s.node,
      pool: s.pool,
      initialized: s.initialized,
      pods: [...s.pods, ...placed],
      nominated: placed.length > 0,
      price: s.price,
      lastActivity: placed.length > 0 ? snapshot.now : lastActivity(s.node, s.pods),
    });
  }
  for (const [i, claim] of provisioning.claims.entries()) {
    const planned = provisioning.newNodes[i];
    if (planned) world.push(inFlight(claim, planned, i, snapshot.now));
  }
  return world;
}

/** A node this plan launches, as the pass sees it: in flight, with the estimated type's room and its pods. */
function inFlight(claim: NodeClaim, planned: PlannedNode, index: number, now: number): WorldNode {
  const type = claim.options.find((t) => t.name === planned.instanceType) ?? claim.options[0];
  // Node names are DNS subdomains, so a ':' keeps these from ever colliding with a real node.
  const name = `planned:${index + 1}`;
  return {
    node: {
      name,
      labels: { ...planned.labels, [LABEL_HOSTNAME]: name },
      annotations: {},
      taints: planned.taints,
      capacity: type?.capacity ?? {},
      allocatable: type?.allocatable ?? {},
      creationTimestamp: now,
      ready: false,
    },
    pool: claim.template.pool,
    initialized: false,
    pods: claim.pods.map((v) => v.pod),
    nominated: true,
    price: planned.hourlyPrice,
    lastActivity: now,
  };
}

/** The later of the node's creation and the start (else creation) of its newest non-DaemonSet pod. */
export function lastActivity(node: Node, pods: readonly Pod[]): number {
  let latest = node.creationTimestamp;
  for (const pod of pods) {
    if (isDaemonSetPod(pod)) continue;
    latest = Math.max(latest, pod.startTime ?? pod.creationTimestamp);
  }
  return latest;
}

/** consolidateAfter has passed since the node last changed; never under `consolidateAfter: Never`. */
export function settled(n: WorldNode, now: number): boolean {
  const after = n.pool?.consolidateAfterMs;
  return after !== null && after !== undefined && now - n.lastActivity >= after;
}

/**
 * May pods moved by disruption land here? Only on an initialized node outside its own consolidateAfter window
 * (DESIGN.md §5 "Destinations"), so a node that just received pods is not immediately refilled and re-judged.
 * A node whose pool says `consolidateAfter: Never`, or that no pool manages, has no window.
 */
export function openToMoves(n: WorldNode, now: number): boolean {
  if (!n.initialized) return false;
  const after = n.pool?.consolidateAfterMs;
  return after === null || after === undefined || now - n.lastActivity >= after;
}

/** Managed nodes per pool that are initialized or leaving (the base of a percentage), and those leaving. */
export function poolCounts(snapshot: Snapshot, states: readonly NodeState[]): Map<string, PoolCounts> {
  const counts = new Map<string, { total: number; disrupting: number }>();
  for (const s of states) {
    if (!s.pool || !snapshot.managedNodes.has(s.node.name)) continue;
    if (!s.initialized && !s.disrupting) continue;
    const c = counts.get(s.pool.name) ?? { total: 0, disrupting: 0 };
    c.total++;
    if (s.disrupting) c.disrupting++;
    counts.set(s.pool.name, c);
  }
  return counts;
}
