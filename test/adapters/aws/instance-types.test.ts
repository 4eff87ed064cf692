// Instance types and offerings of a node class from EC2: DescribeInstanceTypes and
// DescribeInstanceTypeOfferings paginated, spot prices per zone, availability rules (research/aws-provider.md
// §b.1), the unavailable-offerings cache on an injected clock.

import {
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeSpotPriceHistoryCommand,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { InstanceType, Offering } from '../../../shared/core/model/instancetype.js';
import {
  awsError,
  type MockAws,
  mockAws,
  nodeClassFixture,
  provider,
  spotPrice,
  T0,
  testClock,
  ZONES,
} from './aws-world.js';
import { C6G_LARGE, M5_LARGE, M5_XLARGE } from './instance-type-infos.js';

const MINUTE = 60_000;
const { doc, nodeClass } = nodeClassFixture();

function offering(types: readonly InstanceType[], name: string, zone: string, capacityType: string): Offering {
  const o = types
    .find((t) => t.name === name)
    ?.offerings.find((x) => x.zone === zone && x.capacityType === capacityType);
  if (!o) throw new Error(`${name} has no ${capacityType} offering in ${zone}`);
  return o;
}

describe('instanceTypes', () => {
  let aws: MockAws;
  beforeEach(() => {
    aws = mockAws();
  });

  it('follows NextToken through DescribeInstanceTypes and DescribeInstanceTypeOfferings', async () => {
    aws.ec2
      .on(DescribeInstanceTypesCommand)
      .resolvesOnce({ InstanceTypes: [M5_LARGE], NextToken: 'page-2' })
      .resolvesOnce({ InstanceTypes: [M5_XLARGE] });
    aws.ec2
      .on(DescribeInstanceTypeOfferingsCommand)
      .resolvesOnce({
        InstanceTypeOfferings: [
          { InstanceType: 'm5.large', LocationType: 'availability-zone', Location: 'us-east-1a' },
        ],
        NextToken: 'offerings-2',
      })
      .resolvesOnce({
        InstanceTypeOfferings: [
          { InstanceType: 'm5.xlarge', LocationType: 'availability-zone', Location: 'us-east-1b' },
        ],
      });
    const types = await provider(aws, testClock(), doc).instanceTypes(nodeClass);
    expect(types.map((t) => t.name)).toEqual(['m5.large', 'm5.xlarge']);
    expect(aws.ec2).toHaveReceivedNthCommandWith(DescribeInstanceTypesCommand, 1, {
      Filters: [
        { Name: 'supported-virtualization-type', Values: ['hvm'] },
        { Name: 'processor-info.supported-architecture', Values: ['x86_64', 'arm64'] },
      ],
      MaxResults: 100,
    });
    expect(aws.ec2).toHaveReceivedNthCommandWith(DescribeInstanceTypesCommand, 2, { NextToken: 'page-2' });
    expect(aws.ec2).toHaveReceivedNthCommandWith(DescribeInstanceTypeOfferingsCommand, 1, {
      LocationType: 'availability-zone',
      MaxResults: 1000,
    });
    expect(aws.ec2).toHaveReceivedNthCommandWith(DescribeInstanceTypeOfferingsCommand, 2, { NextToken: 'offerings-2' });
    expect(offering(types, 'm5.large', 'us-east-1a', 'on-demand').available).toBe(true);
    expect(offering(types, 'm5.large', 'us-east-1b', 'on-demand').available).toBe(false);
    expect(offering(types, 'm5.xlarge', 'us-east-1b', 'on-demand').available).toBe(true);
  });

  it('prices spot per zone from the newest record, and leaves spot unavailable where there is none', async () => {
    aws.ec2.on(DescribeSpotPriceHistoryCommand).resolves({
      SpotPriceHistory: [
        spotPrice('m5.large', 'us-east-1a', '0.050000', new Date(T0 - 2 * 3600_000)),
        spotPrice('m5.large', 'us-east-1a', '0.035400', new Date(T0 - 600_000)),
      ],
    });
    const types = await provider(aws, testClock(), doc).instanceTypes(nodeClass);
    expect(aws.ec2).toHaveReceivedCommandWith(DescribeSpotPriceHistoryCommand, {
      StartTime: new Date(T0),
      ProductDescriptions: ['Linux/UNIX', 'Linux/UNIX (Amazon VPC)'],
    });
    expect(offering(types, 'm5.large', 'us-east-1a', 'spot')).toEqual({
      zone: 'us-east-1a',
      capacityType: 'spot',
      price: 0.0354,
      available: true,
    });
    expect(offering(types, 'm5.large', 'us-east-1b', 'spot')).toMatchObject({ available: false, price: 0 });
    // On demand comes from the bundled catalogue when no Pricing client is given.
    expect(offering(types, 'm5.large', 'us-east-1b', 'on-demand')).toMatchObject({ price: 0.096, available: true });
  });

  it('offers only zones where the node class has a subnet', async () => {
    const types = await provider(aws, testClock(), doc).instanceTypes(nodeClass);
    const zones = new Set(types.flatMap((t) => t.offerings.map((o) => o.zone)));
    expect([...zones].sort()).toEqual([ZONES[0], ZONES[1]]);
  });

  it('resolves allocatable with the core formulas (m5.large: 1930m, 6903Mi, 29 pods)', async () => {
    const types = await provider(aws, testClock(), doc).instanceTypes(nodeClass);
    const m5 = types.find((t) => t.name === 'm5.large');
    expect(m5?.allocatable).toMatchObject({ cpu: 1930, memory: 6903 * 2 ** 20, pods: 29 });
    expect(m5?.labels['topology.kubernetes.io/region']).toBe('us-east-1');
  });

  it('leaves out types no AMI of the class can boot', async () => {
    aws.ssm
      .on(GetParameterCommand, {
        Name: '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/arm64/standard/recommended/image_id',
      })
      .rejects(awsError('ParameterNotFound'));
    aws.ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [M5_LARGE, C6G_LARGE] });
    const types = await provider(aws, testClock(), doc).instanceTypes(nodeClass);
    expect(types.map((t) => t.name)).toEqual(['m5.large']);
  });

  it('marks an offering unavailable for 3 minutes, then offers it again', async () => {
    const clock = testClock();
    const cloud = provider(aws, clock, doc);
    await cloud.instanceTypes(nodeClass);
    cloud.markUnavailable({ instanceType: 'm5.large', zone: 'us-east-1a', capacityType: 'spot' });
    let types = await cloud.instanceTypes(nodeClass);
    expect(offering(types, 'm5.large', 'us-east-1a', 'spot').available).toBe(false);
    expect(offering(types, 'm5.large', 'us-east-1b', 'spot').available).toBe(true);
    expect(offering(types, 'm5.large', 'us-east-1a', 'on-demand').available).toBe(true);
    clock.advance(3 * MINUTE - 1);
    types = await cloud.instanceTypes(nodeClass);
    expect(offering(types, 'm5.large', 'us-east-1a', 'spot').available).toBe(false);
    clock.advance(1);
    types = await cloud.instanceTypes(nodeClass);
    expect(offering(types, 'm5.large', 'us-east-1a', 'spot').available).toBe(true);
  });

  it('describes the catalogue once per 12 hours, not once per call', async () => {
    const clock = testClock();
    const cloud = provider(aws, clock, doc);
    await cloud.instanceTypes(nodeClass);
    clock.advance(6 * MINUTE);
    await cloud.instanceTypes(nodeClass);
    expect(aws.ec2).toHaveReceivedCommandTimes(DescribeInstanceTypesCommand, 1);
    clock.advance(12 * 60 * MINUTE);
    await cloud.instanceTypes(nodeClass);
    expect(aws.ec2).toHaveReceivedCommandTimes(DescribeInstanceTypesCommand, 2);
  });

  it('keeps the last good catalogue when a refresh fails', async () => {
    const clock = testClock();
    const cloud = provider(aws, clock, doc);
    await cloud.instanceTypes(nodeClass);
    aws.ec2.on(DescribeInstanceTypesCommand).rejects(awsError('InternalError'));
    clock.advance(13 * 60 * MINUTE);
    const types = await cloud.instanceTypes(nodeClass);
    expect(types.map((t) => t.name)).toContain('m5.large');
  });
});
