// The offerings of a catalogue entry: its own `offerings` override (DESIGN.md §5), else the synthetic market
// model (DESIGN.md §6). In the model every type is offered on-demand and spot in three zones of the region,
// all available; on-demand at the catalogue price, spot at a stable pseudo-random 20–45% of it (a 55–80%
// discount) derived from a hash of "<type>|<zone>", so the same input always prices the same. It is synthetic
// by design: live deployments read DescribeSpotPriceHistory and DescribeInstanceTypeOfferings instead.
//
// Offering order (it breaks price ties, so it is part of the contract): zone by zone in the order a, b, c,
// and within a zone on-demand before spot — the order EC2 lists `SupportedUsageClasses` in.

import { fnv1a32 } from '../hash.js';
import { CAPACITY_TYPE_ON_DEMAND, CAPACITY_TYPE_SPOT } from '../labels.js';
import type { Offering } from '../model/instancetype.js';
import type { CatalogueEntry } from './catalogue.js';

/** The region the bundled catalogue is priced for. */
export const MARKET_REGION = 'us-east-1';
/** Zone suffixes the model offers in; three zones is the common EKS layout. */
const ZONE_SUFFIXES: readonly string[] = ['a', 'b', 'c'];
/** Cheapest spot as a share of on-demand (an 80% discount). */
const SPOT_FLOOR = 0.2;
/** Spread of the spot share above the floor: the dearest spot is 45% of on-demand (a 55% discount). */
const SPOT_SPREAD = 0.25;
/** fnv1a32 yields an unsigned 32-bit integer; dividing by 2^32 maps it into [0, 1). */
const HASH_RANGE = 2 ** 32;
/** Prices carry 6 decimals everywhere they are shown (DESIGN.md §5). */
const PRICE_SCALE = 1e6;

/** The model's zones for `region`: `<region>a`, `<region>b`, `<region>c`. */
export function marketZones(region: string = MARKET_REGION): string[] {
  return ZONE_SUFFIXES.map((suffix) => `${region}${suffix}`);
}

/** A price rounded to 6 decimals. */
export function roundPrice(price: number): number {
  return Math.round(price * PRICE_SCALE) / PRICE_SCALE;
}

/** The model's spot price of `typeName` in `zone`: on-demand × (0.20 + 0.25 × fnv1a32("type|zone") / 2^32). */
export function syntheticSpotPrice(typeName: string, zone: string, onDemandPrice: number): number {
  const h = fnv1a32(`${typeName}|${zone}`) / HASH_RANGE;
  return roundPrice(onDemandPrice * (SPOT_FLOOR + SPOT_SPREAD * h));
}

/**
 * The model's offerings of a type priced `onDemandPrice` on demand: for each zone (a, b, c) an on-demand then a
 * spot offering, all available, prices rounded to 6 decimals.
 */
export function syntheticOfferings(
  typeName: string,
  onDemandPrice: number,
  region: string = MARKET_REGION,
): Offering[] {
  const onDemand = roundPrice(onDemandPrice);
  return marketZones(region).flatMap((zone): Offering[] => [
    { zone, capacityType: CAPACITY_TYPE_ON_DEMAND, price: onDemand, available: true },
    {
      zone,
      capacityType: CAPACITY_TYPE_SPOT,
      price: syntheticSpotPrice(typeName, zone, onDemandPrice),
      available: true,
    },
  ]);
}

/**
 * The offerings of a catalogue entry: its own `offerings` in the order given (`available` defaults to true), else
 * the synthetic model's from `onDemandPriceUSD`. Validation guarantees one of the two is present; without
 * either the type has no offerings.
 */
export function entryOfferings(entry: CatalogueEntry, region: string = MARKET_REGION): Offering[] {
  if (entry.offerings !== undefined) {
    return entry.offerings.map(({ zone, capacityType, price, available }) => ({
      zone,
      capacityType,
      price,
      available: available ?? true,
    }));
  }
  const price = entry.onDemandPriceUSD;
  return price === undefined || price === null ? [] : syntheticOfferings(entry.name, price, region);
}
