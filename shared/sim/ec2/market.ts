// The simulated region's market (DESIGN.md §6 "Synthetic market model"): every bundled type offered on demand
// and as spot in three zones, on-demand at the catalogue price, spot at the synthetic price of
// shared/core/instancetypes/market.ts. It answers the three catalogue calls in EC2's shapes:
// DescribeInstanceTypes, DescribeInstanceTypeOfferings and DescribeSpotPriceHistory (SpotPrice is a string, as
// in EC2). A scenario may move a spot price (`setSpotPrice`); the history keeps every point, so a query with
// StartTime=now gets the price in force now, as Karpenter's refresh asks for it.

import type {
  DescribeInstanceTypeOfferingsCommandInput,
  DescribeInstanceTypeOfferingsResult,
  DescribeInstanceTypesCommandInput,
  DescribeInstanceTypesResult,
  DescribeSpotPriceHistoryCommandInput,
  DescribeSpotPriceHistoryResult,
  InstanceTypeInfo,
  InstanceTypeOffering,
  SpotPrice,
} from '@aws-sdk/client-ec2';
import type { CatalogueEntry } from '../../core/instancetypes/catalogue.js';
import { MARKET_REGION, marketZones, roundPrice, syntheticSpotPrice } from '../../core/instancetypes/market.js';
import { toInstanceTypeInfo } from './catalogue.js';
import { applyFilters, type FilterFields, paginate, QueryError } from './query.js';

export interface SimZone {
  readonly name: string;
  /** The zone id EC2 reports next to the name (`use1-az1`): ids, not names, are the same across accounts. */
  readonly id: string;
}

interface PricePoint {
  readonly price: number;
  readonly at: number;
}

/** The only product the simulated spot market prices: the one Linux launches buy. */
const LINUX = 'Linux/UNIX';
/** us-east-1's usual zone ids for a, b and c; other regions get `<region>-az<n>`. */
const US_EAST_1_ZONE_IDS = ['use1-az1', 'use1-az2', 'use1-az4'];
/** EC2 writes spot prices with 6 decimals ("0.035000"); the synthetic model rounds to the same. */
const SPOT_PRICE_DECIMALS = 6;

const TYPE_FILTERS: FilterFields<InstanceTypeInfo> = {
  'instance-type': (i) => [i.InstanceType],
  'supported-virtualization-type': (i) => i.SupportedVirtualizationTypes ?? [],
  'processor-info.supported-architecture': (i) => i.ProcessorInfo?.SupportedArchitectures ?? [],
  'current-generation': (i) => [String(i.CurrentGeneration)],
  'bare-metal': (i) => [String(i.BareMetal)],
  hypervisor: (i) => [i.Hypervisor],
  'supported-usage-class': (i) => i.SupportedUsageClasses ?? [],
  'vcpu-info.default-vcpus': (i) => [String(i.VCpuInfo?.DefaultVCpus)],
  'memory-info.size-in-mib': (i) => [String(i.MemoryInfo?.SizeInMiB)],
  'instance-storage-supported': (i) => [String(i.InstanceStorageSupported)],
};

const OFFERING_FILTERS: FilterFields<InstanceTypeOffering> = {
  'instance-type': (o) => [o.InstanceType],
  location: (o) => [o.Location],
};

const SPOT_FILTERS: FilterFields<SpotPrice> = {
  'instance-type': (p) => [p.InstanceType],
  'availability-zone': (p) => [p.AvailabilityZone],
  'product-description': (p) => [p.ProductDescription],
  'spot-price': (p) => [p.SpotPrice],
};

export class SimMarket {
  readonly zones: readonly SimZone[];
  private readonly entries: ReadonlyMap<string, CatalogueEntry>;
  private readonly infos: readonly InstanceTypeInfo[];
  /** `<type>|<zone>` -> price points set by the scenario, oldest first; the synthetic price precedes them. */
  private readonly spotChanges = new Map<string, PricePoint[]>();

  /** `pricesSince`: when the synthetic prices took effect (the Timestamp of their history records). */
  constructor(
    catalogue: readonly CatalogueEntry[],
    private readonly pricesSince: number,
    readonly region: string = MARKET_REGION,
  ) {
    this.entries = new Map(catalogue.map((e) => [e.name, e]));
    this.infos = catalogue.map(toInstanceTypeInfo);
    this.zones = marketZones(region).map((name, i) => ({
      name,
      id: region === 'us-east-1' ? (US_EAST_1_ZONE_IDS[i] as string) : `${region}-az${i + 1}`,
    }));
  }

  entry(type: string): CatalogueEntry | undefined {
    return this.entries.get(type);
  }

  zone(name: string): SimZone | undefined {
    return this.zones.find((z) => z.name === name);
  }

  onDemandPrice(type: string): number | undefined {
    const price = this.entries.get(type)?.onDemandPriceUSD;
    return price === undefined || price === null ? undefined : roundPrice(price);
  }

