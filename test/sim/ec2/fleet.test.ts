// CreateFleet of the simulated EC2, called directly with the SDK's shapes: the pool each strategy picks, ICE as
// per-override Errors[] entries (exactly as EC2 reports them), client-token idempotency, tags on instances and
// volumes, subnets running out of addresses, and requests EC2 refuses.

import type { CreateFleetCommandInput } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { syntheticSpotPrice } from '../../../shared/core/instancetypes/market.js';
import { catalogueEntry } from '../../fixtures/instance-types.js';
import { type SimWorld, simWorld } from './sim-world.js';

const AL2023 = '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023';

async function imageId(world: SimWorld, arch = 'x86_64'): Promise<string> {
  const { Parameter } = await world.ec2.getParameter({ Name: `${AL2023}/${arch}/standard/recommended/image_id` });
  return Parameter?.Value as string;
}

/** Zone -> subnet id of the simulated VPC. */
async function subnets(world: SimWorld): Promise<Record<string, string>> {
  const { Subnets } = await world.ec2.describeSubnets({});
  return Object.fromEntries((Subnets ?? []).map((s) => [s.AvailabilityZone, s.SubnetId]));
}

async function template(world: SimWorld, name: string, arch = 'x86_64'): Promise<void> {
  const { SecurityGroups } = await world.ec2.describeSecurityGroups({
    Filters: [{ Name: 'tag:karpenter.sh/discovery', Values: ['my-cluster'] }],
  });
  await world.ec2.createLaunchTemplate({
    LaunchTemplateName: name,
    LaunchTemplateData: {
      ImageId: await imageId(world, arch),
      SecurityGroupIds: [SecurityGroups?.[0]?.GroupId as string],
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'from-template', Value: 'yes' }] }],
    },
  });
}

function fleet(
  capacityType: 'spot' | 'on-demand',
  overrides: { InstanceType: string; SubnetId: string; AvailabilityZone?: string }[],
  extra: Partial<CreateFleetCommandInput> = {},
): CreateFleetCommandInput {
  return {
    Type: 'instant',
    TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: capacityType },
    ...(capacityType === 'spot'
      ? { SpotOptions: { AllocationStrategy: 'price-capacity-optimized' } }
      : { OnDemandOptions: { AllocationStrategy: 'lowest-price' } }),
    LaunchTemplateConfigs: [
      {
        LaunchTemplateSpecification: { LaunchTemplateName: 'nodes', Version: '$Latest' },
        Overrides: overrides as never,
      },
    ],
    TagSpecifications: [
      { ResourceType: 'instance', Tags: [{ Key: 'fleetwright.io/cluster', Value: 'my-cluster' }] },
      { ResourceType: 'volume', Tags: [{ Key: 'fleetwright.io/cluster', Value: 'my-cluster' }] },
    ],
    ...extra,
  };
}

