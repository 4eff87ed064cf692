// The simulator end to end on a short scenario: the real handlers provision for a burst, the interruption
// function handles a spot reclaim, the replacement pods are scheduled again, and no PDB is ever broken.

import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/sim/kube-api/resources.js';
import { summarize } from '../../../shared/sim/report/summary.js';
import { runScenario, type SimulationRun } from '../../../shared/sim/runner/run.js';
import { loadScenario } from '../../../shared/sim/scenario/load.js';

const SHORT = fileURLToPath(new URL('./fixtures/short.yaml', import.meta.url));

let run: SimulationRun;
beforeAll(async () => {
  run = await runScenario(loadScenario(SHORT));
}, 60_000);

describe('simulate (short scenario)', () => {
  it('drives the real reconcile handler: it takes the Lease, names itself in it and writes Events', () => {
    const { store } = run.world.server;
    const lease = store.get('leases', 'kube-system', 'fleetwright-fleetwright-sim') as KubeObject & {
      spec?: { holderIdentity?: string };
    };
    // Only runReconcile's LeaseGuard writes this object, through the real KubeClient over HTTP; the last run
    // handed it over ('') when it ended.
    expect(lease.spec?.holderIdentity).toBe('');
    const leaseWrites = run.world.server.requests.filter(
      (r) => r.resource === 'leases' && r.verb !== 'get' && r.user === 'fleetwright',
    );
    expect(leaseWrites.length).toBeGreaterThan(10);
    const reasons = new Set(store.list('events').map((e) => (e as unknown as { reason: string }).reason));
    expect(reasons).toContain('Nominated');
    expect(run.lambdas.invocations.filter((i) => i.fn === 'reconcile').length).toBeGreaterThanOrEqual(7);
    expect(run.lambdas.invocations.every((i) => i.error === undefined)).toBe(true);
  });

  it('schedules every pod on nodes the handler launched through the real EC2 adapter', () => {
    const summary = summarize(run);
    expect(summary.podsScheduled).toBeGreaterThanOrEqual(3);
    expect(summary.podsPendingAtEnd).toBe(0);
    const fleets = run.world.ec2.calls.filter((c) => c.operation === 'createFleet');
    expect(fleets.length).toBeGreaterThan(0);
    expect(summary.timeToCapacity.count).toBeGreaterThanOrEqual(3);
  });

  it('handles the spot interruption warning in the interruption handler and never evicts past the PDB', () => {
    const summary = summarize(run);
    expect(summary.interruptions.get('SpotInterrupted')).toBe(1);
    expect(run.lambdas.invocations.some((i) => i.fn === 'interruption')).toBe(true);
    expect(summary.pdbViolations).toEqual([]);
    const events = run.world.server.store.list('events') as unknown as {
      reason: string;
      regarding?: { kind: string };
    }[];
    expect(events.filter((e) => e.reason === 'SpotInterrupted' && e.regarding?.kind === 'Node')).toHaveLength(1);
  });

  it('samples the cluster every 15 s for the report', () => {
    expect(run.recorder.samples.length).toBeGreaterThanOrEqual(7 * 4);
    expect(run.recorder.decisions.some((d) => d.source === 'scenario')).toBe(true);
  });
});
