// The ClusterReader and ClusterWriter ports in memory, shared by every invocation that talks to the same
// `FakeClusterState` (each with its own Lease identity): lists, watches, guarded node changes, evictions that
// honour PodDisruptionBudgets as the API server does, node deletion with a providerID precondition, the Lease on
// an injected clock, Events, and VolumeAttachments, claims and volumes' node affinity as plain maps. Evicted pods
// and the pods of a deleted node come back pending, as their controllers would re-create them.

import { computedDisruptionsAllowed, covers } from '../../shared/core/disruption/pdb.js';
import type { Node } from '../../shared/core/model/node.js';
import type { NodeSelectorTerm, Pod } from '../../shared/core/model/pod.js';
import { type ClaimRef, claimKey, type VolumeAttachmentRef } from '../../shared/core/model/volumes.js';
import type { DaemonSet, PodDisruptionBudget } from '../../shared/core/model/workloads.js';
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
} from '../../shared/core/ports/cluster.js';
import type { Clock } from '../../shared/runtime/clock.js';

/** The Lease's duration, as the adapter's. */
const LEASE_MS = 15_000;

type Listener = { kind: 'nodes' | 'pods'; push: (change: ClusterChange<Node> | ClusterChange<Pod>) => void };

export class FakeClusterState {
  readonly nodes = new Map<string, Node>();
  readonly pods = new Map<string, Pod>();
  pdbs: PodDisruptionBudget[] = [];
  daemonSets: DaemonSet[] = [];
  /** VolumeAttachments by name, with the node each binds its volume to. */
  readonly volumeAttachments = new Map<string, VolumeAttachmentRef & { readonly nodeName: string }>();
  /** The PersistentVolume of each bound claim, by `namespace/name`. */
  readonly claims = new Map<string, string>();
  /** Each PersistentVolume's required node affinity terms, by name. */
  readonly volumes = new Map<string, readonly NodeSelectorTerm[]>();
  readonly events: ClusterEvent[] = [];
  lease: { holder: string; renewedAt: number } | undefined;
  readonly listeners = new Set<Listener>();
  writes = 0;
  private recreated = 0;
  /** Pods deleted past their PDB because a drain's terminationGracePeriod was due. */
  readonly forcedDeletions: string[] = [];

  putNode(node: Node): void {
    this.nodes.set(node.name, node);
    this.emit('nodes', { type: 'upsert', object: node });
  }

  putPod(pod: Pod): void {
    this.pods.set(pod.uid, pod);
    this.emit('pods', { type: 'upsert', object: pod });
  }

  removePod(pod: Pod): void {
    this.pods.delete(pod.uid);
    this.emit('pods', { type: 'delete', object: pod });
  }

  /** The pod's controller re-creates it: same name, new uid, pending and marked Unschedulable. */
  recreate(pod: Pod): void {
    this.removePod(pod);
    const { nodeName: _bound, ...rest } = pod;
    this.putPod({ ...rest, uid: `${pod.uid}-r${++this.recreated}`, phase: 'Pending', unschedulable: true });
  }

  emit(kind: 'nodes' | 'pods', change: ClusterChange<Node> | ClusterChange<Pod>): void {
    for (const l of this.listeners) if (l.kind === kind) l.push(change);
  }
}

export class FakeCluster implements ClusterReader, ClusterWriter {
  constructor(
    readonly state: FakeClusterState,
    private readonly identity: string,
    private readonly clock: Clock,
  ) {}

  async readState(): Promise<ClusterState> {
    const { state } = this;
    return {
      nodes: [...state.nodes.values()],
      pods: [...state.pods.values()],
      daemonSets: [...state.daemonSets],
      pdbs: [...state.pdbs],
      resourceVersions: { nodes: '1', pods: '1' },
      unreadable: [],
    };
  }

  async getNode(name: string): Promise<Node | undefined> {
    return this.state.nodes.get(name);
  }

  async podsOnNode(nodeName: string): Promise<readonly Pod[]> {
    return [...this.state.pods.values()].filter((p) => p.nodeName === nodeName);
  }

  async volumeAttachments(nodeName: string): Promise<readonly VolumeAttachmentRef[]> {
    return [...this.state.volumeAttachments.values()]
      .filter((a) => a.nodeName === nodeName)
      .map(({ nodeName: _node, ...ref }) => ref);
  }

  async claimedVolumes(claims: readonly ClaimRef[]): Promise<ReadonlyMap<string, string>> {
    const out = new Map<string, string>();
    for (const claim of claims) {
      const volume = this.state.claims.get(claimKey(claim));
      if (volume !== undefined) out.set(claimKey(claim), volume);
    }
    return out;
  }

  async volumeNodeAffinity(
    persistentVolumes: readonly string[],
  ): Promise<ReadonlyMap<string, readonly NodeSelectorTerm[]>> {
    const out = new Map<string, readonly NodeSelectorTerm[]>();
    for (const name of persistentVolumes) {
      const terms = this.state.volumes.get(name);
      if (terms !== undefined) out.set(name, terms);
    }
    return out;
  }

  watchNodes(): ClusterWatch<Node> {
    return this.watch('nodes') as ClusterWatch<Node>;
  }

