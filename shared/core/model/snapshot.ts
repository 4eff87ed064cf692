// The world the decision core decides on: everything comes in as values, including the clock (DESIGN.md §1).

import type { InstanceType } from './instancetype.js';
import type { Node } from './node.js';
import type { NodeClass, NodePool } from './nodepool.js';
import type { Pod } from './pod.js';
import type { Settings } from './settings.js';
import type { DaemonSet, PodDisruptionBudget } from './workloads.js';

export interface Snapshot {
  /** Epoch milliseconds. */
  readonly now: number;
  /** Every pod: bound, pending, terminal. Pending ones are chosen by the caller's rule (see `pendingPods`). */
  readonly pods: readonly Pod[];
  readonly nodes: readonly Node[];
  readonly daemonSets: readonly DaemonSet[];
  readonly pdbs: readonly PodDisruptionBudget[];
  readonly nodePools: readonly NodePool[];
  readonly nodeClasses: readonly NodeClass[];
  /** Instance types resolved for each node class (allocatable depends on the class's kubelet settings). */
  readonly instanceTypes: ReadonlyMap<string, readonly InstanceType[]>;
  readonly settings: Settings;
  /**
   * Names of nodes fleetwright manages (disruption candidates). Others are capacity only. Offline, a node
   * whose `karpenter.sh/nodepool` label names a given pool; live, a node whose providerID is one of ours.
   */
  readonly managedNodes: ReadonlySet<string>;
  /**
   * The AMIs each node class selects now (live only: the cloud resolves selector terms and aliases such as
   * `al2023@latest`). A managed node whose `fleetwright.io/image-id` is not among its class's is drifted.
   * Absent offline, where AMIs are unknown.
   */
  readonly images?: ReadonlyMap<string, readonly string[]>;
}
