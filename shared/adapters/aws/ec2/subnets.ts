// Subnets of a node class (research/aws-provider.md §b.3, §b.4): found by selector terms, de-duplicated by id,
// cached SUBNETS_TTL; each zone launches into its subnet with the most free IPv4 addresses. A subnet that ran out
// of addresses sits in the unavailable cache and its zone falls back to its next subnet; a zone is gone only
// when all of its subnets are.

import type { Subnet as Ec2Subnet } from '@aws-sdk/client-ec2';
import { TtlCache } from '../ttl-cache.js';
import { SUBNETS_TTL } from '../ttls.js';
import { collectPages, type Ec2Api } from './api.js';
import { type SelectorTerm, selectorQueries, termsKey } from './selectors.js';
import type { UnavailableOfferings } from './unavailable-offerings.js';

/** Karpenter's page size for DescribeSubnets and DescribeSecurityGroups. */
export const SUBNET_PAGE_SIZE = 500;

export interface Subnet {
  readonly id: string;
  readonly zone: string;
  readonly zoneId?: string;
  readonly availableIps: number;
}

function toSubnet(s: Ec2Subnet): Subnet[] {
  if (s.SubnetId === undefined || s.AvailabilityZone === undefined) return [];
  return [
    {
      id: s.SubnetId,
      zone: s.AvailabilityZone,
      ...(s.AvailabilityZoneId === undefined ? {} : { zoneId: s.AvailabilityZoneId }),
      availableIps: s.AvailableIpAddressCount ?? 0,
    },
  ];
}

/** Every subnet the terms select, each once, in the order found. */
export async function describeSubnets(
  api: Pick<Ec2Api, 'describeSubnets'>,
  terms: readonly SelectorTerm[],
): Promise<Subnet[]> {
  const byId = new Map<string, Subnet>();
  for (const query of selectorQueries(terms, { id: 'subnet-id' })) {
    const found = await collectPages(
      (NextToken) =>
        api.describeSubnets({
          Filters: query.filters,
          MaxResults: SUBNET_PAGE_SIZE,
          ...(NextToken === undefined ? {} : { NextToken }),
        }),
      (page) => page.Subnets,
    );
    for (const subnet of found.flatMap(toSubnet)) byId.set(subnet.id, subnet);
  }
  return [...byId.values()];
}

/**
 * Zone -> the subnet to launch into: the one with the most free addresses, skipping subnets in the unavailable
 * cache; ties go to the lower id, so the choice is stable. Zones come out sorted.
 */
export function subnetPerZone(
  subnets: readonly Subnet[],
  unavailable: UnavailableOfferings,
  now: number,
): Map<string, Subnet> {
  const best = new Map<string, Subnet>();
  for (const subnet of subnets) {
    if (unavailable.isSubnetUnavailable(subnet.id, now)) continue;
    const current = best.get(subnet.zone);
    if (
      current === undefined ||
      subnet.availableIps > current.availableIps ||
      (subnet.availableIps === current.availableIps && subnet.id < current.id)
    ) {
      best.set(subnet.zone, subnet);
    }
  }
  return new Map([...best].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Subnets per selector-term list, cached SUBNETS_TTL. */
export class SubnetDiscovery {
  private readonly cache = new TtlCache<string, readonly Subnet[]>(SUBNETS_TTL);

  constructor(private readonly api: Pick<Ec2Api, 'describeSubnets'>) {}

  get(terms: readonly SelectorTerm[], now: number): Promise<readonly Subnet[]> {
    return this.cache.getOrLoad(termsKey(terms), now, () => describeSubnets(this.api, terms));
  }
}
