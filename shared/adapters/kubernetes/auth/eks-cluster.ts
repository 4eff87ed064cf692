// Where the cluster's API server is and which CA signs its certificate, from `eks:DescribeCluster`, cached at
// module scope so warm invocations skip the call (DESIGN §2 "Caches"), together with the undici Agent that
// trusts exactly that CA — reusing the Agent also reuses its keep-alive connections to the API server.

import { DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import { Agent } from 'undici';
import { CLUSTER_INFO_TTL_MS } from '../timing.js';

export interface ClusterEndpoint {
  readonly name: string;
  /** `https://<id>.<zone>.<region>.eks.amazonaws.com` */
  readonly endpoint: string;
  /** The cluster CA certificate, PEM. */
  readonly caPem: string;
  readonly status: string;
  /** `API`, `API_AND_CONFIG_MAP` or `CONFIG_MAP`; undefined for clusters that predate access entries. */
  readonly authenticationMode?: string;
}

/** The cluster cannot be talked to (not active, no endpoint or CA); the message says why. */
export class ClusterEndpointError extends Error {
  override readonly name = 'ClusterEndpointError';
}

/** While EKS updates a cluster its API server keeps serving; in other states it may not exist. */
const USABLE_STATUSES = new Set(['ACTIVE', 'UPDATING']);

interface CacheEntry {
  readonly endpoint: ClusterEndpoint;
  readonly agent: Agent;
  readonly fetchedAt: number;
}

const cache = new Map<string, CacheEntry>();

/**
 * The cluster's endpoint and CA (cached for CLUSTER_INFO_TTL_MS per region and name) and an Agent verifying
 * TLS against that CA. Throws ClusterEndpointError when the cluster cannot be talked to, saying why.
 */
export async function clusterConnection(
  eks: EKSClient,
  clusterName: string,
  now: number = Date.now(),
): Promise<{ endpoint: ClusterEndpoint; agent: Agent }> {
  const key = `${await eks.config.region()}/${clusterName}`;
  const hit = cache.get(key);
  if (hit && now - hit.fetchedAt < CLUSTER_INFO_TTL_MS) return hit;
  const endpoint = await describeClusterEndpoint(eks, clusterName);
  // Same CA: keep the Agent and its warm connections. A replaced Agent is not closed, because clients made
  // earlier may still use it; its idle connections close by themselves.
  const agent = hit?.endpoint.caPem === endpoint.caPem ? hit.agent : new Agent({ connect: { ca: endpoint.caPem } });
  const entry = { endpoint, agent, fetchedAt: now };
  cache.set(key, entry);
  return entry;
}

/** Drops cached endpoints (tests; or after a TLS failure that suggests the cluster was re-created). */
export async function forgetClusterConnections(): Promise<void> {
  const entries = [...cache.values()];
  cache.clear();
  await Promise.all(entries.map((e) => e.agent.close()));
}

/** DescribeCluster, checked: a usable status, an endpoint, and a PEM CA. */
export async function describeClusterEndpoint(eks: EKSClient, clusterName: string): Promise<ClusterEndpoint> {
  const { cluster } = await eks.send(new DescribeClusterCommand({ name: clusterName }));
  const fail = (why: string): never => {
    throw new ClusterEndpointError(`EKS cluster ${clusterName}: ${why}`);
  };
  if (!cluster) return fail('DescribeCluster returned no cluster');
  const status = cluster.status ?? 'UNKNOWN';
  if (!USABLE_STATUSES.has(status)) fail(`its status is ${status}, so its API server cannot be used`);
  const endpoint = cluster.endpoint ?? fail(`it has no API server endpoint yet (status ${status})`);
  const caData = cluster.certificateAuthority?.data ?? fail('it has no certificate authority data');
  const caPem = Buffer.from(caData, 'base64').toString('utf8');
  if (!caPem.includes('-----BEGIN CERTIFICATE-----')) fail('its certificate authority data is not a PEM certificate');
  return {
    name: clusterName,
    endpoint,
    caPem,
    status,
    authenticationMode: cluster.accessConfig?.authenticationMode,
  };
}

/** Access entries, which the stack uses to grant the controller role, need `API` or `API_AND_CONFIG_MAP` (DESIGN §2). */
export function assertAccessEntries(endpoint: ClusterEndpoint): void {
  const mode = endpoint.authenticationMode;
  if (mode === 'API' || mode === 'API_AND_CONFIG_MAP') return;
  throw new ClusterEndpointError(
    `EKS cluster ${endpoint.name}: access entries need the cluster's authentication mode API or ` +
      `API_AND_CONFIG_MAP, but it is ${mode ?? 'CONFIG_MAP (not set)'}; change it with ` +
      `\`aws eks update-cluster-config --name ${endpoint.name} --access-config authenticationMode=API_AND_CONFIG_MAP\`.`,
  );
}
