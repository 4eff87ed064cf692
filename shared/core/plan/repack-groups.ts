// Which planned nodes re-packing (repack.ts) may take apart and put back together, and in which groups. A
// planned node qualifies when none of its pods cares which host it lands on: no host ports, no minValues, and
// no spread, affinity or anti-affinity term of its own on any key but the zone — and no other pod's term on a key
// other than hostname or zone selects it. Others' hostname terms do not matter: a re-packed node holds only
// qualifying pods, so it never holds the pod that owns such a term. Zone terms (own or others') do not matter
// either, because a group keeps its nodes' zone requirement: pods move between nodes of the same zone(s).
//
// Nodes of one group share the NodePool and every requirement that matters for the pods: the zone and capacity
// type, and any requirement that rules out some of the pool's types or sets a label the pool does not. A
// requirement every type of the pool meets anyway (a pod's "arch In [amd64, arm64]") does not split groups.

import { LABEL_CAPACITY_TYPE, LABEL_HOSTNAME, LABEL_ZONE } from '../labels.js';
import { getOrInsert } from '../memo.js';
import type { Pod } from '../model/pod.js';
import { type LabelSelector, selectorKey, selectorMatches } from '../model/selectors.js';
import type { Requirement } from '../requirements/requirement.js';
import { Requirements, requirementsIntersect } from '../requirements/requirements.js';
import type { NodeClaim } from '../scheduling/node-claim.js';
import type { PodView } from '../scheduling/pod-view.js';
import type { NodeClaimTemplate } from '../scheduling/template.js';

export interface RepackGroup {
  readonly template: NodeClaimTemplate;
  /** What every node of the group must meet: the pool's requirements and those of the group's key. */
  readonly requirements: Requirements;
  readonly claims: NodeClaim[];
}

/** Keys whose requirement is never waved through as "every type meets it": they decide offerings or topology. */
const ALWAYS_KEPT: ReadonlySet<string> = new Set([LABEL_ZONE, LABEL_CAPACITY_TYPE]);

/** The planned nodes that may be re-packed, grouped; groups in the order of their first node. */
export function repackGroups(claims: readonly NodeClaim[], pods: readonly Pod[]): RepackGroup[] {
  const pinned = pinnedByOthers(pods);
  const groups = new Map<string, RepackGroup>();
  const templateIds = new Map<NodeClaimTemplate, number>();
  for (const claim of claims) {
    if (!movable(claim, pinned)) continue;
    const template = claim.template;
    const kept = keptRequirements(claim);
    const id = getOrInsert(templateIds, template, () => templateIds.size);
    const key = `${id}|${kept.map((r) => r.canonical()).join(';')}`;
    const group = getOrInsert(groups, key, () => ({
      template,
      requirements: new Requirements(kept).addAll(template.requirements),
      claims: [],
    }));
    group.claims.push(claim);
  }
  return [...groups.values()];
}

function movable(claim: NodeClaim, pinned: (pod: Pod) => boolean): boolean {
  for (const r of claim.requirements.values()) if (r.minValues) return false;
  return claim.pods.every((v) => v.pod.hostPorts.length === 0 && zoneTermsOnly(v) && !pinned(v.pod));
}

/** The pod's own terms in force are all on the zone key. */
function zoneTermsOnly(view: PodView): boolean {
  for (const c of view.spreads) if (c.topologyKey !== LABEL_ZONE) return false;
  for (const t of view.podAffinity) if (t.topologyKey !== LABEL_ZONE) return false;
  for (const t of view.podAntiAffinity) if (t.topologyKey !== LABEL_ZONE) return false;
  for (const t of view.preferredPodAffinity) if (t.podAffinityTerm.topologyKey !== LABEL_ZONE) return false;
  for (const t of view.preferredPodAntiAffinity) if (t.podAffinityTerm.topologyKey !== LABEL_ZONE) return false;
  return true;
}

/**
 * Is the pod selected by some pod's term on a key other than hostname or zone? Namespaces are ignored, which
 * can only pin more pods than needed.
 */
function pinnedByOthers(pods: readonly Pod[]): (pod: Pod) => boolean {
  const selectors = new Map<string, LabelSelector>();
  const consider = (key: string, selector: LabelSelector | undefined) => {
    if (key !== LABEL_HOSTNAME && key !== LABEL_ZONE && selector) selectors.set(selectorKey(selector), selector);
  };
  for (const p of pods) {
    for (const c of p.topologySpreadConstraints) consider(c.topologyKey, c.labelSelector);
    for (const t of p.podAffinity) consider(t.topologyKey, t.labelSelector);
    for (const t of p.podAntiAffinity) consider(t.topologyKey, t.labelSelector);
    for (const t of p.preferredPodAffinity) consider(t.podAffinityTerm.topologyKey, t.podAffinityTerm.labelSelector);
    for (const t of p.preferredPodAntiAffinity) {
      consider(t.podAffinityTerm.topologyKey, t.podAffinityTerm.labelSelector);
    }
  }
  if (selectors.size === 0) return () => false;
  const list = [...selectors.values()];
  return (pod) => list.some((s) => selectorMatches(s, pod.labels));
}

// Per template: does a requirement (by canonical form) rule out none of the pool's types?
const MEETS_ALL = new WeakMap<NodeClaimTemplate, Map<string, boolean>>();

/** The claim's requirements (hostname aside) that are not the pool's own and not met by every pool type. */
function keptRequirements(claim: NodeClaim): Requirement[] {
  const template = claim.template;
  const kept: Requirement[] = [];
  for (const r of claim.requirements.values()) {
    if (r.key === LABEL_HOSTNAME || sameAs(r, template.requirements.get(r.key))) continue;
    if (!ALWAYS_KEPT.has(r.key) && !template.requirements.has(r.key) && everyTypeMeets(template, r)) continue;
    kept.push(r);
  }
  return kept.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The pool's own requirement on the key, unchanged (usually the very object; narrowing may rebuild it). */
function sameAs(r: Requirement, pools: Requirement | undefined): boolean {
  return r === pools || (pools !== undefined && r.canonical() === pools.canonical());
}

function everyTypeMeets(template: NodeClaimTemplate, r: Requirement): boolean {
  const byCanonical = getOrInsert(MEETS_ALL, template, () => new Map<string, boolean>());
  return getOrInsert(byCanonical, r.canonical(), () =>
    template.instanceTypes.every((t) => {
      const theirs = t.requirements.get(r.key);
      return theirs !== undefined && requirementsIntersect(theirs, r);
    }),
  );
}
