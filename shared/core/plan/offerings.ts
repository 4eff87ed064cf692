// Turning a planned node's instance-type options into what a launch would get: options ordered by their
// cheapest allowed offering and truncated, the estimated type (the cheapest), and its offering by capacity-type
// priority reserved > spot > on-demand, then price, then offering order (DESIGN.md §5).

import { CAPACITY_TYPES, LABEL_CAPACITY_TYPE, LABEL_INSTANCE_SIZE, LABEL_ZONE } from '../labels.js';
import { getOrInsert } from '../memo.js';
import type { InstanceType, Offering } from '../model/instancetype.js';
import type { Requirements } from '../requirements/requirements.js';
import { compatibleOfferings } from '../scheduling/template.js';

/** CreateFleet takes at most this many types per request; Karpenter's AWS provider truncates to the same. */
export const MAX_INSTANCE_TYPES = 60;

export interface PricedOption {
  readonly type: InstanceType;
  readonly offerings: readonly Offering[];
  readonly cheapest: number;
}

/** Accelerator resources that make a type "exotic" for pods that do not ask for them. */
const ACCELERATORS: readonly string[] = ['nvidia.com/gpu', 'amd.com/gpu', 'aws.amazon.com/neuron', 'habana.ai/gaudi'];

const EXOTIC = new WeakMap<InstanceType, boolean>();

/** Bare metal, or an accelerator a pod would have to ask for. */
export function isExotic(type: InstanceType): boolean {
  let exotic = EXOTIC.get(type);
  if (exotic === undefined) {
    exotic =
      (type.labels[LABEL_INSTANCE_SIZE] ?? '').includes('metal') ||
      ACCELERATORS.some((r) => (type.capacity[r] ?? 0) > 0);
    EXOTIC.set(type, exotic);
  }
  return exotic;
}

/**
 * Karpenter's launch-time exotic filter (aws-provider §b.2): bare metal and accelerator types are dropped from a
 * node's options unless nothing else is left, or minValues asks for breadth.
 */
export function withoutExotic(options: readonly InstanceType[], requirements: Requirements): readonly InstanceType[] {
  for (const r of requirements.values()) if (r.minValues) return options;
  return getOrInsert(PLAIN, options, () => {
    const plain = options.filter((t) => !isExotic(t));
    return plain.length > 0 ? plain : options;
  });
}

// A planned node's option list is one array until it changes; right-sizing and the plan output both ask about it.
const PLAIN = new WeakMap<readonly InstanceType[], readonly InstanceType[]>();

// Thousands of planned nodes share a handful of zone/capacity-type requirements: price each type once per pair.
const PRICED = new WeakMap<InstanceType, Map<string, PricedOption | null>>();

function pricedOnce(type: InstanceType, requirements: Requirements, key: string): PricedOption | null {
  const byKey = getOrInsert(PRICED, type, () => new Map<string, PricedOption | null>());
  let entry = byKey.get(key);
  if (entry === undefined) {
    const offerings = compatibleOfferings(type, requirements);
    entry = offerings.length === 0 ? null : { type, offerings, cheapest: Math.min(...offerings.map((o) => o.price)) };
    byKey.set(key, entry);
  }
  return entry;
}

/** What of the requirements decides a type's allowed offerings: its zones and capacity types. */
function offeringKey(requirements: Requirements): string {
  return `${requirements.get(LABEL_ZONE)?.canonical() ?? ''}|${requirements.get(LABEL_CAPACITY_TYPE)?.canonical() ?? ''}`;
}

const PRICED_LISTS = new WeakMap<readonly InstanceType[], Map<string, readonly PricedOption[]>>();

/** Options with at least one allowed offering, cheapest first; equal prices keep catalogue order. Do not mutate. */
export function priceOptions(options: readonly InstanceType[], requirements: Requirements): readonly PricedOption[] {
  const key = offeringKey(requirements);
  const byKey = getOrInsert(PRICED_LISTS, options, () => new Map<string, readonly PricedOption[]>());
  return getOrInsert(byKey, key, () => {
    const priced: PricedOption[] = [];
    for (const type of options) {
      const option = pricedOnce(type, requirements, key);
      if (option) priced.push(option);
    }
    // Array.prototype.sort is stable, so ties stay in catalogue order.
    return priced.sort((a, b) => a.cheapest - b.cheapest);
  });
}

/**
 * `priceOptions(withoutExotic(options, requirements), requirements)[0]` in one pass, without sorting: what a launch
 * would pick, for callers that need only its price.
 */
export function cheapestOption(options: readonly InstanceType[], requirements: Requirements): PricedOption | undefined {
  const key = offeringKey(requirements);
  let best: PricedOption | undefined;
  for (const type of withoutExotic(options, requirements)) {
    const option = pricedOnce(type, requirements, key);
    if (option && (!best || option.cheapest < best.cheapest)) best = option;
  }
  return best;
}

/** The offering a launch of this option would use. */
export function chooseOffering(option: PricedOption): Offering {
  for (const capacityType of CAPACITY_TYPES) {
    let best: Offering | undefined;
    for (const o of option.offerings) {
      if (o.capacityType === capacityType && (!best || o.price < best.price)) best = o;
    }
    if (best) return best;
  }
  return option.offerings[0] as Offering;
}

export function roundPrice(price: number): number {
  return Math.round(price * 1e6) / 1e6;
}

/**
 * The most a launch of this option could cost: the priciest allowed offering of the capacity type a launch would
 * use (reserved > spot > on-demand). Consolidation compares this, not the cheapest offering, because the launch
 * may land in any allowed zone, and one pricey spot zone is enough to make a "saving" a loss (karpenter-core §3.5).
 */
export function worstLaunchPrice(option: PricedOption): number {
  const capacityType = chooseOffering(option).capacityType;
  let worst = 0;
  for (const o of option.offerings) if (o.capacityType === capacityType) worst = Math.max(worst, o.price);
  return worst;
}
