// The interruption queue with standard SQS semantics (DESIGN.md §2: visibility timeout 90 s, retention 300 s,
// a dead-letter queue after 3 receives), on the virtual clock:
// - a received message is invisible for the visibility timeout, then visible again unless deleted;
// - each receive counts, and hands out a new receipt handle; only the latest handle deletes (an old one is
//   accepted and does nothing, as SQS documents);
// - a message already received maxReceiveCount times moves to the dead-letter queue instead of a further
//   receive, keeping its original sent time (standard queues do);
// - a message older than the retention period is gone, received or not.
// Time is evaluated lazily against the clock: the queue schedules nothing itself.

import { createHash } from 'node:crypto';
import { SimIds } from '../ec2/ids.js';

/** 6 × the interruption function's 15 s timeout, AWS's advice for Lambda event sources (infra's default). */
export const QUEUE_VISIBILITY_TIMEOUT_MS = 90_000;
/** Karpenter's 300 s: a spot warning gives two minutes, so an older message is no longer actionable. */
export const QUEUE_RETENTION_MS = 300_000;
/** Three failed receives mean a bug or a node that cannot be found, not a transient error (infra's default). */
export const QUEUE_MAX_RECEIVE_COUNT = 3;
/** SQS's longest retention, the dead-letter queue's (infra keeps failed messages as evidence for 14 days). */
export const DEAD_LETTER_RETENTION_MS = 14 * 24 * 60 * 60_000;
/**
 * `SenderId` of messages EventBridge delivers: a principal id in SQS's shape. The real one differs per account and
 * region; a fixed value keeps runs reproducible, and no consumer may depend on it.
 */
const EVENTBRIDGE_SENDER = 'AIDAEVENTBRIDGESIMULATED';

export interface SimQueueOptions {
  readonly clock: { now(): number };
  readonly name: string;
  readonly region?: string;
  readonly account?: string;
  readonly visibilityTimeoutMs?: number;
  readonly retentionMs?: number;
  readonly deadLetter?: { readonly queue: SimQueue; readonly maxReceiveCount?: number };
  readonly ids?: SimIds;
}

interface Stored {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly sentAt: number;
  readonly senderId: string;
  readonly sourceArn?: string;
  receiveCount: number;
  firstReceivedAt?: number;
  visibleAt: number;
  receiptHandle?: string;
}

