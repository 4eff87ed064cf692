// The interruption Lambda (DESIGN.md §2): an SQS batch of EventBridge messages — spot interruption warnings,
// rebalance recommendations, state changes, AWS Health scheduled changes, capacity-reservation interruptions —
// each turned into an action on the instance's node (taint and start evicting, or delete the Node), with a
// partial batch response for the messages to retry. The batch itself is shared/runtime/interruption/run.ts:
// - `handler` builds its dependencies from the environment with the real SDK clients, once per process, on the
//   first invocation (shared/runtime/wiring/interruption.ts);
// - `createInterruptionHandler(deps)` returns the same middy handler over injected dependencies (tests, simulator).

import middy from '@middy/core';
import type { LambdaContextLike } from '../../shared/runtime/clock.js';
import type { InterruptionDeps, SqsBatchResponse, SqsEvent } from '../../shared/runtime/interruption/deps.js';
import { runInterruptions } from '../../shared/runtime/interruption/run.js';
import { type DepsSource, lazyDeps, MIDDY_OPTIONS, observability } from '../../shared/runtime/middleware.js';
import { interruptionDepsFromEnvironment } from '../../shared/runtime/wiring/interruption.js';

/** The interruption handler over `deps`. */
export function createInterruptionHandler(deps: DepsSource<InterruptionDeps>) {
  const resolve = lazyDeps(deps);
  return middy(async (event: SqsEvent, context: LambdaContextLike): Promise<SqsBatchResponse> => {
    // Gather (parse), decide (one action per notice), act (taint, evict, delete) and report, message by message.
    return runInterruptions(await resolve(), event, context);
  }, MIDDY_OPTIONS).use(observability(resolve));
}

export const handler = createInterruptionHandler(() => interruptionDepsFromEnvironment(process.env));
