// `explainNode` (shared/core/explain): what plan decides for a node, whether it is a disruption candidate and every
// reason it is not, what each method sees, the budgets left, and what consolidating it would do and save.

import { describe, expect, it } from 'vitest';
import { explainNode, type MethodCheck, type NodeExplanation } from '../../../shared/core/explain/explain-node.js';
import { ANNOTATION_DO_NOT_DISRUPT, LABEL_CAPACITY_TYPE } from '../../../shared/core/labels.js';
import type { Snapshot } from '../../../shared/core/model/snapshot.js';
import { nodePool, pod, taint } from '../../fixtures/builders.js';
import { cluster, HOUR, LARGE, MEDIUM, NOW, poolNode, runningOn, SMALL, T0 } from '../disruption/helpers.js';

function explained(s: Snapshot, name: string): NodeExplanation {
  const e = explainNode(s, name);
  if (!e) throw new Error(`${name} not found`);
  return e;
}

function method(e: NodeExplanation, name: MethodCheck['method']): MethodCheck {
  const m = e.methods.find((x) => x.method === name);
  if (!m) throw new Error(`no ${name} check`);
  return m;
}

const onDemand = [{ key: LABEL_CAPACITY_TYPE, operator: 'In' as const, values: ['on-demand'] }];
const pdb = (app: string, disruptionsAllowed: number) => ({
  namespace: 'default',
  name: app,
  selector: { matchLabels: { app } },
  disruptionsAllowed,
});

