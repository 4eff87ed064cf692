// Access entries (how the stack grants the node role and the controller role their Kubernetes identities) exist
// only on clusters whose authentication mode is API or API_AND_CONFIG_MAP. Checked before any entry is created,
// so a CONFIG_MAP cluster fails the deployment with the reason instead of an EKS error about an access entry.

import { DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';

const ACCESS_ENTRY_MODES = new Set(['API', 'API_AND_CONFIG_MAP']);

/** Clusters created before access entries have no accessConfig: they authenticate through the aws-auth ConfigMap. */
const LEGACY_MODE = 'CONFIG_MAP';

export class ClusterAccessError extends Error {
  override readonly name = 'ClusterAccessError';
}

/** The sentence a deployment fails with (DESIGN §2), or undefined when the mode allows access entries. */
export function authenticationModeProblem(mode: string | undefined): string | undefined {
  const actual = mode ?? LEGACY_MODE;
  if (ACCESS_ENTRY_MODES.has(actual)) return undefined;
  return `the cluster's authentication mode must be API or API_AND_CONFIG_MAP for access entries; it is ${actual}`;
}

/** The cluster's authentication mode; a ClusterAccessError when it is missing or does not allow access entries. */
export async function checkAuthenticationMode(eks: EKSClient, clusterName: string): Promise<string> {
  const cluster = await eks
    .send(new DescribeClusterCommand({ name: clusterName }))
    .then((out) => out.cluster)
    .catch(async (error: unknown) => {
      if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
      const region = await eks.config.region();
      throw new ClusterAccessError(`EKS cluster ${clusterName} does not exist in ${region}: check clusterName`, {
        cause: error,
      });
    });
  const mode = cluster?.accessConfig?.authenticationMode ?? LEGACY_MODE;
  const problem = authenticationModeProblem(mode);
  if (problem) {
    throw new ClusterAccessError(
      `${problem}. Switch it with: aws eks update-cluster-config --name ${clusterName} --access-config authenticationMode=API_AND_CONFIG_MAP`,
    );
  }
  return mode;
}
