// EC2 through the loopback endpoint with the real `@aws-sdk/client-ec2`: every answer is what the SimulatedEc2
// answers when called directly (the SDK's own schemas drive both directions of the Query/XML encoding), writes
// reach the simulator with the input as sent, and EC2's error codes come back as the SDK error's `name`.

import {
  CreateFleetCommand,
  type CreateFleetCommandInput,
  CreateLaunchTemplateCommand,
  type CreateLaunchTemplateCommandInput,
  CreateTagsCommand,
  DeleteLaunchTemplateCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeLaunchTemplatesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSpotPriceHistoryCommand,
  DescribeSubnetsCommand,
  type Instance,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectPages, ec2ApiFromClient } from '../../../shared/adapters/aws/ec2/api.js';
import { filter } from '../../../shared/sim/ec2/query.js';
import { T0 } from '../../adapters/aws/aws-world.js';
import { content, type EndpointWorld, endpointWorld } from './endpoint-world.js';

const DISCOVERY = filter('tag:karpenter.sh/discovery', 'my-cluster');
const AL2023 = '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id';

let world: EndpointWorld;
beforeEach(async () => {
  world = await endpointWorld();
});
afterEach(() => world.close());

/** Sends any EC2 command through the real client (the tables below mix commands of several operations). */
const send = <T = unknown>(command: unknown) => world.clients.ec2.send(command as never) as Promise<T>;

