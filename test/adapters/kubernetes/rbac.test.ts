// The controller's RBAC as data (rbac.ts) is exactly what the adapter needs: the whole reader and writer run
// against an API server that allows only those rules, and a rule taken away is a clear ForbiddenError.

import { describe, expect, it } from 'vitest';
import { CONTROLLER_RBAC } from '../../../shared/adapters/kubernetes/rbac.js';
import { claim, clusterFor, node, persistentVolume, pod, seed, startApi, volumeAttachment } from './support/world.js';

const DISRUPTED = { key: 'fleetwright.io/disrupted', value: 'drift', effect: 'NoSchedule' } as const;

describe('RBAC', () => {
  it('every reader and writer call works with exactly the rules of CONTROLLER_RBAC', async () => {
    const server = await startApi();
    server.access.allowOnly(CONTROLLER_RBAC);
    seed(server, 'nodes', node('node-a'), node('node-b'));
    seed(server, 'pods', pod('web-0', 'node-a'));
    seed(server, 'volumeattachments', volumeAttachment('csi-1', 'node-a', 'pv-1'));
    seed(server, 'persistentvolumeclaims', claim('default', 'data', 'pv-1'));
    seed(server, 'persistentvolumes', persistentVolume('pv-1', 'us-east-1a'));
    const { reader, writer } = clusterFor(server);

    const state = await reader.readState();
    await reader.getNode('node-a');
    await reader.podsOnNode('node-a');
    expect(await reader.volumeAttachments('node-a')).toHaveLength(1);
    expect(await reader.claimedVolumes([{ namespace: 'default', name: 'data' }])).toEqual(
      new Map([['default/data', 'pv-1']]),
    );
    expect((await reader.volumeNodeAffinity(['pv-1'])).get('pv-1')).toHaveLength(1);
    const watch = reader.watchPods(state.resourceVersions.pods);
    const drained = (async () => {
      for await (const _ of watch) break;
    })();
    await writer.acquireLease();
    await writer.renewLease();
    await writer.updateNode('node-a', { addTaints: [DISRUPTED], unschedulable: true });
    expect(await writer.evictPod({ namespace: 'default', name: 'web-0' })).toEqual({ outcome: 'evicted' });
    await drained;
    expect(await writer.deleteNode('node-a')).toBe('deleted');
    await writer.recordEvent({
      regarding: { kind: 'Node', name: 'node-a' },
      type: 'Normal',
      reason: 'Deleted',
      action: 'Delete',
      note: 'gone',
    });
    await writer.releaseLease();

    expect(server.requests.filter((r) => r.status === 403)).toEqual([]);
    expect(new Set(server.requests.map((r) => `${r.verb} ${r.resource}`))).toEqual(
      new Set([
        'list nodes',
        'list pods',
        'list daemonsets',
        'list poddisruptionbudgets',
        'list volumeattachments',
        'get persistentvolumeclaims',
        'get persistentvolumes',
        'get nodes',
        'watch pods',
        'get leases',
        'create leases',
        'update leases',
        'patch nodes',
        'create pods/eviction',
        'delete nodes',
        'create events',
      ]),
    );
  });

  it('reads storage only: list VolumeAttachments, get PersistentVolumeClaims and PersistentVolumes, nothing more', () => {
    const storage = CONTROLLER_RBAC.filter((r) =>
      ['volumeattachments', 'persistentvolumeclaims', 'persistentvolumes'].includes(r.resource),
    );
    expect(storage).toEqual([
      { apiGroup: 'storage.k8s.io', resource: 'volumeattachments', verbs: ['list'] },
      { apiGroup: '', resource: 'persistentvolumeclaims', verbs: ['get'] },
      { apiGroup: '', resource: 'persistentvolumes', verbs: ['get'] },
    ]);
  });

  it('a rule taken away surfaces as a ForbiddenError naming the verb and resource', async () => {
    const server = await startApi();
    server.access.allowOnly(CONTROLLER_RBAC.filter((r) => r.resource !== 'poddisruptionbudgets'));
    await expect(clusterFor(server).reader.readState()).rejects.toThrow(
      /^list poddisruptionbudgets: Forbidden \(HTTP 403\): poddisruptionbudgets\.policy is forbidden: User "fleetwright" cannot list resource "poddisruptionbudgets" in API group "policy" at the cluster scope$/,
    );
  });
});
