// The Price List API's GetProducts over the simulated market: one product per instance type, its on-demand
// Linux price in the market (the catalogue's), each PriceList item a JSON *string* as the real API returns it
// (the adapter parses them in shared/adapters/aws/pricing/on-demand.ts). Bare metal is listed as dedicated
// tenancy with its own product family, which is why Karpenter (and the adapter) run two queries.
//
// TERM_MATCH filters compare a product field or attribute exactly; field names are matched without regard to
// case, as the API does (`capacitystatus`, `regionCode`).

import type { GetProductsCommandInput, GetProductsResponse } from '@aws-sdk/client-pricing';
import { fnv1a64 } from '../../core/hash.js';
import type { CatalogueEntry } from '../../core/instancetypes/catalogue.js';
import type { SimMarket } from './market.js';
import { paginate, QueryError } from './query.js';

const SERVICE_CODE = 'AmazonEC2';
/** The term code EC2 uses for every on-demand offer, and the rate code suffix of its hourly price. */
const ON_DEMAND_TERM = 'JRTCKXETXF';
const HOURLY_RATE = '6YS6EN2CT7';
const LOCATION_NAMES: Readonly<Record<string, string>> = { 'us-east-1': 'US East (N. Virginia)' };
/** The price list carries prices with 10 decimals. */
const PRICE_DECIMALS = 10;

/** The price list's `instanceFamily` attribute by Karpenter instance category (informational only). */
const INSTANCE_FAMILIES: Readonly<Record<string, string>> = {
  c: 'Compute optimized',
  r: 'Memory optimized',
  x: 'Memory optimized',
  z: 'Memory optimized',
  u: 'Memory optimized',
  i: 'Storage optimized',
  d: 'Storage optimized',
  g: 'GPU instance',
  p: 'GPU instance',
  inf: 'Machine Learning ASIC Instances',
  trn: 'Machine Learning ASIC Instances',
};

type Attributes = Record<string, string>;

interface Product {
  readonly productFamily: string;
  readonly attributes: Attributes;
  readonly json: string;
}

function sku(type: string, region: string): string {
  return fnv1a64(`${region}|${type}|sku`).toUpperCase();
}

function attributes(entry: CatalogueEntry, region: string): Attributes {
  const metal = entry.bareMetal === true;
  return {
    servicecode: SERVICE_CODE,
    servicename: 'Amazon Elastic Compute Cloud',
    instanceType: entry.name,
    instanceFamily: INSTANCE_FAMILIES[entry.category ?? ''] ?? 'General purpose',
    regionCode: region,
    location: LOCATION_NAMES[region] ?? region,
    locationType: 'AWS Region',
    operatingSystem: 'Linux',
    preInstalledSw: 'NA',
    licenseModel: 'No License required',
    capacitystatus: 'Used',
    marketoption: 'OnDemand',
    tenancy: metal ? 'Dedicated' : 'Shared',
    usagetype: `${metal ? 'DedicatedUsage' : 'BoxUsage'}:${entry.name}`,
    operation: 'RunInstances',
    vcpu: String(entry.vcpu ?? 0),
    memory: `${(entry.memoryMiB ?? 0) / 1024} GiB`,
    currentGeneration: entry.hypervisor === 'xen' ? 'No' : 'Yes',
    processorArchitecture: '64-bit',
  };
}

function productJson(entry: CatalogueEntry, price: number, attrs: Attributes, family: string, published: string) {
  const code = sku(entry.name, attrs.regionCode as string);
  const term = `${code}.${ON_DEMAND_TERM}`;
  const rate = `${term}.${HOURLY_RATE}`;
  return JSON.stringify({
    product: { productFamily: family, attributes: attrs, sku: code },
    serviceCode: SERVICE_CODE,
    terms: {
      OnDemand: {
        [term]: {
          priceDimensions: {
            [rate]: {
              unit: 'Hrs',
              endRange: 'Inf',
              description: `$${price} per On Demand Linux ${entry.name} Instance Hour`,
              appliesTo: [],
              rateCode: rate,
              beginRange: '0',
              pricePerUnit: { USD: price.toFixed(PRICE_DECIMALS) },
            },
          },
          sku: code,
          effectiveDate: published,
          offerTermCode: ON_DEMAND_TERM,
          termAttributes: {},
        },
      },
    },
    version: published.replace(/\D/g, '').slice(0, 14),
    publicationDate: published,
  });
}

export class SimPriceList {
  private readonly products: readonly Product[];

  /** `publishedAt`: the price list's publication time (epoch ms). */
  constructor(market: SimMarket, entries: readonly CatalogueEntry[], publishedAt: number) {
    const published = new Date(publishedAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
    this.products = entries.flatMap((entry) => {
      const price = market.onDemandPrice(entry.name);
      if (price === undefined) return [];
      const attrs = attributes(entry, market.region);
      const family = entry.bareMetal ? 'Compute Instance (bare metal)' : 'Compute Instance';
      return [{ productFamily: family, attributes: attrs, json: productJson(entry, price, attrs, family, published) }];
    });
  }

  private field(product: Product, name: string): string | undefined {
    const lower = name.toLowerCase();
    if (lower === 'productfamily') return product.productFamily;
    if (lower === 'servicecode') return SERVICE_CODE;
    const key = Object.keys(product.attributes).find((k) => k.toLowerCase() === lower);
    return key === undefined ? undefined : product.attributes[key];
  }

  getProducts(input: GetProductsCommandInput): GetProductsResponse {
    if (input.ServiceCode !== SERVICE_CODE) return { FormatVersion: 'aws_v1', PriceList: [] };
    const filters = input.Filters ?? [];
    for (const f of filters) {
      if (f.Type !== 'TERM_MATCH')
        throw new QueryError('InvalidParameterException', `Unsupported filter type ${f.Type}`);
    }
    const matched = this.products.filter((p) => filters.every((f) => this.field(p, f.Field ?? '') === f.Value));
    const page = paginate(matched, input, { operation: 'GetProducts', min: 1, max: 100, defaultSize: 100 });
    return {
      FormatVersion: 'aws_v1',
      PriceList: page.items.map((p) => p.json),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  }
}
