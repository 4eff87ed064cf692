// The single-writer Lease `kube-system/fleetwright-<cluster>` (DESIGN §2) between two invocations: one holds
// it at a time, renewals keep it, a release hands it over at once, an expired one is taken over, and of two
// racing for a free Lease exactly one wins.

import { describe, expect, it } from 'vitest';
import { LEASE_DURATION_SECONDS } from '../../../shared/adapters/kubernetes/timing.js';
import type { KubeObject } from '../../../shared/sim/kube-api/resources.js';
import { clusterFor, startApi } from './support/world.js';

const T0 = Date.parse('2026-11-26T00:00:00Z');
const lease = 'fleetwright-demo';

async function twoInvocations() {
  const server = await startApi();
  const clock = { now: T0 };
  const now = () => clock.now;
  const a = clusterFor(server, 'invocation-a', { now }).writer;
  const b = clusterFor(server, 'invocation-b', { now }).writer;
  const stored = () =>
    server.store.get('leases', 'kube-system', lease) as KubeObject & { spec: Record<string, unknown> };
  return { server, clock, a, b, stored };
}

describe('Lease', () => {
  it('is created on first use, held by one invocation, and refused to the other while it is renewed', async () => {
    const { clock, a, b, stored } = await twoInvocations();

    expect(await a.acquireLease()).toEqual({ held: true, holder: 'invocation-a', expiresAt: T0 + 15_000 });
    expect(stored().spec).toEqual({
      holderIdentity: 'invocation-a',
      leaseDurationSeconds: LEASE_DURATION_SECONDS,
      acquireTime: '2026-11-26T00:00:00.000000Z',
      renewTime: '2026-11-26T00:00:00.000000Z',
      leaseTransitions: 0,
    });
    expect(await b.acquireLease()).toEqual({ held: false, holder: 'invocation-a', expiresAt: T0 + 15_000 });

    clock.now = T0 + 10_000;
    expect(await a.renewLease()).toEqual({ held: true, holder: 'invocation-a', expiresAt: T0 + 25_000 });
    clock.now = T0 + 20_000;
    expect((await b.acquireLease()).held).toBe(false);
    expect(stored().spec.acquireTime).toBe('2026-11-26T00:00:00.000000Z');
  });

  it('hands over at once when the holder releases it', async () => {
    const { clock, a, b, stored } = await twoInvocations();
    await a.acquireLease();
    clock.now = T0 + 5_000;
    await a.releaseLease();
    expect(stored().spec.holderIdentity).toBe('');

    expect(await b.acquireLease()).toEqual({ held: true, holder: 'invocation-b', expiresAt: T0 + 20_000 });
    expect(stored().spec).toMatchObject({ leaseTransitions: 1, acquireTime: '2026-11-26T00:00:05.000000Z' });
    // The old holder learns it lost the Lease, and its release no longer touches it.
    expect(await a.renewLease()).toEqual({ held: false, holder: 'invocation-b', expiresAt: T0 + 20_000 });
    await a.releaseLease();
    expect(stored().spec.holderIdentity).toBe('invocation-b');
  });

  it('is taken over once the holder stopped renewing for its whole duration, and never before', async () => {
    const { clock, a, b } = await twoInvocations();
    await a.acquireLease();
    clock.now = T0 + 14_999;
    expect((await b.acquireLease()).held).toBe(false);
    // As client-go: held while renewTime + duration is after now.
    clock.now = T0 + 15_000;
    expect(await b.acquireLease()).toEqual({ held: true, holder: 'invocation-b', expiresAt: T0 + 30_000 });
    // renew never takes a Lease, even an expired one, from someone else.
    clock.now = T0 + 60_000;
    expect((await a.renewLease()).held).toBe(false);
  });

  it('of two invocations racing for a free Lease, exactly one gets it', async () => {
    const { a, b, stored } = await twoInvocations();
    const results = await Promise.all([a.acquireLease(), b.acquireLease()]);
    expect(results.filter((r) => r.held)).toHaveLength(1);
    const winner = results.find((r) => r.held)?.holder;
    expect(results.map((r) => r.holder)).toEqual([winner, winner]);
    expect(stored().spec.holderIdentity).toBe(winner);
  });

  it('an acquisition that loses the race between read and write reports the winner instead of overwriting', async () => {
    const { server, clock, a, b, stored } = await twoInvocations();
    await a.acquireLease();
    clock.now = T0 + 30_000;
    // invocation-a renews (late) right between b's read of the expired Lease and b's update.
    server.faults.interleave({ verb: 'update', resource: 'leases' }, () => {
      const current = stored();
      server.store.update('leases', {
        ...current,
        spec: { ...current.spec, renewTime: '2026-11-26T00:00:30.000000Z' },
      });
    });
    expect(await b.acquireLease()).toEqual({ held: false, holder: 'invocation-a', expiresAt: T0 + 45_000 });
    expect(server.requests.filter((r) => r.verb === 'update').map((r) => r.status)).toEqual([409]);
  });
});
