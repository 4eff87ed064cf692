// The simulated account's read side, called as the adapter calls it: the catalogue and its pagination, zone
// offerings, spot prices as strings, the Price List's JSON strings, the discovery-tagged VPC, and the public AMI
// parameters and images behind the al2023 and bottlerocket aliases.

import { describe, expect, it } from 'vitest';
import { isNotFound } from '../../../shared/adapters/aws/errors.js';
import { parsePriceList } from '../../../shared/adapters/aws/pricing/on-demand.js';
import { syntheticSpotPrice } from '../../../shared/core/instancetypes/market.js';
import { filter } from '../../../shared/sim/ec2/query.js';
import { catalogueEntry } from '../../fixtures/instance-types.js';
import { simWorld } from './sim-world.js';

const AL2023 = '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023';

describe('DescribeInstanceTypes', () => {
  it('pages with MaxResults and a NextToken bound to its query', async () => {
    const { ec2 } = simWorld();
    const query = { Filters: [filter('instance-type', 'm5.*')], MaxResults: 5 };
    const first = await ec2.describeInstanceTypes(query);
    expect(first.InstanceTypes?.map((t) => t.InstanceType)).toHaveLength(5);
    expect(first.NextToken).toBeTruthy();
    const second = await ec2.describeInstanceTypes({ ...query, NextToken: first.NextToken });
    expect(second.InstanceTypes?.[0]?.InstanceType).not.toBe(first.InstanceTypes?.[0]?.InstanceType);
    await expect(
      ec2.describeInstanceTypes({ Filters: [filter('instance-type', 'c5.*')], NextToken: first.NextToken }),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(ec2.describeInstanceTypes({ MaxResults: 101 })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('between 5 and 100'),
    });
  });

  it('filters as EC2 does, and refuses unknown filters and types', async () => {
    const { ec2 } = simWorld();
    const arm = await ec2.describeInstanceTypes({
      Filters: [filter('processor-info.supported-architecture', 'arm64'), filter('instance-type', 'm7g.l*')],
    });
    expect(arm.InstanceTypes?.map((t) => t.InstanceType)).toEqual(['m7g.large']);
    await expect(ec2.describeInstanceTypes({ Filters: [filter('colour', 'blue')] })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: "The filter 'colour' is invalid",
    });
    await expect(ec2.describeInstanceTypes({ InstanceTypes: ['m99.large' as never] })).rejects.toMatchObject({
      name: 'InvalidInstanceType',
    });
  });
});

describe('DescribeInstanceTypeOfferings and DescribeSpotPriceHistory', () => {
  it('offers every type in us-east-1a, b and c (or the region, or zone ids)', async () => {
    const { ec2 } = simWorld();
    const zones = await ec2.describeInstanceTypeOfferings({
      LocationType: 'availability-zone',
      Filters: [filter('instance-type', 'm5.large')],
    });
    expect(zones.InstanceTypeOfferings).toEqual(
      ['us-east-1a', 'us-east-1b', 'us-east-1c'].map((Location) => ({
        InstanceType: 'm5.large',
        LocationType: 'availability-zone',
        Location,
      })),
    );
    const ids = await ec2.describeInstanceTypeOfferings({
      LocationType: 'availability-zone-id',
      Filters: [filter('instance-type', 'm5.large')],
    });
    expect(ids.InstanceTypeOfferings?.map((o) => o.Location)).toEqual(['use1-az1', 'use1-az2', 'use1-az4']);
    const region = await ec2.describeInstanceTypeOfferings({ Filters: [filter('instance-type', 'm5.large')] });
    expect(region.InstanceTypeOfferings?.map((o) => o.Location)).toEqual(['us-east-1']);
  });

  it('prices spot from the synthetic market, as strings, with the price in force at StartTime', async () => {
    const { ec2, clock } = simWorld();
    const now = new Date(clock.now());
    const query = { StartTime: now, InstanceTypes: ['m5.large' as const], AvailabilityZone: 'us-east-1a' };
    const [record] = (await ec2.describeSpotPriceHistory(query)).SpotPriceHistory ?? [];
    const expected = syntheticSpotPrice(
      'm5.large',
      'us-east-1a',
      catalogueEntry('m5.large').onDemandPriceUSD as number,
    );
    expect(record).toMatchObject({
      AvailabilityZone: 'us-east-1a',
      InstanceType: 'm5.large',
      ProductDescription: 'Linux/UNIX',
      SpotPrice: expected.toFixed(6),
    });
    expect(record?.Timestamp?.getTime()).toBeLessThanOrEqual(clock.now());
    ec2.market.setSpotPrice('m5.large', 'us-east-1a', 0.05, clock.now() + 60_000);
    await clock.advance(120_000);
    const later = await ec2.describeSpotPriceHistory({ ...query, StartTime: new Date(clock.now()) });
    expect(later.SpotPriceHistory?.map((p) => p.SpotPrice)).toEqual(['0.050000']);
    const history = await ec2.describeSpotPriceHistory(query);
    expect(history.SpotPriceHistory?.map((p) => p.SpotPrice)).toEqual(['0.050000', expected.toFixed(6)]);
    expect(history.NextToken).toBe('');
  });
});

