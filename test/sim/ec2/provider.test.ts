// The REAL EC2 adapter (Ec2CloudProvider) against the simulated EC2: discovery of the whole catalogue, launches
// through CreateFleet (cheapest offering, ICE fallback, idempotent client tokens), listing, termination of our
// instances only, throttling retried on the virtual clock, and AMI releases reaching new launches.

import { describe, expect, it } from 'vitest';
import { LaunchError } from '../../../shared/adapters/aws/ec2/launch-error.js';
import { syntheticSpotPrice } from '../../../shared/core/instancetypes/market.js';
import { resolveInstanceTypes } from '../../../shared/core/instancetypes/resolve.js';
import type { InstanceType } from '../../../shared/core/model/instancetype.js';
import type { LaunchRequest } from '../../../shared/core/ports/cloud.js';
import { nodeClassFixture, plannedNode } from '../../adapters/aws/aws-world.js';
import { nodePool } from '../../fixtures/builders.js';
import { bundledCatalogue, catalogueEntry } from '../../fixtures/instance-types.js';
import { type SimWorld, simProvider, simWorld } from './sim-world.js';

const { doc, nodeClass } = nodeClassFixture();
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const OPTIONS = ['m5.large', 'm5.xlarge', 'c5.large', 'm6i.large', 'm7i.large'];
const MINUTE = 60_000;

function request(overrides: Partial<LaunchRequest> = {}, capacityType = 'spot'): LaunchRequest {
  return {
    node: plannedNode({ instanceTypeOptions: OPTIONS, capacityType }),
    nodePool: nodePool('default'),
    nodeClass,
    zones: ZONES,
    ...overrides,
  };
}

interface PricedOffering {
  readonly instanceType: string;
  readonly zone: string;
  readonly price: number;
}

/** Spot offerings of OPTIONS in ZONES, cheapest first, priced by the synthetic market. */
function spotByPrice(): [PricedOffering, PricedOffering, ...PricedOffering[]] {
  const all = OPTIONS.flatMap((instanceType) =>
    ZONES.map((zone) => ({
      instanceType,
      zone,
      price: syntheticSpotPrice(instanceType, zone, catalogueEntry(instanceType).onDemandPriceUSD as number),
    })),
  ).sort((a, b) => a.price - b.price);
  return all as [PricedOffering, PricedOffering, ...PricedOffering[]];
}

function offering(types: readonly InstanceType[], name: string, zone: string, capacityType: string) {
  return types.find((t) => t.name === name)?.offerings.find((o) => o.zone === zone && o.capacityType === capacityType);
}

function calls(world: SimWorld, operation: string) {
  return world.ec2.calls.filter((c) => c.operation === operation);
}

