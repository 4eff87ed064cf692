// Prices for offerings: on-demand from the Price List API over the bundled catalogue's us-east-1 prices, spot
// from DescribeSpotPriceHistory, both refreshed every PRICING_TTL (research/aws-provider.md §f).
//
// Failures degrade instead of failing the tick: on-demand falls back to the last good prices, then to the
// bundled catalogue (as Karpenter's static tables); spot falls back to the last good prices, then to none, which
// makes every spot offering unavailable until a refresh succeeds: launching on-demand is better than not at all.

import type { CatalogueEntry } from '../../../core/instancetypes/catalogue.js';
import type { Ec2Api } from '../ec2/api.js';
import { TtlCache } from '../ttl-cache.js';
import { PRICING_TTL } from '../ttls.js';
import type { PricingApi } from './api.js';
import { fetchOnDemandPrices } from './on-demand.js';
import { fetchSpotPrices, type SpotPrices, spotPriceKey } from './spot.js';

export interface Prices {
  /** $/h on demand, or undefined when no source knows the type. */
  onDemand(instanceType: string): number | undefined;
  /** $/h on spot in that zone, or undefined: then the spot offering is unavailable. */
  spot(instanceType: string, zone: string): number | undefined;
}

export interface PriceBookOptions {
  readonly ec2: Pick<Ec2Api, 'describeSpotPriceHistory'>;
  /** Omitted: on-demand prices are the bundled catalogue's (isolated VPCs, the simulator). */
  readonly pricing?: PricingApi;
  /** The cluster's region, whose prices are asked for. */
  readonly region: string;
  /** The bundled catalogue: on-demand prices when the Price List API cannot answer. */
  readonly bundled: readonly CatalogueEntry[];
  /** Told about each failed refresh (the adapter has no logger of its own). */
  readonly onError?: (what: string, error: unknown) => void;
}

/** One cache key: both price kinds are region-wide. */
const KEY = 'prices';

export class PriceBook {
  private readonly onDemandCache = new TtlCache<string, ReadonlyMap<string, number>>(PRICING_TTL);
  private readonly spotCache = new TtlCache<string, SpotPrices>(PRICING_TTL);
  private readonly bundledPrices: ReadonlyMap<string, number>;

  constructor(private readonly options: PriceBookOptions) {
    this.bundledPrices = new Map(
      options.bundled.flatMap((e) => (typeof e.onDemandPriceUSD === 'number' ? [[e.name, e.onDemandPriceUSD]] : [])),
    );
  }

  /** Current prices, refreshing whichever kind is older than PRICING_TTL. */
  async prices(now: number): Promise<Prices> {
    const [onDemand, spot] = await Promise.all([this.onDemandPrices(now), this.spotPrices(now)]);
    return {
      onDemand: (type) => onDemand.get(type),
      spot: (type, zone) => spot.get(spotPriceKey(type, zone)),
    };
  }

  private async onDemandPrices(now: number): Promise<ReadonlyMap<string, number>> {
    const { pricing, region } = this.options;
    if (pricing === undefined) return this.bundledPrices;
    try {
      return await this.onDemandCache.getOrLoad(KEY, now, async () => {
        // Merged over what we knew: a type missing from one answer keeps its earlier (or bundled) price.
        const base = this.onDemandCache.stale(KEY) ?? this.bundledPrices;
        return new Map([...base, ...(await fetchOnDemandPrices(pricing, region))]);
      });
    } catch (error) {
      this.options.onError?.('on-demand prices', error);
      return this.bundledPrices;
    }
  }

  private async spotPrices(now: number): Promise<SpotPrices> {
    try {
      return await this.spotCache.getOrLoad(KEY, now, async () => {
        const base = this.spotCache.stale(KEY) ?? new Map();
        return new Map([...base, ...(await fetchSpotPrices(this.options.ec2, now))]);
      });
    } catch (error) {
      this.options.onError?.('spot prices', error);
      return new Map();
    }
  }
}
