// A node that already exists or is in flight (launched, not yet registered or initialized), as a place for
// pending pods: what is left of its allocatable after bound pods and DaemonSets, its host ports, and its labels
// as strict requirements (a node lacking a label a pod requires is incompatible, karpenter-core §1.5).

import { EPHEMERAL_TAINT_KEYS, LABEL_HOSTNAME } from '../labels.js';
import type { Node } from '../model/node.js';
import type { NodePool } from '../model/nodepool.js';
import type { Pod } from '../model/pod.js';
import { formatTaint, sameTaint, type Taint, untoleratedTaint } from '../model/taints.js';
import type { DaemonSet } from '../model/workloads.js';
import { Requirements } from '../requirements/requirements.js';
import { formatQuantity } from '../resources/quantity.js';
import { firstShortfall, fits, type Resources } from '../resources/resources.js';
import { daemonSetFitsNode } from './daemon-overhead.js';
import { formatHostPort, HostPortUsage } from './host-ports.js';
import type { PodView } from './pod-view.js';
import { type Topology, TopologyFailure } from './topology/topology.js';

export interface ExistingNodeInput {
  readonly node: Node;
  /** Active pods bound to the node. */
  readonly pods: readonly Pod[];
  readonly initialized: boolean;
  readonly pool?: NodePool;
  /**
   * Uids of pods that may not be placed here. A disruption simulation lists the pods it moves on nodes that are
   * not initialized or still inside their consolidateAfter window (DESIGN.md §5 "Destinations").
   */
  readonly closedTo?: ReadonlySet<string>;
}

export class ExistingNode {
  readonly name: string;
  readonly hostname: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly requirements: Requirements;
  /** The taints pods must tolerate here (boot-time taints ignored on a node that is not initialized). */
  readonly taints: readonly Taint[];
  readonly placed: PodView[] = [];
  private readonly remaining: Record<string, number>;
  private readonly hostPorts = new HostPortUsage();

  constructor(
    readonly input: ExistingNodeInput,
    daemonSets: readonly DaemonSet[],
  ) {
    const { node } = input;
    this.name = node.name;
    this.hostname = node.labels[LABEL_HOSTNAME] ?? node.name;
    this.labels = { ...node.labels, [LABEL_HOSTNAME]: this.hostname };
    this.requirements = Requirements.fromLabels(this.labels);
    this.taints = input.initialized
      ? node.taints
      : node.taints.filter(
          (t) => !EPHEMERAL_TAINT_KEYS.has(t.key) && !input.pool?.startupTaints.some((s) => sameTaint(s, t)),
        );
    this.remaining = { ...node.allocatable };
    for (const pod of input.pods) {
      subtractInto(this.remaining, pod.requests);
      this.hostPorts.add(pod.hostPorts);
    }
    this.reserveDaemonSets(daemonSets, input.pods);
  }

  /** DaemonSets that belong here but have no pod here yet will take their share first. */
  private reserveDaemonSets(daemonSets: readonly DaemonSet[], bound: readonly Pod[]): void {
    for (const ds of daemonSets) {
      if (
        bound.some((p) =>
          p.ownerReferences.some((o) => o.uid === ds.uid || (o.kind === 'DaemonSet' && o.name === ds.name)),
        )
      ) {
        continue;
      }
      if (!daemonSetFitsNode(ds, this.labels, this.input.node.taints)) continue;
      subtractInto(this.remaining, ds.pod.requests);
      this.hostPorts.add(ds.pod.hostPorts);
    }
  }

  /** Requirements after placing the pod here, or why it cannot go here. */
  canAdd(view: PodView, topology: Topology): Requirements | string {
    if (this.input.closedTo?.has(view.pod.uid)) return `node ${this.name} takes no pods moved by disruption`;
    const taint = untoleratedTaint(view.tolerations, this.taints);
    if (taint) return `node ${this.name} has taint ${formatTaint(taint)}`;
    const port = this.hostPorts.conflict(view.pod.hostPorts);
    if (port) return `node ${this.name} has host port ${formatHostPort(port)} in use`;
    if (!fits(view.pod.requests, this.remaining)) {
      const r = firstShortfall(view.pod.requests, this.remaining) as string;
      return `node ${this.name} has ${formatQuantity(r, Math.max(0, this.remaining[r] ?? 0))} ${r} free`;
    }
    const conflict = this.requirements.incompatibility(view.requirements);
    if (conflict) return `node ${this.name}: ${conflict}`;
    const reqs = topology.addRequirements(view, this.requirements, this.taints);
    if (reqs instanceof TopologyFailure) return `node ${this.name}: ${reqs.describe()}`;
    return reqs;
  }

  add(view: PodView): void {
    subtractInto(this.remaining, view.pod.requests);
    this.hostPorts.add(view.pod.hostPorts);
    this.placed.push(view);
  }
}

function subtractInto(target: Record<string, number>, amount: Resources): void {
  for (const key in amount) target[key] = (target[key] ?? 0) - (amount[key] as number);
}
