// Drain planning (karpenter-core §4): taint, tiers, PDBs (429 = retry later), terminationGracePeriod, pods that
// do not hold the node, volume detachment, then delete the Node and terminate the instance.

import { describe, expect, it } from 'vitest';
import { PdbIndex } from '../../../shared/core/disruption/pdb.js';
import { ANNOTATION_DISRUPTED_AT, ANNOTATION_DO_NOT_DISRUPT, TAINT_DISRUPTED } from '../../../shared/core/labels.js';
import type { Node } from '../../../shared/core/model/node.js';
import type { Pod } from '../../../shared/core/model/pod.js';
import type { PodDisruptionBudget } from '../../../shared/core/model/workloads.js';
import {
  LABEL_EXCLUDE_FROM_LB,
  planTermination,
  type TerminationInput,
} from '../../../shared/core/termination/plan-termination.js';
import { node, pod, taint } from '../../fixtures/builders.js';

const NOW = Date.parse('2026-11-01T12:00:00Z');
const MINUTE = 60_000;
const STARTED = '2026-11-01T11:50:00Z';
/** A node already tainted, its disruption begun ten minutes ago. */
const draining = node('n1', {
  taints: [taint(TAINT_DISRUPTED, 'NoSchedule', 'consolidation')],
  annotations: { [ANNOTATION_DISRUPTED_AT]: STARTED },
});

const on = (name: string, overrides: Parameters<typeof pod>[0] = {}) =>
  pod({ name, nodeName: 'n1', phase: 'Running', startTime: NOW - 60 * MINUTE, ...overrides });
const ds = { ownerReferences: [{ kind: 'DaemonSet', name: 'agent', uid: 'ds' }] };
const critical = { priorityClassName: 'system-node-critical' };

function step(pods: Pod[], overrides: Partial<TerminationInput> = {}, pdbs: PodDisruptionBudget[] = []) {
  return planTermination({
    node: draining,
    pods,
    pdbs: new PdbIndex(pdbs, pods),
    terminationGracePeriodMs: null,
    reason: 'consolidation',
    attachedVolumes: [],
    instanceExists: true,
    now: NOW,
    ...overrides,
  });
}

const evicted = (s: ReturnType<typeof step>) =>
  s.actions.filter((a) => a.type === 'evict').map((a) => (a as { pod: string }).pod);

