// The API resources the adapter uses, and their REST paths. A descriptor carries the object type it returns,
// so `client.list(PODS)` is typed as a list of `kubernetes-types` Pods without casts at the call site.

import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { Event } from 'kubernetes-types/events/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { VolumeAttachment } from 'kubernetes-types/storage/v1.js';

/** The part of every object the client reads itself. */
export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
}

export interface ApiObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ObjectMeta;
}

export interface ResourceType<T extends ApiObject> {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  /** The plural, as in URLs and RBAC rules. */
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Never set: ties the descriptor to its object type for inference. */
  readonly sample?: T;
}

/** core/v1 Nodes (cluster-scoped). */
export const NODES: ResourceType<Node> = { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false };
/** core/v1 Pods. */
export const PODS: ResourceType<Pod> = { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true };
/** apps/v1 DaemonSets. */
export const DAEMON_SETS: ResourceType<DaemonSet> = {
  group: 'apps',
  version: 'v1',
  plural: 'daemonsets',
  kind: 'DaemonSet',
  namespaced: true,
};
/** policy/v1 PodDisruptionBudgets. */
export const PDBS: ResourceType<PodDisruptionBudget> = {
  group: 'policy',
  version: 'v1',
  plural: 'poddisruptionbudgets',
  kind: 'PodDisruptionBudget',
  namespaced: true,
};
/** coordination.k8s.io/v1 Leases. */
export const LEASES: ResourceType<Lease> = {
  group: 'coordination.k8s.io',
  version: 'v1',
  plural: 'leases',
  kind: 'Lease',
  namespaced: true,
};
/** events.k8s.io/v1 Events. */
export const EVENTS: ResourceType<Event> = {
  group: 'events.k8s.io',
  version: 'v1',
  plural: 'events',
  kind: 'Event',
  namespaced: true,
};

/** core/v1 PersistentVolumeClaims. */
export const PERSISTENT_VOLUME_CLAIMS: ResourceType<PersistentVolumeClaim> = {
  group: '',
  version: 'v1',
  plural: 'persistentvolumeclaims',
  kind: 'PersistentVolumeClaim',
  namespaced: true,
};
/** core/v1 PersistentVolumes (cluster-scoped). */
export const PERSISTENT_VOLUMES: ResourceType<PersistentVolume> = {
  group: '',
  version: 'v1',
  plural: 'persistentvolumes',
  kind: 'PersistentVolume',
  namespaced: false,
};
/** storage.k8s.io/v1 VolumeAttachments (cluster-scoped). */
export const VOLUME_ATTACHMENTS: ResourceType<VolumeAttachment> = {
  group: 'storage.k8s.io',
  version: 'v1',
  plural: 'volumeattachments',
  kind: 'VolumeAttachment',
  namespaced: false,
};

/** `v1`, `apps/v1`. */
export function apiVersionOf(resource: ResourceType<ApiObject>): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

/**
 * `/api/v1/pods` (all namespaces), `/api/v1/namespaces/default/pods`, `/apis/apps/v1/daemonsets`. A namespace
 * given for a cluster-scoped resource is ignored.
 */
export function collectionPath(resource: ResourceType<ApiObject>, namespace?: string): string {
  const root = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  const scope = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root}${scope}/${resource.plural}`;
}

/** The path of one object, optionally of its subresource (`eviction`). */
export function objectPath(
  resource: ResourceType<ApiObject>,
  name: string,
  namespace?: string,
  subresource?: string,
): string {
  if (resource.namespaced && !namespace) throw new Error(`${resource.plural} are namespaced: a namespace is required`);
  const path = `${collectionPath(resource, namespace)}/${encodeURIComponent(name)}`;
  return subresource ? `${path}/${subresource}` : path;
}
