// The cluster as the invocation knows it: listed once (nodes, pods, DaemonSets, PDBs, every page), then followed
// through watches on pods and nodes from the lists' resourceVersions (DESIGN.md §2), so each tick reads memory
// rather than the API server. A watch that fails for good makes the view stale: the next tick lists again before
// it acts, and when that list fails too the tick acts on nothing — never on a partial snapshot. Economy mode
// lists without watching. New pending pods seen on the watch open the provisioning batch window.

import type { Logger } from '@aws-lambda-powertools/logger';
import type { Node } from '../../core/model/node.js';
import { isPending, type Pod } from '../../core/model/pod.js';
import type { DaemonSet, PodDisruptionBudget } from '../../core/model/workloads.js';
import type { ClusterChange, ClusterReader, ClusterWatch } from '../../core/ports/cluster.js';
import type { Clock } from '../clock.js';
import { errorFields } from '../observability/log.js';

/** What the tick reads: plain arrays, taken at the start of the tick. */
export interface ClusterContents {
  readonly nodes: readonly Node[];
  readonly pods: readonly Pod[];
  readonly daemonSets: readonly DaemonSet[];
  readonly pdbs: readonly PodDisruptionBudget[];
  /** Nodes the mappers could not read: "not there" cannot be trusted while any exists. */
  readonly unreadableNodes: number;
}

/** Pending in the Lambda's sense (DESIGN.md §4): pending and marked Unschedulable by the kube-scheduler. */
export function waitsForCapacity(pod: Pod): boolean {
  return isPending(pod) && pod.unschedulable === true;
}

export class ClusterView {
  private nodes = new Map<string, Node>();
  private pods = new Map<string, Pod>();
  private daemonSets: readonly DaemonSet[] = [];
  private pdbs: readonly PodDisruptionBudget[] = [];
  private unreadableNodes = 0;
  private watches: ClusterWatch<unknown>[] = [];
  private listed = false;
  private broken: unknown;

  constructor(
    private readonly reader: ClusterReader,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Told when a pod starts waiting for capacity (the batch window's trigger). */
    private readonly onPending: (now: number) => void,
  ) {}

  /** Whether the view must be listed (again) before a tick may act on it. */
  get stale(): boolean {
    return !this.listed || this.broken !== undefined;
  }

  /** Lists everything and, with `follow`, watches pods and nodes from there. Rejects when a list fails. */
  async list(follow: boolean): Promise<void> {
    this.close();
    this.listed = false;
    const state = await this.reader.readState();
    this.nodes = new Map(state.nodes.map((n) => [n.name, n]));
    this.pods = new Map(state.pods.map((p) => [p.uid, p]));
    this.daemonSets = state.daemonSets;
    this.pdbs = state.pdbs;
    this.unreadableNodes = state.unreadable.filter((u) => u.startsWith('Node/')).length;
    if (state.unreadable.length > 0)
      this.logger.warn('objects the mappers could not read', { unreadable: state.unreadable });
    this.broken = undefined;
    this.listed = true;
    if (!follow) return;
    this.follow(this.reader.watchNodes(state.resourceVersions.nodes), (c) => this.applyNode(c));
    this.follow(this.reader.watchPods(state.resourceVersions.pods), (c) => this.applyPod(c));
  }

  contents(): ClusterContents {
    return {
      nodes: [...this.nodes.values()],
      pods: [...this.pods.values()],
      daemonSets: this.daemonSets,
      pdbs: this.pdbs,
      unreadableNodes: this.unreadableNodes,
    };
  }

  /** Forgets the listing: the next tick lists again before it acts. */
  invalidate(): void {
    this.close();
    this.listed = false;
  }

  /** Ends the watches (the end of the invocation, or before listing again). */
  close(): void {
    for (const w of this.watches.splice(0)) w.close();
  }

  private follow<T>(watch: ClusterWatch<T>, apply: (change: ClusterChange<T>) => void): void {
    const current = () => this.watches.includes(watch as ClusterWatch<unknown>);
    this.watches.push(watch as ClusterWatch<unknown>);
    void (async () => {
      try {
        for await (const change of watch) {
          // A closed watch may still hand over a buffered change: it belongs to the listing being replaced.
          if (!current()) return;
          apply(change);
        }
      } catch (error) {
        if (!current()) return;
        this.broken = error;
        this.logger.warn('a watch failed; the next tick lists again before acting', errorFields(error));
      }
    })();
  }

  private applyNode(change: ClusterChange<Node>): void {
    if (change.type === 'resync') this.nodes = new Map(change.objects.map((n) => [n.name, n]));
    else if (change.type === 'delete') this.nodes.delete(change.object.name);
    else this.nodes.set(change.object.name, change.object);
  }

  private applyPod(change: ClusterChange<Pod>): void {
    const now = this.clock.now();
    if (change.type === 'resync') {
      const before = this.pods;
      this.pods = new Map(change.objects.map((p) => [p.uid, p]));
      if (change.objects.some((p) => waitsForCapacity(p) && !waitsFor(before.get(p.uid)))) this.onPending(now);
      return;
    }
    if (change.type === 'delete') {
      this.pods.delete(change.object.uid);
      return;
    }
    const before = this.pods.get(change.object.uid);
    this.pods.set(change.object.uid, change.object);
    // Only a pod that starts waiting opens or extends the window; its later updates do not (karpenter-core §1.1).
    if (waitsForCapacity(change.object) && !waitsFor(before)) this.onPending(now);
  }
}

function waitsFor(pod: Pod | undefined): boolean {
  return pod !== undefined && waitsForCapacity(pod);
}
