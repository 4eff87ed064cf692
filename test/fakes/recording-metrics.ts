// The runtime's MetricsSink in memory: every data point in order, and sums/values by name and dimension.

import type { MetricName, MetricsSink } from '../../shared/runtime/observability/metrics.js';
import { extraDimension } from '../../shared/runtime/observability/metrics.js';

export interface DataPoint {
  readonly name: MetricName;
  readonly value: number;
  readonly dimension?: string;
}

export class RecordingMetrics implements MetricsSink {
  readonly points: DataPoint[] = [];
  flushes = 0;

  record(name: MetricName, value: number, dimension?: string): void {
    extraDimension(name, dimension); // throws, as the real sink does, when a dimensioned metric lacks its value
    this.points.push({ name, value, ...(dimension === undefined ? {} : { dimension }) });
  }

  flush(): void {
    this.flushes += 1;
  }

  /** Every value recorded for `name` (and `dimension`, when given). */
  values(name: MetricName, dimension?: string): number[] {
    return this.points
      .filter((p) => p.name === name && (dimension === undefined || p.dimension === dimension))
      .map((p) => p.value);
  }

  sum(name: MetricName, dimension?: string): number {
    return this.values(name, dimension).reduce((a, b) => a + b, 0);
  }
}
