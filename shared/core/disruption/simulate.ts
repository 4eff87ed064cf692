// "What if these nodes were gone?" — a re-run of the scheduler without them, their reschedulable pods being the
// pods to place (karpenter-core §3.5). Pods already running elsewhere and pods this plan already placed stay
// where they are; pods that were pending and stay pending are not in the question at all, so they never block.
// Moved pods may only land on initialized nodes outside their consolidateAfter window (DESIGN.md §5).

import { type Pod, podKey } from '../model/pod.js';
import { isReschedulable, placedPods, usedCapacity } from '../plan/provision.js';
import type { NodeClaim } from '../scheduling/node-claim.js';
import { solve } from '../scheduling/scheduler.js';
import { openToMoves, type PassContext } from './world.js';

export interface Simulation {
  /** The pods that move: the reschedulable pods of the removed nodes. */
  readonly moved: readonly Pod[];
  /** New nodes the moved pods need. */
  readonly claims: readonly NodeClaim[];
  /** Existing node name -> moved pods placed there, in world order. */
  readonly destinations: ReadonlyMap<string, readonly Pod[]>;
  /** Moved pod key -> why it fits nowhere. */
  readonly unplaced: ReadonlyMap<string, string>;
}

/** Simulates removing the named world nodes. */
export function simulateRemoval(ctx: PassContext, removed: ReadonlySet<string>): Simulation {
  const leaving = ctx.world.filter((n) => removed.has(n.node.name));
  const staying = ctx.world.filter((n) => !removed.has(n.node.name));
  const moved = leaving.flatMap((n) => n.pods.filter(isReschedulable));
  const movedUids: ReadonlySet<string> = new Set(moved.map((p) => p.uid));
  const { snapshot } = ctx;
  const result = solve({
    pods: moved,
    existing: staying.map((n) => ({
      node: n.node,
      pods: n.pods,
      initialized: n.initialized,
      pool: n.pool,
      ...(openToMoves(n, ctx.now) ? {} : { closedTo: movedUids }),
    })),
    placed: placedPods(staying),
    daemonSets: snapshot.daemonSets,
    pools: snapshot.nodePools.map((pool) => ({
      pool,
      instanceTypes: snapshot.instanceTypes.get(pool.nodeClassName) ?? [],
      used: usedCapacity(staying, pool.name),
    })),
    settings: snapshot.settings,
  });
  const byUid = new Map(moved.map((p) => [p.uid, p]));
  const unplaced = new Map<string, string>();
  for (const [uid, reason] of result.failures) unplaced.set(podKey(byUid.get(uid) as Pod), reason);
  const destinations = new Map<string, Pod[]>();
  for (const e of result.existing)
    if (e.placed.length > 0)
      destinations.set(
        e.name,
        e.placed.map((v) => v.pod),
      );
  return { moved, claims: result.newNodes, destinations, unplaced };
}
