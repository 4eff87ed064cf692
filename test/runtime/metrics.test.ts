// Metrics (DESIGN.md §8): exactly the names infra's alarms and dashboard read, EMF in namespace Fleetwright with
// the Cluster dimension, and the one extra dimension (NodePool, Reason, Kind, Method) where a metric has one.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { METRIC } from '../../infra/constructs/fleetwright-metrics.js';
import { EXTRA_DIMENSION, METRIC_UNITS } from '../../shared/runtime/observability/metrics.js';
import { observabilityFor } from '../../shared/runtime/wiring/aws.js';

afterEach(() => vi.restoreAllMocks());

interface Emf {
  _aws: {
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

/** The EMF documents Powertools writes to stdout while `run` runs. */
function emfOf(run: () => void): Emf[] {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  run();
  vi.restoreAllMocks();
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Emf);
}

describe('metrics', () => {
  it('uses exactly the names of DESIGN §8, as infra reads them', () => {
    expect(Object.keys(METRIC_UNITS).sort()).toEqual(Object.values(METRIC).sort());
  });

  it('publishes EMF in namespace Fleetwright with Cluster, and the extra dimension where a metric has one', () => {
    const { metrics } = observabilityFor('fleetwright-test', 'prod');
    const docs = emfOf(() => {
      metrics.record('NodesLaunched', 2);
      metrics.record('ReconcileDuration', 74_812);
      metrics.record('HourlyCost', 1.234, 'web');
      metrics.record('LaunchFailures', 1, 'InsufficientCapacity');
      metrics.flush();
    });
    const byName = new Map(
      docs.flatMap((d) => d._aws.CloudWatchMetrics[0]?.Metrics.map((m) => [m.Name, d] as const) ?? []),
    );
    for (const doc of docs) expect(doc._aws.CloudWatchMetrics[0]?.Namespace).toBe('Fleetwright');
    expect(byName.get('NodesLaunched')).toMatchObject({ Cluster: 'prod', NodesLaunched: 2 });
    expect(byName.get('NodesLaunched')?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['Cluster']]);
    expect(byName.get('ReconcileDuration')?._aws.CloudWatchMetrics[0]?.Metrics).toContainEqual({
      Name: 'ReconcileDuration',
      Unit: 'Milliseconds',
    });
    expect(byName.get('HourlyCost')).toMatchObject({ Cluster: 'prod', NodePool: 'web', HourlyCost: 1.234 });
    expect(byName.get('HourlyCost')?._aws.CloudWatchMetrics[0]?.Dimensions[0]?.sort()).toEqual(['Cluster', 'NodePool']);
    expect(byName.get('LaunchFailures')).toMatchObject({ Reason: 'InsufficientCapacity' });
  });

  it('refuses a dimensioned metric without its dimension', () => {
    const { metrics } = observabilityFor('fleetwright-test', 'prod');
    for (const name of Object.keys(EXTRA_DIMENSION) as (keyof typeof EXTRA_DIMENSION)[]) {
      expect(() => metrics.record(name, 1)).toThrow(`metric ${name} needs its ${EXTRA_DIMENSION[name]} dimension`);
    }
  });
});
