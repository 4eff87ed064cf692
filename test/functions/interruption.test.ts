// The interruption handler end to end, through middy: SQS batches of EventBridge messages in the shapes AWS sends
// (research/aws-provider.md §d.3) against the loopback API server and the real EC2 adapter over a mocked client.

import type { Node as K8sNode } from 'kubernetes-types/core/v1.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createInterruptionHandler } from '../../functions/interruption/handler.js';
import { TAINT_DISRUPTED } from '../../shared/core/labels.js';
import type { InterruptionDeps } from '../../shared/runtime/interruption/deps.js';
import type { KubeObject } from '../../shared/sim/kube-api/resources.js';
import { World } from './support/world.js';

let world: World;
let nodes: string[];
beforeEach(async () => {
  world = await World.start();
  for (const i of [0, 1]) world.addPendingPod(`web-${i}`, '3');
  await world.pass();
  nodes = world.registerAll();
  await world.pass();
});
afterEach(async () => {
  await world.close();
});

let sequence = 0;
function message(detailType: string, detail: object, source = 'aws.ec2', extra: object = {}) {
  sequence += 1;
  const body = {
    version: '0',
    id: `event-${sequence}`,
    'detail-type': detailType,
    source,
    account: '123456789012',
    time: '2025-06-11T09:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
    ...extra,
  };
  return { messageId: `message-${sequence}`, body: JSON.stringify(body) };
}

const spotWarning = (id: string) =>
  message('EC2 Spot Instance Interruption Warning', { 'instance-id': id, 'instance-action': 'terminate' });
const stateChange = (id: string, state: string) =>
  message('EC2 Instance State-change Notification', { 'instance-id': id, state });

function instanceOf(node: string): string {
  return world.node(node)?.spec?.providerID?.split('/').at(-1) as string;
}

function taintOf(node: string) {
  return world.node(node)?.spec?.taints?.find((t) => t.key === TAINT_DISRUPTED);
}

async function deliver(
  records: { messageId: string; body: string }[],
  deps: InterruptionDeps = world.interruptionDeps(),
) {
  const handler = createInterruptionHandler(deps);
  return world.clock.run(handler({ Records: records }, world.context(15_000)));
}

function nodePatches(node: string): number {
  return world.server.requests.filter((r) => r.verb === 'patch' && r.resource === 'nodes' && r.name === node).length;
}

