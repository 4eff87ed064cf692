// The alarms of DESIGN §8, an optional SNS action for them, and the dashboard (the monitoring half of the
// cdk-monitoring-constructs layout; metric definitions are in fleetwright-metrics.ts). Each alarm's description
// says what it means and what to do, because that text is what arrives in the e-mail; docs/deploy.md repeats it.

import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { acknowledgeGuard, acknowledgeNag } from '../compliance.js';
import { FleetwrightMetrics, METRIC } from './fleetwright-metrics.js';
import type { InterruptionQueue } from './interruption-queue.js';
import { validateClusterName, validateEmail, validatePositiveInteger } from './validate-props.js';

export interface MonitoringProps {
  readonly clusterName: string;
  readonly reconcileFunction: lambda.IFunction;
  readonly interruptionFunction: lambda.IFunction;
  readonly interruptionQueue: InterruptionQueue;
  /** @default - a topic is created when alarmEmail is given; otherwise alarms have no action */
  readonly alarmTopic?: sns.ITopic;
  /** Subscribed to the alarm topic (AWS sends a confirmation e-mail first). @default - no subscription */
  readonly alarmEmail?: string;
  /**
   * A pending pod older than this raises the PendingPodsTooOld alarm.
   * @default 10 - ten times Karpenter's usual time to capacity, long enough for slow AMIs and daemon sets
   */
  readonly pendingPodAgeAlarmMinutes?: number;
  /**
   * A CloudWatch dashboard costs $3/month beyond an account's three free ones.
   * @default true
   */
  readonly dashboard?: boolean;
}

/** Alarm ids, which are also the end of each alarm's name (`fleetwright-<cluster>-<id>`). */
export type AlarmId =
  | 'DeadLetters'
  | 'ReconcileErrors'
  | 'InterruptionErrors'
  | 'ConfigInvalid'
  | 'UnregisteredInstances'
  | 'PendingPodsTooOld'
  | 'PoolAtLimit'
  | 'InterruptionQueueAge';

/** Half of a spot warning's two minutes: an interruption message older than this leaves little time to drain. */
const QUEUE_AGE_ALARM_SECONDS = 60;

interface AlarmSpec {
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparison?: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  readonly description: string;
}

export class Monitoring extends Construct {
  readonly metrics: FleetwrightMetrics;
  readonly alarms: Readonly<Record<AlarmId, cloudwatch.Alarm>>;
  readonly alarmTopic?: sns.ITopic;
  readonly dashboard?: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    validateClusterName(this, props.clusterName);
    if (props.alarmEmail !== undefined) validateEmail(this, 'alarmEmail', props.alarmEmail);
    const pendingMinutes = props.pendingPodAgeAlarmMinutes ?? 10;
    validatePositiveInteger(this, 'pendingPodAgeAlarmMinutes', pendingMinutes);
    this.metrics = new FleetwrightMetrics(props.clusterName);

    this.alarmTopic = props.alarmTopic ?? (props.alarmEmail === undefined ? undefined : this.createTopic(props));
    if (props.alarmTopic && props.alarmEmail !== undefined) {
      props.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    const specs = this.alarmSpecs(props, pendingMinutes);
    const alarms = {} as Record<AlarmId, cloudwatch.Alarm>;
    for (const [alarmId, spec] of Object.entries(specs) as [AlarmId, AlarmSpec][]) {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        alarmName: `fleetwright-${props.clusterName}-${alarmId}`,
        alarmDescription: spec.description,
        metric: spec.metric,
        threshold: spec.threshold,
        comparisonOperator: spec.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: spec.evaluationPeriods,
        datapointsToAlarm: spec.datapointsToAlarm ?? spec.evaluationPeriods,
        // Metrics are published when there is something to say; silence is health, not an outage.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      if (this.alarmTopic) {
        alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
        alarm.addOkAction(new actions.SnsAction(this.alarmTopic));
      }
      alarms[alarmId] = alarm;
    }
    this.alarms = alarms;
    if (!this.alarmTopic) {
      acknowledgeGuard(
        this,
        'cloudwatch_alarm_action_check',
        'The deployer gave no alarmEmail or alarmTopicArn: the alarms show in the console and on the dashboard, and get an SNS action as soon as either prop is set',
      );
    }

