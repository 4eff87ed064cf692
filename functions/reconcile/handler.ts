// The reconcile Lambda (DESIGN.md §2): every minute, take the cluster's Lease and keep the fleet matched to the
// pods — provision, collect garbage, expire, disrupt, drain — until ~15 s before the deadline (watch mode) or for
// one pass (economy mode). The run itself is shared/runtime/reconcile/run.ts; this file only wires it:
// - `handler` builds its dependencies from the environment with the real SDK clients, once per process, on the
//   first invocation (shared/runtime/wiring/reconcile.ts);
// - `createReconcileHandler(deps)` returns the same middy handler over injected dependencies, which is how the
//   tests and the simulator run this very code.

import middy from '@middy/core';
import type { LambdaContextLike } from '../../shared/runtime/clock.js';
import { type DepsSource, lazyDeps, MIDDY_OPTIONS, observability } from '../../shared/runtime/middleware.js';
import type { ReconcileDeps } from '../../shared/runtime/reconcile/deps.js';
import { type ReconcileResult, runReconcile } from '../../shared/runtime/reconcile/run.js';
import { reconcileDepsFromEnvironment } from '../../shared/runtime/wiring/reconcile.js';

/** The reconcile handler over `deps`; its event (the schedule's) carries nothing it needs. */
export function createReconcileHandler(deps: DepsSource<ReconcileDeps>) {
  const resolve = lazyDeps(deps);
  return middy(async (_event: unknown, context: LambdaContextLike): Promise<ReconcileResult> => {
    // Gather, decide, act and report happen tick by tick inside the run; see run.ts and tick.ts.
    return runReconcile(await resolve(), context);
  }, MIDDY_OPTIONS).use(observability(resolve));
}

export const handler = createReconcileHandler(() => reconcileDepsFromEnvironment(process.env));
