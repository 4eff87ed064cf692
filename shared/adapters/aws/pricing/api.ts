// The narrow port the price book calls the AWS Price List API through (see ../ec2/api.ts for why ports): one
// method, GetProducts, with the SDK's own types. The simulator implements it, or leaves it out and the bundled
// catalogue's prices apply.

import {
  GetProductsCommand,
  type GetProductsCommandInput,
  type GetProductsCommandOutput,
  type PricingClient,
} from '@aws-sdk/client-pricing';

export interface PricingApi {
  getProducts(input: GetProductsCommandInput): Promise<GetProductsCommandOutput>;
}

export function pricingApiFromClient(client: PricingClient): PricingApi {
  return { getProducts: (input) => client.send(new GetProductsCommand(input)) };
}

/** The Price List API answers in a few regions only; the rest of the world asks us-east-1 (§f, §j.6). */
const PRICING_ENDPOINT_REGIONS: readonly (readonly [prefix: string, region: string])[] = [
  ['ap-', 'ap-south-1'],
  ['eu-', 'eu-central-1'],
  ['cn-', 'cn-northwest-1'],
];
const DEFAULT_PRICING_REGION = 'us-east-1';

/** The region to create the Pricing client in for a cluster in `region`. */
export function pricingRegion(region: string): string {
  return PRICING_ENDPOINT_REGIONS.find(([prefix]) => region.startsWith(prefix))?.[1] ?? DEFAULT_PRICING_REGION;
}
