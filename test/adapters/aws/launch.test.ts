// Launching a planned node (research/aws-provider.md §b.6, §b.7): the launch templates it needs, the CreateFleet
// request it sends, and the instance it reports.

import {
  CreateFleetCommand,
  type CreateFleetCommandInput,
  CreateLaunchTemplateCommand,
  type CreateLaunchTemplateCommandInput,
  DescribeLaunchTemplatesCommand,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { readMime } from '../../../shared/adapters/aws/ec2/user-data/mime.js';
import type { LaunchRequest } from '../../../shared/core/ports/cloud.js';
import { nodePool } from '../../fixtures/builders.js';
import { type MockAws, mockAws, nodeClassFixture, plannedNode, provider, T0, testClock } from './aws-world.js';

const fixture = nodeClassFixture({ spec: { tags: { team: 'platform', 'cost-center': '42' } } });

function request(overrides: Partial<LaunchRequest> = {}): LaunchRequest {
  return {
    node: plannedNode(),
    nodePool: nodePool('default', { templateHash: 'pool-hash-1' }),
    nodeClass: fixture.nodeClass,
    zones: ['us-east-1a', 'us-east-1b'],
    ...overrides,
  };
}

function fleetInputs(aws: MockAws): CreateFleetCommandInput[] {
  return aws.ec2.commandCalls(CreateFleetCommand).map((c) => c.args[0].input);
}

function templateInputs(aws: MockAws): CreateLaunchTemplateCommandInput[] {
  return aws.ec2.commandCalls(CreateLaunchTemplateCommand).map((c) => c.args[0].input);
}

const OWNERSHIP_TAGS = [
  { Key: 'cost-center', Value: '42' },
  { Key: 'eks:eks-cluster-name', Value: 'my-cluster' },
  { Key: 'fleetwright.io/cluster', Value: 'my-cluster' },
  { Key: 'fleetwright.io/nodeclass', Value: 'default' },
  { Key: 'fleetwright.io/nodeclass-hash', Value: fixture.nodeClass.specHash },
  { Key: 'fleetwright.io/nodepool', Value: 'default' },
  { Key: 'fleetwright.io/nodepool-hash', Value: 'pool-hash-1' },
  { Key: 'kubernetes.io/cluster/my-cluster', Value: 'owned' },
  { Key: 'team', Value: 'platform' },
];

describe('launch: CreateFleet', () => {
  let aws: MockAws;
  beforeEach(() => {
    aws = mockAws();
  });

  it('sends an instant spot fleet of one over every option × allowed zone, tagged as ours', async () => {
    const launched = await provider(aws, testClock(), fixture.doc).launch(request());
    const [input] = fleetInputs(aws);
    const templates = templateInputs(aws).map((t) => t.LaunchTemplateName);
    expect(input).toMatchObject({
      Type: 'instant',
      ClientToken: 'token-1',
      TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: 'spot' },
      SpotOptions: { AllocationStrategy: 'price-capacity-optimized' },
      TagSpecifications: [
        { ResourceType: 'instance', Tags: OWNERSHIP_TAGS },
        { ResourceType: 'volume', Tags: OWNERSHIP_TAGS },
        { ResourceType: 'fleet', Tags: OWNERSHIP_TAGS },
      ],
    });
    expect(input?.OnDemandOptions).toBeUndefined();
    // m5.large (29 pods) and m5.xlarge (58 pods) bake different maxPods into user data: two templates.
    expect(input?.LaunchTemplateConfigs).toEqual([
      {
        LaunchTemplateSpecification: { LaunchTemplateName: templates[0], Version: '$Latest' },
        Overrides: [
          { InstanceType: 'm5.large', SubnetId: 'subnet-0aaa', AvailabilityZone: 'us-east-1a' },
          { InstanceType: 'm5.large', SubnetId: 'subnet-0bbb', AvailabilityZone: 'us-east-1b' },
        ],
      },
      {
        LaunchTemplateSpecification: { LaunchTemplateName: templates[1], Version: '$Latest' },
        Overrides: [
          { InstanceType: 'm5.xlarge', SubnetId: 'subnet-0aaa', AvailabilityZone: 'us-east-1a' },
          { InstanceType: 'm5.xlarge', SubnetId: 'subnet-0bbb', AvailabilityZone: 'us-east-1b' },
        ],
      },
    ]);
    expect(launched).toEqual({
      instanceId: 'i-0123456789abcdef0',
      instanceType: 'm5.large',
      zone: 'us-east-1a',
      capacityType: 'spot',
      providerID: 'aws:///us-east-1a/i-0123456789abcdef0',
      imageId: 'ami-0a1b2c3d4e5f60001',
      hourlyPrice: 0.035,
      launchTime: T0,
    });
  });

  it('launches on-demand by lowest price', async () => {
    const node = plannedNode({ capacityType: 'on-demand' });
    await provider(aws, testClock(), fixture.doc).launch(request({ node }));
    expect(fleetInputs(aws)[0]).toMatchObject({
      TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: 'on-demand' },
      OnDemandOptions: { AllocationStrategy: 'lowest-price' },
    });
    expect(fleetInputs(aws)[0]?.SpotOptions).toBeUndefined();
  });

  it("stays in the planned node's zone when the request names no zones", async () => {
    const { zones: _zones, ...rest } = request();
    await provider(aws, testClock(), fixture.doc).launch(rest);
    const zones = fleetInputs(aws)[0]?.LaunchTemplateConfigs?.flatMap((c) =>
      c.Overrides?.map((o) => o.AvailabilityZone),
    );
    expect(new Set(zones)).toEqual(new Set(['us-east-1a']));
  });

  it('uses a new client token for every launch', async () => {
    const cloud = provider(aws, testClock(), fixture.doc);
    await cloud.launch(request());
    await cloud.launch(request());
    expect(fleetInputs(aws).map((i) => i.ClientToken)).toEqual(['token-1', 'token-2']);
  });
});

