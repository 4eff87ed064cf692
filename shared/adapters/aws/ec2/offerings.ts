// Live offerings of each catalogue entry for one node class (research/aws-provider.md §b.1): one per zone of the
// class's subnets × capacity type the type is sold as (on-demand, spot). An offering is available only when all
// hold: the type is offered in that zone, the offering is not in the unavailable-offerings cache, and a price is
// known, which for spot means a spot price for that very zone. Unavailable offerings stay listed (price 0 when
// unknown) so the zone and capacity-type requirements of the type still name them.

import type { CatalogueEntry, CatalogueOffering } from '../../../core/instancetypes/catalogue.js';
import { CAPACITY_TYPE_ON_DEMAND, CAPACITY_TYPE_SPOT } from '../../../core/labels.js';
import type { Prices } from '../pricing/price-book.js';
import type { RegionCatalogue } from './instance-types.js';
import type { UnavailableOfferings } from './unavailable-offerings.js';

/**
 * Capacity types we launch, in the order EC2 lists `SupportedUsageClasses` (the offering order breaks price
 * ties, market.ts). Reserved capacity and capacity blocks are not launched by fleetwright.
 */
const LAUNCHED_CAPACITY_TYPES: readonly ('on-demand' | 'spot')[] = [
  CAPACITY_TYPE_ON_DEMAND,
  CAPACITY_TYPE_SPOT,
] as const;

export interface OfferingInputs {
  readonly catalogue: RegionCatalogue;
  /** Zones where the node class has a usable subnet, sorted. */
  readonly subnetZones: readonly string[];
  readonly prices: Prices;
  readonly unavailable: UnavailableOfferings;
  readonly now: number;
}

function offering(
  entry: CatalogueEntry,
  zone: string,
  capacityType: 'on-demand' | 'spot',
  offeredZones: ReadonlySet<string> | undefined,
  inputs: OfferingInputs,
): CatalogueOffering {
  const price =
    capacityType === CAPACITY_TYPE_SPOT ? inputs.prices.spot(entry.name, zone) : inputs.prices.onDemand(entry.name);
  const available =
    price !== undefined &&
    (offeredZones?.has(zone) ?? false) &&
    !inputs.unavailable.isOfferingUnavailable({ instanceType: entry.name, zone, capacityType }, inputs.now);
  return { zone, capacityType, price: price ?? 0, available };
}

/**
 * The catalogue's entries with their live offerings for a node class whose subnets span `subnetZones`. Types
 * sold in none of those zones are left out: the class could never launch them.
 */
export function entriesWithOfferings(inputs: OfferingInputs): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [];
  for (const { entry, usageClasses } of inputs.catalogue.types) {
    const offeredZones = inputs.catalogue.zones.get(entry.name);
    if (!inputs.subnetZones.some((zone) => offeredZones?.has(zone))) continue;
    const capacityTypes = LAUNCHED_CAPACITY_TYPES.filter((c) => usageClasses.includes(c));
    const offerings = inputs.subnetZones.flatMap((zone) =>
      capacityTypes.map((capacityType) => offering(entry, zone, capacityType, offeredZones, inputs)),
    );
    entries.push({ ...entry, offerings });
  }
  return entries;
}
