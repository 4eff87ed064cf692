// Volume topology (Karpenter's volumetopology.go, karpenter-core §1.11): a pod whose claim is bound to a zonal
// PersistentVolume can only run where that volume can be attached, so the volume's required node affinity is
// ANDed into the pod's before scheduling. The caller resolves claims to volumes and volumes to their terms;
// this file only combines terms.

import { LABEL_HOSTNAME } from '../labels.js';
import type { NodeSelectorTerm, Pod } from '../model/pod.js';
import type { NodeSelectorRequirement } from '../requirements/requirement.js';

/**
 * Most terms a pod's required node affinity grows to: the cross product of several multi-term volumes grows
 * fast, and each term is one more option the scheduler tries. The first terms are kept (the pod's own order,
 * then each volume's), so a pod may lose some of its alternatives, never gain a placement its volumes forbid.
 */
export const MAX_VOLUME_TOPOLOGY_TERMS = 32;

/**
 * The pod with each bound volume's required node-affinity terms ANDed into its required node affinity.
 * `volumeTerms` holds one entry per volume: an OR of terms, as in `spec.nodeAffinity.required`, with keys
 * already normalized. `kubernetes.io/hostname` requirements are dropped, as Karpenter does for local volumes:
 * the new node's name cannot be chosen, and the pod may move. A volume with no terms, or with a term that
 * constrains nothing once hostnames are dropped, constrains nothing. The result is the cross product of the
 * pod's terms and every volume's, each term the union of the matchExpressions it combines, capped at
 * MAX_VOLUME_TOPOLOGY_TERMS. The pod is returned as is when no volume constrains it.
 */
export function withVolumeTopology(pod: Pod, volumeTerms: readonly (readonly NodeSelectorTerm[])[]): Pod {
  const constraining = volumeTerms.map(withoutHostname).filter((terms) => terms.length > 0);
  if (constraining.length === 0) return pod;
  // An empty required node affinity constrains nothing: one term with no expressions, for the product.
  let terms: readonly NodeSelectorTerm[] =
    pod.requiredNodeAffinity.length > 0 ? pod.requiredNodeAffinity : [{ matchExpressions: [] }];
  for (const volume of constraining) terms = product(terms, volume);
  return { ...pod, requiredNodeAffinity: terms };
}

/** The volume's terms without hostname requirements; none when one of them then constrains nothing. */
function withoutHostname(terms: readonly NodeSelectorTerm[]): readonly NodeSelectorTerm[] {
  const kept = terms.map((t) => ({ matchExpressions: t.matchExpressions.filter((e) => e.key !== LABEL_HOSTNAME) }));
  return kept.some((t) => t.matchExpressions.length === 0) ? [] : kept;
}

function product(left: readonly NodeSelectorTerm[], right: readonly NodeSelectorTerm[]): NodeSelectorTerm[] {
  const out: NodeSelectorTerm[] = [];
  for (const a of left) {
    for (const b of right) {
      if (out.length === MAX_VOLUME_TOPOLOGY_TERMS) return out;
      out.push({ matchExpressions: union(a.matchExpressions, b.matchExpressions) });
    }
  }
  return out;
}

/** `a` then the expressions of `b` that `a` does not already hold. */
function union(
  a: readonly NodeSelectorRequirement[],
  b: readonly NodeSelectorRequirement[],
): NodeSelectorRequirement[] {
  const seen = new Set(a.map(identity));
  return [...a, ...b.filter((e) => !seen.has(identity(e)))];
}

function identity(e: NodeSelectorRequirement): string {
  return JSON.stringify([e.key, e.operator, e.values ?? []]);
}
