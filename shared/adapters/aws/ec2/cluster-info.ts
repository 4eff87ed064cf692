// The ClusterInfo the EC2 adapter launches nodes with, from `eks:DescribeCluster` (the composition root's one
// lookup, DESIGN.md §2): the endpoint and CA nodes join with, the service CIDR nodeadm needs, and the Kubernetes
// version that picks the AMI behind an alias. Cached at module scope for warm invocations, like the endpoint.

import { DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import type { ClusterInfo } from './cluster.js';

/** EKS never changes these for a live cluster but the version, which an upgrade changes: re-read hourly. */
export const CLUSTER_INFO_TTL_MS = 60 * 60_000;

const cache = new Map<string, { info: ClusterInfo; at: number }>();

/** The cluster as the EC2 adapter needs it. Throws when EKS leaves out a field nodes cannot join without. */
export async function describeClusterInfo(eks: EKSClient, name: string, now = Date.now()): Promise<ClusterInfo> {
  const region = await eks.config.region();
  const key = `${region}/${name}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < CLUSTER_INFO_TTL_MS) return hit.info;
  const { cluster } = await eks.send(new DescribeClusterCommand({ name }));
  const network = cluster?.kubernetesNetworkConfig;
  const serviceCidr = network?.serviceIpv4Cidr ?? network?.serviceIpv6Cidr;
  const missing = [
    ['endpoint', cluster?.endpoint],
    ['certificateAuthority.data', cluster?.certificateAuthority?.data],
    ['kubernetesNetworkConfig.serviceIpv4Cidr', serviceCidr],
    ['version', cluster?.version],
  ].filter(([, value]) => !value);
  if (missing.length > 0) {
    throw new Error(`EKS cluster ${name}: DescribeCluster returned no ${missing.map(([field]) => field).join(', ')}`);
  }
  const info: ClusterInfo = {
    name,
    region,
    endpoint: cluster?.endpoint as string,
    certificateAuthority: cluster?.certificateAuthority?.data as string,
    serviceCidr: serviceCidr as string,
    kubernetesVersion: cluster?.version as string,
  };
  cache.set(key, { info, at: now });
  return info;
}