describe('planTermination', () => {
  it('taints an untainted node first and records when its disruption began', () => {
    const fresh: Node = node('n1');
    const s = step([on('web-0')], { node: fresh });
    expect(s.actions[0]).toEqual({
      type: 'taint',
      taint: { key: TAINT_DISRUPTED, value: 'consolidation', effect: 'NoSchedule' },
      labels: { [LABEL_EXCLUDE_FROM_LB]: 'fleetwright' },
      annotations: { [ANNOTATION_DISRUPTED_AT]: '2026-11-01T12:00:00Z' },
    });
    expect(evicted(s)).toEqual(['default/web-0']);
  });

  it('evicts non-critical pods first, then DaemonSet pods, then critical pods, then critical DaemonSet pods', () => {
    const pods = [on('web-0'), on('agent', ds), on('dns', critical), on('cni', { ...ds, ...critical })];
    expect(evicted(step(pods))).toEqual(['default/web-0']);
    expect(evicted(step(pods.slice(1)))).toEqual(['default/agent']);
    expect(evicted(step(pods.slice(2)))).toEqual(['default/dns']);
    const last = step(pods.slice(3));
    expect(evicted(last)).toEqual(['default/cni']);
    expect(step(pods).waiting).toContainEqual({
      subject: 'pod default/cni',
      reason: 'critical DaemonSet pods wait for non-critical pods to leave',
    });
  });

  it('evicts no more pods than a PDB allows and leaves the rest for a retry (the API would answer 429)', () => {
    const pdb = { namespace: 'default', name: 'web', selector: { matchLabels: { app: 'web' } }, disruptionsAllowed: 1 };
    const pods = [on('web-0', { labels: { app: 'web' } }), on('web-1', { labels: { app: 'web' } })];
    const s = step(pods, {}, [pdb]);
    expect(evicted(s)).toEqual(['default/web-0']);
    expect(s.waiting).toEqual([
      {
        subject: 'pod default/web-1',
        reason: 'PodDisruptionBudget default/web allows no more disruptions (429): retry later',
      },
    ]);
    expect(s.phase).toBe('draining');
  });

  it('never evicts a pod covered by several PDBs', () => {
    const a = { namespace: 'default', name: 'a', selector: { matchLabels: { app: 'web' } }, disruptionsAllowed: 5 };
    const s = step([on('web-0', { labels: { app: 'web' } })], {}, [a, { ...a, name: 'b' }]);
    expect(evicted(s)).toEqual([]);
    expect(s.waiting[0]?.reason).toMatch(/several PodDisruptionBudgets \(default\/a, default\/b\)/);
  });

  it('waits for a do-not-disrupt pod without evicting it', () => {
    const s = step([on('batch', { annotations: { [ANNOTATION_DO_NOT_DISRUPT]: 'true' } })]);
    expect(s.actions).toEqual([]);
    expect(s.waiting).toEqual([
      { subject: 'pod default/batch', reason: 'it has karpenter.sh/do-not-disrupt; it is not evicted' },
    ]);
  });

  it('force-deletes pods once terminationGracePeriod is due, past PDBs and do-not-disrupt, with the time left', () => {
    const pdb = { namespace: 'default', name: 'db', selector: { matchLabels: { app: 'db' } }, disruptionsAllowed: 0 };
    const pods = [
      on('db-0', { labels: { app: 'db' }, terminationGracePeriodSeconds: 300 }),
      on('batch', { annotations: { [ANNOTATION_DO_NOT_DISRUPT]: 'true' }, terminationGracePeriodSeconds: 30 }),
    ];
    // Began 10 minutes ago with a 12-minute grace period: 120 s are left. db-0 needs 300 s, so it goes now;
    // batch needs 30 s, so it may wait a little longer.
    const s = step(pods, { terminationGracePeriodMs: 12 * MINUTE }, [pdb]);
    expect(s.deadline).toBe(NOW + 2 * MINUTE);
    expect(s.actions).toEqual([{ type: 'delete-pod', pod: 'default/db-0', uid: 'uid-db-0', gracePeriodSeconds: 120 }]);
    const later = step(pods, { terminationGracePeriodMs: 12 * MINUTE, now: NOW + 100_000 }, [pdb]);
    expect(later.actions.map((a) => a.type)).toEqual(['delete-pod', 'delete-pod']);
  });

  it('deletes a terminating pod again, with the shorter grace, when it would outlive the deadline', () => {
    const slow = on('slow', { deletionTimestamp: NOW + 10 * MINUTE });
    const s = step([slow], { terminationGracePeriodMs: 12 * MINUTE });
    expect(s.actions).toEqual([{ type: 'delete-pod', pod: 'default/slow', uid: 'uid-slow', gracePeriodSeconds: 120 }]);
  });

  it('waits for terminating pods without evicting them again', () => {
    const s = step([on('leaving', { deletionTimestamp: NOW - 10_000 })]);
    expect(s.actions).toEqual([]);
    expect(s.waiting).toEqual([{ subject: 'pod default/leaving', reason: 'terminating' }]);
  });

  it('does not wait for finished pods, mirror pods, pods that tolerate the disrupted taint, or pods stuck terminating', () => {
    const pods = [
      on('done', { phase: 'Succeeded' }),
      on('static', { ownerReferences: [{ kind: 'Node', name: 'n1', uid: 'n1' }] }),
      on('tolerant', { tolerations: [{ operator: 'Exists' }] }),
      on('stuck', { deletionTimestamp: NOW - 2 * MINUTE }),
    ];
    const s = step(pods);
    expect(s.phase).toBe('terminating');
    expect(s.actions).toEqual([{ type: 'delete-node' }, { type: 'terminate-instance' }]);
  });

  it('waits for volumes to detach, until the deadline', () => {
    const s = step([], { attachedVolumes: ['pv-1'] });
    expect(s).toMatchObject({ phase: 'detaching volumes', actions: [], waiting: [{ subject: 'volume pv-1' }] });
    const due = step([], { attachedVolumes: ['pv-1'], terminationGracePeriodMs: 5 * MINUTE });
    expect(due.actions).toEqual([{ type: 'delete-node' }, { type: 'terminate-instance' }]);
  });

  it('waits on attachments it could not read as if some were attached, until the deadline', () => {
    const s = step([], { attachedVolumes: 'unknown' });
    expect(s).toMatchObject({ phase: 'detaching volumes', actions: [], waiting: [{ subject: 'volumes' }] });
    expect(s.waiting[0]?.reason).toMatch(/could not be read/);
    const due = step([], { attachedVolumes: 'unknown', terminationGracePeriodMs: 5 * MINUTE });
    expect(due).toMatchObject({ phase: 'terminating', waiting: [] });
    expect(due.actions).toEqual([{ type: 'delete-node' }, { type: 'terminate-instance' }]);
  });

  it('stops waiting on unreadable attachments 15 minutes after the drain began, even without a deadline', () => {
    const later = step([], { attachedVolumes: 'unknown', now: NOW + 5 * MINUTE });
    expect(later).toMatchObject({ phase: 'terminating', waiting: [] });
    const sooner = step([], { attachedVolumes: 'unknown', now: NOW + 4 * MINUTE });
    expect(sooner.phase).toBe('detaching volumes');
    // Readable attachments are still waited for: only not knowing has a limit.
    expect(step([], { attachedVolumes: ['csi-1'], now: NOW + 60 * MINUTE }).phase).toBe('detaching volumes');
  });

  it('still taints an untainted node while it waits for its volumes', () => {
    const s = step([], { node: node('n1'), attachedVolumes: ['csi-1'] });
    expect(s.phase).toBe('detaching volumes');
    expect(s.actions.map((a) => a.type)).toEqual(['taint']);
  });

  it('deletes the Node and terminates the instance once drained', () => {
    expect(step([on('agent-elsewhere', { nodeName: 'n2' })])).toEqual({
      phase: 'terminating',
      actions: [{ type: 'delete-node' }, { type: 'terminate-instance' }],
      waiting: [],
    });
  });

  it('drops a NotReady node whose instance is gone without draining it', () => {
    const gone = { ...draining, ready: false };
    expect(step([on('web-0')], { node: gone, instanceExists: false })).toEqual({
      phase: 'terminating',
      actions: [{ type: 'delete-node' }],
      waiting: [],
    });
  });
});
