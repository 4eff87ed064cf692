// Re-validation: a decision is re-checked against the cluster 15 s later; the core says whether it still holds.

import { describe, expect, it } from 'vitest';
import { REVALIDATION_DELAY_MS, revalidate } from '../../../shared/core/disruption/revalidate.js';
import {
  ANNOTATION_DO_NOT_DISRUPT,
  ANNOTATION_NODEPOOL_HASH,
  LABEL_CAPACITY_TYPE,
  TAINT_DISRUPTED,
} from '../../../shared/core/labels.js';
import type { Pod } from '../../../shared/core/model/pod.js';
import type { Snapshot } from '../../../shared/core/model/snapshot.js';
import { nodePool, taint } from '../../fixtures/builders.js';
import { cluster, LARGE, MEDIUM, onlyDisruption, planChecked, poolNode, runningOn } from './helpers.js';

const odPool = (overrides: Parameters<typeof nodePool>[1] = {}) =>
  nodePool('default', {
    requirements: [{ key: LABEL_CAPACITY_TYPE, operator: 'In', values: ['on-demand'] }],
    budgets: [{ nodes: '100%' }],
    ...overrides,
  });

/** The same cluster 15 s later, with some pods added. */
function later(s: Snapshot, ...pods: Pod[]): Snapshot {
  return { ...s, now: s.now + REVALIDATION_DELAY_MS, pods: [...s.pods, ...pods] };
}

const deleteScene = (pool = odPool()) =>
  cluster({
    nodes: [poolNode('n1', MEDIUM), poolNode('n2', MEDIUM)],
    pods: [runningOn('n1', { name: 'web-0', cpu: '1' }), runningOn('n2', { name: 'api-0', cpu: '2' })],
    nodePools: [pool],
  });

describe('revalidate', () => {
  it('waits 15 s, as Karpenter does', () => {
    expect(REVALIDATION_DELAY_MS).toBe(15_000);
  });

  it('confirms a consolidation that still holds', () => {
    const s = deleteScene();
    const d = onlyDisruption(planChecked(s));
    expect(revalidate(d, later(s))).toEqual({ valid: true, disruption: d });
  });

  it('abandons a delete once a new pod took the room its pods needed', () => {
    const s = deleteScene();
    const d = onlyDisruption(planChecked(s));
    const crowd = runningOn('n2', { name: 'crowd', cpu: '1500m' });
    expect(revalidate(d, later(s, crowd))).toEqual({ valid: false, reason: 'the pods now need 1 new node(s)' });
  });

  it('abandons a decision once a do-not-disrupt pod landed on the node', () => {
    const s = deleteScene();
    const d = onlyDisruption(planChecked(s));
    const guard = runningOn('n1', { name: 'guard', annotations: { [ANNOTATION_DO_NOT_DISRUPT]: 'true' } });
    expect(revalidate(d, later(s, guard))).toEqual({
      valid: false,
      reason: 'node n1 is no longer a candidate: pod default/guard has karpenter.sh/do-not-disrupt',
    });
  });

  it('abandons a decision once the budget is used by a node another actor started disrupting', () => {
    const s = deleteScene(odPool({ budgets: [{ nodes: '1' }] }));
    const d = onlyDisruption(planChecked(s));
    const leaving = poolNode('n3', MEDIUM, { taints: [taint(TAINT_DISRUPTED)] });
    const after = { ...later(s), nodes: [...s.nodes, leaving], managedNodes: new Set([...s.managedNodes, 'n3']) };
    expect(revalidate(d, after)).toEqual({ valid: false, reason: 'the Underutilized budget no longer allows it' });
  });

  it('abandons a replace whose replacement types are no longer all possible', () => {
    const s = cluster({ nodes: [poolNode('n1', LARGE)], pods: [runningOn('n1', { name: 'web-0', cpu: '1500m' })] });
    const d = onlyDisruption(planChecked(s));
    expect(d.replacements[0]?.instanceTypeOptions).toEqual(['small', 'medium', 'large']);
    const bigger = runningOn('n1', { name: 'web-1', cpu: '1' });
    expect(revalidate(d, later(s, bigger))).toEqual({
      valid: false,
      reason: 'instance type small no longer fits the replacement',
    });
  });

  it('keeps the nodes of an emptiness command that are still empty', () => {
    const s = cluster({ nodes: [poolNode('a', MEDIUM), poolNode('b', MEDIUM)], nodePools: [odPool()] });
    const d = onlyDisruption(planChecked(s));
    expect(d.nodes).toEqual(['a', 'b']);
    const result = revalidate(d, later(s, runningOn('a', { name: 'arrived' })));
    expect(result).toMatchObject({
      valid: true,
      disruption: { method: 'emptiness', nodes: ['b'], savingsPerHour: 0.2 },
    });
  });

  it('re-plans the replacements of a drift', () => {
    const pool = odPool({ templateHash: 'new', consolidateAfterMs: null });
    const node = poolNode('n1', MEDIUM, { annotations: { [ANNOTATION_NODEPOOL_HASH]: 'old' } });
    const s = cluster({ nodes: [node], pods: [runningOn('n1', { name: 'w-0', cpu: '1' })], nodePools: [pool] });
    const d = onlyDisruption(planChecked(s));
    expect(d.replacements.map((r) => r.instanceType)).toEqual(['small']);
    const result = revalidate(d, later(s, runningOn('n1', { name: 'w-1', cpu: '1500m' })));
    expect(result).toMatchObject({ valid: true, disruption: { method: 'drift', nodes: ['n1'] } });
    expect(result.valid && result.disruption.replacements.map((r) => r.instanceType)).toEqual(['medium']);
  });

  it('keeps an expiration while its node exists', () => {
    const s = cluster({ nodes: [poolNode('n1', MEDIUM)], nodePools: [odPool({ expireAfterMs: 1000 })] });
    const d = onlyDisruption(planChecked(s));
    expect(revalidate(d, later(s))).toEqual({ valid: true, disruption: d });
    expect(revalidate(d, { ...later(s), nodes: [] })).toEqual({ valid: false, reason: 'node n1 is gone' });
  });
});
