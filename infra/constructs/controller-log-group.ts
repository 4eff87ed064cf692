// The log groups of fleetwright's functions: a retention that is part of the stack (Lambda's implicit groups keep
// logs forever), deleted with the stack, encrypted with CloudWatch Logs' own keys.

import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeGuard } from '../compliance.js';

/** Control Tower's CT.CLOUDWATCH.PR.2 asks for at least a year. */
const CONTROL_TOWER_MIN_RETENTION_DAYS = 365;

export interface ControllerLogGroupProps {
  /**
   * @default logs.RetentionDays.ONE_YEAR - a year of decisions to explain any node's history; storage costs
   * $0.03/GB-month, cents for a controller's logs
   */
  readonly retention?: logs.RetentionDays;
}

export class ControllerLogGroup extends Construct {
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ControllerLogGroupProps = {}) {
    super(scope, id);
    const retention = props.retention ?? logs.RetentionDays.ONE_YEAR;
    this.logGroup = new logs.LogGroup(this, 'Resource', { retention, removalPolicy: RemovalPolicy.DESTROY });
    acknowledgeGuard(
      this,
      'cloudwatch_log_group_encrypted_check',
      'CloudWatch Logs encrypts every log group at rest with its own keys; these logs hold cluster, pod and instance names, no secrets, and a customer managed key ($1/month plus requests) would cost more than the whole economy mode',
    );
    if (retention !== logs.RetentionDays.INFINITE && retention < CONTROL_TOWER_MIN_RETENTION_DAYS) {
      acknowledgeGuard(
        this,
        'cloudwatch_log_group_retention_period_check',
        `The deployer chose a retention of ${retention} days (stack prop logRetention), shorter than the one-year default`,
      );
    }
  }
}
