// Which DaemonSets land on a node, and how much room they take: per NodePool template and instance type for
// new nodes (pessimistic: a DaemonSet that could land there counts), per node for existing ones
// (karpenter-core §2.3).

import { normalizeLabelKey } from '../labels.js';
import type { InstanceType } from '../model/instancetype.js';
import type { Pod } from '../model/pod.js';
import { type Taint, type Toleration, untoleratedTaint } from '../model/taints.js';
import type { DaemonSet } from '../model/workloads.js';
import { Requirement } from '../requirements/requirement.js';
import { ALLOW_WELL_KNOWN, Requirements } from '../requirements/requirements.js';
import { add, type Resources } from '../resources/resources.js';

const TOLERATE_PREFER_NO_SCHEDULE: Toleration = { operator: 'Exists', effect: 'PreferNoSchedule' };

/** A DaemonSet pod's node-selector alternatives: the node selector with each required term (OR). */
export function daemonRequirementAlternatives(pod: Pod): Requirements[] {
  const base = new Requirements();
  for (const [k, v] of Object.entries(pod.nodeSelector)) base.add(Requirement.single(normalizeLabelKey(k), v));
  if (pod.requiredNodeAffinity.length === 0) return [base];
  return pod.requiredNodeAffinity.map((term) => {
    const reqs = base.copy();
    for (const r of term.matchExpressions) reqs.add(Requirement.fromWire({ ...r, key: normalizeLabelKey(r.key) }));
    return reqs;
  });
}

function toleratesNode(pod: Pod, taints: readonly Taint[]): boolean {
  return !untoleratedTaint([...pod.tolerations, TOLERATE_PREFER_NO_SCHEDULE], taints);
}

/** Would the DaemonSet run on an existing node with these labels and taints? */
export function daemonSetFitsNode(
  ds: DaemonSet,
  labels: Readonly<Record<string, string>>,
  taints: readonly Taint[],
): boolean {
  if (!toleratesNode(ds.pod, taints)) return false;
  return daemonRequirementAlternatives(ds.pod).some((reqs) => reqs.matchesLabels(labels));
}

/**
 * DaemonSet overhead per instance type for new nodes of a template: the summed requests of every DaemonSet
 * that tolerates the template's taints and whose node requirements fit the template and the type.
 */
export function daemonOverheadByType(
  daemonSets: readonly DaemonSet[],
  templateRequirements: Requirements,
  taints: readonly Taint[],
  types: readonly InstanceType[],
): Map<string, Resources> {
  const candidates = daemonSets
    .filter((ds) => toleratesNode(ds.pod, taints))
    .map((ds) => ({
      ds,
      alternatives: daemonRequirementAlternatives(ds.pod).filter((reqs) =>
        templateRequirements.compatible(reqs, ALLOW_WELL_KNOWN),
      ),
    }))
    .filter((c) => c.alternatives.length > 0);
  const out = new Map<string, Resources>();
  for (const type of types) {
    let overhead: Resources = {};
    for (const { ds, alternatives } of candidates) {
      if (alternatives.some((reqs) => type.requirements.intersects(reqs))) overhead = add(overhead, ds.pod.requests);
    }
    out.set(type.name, overhead);
  }
  return out;
}
