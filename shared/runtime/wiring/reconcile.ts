// The reconcile function's production dependencies: the shared AWS runtime plus, per invocation, the
// Kubernetes reader and writer whose Lease identity is the Lambda request id.

import { clusterAccess } from '../../adapters/kubernetes/cluster-access.js';
import type { ReconcileDeps } from '../reconcile/deps.js';
import { awsRuntime } from './aws.js';
import { readEnvironment } from './environment.js';

export const RECONCILE_SERVICE = 'fleetwright-reconcile';

export async function reconcileDepsFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Promise<ReconcileDeps> {
  const runtime = await awsRuntime(readEnvironment(env), RECONCILE_SERVICE);
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
    options: { responsiveness: runtime.env.responsiveness },
  };
}
