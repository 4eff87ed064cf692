// The Kubernetes cluster as the decision loop reads and changes it. Pure types: the adapter in
// `adapters/kubernetes/cluster.ts` implements them over the API server, fakes in `test/fakes/` over memory.
// Every write is safe to repeat (a retried invocation re-applies the same change) and never overwrites a
// concurrent change by another controller (DESIGN §2 "Writes to shared objects"). Pure types: no I/O and no
// clock here. Methods may reject with the implementation's errors (the adapter's KubernetesError subclasses,
// which name the verb and resource); outcomes the caller acts on (a refused eviction, a missing node) are
// results, not errors.

import type { Node } from '../model/node.js';
import type { NodeSelectorTerm, Pod } from '../model/pod.js';
import type { Taint } from '../model/taints.js';
import type { ClaimRef, VolumeAttachmentRef } from '../model/volumes.js';
import type { DaemonSet, PodDisruptionBudget } from '../model/workloads.js';

/** Everything a snapshot needs from the cluster, read once at the start of an invocation. */
export interface ClusterState {
  readonly nodes: readonly Node[];
  readonly pods: readonly Pod[];
  readonly daemonSets: readonly DaemonSet[];
  readonly pdbs: readonly PodDisruptionBudget[];
  /** Where `watchNodes` / `watchPods` continue from, so that no change between the list and the watch is lost. */
  readonly resourceVersions: { readonly nodes: string; readonly pods: string };
  /** Objects that could not be read, one sentence each (`Pod/default/web: spec.x: ...`); the rest is usable. */
  readonly unreadable: readonly string[];
}

/**
 * One change seen by a watch. `resync` replaces everything known of that kind: it follows a relist, when the
 * watch fell too far behind for the API server to replay what it missed.
 */
export type ClusterChange<T> =
  | { readonly type: 'upsert'; readonly object: T }
  | { readonly type: 'delete'; readonly object: T }
  | { readonly type: 'resync'; readonly objects: readonly T[] };

/** A stream of changes; `close()` ends it, also while a read is pending (then the iteration just finishes). */
export interface ClusterWatch<T> extends AsyncIterable<ClusterChange<T>> {
  close(): void;
}

export interface ClusterReader {
  /**
   * Nodes, pods, DaemonSets and PDBs, all pages. Nodes are read before pods, so that the pods are the newer
   * read: errors lean towards over-estimating capacity (a pod waits a tick longer), never towards launching a
   * node for a pod that was already bound (see the adapter for the full argument).
   */
  readState(): Promise<ClusterState>;
  /** The node named `name`, or undefined when there is none. */
  getNode(name: string): Promise<Node | undefined>;
  /** Every pod bound to `nodeName` (terminal and terminating ones included), for drains. */
  podsOnNode(nodeName: string): Promise<readonly Pod[]>;
  /** Node changes after `resourceVersion` (from `readState`); reconnects by itself after a dropped connection. */
  watchNodes(resourceVersion: string): ClusterWatch<Node>;
  /** Pod changes after `resourceVersion`, as `watchNodes`. */
  watchPods(resourceVersion: string): ClusterWatch<Pod>;
  /**
   * The VolumeAttachments attached, or being attached or detached, to the node named `nodeName`: all of them or
   * a rejection, never a partial list (a drain that saw none would terminate the instance under a volume).
   */
  volumeAttachments(nodeName: string): Promise<readonly VolumeAttachmentRef[]>;
  /**
   * The PersistentVolume each claim is bound to (`spec.volumeName`), keyed by `claimKey`. A claim that does not
   * exist or is not bound yet is absent from the map.
   */
  claimedVolumes(claims: readonly ClaimRef[]): Promise<ReadonlyMap<string, string>>;
  /**
   * Each PersistentVolume's required node affinity (`spec.nodeAffinity.required.nodeSelectorTerms`, an OR of
   * terms, keys normalized as a pod's), keyed by volume name: no terms for a volume without node affinity. A
   * volume that does not exist is absent from the map.
   */
  volumeNodeAffinity(persistentVolumes: readonly string[]): Promise<ReadonlyMap<string, readonly NodeSelectorTerm[]>>;
}

