// What `plan(snapshot)` decided for one pod, read back from the Plan itself: the new node it lands on, the existing
// node, the unschedulable reason, or — for a running pod — whether its node stays or is disrupted.

import { perHour } from '../disruption/describe.js';
import type { Disruption, Plan, PlannedNode } from '../model/plan.js';
import { isDaemonSetPod, isTerminal, isTerminating, type Pod, podKey } from '../model/pod.js';
import type { Snapshot } from '../model/snapshot.js';

export type PodPlanOutcome =
  | 'new-node'
  | 'existing-node'
  | 'unschedulable'
  | 'stays'
  | 'node-disrupted'
  | 'not-planned';

export interface PodPlanDecision {
  readonly outcome: PodPlanOutcome;
  /** One sentence, as the table prints it. */
  readonly summary: string;
  /** `new-node`: the node's position in `plan.newNodes`, from 1. */
  readonly newNodeIndex?: number;
  /** `new-node`: the plan's entry for that node. */
  readonly newNode?: PlannedNode;
  /** `existing-node`: where the plan places it; `stays`, `node-disrupted`: where it runs. */
  readonly node?: string;
  /** `unschedulable`: the plan's reason. */
  readonly reason?: string;
  /** `node-disrupted`: the plan's disruption of the pod's node. */
  readonly disruption?: Disruption;
}

/** The plan's decision for the pod, exactly as the Plan records it. */
export function podPlanDecision(decided: Plan, pod: Pod, snapshot: Snapshot): PodPlanDecision {
  const key = podKey(pod);
  const leaving = pod.nodeName ? `its node ${pod.nodeName} leaves; ` : '';
  const index = decided.newNodes.findIndex((n) => n.pods.includes(key));
  const newNode = decided.newNodes[index];
  if (newNode) {
    return {
      outcome: 'new-node',
      summary: `${leaving}would launch on new node #${index + 1} of pool ${newNode.nodePool} (${describeNode(newNode)}${others(newNode.pods.length - 1)})`,
      newNodeIndex: index + 1,
      newNode,
    };
  }
  const existing = decided.existingNodes.find((n) => n.pods.includes(key));
  if (existing) {
    return {
      outcome: 'existing-node',
      summary: `${leaving}would go to existing node ${existing.name}`,
      node: existing.name,
    };
  }
  const unschedulable = decided.unschedulable.find((u) => u.pod === key);
  if (unschedulable) {
    return {
      outcome: 'unschedulable',
      summary: `unschedulable: ${unschedulable.reason}`,
      reason: unschedulable.reason,
    };
  }
  return running(decided, pod, snapshot);
}

function running(decided: Plan, pod: Pod, snapshot: Snapshot): PodPlanDecision {
  const nodeName = pod.nodeName;
  if (isTerminal(pod)) return notPlanned(`not planned: the pod has finished (${pod.phase})`);
  if (isTerminating(pod)) return notPlanned('not planned: the pod is terminating');
  if (!nodeName) {
    if (isDaemonSetPod(pod)) return notPlanned('not planned: DaemonSet pods are placed by their DaemonSet');
    return notPlanned(`not planned: the pod is nominated to node ${pod.nominatedNodeName}`);
  }
  if (!snapshot.nodes.some((n) => n.name === nodeName)) {
    return notPlanned(`not planned: it is bound to node ${nodeName}, which is not among the given nodes`);
  }
  const disruption = decided.disruptions.find((d) => d.nodes.includes(nodeName));
  if (!disruption) {
    return { outcome: 'stays', summary: `runs on ${nodeName}; plan leaves it there`, node: nodeName };
  }
  const replacement = disruption.replacements.find((r) => r.pods.includes(podKey(pod)));
  const where = replacement ? `; it moves to the replacement ${describeNode(replacement)}` : '';
  return {
    outcome: 'node-disrupted',
    summary: `runs on ${nodeName}, which plan removes (${disruption.method}, ${disruption.kind}: ${disruption.reason})${where}`,
    node: nodeName,
    disruption,
  };
}

function others(n: number): string {
  return n === 0 ? '' : n === 1 ? ', with 1 other pod' : `, with ${n} other pods`;
}

function notPlanned(summary: string): PodPlanDecision {
  return { outcome: 'not-planned', summary };
}

/** "m7i.large on-demand us-east-1a, $0.1008/h" */
export function describeNode(n: Pick<PlannedNode, 'instanceType' | 'capacityType' | 'zone' | 'hourlyPrice'>): string {
  return `${n.instanceType} ${n.capacityType} ${n.zone}, ${perHour(n.hourlyPrice)}`;
}
