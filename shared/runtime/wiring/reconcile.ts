// The reconcile function's production dependencies: the shared AWS runtime plus, per invocation, the
// Kubernetes reader and writer whose Lease identity is the Lambda request id.

import type { ReconcileDeps } from '../reconcile/deps.js';
import { awsRuntime, sharedDeps } from './aws.js';
import { readEnvironment } from './environment.js';

export const RECONCILE_SERVICE = 'fleetwright-reconcile';

export async function reconcileDepsFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Promise<ReconcileDeps> {
  const runtime = await awsRuntime(readEnvironment(env), RECONCILE_SERVICE);
  return { ...sharedDeps(runtime), options: { responsiveness: runtime.env.responsiveness } };
}
