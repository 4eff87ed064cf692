// Volume topology through the reconcile handler (karpenter-core §1.11): a pending StatefulSet pod whose claim is
// bound to a zonal EBS volume gets its node in the volume's zone — the EBS CSI driver's zone key read as the
// zone —, a claim not bound yet adds nothing, and a pod whose volume cannot be read gets no node that tick.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../../shared/sim/kube-api/resources.js';
import { claim, persistentVolume } from '../adapters/kubernetes/support/world.js';
import { World } from './support/world.js';

let world: World;
beforeEach(async () => {
  world = await World.start();
});
afterEach(async () => {
  await world.close();
});

/** A pending StatefulSet pod `db-0` whose volume `data` uses the claim `data-db-0`. */
function pendingStatefulPod(): void {
  world.addPendingPod('db-0', '1', { app: 'db' });
  world.makeStatefulWithClaim('db-0', 'db', 'data-db-0');
}

/** The zones of every override of every CreateFleet call, and of the instances launched. */
function launchedZones(): { overrides: string[]; instances: string[] } {
  const overrides = world.ec2.fleetCalls.flatMap((c) =>
    (c.input.LaunchTemplateConfigs ?? []).flatMap((t) => (t.Overrides ?? []).map((o) => o.AvailabilityZone as string)),
  );
  return { overrides: [...new Set(overrides)], instances: world.ec2.live().map((i) => i.zone) };
}

describe('reconcile handler, volume topology', () => {
  it('plans the pod as if it had no volume while its claim is not bound (WaitForFirstConsumer)', async () => {
    pendingStatefulPod();
    world.server.store.create('persistentvolumeclaims', claim('default', 'data-db-0') as KubeObject);

    await world.pass();
    // The account's subnets are in us-east-1a and us-east-1b; unconstrained, the pod's node goes to the first.
    expect(launchedZones().instances).toEqual(['us-east-1a']);
  });

  it("launches the pod's node in the zone its bound EBS volume is pinned to", async () => {
    pendingStatefulPod();
    world.server.store.create('persistentvolumeclaims', claim('default', 'data-db-0', 'pv-db-0') as KubeObject);
    world.server.store.create('persistentvolumes', persistentVolume('pv-db-0', 'us-east-1b') as KubeObject);

    await world.pass();
    expect(launchedZones()).toEqual({ overrides: ['us-east-1b'], instances: ['us-east-1b'] });
    const reads = world.server.requests.filter((r) => r.verb === 'get' && r.resource.startsWith('persistentvolume'));
    expect(reads.map((r) => `${r.resource} ${r.name}`)).toEqual([
      'persistentvolumeclaims data-db-0',
      'persistentvolumes pv-db-0',
    ]);
  });

  it('launches nothing for the pod while its volume cannot be read, and launches once it can', async () => {
    pendingStatefulPod();
    world.server.store.create('persistentvolumeclaims', claim('default', 'data-db-0', 'pv-db-0') as KubeObject);
    world.server.store.create('persistentvolumes', persistentVolume('pv-db-0', 'us-east-1b') as KubeObject);
    world.server.access.deny('get', 'persistentvolumes');
    const warn = vi.spyOn(world.logger, 'warn');

    await world.pass();
    expect(world.ec2.fleetCalls).toHaveLength(0);
    expect(warn.mock.calls.map(([message]) => message)).toContain(
      'the volumes of a pending pod could not be read: not planned this tick',
    );

    world.server.access.reset();
    await world.pass();
    expect(launchedZones().instances).toEqual(['us-east-1b']);
  });
});
