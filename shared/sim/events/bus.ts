// The default EventBridge bus of the simulated account: events put on it reach the targets of every rule whose
// pattern matches, with EventBridge's matching (each pattern field lists the values allowed, nested objects match
// inside `detail`, everything not named matches). `interruptionBus` wires the five rules of the interruption
// queue exactly as infra/constructs/interruption-queue.ts declares them (a test keeps the two in step), so a
// `pending` state change is dropped here just as it is in AWS, and the handler only sees what it would there.

import type { EventBridgeEvent } from './messages.js';
import {
  AWS_HEALTH_EVENT,
  CAPACITY_RESERVATION_INTERRUPTION,
  REBALANCE_RECOMMENDATION,
  SPOT_INTERRUPTION_WARNING,
  STATE_CHANGE_NOTIFICATION,
} from './messages.js';

/** An EventBridge event pattern: field -> allowed values, or a nested pattern for an object field. */
export interface EventPattern {
  readonly [field: string]: readonly string[] | EventPattern;
}

/** Anything events can be put to: the simulated EC2 only knows this. */
export interface EventSink {
  put(event: EventBridgeEvent): void;
}

export interface EventTarget {
  /** Called with the event as EventBridge delivers it to SQS: the JSON of the whole event. */
  send(body: string): unknown;
}

/**
 * The interruption rules by construct id, in EventBridge's JSON spelling (`detail-type`): a mirror of
 * INTERRUPTION_EVENT_PATTERNS in infra/, which the simulator cannot import (CDK is a dev dependency).
 */
export const INTERRUPTION_RULES: Readonly<Record<string, EventPattern>> = {
  SpotInterruptionRule: { source: ['aws.ec2'], 'detail-type': [SPOT_INTERRUPTION_WARNING] },
  RebalanceRecommendationRule: { source: ['aws.ec2'], 'detail-type': [REBALANCE_RECOMMENDATION] },
  InstanceStateChangeRule: {
    source: ['aws.ec2'],
    'detail-type': [STATE_CHANGE_NOTIFICATION],
    detail: { state: ['stopping', 'stopped', 'shutting-down', 'terminated'] },
  },
  ScheduledChangeRule: { source: ['aws.health'], 'detail-type': [AWS_HEALTH_EVENT] },
  CapacityReservationInterruptionRule: { source: ['aws.ec2'], 'detail-type': [CAPACITY_RESERVATION_INTERRUPTION] },
};

/** True when `value` (an event or a part of one) matches `pattern`. */
export function matches(pattern: EventPattern, value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return Object.entries(pattern).every(([field, expected]) => {
    const actual = record[field];
    if (!Array.isArray(expected)) return matches(expected as EventPattern, actual);
    // A list-valued field (resources) matches when any element is allowed.
    const values = Array.isArray(actual) ? actual : [actual];
    return values.some((v) => typeof v === 'string' && expected.includes(v));
  });
}

interface Rule {
  readonly name: string;
  readonly pattern: EventPattern;
  readonly target: EventTarget;
}

export interface DeliveredEvent {
  readonly event: EventBridgeEvent;
  /** Names of the rules that matched; empty when the event went nowhere. */
  readonly rules: readonly string[];
}

export class SimEventBus implements EventSink {
  private readonly rules: Rule[] = [];
  /** Every event put, in order, with where it went: the report's interruption timeline reads it. */
  readonly log: DeliveredEvent[] = [];

  addRule(name: string, pattern: EventPattern, target: EventTarget): void {
    this.rules.push({ name, pattern, target });
  }

  put(event: EventBridgeEvent): void {
    const matched = this.rules.filter((r) => matches(r.pattern, event));
    const body = JSON.stringify(event);
    for (const rule of matched) rule.target.send(body);
    this.log.push({ event, rules: matched.map((r) => r.name) });
  }
}

/** A bus with the interruption queue's five rules, all targeting `queue`. */
export function interruptionBus(queue: EventTarget): SimEventBus {
  const bus = new SimEventBus();
  for (const [name, pattern] of Object.entries(INTERRUPTION_RULES)) bus.addRule(name, pattern, queue);
  return bus;
}
