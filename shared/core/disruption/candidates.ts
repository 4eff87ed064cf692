// Which nodes voluntary disruption may consider, and why the others are kept out (karpenter-core §3.2,
// DESIGN.md §5 "Disruptions"). A candidate is a managed, initialized node of a known pool and type that is not
// being disrupted, not protected, and not receiving pods in this plan. Protected nodes are listed in `blocked`
// with the protection named; nodes that are merely busy, young, in flight or already leaving are not.

import { LABEL_CAPACITY_TYPE, LABEL_INSTANCE_TYPE } from '../labels.js';
import type { Node } from '../model/node.js';
import type { NodePool } from '../model/nodepool.js';
import type { Blocked } from '../model/plan.js';
import type { Pod } from '../model/pod.js';
import type { NodeState } from '../plan/cluster-state.js';
import { isReschedulable } from '../plan/provision.js';
import { driftedSince, driftReason } from './drift.js';
import { nodeProtection, podProtection } from './protection.js';
import { type PassContext, settled, type WorldNode } from './world.js';

export interface Candidate {
  readonly name: string;
  readonly node: Node;
  readonly pool: NodePool;
  /** $/h of its offering, adjusted. */
  readonly price: number;
  readonly capacityType: string;
  readonly instanceType: string;
  /** The pods that would move: active, neither DaemonSet nor mirror pods. */
  readonly reschedulable: readonly Pod[];
  readonly empty: boolean;
  /** consolidateAfter has passed since the node last changed (never under `Never`). */
  readonly settled: boolean;
  /** Why the node drifted; undefined when it has not. */
  readonly drift?: string | undefined;
  readonly driftedSince: number;
  /** A pod-level protection that only drift under terminationGracePeriod may ignore. */
  readonly podProtection?: string | undefined;
  /** Karpenter's ordering key for emptiness and consolidation: $/h per unit of disruption, higher first. */
  readonly valuePerDisruption: number;
}

export interface CandidateScan {
  /** By node name. */
  readonly candidates: readonly Candidate[];
  /** Protected nodes and nodes of unknown type, with the reason. */
  readonly blocked: readonly Blocked[];
  /** Why each node that is no candidate is not one, for re-validation. */
  readonly excluded: ReadonlyMap<string, string>;
}

/** Sorts the snapshot's nodes into candidates, blocked nodes and the rest. */
export function scanCandidates(ctx: PassContext, states: readonly NodeState[]): CandidateScan {
  const world = new Map(ctx.world.map((n) => [n.node.name, n]));
  const candidates: Candidate[] = [];
  const blocked: Blocked[] = [];
  const excluded = new Map<string, string>();
  for (const s of [...states].sort((a, b) => (a.node.name < b.node.name ? -1 : 1))) {
    const name = s.node.name;
    if (s.price === undefined) {
      const reason = `instance type "${s.node.labels[LABEL_INSTANCE_TYPE] ?? '<none>'}" is not in the catalogue: capacity only`;
      blocked.push({ node: name, reason });
      excluded.set(name, reason);
      continue;
    }
    const w = world.get(name);
    const skip = notConsidered(ctx, s, w);
    if (skip !== undefined || !w || !s.pool) {
      excluded.set(name, skip ?? 'it is already being disrupted');
      continue;
    }
    const candidate = judge(ctx, w, { ...s, pool: s.pool, price: s.price });
    if (typeof candidate === 'string') {
      blocked.push({ node: name, reason: candidate });
      excluded.set(name, candidate);
    } else if (w.nominated) excluded.set(name, 'it receives pods in this plan');
    else candidates.push(candidate);
  }
  return { candidates, blocked, excluded };
}

/** Why the node is not considered at all (and not listed as blocked), or undefined. */
function notConsidered(ctx: PassContext, s: NodeState, w: WorldNode | undefined): string | undefined {
  if (!ctx.snapshot.managedNodes.has(s.node.name)) return 'it is not managed by fleetwright';
  if (s.disrupting || !w) return 'it is already being disrupted';
  if (!s.initialized) return 'it is not initialized';
  if (!s.pool) return `its nodepool does not exist`;
  return undefined;
}

/**
 * The candidate, or the protection that keeps it out of every method. Protections are judged on the pods bound
 * to the node, not on pending pods this plan only means to place there.
 */
function judge(ctx: PassContext, w: WorldNode, s: NodeState & { pool: NodePool; price: number }): Candidate | string {
  const { node, pool } = s;
  const own = nodeProtection(node);
  if (own) return own;
  const drift = candidateDrift(ctx, s);
  const protection = podProtection(s.pods, ctx.pdbs, ctx.now);
  // Drift is eventual: with a terminationGracePeriod the drain ends anyway, so Karpenter lets drift ignore
  // pod-level protections there (karpenter-core §3.2). Such a node is not reported as blocked.
  if (protection && !(drift && pool.terminationGracePeriodMs !== null)) return protection;
  return buildCandidate(ctx, w, s, drift, protection);
}

/**
 * The candidate every method judges, whatever protects it; `explain node` asks the methods about protected nodes
 * too, with this same value. `drift` and `protection` default to the node's own.
 */
export function buildCandidate(
  ctx: PassContext,
  w: WorldNode,
  s: NodeState & { pool: NodePool; price: number },
  drift: string | undefined = candidateDrift(ctx, s),
  protection: string | undefined = podProtection(s.pods, ctx.pdbs, ctx.now),
): Candidate {
  const { node, pool, price } = s;
  const reschedulable = w.pods.filter(isReschedulable);
  return {
    name: node.name,
    node,
    pool,
    price,
    capacityType: node.labels[LABEL_CAPACITY_TYPE] ?? 'on-demand',
    instanceType: node.labels[LABEL_INSTANCE_TYPE] ?? '',
    reschedulable,
    empty: reschedulable.length === 0,
    settled: settled(w, ctx.now),
    drift,
    driftedSince: driftedSince(node, ctx.now),
    podProtection: protection,
    valuePerDisruption: price / disruptionCost(reschedulable),
  };
}

function candidateDrift(ctx: PassContext, s: NodeState & { pool: NodePool }): string | undefined {
  const nodeClass = ctx.snapshot.nodeClasses.find((c) => c.name === s.pool.nodeClassName);
  return driftReason(s.node, s.pool, nodeClass, ctx.snapshot.images?.get(s.pool.nodeClassName));
}

/** Pod deletion cost annotation (ReplicaSet scale-down preference), which Karpenter also weighs. */
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';
/** Karpenter's scale factors: deletion cost and priority shift a pod's eviction cost by at most a few units. */
const DELETION_COST_SCALE = 2 ** 27;
const PRIORITY_SCALE = 2 ** 25;
const EVICTION_COST_BOUND = 10;

/** Karpenter's `RescheduleDisruptionCost`: 1 + the eviction costs of the pods that would move. */
export function disruptionCost(pods: readonly Pod[]): number {
  let total = 1;
  for (const pod of pods) {
    const deletion = Number(pod.annotations[DELETION_COST] ?? 0);
    let cost =
      1 + (Number.isFinite(deletion) ? deletion / DELETION_COST_SCALE : 0) + (pod.priority ?? 0) / PRIORITY_SCALE;
    cost = Math.min(EVICTION_COST_BOUND, Math.max(-EVICTION_COST_BOUND, cost));
    total += Math.max(0, cost);
  }
  return total;
}

/** Emptiness and consolidation order: most $/h per unit of disruption first, then name. */
export function byValue(a: Candidate, b: Candidate): number {
  return b.valuePerDisruption - a.valuePerDisruption || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
