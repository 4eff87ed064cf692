// The price rules a consolidation replacement must pass (karpenter-core §3.5), plus fleetwright's
// `consolidation.minSavings`. A replacement is judged at its worst allowed offering, because a launch may land in
// any allowed zone: one pricey zone is enough to turn a "saving" into a loss.

import { CAPACITY_TYPE_ON_DEMAND, CAPACITY_TYPE_SPOT, LABEL_CAPACITY_TYPE } from '../labels.js';
import type { PlannedNode } from '../model/plan.js';
import type { Settings } from '../model/settings.js';
import { type PricedOption, priceOptions, roundPrice, withoutExotic, worstLaunchPrice } from '../plan/offerings.js';
import { plannedNode } from '../plan/planned-node.js';
import { Requirement } from '../requirements/requirement.js';
import type { Requirements } from '../requirements/requirements.js';
import { type NodeClaim, unmetMinValues } from '../scheduling/node-claim.js';
import type { Candidate } from './candidates.js';
import { perHour } from './describe.js';

/**
 * Spot→spot replacement needs this many cheaper spot types, and sends exactly that many: a spot launch may get
 * any type in its list, and with 15 cheaper ones the new node is always among them, so it is not itself replaced
 * again on the next pass (Karpenter's `MinInstanceTypesForSpotToSpotConsolidation`).
 */
export const SPOT_TO_SPOT_MIN_TYPES = 15;

export interface Replacement {
  readonly node: PlannedNode;
  /** The most the replacement can cost: the worst offering of its priciest option. */
  readonly worstPrice: number;
}

/** $/h a consolidation of these candidates must save: the strictest `minSavings` among their pools. */
export function minSavingsNeeded(candidates: readonly Candidate[]): number {
  const current = candidates.reduce((sum, c) => sum + c.price, 0);
  let need = 0;
  for (const c of candidates) {
    const min = c.pool.minSavings;
    if (min) need = Math.max(need, min.perHour ?? 0, ((min.percent ?? 0) / 100) * current);
  }
  return roundPrice(need);
}

/**
 * The cheaper node that may replace the candidates, from the one claim the simulation asked for, or why there is
 * none. Options must cost strictly less than the candidates at their worst offering (and save `minSavings`);
 * an on-demand→mixed replacement is held to spot (never falls back to a pricier on-demand launch); spot→spot is
 * allowed only by the setting and, for one node, with ≥ 15 cheaper types, exactly 15 of which are sent; a
 * multi-node replacement may not be a type already among the candidates unless it is cheaper than that node.
 */
export function cheaperReplacement(
  claim: NodeClaim,
  candidates: readonly Candidate[],
  settings: Pick<Settings, 'spotToSpotConsolidation' | 'minValuesPolicy'>,
): Replacement | string {
  const rule = capacityTypeRule(claim, candidates, settings);
  if (typeof rule === 'string') return rule;
  const { requirements, spotToSpot } = rule;
  const current = roundPrice(candidates.reduce((sum, c) => sum + c.price, 0));
  const need = minSavingsNeeded(candidates);
  const ceiling = Math.min(current, candidates.length > 1 ? sameTypeCeiling(claim, candidates) : current);
  let cheaper = priceOptions(withoutExotic(claim.options, requirements), requirements).filter((o) => {
    const worst = roundPrice(worstLaunchPrice(o));
    return worst < ceiling && current - worst >= need;
  });
  if (cheaper.length === 0) {
    const bar = need > 0 ? ` by at least ${perHour(need)} (minSavings)` : '';
    return `no replacement type is cheaper than ${perHour(current)}${bar} at its worst offering`;
  }
  if (spotToSpot && candidates.length === 1) {
    if (cheaper.length < SPOT_TO_SPOT_MIN_TYPES) {
      return `only ${cheaper.length} spot types are cheaper; spot-to-spot replacement needs ${SPOT_TO_SPOT_MIN_TYPES}`;
    }
    cheaper = cheaper.slice(0, spotToSpotCount(requirements, cheaper));
  }
  const types = cheaper.map((o) => o.type);
  const short = unmetMinValues(requirements, types);
  if (short && settings.minValuesPolicy !== 'BestEffort') return `the cheaper types cannot meet minValues: ${short}`;
  const { template, pods, hostname } = claim;
  return {
    node: plannedNode({ template, pods, hostname, options: types, requirements }),
    worstPrice: Math.max(...cheaper.map((o) => roundPrice(worstLaunchPrice(o)))),
  };
}

/**
 * The capacity types a replacement may launch as. All-spot candidates with a spot-capable replacement take the
 * spot→spot path, which the setting gates. Otherwise a replacement allowed both spot and on-demand is held to
 * spot (and reserved): it is priced as spot, and an on-demand fallback could cost more than the node it replaces.
 */
function capacityTypeRule(
  claim: NodeClaim,
  candidates: readonly Candidate[],
  settings: Pick<Settings, 'spotToSpotConsolidation'>,
): { requirements: Requirements; spotToSpot: boolean } | string {
  const requirements = claim.requirements.copy();
  const capacityTypes = requirements.get(LABEL_CAPACITY_TYPE);
  const allows = (t: string) => !capacityTypes || capacityTypes.has(t);
  const spotToSpot = candidates.every((c) => c.capacityType === CAPACITY_TYPE_SPOT) && allows(CAPACITY_TYPE_SPOT);
  if (spotToSpot) {
    if (!settings.spotToSpotConsolidation) {
      return 'replacing spot with spot needs settings.spotToSpotConsolidation; a spot node is only deleted when its pods fit elsewhere';
    }
    requirements.add(Requirement.of(LABEL_CAPACITY_TYPE, 'In', [CAPACITY_TYPE_SPOT]));
  } else if (allows(CAPACITY_TYPE_SPOT) && allows(CAPACITY_TYPE_ON_DEMAND)) {
    requirements.add(Requirement.of(LABEL_CAPACITY_TYPE, 'NotIn', [CAPACITY_TYPE_ON_DEMAND]));
  }
  return { requirements, spotToSpot };
}

/**
 * Merging nodes into one of a type already among them only makes sense if it is cheaper than that node:
 * otherwise deleting the others and keeping it disrupts fewer pods (Karpenter's `filterOutSameInstanceType`).
 */
function sameTypeCeiling(claim: NodeClaim, candidates: readonly Candidate[]): number {
  const options = new Set(claim.options.map((t) => t.name));
  let ceiling = Number.POSITIVE_INFINITY;
  for (const c of candidates) if (options.has(c.instanceType)) ceiling = Math.min(ceiling, roundPrice(c.price));
  return ceiling;
}

/** 15, or more when minValues needs more types to be met. */
function spotToSpotCount(requirements: Requirements, options: readonly PricedOption[]): number {
  let n = SPOT_TO_SPOT_MIN_TYPES;
  const types = options.map((o) => o.type);
  while (n < types.length && unmetMinValues(requirements, types.slice(0, n))) n++;
  return n;
}
