// Our instances (DESIGN.md §2): listing by the cluster tag (with launches DescribeInstances does not show yet),
// terminating only what carries our tag, naming registered instances, and deleting idle launch templates.

import {
  CreateTagsCommand,
  DeleteLaunchTemplateCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  type Instance,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { nodePool } from '../../fixtures/builders.js';
import {
  awsError,
  type MockAws,
  mockAws,
  nodeClassFixture,
  plannedNode,
  provider,
  T0,
  testClock,
} from './aws-world.js';

const { doc, nodeClass } = nodeClassFixture();

function instance(
  id: string,
  state: string,
  tags: Record<string, string>,
  overrides: Partial<Instance> = {},
): Instance {
  return {
    InstanceId: id,
    InstanceType: 'm5.large',
    ImageId: 'ami-0a1b2c3d4e5f60001',
    LaunchTime: new Date(T0 - 3600_000),
    Placement: { AvailabilityZone: 'us-east-1b', Tenancy: 'default' },
    PrivateDnsName: 'ip-10-0-1-23.ec2.internal',
    State: { Code: state === 'running' ? 16 : 0, Name: state as never },
    SubnetId: 'subnet-0bbb',
    VpcId: 'vpc-0a1b2c3d4e5f60718',
    SecurityGroups: [{ GroupId: 'sg-0123456789abcdef0', GroupName: 'eks-cluster-sg-my-cluster' }],
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    ...overrides,
  };
}

const OURS = {
  'fleetwright.io/cluster': 'my-cluster',
  'fleetwright.io/nodepool': 'default',
  'fleetwright.io/nodeclass': 'default',
  'fleetwright.io/nodepool-hash': 'ph',
  'fleetwright.io/nodeclass-hash': 'ch',
};

describe('list', () => {
  let aws: MockAws;
  beforeEach(() => {
    aws = mockAws();
  });

  it('lists live instances tagged with our cluster, across pages, with their drift inputs', async () => {
    aws.ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce({
        Reservations: [
          { ReservationId: 'r-1', Instances: [instance('i-01', 'running', OURS, { InstanceLifecycle: 'spot' })] },
        ],
        NextToken: 'next',
      })
      .resolvesOnce({ Reservations: [{ ReservationId: 'r-2', Instances: [instance('i-02', 'pending', OURS)] }] });
    const listed = await provider(aws, testClock(), doc).list();
    expect(aws.ec2).toHaveReceivedNthCommandWith(DescribeInstancesCommand, 1, {
      Filters: [
        { Name: 'tag:fleetwright.io/cluster', Values: ['my-cluster'] },
        { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped', 'shutting-down'] },
      ],
      MaxResults: 1000,
    });
    expect(aws.ec2).toHaveReceivedNthCommandWith(DescribeInstancesCommand, 2, { NextToken: 'next' });
    expect(listed).toHaveLength(2);
    expect(listed[0]).toEqual({
      instanceId: 'i-01',
      providerID: 'aws:///us-east-1b/i-01',
      instanceType: 'm5.large',
      zone: 'us-east-1b',
      capacityType: 'spot',
      state: 'running',
      launchTime: T0 - 3600_000,
      imageId: 'ami-0a1b2c3d4e5f60001',
      subnetId: 'subnet-0bbb',
      securityGroupIds: ['sg-0123456789abcdef0'],
      nodePool: 'default',
      nodeClass: 'default',
      nodePoolHash: 'ph',
      nodeClassHash: 'ch',
      tags: OURS,
    });
    expect(listed[1]?.capacityType).toBe('on-demand');
  });

  it('reports a fresh launch DescribeInstances does not show yet, for 2 minutes at most', async () => {
    aws.ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const clock = testClock();
    const cloud = provider(aws, clock, doc);
    await cloud.launch({ node: plannedNode(), nodePool: nodePool('default'), nodeClass });
    const listed = await cloud.list();
    expect(listed).toMatchObject([
      { instanceId: 'i-0123456789abcdef0', state: 'pending', nodePool: 'default', nodeClassHash: nodeClass.specHash },
    ]);
    clock.advance(2 * 60_000);
    expect(await cloud.list()).toEqual([]);
  });

  it('reports the listed instance, not the remembered one, once EC2 shows it', async () => {
    const clock = testClock();
    const cloud = provider(aws, clock, doc);
    await cloud.launch({ node: plannedNode(), nodePool: nodePool('default'), nodeClass });
    aws.ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [instance('i-0123456789abcdef0', 'running', OURS)] }],
    });
    const listed = await cloud.list();
    expect(listed).toHaveLength(1);
    expect(listed[0]?.state).toBe('running');
  });
});

