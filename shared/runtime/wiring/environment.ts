// The environment the handlers read in production. The names are infra's contract
// (infra/constructs/controller-environment.ts, which runtime code may not import): keep the two in step.

import { defaultPrefix, normalizePrefix } from '../../config/store-layout.js';

export const ENV = {
  clusterName: 'FLEETWRIGHT_CLUSTER_NAME',
  configPrefix: 'FLEETWRIGHT_CONFIG_PREFIX',
  responsiveness: 'FLEETWRIGHT_RESPONSIVENESS',
  /**
   * Pools whose nodes are drained on an EC2 rebalance recommendation (comma-separated, `*` for all). There is no
   * NodePool field for it yet; an empty or absent value keeps Karpenter's behaviour: an event only.
   */
  rebalanceDrainNodePools: 'FLEETWRIGHT_REBALANCE_DRAIN_NODEPOOLS',
  /** Set by Lambda. */
  region: 'AWS_REGION',
} as const;

export interface Environment {
  readonly clusterName: string;
  readonly configPrefix: string;
  readonly region: string;
  readonly responsiveness: 'watch' | 'economy';
  readonly rebalanceDrainNodePools: ReadonlySet<string>;
}

/** Reads and checks the environment; throws one error naming every missing or malformed variable. */
export function readEnvironment(env: Readonly<Record<string, string | undefined>>): Environment {
  const problems: string[] = [];
  const clusterName = env[ENV.clusterName] ?? '';
  if (!clusterName) problems.push(`${ENV.clusterName} is not set`);
  const region = env[ENV.region] ?? '';
  if (!region) problems.push(`${ENV.region} is not set`);
  const prefix = normalizePrefix(env[ENV.configPrefix] || defaultPrefix(clusterName || 'cluster'));
  if ('problem' in prefix) problems.push(`${ENV.configPrefix}: ${prefix.problem}`);
  const responsiveness = env[ENV.responsiveness] || 'watch';
  if (responsiveness !== 'watch' && responsiveness !== 'economy') {
    problems.push(`${ENV.responsiveness} must be "watch" or "economy", got ${JSON.stringify(responsiveness)}`);
  }
  if (problems.length > 0) throw new Error(`the function's environment is incomplete: ${problems.join('; ')}`);
  const pools = (env[ENV.rebalanceDrainNodePools] ?? '').split(',').map((s) => s.trim());
  return {
    clusterName,
    region,
    configPrefix: 'prefix' in prefix ? prefix.prefix : '',
    responsiveness: responsiveness as 'watch' | 'economy',
    rebalanceDrainNodePools: new Set(pools.filter(Boolean)),
  };
}
