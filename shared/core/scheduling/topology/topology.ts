// All topology groups of one solve: built from the pods being scheduled (their spread constraints and pod
// (anti-)affinity terms) plus "inverse" groups for required anti-affinity of every pod, counted from the pods
// already running; then asked, for a pod and a candidate node, which domains the node may have, and told where
// each pod lands. Karpenter's `topology.go` (karpenter-core §1.10).

import { LABEL_HOSTNAME, LABEL_ZONE } from '../../labels.js';
import type { Pod, PodAffinityTerm, TopologySpreadConstraint } from '../../model/pod.js';
import { selectorKey } from '../../model/selectors.js';
import type { Taint } from '../../model/taints.js';
import { Requirement } from '../../requirements/requirement.js';
import type { Requirements } from '../../requirements/requirements.js';
import type { PodView } from '../pod-view.js';
import { type NamespaceScope, type NodeFilter, TopologyGroup, type TopologyKind } from './group.js';

/** A running pod and the node it runs on, for initial counts. */
export interface PlacedPod {
  readonly pod: Pod;
  readonly nodeLabels: Readonly<Record<string, string>>;
  readonly nodeTaints: readonly Taint[];
}

/** An existing node's labels (hostname included) and taints, for the domain universe. */
export interface DomainSource {
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
}

export interface TopologyInput {
  readonly batch: readonly PodView[];
  readonly placed: readonly PlacedPod[];
  readonly nodes: readonly DomainSource[];
  /** Domains new nodes could have for a key (from NodePools × instance types), with the taints that come with them. */
  readonly poolDomains: (key: string) => readonly { domain: string; taints: readonly Taint[] }[];
}

const NONE: readonly TopologyGroup[] = [];

export class TopologyFailure {
  constructor(readonly group: TopologyGroup) {}
  describe(): string {
    return `no domain satisfies its ${this.group.describe()}`;
  }
}

const EXISTS = new Map<string, Requirement>();
function exists(key: string): Requirement {
  let r = EXISTS.get(key);
  if (!r) {
    r = Requirement.of(key, 'Exists');
    EXISTS.set(key, r);
  }
  return r;
}

export class Topology {
  private readonly groups = new Map<string, TopologyGroup>();
  private readonly inverse = new Map<string, TopologyGroup>();
  private readonly hostnameGroups: TopologyGroup[] = [];
  /** Per pod (uid): groups whose selector picks it (recorded into when it lands), and inverse groups it owns. */
  private readonly selecting = new Map<string, TopologyGroup[]>();
  private readonly inverseSelecting = new Map<string, TopologyGroup[]>();
  private readonly owned = new WeakMap<PodView, { version: number; groups: TopologyGroup[] }>();

  constructor(private readonly input: TopologyInput) {
    for (const view of input.batch) {
      for (const g of this.termsOf(view)) this.ensure(this.groups, g);
    }
    for (const { pod } of input.placed) for (const term of pod.podAntiAffinity) this.ensureInverse(pod, term);
    for (const view of input.batch) for (const term of view.pod.podAntiAffinity) this.ensureInverse(view.pod, term);
    for (const p of input.placed) this.countPlaced(p);
    for (const view of input.batch) {
      const pod = view.pod;
      this.selecting.set(
        pod.uid,
        [...this.groups.values()].filter((g) => g.selects(pod)),
      );
      this.inverseSelecting.set(
        pod.uid,
        [...this.inverse.values()].filter((g) => g.selects(pod)),
      );
    }
  }

  /** A new node's placeholder hostname becomes a domain of every hostname group. */
  registerHostname(hostname: string): void {
    for (const g of this.hostnameGroups) g.addDomain(hostname);
  }

  /**
   * `nodeRequirements` narrowed by the pod's topology, or the group no domain satisfies. The result is a
   * new object only when the pod has topology.
   */
  addRequirements(
    view: PodView,
    nodeRequirements: Requirements,
    taints: readonly Taint[],
    /** The caller handed over a copy this may narrow in place. */
    owned = false,
  ): Requirements | TopologyFailure {
    const own = this.ownGroups(view);
    const inverse = this.inverseSelecting.get(view.pod.uid) ?? NONE;
    if (own.length === 0 && inverse.length === 0) return nodeRequirements;
    const result = owned ? nodeRequirements : nodeRequirements.copy();
    for (let i = 0; i < own.length + inverse.length; i++) {
      const group = (i < own.length ? own[i] : inverse[i - own.length]) as TopologyGroup;
      if (i >= own.length && !group.filterMatchesRequirements(nodeRequirements, taints)) continue;
      const podDomains = view.requirements.get(group.key) ?? exists(group.key);
      const nodeDomains = result.get(group.key) ?? exists(group.key);
      const domains = group.nextDomains(view.pod, podDomains, nodeDomains, i < own.length);
      if (domains.size() === 0) return new TopologyFailure(group);
      result.add(domains);
      if ((result.get(group.key) as Requirement).size() === 0) return new TopologyFailure(group);
    }
    return result;
  }

