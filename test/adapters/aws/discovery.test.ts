// Discovery from node-class selector terms (research/aws-provider.md §b.3–b.5): subnets, security groups and
// AMIs, including aliases resolved through the public SSM parameters.

import {
  DescribeImagesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  type Image,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { aliasParameters } from '../../../shared/adapters/aws/ec2/ami-aliases.js';
import { AmiDiscovery, amiFor } from '../../../shared/adapters/aws/ec2/amis.js';
import { amiParametersFromClient, ec2ApiFromClient } from '../../../shared/adapters/aws/ec2/api.js';
import { describeSecurityGroups } from '../../../shared/adapters/aws/ec2/security-groups.js';
import { describeSubnets, subnetPerZone } from '../../../shared/adapters/aws/ec2/subnets.js';
import { UnavailableOfferings } from '../../../shared/adapters/aws/ec2/unavailable-offerings.js';
import { bundledType } from '../../fixtures/instance-types.js';
import { AL2023_AMD64, AL2023_ARM64, awsError, type MockAws, mockAws, subnet, T0 } from './aws-world.js';

describe('subnets', () => {
  let aws: MockAws;
  beforeEach(() => {
    aws = mockAws();
  });

  it('turns tag terms into tag filters and merges id terms into one query', async () => {
    aws.ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [subnet('subnet-0aaa', 'us-east-1a', 10)] });
    await describeSubnets(ec2ApiFromClient(aws.ec2Client), [
      { tags: { 'karpenter.sh/discovery': 'my-cluster', tier: '*' } },
      { id: 'subnet-0aaa' },
      { id: 'subnet-0bbb' },
    ]);
    expect(aws.ec2).toHaveReceivedCommandWith(DescribeSubnetsCommand, {
      Filters: [{ Name: 'subnet-id', Values: ['subnet-0aaa', 'subnet-0bbb'] }],
      MaxResults: 500,
    });
    expect(aws.ec2).toHaveReceivedCommandWith(DescribeSubnetsCommand, {
      Filters: [
        { Name: 'tag:karpenter.sh/discovery', Values: ['my-cluster'] },
        { Name: 'tag-key', Values: ['tier'] },
      ],
    });
  });

  it('de-duplicates subnets found by several terms and follows NextToken', async () => {
    aws.ec2
      .on(DescribeSubnetsCommand)
      .resolvesOnce({ Subnets: [subnet('subnet-0aaa', 'us-east-1a', 10)], NextToken: 'more' })
      .resolvesOnce({ Subnets: [subnet('subnet-0bbb', 'us-east-1b', 10)] })
      .resolves({ Subnets: [subnet('subnet-0aaa', 'us-east-1a', 10)] });
    const found = await describeSubnets(ec2ApiFromClient(aws.ec2Client), [{ tags: { a: 'b' } }, { tags: { c: 'd' } }]);
    expect(found.map((s) => s.id)).toEqual(['subnet-0aaa', 'subnet-0bbb']);
  });

  it('picks per zone the subnet with the most free addresses, skipping those out of addresses', () => {
    const subnets = [
      { id: 'subnet-a1', zone: 'us-east-1a', availableIps: 100 },
      { id: 'subnet-a2', zone: 'us-east-1a', availableIps: 8000 },
      { id: 'subnet-b1', zone: 'us-east-1b', availableIps: 50 },
    ];
    const unavailable = new UnavailableOfferings();
    expect([...subnetPerZone(subnets, unavailable, T0)].map(([z, s]) => [z, s.id])).toEqual([
      ['us-east-1a', 'subnet-a2'],
      ['us-east-1b', 'subnet-b1'],
    ]);
    unavailable.markSubnet('subnet-a2', T0);
    expect(subnetPerZone(subnets, unavailable, T0).get('us-east-1a')?.id).toBe('subnet-a1');
    unavailable.markSubnet('subnet-a1', T0);
    expect(subnetPerZone(subnets, unavailable, T0).has('us-east-1a')).toBe(false);
  });
});

