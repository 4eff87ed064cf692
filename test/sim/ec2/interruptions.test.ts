// Interruptions end to end on the virtual clock: the simulated EC2 posts to EventBridge, the interruption rules
// route to the queue, and Lambda's event source hands the messages over as SQS batches — a rebalance
// recommendation, the spot warning two minutes before the reclaim, the state changes of the reclaim, and AWS
// Health scheduled changes, each in its real shape.

import { beforeEach, describe, expect, it } from 'vitest';
import { SqsEventSource } from '../../../shared/sim/events/lambda-sqs.js';
import type { EventBridgeEvent } from '../../../shared/sim/events/messages.js';
import { nodeClassFixture, plannedNode } from '../../adapters/aws/aws-world.js';
import { nodePool } from '../../fixtures/builders.js';
import { type SimWorld, simProvider, simWorld } from './sim-world.js';

const MINUTE = 60_000;
const { doc, nodeClass } = nodeClassFixture();

type Received = EventBridgeEvent<Record<string, string>>;

describe('interruptions', () => {
  let world: SimWorld;
  let received: Received[];
  let source: SqsEventSource;
  beforeEach(() => {
    world = simWorld();
    received = [];
    source = new SqsEventSource(world.clock, world.queue, async (event) => {
      for (const record of event.Records) received.push(JSON.parse(record.body) as Received);
    });
    source.start();
    return () => source.stop();
  });

  async function launchSpot(options: string[] = ['m5.large']) {
    const cloud = simProvider(world, doc);
    const launched = await cloud.launch({
      node: plannedNode({ instanceTypeOptions: options, capacityType: 'spot' }),
      nodePool: nodePool('default'),
      nodeClass,
      zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    });
    return { cloud, launched };
  }

  const at = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

  it('warns two minutes before reclaiming a spot instance, after a rebalance recommendation', async () => {
    const { launched } = await launchSpot();
    const id = launched.instanceId;
    const t0 = world.clock.now();
    await world.clock.advance(MINUTE);
    // Launch and boot are pending/running changes: the rules let none of them through.
    expect(received).toEqual([]);
    world.ec2.interruptSpot(id, { rebalanceAt: t0 + 2 * MINUTE, noticeAt: t0 + 5 * MINUTE });
    await world.clock.advance(10 * MINUTE);
    expect(received.map((e) => [e['detail-type'], e.time, e.detail])).toEqual([
      ['EC2 Instance Rebalance Recommendation', at(t0 + 2 * MINUTE), { 'instance-id': id }],
      [
        'EC2 Spot Instance Interruption Warning',
        at(t0 + 5 * MINUTE),
        { 'instance-id': id, 'instance-action': 'terminate' },
      ],
      ['EC2 Instance State-change Notification', at(t0 + 7 * MINUTE), { 'instance-id': id, state: 'shutting-down' }],
      [
        'EC2 Instance State-change Notification',
        at(t0 + 7 * MINUTE + 30_000),
        { 'instance-id': id, state: 'terminated' },
      ],
    ]);
    expect(received[1]?.resources).toEqual([`arn:aws:ec2:${launched.zone}:instance/${id}`]);
    expect(world.ec2.instance(id)?.stateReason?.code).toBe('Server.SpotInstanceTermination');
    expect(world.queue.stats()).toEqual({ visible: 0, inFlight: 0 });
  });

  it('reclaims nothing when fleetwright terminated the instance within the notice', async () => {
    const { cloud, launched } = await launchSpot();
    world.ec2.interruptSpot(launched.instanceId);
    await world.clock.advance(30_000);
    await cloud.terminate([launched.instanceId]);
    await world.clock.advance(5 * MINUTE);
    expect(received.map((e) => e.detail.state ?? e['detail-type'])).toEqual([
      'EC2 Spot Instance Interruption Warning',
      'shutting-down',
      'terminated',
    ]);
    expect(world.ec2.instance(launched.instanceId)?.stateReason?.code).toBe('Client.UserInitiatedShutdown');
  });

  it('keeps the reclaimed pool out of capacity for a while, so the replacement lands elsewhere', async () => {
    const { cloud, launched } = await launchSpot();
    world.ec2.interruptSpot(launched.instanceId, { capacityGoneMs: 10 * MINUTE });
    await world.clock.advance(MINUTE);
    const replacement = await cloud.launch({
      node: plannedNode({ instanceTypeOptions: ['m5.large'], capacityType: 'spot' }),
      nodePool: nodePool('default'),
      nodeClass,
      zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    });
    expect(replacement.zone).not.toBe(launched.zone);
    const fleet = world.ec2.calls.filter((c) => c.operation === 'createFleet');
    expect(fleet).toHaveLength(2);
  });

  it('refuses to interrupt an on-demand instance', async () => {
    const cloud = simProvider(world, doc);
    const launched = await cloud.launch({
      node: plannedNode({ instanceTypeOptions: ['m5.large'], capacityType: 'on-demand' }),
      nodePool: nodePool('default'),
      nodeClass,
      zones: ['us-east-1a'],
    });
    expect(() => world.ec2.interruptSpot(launched.instanceId)).toThrow(/on-demand/);
  });

  it('posts AWS Health scheduled changes for the instances named', async () => {
    const { launched } = await launchSpot();
    const startAt = world.clock.now() + 24 * 60 * MINUTE;
    world.ec2.announceScheduledChange({ instanceIds: [launched.instanceId], startAt, endAt: startAt + 60 * MINUTE });
    await world.clock.advance(2_000);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      'detail-type': 'AWS Health Event',
      source: 'aws.health',
      resources: [launched.instanceId],
      detail: {
        service: 'EC2',
        eventTypeCategory: 'scheduledChange',
        affectedEntities: [{ entityValue: launched.instanceId }],
      },
    });
  });
});
