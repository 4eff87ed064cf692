// The interruption queue's SQS semantics and Lambda's event source over it: visibility timeout and redelivery,
// the dead-letter queue after three receives, retention, the SQSEvent record shape, partial batch responses,
// and polling on the virtual clock.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../shared/sim/clock.js';
import { deliverBatch, type SQSEvent, SqsEventSource } from '../../../shared/sim/events/lambda-sqs.js';
import { interruptionQueues, SimQueue } from '../../../shared/sim/events/queue.js';

const SECOND = 1_000;

function queues() {
  const clock = new SimClock(Date.UTC(2025, 5, 11, 9, 0, 0));
  return { clock, ...interruptionQueues(clock, 'my-cluster') };
}

describe('SimQueue', () => {
  it('hides a received message for the visibility timeout, then redelivers it with a higher receive count', async () => {
    const { clock, queue } = queues();
    queue.send('{"a":1}');
    const [first] = queue.receive();
    expect(first?.attributes.ApproximateReceiveCount).toBe('1');
    expect(queue.receive()).toEqual([]);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 1 });
    await clock.advance(90 * SECOND);
    const [second] = queue.receive();
    expect(second?.messageId).toBe(first?.messageId);
    expect(second?.attributes.ApproximateReceiveCount).toBe('2');
    expect(second?.receiptHandle).not.toBe(first?.receiptHandle);
    // Only the latest receipt handle deletes.
    expect(queue.delete(first?.receiptHandle as string)).toBe(false);
    expect(queue.delete(second?.receiptHandle as string)).toBe(true);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0 });
  });

  it('moves a message received three times to the dead-letter queue, naming its source', async () => {
    const { clock, queue, deadLetterQueue } = queues();
    queue.send('poison');
    for (let i = 0; i < 3; i++) {
      expect(queue.receive()).toHaveLength(1);
      await clock.advance(90 * SECOND);
    }
    expect(queue.receive()).toEqual([]);
    const [dead] = deadLetterQueue.receive();
    expect(dead?.body).toBe('poison');
    expect(dead?.attributes.DeadLetterQueueSourceArn).toBe(
      'arn:aws:sqs:us-east-1:123456789012:my-cluster-interruption',
    );
  });

  it('drops messages older than the 300 s retention, received or not', async () => {
    const { clock, queue } = queues();
    queue.send('late');
    await clock.advance(300 * SECOND);
    expect(queue.receive()).toEqual([]);
    expect(queue.bodies()).toEqual([]);
  });

  it('makes a message visible again at once when its visibility is set to 0', () => {
    const queue = new SimQueue({ clock: { now: () => 0 }, name: 'q' });
    queue.send('x');
    const [m] = queue.receive();
    queue.changeVisibility(m?.receiptHandle as string, 0);
    expect(queue.receive()).toHaveLength(1);
  });
});

describe('Lambda SQS event source', () => {
  it('invokes with SQSEvent records shaped as aws-lambda declares them', async () => {
    const { clock, queue } = queues();
    const body = JSON.stringify({ 'detail-type': 'EC2 Instance Rebalance Recommendation' });
    const { MessageId } = queue.send(body);
    let event: SQSEvent | undefined;
    const outcome = await deliverBatch(
      queue,
      async (e) => {
        event = e;
      },
      () => clock.now(),
    );
    expect(event?.Records).toEqual([
      {
        messageId: MessageId,
        receiptHandle: expect.stringMatching(/^AQEB/),
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(clock.now()),
          SenderId: expect.any(String),
          ApproximateFirstReceiveTimestamp: String(clock.now()),
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:my-cluster-interruption',
        awsRegion: 'us-east-1',
      },
    ]);
    expect(outcome).toMatchObject({ deleted: [MessageId], failed: [] });
    expect(queue.bodies()).toEqual([]);
  });

  it('keeps only the reported failures of a partial batch, and the whole batch when the handler throws', async () => {
    const { clock, queue } = queues();
    const ids = ['a', 'b', 'c'].map((b) => queue.send(b).MessageId);
    const partial = await deliverBatch(
      queue,
      async () => ({ batchItemFailures: [{ itemIdentifier: ids[1] }] }),
      () => clock.now(),
    );
    expect(partial).toMatchObject({ deleted: [ids[0], ids[2]], failed: [ids[1]] });
    await clock.advance(90 * SECOND);
    const thrown = await deliverBatch(
      queue,
      async () => {
        throw new Error('node not found');
      },
      () => clock.now(),
    );
    expect(thrown).toMatchObject({ deleted: [], failed: [ids[1]], error: new Error('node not found') });
    await clock.advance(90 * SECOND);
    const invalid = await deliverBatch(
      queue,
      async () => ({ batchItemFailures: [{ itemIdentifier: 'x' }] }),
      () => clock.now(),
    );
    expect(invalid?.deleted).toEqual([]);
    expect(queue.bodies()).toEqual(['b']);
  });

  it('polls on the virtual clock in batches of 10, until stopped', async () => {
    const { clock, queue } = queues();
    const batches: number[] = [];
    const source = new SqsEventSource(clock, queue, async (event) => {
      batches.push(event.Records.length);
    });
    for (let i = 0; i < 12; i++) queue.send(`m${i}`);
    source.start();
    await clock.advance(SECOND);
    expect(batches).toEqual([10, 2]);
    clock.setTimer(30 * SECOND, () => queue.send('later'));
    await clock.advance(31 * SECOND);
    expect(batches).toEqual([10, 2, 1]);
    // Sent at 1 s + 30 s, picked up by the poll of that same second.
    const start = source.outcomes[0]?.at ?? 0;
    expect(source.outcomes.map((o) => o.at - start)).toEqual([0, 0, 31 * SECOND]);
    await source.stop();
    queue.send('after stop');
    await clock.advance(5 * SECOND);
    expect(batches).toHaveLength(3);
  });
});
