// The ClusterReader and ClusterWriter ports over the API server: lists and watches mapped to core types through
// the pure mappers, the VolumeAttachments and claims a drain waits on, the volumes' node affinity pending pods
// are planned by, node changes as guarded patches, evictions, node deletion with preconditions, the
// single-writer Lease and Events.

import type { Node as K8sNode, Pod as K8sPod } from 'kubernetes-types/core/v1.js';
import type { Node } from '../../core/model/node.js';
import type { NodeSelectorTerm, Pod } from '../../core/model/pod.js';
import { type ClaimRef, claimKey, type VolumeAttachmentRef } from '../../core/model/volumes.js';
import type {
  ClusterChange,
  ClusterEvent,
  ClusterReader,
  ClusterState,
  ClusterWatch,
  ClusterWriter,
  EvictionResult,
  LeaseStatus,
  NodeChange,
  NodeUpdate,
} from '../../core/ports/cluster.js';
import { ConflictError, NotFoundError } from './client/errors.js';
import type { KubeClient } from './client/kube-client.js';
import { patchGuarded } from './client/optimistic.js';
import {
  type ApiObject,
  DAEMON_SETS,
  NODES,
  PDBS,
  PERSISTENT_VOLUME_CLAIMS,
  PERSISTENT_VOLUMES,
  PODS,
  type ResourceType,
  VOLUME_ATTACHMENTS,
} from './client/resources.js';
import { ResumableWatch, type ResumableWatchOptions } from './client/watch.js';
import { recordEvent } from './events.js';
import { LEASE_NAMESPACE, LeaseLock, leaseName } from './lease.js';
import { toDaemonSet } from './mappers/daemonset.js';
import { MappingError } from './mappers/fields.js';
import { toNode } from './mappers/node.js';
import { toPodDisruptionBudget } from './mappers/pdb.js';
import { toPod } from './mappers/pod.js';
import { boundVolumeOf, toVolumeAttachment, volumeNodeAffinityOf } from './mappers/volumes.js';
import { nodeChangePatch } from './node-change.js';
import { CONFLICT_ATTEMPTS, LIST_PAGE_SIZE } from './timing.js';

export interface KubernetesClusterOptions {
  readonly client: KubeClient;
  readonly clusterName: string;
  /** Who this invocation is, in the Lease and in Events (e.g. the Lambda request id). */
  readonly identity: string;
  readonly now?: () => number;
  readonly pageSize?: number;
  /** Timeouts and backoff of watches (tests shorten them). */
  readonly watch?: Pick<ResumableWatchOptions, 'timeoutSeconds' | 'idleTimeoutMs' | 'retry' | 'onInterruption'>;
  /** Told about each object a watch could not map (lists report them in `ClusterState.unreadable`). */
  readonly onUnreadable?: (message: string) => void;
}

/** ClusterReader over the API server. */
export class KubernetesClusterReader implements ClusterReader {
  constructor(private readonly options: KubernetesClusterOptions) {}

  async readState(): Promise<ClusterState> {
    const { client } = this.options;
    const limit = this.options.pageSize ?? LIST_PAGE_SIZE;
    // Nodes before pods, as Karpenter's provisioner does. The pod list is then the newer read: a pod the
    // scheduler binds between the two reads is seen bound, never pending, so no node is launched for it; a
    // node that registers between them is one of our in-flight instances (already counted as capacity) or
    // arrives on the node watch a second later. Errors thus lean towards over-estimating capacity — a pod
    // may wait one tick longer — rather than under-estimating it and launching a node nobody needs.
    const nodes = await client.listAll(NODES, { limit });
    const pods = await client.listAll(PODS, { limit });
    const [daemonSets, pdbs] = await Promise.all([
      client.listAll(DAEMON_SETS, { limit }),
      client.listAll(PDBS, { limit }),
    ]);
    const unreadable: string[] = [];
    return {
      nodes: mapAll(nodes.items, toNode, unreadable),
      pods: mapAll(pods.items, toPod, unreadable),
      daemonSets: mapAll(daemonSets.items, toDaemonSet, unreadable),
      pdbs: mapAll(pdbs.items, toPodDisruptionBudget, unreadable),
      resourceVersions: { nodes: nodes.resourceVersion, pods: pods.resourceVersion },
      unreadable,
    };
  }

