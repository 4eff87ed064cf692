// A node's life through the reconcile handler: economy passes, dry-run and pause, registration, garbage collection,
// expiration, emptiness with its 15-second re-validation, and drains that wait for PodDisruptionBudgets.

import { CreateFleetCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import type { Node as K8sNode } from 'kubernetes-types/core/v1.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ANNOTATION_DISRUPTED_AT, TAINT_DISRUPTED } from '../../shared/core/labels.js';
import type { KubeObject } from '../../shared/sim/kube-api/resources.js';
import { pdb } from '../adapters/kubernetes/support/world.js';
import { World, webPool } from './support/world.js';

let world: World;
beforeEach(async () => {
  world = await World.start();
});
afterEach(async () => {
  await world.close();
});

const BIG = '3';
const MINUTE = 60_000;

function taintOf(name: string) {
  return world.node(name)?.spec?.taints?.find((t) => t.key === TAINT_DISRUPTED);
}

/** Launches and registers `count` nodes, each running one `app` pod. */
async function nodesWithPods(count: number, app = 'web'): Promise<string[]> {
  for (let i = 0; i < count; i++) world.addPendingPod(`${app}-${i}`, BIG, { app });
  await world.pass();
  const names = world.registerAll();
  await world.pass(); // annotates them (registration bookkeeping)
  return names;
}

/** A PDB on the `db` pods with minAvailable 2 of their 2 replicas: it allows no eviction. */
function keepBothReplicas(): void {
  const budget = pdb('db', 'db');
  const spec = { ...budget.spec, minAvailable: 2 };
  world.server.store.create('poddisruptionbudgets', { ...budget, spec } as unknown as KubeObject);
}
describe('reconcile handler, economy mode and switches', () => {
  it('makes one pass in economy mode', async () => {
    world.setSettings({ responsiveness: 'economy' });
    world.addPendingPod('web-1', BIG);
    const result = await world.clock.run(
      (await import('../../functions/reconcile/handler.js')).createReconcileHandler(world.reconcileDeps())(
        {},
        world.context(),
      ),
    );
    expect(result).toMatchObject({ outcome: 'completed', mode: 'economy', ticks: 1 });
    expect(world.ec2.aws.ec2).toHaveReceivedCommandTimes(CreateFleetCommand, 1);
  });

  it.each([['dryRun'], ['paused']])('%s: decides and reports, acts on nothing', async (switchName) => {
    world.setSettings({ [switchName]: true });
    world.addPendingPod('web-1', BIG);
    const info = vi.spyOn(world.logger, 'info');
    await world.pass();
    const [decision] = world.decisions(info);
    expect(decision).toMatchObject({
      acting: false,
      provisioning: { launched: [], skipped: [expect.objectContaining({ nodePool: 'web' })] },
    });
    expect(world.ec2.fleetCalls).toHaveLength(0);
    expect(world.server.store.list('events')).toEqual([]);
    expect(world.metrics.values('PendingPods')).toEqual([1]);
  });

  it('records Nominated for a pod it launches a node for, and FailedScheduling with the reason for one it cannot place', async () => {
    world.addPendingPod('web-1', BIG);
    world.addPendingPod('huge', '64');
    await world.pass();
    const events = world.server.store.list('events') as (KubeObject & {
      reason: string;
      note: string;
      regarding: { name: string };
    })[];
    expect(events.map((e) => [e.regarding.name, e.reason])).toEqual(
      expect.arrayContaining([
        ['web-1', 'Nominated'],
        ['huge', 'FailedScheduling'],
      ]),
    );
    expect(events.find((e) => e.reason === 'FailedScheduling')?.note).toMatch(/no instance type has 64 cpu/);
  });
});

describe('reconcile handler, garbage collection', () => {
  it('terminates an instance that never registered and marks its offering unavailable', async () => {
    world.addPendingPod('web-1', BIG);
    await world.pass();
    const [stuck] = world.ec2.live();
    await world.clock.advance(16 * MINUTE);
    const deps = world.reconcileDeps({ responsiveness: 'economy' });
    const mark = vi.spyOn(deps.cloud, 'markUnavailable');
    const { createReconcileHandler } = await import('../../functions/reconcile/handler.js');
    await world.clock.run(createReconcileHandler(deps)({}, world.context()));
    expect(stuck?.state).toBe('terminated');
    expect(mark).toHaveBeenCalledWith({ instanceType: stuck?.type, zone: stuck?.zone, capacityType: stuck?.lifecycle });
    expect(world.metrics.sum('UnregisteredInstances')).toBe(1);
  });

  it('terminates the instance of a node deleted with kubectl, and deletes a node whose instance is gone', async () => {
    const [first, second] = await nodesWithPods(2);
    world.server.store.delete('nodes', undefined, first as string);
    const gone = world.ec2.live().find((i) => world.node(second as string)?.spec?.providerID?.endsWith(i.id));
    if (gone) gone.state = 'terminated';
    const node = world.node(second as string) as KubeObject & K8sNode;
    world.server.store.update('nodes', {
      ...node,
      status: { ...node.status, conditions: [{ type: 'Ready', status: 'False' }] },
    } as KubeObject);
    await world.clock.advance(6 * MINUTE);
    await world.pass();
    expect(world.ec2.live()).toHaveLength(0);
    expect(world.node(second as string)).toBeUndefined();
  });
});

describe('reconcile handler, disruption and termination', () => {
  it('decides emptiness, waits 15 s, re-validates, then taints; the next run drains and terminates', async () => {
    const [empty, busy] = await nodesWithPods(2);
    world.server.store.delete('pods', 'default', 'web-0');
    const info = vi.spyOn(world.logger, 'info');
    await world.pass();
    const [decided, acted] = world.decisions(info) as [Record<string, unknown>, Record<string, unknown>];
    expect((decided.disruption as { decided?: { method: string } }).decided?.method).toBe('emptiness');
    expect((acted.at as number) - (decided.at as number)).toBeGreaterThanOrEqual(15_000);
    expect(taintOf(empty as string)?.value).toBe('Empty');
    expect(taintOf(busy as string)).toBeUndefined();

    await world.pass();
    expect(world.node(empty as string)).toBeUndefined();
    expect(world.ec2.aws.ec2).toHaveReceivedCommandTimes(TerminateInstancesCommand, 1);
    expect(world.metrics.sum('NodesTerminated')).toBe(1);
    expect(world.metrics.sum('Disruptions', 'emptiness')).toBe(1);
  });

  it('calls a disruption off when a pod lands on the node during the re-validation delay', async () => {
    const [empty] = await nodesWithPods(2);
    world.server.store.delete('pods', 'default', 'web-0');
    world.clock.at(world.clock.now() + 5_000, () => {
      world.addPendingPod('late', '1');
      world.bind('late', empty as string);
    });
    const info = vi.spyOn(world.logger, 'info');
    await world.pass();
    const records = world.decisions(info).map((d) => d.disruption as { invalidated?: string });
    expect(records.at(-1)?.invalidated).toMatch(/no longer/);
    expect(taintOf(empty as string)).toBeUndefined();
  });

  it('expires a node past expireAfter: taints it at once, evicts its pod and launches capacity for it', async () => {
    world.setDocument(
      'nodepools/web',
      webPool({
        template: {
          spec: {
            expireAfter: '1h',
            requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }],
          },
        },
      }),
    );
    const [old] = await nodesWithPods(1);
    await world.clock.advance(2 * 60 * MINUTE);
    await world.pass();
    expect(taintOf(old as string)?.value).toBe('Expired');
    expect(world.server.store.list('events').map((e) => (e as { reason?: string }).reason)).toContain('Expired');
    await world.pass();
    expect(world.server.store.get('pods', 'default', 'web-0')).toBeUndefined();
    expect(world.ec2.live().length).toBe(2);
  });

  it('deletes the pods a PDB still protects once the pool terminationGracePeriod is due', async () => {
    const requirements = [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] }];
    world.setDocument(
      'nodepools/web',
      webPool({ template: { spec: { requirements, terminationGracePeriod: '10m' } } }),
    );
    const [draining] = await nodesWithPods(2, 'db');
    keepBothReplicas();
    const node = world.node(draining as string) as KubeObject & K8sNode;
    const taint = { key: TAINT_DISRUPTED, value: 'SpotInterrupted', effect: 'NoSchedule' };
    const since = new Date(world.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    world.server.store.update('nodes', {
      ...node,
      metadata: { ...node.metadata, annotations: { ...node.metadata?.annotations, [ANNOTATION_DISRUPTED_AT]: since } },
      spec: { ...node.spec, taints: [taint] },
    } as KubeObject);

    await world.pass();
    expect(world.server.store.get('pods', 'default', 'db-0')).toBeDefined();
    expect(world.server.requests.filter((r) => r.method === 'DELETE' && r.resource === 'pods')).toEqual([]);

    await world.clock.advance(11 * MINUTE);
    await world.pass();
    await world.pass();
    expect(world.server.requests.filter((r) => r.method === 'DELETE' && r.resource === 'pods').length).toBeGreaterThan(
      0,
    );
    expect(world.server.store.get('pods', 'default', 'db-0')).toBeUndefined();
  });

  it('waits while a PodDisruptionBudget allows no eviction, never forcing it, and drains once it does', async () => {
    const [draining, other] = await nodesWithPods(2, 'db');
    keepBothReplicas();
    const node = world.node(draining as string) as KubeObject & K8sNode;
    const taint = { key: TAINT_DISRUPTED, value: 'SpotInterrupted', effect: 'NoSchedule' };
    world.server.store.update('nodes', { ...node, spec: { ...node.spec, taints: [taint] } } as KubeObject);

    await world.pass();
    await world.pass();
    expect(world.server.store.get('pods', 'default', 'db-0')).toBeDefined();
    expect(world.node(draining as string)).toBeDefined();
    expect(world.server.requests.filter((r) => r.resource === 'pods/eviction')).toEqual([]);

    // A third replica comes up elsewhere: one may go now.
    world.addPendingPod('db-2', '1', { app: 'db' });
    world.bind('db-2', other as string);
    await world.pass();
    await world.pass();
    expect(world.server.store.get('pods', 'default', 'db-0')).toBeUndefined();
    expect(world.node(draining as string)).toBeUndefined();
  });
});