describe('security groups', () => {
  it('selects by id, tags and name, sorted by id', async () => {
    const aws = mockAws();
    aws.ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        { GroupId: 'sg-0bbb', GroupName: 'nodes' },
        { GroupId: 'sg-0aaa', GroupName: 'cluster' },
      ],
    });
    const groups = await describeSecurityGroups(ec2ApiFromClient(aws.ec2Client), [
      { id: 'sg-0aaa' },
      { name: 'nodes' },
      { tags: { 'karpenter.sh/discovery': 'my-cluster' } },
    ]);
    expect(groups.map((g) => g.id)).toEqual(['sg-0aaa', 'sg-0bbb']);
    expect(aws.ec2).toHaveReceivedCommandWith(DescribeSecurityGroupsCommand, {
      Filters: [{ Name: 'group-name', Values: ['nodes'] }],
    });
    expect(aws.ec2).toHaveReceivedCommandTimes(DescribeSecurityGroupsCommand, 3);
  });
});

describe('AMI aliases', () => {
  it('names one AL2023 parameter per architecture and variant, without arm64 Neuron', () => {
    const names = aliasParameters('al2023@latest', '1.33')?.map((p) => p.name);
    expect(names).toEqual([
      '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id',
      '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/nvidia/recommended/image_id',
      '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/neuron/recommended/image_id',
      '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/arm64/standard/recommended/image_id',
      '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/arm64/nvidia/recommended/image_id',
    ]);
  });

  it('pins AL2023 and Bottlerocket releases in their own spellings', () => {
    expect(aliasParameters('al2023@v20250505', '1.32')?.[0]?.name).toBe(
      '/aws/service/eks/optimized-ami/1.32/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.32-v20250505/image_id',
    );
    expect(aliasParameters('bottlerocket@v1.39.1', '1.33')).toEqual([
      {
        name: '/aws/service/bottlerocket/aws-k8s-1.33/x86_64/1.39.1/image_id',
        arch: 'amd64',
        variants: ['standard', 'neuron'],
      },
      {
        name: '/aws/service/bottlerocket/aws-k8s-1.33-nvidia/x86_64/1.39.1/image_id',
        arch: 'amd64',
        variants: ['nvidia'],
      },
      {
        name: '/aws/service/bottlerocket/aws-k8s-1.33/arm64/1.39.1/image_id',
        arch: 'arm64',
        variants: ['standard', 'neuron'],
      },
      {
        name: '/aws/service/bottlerocket/aws-k8s-1.33-nvidia/arm64/1.39.1/image_id',
        arch: 'arm64',
        variants: ['nvidia'],
      },
    ]);
  });

  it('resolves an alias through SSM, skipping parameters that do not exist, and caches the values', async () => {
    const aws = mockAws();
    const discovery = new AmiDiscovery({
      ec2: ec2ApiFromClient(aws.ec2Client),
      ssm: amiParametersFromClient(aws.ssmClient),
    });
    const amis = await discovery.get([{ alias: 'al2023@latest' }], '1.33', T0);
    expect(amis).toEqual([
      { id: AL2023_AMD64, arch: 'amd64', variants: ['standard'] },
      { id: AL2023_ARM64, arch: 'arm64', variants: ['standard'] },
    ]);
    expect(aws.ssm).toHaveReceivedCommandTimes(GetParameterCommand, 5);
    await discovery.get([{ alias: 'al2023@latest' }], '1.33', T0 + 10 * 60_000);
    // The AMI list expired after 5 min, the SSM values (missing ones included) did not.
    expect(aws.ssm).toHaveReceivedCommandTimes(GetParameterCommand, 5);
    expect(aws.ec2).not.toHaveReceivedCommand(DescribeImagesCommand);
  });

  it('gives each type the AMI of its architecture and accelerator variant', () => {
    const amis = [
      { id: 'ami-std', arch: 'amd64', variants: ['standard'] as const },
      { id: 'ami-gpu', arch: 'amd64', variants: ['nvidia'] as const },
      { id: 'ami-arm', arch: 'arm64', variants: ['standard'] as const },
    ];
    expect(amiFor(amis, bundledType('m5.large'))?.id).toBe('ami-std');
    expect(amiFor(amis, bundledType('g4dn.8xlarge'))?.id).toBe('ami-gpu');
    expect(amiFor(amis, bundledType('c6g.large'))?.id).toBe('ami-arm');
    expect(amiFor(amis, bundledType('inf2.xlarge'))).toBeUndefined();
  });
});

