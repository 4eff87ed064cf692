// Which pods a drain waits for and in what order they are evicted (karpenter-core §4). Pods that tolerate the
// disrupted taint would only come back, mirror pods cannot be evicted, terminal pods are done, and a pod stuck
// terminating for over a minute is given up on: none of them hold the node. The rest are evicted in tiers so
// that the node's own plumbing (DaemonSets, then critical pods) leaves last.

import { TAINT_DISRUPTED } from '../labels.js';
import { isDaemonSetPod, isMirrorPod, isTerminal, type Pod } from '../model/pod.js';
import { type Taint, untoleratedTaint } from '../model/taints.js';

/** A pod still terminating this long after its deletion timestamp is stuck; Karpenter stops waiting for it. */
export const STUCK_TERMINATING_MS = 60_000;

/** Priority classes Kubernetes reserves for pods the node and cluster need; they are evicted last. */
export const CRITICAL_PRIORITY_CLASSES: ReadonlySet<string> = new Set([
  'system-cluster-critical',
  'system-node-critical',
]);

/** Eviction tiers, in order: the first tier with pods left is the only one evicted from. */
export const EVICTION_TIERS = [
  'non-critical pods',
  'non-critical DaemonSet pods',
  'critical pods',
  'critical DaemonSet pods',
] as const;

/** The taint a node carries while it is disrupted; its value says why. */
export function disruptedTaint(reason: string): Taint {
  return { key: TAINT_DISRUPTED, value: reason, effect: 'NoSchedule' };
}

/**
 * Why the drain does not wait for the pod, or undefined when it does (Karpenter's `IsWaitingEviction`).
 * `taint` is the node's disrupted taint: a pod that tolerates it would be scheduled right back.
 */
export function notDrained(pod: Pod, taint: Taint, now: number): string | undefined {
  if (isTerminal(pod)) return 'it has finished';
  if (isMirrorPod(pod)) return 'it is a mirror pod, which only its kubelet removes';
  if (!untoleratedTaint(pod.tolerations, [taint])) return `it tolerates the ${TAINT_DISRUPTED} taint`;
  if (pod.deletionTimestamp !== undefined && now - pod.deletionTimestamp > STUCK_TERMINATING_MS) {
    return 'it has been stuck terminating for over a minute';
  }
  return undefined;
}

/** Whether a drain of node `nodeName` evicts and waits for the pod: it is bound there and `notDrained` has no reason. */
export function isDrained(pod: Pod, nodeName: string, taint: Taint, now: number): boolean {
  return pod.nodeName === nodeName && notDrained(pod, taint, now) === undefined;
}

/** The pod's eviction tier, an index into `EVICTION_TIERS`. */
export function evictionTier(pod: Pod): number {
  const critical = CRITICAL_PRIORITY_CLASSES.has(pod.priorityClassName ?? '');
  return (critical ? 2 : 0) + (isDaemonSetPod(pod) ? 1 : 0);
}