describe('interruption handler', () => {
  it('taints a spot node being reclaimed, evicts its pod and marks the offering unavailable', async () => {
    const deps = world.interruptionDeps();
    const mark = vi.spyOn(deps.cloud, 'markUnavailable');
    const [node] = nodes as [string];
    const response = await deliver([spotWarning(instanceOf(node))], deps);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(taintOf(node)).toEqual({ key: TAINT_DISRUPTED, value: 'SpotInterrupted', effect: 'NoSchedule' });
    expect(world.node(node)?.metadata?.annotations?.['fleetwright.io/disrupted-at']).toBeDefined();
    expect(world.server.store.get('pods', 'default', 'web-0')).toBeUndefined();
    const labels = world.node(node)?.metadata?.labels ?? {};
    expect(mark).toHaveBeenCalledWith({
      instanceType: labels['node.kubernetes.io/instance-type'],
      zone: labels['topology.kubernetes.io/zone'],
      capacityType: 'spot',
    });
    expect(world.metrics.values('InterruptionMessages', 'SpotInterrupted')).toEqual([1]);
    const reasons = world.server.store.list('events').map((e) => (e as { reason?: string }).reason);
    expect(reasons).toContain('SpotInterrupted');
  });

  it('acts once on a message delivered twice, in one batch and again later', async () => {
    const deps = world.interruptionDeps();
    const mark = vi.spyOn(deps.cloud, 'markUnavailable');
    const [node] = nodes as [string];
    const warning = spotWarning(instanceOf(node));
    const before = nodePatches(node);
    await deliver([warning, { ...warning, messageId: 'redelivered' }], deps);
    await world.clock.advance(30_000);
    await deliver([warning], deps);

    expect(nodePatches(node) - before).toBe(1);
    expect(mark).toHaveBeenCalledTimes(1);
    const events = world.server.store
      .list('events')
      .filter((e) => (e as { reason?: string }).reason === 'SpotInterrupted');
    expect(events).toHaveLength(1);
  });

  it('deletes the Node of a terminated instance, once', async () => {
    const [node] = nodes as [string];
    await deliver([stateChange(instanceOf(node), 'shutting-down')]);
    await deliver([stateChange(instanceOf(node), 'terminated')]);
    expect(world.node(node)).toBeUndefined();
    expect(world.server.requests.filter((r) => r.verb === 'delete' && r.resource === 'nodes')).toHaveLength(1);
  });

  it('drains a stopping instance and ignores one that starts', async () => {
    const [a, b] = nodes as [string, string];
    await deliver([stateChange(instanceOf(a), 'Stopping'), stateChange(instanceOf(b), 'running')]);
    expect(taintOf(a)?.value).toBe('InstanceStopping');
    expect(taintOf(b)).toBeUndefined();
  });

  it('records a rebalance recommendation as an event, and drains only pools that opt in', async () => {
    const [a] = nodes as [string];
    const rebalance = () => message('EC2 Instance Rebalance Recommendation', { 'instance-id': instanceOf(a) });
    await deliver([rebalance()]);
    expect(taintOf(a)).toBeUndefined();
    expect(world.server.store.list('events').map((e) => (e as { reason?: string }).reason)).toContain(
      'RebalanceRecommended',
    );

    await deliver([rebalance()], world.interruptionDeps(['web']));
    expect(taintOf(a)?.value).toBe('RebalanceRecommended');
  });

  it('drains every instance of an EC2 scheduled change and ignores other Health events', async () => {
    const ids = (nodes as string[]).map(instanceOf);
    const scheduled = message(
      'AWS Health Event',
      {
        service: 'EC2',
        eventTypeCode: 'AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED',
        eventTypeCategory: 'scheduledChange',
        affectedEntities: ids.map((entityValue) => ({ entityValue })),
      },
      'aws.health',
    );
    const other = message('AWS Health Event', { service: 'RDS', eventTypeCategory: 'scheduledChange' }, 'aws.health');
    expect(await deliver([scheduled, other])).toEqual({ batchItemFailures: [] });
    expect((nodes as string[]).map((n) => taintOf(n)?.value)).toEqual(['ScheduledChange', 'ScheduledChange']);
    expect(world.metrics.values('InterruptionMessages', 'Health')).toEqual([1]);
  });

  it('drains a node whose capacity reservation is reclaimed', async () => {
    const [a] = nodes as [string];
    const warning = message('EC2 Capacity Reservation Instance Interruption Warning', {
      'instance-id': instanceOf(a),
      'instance-action': 'terminate',
    });
    await deliver([warning]);
    expect(taintOf(a)?.value).toBe('CapacityReservationInterrupted');
  });

  it('acknowledges unknown and malformed messages, and an instance that is not ours, without acting', async () => {
    const warn = vi.spyOn(world.logger, 'warn');
    const response = await deliver([
      { messageId: 'not-json', body: '{"version"' },
      message('EC2 Fleet Error', { 'instance-id': 'i-0123456789abcdef0' }),
      message('EC2 Spot Instance Interruption Warning', { 'instance-id': 'not-an-id' }),
      message(
        'EC2 Spot Instance Interruption Warning',
        { 'instance-id': 'i-0123456789abcdef0', 'instance-action': 'terminate' },
        'aws.ec2',
        { version: '1' },
      ),
      spotWarning('i-00000000000000fff'),
    ]);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(world.metrics.sum('InterruptionMessages', 'Malformed')).toBe(2);
    expect(world.metrics.sum('InterruptionMessages', 'Unknown')).toBe(2);
    expect(warn).toHaveBeenCalledWith(
      'interruption message acknowledged without action',
      expect.objectContaining({ messageId: 'not-json' }),
    );
    expect((nodes as string[]).every((n) => taintOf(n) === undefined)).toBe(true);
  });

  it('returns the message whose action could not be recorded as a batch item failure, and acts on the rest', async () => {
    const [a, b] = nodes as [string, string];
    // The first node patch fails all its attempts; the second goes through.
    world.server.faults.inject({ verb: 'patch', resource: 'nodes', status: 500, times: 3 });
    const first = spotWarning(instanceOf(a));
    const second = spotWarning(instanceOf(b));
    const response = await deliver([first, second]);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: first.messageId }] });
    expect(taintOf(a)).toBeUndefined();
    expect(taintOf(b)?.value).toBe('SpotInterrupted');
  });

  it('in dry-run, logs what it would do and changes nothing', async () => {
    world.setSettings({ dryRun: true });
    const [a] = nodes as [string];
    await deliver([spotWarning(instanceOf(a))]);
    expect(taintOf(a)).toBeUndefined();
  });

  it('lets reconcile finish the drain it started: the node is removed and the instance terminated', async () => {
    const [a] = nodes as [string];
    const node = world.node(a) as KubeObject & K8sNode;
    await deliver([spotWarning(instanceOf(a))]);
    await world.pass();
    expect(world.node(a)).toBeUndefined();
    const id = node.spec?.providerID?.split('/').at(-1) as string;
    expect(world.ec2.instances.get(id)?.state).toBe('terminated');
  });
});
