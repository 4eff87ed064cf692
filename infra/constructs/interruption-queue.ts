// The interruption queue and the five EventBridge rules that feed it (DESIGN §2, research/aws-provider.md §d.1):
// spot interruption warnings, rebalance recommendations, instance state changes, AWS Health scheduled changes and
// capacity-reservation interruption warnings, each on the default bus, each targeting this queue.
//
// SSE-SQS rather than KMS: EventBridge cannot deliver to a queue encrypted with the AWS managed SQS key, and a
// customer managed key would cost more per month than the whole economy mode. Retention is 300 s as Karpenter's:
// a spot warning gives two minutes, so an older message is no longer actionable.

import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeGuard } from '../compliance.js';
import { validatePositiveInteger } from './validate-props.js';

export interface InterruptionQueueProps {
  /**
   * At least 6 × the consumer's timeout (AWS's advice for Lambda event sources), so a message is not handed to a
   * second invocation while the first one still works on it.
   * @default Duration.seconds(90) - 6 × the interruption function's 15 s
   */
  readonly visibilityTimeout?: Duration;
  /**
   * Receives before a message moves to the dead-letter queue.
   * @default 3 - a message that failed three times is a bug or a node that cannot be found, not a transient error
   */
  readonly maxReceiveCount?: number;
}

/** The rules of research/aws-provider.md §d.1, by construct id. The handler filters the rest in code. */
export const INTERRUPTION_EVENT_PATTERNS: Readonly<Record<string, events.EventPattern>> = {
  SpotInterruptionRule: { source: ['aws.ec2'], detailType: ['EC2 Spot Instance Interruption Warning'] },
  RebalanceRecommendationRule: { source: ['aws.ec2'], detailType: ['EC2 Instance Rebalance Recommendation'] },
  // Only the states the handler acts on (DESIGN §2): pending and running would be one message per instance start
  // in the whole region, each a Lambda invocation that ends in "not ours".
  InstanceStateChangeRule: {
    source: ['aws.ec2'],
    detailType: ['EC2 Instance State-change Notification'],
    detail: { state: ['stopping', 'stopped', 'shutting-down', 'terminated'] },
  },
  ScheduledChangeRule: { source: ['aws.health'], detailType: ['AWS Health Event'] },
  CapacityReservationInterruptionRule: {
    source: ['aws.ec2'],
    detailType: ['EC2 Capacity Reservation Instance Interruption Warning'],
  },
};

export class InterruptionQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly rules: readonly events.Rule[];

  constructor(scope: Construct, id: string, props: InterruptionQueueProps = {}) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 3;
    validatePositiveInteger(this, 'maxReceiveCount', maxReceiveCount);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: a failed message is evidence, kept until someone looks.
      retentionPeriod: Duration.days(14),
    });
    acknowledgeGuard(
      this.deadLetterQueue,
      'sqs_dlq_check',
      'This is the dead-letter queue itself; a dead-letter queue of a dead-letter queue would only move the same messages again',
    );

    this.queue = new sqs.Queue(this, 'Resource', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(300),
      visibilityTimeout: props.visibilityTimeout ?? Duration.seconds(90),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });

    // Each target adds a queue policy statement allowing events.amazonaws.com to SendMessage, conditioned on
    // that rule's ARN (aws:SourceArn), so no other rule or account can write to the queue.
    this.rules = Object.entries(INTERRUPTION_EVENT_PATTERNS).map(
      ([ruleId, eventPattern]) =>
        new events.Rule(this, ruleId, { eventPattern, targets: [new targets.SqsQueue(this.queue)] }),
    );
  }

  /** Receive, delete and visibility changes: what an SQS event source (or a poller) needs. */
  grantConsume(grantee: iam.IGrantable): iam.Grant {
    return this.queue.grantConsumeMessages(grantee);
  }

  /** The age of the oldest message: grows when the consumer is failing or throttled. */
  metricOldestMessageAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.queue.metricApproximateAgeOfOldestMessage(props);
  }

  /** Messages that failed maxReceiveCount times. */
  metricDeadLetters(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible(props);
  }
}
