// A pod as one solve sees it: its scheduling terms, which preferences are still in force, and the label
// requirements derived from them. Relaxation drops one preference at a time, in Karpenter's order
// (karpenter-core §1.9), when the pod fits nowhere.

import { normalizeLabelKey } from '../labels.js';
import type {
  NodeSelectorTerm,
  Pod,
  PodAffinityTerm,
  PreferredSchedulingTerm,
  TopologySpreadConstraint,
  WeightedPodAffinityTerm,
} from '../model/pod.js';
import type { Toleration } from '../model/taints.js';
import { Requirement } from '../requirements/requirement.js';
import { Requirements } from '../requirements/requirements.js';

const TOLERATE_PREFER_NO_SCHEDULE: Toleration = { operator: 'Exists', effect: 'PreferNoSchedule' };

export class PodView {
  requiredTerms: NodeSelectorTerm[];
  preferredNodeAffinity: PreferredSchedulingTerm[];
  podAffinity: PodAffinityTerm[];
  preferredPodAffinity: WeightedPodAffinityTerm[];
  podAntiAffinity: readonly PodAffinityTerm[];
  preferredPodAntiAffinity: WeightedPodAffinityTerm[];
  spreads: TopologySpreadConstraint[];
  tolerations: Toleration[];
  /** Node selector + first required term + heaviest preferred term. */
  requirements!: Requirements;
  /** Node selector + first required term: what an existing node must satisfy for topology filters. */
  strictRequirements!: Requirements;
  /** Bumped by every relaxation, so caches keyed on the view's terms know when to recompute. */
  version = 0;

  constructor(
    readonly pod: Pod,
    respectPreferences: boolean,
  ) {
    const byWeight = <T extends { weight: number }>(list: readonly T[]) =>
      [...list].sort((a, b) => b.weight - a.weight);
    this.requiredTerms = [...pod.requiredNodeAffinity];
    this.preferredNodeAffinity = respectPreferences ? byWeight(pod.preferredNodeAffinity) : [];
    this.podAffinity = [...pod.podAffinity];
    this.preferredPodAffinity = respectPreferences ? byWeight(pod.preferredPodAffinity) : [];
    this.podAntiAffinity = pod.podAntiAffinity;
    this.preferredPodAntiAffinity = respectPreferences ? byWeight(pod.preferredPodAntiAffinity) : [];
    this.spreads = pod.topologySpreadConstraints.filter(
      (c) => respectPreferences || c.whenUnsatisfiable === 'DoNotSchedule',
    );
    this.tolerations = [...pod.tolerations];
    this.refresh();
  }

  /** Pod affinity terms in force: required ones and, until relaxed, preferred ones. */
  affinityTerms(): PodAffinityTerm[] {
    return [...this.podAffinity, ...this.preferredPodAffinity.map((t) => t.podAffinityTerm)];
  }

  antiAffinityTerms(): PodAffinityTerm[] {
    return [...this.podAntiAffinity, ...this.preferredPodAntiAffinity.map((t) => t.podAffinityTerm)];
  }

  /**
   * Drops one preference, in Karpenter's order, and returns what was dropped; undefined when nothing is
   * left to relax. `preferNoScheduleExists` says whether any NodePool has a PreferNoSchedule taint.
   */
  relax(preferNoScheduleExists: boolean): string | undefined {
    const relaxed = this.relaxOne(preferNoScheduleExists);
    if (relaxed) {
      this.version++;
      this.refresh();
    }
    return relaxed;
  }

  private relaxOne(preferNoScheduleExists: boolean): string | undefined {
    if (this.requiredTerms.length > 1) {
      this.requiredTerms.shift();
      return 'first required node affinity term';
    }
    if (this.preferredPodAffinity.shift()) return 'preferred pod affinity term';
    if (this.preferredPodAntiAffinity.shift()) return 'preferred pod anti-affinity term';
    if (this.preferredNodeAffinity.shift()) return 'preferred node affinity term';
    const anyway = this.spreads.findIndex((c) => c.whenUnsatisfiable === 'ScheduleAnyway');
    if (anyway >= 0) {
      this.spreads.splice(anyway, 1);
      return 'ScheduleAnyway topology spread constraint';
    }
    if (preferNoScheduleExists && !this.tolerations.includes(TOLERATE_PREFER_NO_SCHEDULE)) {
      this.tolerations.push(TOLERATE_PREFER_NO_SCHEDULE);
      return 'PreferNoSchedule taints';
    }
    return undefined;
  }

  private refresh(): void {
    const strict = new Requirements();
    for (const [key, value] of Object.entries(this.pod.nodeSelector)) {
      strict.add(Requirement.single(normalizeLabelKey(key), value));
    }
    const first = this.requiredTerms[0];
    for (const r of first?.matchExpressions ?? []) {
      strict.add(Requirement.fromWire({ ...r, key: normalizeLabelKey(r.key) }));
    }
    const full = strict.copy();
    for (const r of this.preferredNodeAffinity[0]?.preference.matchExpressions ?? []) {
      full.add(Requirement.fromWire({ ...r, key: normalizeLabelKey(r.key) }));
    }
    this.strictRequirements = strict;
    this.requirements = full;
  }
}
