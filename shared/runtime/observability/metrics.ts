// The metrics of DESIGN.md §8, in one place: their exact names, units and extra dimensions, the sink the runtime
// records them into, and the Powertools (EMF) implementation of that sink. Every metric carries the dimension
// `Cluster` (the Powertools instance's default dimension); a few carry one more, named in EXTRA_DIMENSION, whose
// values are only known at run time. The names must equal infra's (infra/constructs/fleetwright-metrics.ts):
// the alarms and the dashboard read them.

import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';

/** CloudWatch namespace of every fleetwright metric. */
export const METRICS_NAMESPACE = 'Fleetwright';

/** Name -> CloudWatch unit. Durations are in the unit their name promises (DESIGN.md §8). */
export const METRIC_UNITS = {
  PendingPods: MetricUnit.Count,
  PendingPodAgeMax: MetricUnit.Seconds,
  TimeToCapacity: MetricUnit.Seconds,
  NodesLaunched: MetricUnit.Count,
  NodesRegistered: MetricUnit.Count,
  NodesTerminated: MetricUnit.Count,
  UnregisteredInstances: MetricUnit.Count,
  LaunchFailures: MetricUnit.Count,
  InsufficientCapacityErrors: MetricUnit.Count,
  InterruptionMessages: MetricUnit.Count,
  Disruptions: MetricUnit.Count,
  EvictionsBlocked: MetricUnit.Count,
  HourlyCost: MetricUnit.NoUnit,
  PoolAtLimit: MetricUnit.Count,
  ConfigInvalid: MetricUnit.Count,
  ReconcileDuration: MetricUnit.Milliseconds,
  LeaseHeld: MetricUnit.Count,
} as const;

export type MetricName = keyof typeof METRIC_UNITS;

/** The one extra dimension of a dimensioned metric (each costs a metric stream per value, so they are few). */
export const EXTRA_DIMENSION = {
  LaunchFailures: 'Reason',
  InterruptionMessages: 'Kind',
  Disruptions: 'Method',
  HourlyCost: 'NodePool',
  PoolAtLimit: 'NodePool',
} as const satisfies Partial<Record<MetricName, string>>;

type Dimensioned = keyof typeof EXTRA_DIMENSION;

/** Where the runtime records metrics. Tests and the simulator record into memory. */
export interface MetricsSink {
  /** One data point; `dimension` is the value of the metric's extra dimension (required for those that have one). */
  record(name: MetricName, value: number, dimension?: string): void;
  /** Publishes what was recorded (end of an invocation). */
  flush(): void;
}

/** The data point's extra dimension as `{ NodePool: 'web' }`, or undefined for a Cluster-only metric. */
export function extraDimension(name: MetricName, value: string | undefined): Record<string, string> | undefined {
  const key = (EXTRA_DIMENSION as Partial<Record<MetricName, string>>)[name];
  if (key === undefined) return undefined;
  if (value === undefined) throw new Error(`metric ${name} needs its ${key} dimension`);
  return { [key]: value };
}

export function isDimensioned(name: MetricName): name is Dimensioned {
  return name in EXTRA_DIMENSION;
}

/**
 * EMF through Powertools. Cluster-only metrics are buffered and published together by `flush`; a dimensioned
 * data point goes out as a single metric (Powertools' `singleMetric`) because one EMF document has one dimension
 * set. Powertools adds a `service` dimension to everything by default; it is removed, because a metric's identity
 * in CloudWatch is its whole dimension set and the alarms read `Cluster` (and the extra one) only.
 */
export class PowertoolsMetricsSink implements MetricsSink {
  constructor(
    private readonly metrics: Metrics,
    private readonly dimensions: Readonly<Record<string, string>>,
  ) {
    onlyThese(metrics, dimensions);
  }

  record(name: MetricName, value: number, dimension?: string): void {
    const extra = extraDimension(name, dimension);
    if (extra === undefined) {
      this.metrics.addMetric(name, METRIC_UNITS[name], value);
      return;
    }
    const single = this.metrics.singleMetric();
    onlyThese(single, this.dimensions);
    single.addDimensions(extra);
    single.addMetric(name, METRIC_UNITS[name], value);
  }

  flush(): void {
    this.metrics.publishStoredMetrics();
  }
}

function onlyThese(metrics: Metrics, dimensions: Readonly<Record<string, string>>): void {
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions({ ...dimensions });
}
