// applyVolumeTopology: pods waiting for capacity get their bound volumes' node affinity; what never changes
// (a bound claim's volume, a volume's node affinity) is read once per invocation; an unbound claim is asked
// again; a pod whose volumes cannot be read is left out of the tick.

import { describe, expect, it, vi } from 'vitest';
import { LABEL_ZONE } from '../../shared/core/labels.js';
import type { NodeSelectorTerm, Pod } from '../../shared/core/model/pod.js';
import { type ClaimRef, claimKey } from '../../shared/core/model/volumes.js';
import type { ClusterContents } from '../../shared/runtime/reconcile/cluster-view.js';
import { newMemory } from '../../shared/runtime/reconcile/context.js';
import { applyVolumeTopology } from '../../shared/runtime/reconcile/volume-topology.js';
import { pod } from '../fixtures/builders.js';

const inZone = (zone: string): NodeSelectorTerm[] => [
  { matchExpressions: [{ key: LABEL_ZONE, operator: 'In', values: [zone] }] },
];

function setup(claims: Record<string, string>, volumes: Record<string, NodeSelectorTerm[]>) {
  const reader = {
    claimedVolumes: vi.fn(async (refs: readonly ClaimRef[]) => {
      const out = new Map<string, string>();
      for (const ref of refs) if (claims[claimKey(ref)]) out.set(claimKey(ref), claims[claimKey(ref)] as string);
      return out;
    }),
    volumeNodeAffinity: vi.fn(async (names: readonly string[]) => {
      const out = new Map<string, readonly NodeSelectorTerm[]>();
      for (const name of names) if (volumes[name]) out.set(name, volumes[name]);
      return out;
    }),
  };
  const logger = { warn: vi.fn() };
  return { reader, logger, deps: { reader, logger, memory: newMemory() } };
}

const contents = (...pods: Pod[]): ClusterContents => ({
  nodes: [],
  pods,
  daemonSets: [],
  pdbs: [],
  unreadableNodes: 0,
});
const waiting = (name: string, claims?: string[]) =>
  pod({ name, unschedulable: true, ...(claims ? { persistentVolumeClaims: claims } : {}) });

describe('applyVolumeTopology', () => {
  it("pins a waiting pod to its bound volume's zone and reads claim and volume once per invocation", async () => {
    const { reader, deps } = setup({ 'default/data-db-0': 'pv-1' }, { 'pv-1': inZone('us-east-1b') });
    const db = waiting('db-0', ['data-db-0']);

    const first = await applyVolumeTopology(deps, contents(db));
    const second = await applyVolumeTopology(deps, contents(db));
    expect(first.pods).toEqual([{ ...db, requiredNodeAffinity: inZone('us-east-1b') }]);
    expect(second.pods).toEqual(first.pods);
    expect(reader.claimedVolumes).toHaveBeenCalledTimes(1);
    expect(reader.volumeNodeAffinity).toHaveBeenCalledTimes(1);
  });

  it('reads nothing for pods without claims or not waiting for capacity, and keeps them as they are', async () => {
    const { reader, deps } = setup({}, {});
    const web = waiting('web');
    const running = pod({ name: 'db-1', phase: 'Running', nodeName: 'n1', persistentVolumeClaims: ['data-db-1'] });
    const input = contents(web, running);

    expect(await applyVolumeTopology(deps, input)).toBe(input);
    expect(reader.claimedVolumes).not.toHaveBeenCalled();
  });

  it('adds nothing for an unbound claim and asks again on the next tick', async () => {
    const { reader, deps } = setup({}, {});
    const db = waiting('db-0', ['data-db-0']);

    expect((await applyVolumeTopology(deps, contents(db))).pods).toEqual([db]);
    await applyVolumeTopology(deps, contents(db));
    expect(reader.claimedVolumes).toHaveBeenCalledTimes(2);
    expect(reader.volumeNodeAffinity).not.toHaveBeenCalled();
  });

  it('leaves out, with a warning, a pod whose volume cannot be read or does not exist', async () => {
    const { reader, logger, deps } = setup({ 'default/data-a': 'pv-a', 'default/data-b': 'pv-missing' }, {});
    reader.volumeNodeAffinity.mockRejectedValueOnce(new Error('forbidden'));
    const web = waiting('web');

    const result = await applyVolumeTopology(deps, contents(waiting('a', ['data-a']), web, waiting('b', ['data-b'])));
    expect(result.pods).toEqual([web]);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn.mock.calls.map(([, fields]) => fields.pod).sort()).toEqual(['default/a', 'default/b']);
  });
});
