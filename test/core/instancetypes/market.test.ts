// The synthetic market model (DESIGN.md §6): zones, prices, order and the 55–80% spot discount.

import { describe, expect, it } from 'vitest';
import {
  marketZones,
  roundPrice,
  syntheticOfferings,
  syntheticSpotPrice,
} from '../../../shared/core/instancetypes/market.js';
import { resolveInstanceTypes } from '../../../shared/core/instancetypes/resolve.js';
import { bundledCatalogue, bundledType, nodeClass } from '../../fixtures/instance-types.js';

describe('synthetic market model', () => {
  it('offers us-east-1a, b and c by default, and the same suffixes in another region', () => {
    expect(marketZones()).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(marketZones('eu-west-1')).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  });

  it('prices spot from the FNV-1a hash of "<type>|<zone>" (hand-computed)', () => {
    // fnv1a32("m5.large|us-east-1a") = 0x52aaa5e1 -> h = 0.322916…; 0.096 × (0.20 + 0.25h) = 0.0269500…
    expect(syntheticSpotPrice('m5.large', 'us-east-1a', 0.096)).toBe(0.02695);
    // fnv1a32("g5.xlarge|us-east-1b") = 0x769698bc -> h = 0.463235…; 1.006 × 0.315809 = 0.317704…
    expect(syntheticSpotPrice('g5.xlarge', 'us-east-1b', 1.006)).toBe(0.317704);
  });

  it('lists each zone a, b, c with on-demand before spot, all available', () => {
    expect(syntheticOfferings('m5.large', 0.096)).toEqual([
      { zone: 'us-east-1a', capacityType: 'on-demand', price: 0.096, available: true },
      { zone: 'us-east-1a', capacityType: 'spot', price: 0.02695, available: true },
      { zone: 'us-east-1b', capacityType: 'on-demand', price: 0.096, available: true },
      { zone: 'us-east-1b', capacityType: 'spot', price: 0.026669, available: true },
      { zone: 'us-east-1c', capacityType: 'on-demand', price: 0.096, available: true },
      { zone: 'us-east-1c', capacityType: 'spot', price: 0.026762, available: true },
    ]);
  });

  it('gives the bundled types these offerings, at the catalogue on-demand price', () => {
    expect(bundledType('m5.large').offerings).toEqual(syntheticOfferings('m5.large', 0.096));
  });

  it('rounds prices to 6 decimals', () => {
    expect(roundPrice(0.12345649)).toBe(0.123456);
    expect(roundPrice(0.1234565001)).toBe(0.123457);
  });

  it('keeps every spot price within 20–45% of on-demand (a 55–80% discount) across the catalogue', () => {
    const outside = resolveInstanceTypes(bundledCatalogue(), nodeClass({ amiFamily: 'Bottlerocket' })).flatMap(
      (type) => {
        const onDemand = type.offerings.find((o) => o.capacityType === 'on-demand')?.price ?? Number.NaN;
        return type.offerings
          .filter((o) => o.capacityType === 'spot')
          .filter((o) => o.price < roundPrice(onDemand * 0.2) || o.price > roundPrice(onDemand * 0.45))
          .map((o) => `${type.name} ${o.zone}: ${o.price} of ${onDemand}`);
      },
    );
    expect(outside).toEqual([]);
  });

  it('spreads prices: spot differs between zones for most types', () => {
    const types = resolveInstanceTypes(bundledCatalogue(), nodeClass());
    const spread = types.filter(
      (t) => new Set(t.offerings.filter((o) => o.capacityType === 'spot').map((o) => o.price)).size === 3,
    );
    expect(spread.length / types.length).toBeGreaterThan(0.9);
  });
});
