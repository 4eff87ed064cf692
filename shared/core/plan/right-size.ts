// Right-sizing, where fleetwright goes beyond Karpenter: the solve grows each planned node until only the
// largest types can hold its pods, and a launch then takes the cheapest of those. Prices per vCPU and GiB differ
// between types (and spot discounts differ a lot), so the same pods are often cheaper on several smaller nodes
// of a more cost-efficient type. For each planned node this tries a few such types with first-fit decreasing
// and keeps the split when it is clearly cheaper (DESIGN.md §9 packing quality).

import { LABEL_HOSTNAME } from '../labels.js';
import { getOrInsert } from '../memo.js';
import type { InstanceType } from '../model/instancetype.js';
import { Requirement } from '../requirements/requirement.js';
import type { Requirements } from '../requirements/requirements.js';
import { add, CPU, fitsSum, MEMORY, max, PODS, type Resources } from '../resources/resources.js';
import { HostPortUsage } from '../scheduling/host-ports.js';
import { NodeClaim } from '../scheduling/node-claim.js';
import type { PodView } from '../scheduling/pod-view.js';
import { byScheduleOrder } from '../scheduling/queue.js';
import { hasOffering, type NodeClaimTemplate } from '../scheduling/template.js';
import { chooseOffering, priceOptions, withoutExotic } from './offerings.js';

/** A split must save at least this fraction, so equal-price reshuffles (linear pricing) never churn the plan. */
const MIN_SAVING = 0.01;
/** How many candidate types, best lower bound first, are packed for real; more adds time, not savings. */
const CANDIDATES = 12;

interface Bin {
  requests: Resources;
  readonly ports: HostPortUsage;
  readonly views: PodView[];
}

/** Each planned node, or the cheaper nodes it splits into, in the same order. */
export function rightSize(claims: readonly NodeClaim[]): NodeClaim[] {
  let seq = claims.reduce((m, c) => Math.max(m, c.seq), 0) + 1;
  const out: NodeClaim[] = [];
  for (const claim of claims) {
    const split = splitClaim(claim, () => seq++);
    out.push(...(split ?? [claim]));
  }
  return out;
}

function launchPrice(options: readonly InstanceType[], claim: NodeClaim): number | undefined {
  const cheapest = priceOptions(withoutExotic(options, claim.requirements), claim.requirements)[0];
  return cheapest ? chooseOffering(cheapest).price : undefined;
}

function splittable(claim: NodeClaim): boolean {
  if (claim.pods.length < 2) return false;
  for (const r of claim.requirements.values()) if (r.minValues) return false;
  // Pods that must share a host with another pod cannot be pulled apart.
  return !claim.pods.some((v) => v.affinityTerms().some((t) => t.topologyKey === LABEL_HOSTNAME));
}

interface Candidate {
  readonly type: InstanceType;
  /** What a launch of this type alone would cost. */
  readonly price: number;
  readonly room: Resources;
}

interface CandidateList {
  /** Catalogue order. */
  readonly all: readonly Candidate[];
  /** Cheapest first: a split into two or more nodes needs a type under half the current price. */
  readonly byPrice: readonly Candidate[];
}

// Planned nodes of one pool share a few requirement sets; the priced candidate list is built once per set.
const CANDIDATES_BY_TEMPLATE = new WeakMap<NodeClaimTemplate, Map<string, CandidateList>>();

function candidatesFor(template: NodeClaimTemplate, reqs: Requirements): CandidateList {
  const byReqs = getOrInsert(CANDIDATES_BY_TEMPLATE, template, () => new Map<string, CandidateList>());
  const key = reqs.canonical();
  return getOrInsert(byReqs, key, () => {
    const types = template.instanceTypes.filter((t) => t.requirements.intersects(reqs) && hasOffering(t, reqs));
    const all: Candidate[] = [];
    for (const type of withoutExotic(types, reqs)) {
      const option = priceOptions([type], reqs)[0];
      if (option) all.push({ type, price: chooseOffering(option).price, room: template.room(type) });
    }
    return { all, byPrice: [...all].sort((a, b) => a.price - b.price) };
  });
}

