// On-demand prices from the Price List API (GetProducts, us-east-1 endpoint, PriceList items as JSON strings)
// over the bundled catalogue, and spot prices from DescribeSpotPriceHistory (research/aws-provider.md §f).

import { DescribeSpotPriceHistoryCommand } from '@aws-sdk/client-ec2';
import { GetProductsCommand, type GetProductsCommandInput } from '@aws-sdk/client-pricing';
import { beforeEach, describe, expect, it } from 'vitest';
import { ec2ApiFromClient } from '../../../shared/adapters/aws/ec2/api.js';
import { pricingRegion } from '../../../shared/adapters/aws/pricing/api.js';
import { parsePriceList } from '../../../shared/adapters/aws/pricing/on-demand.js';
import { PriceBook } from '../../../shared/adapters/aws/pricing/price-book.js';
import { bundledCatalogue } from '../../fixtures/instance-types.js';
import { awsError, type MockAws, mockAws, pricingFromMock, spotPrice, T0, testClock } from './aws-world.js';

/** One PriceList item as GetProducts returns it: a JSON document in a string. */
function priceItem(instanceType: string, usd: string, tenancy = 'Shared'): string {
  const sku = `SKU${instanceType.replace(/\W/g, '').toUpperCase()}`;
  return JSON.stringify({
    product: {
      productFamily: tenancy === 'Shared' ? 'Compute Instance' : 'Compute Instance (bare metal)',
      attributes: {
        instanceType,
        regionCode: 'us-east-1',
        operatingSystem: 'Linux',
        tenancy,
        preInstalledSw: 'NA',
        capacitystatus: 'Used',
        marketoption: 'OnDemand',
        usagetype: `BoxUsage:${instanceType}`,
        servicecode: 'AmazonEC2',
      },
      sku,
    },
    serviceCode: 'AmazonEC2',
    terms: {
      OnDemand: {
        [`${sku}.JRTCKXETXF`]: {
          offerTermCode: 'JRTCKXETXF',
          sku,
          effectiveDate: '2025-06-01T00:00:00Z',
          priceDimensions: {
            [`${sku}.JRTCKXETXF.6YS6EN2CT7`]: {
              unit: 'Hrs',
              endRange: 'Inf',
              beginRange: '0',
              description: `$${usd} per On Demand Linux ${instanceType} Instance Hour`,
              appliesTo: [],
              rateCode: `${sku}.JRTCKXETXF.6YS6EN2CT7`,
              pricePerUnit: { USD: usd },
            },
          },
          termAttributes: {},
        },
      },
    },
    version: '20250601000000',
    publicationDate: '2025-06-01T00:00:00Z',
  });
}

function priceBook(aws: MockAws, withPricing = true): PriceBook {
  return new PriceBook({
    ec2: ec2ApiFromClient(aws.ec2Client),
    ...(withPricing ? { pricing: pricingFromMock(aws) } : {}),
    region: 'us-east-1',
    bundled: bundledCatalogue(),
  });
}

