// Instances of the simulated account through DescribeInstances, TerminateInstances and CreateTags: the Instance
// shape, filters and pagination, the pending -> running -> shutting-down -> terminated lifecycle on the virtual
// clock, EC2's errors; launch templates; and throttling errors shaped like the SDK's.

import { beforeEach, describe, expect, it } from 'vitest';
import { isThrottled } from '../../../shared/adapters/aws/errors.js';
import { filter } from '../../../shared/sim/ec2/query.js';
import { type SimWorld, simWorld } from './sim-world.js';

const AL2023 = '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id';

/** Launches `count` on-demand m5.large in us-east-1a tagged `tags`; returns their ids. */
async function launch(world: SimWorld, count: number, tags: Record<string, string>): Promise<string[]> {
  const { ec2 } = world;
  const name = `lt-${Object.values(tags).join('-')}`;
  const { Subnets } = await ec2.describeSubnets({ Filters: [filter('availability-zone', 'us-east-1a')] });
  await ec2.createLaunchTemplate({
    LaunchTemplateName: name,
    LaunchTemplateData: { ImageId: (await ec2.getParameter({ Name: AL2023 })).Parameter?.Value },
  });
  const out = await ec2.createFleet({
    Type: 'instant',
    TargetCapacitySpecification: { TotalTargetCapacity: count, DefaultTargetCapacityType: 'on-demand' },
    LaunchTemplateConfigs: [
      {
        LaunchTemplateSpecification: { LaunchTemplateName: name, Version: '$Latest' },
        Overrides: [{ InstanceType: 'm5.large', SubnetId: Subnets?.[0]?.SubnetId }],
      },
    ],
    TagSpecifications: [
      { ResourceType: 'instance', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
    ],
  });
  return out.Instances?.flatMap((i) => i.InstanceIds ?? []) ?? [];
}

async function describeOne(world: SimWorld, id: string) {
  const { Reservations } = await world.ec2.describeInstances({ InstanceIds: [id] });
  return Reservations?.[0]?.Instances?.[0];
}

describe('instances', () => {
  let world: SimWorld;
  beforeEach(() => {
    world = simWorld();
  });

  it('describes an instance in the shape EC2 returns', async () => {
    const [id] = await launch(world, 1, { team: 'a' });
    const instance = await describeOne(world, id as string);
    expect(instance).toMatchObject({
      InstanceId: id,
      InstanceType: 'm5.large',
      State: { Code: 0, Name: 'pending' },
      Placement: { AvailabilityZone: 'us-east-1a', AvailabilityZoneId: 'use1-az1', Tenancy: 'default' },
      PrivateIpAddress: '10.0.0.4',
      PrivateDnsName: 'ip-10-0-0-4.ec2.internal',
      LaunchTime: new Date(world.clock.now()),
      Architecture: 'x86_64',
      Tags: [{ Key: 'team', Value: 'a' }],
    });
    expect(instance?.SubnetId).toMatch(/^subnet-/);
    expect(instance?.ImageId).toMatch(/^ami-/);
    expect(instance).not.toHaveProperty('InstanceLifecycle');
  });

  it('boots pending -> running, and terminates through shutting-down, freeing the address', async () => {
    const [id] = (await launch(world, 1, { team: 'a' })) as [string];
    const subnetId = world.ec2.instance(id)?.subnetId as string;
    const free = world.ec2.network.availableIps(subnetId);
    await world.clock.advance(20_000);
    expect((await describeOne(world, id))?.State).toEqual({ Code: 16, Name: 'running' });
    const { TerminatingInstances } = await world.ec2.terminateInstances({ InstanceIds: [id] });
    expect(TerminatingInstances).toEqual([
      {
        InstanceId: id,
        PreviousState: { Code: 16, Name: 'running' },
        CurrentState: { Code: 32, Name: 'shutting-down' },
      },
    ]);
    await world.clock.advance(30_000);
    const gone = await describeOne(world, id);
    expect(gone).toMatchObject({
      State: { Code: 48, Name: 'terminated' },
      StateReason: { Code: 'Client.UserInitiatedShutdown' },
      PrivateDnsName: '',
    });
    expect(world.ec2.network.availableIps(subnetId)).toBe(free + 1);
    // Listed for an hour after termination, then no longer known.
    await world.clock.advance(60 * 60_000);
    await expect(world.ec2.describeInstances({ InstanceIds: [id] })).rejects.toMatchObject({
      name: 'InvalidInstanceID.NotFound',
    });
  });

  it('filters by tag and state, and pages with MaxResults and NextToken', async () => {
    const ours = await launch(world, 7, { 'fleetwright.io/cluster': 'my-cluster' });
    await launch(world, 2, { 'fleetwright.io/cluster': 'other' });
    await world.ec2.terminateInstances({ InstanceIds: [ours[0] as string] });
    const filters = [
      filter('tag:fleetwright.io/cluster', 'my-cluster'),
      filter('instance-state-name', 'pending', 'running'),
    ];
    const first = await world.ec2.describeInstances({ Filters: filters, MaxResults: 5 });
    const second = await world.ec2.describeInstances({ Filters: filters, MaxResults: 5, NextToken: first.NextToken });
    const ids = [first, second].flatMap((p) => p.Reservations?.flatMap((r) => r.Instances?.map((i) => i.InstanceId)));
    expect(ids).toEqual(ours.slice(1));
    expect(second.NextToken).toBeUndefined();
    expect(first.Reservations).toHaveLength(1);
    expect(first.Reservations?.[0]?.ReservationId).toMatch(/^r-0[0-9a-f]{16}$/);
  });

  it("answers EC2's errors for bad ids and bad parameter combinations", async () => {
    const [id] = (await launch(world, 1, { team: 'a' })) as [string];
    await expect(world.ec2.describeInstances({ InstanceIds: [id], MaxResults: 5 })).rejects.toMatchObject({
      name: 'InvalidParameterCombination',
    });
    await expect(world.ec2.describeInstances({ InstanceIds: ['i-nope'] })).rejects.toMatchObject({
      name: 'InvalidInstanceID.Malformed',
    });
    // One unknown id fails the whole TerminateInstances call.
    await expect(world.ec2.terminateInstances({ InstanceIds: [id, 'i-0123456789abcdef0'] })).rejects.toMatchObject({
      name: 'InvalidInstanceID.NotFound',
      message: "The instance ID 'i-0123456789abcdef0' does not exist",
    });
    expect(world.ec2.instance(id)?.state).toBe('pending');
  });

  it('tags instances, refusing reserved keys and unknown ids without tagging anything', async () => {
    const [id] = (await launch(world, 1, { team: 'a' })) as [string];
    await world.ec2.createTags({
      Resources: [id],
      Tags: [
        { Key: 'Name', Value: 'node-1' },
        { Key: 'team', Value: 'b' },
      ],
    });
    expect((await describeOne(world, id))?.Tags).toEqual([
      { Key: 'team', Value: 'b' },
      { Key: 'Name', Value: 'node-1' },
    ]);
    await expect(world.ec2.createTags({ Resources: [id], Tags: [{ Key: 'aws:x', Value: '1' }] })).rejects.toMatchObject(
      {
        name: 'InvalidParameterValue',
      },
    );
    await expect(
      world.ec2.createTags({ Resources: [id, 'i-0123456789abcdef0'], Tags: [{ Key: 'k', Value: 'v' }] }),
    ).rejects.toMatchObject({ name: 'InvalidInstanceID.NotFound' });
    expect(world.ec2.instance(id)?.tags.has('k')).toBe(false);
  });
});

describe('launch templates', () => {
  it('creates, finds by name or tag, refuses duplicates and unknown names, and deletes', async () => {
    const { ec2 } = simWorld();
    const created = await ec2.createLaunchTemplate({
      LaunchTemplateName: 'fleetwright/my-cluster/0123456789abcdef',
      LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0' },
      TagSpecifications: [
        { ResourceType: 'launch-template', Tags: [{ Key: 'fleetwright.io/cluster', Value: 'my-cluster' }] },
      ],
    });
    expect(created.LaunchTemplate).toMatchObject({ DefaultVersionNumber: 1, LatestVersionNumber: 1 });
    await expect(
      ec2.createLaunchTemplate({
        LaunchTemplateName: 'fleetwright/my-cluster/0123456789abcdef',
        LaunchTemplateData: {},
      }),
    ).rejects.toMatchObject({ name: 'InvalidLaunchTemplateName.AlreadyExistsException' });
    await expect(ec2.describeLaunchTemplates({ LaunchTemplateNames: ['nope'] })).rejects.toMatchObject({
      name: 'InvalidLaunchTemplateName.NotFoundException',
    });
    const tagged = await ec2.describeLaunchTemplates({ Filters: [filter('tag:fleetwright.io/cluster', 'my-cluster')] });
    expect(tagged.LaunchTemplates?.map((t) => t.LaunchTemplateId)).toEqual([created.LaunchTemplate?.LaunchTemplateId]);
    await ec2.deleteLaunchTemplate({ LaunchTemplateId: created.LaunchTemplate?.LaunchTemplateId });
    await expect(
      ec2.deleteLaunchTemplate({ LaunchTemplateId: created.LaunchTemplate?.LaunchTemplateId }),
    ).rejects.toMatchObject({ name: 'InvalidLaunchTemplateId.NotFound' });
  });
});

describe('throttling', () => {
  it("fails the next calls with each service's throttling error, shaped like the SDK's", async () => {
    const { ec2 } = simWorld();
    ec2.throttle({ operation: 'describeInstances', times: 1 });
    ec2.throttle({ operation: 'getParameter' });
    ec2.throttle({ operation: 'getProducts' });
    const ec2Error = await ec2.describeInstances({}).catch((e: unknown) => e);
    expect(ec2Error).toMatchObject({
      name: 'RequestLimitExceeded',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'Request limit exceeded.',
    });
    expect(isThrottled(ec2Error)).toBe(true);
    await expect(ec2.describeInstances({})).resolves.toMatchObject({ Reservations: [] });
    const ssmError = await ec2.getParameter({ Name: AL2023 }).catch((e: unknown) => e);
    const pricingError = await ec2.getProducts({ ServiceCode: 'AmazonEC2' }).catch((e: unknown) => e);
    expect(ssmError).toMatchObject({ name: 'ThrottlingException' });
    expect(pricingError).toMatchObject({ name: 'ThrottlingException', $retryable: { throttling: true } });
    expect([ssmError, pricingError].every(isThrottled)).toBe(true);
  });
});
