// On-demand Linux prices of a region from the Price List API (research/aws-provider.md §f): two GetProducts
// queries, shared-tenancy instances and dedicated bare metal (bare metal is only listed as "Dedicated"), each
// paginated, each PriceList item a JSON document to parse.

import type { Filter, GetProductsCommandOutput } from '@aws-sdk/client-pricing';
import { collectPages } from '../ec2/api.js';
import type { PricingApi } from './api.js';

const SERVICE_CODE = 'AmazonEC2';
/** GetProducts' maximum page size. */
const PAGE_SIZE = 100;

type Product = {
  product?: { attributes?: { instanceType?: string } };
  terms?: {
    OnDemand?: Record<string, { priceDimensions?: Record<string, { pricePerUnit?: Record<string, string> }> }>;
  };
};

function termMatch(field: string, value: string): Filter {
  return { Type: 'TERM_MATCH', Field: field, Value: value };
}

/** Karpenter's filters: Linux, no pre-installed software, capacity actually used (not reservations), on demand. */
function filters(region: string, tenancy: string, productFamily: string): Filter[] {
  return [
    termMatch('regionCode', region),
    termMatch('serviceCode', SERVICE_CODE),
    termMatch('preInstalledSw', 'NA'),
    termMatch('operatingSystem', 'Linux'),
    termMatch('capacitystatus', 'Used'),
    termMatch('marketoption', 'OnDemand'),
    termMatch('tenancy', tenancy),
    termMatch('productFamily', productFamily),
  ];
}

/** Items are JSON strings, or the SDK's lazy JSON strings (String objects), or already parsed objects. */
function parseItem(item: unknown): Product | undefined {
  try {
    return typeof item === 'string' || item instanceof String
      ? (JSON.parse(String(item)) as Product)
      : (item as Product);
  } catch {
    return undefined;
  }
}

/** The first non-zero price of an item in `currency`; zero prices (free tiers, placeholders) are skipped. */
function itemPrice(product: Product, currency: string): number | undefined {
  for (const term of Object.values(product.terms?.OnDemand ?? {})) {
    for (const dimension of Object.values(term.priceDimensions ?? {})) {
      const price = Number(dimension.pricePerUnit?.[currency]);
      if (Number.isFinite(price) && price > 0) return price;
    }
  }
  return undefined;
}

/** Instance type -> $/h from a list of PriceList items. */
export function parsePriceList(items: readonly unknown[], currency = 'USD'): Map<string, number> {
  const prices = new Map<string, number>();
  for (const item of items) {
    const product = parseItem(item);
    const type = product?.product?.attributes?.instanceType;
    const price = product === undefined ? undefined : itemPrice(product, currency);
    if (type !== undefined && price !== undefined) prices.set(type, price);
  }
  return prices;
}

async function query(api: PricingApi, region: string, tenancy: string, productFamily: string): Promise<unknown[]> {
  return collectPages(
    (NextToken) =>
      api.getProducts({
        ServiceCode: SERVICE_CODE,
        Filters: filters(region, tenancy, productFamily),
        MaxResults: PAGE_SIZE,
        ...(NextToken === undefined ? {} : { NextToken }),
      }),
    (page: GetProductsCommandOutput) => (page.PriceList as readonly unknown[] | undefined) ?? [],
  );
}

/**
 * On-demand $/h per instance type in `region`. Throws when either query fails or comes back empty (an empty
 * answer means a wrong region or filter, and must not wipe known prices), as Karpenter does.
 */
export async function fetchOnDemandPrices(api: PricingApi, region: string): Promise<Map<string, number>> {
  const currency = region.startsWith('cn-') ? 'CNY' : 'USD';
  const [shared, metal] = await Promise.all([
    query(api, region, 'Shared', 'Compute Instance'),
    query(api, region, 'Dedicated', 'Compute Instance (bare metal)'),
  ]);
  if (shared.length === 0 || metal.length === 0) {
    throw new Error(`the Price List API returned no on-demand EC2 prices for ${region}`);
  }
  return new Map([...parsePriceList(metal, currency), ...parsePriceList(shared, currency)]);
}