describe('on-demand prices', () => {
  let aws: MockAws;
  beforeEach(() => {
    aws = mockAws();
  });

  it("queries GetProducts with Karpenter's filters, follows NextToken, and parses the JSON items", async () => {
    aws.pricing.on(GetProductsCommand).callsFake((input: GetProductsCommandInput) => {
      if (tenancyOf(input) === 'Dedicated') {
        return { FormatVersion: 'aws_v1', PriceList: [priceItem('m5.metal', '4.7000000000', 'Dedicated')] };
      }
      return input.NextToken === undefined
        ? { FormatVersion: 'aws_v1', PriceList: [priceItem('m5.large', '0.1000000000')], NextToken: 'n2' }
        : { FormatVersion: 'aws_v1', PriceList: [priceItem('m5.xlarge', '0.2000000000')] };
    });
    const prices = await priceBook(aws).prices(T0);
    expect(prices.onDemand('m5.large')).toBe(0.1);
    expect(prices.onDemand('m5.xlarge')).toBe(0.2);
    expect(prices.onDemand('m5.metal')).toBe(4.7);
    // A type the API did not return keeps the bundled price.
    expect(prices.onDemand('c6g.large')).toBe(0.068);
    expect(aws.pricing).toHaveReceivedCommandWith(GetProductsCommand, {
      ServiceCode: 'AmazonEC2',
      MaxResults: 100,
      Filters: [
        { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' },
        { Type: 'TERM_MATCH', Field: 'serviceCode', Value: 'AmazonEC2' },
        { Type: 'TERM_MATCH', Field: 'preInstalledSw', Value: 'NA' },
        { Type: 'TERM_MATCH', Field: 'operatingSystem', Value: 'Linux' },
        { Type: 'TERM_MATCH', Field: 'capacitystatus', Value: 'Used' },
        { Type: 'TERM_MATCH', Field: 'marketoption', Value: 'OnDemand' },
        { Type: 'TERM_MATCH', Field: 'tenancy', Value: 'Shared' },
        { Type: 'TERM_MATCH', Field: 'productFamily', Value: 'Compute Instance' },
      ],
    });
    expect(aws.pricing).toHaveReceivedCommandWith(GetProductsCommand, { NextToken: 'n2' });
  });

  it('falls back to the bundled catalogue when the Price List API fails', async () => {
    aws.pricing.on(GetProductsCommand).rejects(awsError('AccessDeniedException'));
    const prices = await priceBook(aws).prices(T0);
    expect(prices.onDemand('m5.large')).toBe(0.096);
  });

  it('refuses an empty answer rather than forgetting every price', async () => {
    aws.pricing.on(GetProductsCommand).resolves({ FormatVersion: 'aws_v1', PriceList: [] });
    const prices = await priceBook(aws).prices(T0);
    expect(prices.onDemand('m5.large')).toBe(0.096);
  });

  it('uses the bundled prices without a Pricing client', async () => {
    const prices = await priceBook(aws, false).prices(T0);
    expect(prices.onDemand('m5.xlarge')).toBe(0.192);
    expect(aws.pricing).not.toHaveReceivedCommand(GetProductsCommand);
  });
});

describe('parsePriceList', () => {
  it('skips zero prices and unreadable items', () => {
    const prices = parsePriceList([priceItem('t3.nano', '0.0000000000'), '{not json', priceItem('t3.micro', '0.0104')]);
    expect([...prices]).toEqual([['t3.micro', 0.0104]]);
  });
});

describe('pricingRegion', () => {
  it('asks us-east-1, ap-south-1, eu-central-1 or cn-northwest-1', () => {
    expect(pricingRegion('us-west-2')).toBe('us-east-1');
    expect(pricingRegion('ap-northeast-1')).toBe('ap-south-1');
    expect(pricingRegion('eu-west-1')).toBe('eu-central-1');
    expect(pricingRegion('cn-north-1')).toBe('cn-northwest-1');
    expect(pricingRegion('sa-east-1')).toBe('us-east-1');
  });
});

describe('spot prices', () => {
  it('follows NextToken and keeps the last good prices when a refresh fails', async () => {
    const aws = mockAws();
    aws.ec2
      .on(DescribeSpotPriceHistoryCommand)
      .resolvesOnce({ SpotPriceHistory: [spotPrice('m5.large', 'us-east-1a', '0.031000')], NextToken: 's2' })
      .resolvesOnce({ SpotPriceHistory: [spotPrice('m5.large', 'us-east-1b', '0.033000')] })
      .rejects(awsError('RequestLimitExceeded'));
    const clock = testClock();
    const book = priceBook(aws, false);
    let prices = await book.prices(clock.now());
    expect([prices.spot('m5.large', 'us-east-1a'), prices.spot('m5.large', 'us-east-1b')]).toEqual([0.031, 0.033]);
    expect(prices.spot('m5.large', 'us-east-1c')).toBeUndefined();
    expect(aws.ec2).toHaveReceivedNthCommandWith(DescribeSpotPriceHistoryCommand, 2, {
      NextToken: 's2',
      MaxResults: 1000,
    });
    clock.advance(13 * 3600_000);
    prices = await book.prices(clock.now());
    expect(prices.spot('m5.large', 'us-east-1a')).toBe(0.031);
  });
});

/** The tenancy a GetProducts query asks for. */
function tenancyOf(input: GetProductsCommandInput): string | undefined {
  return input.Filters?.find((f) => f.Field === 'tenancy')?.Value;
}
