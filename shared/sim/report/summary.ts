// The run in numbers — what the terminal table and the HTML report both show. Cost is exact: each instance's
// price times the time it was pending or running (EC2 bills until it terminates). Utilisation is averaged over
// the samples that had Ready nodes. "Evicted past a PDB" comes from the referee (cluster/disruption-budgets.ts).

import type { SimulationRun } from '../runner/run.js';
import { round } from './recorder.js';

export interface Summary {
  readonly scenario: string;
  readonly simulatedMinutes: number;
  readonly wallSeconds: number;
  readonly podsScheduled: number;
  readonly podsPendingAtEnd: number;
  readonly timeToCapacity: { readonly count: number; readonly p50: number; readonly p95: number };
  /** `m7i.large spot` -> instances launched. */
  readonly launchedByType: ReadonlyMap<string, number>;
  readonly nodesAtEnd: number;
  readonly costTotal: number;
  readonly costPerHourAverage: number;
  readonly costPerHourPeak: number;
  readonly cpuUtilization: number;
  readonly memoryUtilization: number;
  /** Method -> count, from the handlers' `Disruptions` metric. */
  readonly disruptions: ReadonlyMap<string, number>;
  /** Kind -> messages handled, from the `InterruptionMessages` metric. */
  readonly interruptions: ReadonlyMap<string, number>;
  readonly evictions: number;
  readonly pdbViolations: readonly string[];
  readonly invocations: { readonly reconcile: number; readonly interruption: number; readonly failed: number };
  readonly events: number;
}

export function summarize(run: SimulationRun): Summary {
  const { world, recorder, lambdas } = run;
  const end = world.clock.now();
  const instances = world.ec2.instances.all();
  const launchedByType = new Map<string, number>();
  let costTotal = 0;
  for (const i of instances) {
    const key = `${i.instanceType} ${i.capacityType}`;
    launchedByType.set(key, (launchedByType.get(key) ?? 0) + 1);
    costTotal += (i.price * ((i.terminatedAt ?? end) - i.launchTime)) / 3_600_000;
  }
  const samples = recorder.samples;
  const withNodes = samples.filter((s) => s.readyNodes > 0);
  const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
  const last = samples.at(-1);
  const ttc = [...world.scheduler.timeToCapacity].sort((a, b) => a - b);
  const failed = lambdas.invocations.filter((i) => i.error !== undefined).length;
  return {
    scenario: world.scenario.name,
    simulatedMinutes: round((end - recorder.start) / 60_000, 1),
    wallSeconds: round(run.wallMs / 1000, 1),
    podsScheduled: world.scheduler.bound,
    podsPendingAtEnd: last?.pending ?? 0,
    timeToCapacity: { count: ttc.length, p50: percentile(ttc, 0.5), p95: percentile(ttc, 0.95) },
    launchedByType: new Map([...launchedByType].sort((a, b) => b[1] - a[1])),
    nodesAtEnd: last?.nodes ?? 0,
    costTotal: round(costTotal, 2),
    costPerHourAverage: round(mean(samples.map((s) => s.costPerHour)), 3),
    costPerHourPeak: round(Math.max(0, ...samples.map((s) => s.costPerHour)), 3),
    cpuUtilization: round(mean(withNodes.map((s) => s.cpuUtilization)), 3),
    memoryUtilization: round(mean(withNodes.map((s) => s.memoryUtilization)), 3),
    disruptions: world.metrics.byDimension('Disruptions'),
    interruptions: world.metrics.byDimension('InterruptionMessages'),
    evictions: world.budgets.evictions,
    pdbViolations: world.budgets.violations,
    invocations: {
      reconcile: lambdas.invocations.filter((i) => i.fn === 'reconcile').length,
      interruption: lambdas.invocations.filter((i) => i.fn === 'interruption').length,
      failed,
    },
    events: recorder.decisions.filter((d) => d.source === 'event').length,
  };
}

/** Nearest-rank percentile of sorted values; 0 for none. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number, 1);
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const listing = (m: ReadonlyMap<string, number>) =>
  m.size === 0 ? 'none' : [...m].map(([k, v]) => `${k || '(all)'} ${v}`).join(', ');

/** The summary as aligned `label  value` rows. */
export function summaryRows(s: Summary): [string, string][] {
  return [
    ['scenario', `${s.scenario}: ${s.simulatedMinutes} min of cluster time in ${s.wallSeconds} s`],
    ['pods scheduled', `${s.podsScheduled} (${s.podsPendingAtEnd} pending at the end)`],
    [
      'time to capacity',
      `p50 ${s.timeToCapacity.p50} s, p95 ${s.timeToCapacity.p95} s (${s.timeToCapacity.count} pods waited for a node)`,
    ],
    ['nodes launched', listing(s.launchedByType)],
    ['nodes at the end', String(s.nodesAtEnd)],
    [
      'cost over the run',
      `$${s.costTotal.toFixed(2)} (average $${s.costPerHourAverage.toFixed(3)}/h, peak $${s.costPerHourPeak.toFixed(3)}/h)`,
    ],
    ['utilization', `CPU ${pct(s.cpuUtilization)}, memory ${pct(s.memoryUtilization)} (requests / allocatable)`],
    ['disruptions', listing(s.disruptions)],
    ['interruptions handled', listing(s.interruptions)],
    ['pods evicted', String(s.evictions)],
    [
      'evicted past a PDB',
      `${s.pdbViolations.length}${s.pdbViolations.length ? ` (${s.pdbViolations.join(', ')})` : ''}`,
    ],
    [
      'invocations',
      `reconcile ${s.invocations.reconcile}, interruption ${s.invocations.interruption}, failed ${s.invocations.failed}`,
    ],
    ['decisions', `${s.events} Kubernetes Events written by the handlers`],
  ];
}

export function renderSummary(s: Summary): string {
  const rows = summaryRows(s);
  const width = Math.max(...rows.map(([k]) => k.length));
  return `${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n`;
}
