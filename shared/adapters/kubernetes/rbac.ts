// Exactly the Kubernetes permissions the adapter uses, as data: `fleetwright rbac` prints them as a manifest
// and the CDK stack applies them (DESIGN §7). The adapter tests run the whole reader and writer against an API
// server that allows only these rules, so a call added without its rule fails a test rather than production.

import type { Verb } from './client/errors.js';
import { LEASE_NAMESPACE } from './lease.js';

export interface RbacRule {
  /** '' for the core group. */
  readonly apiGroup: string;
  /** The plural; `pods/eviction` for a subresource. */
  readonly resource: string;
  readonly verbs: readonly Verb[];
  /**
   * When set, the rule is granted by a Role in this namespace instead of the ClusterRole: the Lease is the
   * only namespaced object we write, and nothing else in kube-system needs to be writable.
   */
  readonly namespace?: string;
}

/** The controller's rules; the ClusterRole gets those without `namespace`, a Role in kube-system the others. */
export const CONTROLLER_RBAC: readonly RbacRule[] = [
  // Read for snapshots and watches; patch for taints, labels, annotations and cordon; delete when the
  // instance behind a node is gone or its drain finished.
  { apiGroup: '', resource: 'nodes', verbs: ['get', 'list', 'watch', 'patch', 'delete'] },
  // Read for snapshots, watches and `spec.nodeName=` lists during drains; delete only when a drain's
  // terminationGracePeriod is due (PDBs are bypassed then, as in Karpenter).
  { apiGroup: '', resource: 'pods', verbs: ['get', 'list', 'watch', 'delete'] },
  // Drains evict through the API server, which enforces PodDisruptionBudgets.
  { apiGroup: '', resource: 'pods/eviction', verbs: ['create'] },
  // DaemonSet overhead of new nodes.
  { apiGroup: 'apps', resource: 'daemonsets', verbs: ['list'] },
  // Disruption protections.
  { apiGroup: 'policy', resource: 'poddisruptionbudgets', verbs: ['list'] },
  // A finished drain waits for the volumes of its evicted pods to detach before the instance goes (listed
  // whole: there is no field selector on the node); the claims of pods left on the node name volumes not to
  // wait for.
  { apiGroup: 'storage.k8s.io', resource: 'volumeattachments', verbs: ['list'] },
  { apiGroup: '', resource: 'persistentvolumeclaims', verbs: ['get'] },
  // A pending pod whose claim is bound to a zonal volume is planned into the volume's zone: its claim names the
  // volume, the volume's node affinity the zone.
  { apiGroup: '', resource: 'persistentvolumes', verbs: ['get'] },
  // The single-writer Lease (DESIGN §2): read, created on first use, then updated with resourceVersion.
  {
    apiGroup: 'coordination.k8s.io',
    resource: 'leases',
    verbs: ['get', 'create', 'update'],
    namespace: LEASE_NAMESPACE,
  },
  // Decisions as Events (DESIGN §8).
  { apiGroup: 'events.k8s.io', resource: 'events', verbs: ['create'] },
];