describe('launch: launch templates', () => {
  let aws: MockAws;
  beforeEach(() => {
    aws = mockAws();
  });

  it('creates a template with IMDSv2, encrypted gp3 root, groups, profile, tags and nodeadm user data', async () => {
    await provider(aws, testClock(), fixture.doc).launch(
      request({ node: plannedNode({ instanceTypeOptions: ['m5.large'] }) }),
    );
    const [created] = templateInputs(aws);
    expect(created?.LaunchTemplateName).toMatch(/^fleetwright\/my-cluster\/[0-9a-f]{16}$/);
    expect(created?.TagSpecifications).toEqual([
      {
        ResourceType: 'launch-template',
        Tags: [
          { Key: 'eks:eks-cluster-name', Value: 'my-cluster' },
          { Key: 'fleetwright.io/cluster', Value: 'my-cluster' },
          { Key: 'fleetwright.io/nodeclass', Value: 'default' },
        ],
      },
    ]);
    const data = created?.LaunchTemplateData;
    expect(data).toMatchObject({
      ImageId: 'ami-0a1b2c3d4e5f60001',
      IamInstanceProfile: { Name: 'KarpenterNodeRole-my-cluster' },
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20, VolumeType: 'gp3', Encrypted: true } }],
      MetadataOptions: {
        HttpEndpoint: 'enabled',
        HttpProtocolIpv6: 'disabled',
        HttpPutResponseHopLimit: 1,
        HttpTokens: 'required',
        InstanceMetadataTags: 'disabled',
      },
      Monitoring: { Enabled: false },
      SecurityGroupIds: ['sg-0123456789abcdef0'],
      TagSpecifications: [{ ResourceType: 'network-interface', Tags: OWNERSHIP_TAGS }],
    });
    const parts = readMime(Buffer.from(data?.UserData ?? '', 'base64').toString('utf8'));
    expect(parts.at(-1)?.body).toContain('maxPods: 29');
  });

  it('looks a template up by name before creating it, and reuses it from memory afterwards', async () => {
    aws.ec2.on(DescribeLaunchTemplatesCommand).resolves({
      LaunchTemplates: [{ LaunchTemplateId: 'lt-0existing', LaunchTemplateName: 'fleetwright/my-cluster/abc' }],
    });
    const cloud = provider(aws, testClock(), fixture.doc);
    const single = request({ node: plannedNode({ instanceTypeOptions: ['m5.large'] }) });
    await cloud.launch(single);
    await cloud.launch(single);
    expect(aws.ec2).toHaveReceivedCommandTimes(DescribeLaunchTemplatesCommand, 1);
    expect(aws.ec2).not.toHaveReceivedCommand(CreateLaunchTemplateCommand);
    const name = aws.ec2.commandCalls(DescribeLaunchTemplatesCommand)[0]?.args[0].input.LaunchTemplateNames?.[0];
    expect(fleetInputs(aws)[1]?.LaunchTemplateConfigs?.[0]?.LaunchTemplateSpecification?.LaunchTemplateName).toBe(name);
  });

  it('names equal content equally: another provider derives the same template name', async () => {
    const single = request({ node: plannedNode({ instanceTypeOptions: ['m5.large'] }) });
    await provider(aws, testClock(), fixture.doc).launch(single);
    await provider(aws, testClock(), fixture.doc).launch(single);
    const names = templateInputs(aws).map((t) => t.LaunchTemplateName);
    expect(names).toHaveLength(2);
    expect(names[0]).toBe(names[1]);
  });

  it("takes the node class's block devices, IMDS hop limit and public-IP choice", async () => {
    const custom = nodeClassFixture({
      spec: {
        metadataOptions: { httpPutResponseHopLimit: 2 },
        associatePublicIPAddress: false,
        blockDeviceMappings: [
          {
            deviceName: '/dev/xvda',
            rootVolume: true,
            ebs: { volumeSize: '100Gi', volumeType: 'gp3', iops: 4000, encrypted: true },
          },
        ],
      },
    });
    await provider(aws, testClock(), custom.doc).launch(request({ nodeClass: custom.nodeClass }));
    const data = templateInputs(aws)[0]?.LaunchTemplateData;
    expect(data?.MetadataOptions?.HttpPutResponseHopLimit).toBe(2);
    expect(data?.BlockDeviceMappings).toEqual([
      { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 100, VolumeType: 'gp3', Iops: 4000, Encrypted: true } },
    ]);
    expect(data?.SecurityGroupIds).toBeUndefined();
    expect(data?.NetworkInterfaces).toEqual([
      { DeviceIndex: 0, AssociatePublicIpAddress: false, Groups: ['sg-0123456789abcdef0'] },
    ]);
  });

  it('gives Bottlerocket its OS and data volumes and TOML user data', async () => {
    const rocket = nodeClassFixture({ spec: { amiSelectorTerms: [{ alias: 'bottlerocket@latest' }] } });
    aws.ssm
      .on(GetParameterCommand, { Name: '/aws/service/bottlerocket/aws-k8s-1.33/x86_64/latest/image_id' })
      .resolves({ Parameter: { Value: 'ami-0bottlerocket' } });
    await provider(aws, testClock(), rocket.doc).launch(request({ nodeClass: rocket.nodeClass }));
    const data = templateInputs(aws)[0]?.LaunchTemplateData;
    expect(data?.ImageId).toBe('ami-0bottlerocket');
    expect(data?.BlockDeviceMappings?.map((m) => [m.DeviceName, m.Ebs?.VolumeSize])).toEqual([
      ['/dev/xvda', 4],
      ['/dev/xvdb', 20],
    ]);
    expect(Buffer.from(data?.UserData ?? '', 'base64').toString('utf8')).toContain('[settings.kubernetes]');
  });
});
