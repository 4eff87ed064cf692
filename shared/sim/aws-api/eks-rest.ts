// EKS DescribeCluster over its real wire protocol (REST-JSON): `GET /clusters/<name>` answers
// `{"cluster": {…}}`; an unknown name is a 404 with `x-amzn-errortype: ResourceNotFoundException`, which the SDK
// turns into its modeled `ResourceNotFoundException`. The cluster carries every field fleetwright reads
// (shared/adapters/aws/ec2/cluster-info.ts, shared/adapters/kubernetes/auth/eks-cluster.ts,
// infra/custom-resources/rbac/authentication-mode.ts) and the rest of a typical answer's shape.

import type { AwsReply, AwsRequest } from './http.js';
import { jsonReply } from './http.js';

/** A simulated EKS cluster; `ClusterInfo` (shared/adapters/aws/ec2/cluster.ts) is one. */
export interface SimClusterDescription {
  readonly name: string;
  /** `https://…`: the API server endpoint. */
  readonly endpoint: string;
  /** Base64 of the cluster CA's PEM, as DescribeCluster's `certificateAuthority.data`. */
  readonly certificateAuthority: string;
  readonly serviceCidr: string;
  /** Kubernetes minor version, "1.33". */
  readonly kubernetesVersion: string;
  /** Default `ACTIVE`. */
  readonly status?: string;
  /** Default `API_AND_CONFIG_MAP`. */
  readonly authenticationMode?: string;
  /** Default: the account's `createdAt`. */
  readonly createdAt?: Date;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Where the clusters live, and when those without their own `createdAt` were created. */
export interface EksAccount {
  readonly account: string;
  readonly region: string;
  readonly createdAt: Date;
}

const CLUSTERS_PATH = '/clusters/';

export function isEksRequest(request: AwsRequest): boolean {
  return request.path.startsWith(CLUSTERS_PATH);
}

/** Answers `GET /clusters/<name>` (DescribeCluster); other EKS operations are refused. */
export function answerEks(
  clusters: readonly SimClusterDescription[],
  request: AwsRequest,
  account: EksAccount,
): AwsReply {
  const name = decodeURIComponent(request.path.slice(CLUSTERS_PATH.length));
  if (request.method !== 'GET' || name.includes('/')) {
    const message = `the simulator implements only DescribeCluster, not ${request.method} ${request.path}`;
    return eksError('unknown', 400, 'InvalidRequestException', message);
  }
  const cluster = clusters.find((c) => c.name === name);
  if (!cluster) {
    return eksError('DescribeCluster', 404, 'ResourceNotFoundException', `No cluster found for name: ${name}.`, {
      clusterName: name,
    });
  }
  return jsonReply('DescribeCluster', 200, { cluster: describeCluster(cluster, account) });
}

function describeCluster(cluster: SimClusterDescription, { account, region, createdAt }: EksAccount) {
  const arn = `arn:aws:eks:${region}:${account}:cluster/${cluster.name}`;
  const oidcId = Buffer.from(arn).toString('hex').slice(-32).toUpperCase();
  return {
    name: cluster.name,
    arn,
    createdAt: cluster.createdAt ?? createdAt,
    version: cluster.kubernetesVersion,
    endpoint: cluster.endpoint,
    roleArn: `arn:aws:iam::${account}:role/${cluster.name}-cluster`,
    resourcesVpcConfig: {
      subnetIds: [],
      securityGroupIds: [],
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['0.0.0.0/0'],
    },
    kubernetesNetworkConfig: { serviceIpv4Cidr: cluster.serviceCidr, ipFamily: 'ipv4' },
    logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator'], enabled: false }] },
    identity: { oidc: { issuer: `https://oidc.eks.${region}.amazonaws.com/id/${oidcId}` } },
    status: cluster.status ?? 'ACTIVE',
    certificateAuthority: { data: cluster.certificateAuthority },
    platformVersion: 'eks.1',
    tags: { ...cluster.tags },
    accessConfig: { authenticationMode: cluster.authenticationMode ?? 'API_AND_CONFIG_MAP' },
    upgradePolicy: { supportType: 'STANDARD' },
  };
}

export function eksError(
  operation: string,
  status: number,
  code: string,
  message: string,
  fields: Readonly<Record<string, string>> = {},
): AwsReply {
  return jsonReply(operation, status, { message, ...fields }, { 'x-amzn-errortype': code });
}
