// EKS DescribeCluster through the loopback endpoint with the real `@aws-sdk/client-eks`, read by fleetwright's own
// readers (the EC2 adapter's ClusterInfo, the Kubernetes adapter's endpoint and CA, the stack's
// authentication-mode check), and the 404 an unknown cluster gets.

import { DescribeClusterCommand, ResourceNotFoundException } from '@aws-sdk/client-eks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkAuthenticationMode } from '../../../infra/custom-resources/rbac/authentication-mode.js';
import { describeClusterInfo } from '../../../shared/adapters/aws/ec2/cluster-info.js';
import { describeClusterEndpoint } from '../../../shared/adapters/kubernetes/auth/eks-cluster.js';
import { CLUSTER } from '../../adapters/aws/aws-world.js';
import { type EndpointWorld, endpointWorld } from './endpoint-world.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBsim\n-----END CERTIFICATE-----\n';
const LEGACY = {
  name: 'legacy-cluster',
  endpoint: 'https://LEGACY.yl4.us-east-1.eks.amazonaws.com',
  certificateAuthority: Buffer.from(PEM).toString('base64'),
  serviceCidr: '172.20.0.0/16',
  kubernetesVersion: '1.31',
  status: 'UPDATING',
  authenticationMode: 'CONFIG_MAP',
  createdAt: new Date('2024-03-01T10:00:00Z'),
  tags: { team: 'platform' },
};

let world: EndpointWorld;
beforeEach(async () => {
  world = await endpointWorld({}, { clusters: [CLUSTER, LEGACY] });
});
afterEach(() => world.close());

describe('EKS DescribeCluster over REST-JSON', () => {
  it('answers every field fleetwright reads', async () => {
    const { cluster } = await world.clients.eks.send(new DescribeClusterCommand({ name: LEGACY.name }));
    expect(cluster).toMatchObject({
      name: LEGACY.name,
      arn: `arn:aws:eks:us-east-1:123456789012:cluster/${LEGACY.name}`,
      status: 'UPDATING',
      endpoint: LEGACY.endpoint,
      certificateAuthority: { data: LEGACY.certificateAuthority },
      version: '1.31',
      kubernetesNetworkConfig: { serviceIpv4Cidr: '172.20.0.0/16', ipFamily: 'ipv4' },
      accessConfig: { authenticationMode: 'CONFIG_MAP' },
      createdAt: LEGACY.createdAt,
      tags: { team: 'platform' },
    });
    expect(cluster?.identity?.oidc?.issuer).toMatch(
      /^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/,
    );
    expect(world.endpoint.requests).toEqual([{ service: 'eks', operation: 'DescribeCluster', status: 200 }]);
  });

  it("gives the EC2 adapter its ClusterInfo and the Kubernetes adapter the cluster's endpoint and CA", async () => {
    const info = await describeClusterInfo(world.clients.eks, CLUSTER.name, Date.now());
    expect(info).toEqual(CLUSTER);
    const legacy = await describeClusterEndpoint(world.clients.eks, LEGACY.name);
    expect(legacy).toEqual({
      name: LEGACY.name,
      endpoint: LEGACY.endpoint,
      caPem: PEM,
      status: 'UPDATING',
      authenticationMode: 'CONFIG_MAP',
    });
    await expect(checkAuthenticationMode(world.clients.eks, CLUSTER.name)).resolves.toBe('API_AND_CONFIG_MAP');
    await expect(checkAuthenticationMode(world.clients.eks, LEGACY.name)).rejects.toThrow(/CONFIG_MAP/);
  });

  it('answers an unknown cluster with ResourceNotFoundException (404)', async () => {
    const error = await world.clients.eks.send(new DescribeClusterCommand({ name: 'nope' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'No cluster found for name: nope.',
      clusterName: 'nope',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(checkAuthenticationMode(world.clients.eks, 'nope')).rejects.toThrow(/does not exist in us-east-1/);
  });
});
