// Security groups of a node class (research/aws-provider.md §b.4): selected by id, tags or name, de-duplicated
// by id, cached SECURITY_GROUPS_TTL. The launch template attaches all of them.

import { TtlCache } from '../ttl-cache.js';
import { SECURITY_GROUPS_TTL } from '../ttls.js';
import { collectPages, type Ec2Api } from './api.js';
import { type SelectorTerm, selectorQueries, termsKey } from './selectors.js';
import { SUBNET_PAGE_SIZE } from './subnets.js';

export interface SecurityGroup {
  readonly id: string;
  readonly name?: string;
}

/** Every group the terms select, each once, sorted by id (the launch-template hash must not depend on order). */
export async function describeSecurityGroups(
  api: Pick<Ec2Api, 'describeSecurityGroups'>,
  terms: readonly SelectorTerm[],
): Promise<SecurityGroup[]> {
  const byId = new Map<string, SecurityGroup>();
  for (const query of selectorQueries(terms, { id: 'group-id', name: 'group-name' })) {
    const groups = await collectPages(
      (NextToken) =>
        api.describeSecurityGroups({
          Filters: query.filters,
          MaxResults: SUBNET_PAGE_SIZE,
          ...(NextToken === undefined ? {} : { NextToken }),
        }),
      (page) => page.SecurityGroups,
    );
    for (const g of groups) {
      if (g.GroupId === undefined) continue;
      byId.set(g.GroupId, { id: g.GroupId, ...(g.GroupName === undefined ? {} : { name: g.GroupName }) });
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export class SecurityGroupDiscovery {
  private readonly cache = new TtlCache<string, readonly SecurityGroup[]>(SECURITY_GROUPS_TTL);

  constructor(private readonly api: Pick<Ec2Api, 'describeSecurityGroups'>) {}

  get(terms: readonly SelectorTerm[], now: number): Promise<readonly SecurityGroup[]> {
    return this.cache.getOrLoad(termsKey(terms), now, () => describeSecurityGroups(this.api, terms));
  }
}
