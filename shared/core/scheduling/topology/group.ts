// One topology group: pods that count together for a spread constraint, a pod-affinity term or a pod
// anti-affinity term, and how many of them sit in each domain (zone, hostname, capacity type, any label).
// The domain choice rules are Karpenter's (`topologygroup.go`, karpenter-core §1.10).

import { LABEL_HOSTNAME } from '../../labels.js';
import type { Pod } from '../../model/pod.js';
import { type LabelSelector, selectorMatches } from '../../model/selectors.js';
import { type Taint, type Toleration, untoleratedTaint } from '../../model/taints.js';
import { Requirement } from '../../requirements/requirement.js';
import { ALLOW_WELL_KNOWN, type Requirements } from '../../requirements/requirements.js';

export type TopologyKind = 'spread' | 'affinity' | 'antiAffinity';

/** Which nodes' pods count for a spread constraint (nodeAffinityPolicy / nodeTaintsPolicy = Honor). */
export interface NodeFilter {
  readonly requirements?: Requirements;
  readonly tolerations?: readonly Toleration[];
}

/** Namespaces a term selects: a fixed set, or every namespace. */
export type NamespaceScope = ReadonlySet<string> | 'all';

export class TopologyGroup {
  readonly domains = new Map<string, number>();
  /** Domains with no counted pod: the only ones anti-affinity allows. */
  readonly empty = new Set<string>();
  private positive = 0;

  constructor(
    readonly kind: TopologyKind,
    readonly key: string,
    readonly namespaces: NamespaceScope,
    readonly selector: LabelSelector | undefined,
    readonly maxSkew: number,
    readonly minDomains: number | undefined,
    readonly nodeFilter: NodeFilter | undefined,
  ) {}

  selects(pod: Pod): boolean {
    if (this.namespaces !== 'all' && !this.namespaces.has(pod.namespace)) return false;
    return selectorMatches(this.selector, pod.labels);
  }

  /** Does a node with these labels and taints pass the group's node filter? */
  filterMatchesNode(labels: Readonly<Record<string, string>>, taints: readonly Taint[]): boolean {
    const f = this.nodeFilter;
    if (!f) return true;
    if (f.requirements && !f.requirements.matchesLabels(labels)) return false;
    if (
      f.tolerations &&
      untoleratedTaint(
        f.tolerations,
        taints.filter((t) => t.effect !== 'PreferNoSchedule'),
      )
    ) {
      return false;
    }
    return true;
  }

  /** Only the taint half of the filter: whether a pool with these taints can provide domains (nodeTaintsPolicy). */
  filterMatchesTaints(taints: readonly Taint[]): boolean {
    const tolerations = this.nodeFilter?.tolerations;
    return (
      !tolerations ||
      !untoleratedTaint(
        tolerations,
        taints.filter((t) => t.effect !== 'PreferNoSchedule'),
      )
    );
  }

  /** The same question for a node still being planned, known only by its requirements. */
  filterMatchesRequirements(requirements: Requirements, taints: readonly Taint[]): boolean {
    const f = this.nodeFilter;
    if (!f) return true;
    if (f.requirements && !requirements.compatible(f.requirements, ALLOW_WELL_KNOWN)) return false;
    if (
      f.tolerations &&
      untoleratedTaint(
        f.tolerations,
        taints.filter((t) => t.effect !== 'PreferNoSchedule'),
      )
    ) {
      return false;
    }
    return true;
  }

  addDomain(domain: string): void {
    if (this.domains.has(domain)) return;
    this.domains.set(domain, 0);
    this.empty.add(domain);
  }

  record(domain: string): void {
    const before = this.domains.get(domain) ?? 0;
    if (before === 0) {
      this.positive++;
      this.empty.delete(domain);
    }
    this.domains.set(domain, before + 1);
  }

  count(domain: string): number {
    return this.domains.get(domain) ?? 0;
  }

  /** Is any domain populated? Affinity must then join one. */
  populated(): boolean {
    return this.positive > 0;
  }

  /**
   * The domains a pod may go to, given what it allows (`podDomains`) and what the node allows
   * (`nodeDomains`). An empty (DoesNotExist) result means nowhere.
   */
  nextDomains(pod: Pod, podDomains: Requirement, nodeDomains: Requirement, owned: boolean): Requirement {
    switch (this.kind) {
      case 'spread':
        return this.nextSpread(pod, podDomains, nodeDomains);
      case 'affinity':
        return this.nextAffinity(pod, podDomains, nodeDomains);
      case 'antiAffinity':
        return this.nextAntiAffinity(podDomains, nodeDomains, owned);
    }
  }