  /**
   * A cheap test, before any allocation, that rules out a planned node whose hostname (or other single-valued
   * domain) the pod's topology already excludes: a populated anti-affinity domain, or, for affinity, an empty
   * domain while populated ones exist. False means "maybe": `addRequirements` decides.
   */
  quickReject(view: PodView, nodeRequirements: Requirements): boolean {
    for (const g of this.ownGroups(view)) {
      if (g.kind === 'spread') continue;
      const domain = nodeRequirements.get(g.key)?.singleValue();
      if (domain === undefined) continue;
      if (g.kind === 'antiAffinity') {
        if (g.count(domain) > 0) return true;
      } else if (!view.requirements.has(g.key) && g.populated() && g.count(domain) === 0) {
        // The pod allows every domain, so a populated one exists that it must join; this is not it.
        return true;
      }
    }
    for (const g of this.inverseSelecting.get(view.pod.uid) ?? NONE) {
      const domain = nodeRequirements.get(g.key)?.singleValue();
      if (domain !== undefined && g.count(domain) > 0) return true;
    }
    return false;
  }

  /**
   * The zones a pod with zonal pod affinity must join: the populated domains of its affinity group, when the pod
   * itself allows every zone (else undefined: no shortcut). Planned nodes decided for other zones cannot take it.
   */
  affinityZones(view: PodView): ReadonlySet<string> | undefined {
    if (view.requirements.has(LABEL_ZONE)) return undefined;
    for (const g of this.ownGroups(view)) {
      if (g.kind !== 'affinity' || g.key !== LABEL_ZONE || !g.populated()) continue;
      return new Set([...g.domains].filter(([, count]) => count > 0).map(([domain]) => domain));
    }
    return undefined;
  }

  /**
   * The hostname anti-affinity group of the pod (own or inverse) with the fewest empty hostnames, if any: only
   * nodes whose hostname is among its empty domains can take the pod, so the scheduler looks at those alone
   * instead of every planned node (the O(pods × nodes) cliff of hostname anti-affinity).
   */
  hostnameGate(view: PodView): TopologyGroup | undefined {
    let best: TopologyGroup | undefined;
    const consider = (g: TopologyGroup) => {
      if (g.kind === 'antiAffinity' && g.key === LABEL_HOSTNAME && (!best || g.empty.size < best.empty.size)) best = g;
    };
    for (const g of this.ownGroups(view)) consider(g);
    for (const g of this.inverseSelecting.get(view.pod.uid) ?? NONE) if (!g.nodeFilter) consider(g);
    return best;
  }

  /** Records a pod on a node with these (final) requirements in every group that counts it. */
  record(view: PodView, requirements: Requirements, taints: readonly Taint[]): void {
    for (const g of this.selecting.get(view.pod.uid) ?? []) {
      if (!g.filterMatchesRequirements(requirements, taints)) continue;
      const domains = requirements.get(g.key);
      if (!domains || domains.complement) continue;
      // Anti-affinity blocks every domain the pod might end up in; spread and affinity count only a known one.
      if (g.kind === 'antiAffinity') for (const d of domains.values) g.record(d);
      else if (domains.values.size === 1) g.record(domains.values.values().next().value as string);
    }
    for (const term of view.pod.podAntiAffinity) {
      const g = this.inverse.get(inverseKey(view.pod, term));
      const domains = g && requirements.get(g.key);
      if (g && domains && !domains.complement) for (const d of domains.values) g.record(d);
    }
  }

  private ownGroups(view: PodView): TopologyGroup[] {
    const version = view.version;
    const cached = this.owned.get(view);
    if (cached && cached.version === version) return cached.groups;
    const groups = this.termsOf(view).map((g) => this.ensure(this.groups, g));
    this.owned.set(view, { version, groups });
    return groups;
  }

  /** The groups a pod's current terms describe (not yet deduplicated). */
  private termsOf(view: PodView): TopologyGroup[] {
    const pod = view.pod;
    const out: TopologyGroup[] = view.spreads.map((c) => spreadGroup(view, c));
    for (const t of view.affinityTerms()) out.push(termGroup('affinity', pod, t));
    for (const t of view.antiAffinityTerms()) out.push(termGroup('antiAffinity', pod, t));
    return out;
  }

