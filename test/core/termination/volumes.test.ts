// Volume detachment (karpenter-core §4 step 4, Karpenter's `filterVolumeAttachments`): a drained node waits for
// the attachments of its evicted pods' volumes, not for those of pods the drain leaves on the node.

import { describe, expect, it } from 'vitest';
import { ANNOTATION_DISRUPTED_AT, TAINT_DISRUPTED } from '../../../shared/core/labels.js';
import type { VolumeAttachmentRef } from '../../../shared/core/model/volumes.js';
import { podsLeftByDrain } from '../../../shared/core/termination/plan-termination.js';
import { attachmentsToAwait, claimsOf } from '../../../shared/core/termination/volumes.js';
import { node, pod, taint } from '../../fixtures/builders.js';

const NOW = Date.parse('2026-11-01T12:00:00Z');
const MINUTE = 60_000;
const draining = node('n1', {
  taints: [taint(TAINT_DISRUPTED, 'NoSchedule', 'drift')],
  annotations: { [ANNOTATION_DISRUPTED_AT]: '2026-11-01T11:50:00Z' },
});
const on = (name: string, overrides: Parameters<typeof pod>[0] = {}) =>
  pod({ name, nodeName: 'n1', phase: 'Running', ...overrides });
/** A DaemonSet pod as DaemonSets usually are: tolerating every taint, so the drain leaves it. */
const agent = (name: string, claims: string[]) =>
  on(name, {
    namespace: 'kube-system',
    ownerReferences: [{ kind: 'DaemonSet', name: 'agent', uid: 'ds' }],
    tolerations: [{ operator: 'Exists' }],
    persistentVolumeClaims: claims,
  });
const attachment = (name: string, persistentVolumeName?: string): VolumeAttachmentRef =>
  persistentVolumeName === undefined ? { name } : { name, persistentVolumeName };

describe('claimsOf', () => {
  it("names each claim once, in its pod's namespace", () => {
    const pods = [
      on('db-0', { namespace: 'shop', persistentVolumeClaims: ['data-db-0', 'shared'] }),
      on('db-1', { namespace: 'shop', persistentVolumeClaims: ['shared'] }),
      on('web-0', { persistentVolumeClaims: ['shared'] }),
      on('plain'),
    ];
    expect(claimsOf(pods)).toEqual([
      { namespace: 'shop', name: 'data-db-0' },
      { namespace: 'shop', name: 'shared' },
      { namespace: 'default', name: 'shared' },
    ]);
  });
});

describe('attachmentsToAwait', () => {
  it('waits for every attachment when no pod stays on the node', () => {
    const attachments = [attachment('csi-b', 'pv-db-0'), attachment('csi-a', 'pv-db-1')];
    expect(attachmentsToAwait({ attachments, keptPods: [], volumeOfClaim: new Map() })).toEqual(['csi-a', 'csi-b']);
  });

  it('does not wait for the volume of a pod the drain leaves on the node', () => {
    const attachments = [attachment('csi-db', 'pv-db-0'), attachment('csi-agent', 'pv-agent')];
    const volumeOfClaim = new Map([['kube-system/agent-cache', 'pv-agent']]);
    const keptPods = [agent('agent-x', ['agent-cache'])];
    expect(attachmentsToAwait({ attachments, keptPods, volumeOfClaim })).toEqual(['csi-db']);
  });

  it('matches claims by namespace: the same claim name elsewhere does not excuse a volume', () => {
    const attachments = [attachment('csi-agent', 'pv-agent')];
    const volumeOfClaim = new Map([['default/agent-cache', 'pv-agent']]);
    const keptPods = [agent('agent-x', ['agent-cache'])];
    expect(attachmentsToAwait({ attachments, keptPods, volumeOfClaim })).toEqual(['csi-agent']);
  });

  it('does not wait for an inline attachment (no PersistentVolume), as Karpenter; waits for volumes of kept claims it cannot resolve', () => {
    const attachments = [attachment('csi-inline'), attachment('csi-unbound', 'pv-x')];
    const keptPods = [agent('agent-x', ['unbound-claim'])];
    expect(attachmentsToAwait({ attachments, keptPods, volumeOfClaim: new Map() })).toEqual(['csi-unbound']);
  });
});

describe('podsLeftByDrain', () => {
  const input = (pods: ReturnType<typeof on>[], overrides = {}) => ({
    node: draining,
    pods,
    reason: 'drift',
    now: NOW,
    ...overrides,
  });

  it('keeps exactly the pods the drain does not wait for: finished, mirror, tolerant, stuck terminating', () => {
    const pods = [
      on('web-0'),
      on('leaving', { deletionTimestamp: NOW - 10_000 }),
      on('intolerant-agent', { ownerReferences: [{ kind: 'DaemonSet', name: 'a', uid: 'a' }] }),
      on('done', { phase: 'Succeeded' }),
      on('static', { ownerReferences: [{ kind: 'Node', name: 'n1', uid: 'n1' }] }),
      agent('tolerant', []),
      on('stuck', { deletionTimestamp: NOW - 2 * MINUTE }),
      pod({ name: 'elsewhere', nodeName: 'n2', phase: 'Running', tolerations: [{ operator: 'Exists' }] }),
    ];
    expect(podsLeftByDrain(input(pods)).map((p) => p.name)).toEqual(['done', 'static', 'tolerant', 'stuck']);
  });

  it('judges tolerations against the taint the node carries, or the one the drain will put on it', () => {
    const tolerant = on('tolerant', { tolerations: [{ key: TAINT_DISRUPTED, operator: 'Equal', value: 'drift' }] });
    expect(podsLeftByDrain(input([tolerant])).map((p) => p.name)).toEqual(['tolerant']);
    const untainted = node('n1');
    expect(podsLeftByDrain(input([tolerant], { node: untainted, reason: 'drift' }))).toHaveLength(1);
    expect(podsLeftByDrain(input([tolerant], { node: untainted, reason: 'Expired' }))).toEqual([]);
  });
});