  /** Candidate domains: the node's own when it names them (cheap for hostnames), else every known domain. */
  private candidates(nodeDomains: Requirement): Iterable<string> {
    return nodeDomains.operator() === 'In' ? nodeDomains.values : this.domains.keys();
  }

  private nextSpread(pod: Pod, podDomains: Requirement, nodeDomains: Requirement): Requirement {
    const min = this.minCount(podDomains);
    const self = this.selects(pod) ? 1 : 0;
    let best: string | undefined;
    let bestCount = Number.POSITIVE_INFINITY;
    for (const domain of this.candidates(nodeDomains)) {
      const count = this.domains.get(domain);
      if (count === undefined || !nodeDomains.has(domain) || !podDomains.has(domain)) continue;
      const after = count + self;
      if (after - min <= this.maxSkew && after < bestCount) {
        best = domain;
        bestCount = after;
      }
    }
    return best === undefined ? Requirement.of(this.key, 'DoesNotExist') : Requirement.of(this.key, 'In', [best]);
  }

  /** The smallest count among domains the pod can use; 0 for hostnames (a new node is always possible). */
  private minCount(podDomains: Requirement): number {
    if (this.key === LABEL_HOSTNAME) return 0;
    let min = Number.POSITIVE_INFINITY;
    let eligible = 0;
    for (const [domain, count] of this.domains) {
      if (!podDomains.has(domain)) continue;
      eligible++;
      if (count < min) min = count;
    }
    if (this.minDomains !== undefined && eligible < this.minDomains) return 0;
    return Number.isFinite(min) ? min : 0;
  }

  private nextAffinity(pod: Pod, podDomains: Requirement, nodeDomains: Requirement): Requirement {
    if (this.anyPopulatedAllowed(podDomains)) {
      const options: string[] = [];
      for (const domain of this.candidates(nodeDomains)) {
        if ((this.domains.get(domain) ?? 0) > 0 && podDomains.has(domain)) options.push(domain);
      }
      return Requirement.of(this.key, options.length ? 'In' : 'DoesNotExist', options);
    }
    if (!this.selects(pod)) return Requirement.of(this.key, 'DoesNotExist');
    // Nothing to be near yet and the pod selects itself: it may start the group, preferably where the node is.
    for (const domain of this.domains.keys()) {
      if (podDomains.has(domain) && nodeDomains.has(domain)) return Requirement.of(this.key, 'In', [domain]);
    }
    return Requirement.of(this.key, 'DoesNotExist');
  }

  /** Is some populated domain one the pod could use (so it must join one rather than start its own)? */
  private anyPopulatedAllowed(podDomains: Requirement): boolean {
    if (this.positive === 0) return false;
    if (
      podDomains.operator() === 'Exists' &&
      podDomains.greaterThan === undefined &&
      podDomains.lessThan === undefined
    ) {
      return true;
    }
    for (const [domain, count] of this.domains) if (count > 0 && podDomains.has(domain)) return true;
    return false;
  }

  /**
   * Empty domains the pod may use. Karpenter leaves a new node's zone open here and then blocks every zone the
   * pod might land in, so zonal anti-affinity places one pod per batch; choosing the first empty domain instead
   * (`collapse`) places one pod per zone in a single solve.
   */
  private nextAntiAffinity(podDomains: Requirement, nodeDomains: Requirement, collapse: boolean): Requirement {
    const options: string[] = [];
    for (const domain of this.candidates(nodeDomains)) {
      const count = this.domains.get(domain);
      if (count === 0 && podDomains.has(domain) && nodeDomains.has(domain)) {
        options.push(domain);
        if (collapse) break;
      }
    }
    return Requirement.of(this.key, options.length ? 'In' : 'DoesNotExist', options);
  }

  describe(): string {
    switch (this.kind) {
      case 'spread':
        return `topology spread on ${this.key} (maxSkew ${this.maxSkew})`;
      case 'affinity':
        return `pod affinity on ${this.key}`;
      case 'antiAffinity':
        return `pod anti-affinity on ${this.key}`;
    }
  }
}
