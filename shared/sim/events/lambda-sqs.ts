// Lambda's SQS event source mapping over the simulated queue (DESIGN.md §2 "interruption": batch 10, partial
// batch responses): receive a batch, invoke the handler with an `SQSEvent` shaped as aws-lambda's types declare it,
// then delete what succeeded. As in Lambda:
// - a returned `batchItemFailures` keeps exactly those messages (they come back after the visibility timeout);
//   no response, or an empty list, is full success;
// - a thrown error, or a failure naming a message not in the batch, fails the whole batch;
// - the messages of a failed batch stay in flight until their visibility timeout, then redeliver, and after the
//   third receive land in the dead-letter queue (queue.ts).

import type { SimClock } from '../clock.js';
import type { ReceivedMessage, SimQueue } from './queue.js';

/** aws-lambda's `SQSRecord` (the types package is not a dependency; the shape is the contract). */
export interface SQSRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: ReceivedMessage['attributes'];
  readonly messageAttributes: Readonly<Record<string, unknown>>;
  readonly md5OfBody: string;
  readonly md5OfMessageAttributes?: string;
  readonly eventSource: 'aws:sqs';
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

export interface SQSEvent {
  readonly Records: readonly SQSRecord[];
}

export interface SQSBatchResponse {
  readonly batchItemFailures: readonly { readonly itemIdentifier: string }[];
}

/** A Lambda handler as the simulator calls it; what it resolves to is checked like Lambda checks it. */
export type SqsHandler = (event: SQSEvent) => Promise<unknown>;

/** Lambda's batch size for the interruption function. */
export const INTERRUPTION_BATCH_SIZE = 10;
/** How often the simulated poller looks at an empty queue (Lambda long-polls; a second is close enough). */
export const POLL_INTERVAL_MS = 1_000;

/** What one invocation did. */
export interface BatchOutcome {
  /** Virtual time of the invocation. */
  readonly at: number;
  readonly messageIds: readonly string[];
  readonly deleted: readonly string[];
  readonly failed: readonly string[];
  /** Set when the handler threw or answered with an invalid failure list: the whole batch failed. */
  readonly error?: unknown;
}

export function toSqsRecord(queue: SimQueue, message: ReceivedMessage): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: message.attributes,
    messageAttributes: {},
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queue.arn,
    awsRegion: queue.region,
  };
}

/** The ids that failed, or an error when the response is one Lambda rejects (then the whole batch fails). */
function failedIds(response: unknown, batch: readonly string[]): string[] | Error {
  if (response === undefined || response === null) return [];
  const failures = (response as Partial<SQSBatchResponse>).batchItemFailures ?? [];
  if (!Array.isArray(failures)) return new Error('batchItemFailures is not a list');
  const ids = failures.map((f) => f.itemIdentifier);
  const invalid = ids.find((id) => typeof id !== 'string' || id === '' || !batch.includes(id));
  return invalid === undefined
    ? ids
    : new Error(`batchItemFailures names ${JSON.stringify(invalid)}, not in the batch`);
}

/** One poll: receive a batch and invoke `handler` with it; undefined when the queue had nothing visible. */
export async function deliverBatch(
  queue: SimQueue,
  handler: SqsHandler,
  now: () => number,
  batchSize = INTERRUPTION_BATCH_SIZE,
): Promise<BatchOutcome | undefined> {
  const messages = queue.receive(batchSize);
  if (messages.length === 0) return undefined;
  const at = now();
  const records = messages.map((m) => toSqsRecord(queue, m));
  const messageIds = records.map((r) => r.messageId);
  let failed: string[] | Error;
  try {
    failed = failedIds(await handler({ Records: records }), messageIds);
  } catch (error) {
    failed = error instanceof Error ? error : new Error(String(error));
  }
  if (failed instanceof Error) return { at, messageIds, deleted: [], failed: messageIds, error: failed };
  const deleted: string[] = [];
  for (const record of records) {
    if (failed.includes(record.messageId)) continue;
    queue.delete(record.receiptHandle);
    deleted.push(record.messageId);
  }
  return { at, messageIds, deleted, failed };
}

/** The event source mapping, polling on the virtual clock until stopped. */
export class SqsEventSource {
  /** Every invocation, in order. */
  readonly outcomes: BatchOutcome[] = [];
  private controller: AbortController | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly clock: SimClock,
    private readonly queue: SimQueue,
    private readonly handler: SqsHandler,
    private readonly batchSize = INTERRUPTION_BATCH_SIZE,
  ) {}

  start(): void {
    if (this.controller) return;
    const controller = new AbortController();
    this.controller = controller;
    this.loop = this.run(controller.signal);
  }

  /** Stops polling; resolves once an invocation in progress has finished. */
  async stop(): Promise<void> {
    this.controller?.abort();
    this.controller = undefined;
    await this.loop;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const outcome = await deliverBatch(this.queue, this.handler, () => this.clock.now(), this.batchSize);
      if (outcome) {
        this.outcomes.push(outcome);
        continue;
      }
      // Nothing visible: wait a poll interval of virtual time (a stop ends the wait at once).
      await this.clock.sleep(POLL_INTERVAL_MS, signal).catch(() => undefined);
    }
  }
}