describe('explainNode: a candidate and what removing it would do', () => {
  it('a node whose pods fit elsewhere: consolidation deletes it, and plan agrees', () => {
    const nodes = [poolNode('n1', MEDIUM), poolNode('n2', MEDIUM)];
    const pods = [runningOn('n1', { name: 'web-0', cpu: '1' }), runningOn('n2', { name: 'api-0', cpu: '2' })];
    const e = explained(cluster({ nodes, pods }), 'n1');
    expect(e).toMatchObject({
      node: 'n1',
      managed: true,
      nodePool: 'default',
      instanceType: 'medium',
      capacityType: 'on-demand',
      zone: 'test-zone-a',
      hourlyPrice: 0.2,
      initialized: true,
      age: '1h',
      pods: ['default/web-0'],
      podsToMove: ['default/web-0'],
      requests: { cpu: '1', pods: '1' },
      candidate: true,
      reasons: [],
    });
    expect(e.consolidation).toEqual({
      outcome: 'delete',
      hypothetical: false,
      beforePerHour: 0.2,
      afterPerHour: 0,
      savingsPerHour: 0.2,
      reason: '1 pod fits on n2, so the node can go',
    });
    expect(method(e, 'consolidation')).toEqual({
      method: 'consolidation',
      applies: true,
      detail: '1 pod fits on n2, so the node can go',
      reasons: [],
    });
    expect(e.plan.disruptions.map((d) => [d.method, d.kind, d.nodes])).toEqual([['consolidation', 'delete', ['n1']]]);
    expect(e.plan.summary).toBe('consolidation delete, saves $0.2000/h: 1 pod fits on n2, so the node can go');
  });

  it('a lone underused node: replaced by a cheaper type, $/h before and after', () => {
    const nodes = [poolNode('n1', LARGE)];
    const pods = [runningOn('n1', { name: 'web-0', cpu: '1' })];
    const e = explained(cluster({ nodes, pods, nodePools: [nodePool('default', { requirements: onDemand })] }), 'n1');
    expect(e.consolidation).toMatchObject({
      outcome: 'replace',
      hypothetical: false,
      beforePerHour: 0.4,
      afterPerHour: 0.1,
    });
    expect(e.consolidation.savingsPerHour).toBe(0.3);
    expect(e.consolidation.replacement?.instanceType).toBe('small');
  });

  it('neither delete nor replace: the disruption code says why', () => {
    const nodes = [poolNode('n1', SMALL)];
    const pods = [runningOn('n1', { name: 'web-0', cpu: '1500m' })];
    const e = explained(cluster({ nodes, pods, nodePools: [nodePool('default', { requirements: onDemand })] }), 'n1');
    expect(e.consolidation).toEqual({
      outcome: 'none',
      hypothetical: false,
      reason: 'no replacement type is cheaper than $0.1000/h at its worst offering',
    });
    expect(method(e, 'consolidation').applies).toBe(false);
    expect(method(e, 'consolidation').reasons).toEqual([
      'no replacement type is cheaper than $0.1000/h at its worst offering',
    ]);
    expect(e.plan).toEqual({ disruptions: [], summary: 'no disruption of this node now' });
  });

  it('an empty node: emptiness applies, consolidation leaves it to emptiness', () => {
    const e = explained(cluster({ nodes: [poolNode('n1', MEDIUM)] }), 'n1');
    expect(method(e, 'emptiness')).toEqual({
      method: 'emptiness',
      applies: true,
      detail: 'no pods to move',
      reasons: [],
    });
    expect(method(e, 'consolidation').reasons).toEqual([
      'it is empty: emptiness, not consolidation, removes empty nodes',
    ]);
    expect(e.consolidation).toMatchObject({ outcome: 'delete', savingsPerHour: 0.2 });
    expect(e.plan.disruptions.map((d) => d.method)).toEqual(['emptiness']);
  });

  it('a drifted node: what drifted, and drift applies', () => {
    const nodes = [poolNode('n1', MEDIUM)];
    const pool = nodePool('default', { labels: { team: 'web' } });
    const e = explained(cluster({ nodes, nodePools: [pool] }), 'n1');
    expect(method(e, 'drift')).toEqual({
      method: 'drift',
      applies: true,
      detail: 'it lacks nodepool "default"\'s template label team=web',
      reasons: [],
    });
  });

  it('an expired node: expiration applies, outside budgets, and plan removes it', () => {
    const nodes = [poolNode('n1', MEDIUM, { creationTimestamp: NOW - 800 * HOUR })];
    const e = explained(cluster({ nodes }), 'n1');
    expect(method(e, 'expiration')).toMatchObject({ applies: true });
    expect(method(e, 'expiration').detail).toBe('the node is 33d8h old, past nodepool "default"\'s expireAfter of 30d');
    expect(e.reasons.map((r) => r.kind)).toEqual(['being-disrupted']);
    expect(e.plan.disruptions.map((d) => d.method)).toEqual(['expiration']);
    expect(e.consolidation).toEqual({ outcome: 'none', hypothetical: false, reason: 'the node is already leaving' });
  });

  it('a node not yet expired says when it will be', () => {
    const e = explained(cluster({ nodes: [poolNode('n1', MEDIUM)] }), 'n1');
    expect(method(e, 'expiration')).toEqual({
      method: 'expiration',
      applies: false,
      detail: 'expires at 2026-12-01T00:00:00Z (expireAfter 30d, 29d23h from now)',
      reasons: [],
    });
  });
});

