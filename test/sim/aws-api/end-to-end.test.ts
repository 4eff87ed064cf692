// The REAL Ec2CloudProvider over real SDK clients pointed at the loopback endpoint (as the CLI would be) decides
// exactly what it decides over the SimulatedEc2 called in-process: the same instance types and prices, the same
// launch with the same EC2 requests. And the SDK finds the endpoint from AWS_ENDPOINT_URL alone.

import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { amiParametersFromClient, ec2ApiFromClient } from '../../../shared/adapters/aws/ec2/api.js';
import type { Ec2CloudProvider } from '../../../shared/adapters/aws/ec2/cloud-provider.js';
import type { InstanceType } from '../../../shared/core/model/instancetype.js';
import { nodeClassFixture, plannedNode } from '../../adapters/aws/aws-world.js';
import { nodePool } from '../../fixtures/builders.js';
import { simProvider } from '../ec2/sim-world.js';
import { CREDENTIALS, type EndpointWorld, endpointWorld } from './endpoint-world.js';

const { doc, nodeClass } = nodeClassFixture();

const worlds: EndpointWorld[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.close()));
});

async function started(): Promise<EndpointWorld> {
  const world = await endpointWorld();
  worlds.push(world);
  return world;
}

/** The provider whose EC2 and SSM calls go over HTTP; the Price List API is not served, so it stays in-process. */
function overHttp(world: EndpointWorld): Ec2CloudProvider {
  return simProvider(world, doc, {
    ec2: ec2ApiFromClient(world.clients.ec2),
    ssm: amiParametersFromClient(world.clients.ssm),
  });
}

/** Each type's offerings as comparable rows, in a fixed order. */
function offerings(types: readonly InstanceType[]): string[] {
  return types
    .flatMap((t) => t.offerings.map((o) => `${t.name} ${o.zone} ${o.capacityType} ${o.price} ${o.available}`))
    .sort();
}

describe('Ec2CloudProvider over the loopback AWS endpoint', () => {
  it('resolves the same instance types, offerings and prices as over the simulator in-process', async () => {
    const world = await started();
    const remote = await overHttp(world).instanceTypes(nodeClass);
    const local = await simProvider(world, doc).instanceTypes(nodeClass);
    expect(remote.length).toBeGreaterThan(700);
    expect(remote.map((t) => t.name).sort()).toEqual(local.map((t) => t.name).sort());
    expect(offerings(remote)).toEqual(offerings(local));
    expect(remote).toEqual(local);
    const services = new Set(world.endpoint.requests.map((r) => `${r.service} ${r.operation} ${r.status}`));
    expect([...services].sort()).toEqual([
      'ec2 DescribeInstanceTypeOfferings 200',
      'ec2 DescribeInstanceTypes 200',
      'ec2 DescribeSpotPriceHistory 200',
      'ec2 DescribeSubnets 200',
      'ssm GetParameter 200',
    ]);
  });

  it('launches, lists and terminates as over the simulator in-process, sending EC2 the same requests', async () => {
    const remoteWorld = await started();
    const localWorld = await started();
    const request = {
      node: plannedNode({ instanceTypeOptions: ['m5.large', 'm5.xlarge', 'c5.large'], capacityType: 'spot' }),
      nodePool: nodePool('default'),
      nodeClass,
      zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    };
    const remote = overHttp(remoteWorld);
    const launched = await remote.launch(request);
    expect(launched).toEqual(await simProvider(localWorld, doc).launch(request));
    expect(launched.imageId).toMatch(/^ami-/);
    // Every EC2 and SSM call reached the simulator with the input the adapter built (the SDK adds only the
    // idempotency tokens the adapter left out). Calls of different operations run concurrently, so each
    // operation's calls are compared in order; the Price List API is not served, so GetProducts is left out.
    const byOperation = (world: EndpointWorld) => {
      const calls = new Map<string, unknown[]>();
      for (const { operation, input } of world.ec2.calls) {
        if (operation !== 'getProducts') calls.set(operation, [...(calls.get(operation) ?? []), input]);
      }
      return calls;
    };
    const local = byOperation(localWorld);
    const sent = byOperation(remoteWorld);
    expect([...sent.keys()].sort()).toEqual([...local.keys()].sort());
    expect([...sent.keys()]).toContain('createFleet');
    for (const [operation, inputs] of local) {
      const withSdkTokens = inputs.map((input, i) => {
        const token = (sent.get(operation)?.[i] as { ClientToken?: string } | undefined)?.ClientToken;
        const own = (input as { ClientToken?: string }).ClientToken;
        return own === undefined && token !== undefined ? { ...(input as object), ClientToken: token } : input;
      });
      expect({ operation, inputs: sent.get(operation) }).toEqual({ operation, inputs: withSdkTokens });
    }
    await remoteWorld.clock.advance(30_000);
    const [listed] = await remote.list();
    expect(listed).toMatchObject({ instanceId: launched.instanceId, state: 'running', zone: launched.zone });
    const result = await remote.terminate([launched.instanceId]);
    expect(result.terminating).toEqual([launched.instanceId]);
    expect(remoteWorld.ec2.instance(launched.instanceId)?.state).toBe('shutting-down');
  });
});

describe('AWS_ENDPOINT_URL', () => {
  it('points a client configured with nothing but a region and credentials at the endpoint', async () => {
    const world = await started();
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = world.endpoint.url;
    const client = new EC2Client({ region: 'us-east-1', credentials: CREDENTIALS });
    try {
      const { Subnets } = await client.send(new DescribeSubnetsCommand({}));
      expect(Subnets?.map((s) => s.SubnetId)).toEqual(
        (await world.ec2.describeSubnets({})).Subnets?.map((s) => s.SubnetId),
      );
      expect(world.endpoint.requests).toEqual([{ service: 'ec2', operation: 'DescribeSubnets', status: 200 }]);
    } finally {
      client.destroy();
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
  });
});
