// Capacity errors (research/aws-provider.md §c, §j.4): CreateFleet's per-override errors go into the
// unavailable-offerings cache for 3 minutes, the launch retries with what remains, and a launch that starts
// nothing fails with a typed LaunchError. Also: a template deleted under us, and throttled calls.

import {
  CreateFleetCommand,
  type CreateFleetCommandInput,
  CreateLaunchTemplateCommand,
  DescribeSubnetsCommand,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { LaunchError } from '../../../shared/adapters/aws/ec2/launch-error.js';
import type { InstanceType } from '../../../shared/core/model/instancetype.js';
import type { LaunchRequest } from '../../../shared/core/ports/cloud.js';
import { nodePool } from '../../fixtures/builders.js';
import {
  awsError,
  fleetError,
  fleetInstance,
  type MockAws,
  mockAws,
  nodeClassFixture,
  plannedNode,
  provider,
  subnet,
  testClock,
} from './aws-world.js';

const MINUTE = 60_000;
const { doc, nodeClass } = nodeClassFixture();

function request(overrides: Partial<LaunchRequest> = {}): LaunchRequest {
  return {
    node: plannedNode(),
    nodePool: nodePool('default'),
    nodeClass,
    zones: ['us-east-1a', 'us-east-1b'],
    ...overrides,
  };
}

function overridesOf(input: CreateFleetCommandInput | undefined): string[] {
  return (input?.LaunchTemplateConfigs ?? []).flatMap((c) =>
    (c.Overrides ?? []).map((o) => `${o.InstanceType}/${o.AvailabilityZone}/${o.SubnetId}`),
  );
}

function fleetInputs(aws: MockAws): CreateFleetCommandInput[] {
  return aws.ec2.commandCalls(CreateFleetCommand).map((c) => c.args[0].input);
}

function available(
  types: readonly InstanceType[],
  name: string,
  zone: string,
  capacityType: string,
): boolean | undefined {
  return types.find((t) => t.name === name)?.offerings.find((o) => o.zone === zone && o.capacityType === capacityType)
    ?.available;
}

async function launchError(promise: Promise<unknown>): Promise<LaunchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LaunchError);
  return error as LaunchError;
}

