// What an invocation reports besides its decision records (DESIGN.md §8): gauges observed every tick and
// published once at the end — the last value of PendingPods and HourlyCost, the largest PendingPodAgeMax, and
// PoolAtLimit when a pool hit its limit in any tick — so a 75-second run is one data point per metric, not 75.

import { LABEL_NODEPOOL } from '../../core/labels.js';
import { nodeStates } from '../../core/plan/cluster-state.js';
import type { MetricsSink } from '../observability/metrics.js';
import { waitsForCapacity } from './cluster-view.js';
import type { Planned } from './tick.js';

export interface Gauges {
  pendingPods: number;
  pendingPodAgeMaxMs: number;
  readonly hourlyCost: Map<string, number>;
  readonly poolAtLimit: Map<string, number>;
  observed: boolean;
}

export function newGauges(): Gauges {
  return { pendingPods: 0, pendingPodAgeMaxMs: 0, hourlyCost: new Map(), poolAtLimit: new Map(), observed: false };
}

/** Observes one tick's plan; returns how many pods wait for capacity. */
export function observe(gauges: Gauges, planned: Planned, now: number): number {
  const { world, plan } = planned;
  const pending = world.snapshot.pods.filter(waitsForCapacity);
  gauges.observed = true;
  gauges.pendingPods = pending.length;
  for (const pod of pending)
    gauges.pendingPodAgeMaxMs = Math.max(gauges.pendingPodAgeMaxMs, now - pod.creationTimestamp);
  const states = nodeStates(world.snapshot);
  for (const pool of world.config.nodePools) {
    const mine = states.filter(
      (s) => s.node.labels[LABEL_NODEPOOL] === pool.name && world.snapshot.managedNodes.has(s.node.name),
    );
    gauges.hourlyCost.set(pool.name, round(mine.reduce((sum, s) => sum + (s.price ?? 0), 0)));
    const nodesLimit = pool.limits.nodes;
    const byCount = nodesLimit !== undefined && mine.length >= nodesLimit;
    const single = world.config.nodePools.length === 1;
    const byReason = plan.unschedulable.some(
      (u) => /limit/.test(u.reason) && (single || u.reason.includes(`nodepool "${pool.name}": `)),
    );
    if (byCount || byReason) gauges.poolAtLimit.set(pool.name, 1);
    else if (!gauges.poolAtLimit.has(pool.name)) gauges.poolAtLimit.set(pool.name, 0);
  }
  return pending.length;
}

export function publishGauges(gauges: Gauges, metrics: MetricsSink): void {
  if (!gauges.observed) return;
  metrics.record('PendingPods', gauges.pendingPods);
  metrics.record('PendingPodAgeMax', Math.round(gauges.pendingPodAgeMaxMs / 1000));
  for (const [pool, cost] of gauges.hourlyCost) metrics.record('HourlyCost', cost, pool);
  for (const [pool, atLimit] of gauges.poolAtLimit) metrics.record('PoolAtLimit', atLimit, pool);
}

function round(dollars: number): number {
  return Math.round(dollars * 10_000) / 10_000;
}
