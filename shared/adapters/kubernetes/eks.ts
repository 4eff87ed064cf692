// Wiring for the Lambdas: an EKS cluster name in, a KubeClient out — endpoint and CA from DescribeCluster,
// TLS verified against that CA, IAM tokens signed with the EKS client's own credentials and region. Token
// sources live at module scope next to the endpoint cache, so a warm invocation reuses its token too.

import type { EKSClient } from '@aws-sdk/client-eks';
import { clusterConnection } from './auth/eks-cluster.js';
import { type CredentialsProvider, EksTokenSource } from './auth/eks-token.js';
import { KubeClient } from './client/kube-client.js';
import type { RetryPolicy } from './client/retry.js';
import { Transport } from './client/transport.js';

export interface EksConnectOptions {
  readonly clusterName: string;
  /** DescribeCluster goes through it; its region and credentials also sign the tokens. */
  readonly eks: EKSClient;
  /** Overrides the EKS client's credentials for signing tokens. */
  readonly credentials?: CredentialsProvider;
  readonly now?: () => number;
  readonly retry?: RetryPolicy;
  readonly requestTimeoutMs?: number;
}

/** Per region and cluster, reused while the same credentials provider and clock are passed (warm invocations). */
const tokenSources = new Map<string, { credentials: CredentialsProvider; now: () => number; tokens: EksTokenSource }>();

/** A client for the cluster's API server, authenticated as the EKS client's IAM principal. */
export async function connectToEks(options: EksConnectOptions): Promise<KubeClient> {
  const now = options.now ?? Date.now;
  const { endpoint, agent } = await clusterConnection(options.eks, options.clusterName, now());
  const region = await options.eks.config.region();
  const credentials = options.credentials ?? (options.eks.config.credentials as CredentialsProvider);
  const key = `${region}/${options.clusterName}`;
  let entry = tokenSources.get(key);
  if (entry?.credentials !== credentials || entry.now !== now) {
    entry = {
      credentials,
      now,
      tokens: new EksTokenSource({ clusterName: options.clusterName, region, credentials, now }),
    };
    tokenSources.set(key, entry);
  }
  const tokens = entry.tokens;
  const transport = new Transport({
    server: endpoint.endpoint,
    tokens,
    dispatcher: agent,
    retry: options.retry,
    requestTimeoutMs: options.requestTimeoutMs,
  });
  return new KubeClient(transport);
}
