// EventBridge messages as the interruption queue receives them (research/aws-provider.md §d.3): the envelope and
// every detail field of the five event kinds, and the simulated bus's rules, which must be the rules infra/
// deploys (so the simulation drops exactly the events AWS would drop).

import { describe, expect, it } from 'vitest';
import { INTERRUPTION_EVENT_PATTERNS } from '../../../infra/constructs/interruption-queue.js';
import { INTERRUPTION_RULES, interruptionBus, matches } from '../../../shared/sim/events/bus.js';
import {
  capacityReservationInterruption,
  type EventOrigin,
  instanceStateChange,
  rebalanceRecommendation,
  scheduledChange,
  spotInterruptionWarning,
} from '../../../shared/sim/events/messages.js';

const ORIGIN: EventOrigin = {
  id: '1e5527d7-bb36-4607-3370-4164db56a40e',
  at: Date.UTC(2025, 5, 11, 14, 0, 0, 250),
  account: '123456789012',
  region: 'us-east-1',
};
const ID = 'i-0123456789abcdef0';
const ENVELOPE = {
  version: '0',
  id: ORIGIN.id,
  account: '123456789012',
  time: '2025-06-11T14:00:00Z',
  region: 'us-east-1',
};

describe('EventBridge interruption messages', () => {
  it('spot interruption warning: zone ARN without account, instance-id and instance-action', () => {
    expect(spotInterruptionWarning(ORIGIN, { instanceId: ID, zone: 'us-east-1a' })).toEqual({
      ...ENVELOPE,
      'detail-type': 'EC2 Spot Instance Interruption Warning',
      source: 'aws.ec2',
      resources: [`arn:aws:ec2:us-east-1a:instance/${ID}`],
      detail: { 'instance-id': ID, 'instance-action': 'terminate' },
    });
  });

  it('rebalance recommendation and state-change notification: regional ARN with account', () => {
    const arn = `arn:aws:ec2:us-east-1:123456789012:instance/${ID}`;
    expect(rebalanceRecommendation(ORIGIN, ID)).toEqual({
      ...ENVELOPE,
      'detail-type': 'EC2 Instance Rebalance Recommendation',
      source: 'aws.ec2',
      resources: [arn],
      detail: { 'instance-id': ID },
    });
    expect(instanceStateChange(ORIGIN, ID, 'shutting-down')).toEqual({
      ...ENVELOPE,
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      resources: [arn],
      detail: { 'instance-id': ID, state: 'shutting-down' },
    });
  });

  it('AWS Health scheduled change: bare ids as resources, RFC 1123 times, every affected entity', () => {
    const event = scheduledChange(ORIGIN, {
      instanceIds: [ID, 'i-0fedcba9876543210'],
      startAt: Date.UTC(2025, 5, 14, 12, 0, 0),
      endAt: Date.UTC(2025, 5, 14, 14, 0, 0),
    });
    expect(event).toMatchObject({
      ...ENVELOPE,
      'detail-type': 'AWS Health Event',
      source: 'aws.health',
      resources: [ID, 'i-0fedcba9876543210'],
      detail: {
        eventArn: `arn:aws:health:us-east-1::event/EC2/AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED/AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED_${ORIGIN.id}`,
        service: 'EC2',
        eventTypeCode: 'AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED',
        eventTypeCategory: 'scheduledChange',
        startTime: 'Sat, 14 Jun 2025 12:00:00 GMT',
        endTime: 'Sat, 14 Jun 2025 14:00:00 GMT',
        affectedEntities: [{ entityValue: ID }, { entityValue: 'i-0fedcba9876543210' }],
      },
    });
    expect(event.detail.eventDescription).toEqual([{ language: 'en_US', latestDescription: expect.any(String) }]);
  });

  it('capacity reservation interruption warning: action, termination time, zone id and lifecycle', () => {
    const event = capacityReservationInterruption(ORIGIN, {
      instanceId: ID,
      zoneId: 'use1-az1',
      terminateAt: ORIGIN.at + 120_000,
    });
    expect(event).toEqual({
      ...ENVELOPE,
      'detail-type': 'EC2 Capacity Reservation Instance Interruption Warning',
      source: 'aws.ec2',
      resources: [`arn:aws:ec2:us-east-1:123456789012:instance/${ID}`],
      detail: {
        'instance-id': ID,
        'instance-action': 'terminate',
        'instance-termination-time': '2025-06-11T14:02:00Z',
        'availability-zone-id': 'use1-az1',
        'instance-lifecycle': 'capacity-block',
      },
    });
  });
});

describe('the interruption rules', () => {
  it('are the rules infra deploys, pattern for pattern', () => {
    const deployed = Object.fromEntries(
      Object.entries(INTERRUPTION_EVENT_PATTERNS).map(([name, { detailType, ...rest }]) => [
        name,
        { ...rest, 'detail-type': detailType },
      ]),
    );
    expect(INTERRUPTION_RULES).toEqual(deployed);
  });

  it('deliver the JSON of matching events to the queue and drop the rest', () => {
    const sent: string[] = [];
    const bus = interruptionBus({ send: (body: string) => sent.push(body) });
    bus.put(instanceStateChange(ORIGIN, ID, 'running'));
    bus.put(instanceStateChange(ORIGIN, ID, 'terminated'));
    bus.put(rebalanceRecommendation(ORIGIN, ID));
    expect(sent.map((b) => JSON.parse(b).detail)).toEqual([
      { 'instance-id': ID, state: 'terminated' },
      { 'instance-id': ID },
    ]);
    expect(bus.log.map((d) => d.rules)).toEqual([[], ['InstanceStateChangeRule'], ['RebalanceRecommendationRule']]);
    expect(matches({ source: ['aws.ec2'], detail: { state: ['stopped'] } }, { source: 'aws.ec2' })).toBe(false);
  });
});
