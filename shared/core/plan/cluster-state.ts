// Reading a snapshot's nodes the way the plan needs them: which pool a node belongs to, whether it is
// initialized, whether it is being disrupted, what it costs, and which pods run on it (DESIGN.md §5).

import { LABEL_CAPACITY_TYPE, LABEL_INSTANCE_TYPE, LABEL_NODEPOOL, LABEL_ZONE, TAINT_DISRUPTED } from '../labels.js';
import type { InstanceType } from '../model/instancetype.js';
import type { Node } from '../model/node.js';
import type { NodePool } from '../model/nodepool.js';
import { isActive, type Pod } from '../model/pod.js';
import type { Snapshot } from '../model/snapshot.js';
import { sameTaint } from '../model/taints.js';

export interface NodeState {
  readonly node: Node;
  readonly pool?: NodePool;
  readonly initialized: boolean;
  readonly disrupting: boolean;
  /** Active pods bound to the node. */
  readonly pods: Pod[];
  /** $/h, undefined when the catalogue does not know the type. */
  readonly price?: number;
}

export function nodeStates(snapshot: Snapshot): NodeState[] {
  const pools = new Map(snapshot.nodePools.map((p) => [p.name, p]));
  const podsByNode = new Map<string, Pod[]>();
  for (const pod of snapshot.pods) {
    if (!pod.nodeName || !isActive(pod)) continue;
    const list = podsByNode.get(pod.nodeName);
    if (list) list.push(pod);
    else podsByNode.set(pod.nodeName, [pod]);
  }
  return snapshot.nodes.map((node) => {
    const pool = pools.get(node.labels[LABEL_NODEPOOL] ?? '');
    const startupTainted = pool?.startupTaints.some((s) => node.taints.some((t) => sameTaint(s, t))) ?? false;
    const types = catalogueFor(snapshot, pool);
    return {
      node,
      pool,
      initialized: node.ready && !startupTainted,
      disrupting: isDisrupting(node),
      pods: podsByNode.get(node.name) ?? [],
      price: nodePrice(node, types),
    };
  });
}

export function isDisrupting(node: Node): boolean {
  return node.deletionTimestamp !== undefined || node.taints.some((t) => t.key === TAINT_DISRUPTED);
}

/** The catalogue a node's price comes from: its pool's node class, else the first class given. */
function catalogueFor(snapshot: Snapshot, pool: NodePool | undefined): readonly InstanceType[] {
  const own = pool && snapshot.instanceTypes.get(pool.nodeClassName);
  return own ?? snapshot.instanceTypes.values().next().value ?? [];
}

/**
 * Its offering's price (even if that offering is unavailable now), else the type's on-demand price, else
 * undefined for a type the catalogue does not know.
 */
export function nodePrice(node: Node, types: readonly InstanceType[]): number | undefined {
  const type = types.find((t) => t.name === node.labels[LABEL_INSTANCE_TYPE]);
  if (!type) return undefined;
  const zone = node.labels[LABEL_ZONE];
  const capacityType = node.labels[LABEL_CAPACITY_TYPE] ?? 'on-demand';
  const exact = type.offerings.find((o) => o.zone === zone && o.capacityType === capacityType);
  if (exact) return exact.price;
  const onDemand = type.offerings.filter((o) => o.capacityType === 'on-demand').map((o) => o.price);
  return onDemand.length > 0 ? Math.min(...onDemand) : undefined;
}
