// What the handlers report, kept in memory for the summary and the report instead of going to stdout/CloudWatch:
// Powertools' Logger with its output methods captured (the handlers call info/warn/error; nothing is printed), and
// a MetricsSink that stamps each data point with the virtual time it was recorded at.

import { Logger } from '@aws-lambda-powertools/logger';
import { extraDimension, type MetricName, type MetricsSink } from '../../runtime/observability/metrics.js';

export interface LogRecord {
  readonly at: number;
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

type LogArgs = Parameters<Logger['info']>;

/** One per function, as in Lambda; `records` is shared by both. */
export class SimLogger extends Logger {
  constructor(
    serviceName: string,
    private readonly now: () => number,
    readonly records: LogRecord[],
  ) {
    super({ serviceName, logLevel: 'SILENT' });
  }

  override info(...args: LogArgs): void {
    this.capture('info', args);
  }

  override warn(...args: LogArgs): void {
    this.capture('warn', args);
  }

  override error(...args: LogArgs): void {
    this.capture('error', args);
  }

  override debug(): void {}

  private capture(level: LogRecord['level'], [input, ...extra]: LogArgs): void {
    const message = typeof input === 'string' ? input : String((input as { message?: unknown }).message ?? '');
    const fields: Record<string, unknown> = {};
    for (const e of extra) if (e && typeof e === 'object' && !(e instanceof Error)) Object.assign(fields, e);
    this.records.push({ at: this.now(), level, message, fields });
  }
}

export interface MetricPoint {
  readonly at: number;
  readonly name: MetricName;
  readonly value: number;
  readonly dimension?: string;
}

export class SimMetrics implements MetricsSink {
  readonly points: MetricPoint[] = [];

  constructor(private readonly now: () => number) {}

  record(name: MetricName, value: number, dimension?: string): void {
    extraDimension(name, dimension); // throws, as the real sink does, when a dimensioned metric lacks its value
    this.points.push({ at: this.now(), name, value, ...(dimension === undefined ? {} : { dimension }) });
  }

  flush(): void {}

  sum(name: MetricName, dimension?: string): number {
    return this.points
      .filter((p) => p.name === name && (dimension === undefined || p.dimension === dimension))
      .reduce((total, p) => total + p.value, 0);
  }

  /** Sums by dimension value, e.g. Disruptions by Method. */
  byDimension(name: MetricName): Map<string, number> {
    const out = new Map<string, number>();
    for (const p of this.points)
      if (p.name === name) out.set(p.dimension ?? '', (out.get(p.dimension ?? '') ?? 0) + p.value);
    return out;
  }
}