function splitClaim(claim: NodeClaim, nextSeq: () => number): NodeClaim[] | undefined {
  if (!splittable(claim)) return undefined;
  const template = claim.template;
  const reqs = claim.requirements.without(LABEL_HOSTNAME);
  const views = [...claim.pods].sort((a, b) => byScheduleOrder(a.pod, b.pod));
  // Element-wise largest request: a type with room for it has room for every pod on its own.
  let largestPod: Resources = {};
  for (const v of views) largestPod = max(largestPod, v.pod.requests);
  const { all, byPrice } = candidatesFor(template, reqs);
  // Two nodes at least: only a type under half the current price can help. Most planned nodes stop here, before
  // pricing all their options: any one option's price bounds the current one from above, so it suffices to rule out.
  if (!affordable(byPrice, largestPod, launchPrice(claim.options.slice(0, 1), claim))) return undefined;
  const current = launchPrice(claim.options, claim);
  if (current === undefined || !affordable(byPrice, largestPod, current)) return undefined;
  const target = current * (1 - MIN_SAVING);
  // Most planned nodes are already right: check the best lower bound before building and sorting a shortlist.
  let cheapestBound = Number.POSITIVE_INFINITY;
  for (const c of all) {
    if (fitsSum({}, largestPod, c.room)) cheapestBound = Math.min(cheapestBound, lowerBound(c, claim.requests));
  }
  if (cheapestBound >= target) return undefined;
  const candidates = all.filter((c) => fitsSum({}, largestPod, c.room));
  let best: { bins: Bin[]; cost: number } | undefined;
  for (const { candidate, bound } of shortlist(candidates, claim.requests)) {
    // Packing never beats the bound: once the bound alone is too dear, so is every later candidate.
    if (bound >= Math.min(target, best?.cost ?? Number.POSITIVE_INFINITY)) break;
    const bins = packInto(views, candidate.room);
    const cost = bins.length * candidate.price;
    if (!best || cost < best.cost) best = { bins, cost };
  }
  if (!best || best.bins.length < 2 || best.cost >= target) return undefined;
  const types = candidates.map((c) => c.type);
  const split = best.bins.map((bin) => seedClaim(template, reqs, bin, types, nextSeq()));
  return withinLimits(template, claim, split) ? split : undefined;
}

/** Is there a type that holds the largest pod and costs under half of `current` (less the minimum saving)? */
function affordable(byPrice: readonly Candidate[], largestPod: Resources, current: number | undefined): boolean {
  if (current === undefined) return false;
  const target = current * (1 - MIN_SAVING);
  for (const c of byPrice) {
    if (c.price * 2 >= target) return false;
    if (fitsSum({}, largestPod, c.room)) return true;
  }
  return false;
}

/** Candidates ordered by a lower bound on the cost of holding `total` on nodes of their type; the best few. */
function shortlist(candidates: readonly Candidate[], total: Resources): { candidate: Candidate; bound: number }[] {
  const scored = candidates.map((candidate) => ({ candidate, bound: lowerBound(candidate, total) }));
  return scored.sort((a, b) => a.bound - b.bound).slice(0, CANDIDATES);
}

const BOUND_RESOURCES: readonly string[] = [CPU, MEMORY, PODS];

/** The cost of the fewest nodes of this type that could hold `total`, counting each resource alone. */
function lowerBound(candidate: Candidate, total: Resources): number {
  let nodes = 1;
  for (const r of BOUND_RESOURCES) {
    const need = total[r] ?? 0;
    if (need > 0) nodes = Math.max(nodes, Math.ceil(need / Math.max(1, candidate.room[r] ?? 0)));
  }
  return nodes * candidate.price;
}

/** First-fit decreasing of the pods into nodes with `room`, honouring host ports. */
function packInto(views: readonly PodView[], room: Resources): Bin[] {
  const bins: Bin[] = [];
  for (const view of views) {
    let bin = bins.find((b) => fitsSum(b.requests, view.pod.requests, room) && !b.ports.conflict(view.pod.hostPorts));
    if (!bin) {
      bin = { requests: {}, ports: new HostPortUsage(), views: [] };
      bins.push(bin);
    }
    bin.requests = add(bin.requests, view.pod.requests);
    bin.ports.add(view.pod.hostPorts);
    bin.views.push(view);
  }
  return bins;
}

function seedClaim(
  template: NodeClaimTemplate,
  reqs: Requirements,
  bin: Bin,
  candidates: readonly InstanceType[],
  seq: number,
): NodeClaim {
  const hostname = `hostname-resized-${String(seq).padStart(4, '0')}`;
  const requirements = reqs.copy().add(Requirement.single(LABEL_HOSTNAME, hostname));
  const options = candidates.filter((t) => fitsSum({}, bin.requests, template.room(t)));
  const claim = new NodeClaim(template, hostname, seq);
  const [first, ...rest] = bin.views as [PodView, ...PodView[]];
  claim.start(first, requirements, options);
  for (const view of rest) claim.add(view, { requirements });
  return claim;
}

/**
 * The split may not take the pool past its limits: the original node's reservation (at least its current
 * largest option) is given back and each new node reserves its largest option.
 */
function withinLimits(template: NodeClaimTemplate, original: NodeClaim, split: readonly NodeClaim[]): boolean {
  const limited = Object.keys(template.remaining);
  if (limited.length === 0) return true;
  const largest = (claim: NodeClaim, key: string) => Math.max(0, ...claim.options.map((t) => t.capacity[key] ?? 0));
  for (const key of limited) {
    const released = key === 'nodes' ? 1 : largest(original, key);
    const needed = split.reduce((sum, c) => sum + (key === 'nodes' ? 1 : largest(c, key)), 0);
    if (needed > (template.remaining[key] as number) + released) return false;
  }
  for (const key of limited) {
    const released = key === 'nodes' ? 1 : largest(original, key);
    const needed = split.reduce((sum, c) => sum + (key === 'nodes' ? 1 : largest(c, key)), 0);
    template.remaining[key] = (template.remaining[key] as number) + released - needed;
  }
  return true;
}