describe('explainNode: every reason a node is kept out', () => {
  it('not managed: its nodepool label names no known pool', () => {
    const nodes = [poolNode('n1', MEDIUM, { pool: 'karpenter-old' })];
    const e = explained(cluster({ nodes }), 'n1');
    expect(e.managed).toBe(false);
    expect(e.reasons).toEqual([
      {
        kind: 'not-managed',
        message:
          'not managed by fleetwright (its karpenter.sh/nodepool label names "karpenter-old", which is no known NodePool)',
      },
    ]);
    expect(e.methods).toEqual([]);
    expect(e.plan).toEqual({ disruptions: [], summary: 'no disruption of this node now' });
  });

  it('do-not-disrupt: the node annotation and every protected pod, where the scan names only the first', () => {
    const nodes = [poolNode('n1', MEDIUM, { annotations: { [ANNOTATION_DO_NOT_DISRUPT]: 'true' } })];
    const guarded = { annotations: { [ANNOTATION_DO_NOT_DISRUPT]: 'true' } };
    const pods = [runningOn('n1', { name: 'a-0', ...guarded }), runningOn('n1', { name: 'b-0', ...guarded })];
    const e = explained(cluster({ nodes, pods }), 'n1');
    expect(e.candidate).toBe(false);
    expect(e.reasons).toEqual([
      { kind: 'do-not-disrupt', message: 'node has karpenter.sh/do-not-disrupt' },
      { kind: 'do-not-disrupt', message: 'pod default/a-0 has karpenter.sh/do-not-disrupt' },
      { kind: 'do-not-disrupt', message: 'pod default/b-0 has karpenter.sh/do-not-disrupt' },
    ]);
    expect(e.plan.blocked).toBe('node has karpenter.sh/do-not-disrupt');
    expect(method(e, 'emptiness').reasons[0]).toBe('kept out of disruption (see above)');
  });

  it('PDBs: each pod whose PodDisruptionBudget allows no disruption, and what consolidation would do regardless', () => {
    const nodes = [poolNode('n1', MEDIUM), poolNode('n2', MEDIUM)];
    const pods = [
      runningOn('n1', { name: 'db-0', cpu: '500m', labels: { app: 'db' } }),
      runningOn('n1', { name: 'cache-0', cpu: '500m', labels: { app: 'cache' } }),
      runningOn('n2', { name: 'api-0', cpu: '2' }),
    ];
    const e = explained(cluster({ nodes, pods, pdbs: [pdb('db', 0), pdb('cache', 0)] }), 'n1');
    expect(e.reasons.map((r) => r.message)).toEqual([
      'pod default/cache-0 is covered by PodDisruptionBudget default/cache, which allows no disruption',
      'pod default/db-0 is covered by PodDisruptionBudget default/db, which allows no disruption',
    ]);
    expect(e.reasons.map((r) => r.kind)).toEqual(['pdb', 'pdb']);
    expect(e.consolidation).toMatchObject({ outcome: 'delete', hypothetical: true, savingsPerHour: 0.2 });
  });

  it('protections drift may ignore: the node stays a candidate for drift only', () => {
    const nodes = [poolNode('n1', MEDIUM)];
    const pods = [runningOn('n1', { name: 'db-0', labels: { app: 'db' } })];
    const pool = nodePool('default', { labels: { team: 'web' }, terminationGracePeriodMs: HOUR });
    const e = explained(cluster({ nodes, pods, pdbs: [pdb('db', 0)], nodePools: [pool] }), 'n1');
    expect(e.candidate).toBe(true);
    expect(e.reasons).toEqual([
      {
        kind: 'pdb',
        message:
          'pod default/db-0 is covered by PodDisruptionBudget default/db, which allows no disruption; drift ignores it (the pool sets terminationGracePeriod)',
        waivedForDrift: true,
      },
    ]);
    expect(method(e, 'consolidation').reasons).toContain(
      'pod-level protection: pod default/db-0 is covered by PodDisruptionBudget default/db, which allows no disruption',
    );
  });

  it('budgets: a pool whose budget is zero for a reason blocks it, as plan lists it', () => {
    const nodes = [poolNode('n1', MEDIUM)];
    const pool = nodePool('default', { budgets: [{ nodes: '0', reasons: ['Empty'] }] });
    const e = explained(cluster({ nodes, nodePools: [pool] }), 'n1');
    const exhausted =
      'nodepool "default" has no Empty disruption budget left right now (its budgets allow 0 nodes, 0 already being disrupted)';
    expect(e.budgets).toEqual([
      { reason: 'Empty', left: 0, exhausted },
      { reason: 'Drifted', left: 'unlimited' },
      { reason: 'Underutilized', left: 'unlimited' },
    ]);
    expect(method(e, 'emptiness')).toMatchObject({ applies: false, reasons: [exhausted] });
    expect(e.plan).toEqual({ disruptions: [], blocked: exhausted, summary: `blocked: ${exhausted}` });
  });

  it('consolidateAfter: not passed since the last change, with the time left', () => {
    const nodes = [poolNode('n1', MEDIUM), poolNode('n2', MEDIUM)];
    const pods = [runningOn('n1', { name: 'web-0', cpu: '1' }), runningOn('n2', { name: 'api-0', cpu: '2' })];
    const pool = nodePool('default', { consolidateAfterMs: 3 * HOUR });
    const e = explained(cluster({ nodes, pods, nodePools: [pool] }), 'n1');
    expect(method(e, 'consolidation').reasons).toEqual([
      'consolidateAfter 3h has not passed since its last change at 2026-11-01T00:00:00Z (2h left)',
    ]);
    expect(e.consolidation.hypothetical).toBe(true);
  });

  it('consolidationPolicy WhenEmpty: consolidation does not apply to a busy node', () => {
    const nodes = [poolNode('n1', MEDIUM), poolNode('n2', MEDIUM)];
    const pods = [runningOn('n1', { cpu: '1' }), runningOn('n2', { cpu: '2' })];
    const pool = nodePool('default', { consolidationPolicy: 'WhenEmpty' });
    const e = explained(cluster({ nodes, pods, nodePools: [pool] }), 'n1');
    expect(method(e, 'consolidation').reasons).toEqual(['nodepool "default" has consolidationPolicy WhenEmpty']);
    expect(e.plan.disruptions).toEqual([]);
  });

  it('not initialized: not Ready, or still carrying a startup taint', () => {
    const startup = taint('example.com/booting');
    const nodes = [poolNode('n1', MEDIUM, { ready: false, taints: [startup] })];
    const pool = nodePool('default', { startupTaints: [startup] });
    const e = explained(cluster({ nodes, nodePools: [pool] }), 'n1');
    expect(e.initialized).toBe(false);
    expect(e.reasons).toEqual([
      { kind: 'not-initialized', message: 'it is not Ready' },
      { kind: 'not-initialized', message: 'it still has startup taint example.com/booting:NoSchedule' },
    ]);
  });

  it('being disrupted already: the disrupted taint', () => {
    const nodes = [
      poolNode('n1', MEDIUM, { taints: [taint('fleetwright.io/disrupted', 'NoSchedule', 'Underutilized')] }),
    ];
    const e = explained(cluster({ nodes }), 'n1');
    expect(e.reasons).toEqual([
      { kind: 'being-disrupted', message: 'it has the fleetwright.io/disrupted taint: a disruption is under way' },
    ]);
  });

  it('an instance type the catalogue does not know: capacity only, no price', () => {
    const nodes = [
      poolNode('n1', MEDIUM, { type: 'x9.mystery', labels: { 'node.kubernetes.io/instance-type': 'x9.mystery' } }),
    ];
    const e = explained(cluster({ nodes }), 'n1');
    expect(e.hourlyPrice).toBeUndefined();
    expect(e.reasons).toEqual([
      { kind: 'unknown-type', message: 'instance type "x9.mystery" is not in the catalogue: capacity only' },
    ]);
    expect(e.plan.blocked).toBe('instance type "x9.mystery" is not in the catalogue: capacity only');
  });

  it('receiving pods: a node the plan places pending pods on is no candidate', () => {
    const nodes = [poolNode('n1', MEDIUM)];
    const pods = [runningOn('n1', { cpu: '1' }), pod({ name: 'web-0', cpu: '1', creationTimestamp: T0 })];
    const e = explained(cluster({ nodes, pods }), 'n1');
    expect(e.reasons).toEqual([
      { kind: 'receives-pods', message: 'it receives pending pods in this plan (default/web-0)' },
    ]);
    expect(e.candidate).toBe(false);
  });

  it('returns undefined for a node the snapshot does not have', () => {
    expect(explainNode(cluster({ nodes: [poolNode('n1', MEDIUM)] }), 'n2')).toBeUndefined();
  });
});
