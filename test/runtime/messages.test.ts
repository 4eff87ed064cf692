// The interruption parser registry: the five kinds of EventBridge events the stack's rules deliver, in the shapes
// of research/aws-provider.md §d.3, and what each becomes.

import { describe, expect, it } from 'vitest';
import { PARSERS, parseMessage } from '../../shared/runtime/interruption/messages.js';

const ID = 'i-0123456789abcdef0';

function body(detailType: string, detail: object, source = 'aws.ec2', extra: object = {}): string {
  return JSON.stringify({
    version: '0',
    id: '1e5527d7-bb36-4607-3370-4164db56a40e',
    'detail-type': detailType,
    source,
    account: '123456789012',
    time: '2022-08-11T14:00:00Z',
    region: 'us-east-1',
    resources: [`arn:aws:ec2:us-east-1a:instance/${ID}`],
    detail,
    ...extra,
  });
}

describe('parseMessage', () => {
  it('has a parser for each of the five rules, keyed by source and detail-type', () => {
    expect([...PARSERS.keys()].sort()).toEqual([
      'aws.ec2|EC2 Capacity Reservation Instance Interruption Warning',
      'aws.ec2|EC2 Instance Rebalance Recommendation',
      'aws.ec2|EC2 Instance State-change Notification',
      'aws.ec2|EC2 Spot Instance Interruption Warning',
      'aws.health|AWS Health Event',
    ]);
  });

  it.each([
    [
      'EC2 Spot Instance Interruption Warning',
      { 'instance-id': ID, 'instance-action': 'terminate' },
      'SpotInterrupted',
      'drain',
    ],
    ['EC2 Instance Rebalance Recommendation', { 'instance-id': ID }, 'RebalanceRecommended', 'drain-if-opted-in'],
    ['EC2 Instance State-change Notification', { 'instance-id': ID, state: 'stopping' }, 'InstanceStopping', 'drain'],
    ['EC2 Instance State-change Notification', { 'instance-id': ID, state: 'STOPPED' }, 'InstanceStopping', 'drain'],
    [
      'EC2 Instance State-change Notification',
      { 'instance-id': ID, state: 'shutting-down' },
      'InstanceTerminating',
      'delete-node',
    ],
    [
      'EC2 Instance State-change Notification',
      { 'instance-id': ID, state: 'terminated' },
      'InstanceTerminating',
      'delete-node',
    ],
    [
      'EC2 Capacity Reservation Instance Interruption Warning',
      { 'instance-id': ID, 'instance-action': 'terminate' },
      'CapacityReservationInterrupted',
      'drain',
    ],
  ])('%s %j is %s (%s)', (detailType, detail, kind, action) => {
    const parsed = parseMessage(body(detailType, detail));
    expect(parsed).toMatchObject({ status: 'notice', notice: { kind, action, instanceIds: [ID] } });
  });

  it('marks the offering of a spot interruption unavailable, and only that', () => {
    const spot = parseMessage(
      body('EC2 Spot Instance Interruption Warning', { 'instance-id': ID, 'instance-action': 'terminate' }),
    );
    const stop = parseMessage(body('EC2 Instance State-change Notification', { 'instance-id': ID, state: 'stopping' }));
    expect(spot).toMatchObject({ notice: { markSpotUnavailable: true } });
    expect(stop).not.toMatchObject({ notice: { markSpotUnavailable: true } });
  });

  it('takes every affected instance of an EC2 scheduled change, and ignores other Health events', () => {
    const detail = {
      eventArn: 'arn:aws:health:us-east-1::event/EC2/AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED/x',
      service: 'EC2',
      eventTypeCode: 'AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED',
      eventTypeCategory: 'scheduledChange',
      startTime: 'Sat, 05 Jun 2026 12:00:00 GMT',
      affectedEntities: [{ entityValue: ID }, { entityValue: 'i-0fedcba9876543210' }, { entityValue: 'vol-1' }],
    };
    expect(parseMessage(body('AWS Health Event', detail, 'aws.health', { resources: [ID] }))).toMatchObject({
      status: 'notice',
      notice: { kind: 'ScheduledChange', instanceIds: [ID, 'i-0fedcba9876543210'] },
    });
    const issue = { ...detail, eventTypeCategory: 'issue' };
    expect(parseMessage(body('AWS Health Event', issue, 'aws.health'))).toMatchObject({
      status: 'ignored',
      kind: 'Health',
    });
  });

  it('ignores an instance that starts', () => {
    const parsed = parseMessage(
      body('EC2 Instance State-change Notification', { 'instance-id': ID, state: 'pending' }),
    );
    expect(parsed).toMatchObject({ status: 'ignored', kind: 'StateChange' });
  });

  it('says why a message is malformed or unknown', () => {
    expect(parseMessage('{')).toMatchObject({ status: 'malformed', reason: expect.stringMatching(/^not JSON/) });
    expect(parseMessage('{"hello": 1}')).toMatchObject({
      status: 'malformed',
      reason: expect.stringMatching(/not an EventBridge event/),
    });
    expect(parseMessage(body('EC2 Spot Instance Interruption Warning', { 'instance-id': 'x' }))).toEqual({
      status: 'malformed',
      reason: expect.stringMatching(/instance-id: an EC2 instance id; instance-action/),
    });
    expect(parseMessage(body('EC2 Fleet Error', {}))).toMatchObject({ status: 'unknown' });
    expect(parseMessage(body('EC2 Spot Instance Interruption Warning', {}, 'aws.ec2', { version: '1' }))).toMatchObject(
      {
        status: 'unknown',
        reason: expect.stringContaining('version 1'),
      },
    );
  });
});
