// Which nodes disruption may touch, and the reason reported for each one it may not (DESIGN.md §5 "Disruptions").

import { describe, expect, it } from 'vitest';
import { ANNOTATION_DO_NOT_DISRUPT, TAINT_DISRUPTED } from '../../../shared/core/labels.js';
import { daemonSet, nodePool, pod, taint } from '../../fixtures/builders.js';
import {
  blockedReason,
  cluster,
  HOUR,
  MEDIUM,
  MINUTE,
  NOW,
  onlyDisruption,
  planChecked,
  poolNode,
  runningOn,
  SMALL,
} from './helpers.js';

/** One empty-but-for-one-pod node: emptiness or consolidation would take it unless something protects it. */
function lonePod(overrides: Parameters<typeof runningOn>[1] = {}) {
  const nodes = [poolNode('n1', MEDIUM), poolNode('n2', MEDIUM)];
  const pods = [runningOn('n1', { name: 'db-0', cpu: '500m', labels: { app: 'db' }, ...overrides })];
  return { nodes, pods };
}

describe('disruption candidates: protections', () => {
  it('lists a node with a do-not-disrupt pod as blocked, naming the pod', () => {
    const result = planChecked(cluster(lonePod({ annotations: { [ANNOTATION_DO_NOT_DISRUPT]: 'true' } })));
    expect(blockedReason(result, 'n1')).toBe('pod default/db-0 has karpenter.sh/do-not-disrupt');
    expect(result.disruptions.flatMap((d) => d.nodes)).not.toContain('n1');
  });

  it('protects while a do-not-disrupt duration counted from the pod start runs, and not after', () => {
    const during = planChecked(cluster(lonePod({ annotations: { [ANNOTATION_DO_NOT_DISRUPT]: '90m' } })));
    expect(blockedReason(during, 'n1')).toBe(
      'pod default/db-0 has karpenter.sh/do-not-disrupt=90m until 2026-11-01T01:30:00Z',
    );
    const after = planChecked(cluster(lonePod({ annotations: { [ANNOTATION_DO_NOT_DISRUPT]: '30m' } })));
    expect(blockedReason(after, 'n1')).toBeUndefined();
  });

  it('ignores a do-not-disrupt value that is neither "true" nor a duration', () => {
    const result = planChecked(cluster(lonePod({ annotations: { [ANNOTATION_DO_NOT_DISRUPT]: 'please' } })));
    expect(blockedReason(result, 'n1')).toBeUndefined();
  });

  it('lets a DaemonSet pod with do-not-disrupt protect its node, but not a finished pod', () => {
    const ds = daemonSet('agent');
    const base = lonePod();
    const dsPod = runningOn('n1', {
      name: 'agent-n1',
      ownerReferences: [{ kind: 'DaemonSet', name: 'agent', uid: 'ds-agent' }],
      annotations: { [ANNOTATION_DO_NOT_DISRUPT]: 'true' },
    });
    const done = runningOn('n2', {
      name: 'job-0',
      phase: 'Succeeded',
      annotations: { [ANNOTATION_DO_NOT_DISRUPT]: 'true' },
    });
    const result = planChecked(cluster({ ...base, pods: [...base.pods, dsPod, done], daemonSets: [ds] }));
    expect(blockedReason(result, 'n1')).toBe('pod default/agent-n1 has karpenter.sh/do-not-disrupt');
    expect(blockedReason(result, 'n2')).toBeUndefined();
  });

  it('blocks a node whose own annotation says do-not-disrupt', () => {
    const nodes = [poolNode('n1', MEDIUM, { annotations: { [ANNOTATION_DO_NOT_DISRUPT]: 'true' } })];
    const result = planChecked(cluster({ nodes }));
    expect(result.blocked).toEqual([{ node: 'n1', reason: 'node has karpenter.sh/do-not-disrupt' }]);
    expect(result.disruptions).toEqual([]);
  });

  it('blocks a node with a pod whose PDB allows no disruption', () => {
    const pdb = { namespace: 'default', name: 'db', selector: { matchLabels: { app: 'db' } }, disruptionsAllowed: 0 };
    const result = planChecked(cluster({ ...lonePod(), pdbs: [pdb] }));
    expect(blockedReason(result, 'n1')).toBe(
      'pod default/db-0 is covered by PodDisruptionBudget default/db, which allows no disruption',
    );
  });

  it('computes a PDB allowance from its spec and the running pods when it has no status', () => {
    const base = lonePod();
    const scene = { ...base, pods: [...base.pods, runningOn('n2', { name: 'web-0', cpu: '3' })] };
    const strict = { namespace: 'default', name: 'db', selector: { matchLabels: { app: 'db' } }, minAvailable: '1' };
    expect(blockedReason(planChecked(cluster({ ...scene, pdbs: [strict] })), 'n1')).toMatch(/allows no disruption/);
    const loose = { ...strict, minAvailable: undefined, maxUnavailable: '50%' };
    const result = planChecked(cluster({ ...scene, pdbs: [loose] }));
    expect(blockedReason(result, 'n1')).toBeUndefined();
    expect(onlyDisruption(result).nodes).toContain('n1');
  });

  it('blocks a node with a pod covered by several PDBs', () => {
    const a = { namespace: 'default', name: 'a', selector: { matchLabels: { app: 'db' } }, disruptionsAllowed: 1 };
    const b = { ...a, name: 'b' };
    const result = planChecked(cluster({ ...lonePod(), pdbs: [a, b] }));
    expect(blockedReason(result, 'n1')).toBe(
      'pod default/db-0 is covered by several PodDisruptionBudgets (default/a, default/b)',
    );
  });

  it('does not let a PDB over a mirror pod block its node', () => {
    const mirror = runningOn('n1', {
      name: 'static-web',
      labels: { app: 'static' },
      ownerReferences: [{ kind: 'Node', name: 'n1', uid: 'node-n1' }],
    });
    const pdb = {
      namespace: 'default',
      name: 'static',
      selector: { matchLabels: { app: 'static' } },
      disruptionsAllowed: 0,
    };
    const result = planChecked(cluster({ nodes: [poolNode('n1', MEDIUM)], pods: [mirror], pdbs: [pdb] }));
    expect(result.blocked).toEqual([]);
    expect(onlyDisruption(result)).toMatchObject({ method: 'emptiness', nodes: ['n1'] });
  });
});

