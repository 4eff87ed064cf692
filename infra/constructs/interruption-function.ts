// The interruption function and its SQS event source (DESIGN §2): batches of up to 10 EventBridge messages, each
// acted on (taint and begin eviction, or delete the Node of a terminated instance) and reported individually, so
// one failing message is retried alone and reaches the dead-letter queue after its third receive.

import { fileURLToPath } from 'node:url';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type ControllerFunctionProps, FleetwrightFunction, TIMEOUTS } from './fleetwright-function.js';
import type { InterruptionQueue } from './interruption-queue.js';

export const DEFAULT_INTERRUPTION_ENTRY = fileURLToPath(
  new URL('../../functions/interruption/handler.ts', import.meta.url),
);

/** SQS's maximum for a Lambda batch without a batching window: no message waits for others to arrive. */
const BATCH_SIZE = 10;

export interface InterruptionFunctionProps extends ControllerFunctionProps {
  readonly queue: InterruptionQueue;
}

export class InterruptionFunction extends Construct {
  readonly function: lambda.Function;
  readonly logGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: InterruptionFunctionProps) {
    super(scope, id);
    const fn = new FleetwrightFunction(this, 'Function', {
      ...props,
      entry: props.entry ?? DEFAULT_INTERRUPTION_ENTRY,
      description: 'fleetwright interruption: spot warnings, rebalance, state changes, scheduled changes',
      timeout: TIMEOUTS.interruption,
    });
    this.function = fn.function;
    this.logGroup = fn.logGroup;

    // The event source grants the role receive, delete and visibility changes on the queue.
    this.function.addEventSource(
      new SqsEventSource(props.queue.queue, { batchSize: BATCH_SIZE, reportBatchItemFailures: true }),
    );
  }
}
