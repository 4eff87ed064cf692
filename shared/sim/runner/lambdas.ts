// The two Lambda functions as AWS would run them, on virtual time: the REAL handlers
// (functions/reconcile/handler.ts, functions/interruption/handler.ts, through `createReconcileHandler` /
// `createInterruptionHandler`, middy included) invoked by an EventBridge schedule every minute (timeout 90 s) and
// by the SQS event source mapping (batch 10, timeout 15 s). Each gets a Lambda context whose remaining time runs
// on the virtual clock, so a watch-mode run lasts its ~75 s of cluster time and overlaps the next minute's.
// `coldStart` replaces both execution environments (new providers, empty caches), as a deploy would.

import { createInterruptionHandler } from '../../../functions/interruption/handler.js';
import { createReconcileHandler } from '../../../functions/reconcile/handler.js';
import type { LambdaContextLike } from '../../runtime/clock.js';
import type { SqsEvent } from '../../runtime/interruption/deps.js';
import type { ReconcileResult } from '../../runtime/reconcile/run.js';
import { SqsEventSource } from '../events/lambda-sqs.js';
import type { SimWorld } from './world.js';

/** DESIGN.md §2: the schedule fires every minute; the reconcile function's timeout is 90 s. */
export const RECONCILE_PERIOD_MS = 60_000;
export const RECONCILE_TIMEOUT_MS = 90_000;
/** DESIGN.md §2: the interruption function's timeout. */
export const INTERRUPTION_TIMEOUT_MS = 15_000;

export interface Invocation {
  readonly fn: 'reconcile' | 'interruption';
  readonly requestId: string;
  readonly at: number;
  readonly coldStart: boolean;
  result?: unknown;
  error?: string;
}

type Invoke = (event: unknown, context: LambdaContextLike) => Promise<unknown>;

export class SimLambdas {
  readonly invocations: Invocation[] = [];
  private reconcile!: Invoke;
  private interruption!: Invoke;
  private cold = { reconcile: true, interruption: true };
  private readonly source: SqsEventSource;
  private scheduled: number | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly world: SimWorld) {
    this.coldStart();
    this.source = new SqsEventSource(world.clock, world.queue, (event) =>
      this.invoke('interruption', INTERRUPTION_TIMEOUT_MS, event),
    );
  }

  /** New execution environments for both functions: empty module-scope caches, as after a deploy. */
  coldStart(): void {
    const { world } = this;
    this.reconcile = createReconcileHandler(world.reconcileDeps(world.cloud())) as unknown as Invoke;
    this.interruption = createInterruptionHandler(world.interruptionDeps(world.cloud())) as unknown as Invoke;
    this.cold = { reconcile: true, interruption: true };
  }

  /** Starts the schedule (first invocation now) and the queue's event source mapping. */
  start(): void {
    const tick = () => {
      // A failed invocation is recorded (and Lambda would retry it); the next minute's runs regardless.
      this.invoke('reconcile', RECONCILE_TIMEOUT_MS, {}).catch(() => undefined);
      this.scheduled = this.world.clock.setTimer(RECONCILE_PERIOD_MS, tick);
    };
    tick();
    this.source.start();
  }

  /** Stops the schedule and the mapping; resolves when every invocation has returned. */
  async stop(): Promise<void> {
    if (this.scheduled !== undefined) this.world.clock.cancel(this.scheduled);
    const stopping = this.source.stop();
    await this.world.clock.runUntil(Promise.all([stopping, ...this.inFlight]), { settle: this.world.actors.settle });
  }

  /** Reconcile results so far. */
  reconcileResults(): ReconcileResult[] {
    return this.invocations.filter((i) => i.fn === 'reconcile' && i.result).map((i) => i.result as ReconcileResult);
  }

  private invoke(fn: 'reconcile' | 'interruption', timeoutMs: number, event: unknown): Promise<unknown> {
    const { clock, actors } = this.world;
    const requestId = `${fn}-${String(this.invocations.length + 1).padStart(4, '0')}`;
    const record: Invocation = { fn, requestId, at: clock.now(), coldStart: this.cold[fn] };
    this.cold[fn] = false;
    this.invocations.push(record);
    const deadline = clock.now() + timeoutMs;
    const context: LambdaContextLike = {
      awsRequestId: requestId,
      functionName: `fleetwright-${fn}`,
      getRemainingTimeInMillis: () => deadline - clock.now(),
    };
    const handler = fn === 'reconcile' ? this.reconcile : this.interruption;
    const run = actors.run(() => handler(event as SqsEvent, context));
    this.inFlight.add(run);
    return run.then(
      (result) => {
        record.result = result;
        this.inFlight.delete(run);
        return result;
      },
      (error: unknown) => {
        record.error = error instanceof Error ? error.message : String(error);
        this.inFlight.delete(run);
        throw error;
      },
    );
  }
}
