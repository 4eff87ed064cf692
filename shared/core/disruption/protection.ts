// What keeps a node out of voluntary disruption (karpenter-core §3.2, DESIGN.md §5 "Disruptions"): the node's
// `karpenter.sh/do-not-disrupt` annotation, and pod-level protections — an active do-not-disrupt pod, a pod a PDB
// may not lose, a pod covered by several PDBs. Drift waives the pod-level ones when the pool sets
// terminationGracePeriod; nothing waives the node's own annotation.

import { parseGoDuration } from '../duration.js';
import { ANNOTATION_DO_NOT_DISRUPT } from '../labels.js';
import type { Node } from '../model/node.js';
import { isActive, type Pod, podKey } from '../model/pod.js';
import { formatTime } from './describe.js';
import type { PdbIndex } from './pdb.js';

/** The node's own annotation: only `"true"` counts, as in Karpenter. */
export function nodeProtection(node: Node): string | undefined {
  return node.annotations[ANNOTATION_DO_NOT_DISRUPT] === 'true' ? `node has ${ANNOTATION_DO_NOT_DISRUPT}` : undefined;
}

/**
 * Why the pod's do-not-disrupt annotation protects it at `now`, or undefined. `"true"` protects while the pod is
 * active; a positive duration protects until that long after `status.startTime` (a pod not started yet is
 * protected). Other values are ignored, as Karpenter ignores them.
 */
export function doNotDisrupt(pod: Pod, now: number): string | undefined {
  const value = pod.annotations[ANNOTATION_DO_NOT_DISRUPT];
  if (value === undefined || !isActive(pod)) return undefined;
  if (value === 'true') return `has ${ANNOTATION_DO_NOT_DISRUPT}`;
  const duration = parseGoDuration(value);
  if (duration === undefined || duration <= 0) return undefined;
  if (pod.startTime === undefined) return `has ${ANNOTATION_DO_NOT_DISRUPT}=${value} and has not started`;
  const until = pod.startTime + duration;
  return until > now ? `has ${ANNOTATION_DO_NOT_DISRUPT}=${value} until ${formatTime(until)}` : undefined;
}

/**
 * The first pod-level protection among the node's pods (do-not-disrupt before PDBs, pods by name), as a
 * sentence naming the pod, or undefined when nothing protects them.
 */
export function podProtection(pods: readonly Pod[], pdbs: PdbIndex, now: number): string | undefined {
  const sorted = [...pods].sort((a, b) => (podKey(a) < podKey(b) ? -1 : 1));
  for (const pod of sorted) {
    const reason = doNotDisrupt(pod, now);
    if (reason) return `pod ${podKey(pod)} ${reason}`;
  }
  for (const pod of sorted) {
    const reason = isActive(pod) ? pdbs.blocks(pod) : undefined;
    if (reason) return `pod ${podKey(pod)} ${reason}`;
  }
  return undefined;
}