describe('Ec2CloudProvider over the simulated EC2', () => {
  it('maps the whole catalogue to the types, labels and prices the bundled catalogue resolves to', async () => {
    const world = simWorld();
    const started = performance.now();
    const types = await simProvider(world, doc).instanceTypes(nodeClass);
    const elapsed = Math.round(performance.now() - started);
    console.info(`instanceTypes(): ${types.length} types through the simulated EC2 in ${elapsed} ms`);
    const expected = resolveInstanceTypes(bundledCatalogue(), nodeClass, { region: 'us-east-1' });
    expect(types.map((t) => t.name).sort()).toEqual(expected.map((t) => t.name).sort());
    const byName = new Map(types.map((t) => [t.name, t]));
    const mismatched = expected.filter((e) => {
      const live = byName.get(e.name);
      const sorted = (t: InstanceType | undefined) =>
        [...(t?.offerings ?? [])].sort((a, b) =>
          `${a.zone}${a.capacityType}`.localeCompare(`${b.zone}${b.capacityType}`),
        );
      return (
        JSON.stringify(live?.labels) !== JSON.stringify(e.labels) ||
        JSON.stringify(live?.capacity) !== JSON.stringify(e.capacity) ||
        JSON.stringify(live?.allocatable) !== JSON.stringify(e.allocatable) ||
        JSON.stringify(sorted(live)) !== JSON.stringify(sorted(e))
      );
    });
    expect(mismatched.map((t) => t.name)).toEqual([]);
    // Paginated as EC2 pages: 100 types and 1000 offerings a page.
    expect(calls(world, 'describeInstanceTypes')).toHaveLength(14);
    expect(calls(world, 'describeInstanceTypeOfferings')).toHaveLength(5);
  });

  it('launches the cheapest spot offering among the options and zones, tagged as ours', async () => {
    const world = simWorld();
    const [cheapest] = spotByPrice();
    const launched = await simProvider(world, doc).launch(request());
    expect(launched).toMatchObject({
      instanceType: cheapest.instanceType,
      zone: cheapest.zone,
      capacityType: 'spot',
      hourlyPrice: cheapest.price,
      launchTime: world.clock.now(),
    });
    expect(launched.providerID).toBe(`aws:///${cheapest.zone}/${launched.instanceId}`);
    const record = world.ec2.instance(launched.instanceId);
    expect(record).toMatchObject({ capacityType: 'spot', state: 'pending', imageId: launched.imageId });
    expect(record?.tags.get('fleetwright.io/cluster')).toBe('my-cluster');
    expect(record?.volumeTags.get('fleetwright.io/nodepool')).toBe('default');
    expect(calls(world, 'createFleet')).toHaveLength(1);
  });

  it('launches on-demand at the lowest price, the first zone asked for breaking the tie', async () => {
    const world = simWorld();
    const launched = await simProvider(world, doc).launch(request({}, 'on-demand'));
    const cheapestType = [...OPTIONS].sort(
      (a, b) => (catalogueEntry(a).onDemandPriceUSD as number) - (catalogueEntry(b).onDemandPriceUSD as number),
    )[0];
    expect(launched).toMatchObject({ instanceType: cheapestType, zone: 'us-east-1a', capacityType: 'on-demand' });
    expect(world.ec2.instance(launched.instanceId)?.capacityType).toBe('on-demand');
  });

  it('falls back past ICE on the cheapest offering, and marks that offering unavailable for 3 minutes', async () => {
    const world = simWorld();
    const [cheapest, next] = spotByPrice();
    world.ec2.insufficientCapacity({ instanceType: cheapest.instanceType, zone: cheapest.zone, capacityType: 'spot' });
    const cloud = simProvider(world, doc);
    const launched = await cloud.launch(request());
    expect(launched).toMatchObject({ instanceType: next.instanceType, zone: next.zone });
    // EC2 tried the next pool within the same call and reported the failed one in Errors[].
    expect(calls(world, 'createFleet')).toHaveLength(1);
    let types = await cloud.instanceTypes(nodeClass);
    expect(offering(types, cheapest.instanceType, cheapest.zone, 'spot')?.available).toBe(false);
    expect(offering(types, cheapest.instanceType, cheapest.zone, 'on-demand')?.available).toBe(true);
    expect(offering(types, next.instanceType, next.zone, 'spot')?.available).toBe(true);
    await world.clock.advance(3 * MINUTE);
    types = await cloud.instanceTypes(nodeClass);
    expect(offering(types, cheapest.instanceType, cheapest.zone, 'spot')?.available).toBe(true);
  });

  it('fails with InsufficientCapacity when no spot pool has capacity, and on-demand still launches', async () => {
    const world = simWorld();
    world.ec2.insufficientCapacity({ capacityType: 'spot' });
    const cloud = simProvider(world, doc);
    const error = await cloud.launch(request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LaunchError);
    expect(error).toMatchObject({ reason: 'InsufficientCapacity', codes: ['InsufficientInstanceCapacity'] });
    const types = await cloud.instanceTypes(nodeClass);
    expect(ZONES.every((z) => offering(types, 'm5.large', z, 'spot')?.available === false)).toBe(true);
    await expect(cloud.launch(request({}, 'on-demand'))).resolves.toMatchObject({ capacityType: 'on-demand' });
  });

  it('lists the instance from launch on, pending and then running, even while DescribeInstances lags', async () => {
    const world = simWorld({ timing: { describeLagMs: 5_000 } });
    const cloud = simProvider(world, doc);
    const launched = await cloud.launch(request());
    expect((await cloud.list()).map((i) => [i.instanceId, i.state])).toEqual([[launched.instanceId, 'pending']]);
    await world.clock.advance(30_000);
    const [listed] = await cloud.list();
    expect(listed).toMatchObject({
      instanceId: launched.instanceId,
      state: 'running',
      zone: launched.zone,
      capacityType: 'spot',
      nodePool: 'default',
      nodeClass: 'default',
      imageId: launched.imageId,
    });
    expect(listed?.subnetId).toMatch(/^subnet-0[0-9a-f]{16}$/);
  });

  it("terminates only instances tagged as this cluster's, and calls unknown ones gone", async () => {
    const world = simWorld();
    const cloud = simProvider(world, doc);
    const ours = await cloud.launch(request());
    const foreign = await launchForeignInstance(world);
    const result = await cloud.terminate([ours.instanceId, foreign, 'i-0123456789abcdef0']);
    expect(result.terminating).toEqual([ours.instanceId]);
    expect(result.refused).toEqual([{ instanceId: foreign, reason: 'not tagged fleetwright.io/cluster=my-cluster' }]);
    expect(result.gone).toEqual(['i-0123456789abcdef0']);
    expect(world.ec2.instance(ours.instanceId)?.state).toBe('shutting-down');
    await world.clock.advance(MINUTE);
    expect(world.ec2.instance(ours.instanceId)?.state).toBe('terminated');
    expect(world.ec2.instance(foreign)?.state).toBe('running');
    expect(await cloud.list()).toEqual([]);
  });

  it('replays the same CreateFleet for a reused client token, and refuses it with other parameters', async () => {
    const world = simWorld();
    const cloud = simProvider(world, doc, { clientToken: () => 'one-token' });
    const first = await cloud.launch(request());
    const again = await cloud.launch(request());
    expect(again.instanceId).toBe(first.instanceId);
    expect(world.ec2.instances.all()).toHaveLength(1);
    const other = request({ nodePool: nodePool('batch', { templateHash: 'batch-hash' }) });
    const error = await cloud.launch(other).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LaunchError);
    expect(error).toMatchObject({ reason: 'LaunchFailed', codes: ['IdempotentParameterMismatch'] });
    expect(world.ec2.instances.all()).toHaveLength(1);
  });

  it('retries a throttled CreateFleet after virtual-time backoff, launching once', async () => {
    const world = simWorld();
    const cloud = simProvider(world, doc);
    await cloud.instanceTypes(nodeClass);
    world.ec2.throttle({ operation: 'createFleet', times: 2 });
    const before = world.clock.now();
    const launched = await world.clock.runUntil(cloud.launch(request()));
    expect(launched?.instanceId).toMatch(/^i-0[0-9a-f]{16}$/);
    expect(calls(world, 'createFleet')).toHaveLength(3);
    // 0.5 s then 1 s of backoff, on the virtual clock.
    expect(world.clock.now() - before).toBe(1_500);
    expect(world.ec2.instances.all()).toHaveLength(1);
  });

  it('names a registered instance, and deletes launch templates left unused for a minute', async () => {
    const world = simWorld();
    const cloud = simProvider(world, doc);
    const launched = await cloud.launch(request());
    await cloud.tagRegistered(launched.instanceId, 'ip-10-0-32-4.ec2.internal');
    expect(world.ec2.instance(launched.instanceId)?.tags.get('Name')).toBe('ip-10-0-32-4.ec2.internal');
    const templates = world.ec2.launchTemplates.size;
    expect(templates).toBeGreaterThan(0);
    expect(await cloud.deleteUnusedLaunchTemplates()).toBe(0);
    await world.clock.advance(MINUTE);
    expect(await cloud.deleteUnusedLaunchTemplates()).toBe(templates);
    expect(world.ec2.launchTemplates.size).toBe(0);
  });

  it('launches from the new AMI once a release reaches the alias (after the SSM cache day)', async () => {
    const world = simWorld();
    const cloud = simProvider(world, doc);
    const before = await cloud.launch(request());
    world.ec2.releaseAmis();
    await world.clock.advance(25 * 60 * MINUTE);
    const after = await cloud.launch(request());
    expect(after.imageId).toMatch(/^ami-0[0-9a-f]{16}$/);
    expect(after.imageId).not.toBe(before.imageId);
  });
});

/** An instance of another cluster, launched through the API as its own provisioner would. */
async function launchForeignInstance(world: SimWorld): Promise<string> {
  const { ec2 } = world;
  const parameter = '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id';
  const image = (await ec2.getParameter({ Name: parameter })).Parameter?.Value;
  const { Subnets } = await ec2.describeSubnets({});
  await ec2.createLaunchTemplate({ LaunchTemplateName: 'other-cluster-nodes', LaunchTemplateData: { ImageId: image } });
  const fleet = await ec2.createFleet({
    Type: 'instant',
    TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: 'on-demand' },
    LaunchTemplateConfigs: [
      {
        LaunchTemplateSpecification: { LaunchTemplateName: 'other-cluster-nodes', Version: '$Latest' },
        Overrides: [{ InstanceType: 'm5.large', SubnetId: Subnets?.[0]?.SubnetId }],
      },
    ],
    TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'fleetwright.io/cluster', Value: 'other' }] }],
  });
  const id = fleet.Instances?.[0]?.InstanceIds?.[0];
  if (id === undefined) throw new Error('the foreign launch failed');
  await world.clock.advance(30_000);
  return id;
}
