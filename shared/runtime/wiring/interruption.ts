// The interruption function's production dependencies: the shared AWS runtime, and per invocation the
// Kubernetes writer (Events name the request id) and a node lister.

import { clusterAccess } from '../../adapters/kubernetes/cluster-access.js';
import type { InterruptionDeps } from '../interruption/deps.js';
import { awsRuntime } from './aws.js';
import { readEnvironment } from './environment.js';

export const INTERRUPTION_SERVICE = 'fleetwright-interruption';

export async function interruptionDepsFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Promise<InterruptionDeps> {
  const runtime = await awsRuntime(readEnvironment(env), INTERRUPTION_SERVICE);
  const { kube: client, clock } = runtime;
  const clusterName = runtime.env.clusterName;
  return {
    clusterName,
    cluster: clusterAccess({ client, clusterName, now: clock.now }),
    cloud: runtime.cloud,
    config: runtime.config,
    clock,
    logger: runtime.logger,
    metrics: runtime.metrics,
    rebalanceDrainNodePools: runtime.env.rebalanceDrainNodePools,
  };
}