describe('terminate', () => {
  let aws: MockAws;
  beforeEach(() => {
    aws = mockAws();
  });

  it('refuses an instance without our cluster tag and never calls TerminateInstances for it', async () => {
    aws.ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [instance('i-0theirs', 'running', { 'eks:nodegroup-name': 'system' })] }],
    });
    const result = await provider(aws, testClock(), doc).terminate(['i-0theirs']);
    expect(result).toEqual({
      terminating: [],
      gone: [],
      refused: [{ instanceId: 'i-0theirs', reason: 'not tagged fleetwright.io/cluster=my-cluster' }],
    });
    expect(aws.ec2).toHaveReceivedCommandWith(DescribeInstancesCommand, {
      Filters: [{ Name: 'instance-id', Values: ['i-0theirs'] }],
    });
    expect(aws.ec2).not.toHaveReceivedCommand(TerminateInstancesCommand);
  });

  it("refuses another cluster's instance", async () => {
    aws.ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [
        { Instances: [instance('i-0other', 'running', { ...OURS, 'fleetwright.io/cluster': 'staging' })] },
      ],
    });
    const result = await provider(aws, testClock(), doc).terminate(['i-0other']);
    expect(result.refused.map((r) => r.instanceId)).toEqual(['i-0other']);
    expect(aws.ec2).not.toHaveReceivedCommand(TerminateInstancesCommand);
  });

  it('terminates ours, skips those already shutting down, and counts terminated or unknown ones as gone', async () => {
    aws.ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          Instances: [
            instance('i-0a', 'running', OURS),
            instance('i-0b', 'shutting-down', OURS),
            instance('i-0c', 'terminated', OURS),
          ],
        },
      ],
    });
    aws.ec2.on(TerminateInstancesCommand).resolves({
      TerminatingInstances: [
        {
          InstanceId: 'i-0a',
          CurrentState: { Code: 32, Name: 'shutting-down' },
          PreviousState: { Code: 16, Name: 'running' },
        },
      ],
    });
    const result = await provider(aws, testClock(), doc).terminate(['i-0a', 'i-0b', 'i-0c', 'i-0unknown']);
    expect(result).toEqual({ terminating: ['i-0b', 'i-0a'], gone: ['i-0c', 'i-0unknown'], refused: [] });
    expect(aws.ec2).toHaveReceivedCommandExactlyOnceWith(TerminateInstancesCommand, { InstanceIds: ['i-0a'] });
  });

  it('treats InvalidInstanceID.NotFound from TerminateInstances as done', async () => {
    aws.ec2
      .on(DescribeInstancesCommand)
      .resolves({ Reservations: [{ Instances: [instance('i-0a', 'running', OURS)] }] });
    aws.ec2
      .on(TerminateInstancesCommand)
      .rejects(awsError('InvalidInstanceID.NotFound', "The instance ID 'i-0a' does not exist"));
    const result = await provider(aws, testClock(), doc).terminate(['i-0a']);
    expect(result).toEqual({ terminating: [], gone: ['i-0a'], refused: [] });
  });

  it('terminates its own fresh launch even before DescribeInstances shows it', async () => {
    aws.ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    aws.ec2.on(TerminateInstancesCommand).resolves({ TerminatingInstances: [] });
    const cloud = provider(aws, testClock(), doc);
    const launched = await cloud.launch({ node: plannedNode(), nodePool: nodePool('default'), nodeClass });
    const result = await cloud.terminate([launched.instanceId]);
    expect(result.terminating).toEqual([launched.instanceId]);
    expect(await cloud.list()).toEqual([]);
  });
});

describe('tagging and launch-template cleanup', () => {
  it('sets Name after registration', async () => {
    const aws = mockAws();
    aws.ec2.on(CreateTagsCommand).resolves({});
    await provider(aws, testClock(), doc).tagRegistered('i-0a', 'ip-10-0-1-23.ec2.internal');
    expect(aws.ec2).toHaveReceivedCommandWith(CreateTagsCommand, {
      Resources: ['i-0a'],
      Tags: [{ Key: 'Name', Value: 'ip-10-0-1-23.ec2.internal' }],
    });
  });

  it("deletes this cluster's launch templates idle for a minute, keeping recent ones", async () => {
    const aws = mockAws();
    aws.ec2.on(DescribeLaunchTemplatesCommand).resolves({
      LaunchTemplates: [
        {
          LaunchTemplateId: 'lt-0old',
          LaunchTemplateName: 'fleetwright/my-cluster/old',
          CreateTime: new Date(T0 - 3600_000),
        },
        {
          LaunchTemplateId: 'lt-0new',
          LaunchTemplateName: 'fleetwright/my-cluster/new',
          CreateTime: new Date(T0 - 10_000),
        },
      ],
    });
    aws.ec2.on(DeleteLaunchTemplateCommand).resolves({});
    const deleted = await provider(aws, testClock(), doc).deleteUnusedLaunchTemplates();
    expect(deleted).toBe(1);
    expect(aws.ec2).toHaveReceivedCommandWith(DescribeLaunchTemplatesCommand, {
      Filters: [{ Name: 'tag:fleetwright.io/cluster', Values: ['my-cluster'] }],
    });
    expect(aws.ec2).toHaveReceivedCommandExactlyOnceWith(DeleteLaunchTemplateCommand, { LaunchTemplateId: 'lt-0old' });
  });

  it('keeps a template a launch used within the minute, however old', async () => {
    const aws = mockAws();
    const clock = testClock();
    const cloud = provider(aws, clock, doc);
    await cloud.launch({
      node: plannedNode({ instanceTypeOptions: ['m5.large'] }),
      nodePool: nodePool('default'),
      nodeClass,
    });
    const name = aws.ec2.commandCalls(DescribeLaunchTemplatesCommand)[0]?.args[0].input.LaunchTemplateNames?.[0];
    aws.ec2.on(DescribeLaunchTemplatesCommand).resolves({
      LaunchTemplates: [
        { LaunchTemplateId: 'lt-0used', LaunchTemplateName: name, CreateTime: new Date(T0 - 86_400_000) },
      ],
    });
    clock.advance(30_000);
    expect(await cloud.deleteUnusedLaunchTemplates()).toBe(0);
    clock.advance(30_000);
    expect(await cloud.deleteUnusedLaunchTemplates()).toBe(1);
  });
});