/** The error a promise rejects with. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

async function launchTemplate(name = 'nodes'): Promise<CreateLaunchTemplateCommandInput> {
  const image = (await world.ec2.getParameter({ Name: AL2023 })).Parameter?.Value;
  const { SecurityGroups } = await world.ec2.describeSecurityGroups({ Filters: [DISCOVERY] });
  const input: CreateLaunchTemplateCommandInput = {
    LaunchTemplateName: name,
    LaunchTemplateData: {
      ImageId: image,
      UserData: Buffer.from('#!/bin/bash\necho "<joined> & ready"\n').toString('base64'),
      SecurityGroupIds: [SecurityGroups?.[0]?.GroupId as string],
      BlockDeviceMappings: [
        { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20, VolumeType: 'gp3', Encrypted: true, Iops: 3000 } },
      ],
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' },
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'from-template', Value: 'yes' }] }],
    },
    TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'fleetwright.io/cluster', Value: 'x' }] }],
  };
  await send(new CreateLaunchTemplateCommand(input));
  return input;
}

async function launchSpot(): Promise<string> {
  await launchTemplate();
  const { Subnets } = await world.ec2.describeSubnets({ Filters: [DISCOVERY] });
  const input: CreateFleetCommandInput = {
    Type: 'instant',
    TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: 'spot' },
    SpotOptions: { AllocationStrategy: 'price-capacity-optimized' },
    LaunchTemplateConfigs: [
      {
        LaunchTemplateSpecification: { LaunchTemplateName: 'nodes', Version: '$Latest' },
        Overrides: [{ InstanceType: 'm5.large', SubnetId: Subnets?.[1]?.SubnetId }],
      },
    ],
    TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'fleetwright.io/cluster', Value: 'my-cluster' }] }],
  };
  const fleet = await send<{ Instances?: { InstanceIds?: string[] }[] }>(new CreateFleetCommand(input));
  const id = fleet.Instances?.[0]?.InstanceIds?.[0];
  if (!id) throw new Error('CreateFleet launched nothing');
  return id;
}

async function describeInstance(id: string): Promise<Instance | undefined> {
  const out = await send<{ Reservations?: { Instances?: Instance[] }[] }>(
    new DescribeInstancesCommand({ InstanceIds: [id] }),
  );
  return out.Reservations?.[0]?.Instances?.[0];
}

describe('EC2 reads over the Query protocol', () => {
  it('pages DescribeInstanceTypes with NextToken to exactly the types the simulator answers directly', async () => {
    const page = { MaxResults: 100, Filters: [filter('current-generation', 'true')] };
    const overHttp = await collectPages(
      (NextToken) => ec2ApiFromClient(world.clients.ec2).describeInstanceTypes({ ...page, NextToken }),
      (p) => p.InstanceTypes,
    );
    const direct = await collectPages(
      (NextToken) => world.ec2.describeInstanceTypes({ ...page, NextToken }),
      (p) => p.InstanceTypes,
    );
    expect(overHttp.length).toBeGreaterThan(500);
    expect(overHttp.map((t) => t.InstanceType)).toEqual(direct.map((t) => t.InstanceType));
    const m5 = overHttp.find((t) => t.InstanceType === 'm5.large');
    expect(m5).toMatchObject({
      VCpuInfo: { DefaultVCpus: 2 },
      MemoryInfo: { SizeInMiB: 8192 },
      CurrentGeneration: true,
    });
    expect(overHttp).toEqual(direct);
    const pages = world.endpoint.requests.filter((r) => r.operation === 'DescribeInstanceTypes');
    expect(pages.length).toBe(Math.ceil(direct.length / 100));
    expect(pages.every((r) => r.service === 'ec2' && r.status === 200)).toBe(true);
  });

  it('answers the discovery reads, filters and timestamps included, as the simulator does', async () => {
    const since = new Date(T0 - 60 * 60_000);
    const reads: [unknown, () => Promise<{ $metadata?: unknown }>][] = [
      [new DescribeSubnetsCommand({ Filters: [DISCOVERY] }), () => world.ec2.describeSubnets({ Filters: [DISCOVERY] })],
      [
        new DescribeSecurityGroupsCommand({ Filters: [DISCOVERY] }),
        () => world.ec2.describeSecurityGroups({ Filters: [DISCOVERY] }),
      ],
      [
        new DescribeImagesCommand({ Owners: ['amazon'], Filters: [filter('architecture', 'arm64')] }),
        () => world.ec2.describeImages({ Owners: ['amazon'], Filters: [filter('architecture', 'arm64')] }),
      ],
      [
        new DescribeSpotPriceHistoryCommand({ InstanceTypes: ['m5.large', 'c5.large'], StartTime: since }),
        () => world.ec2.describeSpotPriceHistory({ InstanceTypes: ['m5.large', 'c5.large'], StartTime: since }),
      ],
      [
        new DescribeInstanceTypeOfferingsCommand({
          LocationType: 'availability-zone',
          Filters: [filter('instance-type', 'm5.*', 'c7g.large')],
        }),
        () =>
          world.ec2.describeInstanceTypeOfferings({
            LocationType: 'availability-zone',
            Filters: [filter('instance-type', 'm5.*', 'c7g.large')],
          }),
      ],
    ];
    for (const [command, direct] of reads) {
      const overHttp = await send<{ $metadata?: unknown }>(command);
      expect(content(overHttp)).toEqual(content(await direct()));
    }
    const prices = await send<{ SpotPriceHistory?: { Timestamp?: Date; SpotPrice?: string }[] }>(
      new DescribeSpotPriceHistoryCommand({ InstanceTypes: ['m5.large'], StartTime: since }),
    );
    expect(prices.SpotPriceHistory?.[0]?.Timestamp).toBeInstanceOf(Date);
    expect(prices.SpotPriceHistory?.[0]?.SpotPrice).toMatch(/^\d+\.\d+$/);
  });
});

describe('EC2 writes over the Query protocol', () => {
  it('creates a launch template with its data as sent, describes it and deletes it', async () => {
    const sent = await launchTemplate('web-nodes');
    const received = world.ec2.calls.find((c) => c.operation === 'createLaunchTemplate')?.input;
    // The SDK fills in the idempotency token it was not given.
    expect(received).toEqual({ ...sent, ClientToken: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const byName = { LaunchTemplateNames: ['web-nodes'] };
    const described = await send<{ $metadata?: unknown }>(new DescribeLaunchTemplatesCommand(byName));
    expect(content(described)).toEqual(content(await world.ec2.describeLaunchTemplates(byName)));
    expect(described).toMatchObject({ LaunchTemplates: [{ LaunchTemplateName: 'web-nodes', LatestVersionNumber: 1 }] });
    await send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: 'web-nodes' }));
    const gone = await failure(send(new DescribeLaunchTemplatesCommand(byName)));
    const direct = await failure(world.ec2.describeLaunchTemplates(byName));
    expect(gone).toMatchObject({ name: (direct as Error).name, message: (direct as Error).message });
  });

  it('launches with CreateFleet; DescribeInstances finds the instance by tag, with its zone and lifecycle', async () => {
    const id = await launchSpot();
    const subnet = (await world.ec2.describeSubnets({ Filters: [DISCOVERY] })).Subnets?.[1];
    const tagged = await send<{ Reservations?: { Instances?: Instance[] }[] }>(
      new DescribeInstancesCommand({ Filters: [filter('tag:fleetwright.io/cluster', 'my-cluster')] }),
    );
    expect(tagged.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)).toEqual([id]);
    const instance = tagged.Reservations?.[0]?.Instances?.[0];
    expect(instance).toMatchObject({
      InstanceType: 'm5.large',
      InstanceLifecycle: 'spot',
      SubnetId: subnet?.SubnetId,
      Placement: { AvailabilityZone: subnet?.AvailabilityZone },
      State: { Name: 'pending', Code: 0 },
      LaunchTime: new Date(T0),
    });
    expect(instance?.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'fleetwright.io/cluster', Value: 'my-cluster' },
        { Key: 'from-template', Value: 'yes' },
      ]),
    );
    const others = await send<{ Reservations?: unknown[] }>(
      new DescribeInstancesCommand({ Filters: [filter('tag:fleetwright.io/cluster', 'other')] }),
    );
    expect(others.Reservations).toEqual([]);
    await world.clock.advance(30_000);
    expect((await describeInstance(id))?.State).toEqual({ Name: 'running', Code: 16 });
  });

  it('tags with values that need escaping, and terminates the instance', async () => {
    const id = await launchSpot();
    const tags = [
      { Key: 'markup', Value: '<a href="x">&amp;\'</a>' },
      { Key: 'digits', Value: '007' },
      { Key: 'lines', Value: 'one\r\ntwo\n' },
      { Key: 'empty', Value: '' },
    ];
    await send(new CreateTagsCommand({ Resources: [id], Tags: tags }));
    expect(world.ec2.calls.at(-1)?.input).toEqual({ Resources: [id], Tags: tags });
    expect((await describeInstance(id))?.Tags).toEqual(expect.arrayContaining(tags));
    await world.clock.advance(30_000);
    const terminated = await send<{ $metadata?: unknown }>(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(terminated).toMatchObject({
      TerminatingInstances: [
        { InstanceId: id, PreviousState: { Name: 'running' }, CurrentState: { Name: 'shutting-down' } },
      ],
    });
    expect(world.ec2.instance(id)?.state).toBe('shutting-down');
    await world.clock.advance(60_000);
    expect((await describeInstance(id))?.State?.Name).toBe('terminated');
  });
});

describe('EC2 errors over the Query protocol', () => {
  it('throws the simulator error code as the SDK error name, with its message and status', async () => {
    const cases: [unknown, () => Promise<unknown>, string][] = [
      [
        new DescribeSubnetsCommand({ Filters: [filter('colour', 'blue')] }),
        () => world.ec2.describeSubnets({ Filters: [filter('colour', 'blue')] }),
        'InvalidParameterValue',
      ],
      [
        new DescribeImagesCommand({ ImageIds: ['ami-nope'] }),
        () => world.ec2.describeImages({ ImageIds: ['ami-nope'] }),
        'InvalidAMIID.Malformed',
      ],
      [
        new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] }),
        () => world.ec2.describeInstances({ InstanceIds: ['i-0123456789abcdef0'] }),
        'InvalidInstanceID.NotFound',
      ],
      [
        new TerminateInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'], DryRun: true }),
        () => world.ec2.terminateInstances({ InstanceIds: ['i-0123456789abcdef0'], DryRun: true }),
        'DryRunOperation',
      ],
    ];
    for (const [command, direct, code] of cases) {
      const expected = (await failure(direct())) as Error;
      expect(expected.name).toBe(code);
      const error = await failure(send(command));
      expect(error).toMatchObject({
        name: code,
        message: expected.message,
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      });
    }
  });

  it('refuses an unknown action, an unsigned request and a request of no known protocol', async () => {
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${world.endpoint.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });
    const unknown = await post('Action=RunInstances&Version=2016-11-15', { authorization: 'AWS4-HMAC-SHA256 x' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('<Code>InvalidAction</Code>');
    const unsigned = await post('Action=DescribeSubnets&Version=2016-11-15', {});
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    const other = await fetch(`${world.endpoint.url}/2015-03-31/functions`, { headers: { authorization: 'x' } });
    expect(other.status).toBe(400);
    expect(await other.text()).toContain('GET /2015-03-31/functions is none of them');
    expect(world.endpoint.requests.map((r) => [r.service, r.status])).toEqual([
      ['ec2', 400],
      ['ec2', 403],
      ['unknown', 400],
    ]);
    expect(world.ec2.calls).toEqual([]);
  });
});