/** A received message with the attributes Lambda's SQS event source asks for. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: {
    readonly ApproximateReceiveCount: string;
    readonly SentTimestamp: string;
    readonly SenderId: string;
    readonly ApproximateFirstReceiveTimestamp: string;
    readonly DeadLetterQueueSourceArn?: string;
  };
}

export class SimQueue {
  readonly name: string;
  readonly arn: string;
  readonly url: string;
  readonly region: string;
  private readonly messages: Stored[] = [];
  private readonly ids: SimIds;
  private readonly visibilityTimeoutMs: number;
  private readonly retentionMs: number;

  constructor(private readonly options: SimQueueOptions) {
    const region = options.region ?? 'us-east-1';
    const account = options.account ?? '123456789012';
    this.name = options.name;
    this.region = region;
    this.arn = `arn:aws:sqs:${region}:${account}:${options.name}`;
    this.url = `https://sqs.${region}.amazonaws.com/${account}/${options.name}`;
    this.ids = options.ids ?? new SimIds(`sqs|${options.name}`);
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? QUEUE_VISIBILITY_TIMEOUT_MS;
    this.retentionMs = options.retentionMs ?? QUEUE_RETENTION_MS;
  }

  /** SendMessage: the body is stored as given (EventBridge sends the event's JSON). */
  send(body: string, sender = EVENTBRIDGE_SENDER): { MessageId: string; MD5OfMessageBody: string } {
    const now = this.options.clock.now();
    const stored: Stored = {
      messageId: this.ids.uuid('message'),
      body,
      md5OfBody: createHash('md5').update(body).digest('hex'),
      sentAt: now,
      senderId: sender,
      receiveCount: 0,
      visibleAt: now,
    };
    this.messages.push(stored);
    return { MessageId: stored.messageId, MD5OfMessageBody: stored.md5OfBody };
  }

  /** A message moved here from a source queue by its redrive policy. */
  private adopt(message: Stored, sourceArn: string): void {
    this.messages.push({ ...message, sourceArn, receiveCount: 0, visibleAt: this.options.clock.now() });
  }

  private expire(now: number): void {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      if (now - (this.messages[i] as Stored).sentAt >= this.retentionMs) this.messages.splice(i, 1);
    }
  }

  /** ReceiveMessage: up to `max` visible messages, oldest first, each hidden for the visibility timeout. */
  receive(max = 10, visibilityTimeoutMs = this.visibilityTimeoutMs): ReceivedMessage[] {
    const now = this.options.clock.now();
    this.expire(now);
    const out: ReceivedMessage[] = [];
    for (const message of [...this.messages]) {
      if (out.length >= max) break;
      if (message.visibleAt > now) continue;
      const dlq = this.options.deadLetter;
      if (dlq && message.receiveCount >= (dlq.maxReceiveCount ?? QUEUE_MAX_RECEIVE_COUNT)) {
        this.messages.splice(this.messages.indexOf(message), 1);
        dlq.queue.adopt(message, this.arn);
        continue;
      }
      message.receiveCount++;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibilityTimeoutMs;
      message.receiptHandle = `AQEB${this.ids.hex('receipt', 120)}`;
      out.push(this.received(message));
    }
    return out;
  }

  private received(m: Stored): ReceivedMessage {
    return {
      messageId: m.messageId,
      receiptHandle: m.receiptHandle as string,
      body: m.body,
      md5OfBody: m.md5OfBody,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: m.senderId,
        ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? m.sentAt),
        ...(m.sourceArn === undefined ? {} : { DeadLetterQueueSourceArn: m.sourceArn }),
      },
    };
  }

  /** DeleteMessage: true when the handle was the message's latest (and the message is gone now). */
  delete(receiptHandle: string): boolean {
    const index = this.messages.findIndex((m) => m.receiptHandle === receiptHandle);
    if (index < 0) return false;
    this.messages.splice(index, 1);
    return true;
  }

  /** ChangeMessageVisibility: 0 makes the message visible at once (a handler giving up early). */
  changeVisibility(receiptHandle: string, timeoutMs: number): boolean {
    const message = this.messages.find((m) => m.receiptHandle === receiptHandle);
    if (message === undefined) return false;
    message.visibleAt = this.options.clock.now() + timeoutMs;
    return true;
  }

  /** Counts as SQS's ApproximateNumberOfMessages(NotVisible) report them. */
  stats(): { readonly visible: number; readonly inFlight: number } {
    const now = this.options.clock.now();
    this.expire(now);
    const visible = this.messages.filter((m) => m.visibleAt <= now).length;
    return { visible, inFlight: this.messages.length - visible };
  }

  /** When the next message becomes visible, or undefined when the queue is empty. */
  nextVisibleAt(): number | undefined {
    const times = this.messages.map((m) => m.visibleAt);
    return times.length === 0 ? undefined : Math.min(...times);
  }

  /** The bodies held now (visible or not), oldest first: for tests and the report. */
  bodies(): string[] {
    this.expire(this.options.clock.now());
    return this.messages.map((m) => m.body);
  }
}

/** The interruption queue and its dead-letter queue as infra/ creates them: 90 s, 300 s, 3 receives, 14 days. */
export function interruptionQueues(
  clock: { now(): number },
  cluster: string,
  options: { readonly region?: string; readonly account?: string } = {},
): { readonly queue: SimQueue; readonly deadLetterQueue: SimQueue } {
  const deadLetterQueue = new SimQueue({
    ...options,
    clock,
    name: `${cluster}-interruption-dlq`,
    retentionMs: DEAD_LETTER_RETENTION_MS,
  });
  const queue = new SimQueue({
    ...options,
    clock,
    name: `${cluster}-interruption`,
    deadLetter: { queue: deadLetterQueue, maxReceiveCount: QUEUE_MAX_RECEIVE_COUNT },
  });
  return { queue, deadLetterQueue };
}
