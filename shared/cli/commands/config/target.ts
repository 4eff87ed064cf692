// What `config push` and `config pull` share: the SSM prefix they address (--cluster, --prefix), the SSM
// client, and turning an AWS failure into exit 3 with the sentence that names the call (DESIGN.md §5).
// Region and credentials come from the SDK's standard chain (AWS_REGION, AWS_PROFILE, SSO, instance
// roles...), and the endpoint from AWS_ENDPOINT_URL_SSM or AWS_ENDPOINT_URL when set, which the SDK reads
// itself: nothing here overrides them.

import { SSMClient } from '@aws-sdk/client-ssm';
import { SsmCallError } from '../../../adapters/aws/ssm/errors.js';
import { clusterNameProblem, defaultPrefix, normalizePrefix } from '../../../config/store-layout.js';
import { EXIT, type Io, UsageError } from '../../io.js';

export interface Target {
  readonly cluster: string;
  readonly prefix: string;
}

/** The prefix from --cluster and --prefix (default `/fleetwright/<cluster>/`); usage errors name `command`. */
export function resolveTarget(command: string, cluster: string | undefined, prefix: string | undefined): Target {
  if (cluster === undefined || cluster === '') {
    throw new UsageError([`fleetwright ${command}: --cluster <name> is required (the EKS cluster the config is for)`]);
  }
  const problem = clusterNameProblem(cluster);
  if (problem) throw new UsageError([`fleetwright ${command}: --cluster: ${problem}`]);
  const normalized = normalizePrefix(prefix ?? defaultPrefix(cluster));
  if ('problem' in normalized) throw new UsageError([`fleetwright ${command}: --prefix: ${normalized.problem}`]);
  return { cluster, prefix: normalized.prefix };
}

export function ssmClient(): SSMClient {
  return new SSMClient({});
}

/** Runs the AWS part of a command: an SsmCallError becomes its sentence on stderr and exit 3. */
export async function withAws(io: Io, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof SsmCallError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return EXIT.remoteFailure;
  }
}
