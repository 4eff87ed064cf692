// The region's instance-type catalogue from EC2 (research/aws-provider.md §b.1): DescribeInstanceTypes (HVM,
// x86_64 and arm64 only, which leaves out Mac types) mapped to catalogue entries, and
// DescribeInstanceTypeOfferings by zone (which types are sold where). Both are paginated and refreshed every
// INSTANCE_TYPE_CATALOGUE_TTL; a failed refresh keeps the last good catalogue.

import type { CatalogueEntry } from '../../../core/instancetypes/catalogue.js';
import { TtlCache } from '../ttl-cache.js';
import { INSTANCE_TYPE_CATALOGUE_TTL } from '../ttls.js';
import { collectPages, type Ec2Api } from './api.js';
import { toCatalogueEntry } from './instance-type-info.js';

/** DescribeInstanceTypes' maximum page size. */
const TYPES_PAGE_SIZE = 100;
/** DescribeInstanceTypeOfferings' maximum page size. */
const OFFERINGS_PAGE_SIZE = 1000;

/** One described type: its catalogue entry and the capacity types EC2 sells it as. */
export interface DescribedType {
  readonly entry: CatalogueEntry;
  /** `SupportedUsageClasses`: `on-demand`, `spot` (and `capacity-block`, which we ignore). */
  readonly usageClasses: readonly string[];
}

export interface RegionCatalogue {
  /** In EC2's order. */
  readonly types: readonly DescribedType[];
  /** Instance type -> zones where it is offered. */
  readonly zones: ReadonlyMap<string, ReadonlySet<string>>;
}

type CatalogueApi = Pick<Ec2Api, 'describeInstanceTypes' | 'describeInstanceTypeOfferings'>;

/** Every HVM x86_64/arm64 type of the region as catalogue entries; `bundled` fills the fields EC2 lacks. */
export async function describeInstanceTypes(
  api: CatalogueApi,
  bundled: ReadonlyMap<string, CatalogueEntry>,
): Promise<DescribedType[]> {
  const infos = await collectPages(
    (NextToken) =>
      api.describeInstanceTypes({
        Filters: [
          { Name: 'supported-virtualization-type', Values: ['hvm'] },
          { Name: 'processor-info.supported-architecture', Values: ['x86_64', 'arm64'] },
        ],
        MaxResults: TYPES_PAGE_SIZE,
        ...(NextToken === undefined ? {} : { NextToken }),
      }),
    (page) => page.InstanceTypes,
  );
  return infos.flatMap((info) => {
    const entry = toCatalogueEntry(info, info.InstanceType ? bundled.get(info.InstanceType) : undefined);
    return entry ? [{ entry, usageClasses: info.SupportedUsageClasses ?? [] }] : [];
  });
}

/** Instance type -> the availability zones it is offered in. */
export async function describeOfferedZones(api: CatalogueApi): Promise<Map<string, Set<string>>> {
  const offerings = await collectPages(
    (NextToken) =>
      api.describeInstanceTypeOfferings({
        LocationType: 'availability-zone',
        MaxResults: OFFERINGS_PAGE_SIZE,
        ...(NextToken === undefined ? {} : { NextToken }),
      }),
    (page) => page.InstanceTypeOfferings,
  );
  const zones = new Map<string, Set<string>>();
  for (const { InstanceType: type, Location: zone } of offerings) {
    if (type === undefined || zone === undefined) continue;
    let set = zones.get(type);
    if (set === undefined) {
      set = new Set();
      zones.set(type, set);
    }
    set.add(zone);
  }
  return zones;
}

/** The region catalogue, cached for INSTANCE_TYPE_CATALOGUE_TTL. */
export class InstanceTypeCatalogue {
  private readonly cache = new TtlCache<string, RegionCatalogue>(INSTANCE_TYPE_CATALOGUE_TTL);
  private readonly bundled: ReadonlyMap<string, CatalogueEntry>;

  constructor(
    private readonly api: CatalogueApi,
    bundled: readonly CatalogueEntry[],
  ) {
    this.bundled = new Map(bundled.map((e) => [e.name, e]));
  }

  /** Throws only when the first load fails: without types there is nothing to plan with. */
  get(now: number): Promise<RegionCatalogue> {
    return this.cache.getOrLoad('catalogue', now, async () => {
      const [types, zones] = await Promise.all([
        describeInstanceTypes(this.api, this.bundled),
        describeOfferedZones(this.api),
      ]);
      return { types, zones };
    });
  }
}