describe('capacity errors', () => {
  let aws: MockAws;
  beforeEach(() => {
    aws = mockAws();
  });

  it('retries with the remaining options after ICE, and marks the failed offerings unavailable for 3 min', async () => {
    aws.ec2
      .on(CreateFleetCommand)
      .resolvesOnce({
        FleetId: 'fleet-1',
        Errors: [
          fleetError('InsufficientInstanceCapacity', 'm5.large', 'us-east-1a', 'subnet-0aaa'),
          fleetError('InsufficientInstanceCapacity', 'm5.large', 'us-east-1b', 'subnet-0bbb'),
        ],
        Instances: [],
      })
      .resolvesOnce({
        FleetId: 'fleet-2',
        Errors: [],
        Instances: [fleetInstance('i-0b', 'm5.xlarge', 'us-east-1b', 'subnet-0bbb')],
      });
    const clock = testClock();
    const cloud = provider(aws, clock, doc);
    const launched = await cloud.launch(request());
    expect(launched).toMatchObject({ instanceId: 'i-0b', instanceType: 'm5.xlarge', zone: 'us-east-1b' });
    const [first, second] = fleetInputs(aws);
    expect(overridesOf(first)).toHaveLength(4);
    expect(overridesOf(second)).toEqual(['m5.xlarge/us-east-1a/subnet-0aaa', 'm5.xlarge/us-east-1b/subnet-0bbb']);
    expect(second?.ClientToken).not.toBe(first?.ClientToken);

    let types = await cloud.instanceTypes(nodeClass);
    expect(available(types, 'm5.large', 'us-east-1a', 'spot')).toBe(false);
    expect(available(types, 'm5.large', 'us-east-1a', 'on-demand')).toBe(true);
    expect(available(types, 'm5.xlarge', 'us-east-1a', 'spot')).toBe(true);
    clock.advance(3 * MINUTE);
    types = await cloud.instanceTypes(nodeClass);
    expect(available(types, 'm5.large', 'us-east-1a', 'spot')).toBe(true);
  });

  it('records the errors of a call that did start an instance', async () => {
    aws.ec2.on(CreateFleetCommand).resolves({
      Errors: [fleetError('InsufficientInstanceCapacity', 'm5.large', 'us-east-1a', 'subnet-0aaa')],
      Instances: [fleetInstance('i-0c', 'm5.large', 'us-east-1b', 'subnet-0bbb')],
    });
    const cloud = provider(aws, testClock(), doc);
    await cloud.launch(request());
    expect(aws.ec2).toHaveReceivedCommandTimes(CreateFleetCommand, 1);
    expect(available(await cloud.instanceTypes(nodeClass), 'm5.large', 'us-east-1a', 'spot')).toBe(false);
  });

  it('fails with InsufficientCapacity when every option is out of capacity', async () => {
    aws.ec2.on(CreateFleetCommand).callsFake((input: CreateFleetCommandInput) => ({
      Errors: (input.LaunchTemplateConfigs ?? []).flatMap((c) =>
        (c.Overrides ?? []).map((o) =>
          fleetError(
            'InsufficientInstanceCapacity',
            o.InstanceType as string,
            o.AvailabilityZone as string,
            o.SubnetId as string,
          ),
        ),
      ),
      Instances: [],
    }));
    const error = await launchError(provider(aws, testClock(), doc).launch(request()));
    expect(error).toMatchObject({ reason: 'InsufficientCapacity', nodePool: 'default', capacityType: 'spot' });
    expect(error.codes).toEqual(['InsufficientInstanceCapacity']);
    expect(error.insufficientCapacity).toBe(true);
    // Nothing was left to try after the first call: every override was marked.
    expect(aws.ec2).toHaveReceivedCommandTimes(CreateFleetCommand, 1);
  });

  it('treats quota errors as capacity too, but reports a non-capacity error as such without retrying', async () => {
    aws.ec2.on(CreateFleetCommand).resolves({
      Errors: [
        fleetError('VcpuLimitExceeded', 'm5.large', 'us-east-1a', 'subnet-0aaa'),
        fleetError('InvalidParameterValue', 'm5.xlarge', 'us-east-1a', 'subnet-0aaa'),
      ],
      Instances: [],
    });
    const error = await launchError(provider(aws, testClock(), doc).launch(request()));
    expect(error.reason).toBe('LaunchFailed');
    expect(error.codes).toEqual(['VcpuLimitExceeded', 'InvalidParameterValue']);
    expect(aws.ec2).toHaveReceivedCommandTimes(CreateFleetCommand, 1);
  });

  it('disables all spot for 3 min when the Spot service-linked role is missing', async () => {
    aws.ec2.on(CreateFleetCommand).resolves({
      Errors: [
        fleetError('AuthFailure.ServiceLinkedRoleCreationNotPermitted', 'm5.large', 'us-east-1a', 'subnet-0aaa'),
      ],
      Instances: [],
    });
    const clock = testClock();
    const cloud = provider(aws, clock, doc);
    const error = await launchError(cloud.launch(request()));
    expect(error.reason).toBe('SpotServiceLinkedRoleMissing');
    const types = await cloud.instanceTypes(nodeClass);
    const spot = types.flatMap((t) => t.offerings.filter((o) => o.capacityType === 'spot'));
    expect(spot.every((o) => !o.available)).toBe(true);
    expect(available(types, 'm5.large', 'us-east-1a', 'on-demand')).toBe(true);
    clock.advance(3 * MINUTE);
    expect(available(await cloud.instanceTypes(nodeClass), 'm5.large', 'us-east-1a', 'spot')).toBe(true);
  });

  it("moves to the zone's next subnet when one runs out of addresses", async () => {
    aws.ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: [subnet('subnet-0big', 'us-east-1a', 9000), subnet('subnet-0small', 'us-east-1a', 200)],
    });
    aws.ec2
      .on(CreateFleetCommand)
      .resolvesOnce({
        Errors: [
          fleetError('InsufficientFreeAddressesInSubnet', 'm5.large', 'us-east-1a', 'subnet-0big'),
          fleetError('InsufficientFreeAddressesInSubnet', 'm5.xlarge', 'us-east-1a', 'subnet-0big'),
        ],
        Instances: [],
      })
      .resolvesOnce({ Instances: [fleetInstance('i-0d', 'm5.large', 'us-east-1a', 'subnet-0small')] });
    await provider(aws, testClock(), doc).launch(request());
    const [first, second] = fleetInputs(aws);
    expect(overridesOf(first)).toEqual(['m5.large/us-east-1a/subnet-0big', 'm5.xlarge/us-east-1a/subnet-0big']);
    expect(overridesOf(second)).toEqual(['m5.large/us-east-1a/subnet-0small', 'm5.xlarge/us-east-1a/subnet-0small']);
  });

  it('does not repeat a call whose errors named no offering to take out', async () => {
    aws.ec2.on(CreateFleetCommand).resolves({
      Errors: [{ ErrorCode: 'InsufficientInstanceCapacity', ErrorMessage: 'Insufficient capacity.' }],
      Instances: [],
    });
    const error = await launchError(provider(aws, testClock(), doc).launch(request()));
    expect(error.reason).toBe('InsufficientCapacity');
    expect(aws.ec2).toHaveReceivedCommandTimes(CreateFleetCommand, 1);
  });

  it('fails with NoLaunchableOffering, without calling EC2, when no option is launchable', async () => {
    const error = await launchError(
      provider(aws, testClock(), doc).launch(request({ node: plannedNode({ instanceTypeOptions: ['x9.nothing'] }) })),
    );
    expect(error.reason).toBe('NoLaunchableOffering');
    expect(aws.ec2).not.toHaveReceivedCommand(CreateFleetCommand);
  });
});