  private ensure(map: Map<string, TopologyGroup>, g: TopologyGroup): TopologyGroup {
    const key = groupKey(g);
    const existing = map.get(key);
    if (existing) return existing;
    map.set(key, g);
    this.seedDomains(g);
    if (map === this.groups) for (const p of this.input.placed) this.countInto(g, p);
    return g;
  }

  private ensureInverse(owner: Pod, term: PodAffinityTerm): void {
    const key = inverseKey(owner, term);
    if (this.inverse.has(key)) return;
    const g = termGroup('antiAffinity', owner, term);
    this.inverse.set(key, g);
    this.seedDomains(g);
  }

  private seedDomains(g: TopologyGroup): void {
    for (const { domain, taints } of this.input.poolDomains(g.key)) {
      // A pool's domains are filtered by its taints only; node affinity filters which existing nodes count
      // (Karpenter's TopologyDomainGroup), or a spread with any nodeSelector would have no domain at all.
      if (g.kind !== 'spread' || g.filterMatchesTaints(taints)) g.addDomain(domain);
    }
    for (const n of this.input.nodes) {
      const value = n.labels[g.key];
      if (value !== undefined && (g.kind !== 'spread' || g.filterMatchesNode(n.labels, n.taints))) g.addDomain(value);
    }
    if (g.key === LABEL_HOSTNAME) this.hostnameGroups.push(g);
  }

  private countPlaced(p: PlacedPod): void {
    for (const term of p.pod.podAntiAffinity) {
      const g = this.inverse.get(inverseKey(p.pod, term));
      const domain = g && p.nodeLabels[g.key];
      if (g && domain !== undefined) g.record(domain);
    }
  }

  private countInto(g: TopologyGroup, p: PlacedPod): void {
    const domain = p.nodeLabels[g.key];
    if (domain === undefined || !g.selects(p.pod) || !g.filterMatchesNode(p.nodeLabels, p.nodeTaints)) return;
    g.record(domain);
  }
}

function namespaceScope(pod: Pod, term: PodAffinityTerm): NamespaceScope {
  // Namespace labels are not part of the snapshot: an empty namespaceSelector means every namespace, and a
  // non-empty one is honoured only through the `kubernetes.io/metadata.name` label every namespace carries.
  const names = new Set(term.namespaces ?? []);
  const sel = term.namespaceSelector;
  if (sel) {
    const byName = sel.matchLabels?.['kubernetes.io/metadata.name'];
    if (!sel.matchLabels && !sel.matchExpressions) return 'all';
    if (byName && !sel.matchExpressions?.length && Object.keys(sel.matchLabels ?? {}).length === 1) names.add(byName);
    else return 'all';
  }
  if (names.size === 0) names.add(pod.namespace);
  return names;
}

function spreadGroup(view: PodView, c: TopologySpreadConstraint): TopologyGroup {
  const filter: NodeFilter = {
    requirements:
      c.nodeAffinityPolicy === 'Ignore' || view.strictRequirements.size === 0 ? undefined : view.strictRequirements,
    tolerations: c.nodeTaintsPolicy === 'Honor' ? view.pod.tolerations : undefined,
  };
  const hasFilter = filter.requirements !== undefined || filter.tolerations !== undefined;
  return new TopologyGroup(
    'spread',
    c.topologyKey,
    new Set([view.pod.namespace]),
    c.labelSelector,
    c.maxSkew,
    c.minDomains,
    hasFilter ? filter : undefined,
  );
}

function termGroup(kind: TopologyKind, pod: Pod, term: PodAffinityTerm): TopologyGroup {
  return new TopologyGroup(
    kind,
    term.topologyKey,
    namespaceScope(pod, term),
    term.labelSelector,
    0,
    undefined,
    undefined,
  );
}

function scopeKey(scope: NamespaceScope): string {
  return scope === 'all' ? '*' : [...scope].sort().join(',');
}

function groupKey(g: TopologyGroup): string {
  const f = g.nodeFilter;
  const filter = f ? `${f.requirements?.canonical() ?? ''}|${JSON.stringify(f.tolerations ?? null)}` : '';
  return `${g.kind}|${g.key}|${scopeKey(g.namespaces)}|${g.maxSkew}|${g.minDomains ?? ''}|${selectorKey(g.selector)}|${filter}`;
}

function inverseKey(owner: Pod, term: PodAffinityTerm): string {
  return `${term.topologyKey}|${scopeKey(namespaceScope(owner, term))}|${selectorKey(term.labelSelector)}`;
}
