// Right-sizing, where fleetwright goes beyond Karpenter: the solve grows each planned node until only the
// largest types can hold its pods, and a launch then takes the cheapest of those. Prices per vCPU and GiB differ
// between types (and spot discounts differ a lot), so the same pods are often cheaper on several smaller nodes
// of a more cost-efficient type. For each planned node this tries a few such types with first-fit decreasing
// and keeps the split when it is clearly cheaper (DESIGN.md §9 packing quality).

import { LABEL_HOSTNAME } from '../labels.js';
import { add, CPU, fitsSum, MEMORY, max, PODS, type Resources } from '../resources/resources.js';
import { HostPortUsage } from '../scheduling/host-ports.js';
import type { NodeClaim } from '../scheduling/node-claim.js';
import type { PodView } from '../scheduling/pod-view.js';
import { byScheduleOrder } from '../scheduling/queue.js';
import {
  type Candidate,
  candidatesFor,
  launchPrice,
  seedClaim,
  swapWithinLimits,
  typesHolding,
} from './replacement-claims.js';

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

function splittable(claim: NodeClaim): boolean {
  if (claim.pods.length < 2) return false;
  for (const r of claim.requirements.values()) if (r.minValues) return false;
  // Pods that must share a host with another pod cannot be pulled apart.
  return !claim.pods.some((v) => v.affinityTerms().some((t) => t.topologyKey === LABEL_HOSTNAME));
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
  if (!affordable(byPrice, largestPod, launchPrice(claim.options.slice(0, 1), claim.requirements))) return undefined;
  const current = launchPrice(claim.options, claim.requirements);
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
  const split = best.bins.map((bin) => {
    const seq = nextSeq();
    const options = typesHolding(template, types, bin.requests);
    return seedClaim(template, reqs, bin.views, options, `hostname-resized-${String(seq).padStart(4, '0')}`, seq);
  });
  return swapWithinLimits(template, [claim], split) ? split : undefined;
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
