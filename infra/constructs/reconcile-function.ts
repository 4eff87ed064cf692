// The reconcile function and its one-minute schedule (DESIGN §2): each invocation takes the cluster's Lease,
// watches and acts until ~15 s before its 90 s deadline (watch mode) or makes one pass (economy mode).

import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type ControllerFunctionProps, FleetwrightFunction, TIMEOUTS } from './fleetwright-function.js';

export const DEFAULT_RECONCILE_ENTRY = fileURLToPath(new URL('../../functions/reconcile/handler.ts', import.meta.url));

export interface ReconcileFunctionProps extends ControllerFunctionProps {}

export class ReconcileFunction extends Construct {
  readonly function: lambda.Function;
  readonly logGroup: logs.ILogGroup;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: ReconcileFunctionProps) {
    super(scope, id);
    const fn = new FleetwrightFunction(this, 'Function', {
      ...props,
      entry: props.entry ?? DEFAULT_RECONCILE_ENTRY,
      description: 'fleetwright reconcile: provisioning, garbage collection, expiration, disruption, termination',
      timeout: TIMEOUTS.reconcile,
    });
    this.function = fn.function;
    this.logGroup = fn.logGroup;

    // Lambda's own retries of a failed asynchronous invocation would start a run that overlaps the next minute's
    // run; the Lease makes that harmless but not free, and the next scheduled run retries anyway.
    this.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });

    this.schedule = new events.Rule(this, 'Schedule', {
      description: 'Starts a fleetwright reconcile run every minute',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      // An event older than a minute has been superseded by the next one.
      targets: [new targets.LambdaFunction(this.function, { maxEventAge: Duration.minutes(1), retryAttempts: 2 })],
    });
  }
}