describe('Pricing GetProducts', () => {
  it('returns PriceList items as JSON strings the adapter parses back to the catalogue prices', async () => {
    const { ec2 } = simWorld();
    const terms = (tenancy: string, productFamily: string) =>
      ['regionCode=us-east-1', 'operatingSystem=Linux', 'capacitystatus=Used', `tenancy=${tenancy}`]
        .map((kv) => kv.split('='))
        .concat([['productFamily', productFamily]])
        .map(([Field, Value]) => ({ Type: 'TERM_MATCH' as const, Field, Value }));
    const page = await ec2.getProducts({
      ServiceCode: 'AmazonEC2',
      Filters: terms('Shared', 'Compute Instance'),
      MaxResults: 100,
    });
    expect(page.FormatVersion).toBe('aws_v1');
    expect(typeof page.PriceList?.[0]).toBe('string');
    expect(page.NextToken).toBeTruthy();
    const product = JSON.parse(page.PriceList?.[0] as string);
    expect(product.product.attributes).toMatchObject({
      operatingSystem: 'Linux',
      tenancy: 'Shared',
      capacitystatus: 'Used',
    });
    const metal = await ec2.getProducts({
      ServiceCode: 'AmazonEC2',
      Filters: terms('Dedicated', 'Compute Instance (bare metal)'),
    });
    const prices = parsePriceList(metal.PriceList as string[]);
    expect(prices.get('m5.metal')).toBe(4.608);
    expect(prices.has('m5.large')).toBe(false);
  });
});

describe('the VPC', () => {
  it('has one discovery-tagged subnet per zone, whose free addresses fall as instances launch', async () => {
    const { ec2 } = simWorld();
    const { Subnets } = await ec2.describeSubnets({ Filters: [filter('tag:karpenter.sh/discovery', 'my-cluster')] });
    expect(Subnets?.map((s) => [s.AvailabilityZone, s.CidrBlock, s.AvailableIpAddressCount])).toEqual([
      ['us-east-1a', '10.0.0.0/19', 8187],
      ['us-east-1b', '10.0.32.0/19', 8187],
      ['us-east-1c', '10.0.64.0/19', 8187],
    ]);
    const subnetId = Subnets?.[1]?.SubnetId as string;
    expect(ec2.network.allocateIp(subnetId)).toBe('10.0.32.4');
    const after = await ec2.describeSubnets({ SubnetIds: [subnetId] });
    expect(after.Subnets?.[0]?.AvailableIpAddressCount).toBe(8186);
    await expect(ec2.describeSubnets({ SubnetIds: ['subnet-0000000000000000f'] })).rejects.toMatchObject({
      name: 'InvalidSubnetID.NotFound',
    });
  });

  it('selects the cluster security group by tag, and the default group by name', async () => {
    const { ec2 } = simWorld();
    const tagged = await ec2.describeSecurityGroups({ Filters: [filter('tag-key', 'karpenter.sh/discovery')] });
    expect(tagged.SecurityGroups?.map((g) => g.GroupName)).toEqual([
      expect.stringMatching(/^eks-cluster-sg-my-cluster-/),
    ]);
    const byName = await ec2.describeSecurityGroups({ Filters: [filter('group-name', 'default')] });
    expect(byName.SecurityGroups?.map((g) => g.Description)).toEqual(['default VPC security group']);
  });
});

describe('AMI parameters and images', () => {
  it('publishes the al2023 parameters per architecture and variant, except arm64 neuron', async () => {
    const { ec2 } = simWorld();
    for (const path of ['x86_64/standard', 'x86_64/nvidia', 'x86_64/neuron', 'arm64/standard', 'arm64/nvidia']) {
      const { Parameter } = await ec2.getParameter({ Name: `${AL2023}/${path}/recommended/image_id` });
      expect(Parameter?.Value).toMatch(/^ami-0[0-9a-f]{16}$/);
    }
    const missing = await ec2.getParameter({ Name: `${AL2023}/arm64/neuron/recommended/image_id` }).catch((e) => e);
    expect(missing).toMatchObject({ name: 'ParameterNotFound', $fault: 'client' });
    expect(isNotFound(missing)).toBe(true);
  });

  it('resolves bottlerocket latest and pinned versions, and moves latest on a release', async () => {
    const { ec2 } = simWorld();
    const latest = '/aws/service/bottlerocket/aws-k8s-1.33/arm64/latest/image_id';
    const before = (await ec2.getParameter({ Name: latest })).Parameter?.Value;
    const pinned = (await ec2.getParameter({ Name: '/aws/service/bottlerocket/aws-k8s-1.33/arm64/1.40.0/image_id' }))
      .Parameter?.Value;
    expect(pinned).toBe(before);
    expect(ec2.releaseAmis().bottlerocket).toBe('1.41.0');
    const after = (await ec2.getParameter({ Name: latest })).Parameter;
    expect(after?.Value).not.toBe(before);
    expect(after?.Version).toBe(3);
  });

  it('describes the images the parameters name', async () => {
    const { ec2 } = simWorld();
    const id = (await ec2.getParameter({ Name: `${AL2023}/arm64/standard/recommended/image_id` })).Parameter?.Value;
    const { Images } = await ec2.describeImages({ ImageIds: [id as string] });
    expect(Images?.[0]).toMatchObject({
      ImageId: id,
      Architecture: 'arm64',
      State: 'available',
      ImageOwnerAlias: 'amazon',
    });
    expect(Images?.[0]?.Name).toMatch(/^amazon-eks-node-al2023-arm64-standard-1\.33-v\d{8}$/);
    const named = await ec2.describeImages({
      Owners: ['amazon'],
      Filters: [filter('name', 'amazon-eks-node-al2023-x86_64-standard-1.33-*'), filter('state', 'available')],
    });
    expect(named.Images).toHaveLength(2);
  });
});
