// The simulated account behind the loopback AWS endpoint, and the REAL SDK clients pointed at it the way any
// process would be: an endpoint URL, a region and (fake) credentials, nothing else.

import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { SSMClient } from '@aws-sdk/client-ssm';
import { type AwsEndpointOptions, startAwsEndpoint } from '../../../shared/sim/aws-api/server.js';
import type { SimulatedEc2Options } from '../../../shared/sim/ec2/simulated-ec2.js';
import { CLUSTER } from '../../adapters/aws/aws-world.js';
import { simWorld } from '../ec2/sim-world.js';

export const CREDENTIALS = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' };

/** A simulated account (see test/sim/ec2/sim-world.ts), served on a loopback endpoint with CLUSTER in EKS. */
export async function endpointWorld(
  options: Partial<SimulatedEc2Options> = {},
  endpointOptions: Partial<AwsEndpointOptions> = {},
) {
  const world = simWorld(options);
  const endpoint = await startAwsEndpoint({
    ec2: world.ec2,
    amiParameters: world.ec2,
    clusters: [CLUSTER],
    ...endpointOptions,
  });
  const config = { region: 'us-east-1', endpoint: endpoint.url, credentials: CREDENTIALS };
  const clients = {
    ec2: new EC2Client(config),
    ssm: new SSMClient(config),
    eks: new EKSClient(config),
  };
  const close = async () => {
    for (const client of Object.values(clients)) client.destroy();
    await endpoint.close();
  };
  return { ...world, endpoint, clients, close };
}

export type EndpointWorld = Awaited<ReturnType<typeof endpointWorld>>;

/** The response without the SDK's `$metadata`, to compare with what the simulator answered directly. */
export function content<T extends { $metadata?: unknown }>(output: T): Omit<T, '$metadata'> {
  const { $metadata: _, ...rest } = output;
  return rest;
}