describe('CreateFleet (instant)', () => {
  let world: SimWorld;
  let subnet: Record<string, string>;
  beforeEach(async () => {
    world = simWorld();
    subnet = await subnets(world);
    await template(world, 'nodes');
  });

  const a = () => ({
    InstanceType: 'm5.large',
    SubnetId: subnet['us-east-1a'] as string,
    AvailabilityZone: 'us-east-1a',
  });

  it('launches on-demand into the lowest-priced override', async () => {
    const out = await world.ec2.createFleet(
      fleet('on-demand', [
        { InstanceType: 'm5.xlarge', SubnetId: subnet['us-east-1a'] as string },
        { InstanceType: 'c5.large', SubnetId: subnet['us-east-1b'] as string },
        { InstanceType: 'm5.large', SubnetId: subnet['us-east-1c'] as string },
      ]),
    );
    expect(out.Errors).toEqual([]);
    expect(out.Instances).toEqual([
      {
        LaunchTemplateAndOverrides: {
          LaunchTemplateSpecification: { LaunchTemplateName: 'nodes', Version: '$Latest' },
          Overrides: { InstanceType: 'c5.large', SubnetId: subnet['us-east-1b'] },
        },
        Lifecycle: 'on-demand',
        InstanceIds: [expect.stringMatching(/^i-0[0-9a-f]{16}$/)],
        InstanceType: 'c5.large',
      },
    ]);
    expect(out.FleetId).toMatch(/^fleet-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  it('launches spot into the cheapest pool (price-capacity-optimized without capacity differences)', async () => {
    const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
    const price = (z: string) =>
      syntheticSpotPrice('m5.large', z, catalogueEntry('m5.large').onDemandPriceUSD as number);
    const cheapest = [...zones].sort((x, y) => price(x) - price(y))[0] as string;
    const out = await world.ec2.createFleet(
      fleet(
        'spot',
        zones.map((z) => ({ InstanceType: 'm5.large', SubnetId: subnet[z] as string, AvailabilityZone: z })),
      ),
    );
    const id = out.Instances?.[0]?.InstanceIds?.[0] as string;
    expect(out.Instances?.[0]?.LaunchTemplateAndOverrides?.Overrides?.AvailabilityZone).toBe(cheapest);
    expect(world.ec2.instance(id)).toMatchObject({ capacityType: 'spot', price: price(cheapest) });
  });

  it('reports ICE on a pool as an Errors[] entry naming its template and override, and launches elsewhere', async () => {
    world.ec2.insufficientCapacity({ instanceType: 'm5.large', zone: 'us-east-1a', capacityType: 'on-demand' });
    const out = await world.ec2.createFleet(
      fleet('on-demand', [a(), { InstanceType: 'm5.xlarge', SubnetId: subnet['us-east-1a'] as string }]),
    );
    expect(out.Errors).toEqual([
      {
        LaunchTemplateAndOverrides: {
          LaunchTemplateSpecification: { LaunchTemplateName: 'nodes', Version: '$Latest' },
          Overrides: a(),
        },
        Lifecycle: 'on-demand',
        ErrorCode: 'InsufficientInstanceCapacity',
        ErrorMessage: expect.stringMatching(
          /^We currently do not have sufficient m5.large capacity in the Availability Zone you requested \(us-east-1a\)\./,
        ),
      },
    ]);
    expect(out.Instances?.[0]?.InstanceType).toBe('m5.xlarge');
  });

  it('answers only errors when every pool is out of capacity, and ICE windows end', async () => {
    const at = world.clock.now();
    world.ec2.insufficientCapacity({ capacityType: 'spot', from: at, until: at + 60_000 });
    const failed = await world.ec2.createFleet(fleet('spot', [a()]));
    expect(failed.Instances).toEqual([]);
    expect(failed.Errors?.map((e) => [e.ErrorCode, e.ErrorMessage])).toEqual([
      ['InsufficientInstanceCapacity', 'There is no Spot capacity available that matches your request.'],
    ]);
    await world.clock.advance(60_000);
    expect((await world.ec2.createFleet(fleet('spot', [a()]))).Instances).toHaveLength(1);
  });

  it('returns the first result again for the same client token and parameters, launching nothing more', async () => {
    const input = fleet('on-demand', [a()], { ClientToken: 'token-1' });
    const first = await world.ec2.createFleet(input);
    const again = await world.ec2.createFleet(structuredClone(input));
    expect(again.Instances).toEqual(first.Instances);
    expect(again.FleetId).toBe(first.FleetId);
    expect(world.ec2.instances.all()).toHaveLength(1);
    const changed = fleet('spot', [a()], { ClientToken: 'token-1' });
    await expect(world.ec2.createFleet(changed)).rejects.toMatchObject({
      name: 'IdempotentParameterMismatch',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('tags instances from the template and the fleet, and volumes from the fleet', async () => {
    const out = await world.ec2.createFleet(fleet('on-demand', [a()]));
    const id = out.Instances?.[0]?.InstanceIds?.[0] as string;
    const { Reservations } = await world.ec2.describeInstances({ InstanceIds: [id] });
    expect(Reservations?.[0]?.Instances?.[0]?.Tags).toEqual([
      { Key: 'from-template', Value: 'yes' },
      { Key: 'fleetwright.io/cluster', Value: 'my-cluster' },
    ]);
    expect([...(world.ec2.instance(id)?.volumeTags ?? [])]).toEqual([['fleetwright.io/cluster', 'my-cluster']]);
  });

  it('launches several instances for a larger target, one address each', async () => {
    const before = world.ec2.network.availableIps(subnet['us-east-1a'] as string);
    const out = await world.ec2.createFleet(
      fleet('on-demand', [a()], {
        TargetCapacitySpecification: { TotalTargetCapacity: 3, DefaultTargetCapacityType: 'on-demand' },
      }),
    );
    expect(out.Instances?.[0]?.InstanceIds).toHaveLength(3);
    expect(world.ec2.network.availableIps(subnet['us-east-1a'] as string)).toBe(before - 3);
  });

  it('reports InsufficientFreeAddressesInSubnet for a full subnet', async () => {
    world = simWorld({ availableIpsPerSubnet: 1 });
    subnet = await subnets(world);
    await template(world, 'nodes');
    await world.ec2.createFleet(fleet('on-demand', [a()]));
    const out = await world.ec2.createFleet(fleet('on-demand', [a()]));
    expect(out.Instances).toEqual([]);
    expect(out.Errors?.[0]).toMatchObject({
      ErrorCode: 'InsufficientFreeAddressesInSubnet',
      LaunchTemplateAndOverrides: { Overrides: { SubnetId: subnet['us-east-1a'] } },
    });
  });

  it('refuses a missing template and a missing subnet for the whole call, as EC2 does', async () => {
    const input = fleet('on-demand', [a()]);
    const missing = {
      ...input,
      LaunchTemplateConfigs: [
        {
          ...input.LaunchTemplateConfigs?.[0],
          LaunchTemplateSpecification: { LaunchTemplateName: 'gone', Version: '$Latest' },
        },
      ],
    };
    await expect(world.ec2.createFleet(missing)).rejects.toMatchObject({
      name: 'InvalidLaunchTemplateName.NotFoundException',
    });
    await expect(
      world.ec2.createFleet(fleet('on-demand', [{ InstanceType: 'm5.large', SubnetId: 'subnet-0000000000000000f' }])),
    ).rejects.toMatchObject({ name: 'InvalidSubnetID.NotFound' });
  });

  it("reports an arm64 type on an x86_64 image as that pool's error", async () => {
    const out = await world.ec2.createFleet(
      fleet('on-demand', [{ InstanceType: 'm7g.large', SubnetId: subnet['us-east-1a'] as string }]),
    );
    expect(out.Instances).toEqual([]);
    expect(out.Errors?.[0]).toMatchObject({
      ErrorCode: 'InvalidParameterValue',
      ErrorMessage: expect.stringContaining("architecture 'arm64'"),
    });
  });

  it('answers DryRun with DryRunOperation and launches nothing', async () => {
    await expect(world.ec2.createFleet(fleet('on-demand', [a()], { DryRun: true }))).rejects.toMatchObject({
      name: 'DryRunOperation',
    });
    expect(world.ec2.instances.all()).toEqual([]);
  });
});
