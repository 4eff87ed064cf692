// The reconcile handler under faults (issue 13): each test injects one and checks that nothing is launched twice,
// nothing is done on a partial view, and the fleet still converges. Loopback API server, mocked EC2 and SSM
// behind the real adapters, virtual clock.

import { CreateFleetCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createReconcileHandler } from '../../functions/reconcile/handler.js';
import { nodePool } from '../config/builders.js';
import { World } from './support/world.js';

let world: World;
beforeEach(async () => {
  world = await World.start();
});
afterEach(async () => {
  await world.close();
});

/** A pod only an xlarge node holds, so every such pod needs a node of its own. */
const BIG = '3';

describe('reconcile handler under faults', () => {
  it('times out right after CreateFleet: the next invocation sees the instance in flight and launches nothing', async () => {
    world.addPendingPod('web-1', BIG);
    world.ec2.afterLaunch = () => 'hang';
    const killed = createReconcileHandler(world.reconcileDeps());
    void world.clock.run(killed({}, world.context()));
    await vi.waitFor(() => expect(world.ec2.instances.size).toBe(1));
    world.clock.abandon();
    world.ec2.afterLaunch = undefined;

    // A cold start: new provider (no memory of the launch), new client; it waits for the dead run's Lease.
    const next = createReconcileHandler(world.reconcileDeps());
    const result = await world.clock.run(next({}, world.context()));

    expect(result.outcome).toBe('completed');
    expect(world.ec2.aws.ec2).toHaveReceivedCommandTimes(CreateFleetCommand, 1);
    expect(world.ec2.live()).toHaveLength(1);
  });

  it('runs two invocations at once: only the Lease holder acts, and it launches once', async () => {
    world.addPendingPod('web-1', BIG);
    const a = createReconcileHandler(world.reconcileDeps());
    const b = createReconcileHandler(world.reconcileDeps());
    const results = await Promise.all([
      world.clock.run(a({}, world.context())),
      world.clock.run(b({}, world.context())),
    ]);

    expect(results.map((r) => r.outcome).sort()).toEqual(['completed', 'lease-held-elsewhere']);
    expect(world.ec2.aws.ec2).toHaveReceivedCommandTimes(CreateFleetCommand, 1);
    expect(world.metrics.values('LeaseHeld').sort()).toEqual([0, 1]);
  });

  it('hands over between back-to-back runs without a gap and without acting twice', async () => {
    const info = vi.spyOn(world.logger, 'info');
    const t0 = world.clock.now();
    const runs: Promise<unknown>[] = [];
    const start = () => runs.push(world.clock.run(createReconcileHandler(world.reconcileDeps())({}, world.context())));
    start();
    world.clock.at(t0 + 60_000, start);
    for (const [name, at] of [
      ['early', 10_000],
      ['at-hand-over', 74_600],
      ['late', 90_000],
    ] as const) {
      world.clock.at(t0 + at, () => world.addPendingPod(name, BIG));
    }
    await vi.waitFor(() => expect(runs).toHaveLength(2), { timeout: 10_000 });
    await Promise.all(runs);

    const ticks = world.decisions(info).map((d) => d.at as number);
    const gaps = ticks.slice(1).map((t, i) => t - (ticks[i] as number));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2_000);
    expect(ticks.at(-1)).toBeGreaterThan(t0 + 120_000);
    expect(world.ec2.aws.ec2).toHaveReceivedCommandTimes(CreateFleetCommand, 3);
    expect(world.metrics.values('LeaseHeld')).toEqual([1, 1]);
  });

  it('acts on nothing while the API server fails the pod list, then acts once it answers', async () => {
    world.addPendingPod('web-1', BIG);
    const info = vi.spyOn(world.logger, 'info');
    // Two whole lists fail (each request is retried three times): one 500s, then throttled with Retry-After.
    world.server.faults.inject({ verb: 'list', resource: 'pods', status: 500, times: 3 });
    world.server.faults.inject({ verb: 'list', resource: 'pods', status: 429, retryAfterSeconds: 0, times: 3 });
    const handler = createReconcileHandler(world.reconcileDeps({ responsiveness: 'watch' }));
    await world.clock.run(handler({}, world.context(30_000)));

    const decisions = world.decisions(info);
    expect(decisions.slice(0, 2).map((d) => d.skipped)).toEqual([
      'the cluster could not be listed: acting on nothing',
      'the cluster could not be listed: acting on nothing',
    ]);
    const firstFleet = world.ec2.fleetCalls[0]?.at ?? 0;
    expect(firstFleet).toBeGreaterThanOrEqual(decisions[2]?.at as number);
    expect(world.ec2.aws.ec2).toHaveReceivedCommandTimes(CreateFleetCommand, 1);
  });

  it('relists after a watch fails for good and does not act on the stale view in between', async () => {
    const handler = createReconcileHandler(world.reconcileDeps());
    const t0 = world.clock.now();
    world.clock.at(t0 + 5_000, () => {
      world.server.faults.inject({ verb: 'watch', resource: 'pods', status: 503, times: 50 });
      world.server.faults.dropWatches();
    });
    world.clock.at(t0 + 8_000, () => world.addPendingPod('web-1', BIG));
    await world.clock.run(handler({}, world.context(40_000)));
    expect(world.ec2.aws.ec2).toHaveReceivedCommandTimes(CreateFleetCommand, 1);
  });

  it('falls back to on-demand when every spot offering has no capacity', async () => {
    world.addPendingPod('web-1', BIG);
    world.ec2.behaviour = (input) =>
      input.TargetCapacitySpecification?.DefaultTargetCapacityType === 'spot' ? 'ice' : 'launch';
    await world.clock.run(createReconcileHandler(world.reconcileDeps())({}, world.context()));

    expect(world.ec2.live().map((i) => i.lifecycle)).toEqual(['on-demand']);
    expect(world.metrics.sum('InsufficientCapacityErrors')).toBeGreaterThan(0);
    expect(world.metrics.sum('LaunchFailures', 'InsufficientCapacity')).toBeGreaterThan(0);
  });

  it('rides out EC2 throttling: retried calls keep their client token and start one instance', async () => {
    world.addPendingPod('web-1', BIG);
    let calls = 0;
    world.ec2.behaviour = () => (++calls <= 2 ? 'throttle' : 'launch');
    await world.clock.run(createReconcileHandler(world.reconcileDeps())({}, world.context(30_000)));

    expect(world.ec2.live()).toHaveLength(1);
    const tokens = world.ec2.fleetCalls.map((c) => c.input.ClientToken);
    expect(new Set(tokens).size).toBe(1);
  });

  it('keeps the last valid version of an invalid document in force and raises ConfigInvalid', async () => {
    // v1 is the world's valid pool; v2 has a typo.
    world.setDocument('nodepools/web', nodePool({ spec: { template: { spec: { requirments: [] } } } }));
    world.addPendingPod('web-1', BIG);
    const error = vi.spyOn(world.logger, 'error');
    await world.clock.run(createReconcileHandler(world.reconcileDeps())({}, world.context(30_000)));

    expect(world.metrics.values('ConfigInvalid')).toEqual([1]);
    expect(error).toHaveBeenCalledWith(
      expect.stringContaining('last version that validated'),
      expect.objectContaining({ inForce: 'v1', errors: [expect.stringContaining('did you mean "requirements"?')] }),
    );
    expect(world.ec2.live().map((i) => i.tags['fleetwright.io/nodepool'])).toEqual(['web']);
  });

  it('acts on nothing when no configuration can be read at all', async () => {
    world.documents.clear();
    world.setDocument('nodepools/web', '{ not json');
    world.addPendingPod('web-1', BIG);
    await world.clock.run(createReconcileHandler(world.reconcileDeps())({}, world.context(30_000)));
    expect(world.ec2.fleetCalls).toHaveLength(0);
  });
});
