// Launched-but-unregistered instances as nodes (DESIGN.md §2 "In flight"): every snapshot counts them as capacity
// — not initialized, so the pool's startup taints do not repel pods — so neither the next tick nor the next
// invocation launches again for pods they will hold. Their labels are what the kubelet will register with:
// the instance type's, the pool template's and the pool's single-valued requirements, plus zone, capacity type,
// pool and class; their capacity and allocatable are the type's under the pool's node class.

import {
  LABEL_CAPACITY_TYPE,
  LABEL_HOSTNAME,
  LABEL_INSTANCE_TYPE,
  LABEL_NODECLASS,
  LABEL_NODEPOOL,
  LABEL_ZONE,
} from '../../core/labels.js';
import type { InstanceType } from '../../core/model/instancetype.js';
import type { Node } from '../../core/model/node.js';
import type { NodePool } from '../../core/model/nodepool.js';
import type { CloudInstance } from '../../core/ports/cloud.js';

/** Instance states that hold (or will hold) capacity; stopping, stopped and shutting-down ones do not. */
const CAPACITY_STATES: ReadonlySet<string> = new Set(['pending', 'running']);

export function holdsCapacity(instance: CloudInstance): boolean {
  return CAPACITY_STATES.has(instance.state);
}

/** The node an unregistered instance will become, named after the instance id. */
export function inFlightNode(
  instance: CloudInstance,
  pool: NodePool | undefined,
  type: InstanceType | undefined,
): Node {
  const fromRequirements: Record<string, string> = {};
  for (const r of pool?.requirements ?? []) {
    if (r.operator === 'In' && r.values?.length === 1) fromRequirements[r.key] = r.values[0] as string;
  }
  return {
    name: instance.instanceId,
    labels: {
      ...fromRequirements,
      ...type?.labels,
      ...pool?.labels,
      [LABEL_HOSTNAME]: instance.instanceId,
      [LABEL_INSTANCE_TYPE]: instance.instanceType,
      [LABEL_ZONE]: instance.zone,
      [LABEL_CAPACITY_TYPE]: instance.capacityType,
      ...(instance.nodePool === undefined ? {} : { [LABEL_NODEPOOL]: instance.nodePool }),
      ...(instance.nodeClass === undefined ? {} : { [LABEL_NODECLASS]: instance.nodeClass }),
    },
    annotations: {},
    taints: [...(pool?.taints ?? []), ...(pool?.startupTaints ?? [])],
    // An unknown type (the catalogue lost it) still counts as a node against limits, with no room for pods.
    capacity: type?.capacity ?? {},
    allocatable: type?.allocatable ?? {},
    creationTimestamp: instance.launchTime,
    providerID: instance.providerID,
    ready: false,
  };
}