  async getNode(name: string): Promise<Node | undefined> {
    try {
      return toNode(await this.options.client.get(NODES, name));
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async podsOnNode(nodeName: string): Promise<readonly Pod[]> {
    const { items } = await this.options.client.listAll(PODS, {
      fieldSelector: `spec.nodeName=${nodeName}`,
      limit: this.options.pageSize ?? LIST_PAGE_SIZE,
    });
    const unreadable: string[] = [];
    const pods = mapAll(items, toPod, unreadable);
    for (const message of unreadable) this.options.onUnreadable?.(message);
    return pods;
  }

  async volumeAttachments(nodeName: string): Promise<readonly VolumeAttachmentRef[]> {
    // VolumeAttachments have no `spec.nodeName` field selector (only `metadata.name`): list them all, keep the
    // node's. A list rarely spans more than a page: there is one per attached volume in the cluster. An object
    // the mapper refuses fails the call rather than being left out: the caller then waits instead of
    // terminating the instance under a volume it could not see.
    const { items } = await this.options.client.listAll(VOLUME_ATTACHMENTS, {
      limit: this.options.pageSize ?? LIST_PAGE_SIZE,
    });
    return items.filter((a) => a.spec?.nodeName === nodeName).map(toVolumeAttachment);
  }

  async claimedVolumes(claims: readonly ClaimRef[]): Promise<ReadonlyMap<string, string>> {
    const volumes = new Map<string, string>();
    const unique = new Map(claims.map((c) => [claimKey(c), c]));
    // One GET per claim: only the claims of pods a drain leaves on the node, usually none.
    await Promise.all(
      [...unique].map(async ([key, claim]) => {
        try {
          const volume = boundVolumeOf(
            await this.options.client.get(PERSISTENT_VOLUME_CLAIMS, claim.name, claim.namespace),
          );
          if (volume !== undefined) volumes.set(key, volume);
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
        }
      }),
    );
    return volumes;
  }

  async volumeNodeAffinity(
    persistentVolumes: readonly string[],
  ): Promise<ReadonlyMap<string, readonly NodeSelectorTerm[]>> {
    const terms = new Map<string, readonly NodeSelectorTerm[]>();
    // One GET per volume: only the volumes of pending pods' bound claims the caller has not seen yet.
    await Promise.all(
      [...new Set(persistentVolumes)].map(async (name) => {
        try {
          terms.set(name, volumeNodeAffinityOf(await this.options.client.get(PERSISTENT_VOLUMES, name)));
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
        }
      }),
    );
    return terms;
  }

  watchNodes(resourceVersion: string): ClusterWatch<Node> {
    return this.watch(NODES, resourceVersion, (obj: K8sNode) => toNode(obj));
  }

  watchPods(resourceVersion: string): ClusterWatch<Pod> {
    return this.watch(PODS, resourceVersion, (obj: K8sPod) => toPod(obj));
  }

  private watch<K extends ApiObject, T>(
    resource: ResourceType<K>,
    resourceVersion: string,
    map: (obj: K) => T,
  ): ClusterWatch<T> {
    const watch = new ResumableWatch(this.options.client, resource, { ...this.options.watch, resourceVersion });
    const onUnreadable = this.options.onUnreadable;
    return {
      close: () => watch.close(),
      async *[Symbol.asyncIterator](): AsyncGenerator<ClusterChange<T>> {
        for await (const change of watch) {
          const unreadable: string[] = [];
          if (change.type === 'RELISTED') {
            yield { type: 'resync', objects: mapAll(change.objects, map, unreadable) };
          } else {
            const [object] = mapAll([change.object], map, unreadable);
            if (object !== undefined) yield { type: change.type === 'DELETED' ? 'delete' : 'upsert', object };
          }
          for (const message of unreadable) onUnreadable?.(message);
        }
      },
    };
  }
}

/** ClusterWriter over the API server; its Lease is `kube-system/fleetwright-<cluster>`, held as `identity`. */
export class KubernetesClusterWriter implements ClusterWriter {
  private readonly lease: LeaseLock;
  private readonly now: () => number;

  constructor(private readonly options: KubernetesClusterOptions) {
    this.now = options.now ?? Date.now;
    this.lease = new LeaseLock(options.client, {
      namespace: LEASE_NAMESPACE,
      name: leaseName(options.clusterName),
      holder: options.identity,
      now: this.now,
    });
  }

  async updateNode(name: string, change: NodeChange): Promise<NodeUpdate> {
    try {
      const result = await patchGuarded(this.options.client, NODES, name, (node) => nodeChangePatch(node, change));
      return { outcome: result.changed ? 'updated' : 'unchanged', node: toNode(result.object) };
    } catch (error) {
      if (error instanceof NotFoundError) return { outcome: 'not-found' };
      throw error;
    }
  }

  evictPod(pod: { readonly namespace: string; readonly name: string; readonly uid?: string }): Promise<EvictionResult> {
    return this.options.client.evict(pod.namespace, pod.name, pod.uid);
  }

  async deletePod(
    pod: { readonly namespace: string; readonly name: string; readonly uid?: string },
    gracePeriodSeconds: number,
  ): Promise<'deleted' | 'gone'> {
    try {
      await this.options.client.delete(PODS, pod.name, {
        namespace: pod.namespace,
        gracePeriodSeconds,
        ...(pod.uid ? { preconditions: { uid: pod.uid } } : {}),
      });
      return 'deleted';
    } catch (error) {
      // Not found: already gone. Conflict on the uid precondition: a new pod took the name; it is not ours to delete.
      if (error instanceof NotFoundError || error instanceof ConflictError) return 'gone';
      throw error;
    }
  }

  async deleteNode(
    name: string,
    expected: { readonly providerID?: string } = {},
  ): Promise<'deleted' | 'not-found' | 'changed'> {
    const { client } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        const node = await client.get(NODES, name);
        if (expected.providerID !== undefined && node.spec?.providerID !== expected.providerID) return 'changed';
        // uid: the same Node object we just judged; resourceVersion: in the state we judged it.
        const { uid, resourceVersion } = node.metadata ?? {};
        await client.delete(NODES, name, { preconditions: { uid, resourceVersion } });
        return 'deleted';
      } catch (error) {
        if (error instanceof NotFoundError) return 'not-found';
        // The node changed between our read and the delete (a kubelet heartbeat, a label): judge it again.
        if (!(error instanceof ConflictError) || attempt >= CONFLICT_ATTEMPTS) throw error;
      }
    }
  }

  acquireLease(): Promise<LeaseStatus> {
    return this.lease.acquire();
  }

  renewLease(): Promise<LeaseStatus> {
    return this.lease.renew();
  }

  releaseLease(): Promise<void> {
    return this.lease.release();
  }

  recordEvent(event: ClusterEvent): Promise<void> {
    return recordEvent(this.options.client, event, this.now(), this.options.identity);
  }
}

/**
 * Maps each object; one the mappers refuse (a MappingError) is left out and described in `unreadable`, so one
 * odd object does not hide the rest of the cluster. Any other error is a bug and is thrown.
 */
function mapAll<K, T>(objects: readonly K[], map: (obj: K) => T, unreadable: string[]): T[] {
  const out: T[] = [];
  for (const obj of objects) {
    try {
      out.push(map(obj));
    } catch (error) {
      if (!(error instanceof MappingError)) throw error;
      unreadable.push(error.message);
    }
  }
  return out;
}
