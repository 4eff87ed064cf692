// Metric definitions of DESIGN §8 (the metric-factory half of the cdk-monitoring-constructs layout): every metric the
// handlers publish with EMF lives in namespace `Fleetwright` with the dimension `Cluster`; some also carry one more
// dimension (NodePool, Reason, Kind, Method) whose values are only known at run time. Those are read with SEARCH
// in graphs and with a Metrics Insights query in alarms, so new pools or reasons appear without a deployment.

import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS_NAMESPACE } from './controller-environment.js';

/** The metric names of DESIGN §8: the contract with the handlers' EMF output. */
export const METRIC = {
  pendingPods: 'PendingPods',
  pendingPodAgeMax: 'PendingPodAgeMax',
  timeToCapacity: 'TimeToCapacity',
  nodesLaunched: 'NodesLaunched',
  nodesRegistered: 'NodesRegistered',
  nodesTerminated: 'NodesTerminated',
  unregisteredInstances: 'UnregisteredInstances',
  launchFailures: 'LaunchFailures',
  insufficientCapacityErrors: 'InsufficientCapacityErrors',
  interruptionMessages: 'InterruptionMessages',
  disruptions: 'Disruptions',
  evictionsBlocked: 'EvictionsBlocked',
  hourlyCost: 'HourlyCost',
  poolAtLimit: 'PoolAtLimit',
  configInvalid: 'ConfigInvalid',
  reconcileDuration: 'ReconcileDuration',
  leaseHeld: 'LeaseHeld',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
/** The extra dimension each dimensioned metric carries besides Cluster. */
export type ExtraDimension = 'NodePool' | 'Reason' | 'Kind' | 'Method';

export interface FleetwrightMetricOptions {
  readonly statistic?: string;
  /** @default Duration.minutes(1) - the resolution the handlers publish at */
  readonly period?: Duration;
  readonly label?: string;
}

export class FleetwrightMetrics {
  constructor(readonly clusterName: string) {}

  /** A metric with the Cluster dimension only. */
  metric(name: MetricName, options: FleetwrightMetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap: { Cluster: this.clusterName },
      statistic: options.statistic ?? cloudwatch.Stats.MAXIMUM,
      period: options.period ?? Duration.minutes(1),
      ...(options.label !== undefined && { label: options.label }),
    });
  }

  /** One line per value of `dimension` (per pool, reason, kind or method): a SEARCH, for graphs. */
  byDimension(name: MetricName, dimension: ExtraDimension, options: FleetwrightMetricOptions = {}): cloudwatch.IMetric {
    const period = options.period ?? Duration.minutes(5);
    const statistic = options.statistic ?? cloudwatch.Stats.SUM;
    const search = `{${METRICS_NAMESPACE},Cluster,${dimension}} MetricName="${name}" Cluster="${this.clusterName}"`;
    return new cloudwatch.MathExpression({
      expression: `SEARCH('${search}', '${statistic}', ${period.toSeconds()})`,
      usingMetrics: {},
      period,
      label: options.label ?? '',
    });
  }

  /** The sum over every value of `dimension` (the whole cluster's $/h from the per-pool lines), for graphs. */
  totalAcross(name: MetricName, dimension: ExtraDimension, options: FleetwrightMetricOptions = {}): cloudwatch.IMetric {
    return new cloudwatch.MathExpression({
      expression: 'SUM(series)',
      usingMetrics: { series: this.byDimension(name, dimension, options) },
      period: options.period ?? Duration.minutes(5),
      label: options.label ?? 'total',
    });
  }

  /**
   * The largest value across every value of `dimension`: a Metrics Insights query, which (unlike SEARCH) an alarm
   * may use. Alarms on a query cost per metric it reads, so this stays cheap with a handful of pools.
   */
  maxAcross(name: MetricName, dimension: ExtraDimension, period: Duration): cloudwatch.IMetric {
    return new cloudwatch.MathExpression({
      expression: `SELECT MAX(${name}) FROM SCHEMA("${METRICS_NAMESPACE}", Cluster, ${dimension}) WHERE Cluster = '${this.clusterName}'`,
      usingMetrics: {},
      period,
      label: `${name} (max over ${dimension})`,
    });
  }
}
