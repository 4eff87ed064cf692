// What EC2 tells EventBridge about the simulated instances, and the spot interruptions a scenario schedules:
// - every state change becomes an "EC2 Instance State-change Notification" (the bus's rules drop the ones the
//   interruption queue does not subscribe to, as in AWS);
// - a spot interruption sends the two-minute "EC2 Spot Instance Interruption Warning" at its notice time and
//   reclaims the instance (shutting-down, reason Server.SpotInstanceTermination) two minutes later, unless
//   fleetwright terminated it first; a rebalance recommendation may precede it; the reclaimed pool may stay out
//   of capacity for a while (an ICE window), as a pool that is being reclaimed usually is;
// - AWS Health scheduled changes are posted as they are announced.

import type { SimClock } from '../clock.js';
import type { EventSink } from '../events/bus.js';
import {
  type EventOrigin,
  instanceStateChange,
  rebalanceRecommendation,
  type ScheduledChange,
  type StateChangeDetail,
  scheduledChange,
  spotInterruptionWarning,
} from '../events/messages.js';
import type { SimFaults } from './faults.js';
import type { SimIds } from './ids.js';
import { type SimInstance, type SimInstanceState, SPOT_TERMINATION } from './instance-record.js';
import type { SimInstances } from './instances.js';

/** EC2's notice before it reclaims a spot instance. */
export const SPOT_INTERRUPTION_NOTICE_MS = 2 * 60_000;

export interface SpotInterruptionPlan {
  /** When the warning is sent (epoch ms); default now. The instance is reclaimed two minutes later. */
  readonly noticeAt?: number;
  /** When a rebalance recommendation is sent; none when absent. */
  readonly rebalanceAt?: number;
  /** How long the pool has no spot capacity from the notice on; default none. */
  readonly capacityGoneMs?: number;
}

export interface NotifierDeps {
  readonly clock: SimClock;
  readonly ids: SimIds;
  readonly account: string;
  readonly region: string;
  readonly events?: EventSink | undefined;
}

const LIVE: ReadonlySet<SimInstanceState> = new Set(['pending', 'running']);

export class Ec2Notifier {
  constructor(private readonly deps: NotifierDeps) {}

  private origin(): EventOrigin {
    const { clock, ids, account, region } = this.deps;
    return { id: ids.uuid('event'), at: clock.now(), account, region };
  }

  stateChanged(instance: Readonly<SimInstance>, previous: SimInstanceState | undefined): void {
    if (previous === instance.state) return;
    this.deps.events?.put(
      instanceStateChange(this.origin(), instance.id, instance.state as StateChangeDetail['state']),
    );
  }

  spotWarning(instance: Readonly<SimInstance>): void {
    this.deps.events?.put(
      spotInterruptionWarning(this.origin(), { instanceId: instance.id, zone: instance.zone.name }),
    );
  }

  rebalance(instance: Readonly<SimInstance>): void {
    this.deps.events?.put(rebalanceRecommendation(this.origin(), instance.id));
  }

  scheduledChange(change: ScheduledChange): void {
    this.deps.events?.put(scheduledChange(this.origin(), change));
  }
}

export class SpotInterruptions {
  constructor(
    private readonly clock: SimClock,
    private readonly instances: SimInstances,
    private readonly faults: SimFaults,
    private readonly notifier: Ec2Notifier,
  ) {}

  /** Schedules the interruption of a spot instance; throws for an unknown or on-demand instance. */
  schedule(instanceId: string, plan: SpotInterruptionPlan = {}): void {
    const instance = this.instances.get(instanceId);
    if (instance === undefined) throw new Error(`no instance ${instanceId} to interrupt`);
    if (instance.capacityType !== 'spot') throw new Error(`${instanceId} is on-demand: only spot is interrupted`);
    const noticeAt = plan.noticeAt ?? this.clock.now();
    if (plan.rebalanceAt !== undefined) {
      this.clock.at(plan.rebalanceAt, () => {
        if (LIVE.has(instance.state)) this.notifier.rebalance(instance);
      });
    }
    this.clock.at(noticeAt, () => this.notice(instance, plan));
  }

  private notice(instance: SimInstance, plan: SpotInterruptionPlan): void {
    if (!LIVE.has(instance.state)) return;
    const now = this.clock.now();
    this.notifier.spotWarning(instance);
    if (plan.capacityGoneMs !== undefined && plan.capacityGoneMs > 0) {
      this.faults.insufficientCapacity({
        instanceType: instance.instanceType,
        zone: instance.zone.name,
        capacityType: 'spot',
        from: now,
        until: now + plan.capacityGoneMs,
      });
    }
    this.clock.setTimer(SPOT_INTERRUPTION_NOTICE_MS, () => {
      if (LIVE.has(instance.state)) this.instances.shutDown(instance, SPOT_TERMINATION);
    });
  }

  /** A rebalance recommendation for a live instance, now. */
  recommendRebalance(instanceId: string): void {
    const instance = this.instances.get(instanceId);
    if (instance && LIVE.has(instance.state)) this.notifier.rebalance(instance);
  }
}