describe('errors thrown by CreateFleet', () => {
  let aws: MockAws;
  beforeEach(() => {
    aws = mockAws();
  });

  it('wraps an IAM denial in a LaunchError with the cause', async () => {
    const denied = awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.');
    aws.ec2.on(CreateFleetCommand).rejects(denied);
    const error = await launchError(provider(aws, testClock(), doc).launch(request()));
    expect(error).toMatchObject({ reason: 'Unauthorized', codes: ['UnauthorizedOperation'] });
    expect(error.cause).toBe(denied);
  });

  it('rebuilds a launch template deleted under us, once', async () => {
    aws.ec2
      .on(CreateFleetCommand)
      .rejectsOnce(awsError('InvalidLaunchTemplateName.NotFoundException'))
      .resolves({ Instances: [fleetInstance('i-0e', 'm5.large', 'us-east-1a', 'subnet-0aaa')] });
    const cloud = provider(aws, testClock(), doc);
    await cloud.launch(request({ node: plannedNode({ instanceTypeOptions: ['m5.large'] }) }));
    expect(aws.ec2).toHaveReceivedCommandTimes(CreateFleetCommand, 2);
    expect(aws.ec2).toHaveReceivedCommandTimes(CreateLaunchTemplateCommand, 2);
  });

  it('retries a throttled call with the same client token', async () => {
    const delays: number[] = [];
    aws.ec2
      .on(CreateFleetCommand)
      .rejectsOnce(awsError('RequestLimitExceeded', 'Request limit exceeded.'))
      .rejectsOnce(awsError('RequestLimitExceeded', 'Request limit exceeded.'))
      .resolves({ Instances: [fleetInstance('i-0f', 'm5.large', 'us-east-1a', 'subnet-0aaa')] });
    const cloud = provider(aws, testClock(), doc, {
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    await expect(cloud.launch(request())).resolves.toMatchObject({ instanceId: 'i-0f' });
    expect(fleetInputs(aws).map((i) => i.ClientToken)).toEqual(['token-1', 'token-1', 'token-1']);
    expect(delays).toEqual([500, 1000]);
  });

  it('gives up on throttling after 4 attempts', async () => {
    aws.ec2.on(CreateFleetCommand).rejects(awsError('RequestLimitExceeded'));
    const error = await launchError(provider(aws, testClock(), doc).launch(request()));
    expect(error.reason).toBe('RequestLimitExceeded');
    expect(aws.ec2).toHaveReceivedCommandTimes(CreateFleetCommand, 4);
  });
});
