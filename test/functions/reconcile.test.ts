// The reconcile handler end to end, through middy: loopback Kubernetes API server, real SDK clients mocked with
// aws-sdk-client-mock under the real EC2 adapter and SSM store, virtual clock.

import { CreateFleetCommand, CreateTagsCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createReconcileHandler } from '../../functions/reconcile/handler.js';
import { ANNOTATION_NODECLASS_HASH, ANNOTATION_NODEPOOL_HASH } from '../../shared/core/labels.js';
import { World } from './support/world.js';

let world: World;
beforeEach(async () => {
  world = await World.start();
});
afterEach(async () => {
  await world.close();
});

describe('reconcile handler, watch mode', () => {
  it('launches one node for a pending pod, ticks every second until 15 s before the deadline, and hands the Lease over', async () => {
    world.addPendingPod('web-1');
    const info = vi.spyOn(world.logger, 'info');
    const handler = createReconcileHandler(world.reconcileDeps());

    const result = await world.clock.run(handler({}, world.context()));

    expect(result).toMatchObject({ outcome: 'completed', mode: 'watch' });
    expect(world.ec2.aws.ec2).toHaveReceivedCommandTimes(CreateFleetCommand, 1);
    expect(world.ec2.live()).toHaveLength(1);
    const decisions = world.decisions(info);
    expect(decisions).toHaveLength(result.ticks);
    expect(result.ticks).toBeGreaterThanOrEqual(74);
    expect(result.ticks).toBeLessThanOrEqual(76);
    expect(world.metrics.sum('NodesLaunched')).toBe(1);
    expect(world.metrics.values('LeaseHeld')).toEqual([1]);
    expect(world.metrics.values('ConfigInvalid')).toEqual([0]);
    expect(world.metrics.flushes).toBe(1);
    expect(world.leaseHolder()).toBe('');
  });

  it('records an Event once per run, not once per tick', async () => {
    world.addPendingPod('huge', '64');
    await world.clock.run(createReconcileHandler(world.reconcileDeps())({}, world.context()));
    const events = world.server.store.list('events') as unknown as { reason: string; regarding: { name: string } }[];
    expect(events.filter((e) => e.reason === 'FailedScheduling' && e.regarding.name === 'huge')).toHaveLength(1);
    expect(world.metrics.values('PendingPods')).toEqual([1]);
    expect(world.metrics.values('PendingPodAgeMax')).toEqual([74]);
  });

  it('annotates a registered node with the launch hashes and names its instance', async () => {
    world.addPendingPod('web-1');
    const handler = createReconcileHandler(world.reconcileDeps());
    world.clock.at(world.clock.now() + 20_000, () => {
      const [instance] = world.ec2.live();
      if (instance) world.register(instance);
    });
    await world.clock.run(handler({}, world.context()));
    const [instance] = world.ec2.live();
    const node = world.node(`ip-10-0-0-${Number.parseInt(instance?.id.slice(2) ?? '0', 16)}.ec2.internal`);
    expect(node?.metadata?.annotations?.[ANNOTATION_NODEPOOL_HASH]).toBe(
      instance?.tags['fleetwright.io/nodepool-hash'],
    );
    expect(node?.metadata?.annotations?.[ANNOTATION_NODECLASS_HASH]).toBeDefined();
    expect(world.ec2.aws.ec2).toHaveReceivedCommandWith(CreateTagsCommand, {
      Resources: [instance?.id],
      Tags: [{ Key: 'Name', Value: node?.metadata?.name }],
    });
    expect(world.metrics.sum('NodesRegistered')).toBe(1);
  });
});
