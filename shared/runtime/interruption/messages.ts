// EventBridge messages on the interruption queue (research/aws-provider.md §d.3), validated with zod and turned
// into notices: which instances, what kind of notice, what to do. A registry keyed by (source, detail-type) holds
// one parser per kind of event the stack's five rules deliver; anything else is unknown. Like Karpenter, every
// parser expects envelope version "0" and filters in code (the rules do not filter on `detail`).

import { z } from 'zod';
import { TAINT_REASON } from '../taint-reasons.js';

/** What fleetwright does about a notice. */
export type NoticeAction =
  /** Taint the node as disrupted and start evicting its pods. */
  | 'drain'
  /** Drain only when the node's pool opts in; otherwise an event. */
  | 'drain-if-opted-in'
  /** The instance is going or gone: delete its Node. */
  | 'delete-node';

export interface Notice {
  /** The taint value and event reason, e.g. `SpotInterrupted`; the `Kind` dimension of InterruptionMessages. */
  readonly kind: string;
  readonly action: NoticeAction;
  readonly instanceIds: readonly string[];
  /** A spot interruption also marks the offering unavailable (research/aws-provider.md §c). */
  readonly markSpotUnavailable?: boolean;
  /** One sentence for the event and the log. */
  readonly note: string;
}

export type ParsedMessage =
  | { readonly status: 'notice'; readonly id: string; readonly notice: Notice }
  /** A known event that needs nothing (an instance starting, a Health event of another service). */
  | { readonly status: 'ignored'; readonly id: string; readonly kind: string; readonly reason: string }
  | { readonly status: 'unknown'; readonly reason: string }
  | { readonly status: 'malformed'; readonly reason: string };

const envelope = z.object({
  version: z.string(),
  id: z.string().min(1),
  'detail-type': z.string(),
  source: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()).default([]),
  detail: z.unknown(),
});

type Envelope = z.output<typeof envelope>;

const instanceId = z.string().regex(/^i-[0-9a-f]+$/, 'an EC2 instance id');
const withInstance = z.object({ 'instance-id': instanceId });
const withAction = withInstance.extend({ 'instance-action': z.string() });
const stateChange = withInstance.extend({ state: z.string() });
const healthEvent = z.object({
  service: z.string(),
  eventTypeCategory: z.string(),
  eventTypeCode: z.string().optional(),
  affectedEntities: z.array(z.object({ entityValue: z.string() })).optional(),
});

type Parse = (detail: unknown, message: Envelope) => Omit<ParsedMessage & { status: 'notice' | 'ignored' }, 'id'>;

/** (source, detail-type) -> parser: the five kinds of DESIGN.md §2. */
export const PARSERS: ReadonlyMap<string, Parse> = new Map<string, Parse>([
  [
    key('aws.ec2', 'EC2 Spot Instance Interruption Warning'),
    (detail) => {
      const d = withAction.parse(detail);
      return notice(
        TAINT_REASON.spotInterrupted,
        'drain',
        [d['instance-id']],
        'EC2 will reclaim this spot instance in two minutes',
        true,
      );
    },
  ],
  [
    key('aws.ec2', 'EC2 Instance Rebalance Recommendation'),
    (detail) => {
      const d = withInstance.parse(detail);
      return notice(
        TAINT_REASON.rebalanceRecommended,
        'drain-if-opted-in',
        [d['instance-id']],
        'EC2 recommends rebalancing this spot instance: its capacity pool is at elevated risk of interruption',
      );
    },
  ],
  [
    key('aws.ec2', 'EC2 Instance State-change Notification'),
    (detail) => {
      const d = stateChange.parse(detail);
      const state = d.state.toLowerCase();
      if (state === 'stopping' || state === 'stopped') {
        return notice(TAINT_REASON.instanceStopping, 'drain', [d['instance-id']], `the instance is ${state}`);
      }
      if (state === 'shutting-down' || state === 'terminated') {
        return notice('InstanceTerminating', 'delete-node', [d['instance-id']], `the instance is ${state}`);
      }
      return { status: 'ignored', kind: 'StateChange', reason: `state ${state} needs nothing` };
    },
  ],
  [
    key('aws.health', 'AWS Health Event'),
    (detail, message) => {
      const d = healthEvent.parse(detail);
      if (d.service !== 'EC2' || d.eventTypeCategory !== 'scheduledChange') {
        return { status: 'ignored', kind: 'Health', reason: `${d.service} ${d.eventTypeCategory} events need nothing` };
      }
      const entities = (d.affectedEntities ?? []).map((e) => e.entityValue);
      const ids = [...entities, ...message.resources].filter((v) => instanceId.safeParse(v).success);
      const note = `AWS Health scheduled change ${d.eventTypeCode ?? ''}`.trim();
      return notice(TAINT_REASON.scheduledChange, 'drain', [...new Set(ids)], note);
    },
  ],
  [
    key('aws.ec2', 'EC2 Capacity Reservation Instance Interruption Warning'),
    (detail) => {
      const d = withAction.parse(detail);
      const note = 'the capacity reservation this instance runs in is being reclaimed';
      return notice(TAINT_REASON.capacityReservationInterrupted, 'drain', [d['instance-id']], note);
    },
  ],
]);

function key(source: string, detailType: string): string {
  return `${source}|${detailType}`;
}

function notice(kind: string, action: NoticeAction, instanceIds: string[], note: string, spot = false) {
  return {
    status: 'notice' as const,
    notice: { kind, action, instanceIds, note, ...(spot ? { markSpotUnavailable: true } : {}) },
  };
}

/** Parses one SQS message body. Never throws: a message that cannot be read is `malformed`, with the reason. */
export function parseMessage(body: string): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { status: 'malformed', reason: `not JSON: ${(error as Error).message}` };
  }
  const env = envelope.safeParse(json);
  if (!env.success) return { status: 'malformed', reason: `not an EventBridge event: ${describe(env.error)}` };
  const message = env.data;
  const parse = message.version === '0' ? PARSERS.get(key(message.source, message['detail-type'])) : undefined;
  if (!parse)
    return {
      status: 'unknown',
      reason: `no parser for ${message.source} / ${message['detail-type']} (version ${message.version})`,
    };
  try {
    return { id: message.id, ...parse(message.detail, message) } as ParsedMessage;
  } catch (error) {
    const reason = error instanceof z.ZodError ? describe(error) : String(error);
    return { status: 'malformed', reason: `${message['detail-type']}: ${reason}` };
  }
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
