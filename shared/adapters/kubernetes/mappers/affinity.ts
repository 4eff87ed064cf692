// `spec.affinity`: node affinity (required terms, weighted preferences) and pod (anti-)affinity, in the wire
// form the core's requirements and topology code read.

import { normalizeLabelKey } from '../../../core/labels.js';
import type {
  NodeSelectorTerm,
  PodAffinityTerm,
  PreferredSchedulingTerm,
  WeightedPodAffinityTerm,
} from '../../../core/model/pod.js';
import type { NodeSelectorRequirement, Operator } from '../../../core/requirements/requirement.js';
import { at, type FieldReader, type Json } from './fields.js';
import { foldLabelKeys, readLabelSelector } from './label-selector.js';

const REQUIRED = 'requiredDuringSchedulingIgnoredDuringExecution';
const PREFERRED = 'preferredDuringSchedulingIgnoredDuringExecution';

export interface AffinityFields {
  readonly requiredNodeAffinity: readonly NodeSelectorTerm[];
  readonly preferredNodeAffinity: readonly PreferredSchedulingTerm[];
  readonly usesMatchFields: boolean;
  readonly podAffinity: readonly PodAffinityTerm[];
  readonly preferredPodAffinity: readonly WeightedPodAffinityTerm[];
  readonly podAntiAffinity: readonly PodAffinityTerm[];
  readonly preferredPodAntiAffinity: readonly WeightedPodAffinityTerm[];
}

/** Reads `spec.affinity`; `podLabels` resolve the terms' `matchLabelKeys`/`mismatchLabelKeys`. */
export function readAffinity(
  value: unknown,
  podLabels: Readonly<Record<string, string>>,
  path: string,
  r: FieldReader,
): AffinityFields {
  const affinity = r.record(value, path);
  const node = readNodeAffinity(affinity.nodeAffinity, at(path, 'nodeAffinity'), r);
  const pod = readPodAffinity(affinity.podAffinity, podLabels, at(path, 'podAffinity'), r);
  const anti = readPodAffinity(affinity.podAntiAffinity, podLabels, at(path, 'podAntiAffinity'), r);
  return {
    ...node,
    podAffinity: pod.required,
    preferredPodAffinity: pod.preferred,
    podAntiAffinity: anti.required,
    preferredPodAntiAffinity: anti.preferred,
  };
}

function readNodeAffinity(value: unknown, path: string, r: FieldReader) {
  const node = r.record(value, path);
  const required = r.record(node[REQUIRED], at(path, REQUIRED));
  const termsPath = at(at(path, REQUIRED), 'nodeSelectorTerms');
  const terms = r.array(required.nodeSelectorTerms, termsPath).map((t, i) => r.record(t, at(termsPath, i)));
  const preferredPath = at(path, PREFERRED);
  const preferred = r.array(node[PREFERRED], preferredPath).map((item, i) => {
    const where = at(preferredPath, i);
    const p = r.record(item, where);
    return {
      weight: readWeight(p.weight, at(where, 'weight'), r),
      preference: r.record(p.preference, at(where, 'preference')),
      where,
    };
  });
  // Karpenter rejects pods whose node selector terms use matchFields; validation needs to know to say so.
  const usesMatchFields = [...terms, ...preferred.map((p) => p.preference)].some(
    (t) => Array.isArray(t.matchFields) && t.matchFields.length > 0,
  );
  return {
    requiredNodeAffinity: terms.map((t, i) => readNodeSelectorTerm(t, at(termsPath, i), r)),
    preferredNodeAffinity: preferred.map(
      (p): PreferredSchedulingTerm => ({
        weight: p.weight,
        preference: readNodeSelectorTerm(p.preference, at(p.where, 'preference'), r),
      }),
    ),
    usesMatchFields,
  };
}

/**
 * A node selector term. Keys are normalized (`beta.kubernetes.io/arch` → `kubernetes.io/arch`) as Karpenter's
 * `NewRequirement` does; operators pass through for the core's validation to judge (Karpenter reports an
 * unsupported operator as the reason a pod cannot be scheduled, not as unreadable input).
 */
export function readNodeSelectorTerm(term: Json, path: string, r: FieldReader): NodeSelectorTerm {
  const expressionsPath = at(path, 'matchExpressions');
  const matchExpressions = r.array(term.matchExpressions, expressionsPath).map((item, i): NodeSelectorRequirement => {
    const where = at(expressionsPath, i);
    const e = r.record(item, where);
    const key = normalizeLabelKey(r.requiredString(e.key, at(where, 'key')));
    const operator = r.requiredString(e.operator, at(where, 'operator')) as Operator;
    if (e.values === undefined || e.values === null) return { key, operator };
    return { key, operator, values: r.stringList(e.values, at(where, 'values')) };
  });
  return { matchExpressions };
}

function readWeight(value: unknown, path: string, r: FieldReader): number {
  return r.integer(value, path) ?? r.fail(path, 'missing: a preference needs a weight (1-100)');
}

function readPodAffinity(value: unknown, podLabels: Readonly<Record<string, string>>, path: string, r: FieldReader) {
  const affinity = r.record(value, path);
  const requiredPath = at(path, REQUIRED);
  const preferredPath = at(path, PREFERRED);
  const required = r
    .array(affinity[REQUIRED], requiredPath)
    .map((term, i) => readPodAffinityTerm(term, podLabels, at(requiredPath, i), r));
  const preferred = r.array(affinity[PREFERRED], preferredPath).map((item, i): WeightedPodAffinityTerm => {
    const where = at(preferredPath, i);
    const p = r.record(item, where);
    return {
      weight: readWeight(p.weight, at(where, 'weight'), r),
      podAffinityTerm: readPodAffinityTerm(p.podAffinityTerm, podLabels, at(where, 'podAffinityTerm'), r),
    };
  });
  return { required, preferred };
}

function readPodAffinityTerm(
  value: unknown,
  podLabels: Readonly<Record<string, string>>,
  path: string,
  r: FieldReader,
): PodAffinityTerm {
  const term = r.record(value, path);
  let labelSelector = readLabelSelector(term.labelSelector, at(path, 'labelSelector'), r);
  // Kubernetes ≥ 1.29 (MatchLabelKeysInPodAffinity): the keys select pods of the same revision, tenant, ...
  const matchKeys = r.stringList(term.matchLabelKeys, at(path, 'matchLabelKeys'));
  const mismatchKeys = r.stringList(term.mismatchLabelKeys, at(path, 'mismatchLabelKeys'));
  labelSelector = foldLabelKeys(labelSelector, matchKeys, podLabels, 'In');
  labelSelector = foldLabelKeys(labelSelector, mismatchKeys, podLabels, 'NotIn');
  const namespaces = r.stringList(term.namespaces, at(path, 'namespaces'));
  const namespaceSelector = readLabelSelector(term.namespaceSelector, at(path, 'namespaceSelector'), r);
  return {
    topologyKey: r.requiredString(term.topologyKey, at(path, 'topologyKey')),
    ...(labelSelector ? { labelSelector } : {}),
    ...(namespaces.length > 0 ? { namespaces } : {}),
    ...(namespaceSelector ? { namespaceSelector } : {}),
  };
}
