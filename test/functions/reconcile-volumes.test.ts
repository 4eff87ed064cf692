// Volume detachment through the reconcile handler (karpenter-core §4 step 4): a drained node keeps its instance
// until the VolumeAttachments of its evicted pods' volumes are gone — so a StatefulSet pod's replacement does not
// wait on a Multi-Attach error —, ignores those of pods the drain leaves on the node, waits when it cannot read
// them, and stops waiting once the pool's terminationGracePeriod has run out.

import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import type { Node as K8sNode, Pod as K8sPod } from 'kubernetes-types/core/v1.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ANNOTATION_DISRUPTED_AT, TAINT_DISRUPTED } from '../../shared/core/labels.js';
import type { DrainRecord } from '../../shared/runtime/reconcile/termination.js';
import type { KubeObject } from '../../shared/sim/kube-api/resources.js';
import { claim, volumeAttachment } from '../adapters/kubernetes/support/world.js';
import { World, webPool } from './support/world.js';

let world: World;
beforeEach(async () => {
  world = await World.start();
});
afterEach(async () => {
  await world.close();
});

const MINUTE = 60_000;

/** A registered node running `db-0`, a StatefulSet pod whose volume `pv-db-0` is attached to the node. */
async function nodeWithStatefulPod(): Promise<string> {
  world.addPendingPod('db-0', '3', { app: 'db' });
  await world.pass();
  const [name] = world.registerAll();
  await world.pass(); // registration bookkeeping
  world.makeStatefulWithClaim('db-0', 'db', 'data-db-0');
  world.server.store.create('persistentvolumeclaims', claim('default', 'data-db-0', 'pv-db-0') as KubeObject);
  world.server.store.create(
    'volumeattachments',
    volumeAttachment('csi-db-0', name as string, 'pv-db-0') as unknown as KubeObject,
  );
  return name as string;
}

/** Taints the node as an interruption would, its disruption starting now. */
function disrupt(name: string): void {
  const node = world.node(name) as KubeObject & K8sNode;
  const since = new Date(world.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  world.server.store.update('nodes', {
    ...node,
    metadata: { ...node.metadata, annotations: { ...node.metadata?.annotations, [ANNOTATION_DISRUPTED_AT]: since } },
    spec: { ...node.spec, taints: [{ key: TAINT_DISRUPTED, value: 'SpotInterrupted', effect: 'NoSchedule' }] },
  } as KubeObject);
}

/** The drain records of the ticks logged through `info`, for `node`. */
function drainsOf(info: { mock: { calls: unknown[][] } }, node: string): DrainRecord[] {
  return world
    .decisions(info)
    .flatMap((d) => (d.drains as DrainRecord[] | undefined) ?? [])
    .filter((r) => r.node === node);
}

const terminations = () => world.ec2.aws.ec2.commandCalls(TerminateInstancesCommand).length;

describe('reconcile handler, volume detachment', () => {
  it("keeps a drained node until its evicted StatefulSet pod's volume is detached, then terminates it", async () => {
    const name = await nodeWithStatefulPod();
    disrupt(name);
    const info = vi.spyOn(world.logger, 'info');

    await world.pass();
    expect(world.server.store.get('pods', 'default', 'db-0')).toBeUndefined();
    await world.pass();
    await world.pass();
    expect(world.node(name)).toBeDefined();
    expect(terminations()).toBe(0);
    expect(drainsOf(info, name).map((r) => r.phase)).toEqual(['draining', 'detaching volumes', 'detaching volumes']);
    expect(drainsOf(info, name).at(-1)?.waiting).toBe(1);
    // Nothing is read while pods are still to evict: one list per pass once drained.
    expect(world.server.requests.filter((r) => r.resource === 'volumeattachments')).toHaveLength(2);

    world.server.store.delete('volumeattachments', undefined, 'csi-db-0');
    await world.pass();
    expect(world.node(name)).toBeUndefined();
    expect(terminations()).toBe(1);
    expect(drainsOf(info, name).at(-1)?.phase).toBe('terminating');
  });

  it('does not wait for the volume of a DaemonSet pod the drain leaves on the node', async () => {
    const name = await nodeWithStatefulPod();
    world.server.store.delete('volumeattachments', undefined, 'csi-db-0');
    world.server.store.create('pods', daemonSetPod('agent-x', name) as KubeObject);
    world.server.store.create('persistentvolumeclaims', claim('default', 'agent-cache', 'pv-agent') as KubeObject);
    world.server.store.create(
      'volumeattachments',
      volumeAttachment('csi-agent', name, 'pv-agent') as unknown as KubeObject,
    );
    disrupt(name);

    await world.pass();
    await world.pass();
    expect(world.node(name)).toBeUndefined();
    expect(terminations()).toBe(1);
    const claimReads = world.server.requests.filter((r) => r.resource === 'persistentvolumeclaims');
    expect(claimReads.map((r) => `${r.verb} ${r.namespace}/${r.name}`)).toEqual(['get default/agent-cache']);
  });

  it('waits when the VolumeAttachments cannot be read, and never takes that for "none attached"', async () => {
    const name = await nodeWithStatefulPod();
    world.server.store.delete('volumeattachments', undefined, 'csi-db-0');
    world.server.access.deny('list', 'volumeattachments');
    disrupt(name);
    const info = vi.spyOn(world.logger, 'info');
    const warn = vi.spyOn(world.logger, 'warn');

    await world.pass();
    await world.pass();
    expect(world.node(name)).toBeDefined();
    expect(terminations()).toBe(0);
    expect(drainsOf(info, name).at(-1)?.phase).toBe('detaching volumes');
    expect(warn.mock.calls.map(([message]) => message)).toContain(
      'could not read the VolumeAttachments of a drained node; it waits for them',
    );

    world.server.access.reset();
    await world.pass();
    expect(world.node(name)).toBeUndefined();
  });

  it("terminates anyway once the pool's terminationGracePeriod has run out", async () => {
    const requirements = [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] }];
    world.setDocument(
      'nodepools/web',
      webPool({ template: { spec: { requirements, terminationGracePeriod: '10m' } } }),
    );
    const name = await nodeWithStatefulPod();
    disrupt(name);
    const info = vi.spyOn(world.logger, 'info');

    await world.pass();
    await world.pass();
    expect(world.node(name)).toBeDefined();
    expect(drainsOf(info, name).at(-1)?.phase).toBe('detaching volumes');

    await world.clock.advance(11 * MINUTE);
    await world.pass();
    expect(world.server.store.get('volumeattachments', undefined, 'csi-db-0')).toBeDefined();
    expect(world.node(name)).toBeUndefined();
    expect(terminations()).toBe(1);
  });
});

/** A DaemonSet pod bound to `node`, tolerating every taint (as DaemonSets do), with a claim of its own. */
function daemonSetPod(name: string, node: string): K8sPod {
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      labels: { app: 'agent' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds-agent', controller: true }],
    },
    spec: {
      nodeName: node,
      tolerations: [{ operator: 'Exists' }],
      containers: [{ name: 'agent', image: 'registry.example.com/agent:1', resources: { requests: { cpu: '50m' } } }],
      volumes: [{ name: 'cache', persistentVolumeClaim: { claimName: 'agent-cache' } }],
    },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  };
}
