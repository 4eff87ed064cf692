// EventBridge events the interruption queue receives (research/aws-provider.md §d.3), built with the exact
// envelope EventBridge delivers to SQS — `version` "0", `id`, `detail-type`, `source`, `account`, `time` (RFC 3339,
// whole seconds), `region`, `resources`, `detail` — and each detail as AWS documents it. The message body on
// the queue is this object as JSON, nothing around it (EventBridge targets SQS without an envelope of its own).
//
// Resource ARNs differ by event, and the differences are real: the spot warning names the instance under its
// *zone* and without an account (`arn:aws:ec2:us-east-1a:instance/i-…`), the others under the region with the
// account; AWS Health lists bare instance ids.

export interface EventBridgeEvent<D = unknown> {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: D;
}

/** Where and when an event happens; `id` is the event's own UUID. */
export interface EventOrigin {
  readonly id: string;
  /** Epoch ms. */
  readonly at: number;
  readonly account: string;
  readonly region: string;
}

export const SPOT_INTERRUPTION_WARNING = 'EC2 Spot Instance Interruption Warning';
export const REBALANCE_RECOMMENDATION = 'EC2 Instance Rebalance Recommendation';
export const STATE_CHANGE_NOTIFICATION = 'EC2 Instance State-change Notification';
export const AWS_HEALTH_EVENT = 'AWS Health Event';
export const CAPACITY_RESERVATION_INTERRUPTION = 'EC2 Capacity Reservation Instance Interruption Warning';

/** RFC 3339 in whole seconds, as EventBridge writes `time`. */
export function eventTime(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function envelope<D>(origin: EventOrigin, detailType: string, source: string, resources: string[], detail: D) {
  return {
    version: '0' as const,
    id: origin.id,
    'detail-type': detailType,
    source,
    account: origin.account,
    time: eventTime(origin.at),
    region: origin.region,
    resources,
    detail,
  };
}

function instanceArn(origin: EventOrigin, instanceId: string): string {
  return `arn:aws:ec2:${origin.region}:${origin.account}:instance/${instanceId}`;
}

export interface SpotInterruptionDetail {
  readonly 'instance-id': string;
  readonly 'instance-action': 'terminate' | 'stop' | 'hibernate';
}

/** Two minutes before EC2 reclaims a spot instance. */
export function spotInterruptionWarning(
  origin: EventOrigin,
  instance: {
    readonly instanceId: string;
    readonly zone: string;
    readonly action?: 'terminate' | 'stop' | 'hibernate';
  },
): EventBridgeEvent<SpotInterruptionDetail> {
  return envelope(
    origin,
    SPOT_INTERRUPTION_WARNING,
    'aws.ec2',
    [`arn:aws:ec2:${instance.zone}:instance/${instance.instanceId}`],
    {
      'instance-id': instance.instanceId,
      'instance-action': instance.action ?? 'terminate',
    },
  );
}

/** EC2 expects the spot instance to be at elevated risk of interruption. */
export function rebalanceRecommendation(
  origin: EventOrigin,
  instanceId: string,
): EventBridgeEvent<{ readonly 'instance-id': string }> {
  return envelope(origin, REBALANCE_RECOMMENDATION, 'aws.ec2', [instanceArn(origin, instanceId)], {
    'instance-id': instanceId,
  });
}

export interface StateChangeDetail {
  readonly 'instance-id': string;
  readonly state: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';
}

export function instanceStateChange(
  origin: EventOrigin,
  instanceId: string,
  state: StateChangeDetail['state'],
): EventBridgeEvent<StateChangeDetail> {
  return envelope(origin, STATE_CHANGE_NOTIFICATION, 'aws.ec2', [instanceArn(origin, instanceId)], {
    'instance-id': instanceId,
    state,
  });
}

export interface HealthDetail {
  readonly eventArn: string;
  readonly service: string;
  readonly eventScopeCode: 'ACCOUNT_SPECIFIC';
  readonly communicationId: string;
  readonly lastUpdatedTime: string;
  readonly statusCode: 'upcoming' | 'open' | 'closed';
  readonly eventRegion: string;
  readonly eventTypeCode: string;
  readonly eventTypeCategory: 'scheduledChange' | 'issue' | 'accountNotification' | 'investigation';
  readonly startTime: string;
  readonly endTime: string;
  readonly eventDescription: readonly { readonly language: string; readonly latestDescription: string }[];
  readonly affectedEntities: readonly { readonly entityValue: string }[];
  readonly affectedAccount: string;
}

export interface ScheduledChange {
  readonly instanceIds: readonly string[];
  /** Epoch ms the maintenance starts and ends. */
  readonly startAt: number;
  readonly endAt: number;
  /** Default AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED. */
  readonly eventTypeCode?: string;
  readonly service?: string;
  readonly category?: HealthDetail['eventTypeCategory'];
}

/** An AWS Health event; times inside `detail` are RFC 1123 (`Sat, 05 Jun 2026 12:00:00 GMT`), as Health writes them. */
export function scheduledChange(origin: EventOrigin, change: ScheduledChange): EventBridgeEvent<HealthDetail> {
  const code = change.eventTypeCode ?? 'AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED';
  const service = change.service ?? 'EC2';
  return envelope(origin, AWS_HEALTH_EVENT, 'aws.health', [...change.instanceIds], {
    eventArn: `arn:aws:health:${origin.region}::event/${service}/${code}/${code}_${origin.id}`,
    service,
    eventScopeCode: 'ACCOUNT_SPECIFIC',
    communicationId: `${origin.id}-1`,
    lastUpdatedTime: new Date(origin.at).toUTCString(),
    statusCode: 'upcoming',
    eventRegion: origin.region,
    eventTypeCode: code,
    eventTypeCategory: change.category ?? 'scheduledChange',
    startTime: new Date(change.startAt).toUTCString(),
    endTime: new Date(change.endAt).toUTCString(),
    eventDescription: [
      {
        language: 'en_US',
        latestDescription: `EC2 has detected degradation of the underlying hardware hosting your instances. Your instances will be retired after ${new Date(change.startAt).toUTCString()}.`,
      },
    ],
    affectedEntities: change.instanceIds.map((entityValue) => ({ entityValue })),
    affectedAccount: origin.account,
  });
}

export interface CapacityReservationInterruptionDetail {
  readonly 'instance-id': string;
  readonly 'instance-action': 'terminate';
  readonly 'instance-termination-time': string;
  readonly 'availability-zone-id': string;
  readonly 'instance-lifecycle': 'capacity-block' | 'interruptible-capacity-reservation';
}

/** An instance in a capacity block or interruptible reservation is about to be reclaimed. */
export function capacityReservationInterruption(
  origin: EventOrigin,
  instance: {
    readonly instanceId: string;
    readonly zoneId: string;
    readonly terminateAt: number;
    readonly lifecycle?: CapacityReservationInterruptionDetail['instance-lifecycle'];
  },
): EventBridgeEvent<CapacityReservationInterruptionDetail> {
  return envelope(origin, CAPACITY_RESERVATION_INTERRUPTION, 'aws.ec2', [instanceArn(origin, instance.instanceId)], {
    'instance-id': instance.instanceId,
    'instance-action': 'terminate',
    'instance-termination-time': eventTime(instance.terminateAt),
    'availability-zone-id': instance.zoneId,
    'instance-lifecycle': instance.lifecycle ?? 'capacity-block',
  });
}