    if (props.dashboard ?? true) this.dashboard = this.createDashboard(props);
  }

  private createTopic(props: MonitoringProps): sns.Topic {
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `fleetwright alarms for ${props.clusterName}`,
      enforceSSL: true,
    });
    acknowledgeNag(
      topic,
      'SNS2',
      'Alarm notifications carry alarm names and states, no secrets. CloudWatch cannot publish to a topic encrypted with the AWS managed SNS key, and a customer managed key would cost $1/month, half of the economy-mode budget (DESIGN §9).',
    );
    if (props.alarmEmail !== undefined) topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    return topic;
  }

  private alarmSpecs(props: MonitoringProps, pendingMinutes: number): Record<AlarmId, AlarmSpec> {
    const m = this.metrics;
    const errors = (fn: lambda.IFunction) =>
      fn.metricErrors({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM });
    return {
      DeadLetters: {
        metric: props.interruptionQueue.metricDeadLetters({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: 1,
        evaluationPeriods: 1,
        description:
          'An interruption message failed three times and moved to the dead-letter queue: a node may not have been drained before its instance went away. Read the message in the DLQ and the interruption function logs.',
      },
      ReconcileErrors: {
        metric: errors(props.reconcileFunction),
        threshold: 1,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        description:
          'The reconcile function failed in 3 of the last 5 minutes: pending pods may get no nodes and nothing is consolidated. See its log group for the error (a missing permission, an unreachable cluster endpoint, a bug).',
      },
      InterruptionErrors: {
        metric: errors(props.interruptionFunction),
        threshold: 1,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        description:
          'The interruption function failed in 3 of the last 5 minutes: spot interruptions and instance stops are not being drained. See its log group.',
      },
      ConfigInvalid: {
        metric: m.metric(METRIC.configInvalid, { period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        description:
          'A NodePool, EC2NodeClass or Settings document in SSM failed validation; the last valid version stays in force. Run `fleetwright config pull` and `fleetwright validate` for the error lines.',
      },
      UnregisteredInstances: {
        metric: m.metric(METRIC.unregisteredInstances, { period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        description:
          'An instance fleetwright launched did not register as a Node within the registration timeout and was terminated: check the node class (AMI, user data, subnets, security groups) and the node role access entry.',
      },
      PendingPodsTooOld: {
        metric: m.metric(METRIC.pendingPodAgeMax),
        threshold: pendingMinutes * 60,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        description: `A pod has been pending for more than ${pendingMinutes} minutes: no NodePool can take it, a limit or the price cap stops launches, or launches keep failing. \`fleetwright plan --cluster\` and the FailedScheduling events say why.`,
      },
      PoolAtLimit: {
        metric: m.maxAcross(METRIC.poolAtLimit, 'NodePool', Duration.minutes(5)),
        threshold: 1,
        evaluationPeriods: 3,
        description:
          'A NodePool has been at its cpu, memory, node-count or $/h limit for 15 minutes: pods that need it stay pending. Raise the limit or let another pool take them.',
      },
      InterruptionQueueAge: {
        metric: props.interruptionQueue.metricOldestMessageAge({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: QUEUE_AGE_ALARM_SECONDS,
        evaluationPeriods: 2,
        description: `Interruption messages wait more than ${QUEUE_AGE_ALARM_SECONDS} s in the queue: the interruption function is failing or throttled, and a spot warning gives only 120 s. Check its errors and the account's Lambda concurrency.`,
      },
    };
  }

  private createDashboard(props: MonitoringProps): cloudwatch.Dashboard {
    const m = this.metrics;
    const sum5 = { statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) };
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6 });
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `fleetwright-${props.clusterName}`,
      defaultInterval: Duration.hours(3),
    });
    dashboard.addWidgets(
      graph(
        'Pending pods and the oldest one (s)',
        [m.metric(METRIC.pendingPods, { label: 'pending pods' })],
        [m.metric(METRIC.pendingPodAgeMax, { label: 'oldest pending (s)' })],
      ),
      graph('Time to capacity (s)', [
        m.metric(METRIC.timeToCapacity, { statistic: 'p50', period: Duration.minutes(5), label: 'p50' }),
        m.metric(METRIC.timeToCapacity, { statistic: 'p90', period: Duration.minutes(5), label: 'p90' }),
        m.metric(METRIC.timeToCapacity, { statistic: 'Maximum', period: Duration.minutes(5), label: 'max' }),
      ]),
      graph('Cost by pool ($/h)', [
        m.byDimension(METRIC.hourlyCost, 'NodePool', { statistic: 'Average' }),
        m.totalAcross(METRIC.hourlyCost, 'NodePool', { statistic: 'Average', label: 'all pools' }),
      ]),
    );
    dashboard.addWidgets(
      graph('Nodes launched, registered, terminated', [
        m.metric(METRIC.nodesLaunched, { ...sum5, label: 'launched' }),
        m.metric(METRIC.nodesRegistered, { ...sum5, label: 'registered' }),
        m.metric(METRIC.nodesTerminated, { ...sum5, label: 'terminated' }),
        m.metric(METRIC.unregisteredInstances, { ...sum5, label: 'never registered' }),
      ]),
      graph('Launch failures by reason, and ICE', [
        m.byDimension(METRIC.launchFailures, 'Reason'),
        m.metric(METRIC.insufficientCapacityErrors, { ...sum5, label: 'insufficient capacity' }),
      ]),
      graph('Pools at their limit', [m.byDimension(METRIC.poolAtLimit, 'NodePool', { statistic: 'Maximum' })]),
    );
    dashboard.addWidgets(
      graph(
        'Disruptions by method',
        [m.byDimension(METRIC.disruptions, 'Method')],
        [m.metric(METRIC.evictionsBlocked, { ...sum5, label: 'evictions blocked' })],
      ),
      graph('Interruption messages by kind', [m.byDimension(METRIC.interruptionMessages, 'Kind')]),
      graph(
        'Controller health',
        [
          m.metric(METRIC.reconcileDuration, {
            statistic: 'p90',
            period: Duration.minutes(5),
            label: 'reconcile p90 (ms)',
          }),
        ],
        [
          props.reconcileFunction.metricErrors({ ...sum5, label: 'reconcile errors' }),
          props.interruptionFunction.metricErrors({ ...sum5, label: 'interruption errors' }),
          props.interruptionQueue.metricDeadLetters({
            period: Duration.minutes(5),
            statistic: 'Maximum',
            label: 'DLQ',
          }),
        ],
      ),
    );
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: Object.values(this.alarms), width: 24, height: 3 }),
    );
    return dashboard;
  }
}
