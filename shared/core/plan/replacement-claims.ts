// What right-sizing (right-size.ts) and re-packing (repack.ts) share when they swap planned nodes for other,
// cheaper ones: a requirement set's priced candidate types, a new claim seeded with a given set of pods, and the
// pool-limit bookkeeping of the swap. Moved here from right-size.ts when re-packing came to need the same.

import { LABEL_HOSTNAME } from '../labels.js';
import { getOrInsert } from '../memo.js';
import type { InstanceType } from '../model/instancetype.js';
import { Requirement } from '../requirements/requirement.js';
import type { Requirements } from '../requirements/requirements.js';
import { fitsSum, type Resources } from '../resources/resources.js';
import { NodeClaim } from '../scheduling/node-claim.js';
import type { PodView } from '../scheduling/pod-view.js';
import { hasOffering, type NodeClaimTemplate } from '../scheduling/template.js';
import { cheapestOption, chooseOffering, priceOptions, withoutExotic } from './offerings.js';

export interface Candidate {
  readonly type: InstanceType;
  /** What a launch of this type alone would cost. */
  readonly price: number;
  readonly room: Resources;
}

export interface CandidateList {
  /** The pool's types that suit the requirements (exotic ones included), catalogue order: a claim's options. */
  readonly types: readonly InstanceType[];
  /** `types` with an allowed offering, priced; catalogue order. */
  readonly every: readonly Candidate[];
  /** `every` without exotic types, unless nothing else suits (Karpenter's launch-time filter); catalogue order. */
  readonly all: readonly Candidate[];
  /** `all`, cheapest first. */
  readonly byPrice: readonly Candidate[];
}

// Planned nodes of one pool share a few requirement sets; the priced candidate list is built once per set.
const CANDIDATES_BY_TEMPLATE = new WeakMap<NodeClaimTemplate, Map<string, CandidateList>>();

/** The template's types that suit `reqs` (hostname aside), priced as a launch would price them. */
export function candidatesFor(template: NodeClaimTemplate, reqs: Requirements): CandidateList {
  const byReqs = getOrInsert(CANDIDATES_BY_TEMPLATE, template, () => new Map<string, CandidateList>());
  return getOrInsert(byReqs, reqs.canonical(), () => {
    const types = template.instanceTypes.filter((t) => t.requirements.intersects(reqs) && hasOffering(t, reqs));
    const every: Candidate[] = [];
    for (const type of types) {
      const option = priceOptions([type], reqs)[0];
      if (option) every.push({ type, price: chooseOffering(option).price, room: template.room(type) });
    }
    const plain = new Set(withoutExotic(types, reqs));
    const all = every.filter((c) => plain.has(c.type));
    return { types, every, all, byPrice: [...all].sort((a, b) => a.price - b.price) };
  });
}

/**
 * What a launch with these options would cost (`plannedNode`'s choice), or undefined when none is offered. The
 * priced list is cached per options list, so pricing a planned node that stays in the plan costs nothing twice.
 */
export function launchPrice(options: readonly InstanceType[], requirements: Requirements): number | undefined {
  const cheapest = priceOptions(withoutExotic(options, requirements), requirements)[0];
  return cheapest ? chooseOffering(cheapest).price : undefined;
}

/** `launchPrice` in one pass without sorting or caching: for planned nodes about to be replaced. */
export function launchPriceOnce(options: readonly InstanceType[], requirements: Requirements): number | undefined {
  const cheapest = cheapestOption(options, requirements);
  return cheapest ? chooseOffering(cheapest).price : undefined;
}

/**
 * A new planned node for `views` (in the order given) with requirements `reqs` plus its own hostname, and
 * `options` (types with room for all of the views) as its options.
 */
export function seedClaim(
  template: NodeClaimTemplate,
  reqs: Requirements,
  views: readonly PodView[],
  options: readonly InstanceType[],
  hostname: string,
  seq: number,
): NodeClaim {
  const requirements = reqs.copy().add(Requirement.single(LABEL_HOSTNAME, hostname));
  const claim = new NodeClaim(template, hostname, seq);
  const [first, ...rest] = views as [PodView, ...PodView[]];
  claim.start(first, requirements, options);
  for (const view of rest) claim.add(view, { requirements });
  return claim;
}

/** The types with room for `requests` together. */
export function typesHolding(
  template: NodeClaimTemplate,
  types: readonly InstanceType[],
  requests: Resources,
): InstanceType[] {
  return types.filter((t) => fitsSum({}, requests, template.room(t)));
}

/**
 * Swaps `originals` for `replacements` in the pool's limits when the pool has room for it: each original's
 * reservation (its largest option) is given back and each replacement reserves its largest option. Returns
 * false, changing nothing, when the replacements would take the pool past a limit.
 */
export function swapWithinLimits(
  template: NodeClaimTemplate,
  originals: readonly NodeClaim[],
  replacements: readonly NodeClaim[],
): boolean {
  const limited = Object.keys(template.remaining);
  if (limited.length === 0) return true;
  const reserved = (claims: readonly NodeClaim[], key: string) =>
    claims.reduce(
      (sum, c) => sum + (key === 'nodes' ? 1 : Math.max(0, ...c.options.map((t) => t.capacity[key] ?? 0))),
      0,
    );
  const change = limited.map((key) => [key, reserved(originals, key) - reserved(replacements, key)] as const);
  if (change.some(([key, delta]) => (template.remaining[key] as number) + delta < 0)) return false;
  for (const [key, delta] of change) template.remaining[key] = (template.remaining[key] as number) + delta;
  return true;
}