  /** Every price point of a spot pool, oldest first. */
  private spotHistory(type: string, zone: string): PricePoint[] {
    const onDemand = this.entries.get(type)?.onDemandPriceUSD;
    if (onDemand === undefined || onDemand === null || !this.zone(zone)) return [];
    const initial = { price: syntheticSpotPrice(type, zone, onDemand), at: this.pricesSince };
    return [initial, ...(this.spotChanges.get(`${type}|${zone}`) ?? [])];
  }

  /** The spot price in force at `at`. */
  spotPrice(type: string, zone: string, at: number): number | undefined {
    return this.spotHistory(type, zone)
      .filter((p) => p.at <= at)
      .at(-1)?.price;
  }

  /** A scenario's price move: from `at` on, the pool costs `price` $/h. */
  setSpotPrice(type: string, zone: string, price: number, at: number): void {
    const key = `${type}|${zone}`;
    this.spotChanges.set(key, [...(this.spotChanges.get(key) ?? []), { price: roundPrice(price), at }]);
  }

  price(type: string, zone: string, capacityType: string, at: number): number | undefined {
    return capacityType === 'spot' ? this.spotPrice(type, zone, at) : this.onDemandPrice(type);
  }

  describeInstanceTypes(input: DescribeInstanceTypesCommandInput): DescribeInstanceTypesResult {
    const names = input.InstanceTypes ?? [];
    const unknown = names.filter((n) => !this.entries.has(n));
    if (unknown.length > 0) {
      throw new QueryError('InvalidInstanceType', `The following supplied instance types do not exist: [${unknown}]`);
    }
    const wanted = new Set<string>(names);
    const infos = names.length === 0 ? this.infos : this.infos.filter((i) => wanted.has(i.InstanceType as string));
    const matched = applyFilters(infos, input.Filters, TYPE_FILTERS);
    const page = paginate(matched, input, { operation: 'DescribeInstanceTypes', min: 5, max: 100, defaultSize: 100 });
    return { InstanceTypes: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  }

  describeInstanceTypeOfferings(input: DescribeInstanceTypeOfferingsCommandInput): DescribeInstanceTypeOfferingsResult {
    const locationType = input.LocationType ?? 'region';
    const locations =
      locationType === 'region'
        ? [this.region]
        : this.zones.map((z) => (locationType === 'availability-zone-id' ? z.id : z.name));
    const offerings = this.infos.flatMap((info) =>
      locations.map((Location) => ({ InstanceType: info.InstanceType, LocationType: locationType, Location })),
    );
    const matched = applyFilters(offerings, input.Filters, OFFERING_FILTERS);
    const page = paginate(matched, input, {
      operation: 'DescribeInstanceTypeOfferings',
      min: 5,
      max: 1000,
      defaultSize: 1000,
    });
    return { InstanceTypeOfferings: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  }

  /**
   * Per pool, the points up to EndTime (default now) from the one in force at StartTime on; without StartTime,
   * the whole history.
   */
  describeSpotPriceHistory(input: DescribeSpotPriceHistoryCommandInput, now: number): DescribeSpotPriceHistoryResult {
    const start = input.StartTime?.getTime();
    const end = input.EndTime?.getTime() ?? now;
    const descriptions = input.ProductDescriptions ?? [LINUX];
    const types = input.InstanceTypes?.length ? input.InstanceTypes : this.infos.map((i) => i.InstanceType as string);
    const zones = this.zones.filter((z) => input.AvailabilityZone === undefined || z.name === input.AvailabilityZone);
    const records: SpotPrice[] = [];
    if (descriptions.includes(LINUX)) {
      for (const type of types) {
        for (const zone of zones) {
          const points = this.spotHistory(type, zone.name).filter((p) => p.at <= end);
          const from =
            start === undefined
              ? 0
              : Math.max(
                  0,
                  points.findLastIndex((p) => p.at <= start),
                );
          for (const p of points.slice(from).reverse()) records.push(this.spotRecord(type, zone.name, p));
        }
      }
    }
    const matched = applyFilters(records, input.Filters, SPOT_FILTERS);
    const page = paginate(matched, input, {
      operation: 'DescribeSpotPriceHistory',
      min: 5,
      max: 1000,
      defaultSize: 1000,
    });
    // EC2 ends this one listing with an empty NextToken rather than none; paginators must stop on either.
    return { SpotPriceHistory: page.items, NextToken: page.nextToken ?? '' };
  }

  private spotRecord(type: string, zone: string, point: PricePoint): SpotPrice {
    return {
      AvailabilityZone: zone,
      InstanceType: type as SpotPrice['InstanceType'],
      ProductDescription: LINUX,
      SpotPrice: point.price.toFixed(SPOT_PRICE_DECIMALS),
      Timestamp: new Date(point.at),
    };
  }
}