describe('AMIs by selector terms', () => {
  function image(id: string, name: string, created: string, overrides: Partial<Image> = {}): Image {
    return {
      ImageId: id,
      Name: name,
      Architecture: 'x86_64',
      CreationDate: created,
      State: 'available',
      OwnerId: '123456789012',
      ImageType: 'machine',
      RootDeviceType: 'ebs',
      VirtualizationType: 'hvm',
      ...overrides,
    };
  }

  it('keeps the newest non-deprecated image per architecture', async () => {
    const aws = mockAws();
    aws.ec2.on(DescribeImagesCommand).resolves({
      Images: [
        image('ami-old', 'node-2025-01', '2025-01-10T10:00:00.000Z'),
        image('ami-new', 'node-2025-05', '2025-05-10T10:00:00.000Z'),
        image('ami-newest-deprecated', 'node-2025-06', '2025-06-01T10:00:00.000Z', {
          DeprecationTime: '2025-06-05T00:00:00.000Z',
        }),
        image('ami-arm', 'node-arm', '2025-02-01T10:00:00.000Z', { Architecture: 'arm64' }),
      ],
    });
    const discovery = new AmiDiscovery({
      ec2: ec2ApiFromClient(aws.ec2Client),
      ssm: amiParametersFromClient(aws.ssmClient),
    });
    const amis = await discovery.get([{ name: 'node-*' }], '1.33', T0);
    expect(amis.map((a) => a.id)).toEqual(['ami-new', 'ami-arm']);
    expect(aws.ec2).toHaveReceivedCommandWith(DescribeImagesCommand, {
      Filters: [
        { Name: 'name', Values: ['node-*'] },
        { Name: 'state', Values: ['available'] },
      ],
      Owners: ['self', 'amazon'],
      IncludeDeprecated: true,
      MaxResults: 1000,
    });
  });

  it('reads a custom ssmParameter term and looks the image up by id', async () => {
    const aws = mockAws();
    aws.ssm
      .on(GetParameterCommand, { Name: '/my/ami' })
      .resolves({ Parameter: { Name: '/my/ami', Value: 'ami-custom' } });
    aws.ec2.on(DescribeImagesCommand).resolves({ Images: [image('ami-custom', 'mine', '2025-03-01T00:00:00.000Z')] });
    const discovery = new AmiDiscovery({
      ec2: ec2ApiFromClient(aws.ec2Client),
      ssm: amiParametersFromClient(aws.ssmClient),
    });
    const amis = await discovery.get([{ ssmParameter: '/my/ami' }], '1.33', T0);
    expect(amis.map((a) => a.id)).toEqual(['ami-custom']);
    expect(aws.ec2).toHaveReceivedCommandWith(DescribeImagesCommand, {
      Filters: [
        { Name: 'image-id', Values: ['ami-custom'] },
        { Name: 'state', Values: ['available'] },
      ],
    });
  });

  it('fails when SSM fails for another reason than a missing parameter', async () => {
    const aws = mockAws();
    aws.ssm.on(GetParameterCommand).rejects(awsError('AccessDeniedException'));
    const discovery = new AmiDiscovery({
      ec2: ec2ApiFromClient(aws.ec2Client),
      ssm: amiParametersFromClient(aws.ssmClient),
    });
    await expect(discovery.get([{ alias: 'al2023@latest' }], '1.33', T0)).rejects.toThrow('AccessDeniedException');
  });
});
