// Current spot prices per instance type and zone (research/aws-provider.md §f): DescribeSpotPriceHistory with
// StartTime = now returns the price in force now for every type and zone; paginated; the newest record of each
// (type, zone) wins. A zone without a record has no spot price, so its spot offering is unavailable.

import type { Ec2Api } from '../ec2/api.js';
import { collectPages } from '../ec2/api.js';

/** Linux prices; both descriptions, because EC2-Classic-era accounts still see the VPC one. */
const PRODUCT_DESCRIPTIONS = ['Linux/UNIX', 'Linux/UNIX (Amazon VPC)'];
/** DescribeSpotPriceHistory's maximum page size. */
const PAGE_SIZE = 1000;

/** `<type>|<zone>` -> $/h. */
export type SpotPrices = ReadonlyMap<string, number>;

export function spotPriceKey(instanceType: string, zone: string): string {
  return `${instanceType}|${zone}`;
}

/** The current spot price of every type in every zone of the region, as of `now` (epoch ms). */
export async function fetchSpotPrices(api: Pick<Ec2Api, 'describeSpotPriceHistory'>, now: number): Promise<SpotPrices> {
  const records = await collectPages(
    (NextToken) =>
      api.describeSpotPriceHistory({
        StartTime: new Date(now),
        ProductDescriptions: PRODUCT_DESCRIPTIONS,
        MaxResults: PAGE_SIZE,
        ...(NextToken === undefined ? {} : { NextToken }),
      }),
    (page) => page.SpotPriceHistory,
  );
  const newest = new Map<string, { price: number; at: number }>();
  for (const record of records) {
    const price = Number(record.SpotPrice);
    if (!record.InstanceType || !record.AvailabilityZone || !Number.isFinite(price) || price <= 0) continue;
    const key = spotPriceKey(record.InstanceType, record.AvailabilityZone);
    const at = record.Timestamp?.getTime() ?? 0;
    const seen = newest.get(key);
    if (seen === undefined || at > seen.at) newest.set(key, { price, at });
  }
  return new Map([...newest].map(([key, { price }]) => [key, price]));
}