  watchPods(): ClusterWatch<Pod> {
    return this.watch('pods') as ClusterWatch<Pod>;
  }

  async updateNode(name: string, change: NodeChange): Promise<NodeUpdate> {
    const node = this.state.nodes.get(name);
    if (!node) return { outcome: 'not-found' };
    const updated = applyChange(node, change);
    if (JSON.stringify(updated) === JSON.stringify(node)) return { outcome: 'unchanged', node };
    this.state.writes += 1;
    this.state.putNode(updated);
    return { outcome: 'updated', node: updated };
  }

  async evictPod(target: { namespace: string; name: string; uid?: string }): Promise<EvictionResult> {
    const pod = [...this.state.pods.values()].find((p) => p.namespace === target.namespace && p.name === target.name);
    if (!pod || (target.uid && pod.uid !== target.uid)) return { outcome: 'gone' };
    const all = [...this.state.pods.values()];
    const covering = this.state.pdbs.filter((b) => covers(b, pod));
    if (covering.length > 1) return { outcome: 'blocked', reason: 'more than one PodDisruptionBudget' };
    const [budget] = covering;
    if (budget && computedDisruptionsAllowed(budget, all) <= 0)
      return { outcome: 'blocked', reason: 'Cannot evict pod (429)' };
    this.state.recreate(pod);
    return { outcome: 'evicted' };
  }

  /** Like the API server with a grace period: the pod goes (its controller makes a new one); no PDB is consulted. */
  async deletePod(target: { namespace: string; name: string; uid?: string }): Promise<'deleted' | 'gone'> {
    const pod = [...this.state.pods.values()].find((p) => p.namespace === target.namespace && p.name === target.name);
    if (!pod || (target.uid && pod.uid !== target.uid)) return 'gone';
    this.state.forcedDeletions.push(`${pod.namespace}/${pod.name}`);
    this.state.recreate(pod);
    return 'deleted';
  }

  async deleteNode(name: string, expected: { providerID?: string } = {}): Promise<'deleted' | 'not-found' | 'changed'> {
    const node = this.state.nodes.get(name);
    if (!node) return 'not-found';
    if (expected.providerID !== undefined && node.providerID !== expected.providerID) return 'changed';
    deleteNode(this.state, name);
    return 'deleted';
  }

  async acquireLease(): Promise<LeaseStatus> {
    const { lease } = this.state;
    const now = this.clock.now();
    if (!lease?.holder || lease.holder === this.identity || lease.renewedAt + LEASE_MS <= now) {
      this.state.lease = { holder: this.identity, renewedAt: now };
    }
    return this.status();
  }

  async renewLease(): Promise<LeaseStatus> {
    if (this.state.lease?.holder === this.identity)
      this.state.lease = { holder: this.identity, renewedAt: this.clock.now() };
    return this.status();
  }

  async releaseLease(): Promise<void> {
    if (this.state.lease?.holder === this.identity) this.state.lease = { holder: '', renewedAt: this.clock.now() };
  }

  async recordEvent(event: ClusterEvent): Promise<void> {
    this.state.events.push(event);
  }

  private status(): LeaseStatus {
    const lease = this.state.lease;
    return {
      held: lease?.holder === this.identity,
      holder: lease?.holder ?? '',
      expiresAt: (lease?.renewedAt ?? 0) + LEASE_MS,
    };
  }

  private watch(kind: 'nodes' | 'pods'): ClusterWatch<Node | Pod> {
    const queue: ClusterChange<Node | Pod>[] = [];
    let wake: (() => void) | undefined;
    let closed = false;
    const listener: Listener = {
      kind,
      push: (c) => {
        queue.push(c as ClusterChange<Node | Pod>);
        wake?.();
      },
    };
    this.state.listeners.add(listener);
    const state = this.state;
    return {
      close: () => {
        closed = true;
        state.listeners.delete(listener);
        wake?.();
      },
      async *[Symbol.asyncIterator]() {
        while (!closed) {
          const next = queue.shift();
          if (next) yield next;
          else await new Promise<void>((resolve) => (wake = resolve));
        }
      },
    };
  }
}

/** Deletes a node the way the API server and the pod garbage collector do: its pods come back pending. */
export function deleteNode(state: FakeClusterState, name: string): void {
  const node = state.nodes.get(name);
  if (!node) return;
  state.nodes.delete(name);
  state.emit('nodes', { type: 'delete', object: node });
  for (const pod of [...state.pods.values()].filter((p) => p.nodeName === name)) state.recreate(pod);
}

function applyChange(node: Node, change: NodeChange): Node {
  const taints = node.taints.filter((t) => !change.removeTaints?.some((r) => r.key === t.key && r.effect === t.effect));
  for (const t of change.addTaints ?? []) {
    const at = taints.findIndex((x) => x.key === t.key && x.effect === t.effect);
    if (at >= 0) taints[at] = t;
    else taints.push(t);
  }
  return {
    ...node,
    taints,
    labels: merge(node.labels, change.labels),
    annotations: merge(node.annotations, change.annotations),
    ...(change.unschedulable === undefined ? {} : { unschedulable: change.unschedulable }),
  };
}

function merge(base: Readonly<Record<string, string>>, patch: Readonly<Record<string, string | null>> | undefined) {
  const out: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(patch ?? {})) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}