/** What to change on a node, applied together as one write. Absent fields are left as they are. */
export interface NodeChange {
  /** Added, or replacing the taint with the same key and effect. */
  readonly addTaints?: readonly Taint[];
  /** Removed by key and effect; absent taints are ignored. */
  readonly removeTaints?: readonly Pick<Taint, 'key' | 'effect'>[];
  /** `null` removes the label. */
  readonly labels?: Readonly<Record<string, string | null>>;
  /** `null` removes the annotation. */
  readonly annotations?: Readonly<Record<string, string | null>>;
  /** `true` cordons the node. */
  readonly unschedulable?: boolean;
}

export type NodeUpdate =
  | { readonly outcome: 'updated' | 'unchanged'; readonly node: Node }
  | { readonly outcome: 'not-found' };

/** A refused eviction is an answer, not a failure: the drain tries again on a later tick. */
export type EvictionResult =
  | { readonly outcome: 'evicted' }
  | { readonly outcome: 'gone' }
  | { readonly outcome: 'blocked'; readonly reason: string };

/** Who holds the single-writer Lease (DESIGN §2), seen by the caller after its attempt. */
export interface LeaseStatus {
  readonly held: boolean;
  /** The holder's identity; '' when nobody holds it. */
  readonly holder: string;
  /** Epoch milliseconds after which the holder loses it unless it renews. */
  readonly expiresAt: number;
}

export interface ClusterEvent {
  readonly regarding: {
    readonly kind: 'Pod' | 'Node';
    readonly name: string;
    /** For pods. */
    readonly namespace?: string;
    readonly uid?: string;
  };
  readonly type: 'Normal' | 'Warning';
  /** CamelCase, e.g. `FailedScheduling`, `DisruptionBlocked` (DESIGN §8). */
  readonly reason: string;
  /** What was done or decided, e.g. `Launch`, `Drain`. */
  readonly action: string;
  /** One human-readable sentence. */
  readonly note: string;
}

export interface ClusterWriter {
  /**
   * Applies `change` to the node's current state, guarded by its resourceVersion; on a conflict re-reads and
   * re-applies it, so a concurrent change to other taints, labels or annotations survives. `unchanged` when
   * the node already looked like that (no write was made).
   */
  updateNode(name: string, change: NodeChange): Promise<NodeUpdate>;
  /**
   * Asks the API server to evict the pod (policy/v1 Eviction), which honours PDBs. `uid`, when given, makes
   * sure a pod re-created under the same name is not evicted instead. `gone` when the pod no longer exists.
   */
  evictPod(pod: { readonly namespace: string; readonly name: string; readonly uid?: string }): Promise<EvictionResult>;
  /**
   * Deletes the pod with a shortened grace period, bypassing PDBs: only for a drain whose
   * terminationGracePeriod is due (Karpenter does the same). `uid` guards against deleting a pod re-created
   * under the same name. `gone` when the pod no longer exists (or is another pod now).
   */
  deletePod(
    pod: { readonly namespace: string; readonly name: string; readonly uid?: string },
    gracePeriodSeconds: number,
  ): Promise<'deleted' | 'gone'>;
  /**
   * Deletes the node if it still is the one described: when `providerID` is given, only a node with that
   * providerID is deleted (a node re-registered under the same name by another instance is kept).
   */
  deleteNode(name: string, expected?: { readonly providerID?: string }): Promise<'deleted' | 'not-found' | 'changed'>;
  /**
   * Takes the single-writer Lease when it is free, released or expired, or renews it when this writer already
   * holds it. Never takes a Lease another holder still holds; `held: false` then says who does and until when.
   */
  acquireLease(): Promise<LeaseStatus>;
  /** Extends the Lease this writer holds. `held: false` when it was lost (taken over after expiring). */
  renewLease(): Promise<LeaseStatus>;
  /** Hands the Lease over: clears the holder so the next writer takes it at once. No-op when not held. */
  releaseLease(): Promise<void>;
  /** Records a Kubernetes Event (events.k8s.io/v1) about a pod or node. */
  recordEvent(event: ClusterEvent): Promise<void>;
}
