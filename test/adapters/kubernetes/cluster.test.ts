// The ClusterReader / ClusterWriter ports over the loopback API server: what the reconcile loop reads, and
// its writes — taints that survive concurrent changes, evictions PDBs refuse, node deletion that checks it
// deletes the right node, Events.

import { describe, expect, it } from 'vitest';
import { NODES } from '../../../shared/adapters/kubernetes/client/resources.js';
import type { ClusterChange } from '../../../shared/core/ports/cluster.js';
import type { KubeObject } from '../../../shared/sim/kube-api/resources.js';
import {
  claim,
  clusterFor,
  eventually,
  node,
  pdb,
  persistentVolume,
  pod,
  seed,
  startApi,
  volumeAttachment,
} from './support/world.js';

const DISRUPTED = { key: 'fleetwright.io/disrupted', value: 'drift', effect: 'NoSchedule' } as const;
const OTHER = { key: 'example.com/maintenance', value: 'true', effect: 'NoExecute' } as const;

function taintsOf(server: Awaited<ReturnType<typeof startApi>>, name: string) {
  const stored = server.store.get('nodes', undefined, name) as KubeObject & { spec?: { taints?: unknown[] } };
  return stored.spec?.taints ?? [];
}

describe('KubernetesClusterReader', () => {
  it('lists nodes before pods, then DaemonSets and PDBs, every page, mapped to core types', async () => {
    const server = await startApi();
    seed(server, 'nodes', node('node-a'), node('node-b'), node('node-c'));
    seed(server, 'pods', pod('web-0', 'node-a'), pod('web-1', 'node-b'), pod('pending', undefined));
    seed(server, 'daemonsets', {
      metadata: { name: 'kube-proxy', namespace: 'kube-system' },
      spec: {
        template: { metadata: {}, spec: { containers: [{ name: 'p', resources: { requests: { cpu: '100m' } } }] } },
      },
    });
    seed(server, 'poddisruptionbudgets', pdb('web', 'web', 1));
    const { reader } = clusterFor(server, 'reader', { pageSize: 2 });

    const state = await reader.readState();

    const lists = server.requests.filter((r) => r.verb === 'list');
    expect(lists.map((r) => `${r.resource}${r.query.continue ? '+' : ''}`)).toEqual([
      'nodes',
      'nodes+',
      'pods',
      'pods+',
      'daemonsets',
      'poddisruptionbudgets',
    ]);
    expect(lists.every((r) => r.query.limit === '2')).toBe(true);
    expect(state.nodes.map((n) => n.name)).toEqual(['node-a', 'node-b', 'node-c']);
    expect(state.pods.map((p) => [p.name, p.nodeName, p.unschedulable])).toEqual([
      ['pending', undefined, true],
      ['web-0', 'node-a', false],
      ['web-1', 'node-b', false],
    ]);
    expect(state.daemonSets.map((d) => d.name)).toEqual(['kube-proxy']);
    expect(state.pdbs).toEqual([
      {
        namespace: 'default',
        name: 'web',
        selector: { matchLabels: { app: 'web' } },
        minAvailable: '1',
        disruptionsAllowed: 1,
      },
    ]);
    expect(Number(state.resourceVersions.pods)).toBeGreaterThanOrEqual(Number(state.resourceVersions.nodes));
    expect(state.unreadable).toEqual([]);
  });

  it('reports an object the mappers refuse and keeps the rest', async () => {
    const server = await startApi();
    seed(server, 'pods', pod('fine', 'node-a'));
    seed(server, 'pods', {
      ...pod('odd', 'node-a'),
      spec: { containers: [{ name: 'c', resources: { requests: { cpu: 'lots' } } }] },
    });
    const state = await clusterFor(server).reader.readState();
    expect(state.pods.map((p) => p.name)).toEqual(['fine']);
    expect(state.unreadable).toEqual([
      expect.stringMatching(/^Pod\/default\/odd: spec\.containers\[0\]\.resources\.requests\.cpu: /),
    ]);
  });

  it('lists the pods of one node with spec.nodeName=', async () => {
    const server = await startApi();
    seed(server, 'pods', pod('a', 'node-a'), pod('b', 'node-b'), pod('c', 'node-a'));
    const pods = await clusterFor(server).reader.podsOnNode('node-a');
    expect(pods.map((p) => p.name)).toEqual(['a', 'c']);
    expect(server.requests.at(-1)?.query.fieldSelector).toBe('spec.nodeName=node-a');
  });

  it("lists a node's VolumeAttachments from every page, filtering by spec.nodeName itself", async () => {
    const server = await startApi();
    seed(
      server,
      'volumeattachments',
      volumeAttachment('csi-1', 'node-a', 'pv-1'),
      volumeAttachment('csi-2', 'node-b', 'pv-2'),
      volumeAttachment('csi-3', 'node-a', 'pv-3'),
      volumeAttachment('csi-4', 'node-b', 'pv-4'),
      volumeAttachment('csi-5', 'node-a'),
    );
    const attachments = await clusterFor(server, 'reader', { pageSize: 2 }).reader.volumeAttachments('node-a');
    expect(attachments).toEqual([
      { name: 'csi-1', persistentVolumeName: 'pv-1' },
      { name: 'csi-3', persistentVolumeName: 'pv-3' },
      { name: 'csi-5' },
    ]);
    const lists = server.requests.filter((r) => r.verb === 'list');
    expect(lists.map((r) => `${r.resource}${r.query.continue ? '+' : ''}`)).toEqual([
      'volumeattachments',
      'volumeattachments+',
      'volumeattachments+',
    ]);
    // The API server has no spec.nodeName field selector for them (the loopback server refuses it too).
    expect(lists.every((r) => r.query.fieldSelector === undefined)).toBe(true);
  });

  it('reads the volume each claim is bound to; a missing or unbound claim is absent', async () => {
    const server = await startApi();
    seed(
      server,
      'persistentvolumeclaims',
      claim('shop', 'data-db-0', 'pv-db-0'),
      claim('default', 'data-db-0', 'pv-other'),
      claim('shop', 'pending'),
    );
    const volumes = await clusterFor(server).reader.claimedVolumes([
      { namespace: 'shop', name: 'data-db-0' },
      { namespace: 'shop', name: 'pending' },
      { namespace: 'shop', name: 'gone' },
      { namespace: 'shop', name: 'data-db-0' },
    ]);
    expect(volumes).toEqual(new Map([['shop/data-db-0', 'pv-db-0']]));
    const gets = server.requests.filter((r) => r.verb === 'get' && r.resource === 'persistentvolumeclaims');
    expect(gets.map((r) => `${r.namespace}/${r.name} ${r.status}`).sort()).toEqual([
      'shop/data-db-0 200',
      'shop/gone 404',
      'shop/pending 200',
    ]);
  });

  it("reads each volume's required node affinity, the EBS CSI zone key as the zone; a missing one is absent", async () => {
    const server = await startApi();
    seed(server, 'persistentvolumes', persistentVolume('pv-db-0', 'us-east-1b'), persistentVolume('pv-anywhere'));
    const terms = await clusterFor(server).reader.volumeNodeAffinity(['pv-db-0', 'pv-anywhere', 'pv-gone', 'pv-db-0']);
    expect(terms).toEqual(
      new Map([
        [
          'pv-db-0',
          [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-east-1b'] }] }],
        ],
        ['pv-anywhere', []],
      ]),
    );
    const gets = server.requests.filter((r) => r.verb === 'get' && r.resource === 'persistentvolumes');
    expect(gets.map((r) => `${r.name} ${r.status}`).sort()).toEqual(['pv-anywhere 200', 'pv-db-0 200', 'pv-gone 404']);
  });

  it('watches nodes from the version of its list, as core changes', async () => {
    const server = await startApi();
    seed(server, 'nodes', node('node-a'));
    const { reader } = clusterFor(server);
    const state = await reader.readState();
    seed(server, 'nodes', node('node-b'));
    server.store.delete('nodes', undefined, 'node-a');
    const watch = reader.watchNodes(state.resourceVersions.nodes);
    const seen: string[] = [];
    const done = (async () => {
      for await (const change of watch) seen.push(describeChange(change));
    })();
    await eventually(() => seen.length === 2);
    watch.close();
    await done;
    expect(seen).toEqual(['upsert node-b', 'delete node-a']);
  });
});

function describeChange(change: ClusterChange<{ name: string }>): string {
  return change.type === 'resync' ? `resync ${change.objects.length}` : `${change.type} ${change.object.name}`;
}

describe('KubernetesClusterWriter: node changes never overwrite a concurrent change', () => {
  it('re-applies its taint on top of a taint another controller added between our read and our write', async () => {
    const server = await startApi();
    seed(server, 'nodes', node('node-a'));
    // Another controller's write lands right before our patch: our patch then carries a stale resourceVersion.
    server.faults.interleave({ verb: 'patch', resource: 'nodes' }, () => {
      const current = server.store.get('nodes', undefined, 'node-a') as KubeObject;
      server.store.update('nodes', { ...current, spec: { taints: [OTHER] } });
    });
    const result = await clusterFor(server).writer.updateNode('node-a', { addTaints: [DISRUPTED] });

    expect(result.outcome).toBe('updated');
    expect(taintsOf(server, 'node-a')).toEqual([OTHER, DISRUPTED]);
    expect(server.requests.filter((r) => r.verb === 'patch').map((r) => r.status)).toEqual([409, 200]);
  });

  it('two writers tainting the same node at once: both taints survive', async () => {
    const server = await startApi();
    seed(server, 'nodes', node('node-a'));
    const a = clusterFor(server, 'invocation-a').writer;
    const b = clusterFor(server, 'invocation-b').writer;
    await Promise.all([
      a.updateNode('node-a', { addTaints: [DISRUPTED] }),
      b.updateNode('node-a', { addTaints: [OTHER] }),
    ]);
    expect(taintsOf(server, 'node-a')).toEqual(expect.arrayContaining([DISRUPTED, OTHER]));
    expect(taintsOf(server, 'node-a')).toHaveLength(2);
  });

  it('(control) without the resourceVersion guard, a patch from a stale read drops the other taint', async () => {
    const server = await startApi();
    seed(server, 'nodes', node('node-a'));
    const { client } = clusterFor(server);
    const stale = await client.get(NODES, 'node-a');
    const current = server.store.get('nodes', undefined, 'node-a') as KubeObject;
    server.store.update('nodes', { ...current, spec: { taints: [OTHER] } });
    await client.patch(NODES, 'node-a', {
      type: 'merge',
      body: { spec: { taints: [...(stale.spec?.taints ?? []), DISRUPTED] } },
    });
    expect(taintsOf(server, 'node-a')).toEqual([DISRUPTED]);
  });

  it('changes labels, annotations and cordon in one write, and makes no write when nothing changes', async () => {
    const server = await startApi();
    seed(server, 'nodes', node('node-a', { metadata: { name: 'node-a', labels: { old: 'x', keep: 'y' } } }));
    const { writer } = clusterFor(server);
    const change = {
      labels: { old: null, 'node-role.kubernetes.io/worker': '' },
      annotations: { 'fleetwright.io/drifted-since': '2026-11-26T00:00:00Z' },
      unschedulable: true,
      removeTaints: [{ key: 'absent', effect: 'NoSchedule' as const }],
    };
    const first = await writer.updateNode('node-a', change);
    const second = await writer.updateNode('node-a', change);

    expect(first.outcome).toBe('updated');
    expect(second.outcome).toBe('unchanged');
    if (second.outcome === 'not-found') throw new Error('unreachable');
    expect(second.node.labels).toEqual({ keep: 'y', 'node-role.kubernetes.io/worker': '' });
    expect(second.node.annotations).toEqual({ 'fleetwright.io/drifted-since': '2026-11-26T00:00:00Z' });
    expect(second.node.unschedulable).toBe(true);
    expect(server.requests.filter((r) => r.verb === 'patch')).toHaveLength(1);
    expect(await writer.updateNode('ghost', change)).toEqual({ outcome: 'not-found' });
  });

  it('removes a taint by key and effect, keeping the others', async () => {
    const server = await startApi();
    seed(server, 'nodes', node('node-a', { spec: { taints: [DISRUPTED, OTHER] } }));
    await clusterFor(server).writer.updateNode('node-a', { removeTaints: [DISRUPTED] });
    expect(taintsOf(server, 'node-a')).toEqual([OTHER]);
  });
});

describe('KubernetesClusterWriter: evictions', () => {
  it('an eviction a PDB refuses is a blocked result with the API server’s reason, not an error', async () => {
    const server = await startApi();
    seed(server, 'pods', pod('web-0', 'node-a'), pod('web-1', 'node-a'));
    seed(server, 'poddisruptionbudgets', pdb('web', 'web', 1));
    const { writer } = clusterFor(server);

    expect(await writer.evictPod({ namespace: 'default', name: 'web-0' })).toEqual({ outcome: 'evicted' });
    expect(await writer.evictPod({ namespace: 'default', name: 'web-1' })).toEqual({
      outcome: 'blocked',
      reason:
        "Cannot evict pod as it would violate the pod's disruption budget. " +
        'The disruption budget web needs 1 healthy pods and has 1 currently',
    });
    expect(server.store.get('pods', 'default', 'web-0')).toBeUndefined();
    expect(server.store.get('pods', 'default', 'web-1')).toBeDefined();
    // A PDB's refusal is a verdict: it is not retried like throttling.
    expect(server.requests.filter((r) => r.resource === 'pods/eviction').map((r) => r.status)).toEqual([201, 429]);
  });

  it('a pod under two PDBs is blocked, a missing pod or one re-created with another uid is gone', async () => {
    const server = await startApi();
    seed(server, 'pods', pod('web-0', 'node-a'), pod('solo', 'node-a', 'solo'));
    seed(server, 'poddisruptionbudgets', pdb('web', 'web', 5), pdb('web-too', 'web', 5));
    const { writer } = clusterFor(server);
    const blocked = await writer.evictPod({ namespace: 'default', name: 'web-0' });
    expect(blocked).toEqual({
      outcome: 'blocked',
      reason: expect.stringContaining('more than one PodDisruptionBudget'),
    });
    expect(await writer.evictPod({ namespace: 'default', name: 'ghost' })).toEqual({ outcome: 'gone' });
    expect(await writer.evictPod({ namespace: 'default', name: 'solo', uid: 'an-older-pod' })).toEqual({
      outcome: 'gone',
    });
    expect(server.store.get('pods', 'default', 'solo')).toBeDefined();
  });
});

describe('KubernetesClusterWriter: node deletion and events', () => {
  it('deletes a node only while it still has the expected providerID', async () => {
    const server = await startApi();
    seed(server, 'nodes', node('node-a', { spec: { providerID: 'aws:///us-east-1a/i-0new' } }));
    const { writer } = clusterFor(server);
    expect(await writer.deleteNode('node-a', { providerID: 'aws:///us-east-1a/i-0old' })).toBe('changed');
    expect(await writer.deleteNode('node-a', { providerID: 'aws:///us-east-1a/i-0new' })).toBe('deleted');
    expect(await writer.deleteNode('node-a')).toBe('not-found');
    const deletion = server.requests.find((r) => r.verb === 'delete');
    expect(deletion?.status).toBe(200);
  });

  it('retries a delete whose node changed between read and delete (a kubelet heartbeat)', async () => {
    const server = await startApi();
    seed(server, 'nodes', node('node-a'));
    server.faults.interleave({ verb: 'delete', resource: 'nodes' }, () => {
      const current = server.store.get('nodes', undefined, 'node-a') as KubeObject;
      server.store.update('nodes', { ...current, status: { heartbeat: 'now' } });
    });
    expect(await clusterFor(server).writer.deleteNode('node-a')).toBe('deleted');
    expect(server.requests.filter((r) => r.verb === 'delete').map((r) => r.status)).toEqual([409, 200]);
  });

  it('records events.k8s.io/v1 Events about nodes (in default) and pods (in their namespace)', async () => {
    const server = await startApi();
    const now = Date.parse('2026-11-26T00:31:37.123Z');
    const { writer } = clusterFor(server, 'invocation-a', { now: () => now });
    await writer.recordEvent({
      regarding: { kind: 'Node', name: 'node-a' },
      type: 'Normal',
      reason: 'Drifted',
      action: 'Disrupt',
      note: 'node-a drifted: its AMI is no longer selected',
    });
    await writer.recordEvent({
      regarding: { kind: 'Pod', name: 'web-0', namespace: 'shop', uid: 'u1' },
      type: 'Warning',
      reason: 'FailedScheduling',
      action: 'Schedule',
      note: 'x'.repeat(2000),
    });
    // Listed by namespace/name: the node's event (in default) comes first.
    const [nodeEvent, podEvent] = server.store.list('events');
    expect(nodeEvent).toMatchObject({
      metadata: { namespace: 'default' },
      reason: 'Drifted',
      eventTime: '2026-11-26T00:31:37.123000Z',
      reportingController: 'fleetwright.io/controller',
      reportingInstance: 'invocation-a',
      regarding: { apiVersion: 'v1', kind: 'Node', name: 'node-a' },
    });
    expect(nodeEvent?.metadata.name).toMatch(/^node-a\.[0-9a-f]+$/);
    expect(podEvent).toMatchObject({
      metadata: { namespace: 'shop' },
      regarding: { kind: 'Pod', namespace: 'shop', uid: 'u1' },
    });
    expect(Buffer.byteLength(String(podEvent?.note))).toBeLessThanOrEqual(1024);
  });
});