describe('disruption candidates: what is not listed', () => {
  it('does not list a node that is merely young (inside consolidateAfter)', () => {
    const pool = nodePool('default', { consolidateAfterMs: 2 * HOUR });
    const result = planChecked(cluster({ ...lonePod(), nodePools: [pool] }));
    expect(result.blocked).toEqual([]);
    expect(result.disruptions).toEqual([]);
  });

  it('does not list a node that is merely busy (its pods fit nowhere cheaper)', () => {
    const onDemand = nodePool('default', {
      requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }],
    });
    const nodes = [poolNode('n1', SMALL)];
    const pods = [runningOn('n1', { name: 'web-0', cpu: '1500m' })];
    const result = planChecked(cluster({ nodes, pods, nodePools: [onDemand] }));
    expect(result.blocked).toEqual([]);
    expect(result.disruptions).toEqual([]);
  });

  it('does not consider unmanaged, uninitialized or already disrupted nodes, and does not list them', () => {
    const nodes = [
      poolNode('unmanaged', MEDIUM, { pool: 'other' }),
      poolNode('booting', MEDIUM, { ready: false }),
      poolNode('leaving', MEDIUM, { taints: [taint(TAINT_DISRUPTED, 'NoSchedule', 'drift')] }),
      poolNode('deleting', MEDIUM, { deletionTimestamp: NOW - MINUTE }),
    ];
    const result = planChecked(cluster({ nodes }));
    expect(result.disruptions).toEqual([]);
    expect(result.blocked).toEqual([]);
  });

  it('lists a node of a type the catalogue does not know as capacity only', () => {
    const nodes = [poolNode('odd', MEDIUM, { labels: { 'node.kubernetes.io/instance-type': 'mystery.large' } })];
    const result = planChecked(cluster({ nodes }));
    expect(result.blocked).toEqual([
      { node: 'odd', reason: 'instance type "mystery.large" is not in the catalogue: capacity only' },
    ]);
    expect(result.disruptions).toEqual([]);
  });

  it('does not consider a node that receives pending pods in this plan', () => {
    const result = planChecked(cluster({ nodes: [poolNode('n1', MEDIUM)], pods: [pod({ name: 'web-0', cpu: '1' })] }));
    expect(result.existingNodes).toEqual([{ name: 'n1', pods: ['default/web-0'] }]);
    expect(result.disruptions).toEqual([]);
    expect(result.blocked).toEqual([]);
  });
});
