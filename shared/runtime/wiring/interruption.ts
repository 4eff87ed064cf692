// The interruption function's production dependencies: the shared AWS runtime, and per invocation the
// Kubernetes writer (Events name the request id) and a node lister.

import type { InterruptionDeps } from '../interruption/deps.js';
import { awsRuntime, sharedDeps } from './aws.js';
import { readEnvironment } from './environment.js';

export const INTERRUPTION_SERVICE = 'fleetwright-interruption';

export async function interruptionDepsFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Promise<InterruptionDeps> {
  const runtime = await awsRuntime(readEnvironment(env), INTERRUPTION_SERVICE);
  return { ...sharedDeps(runtime), rebalanceDrainNodePools: runtime.env.rebalanceDrainNodePools };
}
