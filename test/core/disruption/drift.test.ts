// Drift (DESIGN.md §5 "Drift"): labels vs the pool's requirements and template labels, the pool and node-class
// hashes; empty drifted nodes together, else one at a time in drift order; replacements without a price check.

import { describe, expect, it } from 'vitest';
import {
  ANNOTATION_DO_NOT_DISRUPT,
  ANNOTATION_DRIFTED_SINCE,
  ANNOTATION_IMAGE_ID,
  ANNOTATION_NODECLASS_HASH,
  ANNOTATION_NODEPOOL_HASH,
  LABEL_CAPACITY_TYPE,
  LABEL_INSTANCE_TYPE,
} from '../../../shared/core/labels.js';
import { nodePool } from '../../fixtures/builders.js';
import { nodeClass } from '../../fixtures/instance-types.js';
import {
  blockedReason,
  cluster,
  HOUR,
  LARGE,
  MEDIUM,
  onlyDisruption,
  planChecked,
  poolNode,
  runningOn,
  T0,
} from './helpers.js';

/** Consolidation kept out of the way, so each scenario shows drift alone. */
const pool = (overrides: Parameters<typeof nodePool>[1] = {}) =>
  nodePool('default', { consolidateAfterMs: null, budgets: [{ nodes: '100%' }], ...overrides });
const spotOnly = [{ key: LABEL_CAPACITY_TYPE, operator: 'In' as const, values: ['spot'] }];

describe('drift detection', () => {
  it('replaces a node whose capacity type the pool no longer allows', () => {
    const pods = [runningOn('n1', { name: 'web-0', cpu: '1' })];
    const d = onlyDisruption(
      planChecked(cluster({ nodes: [poolNode('n1', MEDIUM)], pods, nodePools: [pool({ requirements: spotOnly })] })),
    );
    expect(d).toMatchObject({ method: 'drift', kind: 'replace', nodes: ['n1'] });
    expect(d.replacements).toHaveLength(1);
    expect(d.replacements[0]).toMatchObject({ capacityType: 'spot', instanceType: 'small', pods: ['default/web-0'] });
    expect(d.reason).toBe(
      'its labels no longer satisfy nodepool "default" (karpenter.sh/capacity-type In [spot] conflicts with ' +
        'karpenter.sh/capacity-type In [on-demand]); its 1 pod goes to 1 new node',
    );
  });

  it('replaces a node whose AMI the node class no longer selects (a new release behind an alias)', () => {
    const pods = [runningOn('n1', { cpu: '1' })];
    const old = poolNode('n1', MEDIUM, { annotations: { [ANNOTATION_IMAGE_ID]: 'ami-0old' } });
    const snap = cluster({ nodes: [old], pods, nodePools: [pool()] });
    const drifted = onlyDisruption(planChecked({ ...snap, images: new Map([['default', ['ami-0new']]]) }));
    expect(drifted).toMatchObject({ method: 'drift', kind: 'replace', nodes: ['n1'] });
    expect(drifted.reason).toMatch(/^its AMI ami-0old is no longer selected by node class "default" \(now ami-0new\)/);
    // Still selected, or images unknown (offline): no drift.
    expect(planChecked({ ...snap, images: new Map([['default', ['ami-0new', 'ami-0old']]]) }).disruptions).toEqual([]);
    expect(planChecked(snap).disruptions).toEqual([]);
  });

  it('notices a changed pool template hash and a changed node class hash', () => {
    const pods = [runningOn('n1', { cpu: '1' })];
    const byPool = poolNode('n1', MEDIUM, { annotations: { [ANNOTATION_NODEPOOL_HASH]: 'v1' } });
    const d = onlyDisruption(
      planChecked(cluster({ nodes: [byPool], pods, nodePools: [pool({ templateHash: 'v2' })] })),
    );
    expect(d.reason).toMatch(
      /^nodepool "default"'s template changed since launch \(fleetwright.io\/nodepool-hash v1, now v2\)/,
    );
    const byClass = poolNode('n1', MEDIUM, { annotations: { [ANNOTATION_NODECLASS_HASH]: 'c1' } });
    const classes = [nodeClass({ specHash: 'c2' })];
    const e = onlyDisruption(
      planChecked(cluster({ nodes: [byClass], pods, nodePools: [pool()], nodeClasses: classes })),
    );
    expect(e.reason).toMatch(/^node class "default" changed since launch/);
  });

  it('notices a template label the node lacks', () => {
    const pods = [runningOn('n1', { cpu: '1' })];
    const d = onlyDisruption(
      planChecked(cluster({ nodes: [poolNode('n1', MEDIUM)], pods, nodePools: [pool({ labels: { team: 'web' } })] })),
    );
    expect(d.reason).toMatch(/^it lacks nodepool "default"'s template label team=web/);
    expect(d.replacements[0]?.labels.team).toBe('web');
  });

  it('judges a node without hash annotations by its labels only', () => {
    const pods = [runningOn('n1', { cpu: '1' })];
    const result = planChecked(
      cluster({ nodes: [poolNode('n1', MEDIUM)], pods, nodePools: [pool({ templateHash: 'changed' })] }),
    );
    expect(result.disruptions).toEqual([]);
  });
});

describe('drift commands', () => {
  const drifted = (name: string, overrides: Parameters<typeof poolNode>[2] = {}) =>
    poolNode(name, MEDIUM, {
      ...overrides,
      annotations: { [ANNOTATION_NODEPOOL_HASH]: 'old', ...overrides.annotations },
    });

  it('deletes all empty drifted nodes the budget allows in one command', () => {
    const nodes = [drifted('a'), drifted('b'), drifted('c')];
    const d = onlyDisruption(planChecked(cluster({ nodes, nodePools: [pool({ budgets: [{ nodes: '2' }] })] })));
    expect(d).toMatchObject({ method: 'drift', kind: 'delete', nodes: ['a', 'b'], replacements: [] });
    expect(d.reason).toMatch(/^2 empty drifted nodes: nodepool "default"'s template changed/);
  });

  it('takes an empty drifted node and never a non-empty one with it', () => {
    const nodes = [drifted('busy'), drifted('idle')];
    const d = onlyDisruption(
      planChecked(cluster({ nodes, pods: [runningOn('busy', { cpu: '1' })], nodePools: [pool()] })),
    );
    expect(d.nodes).toEqual(['idle']);
  });

  it('takes non-empty drifted nodes one at a time: drifted longest first, then oldest, then by name', () => {
    const since = (iso: string) => ({ annotations: { [ANNOTATION_DRIFTED_SINCE]: iso } });
    const pods = ['a', 'b', 'c', 'd'].map((n) => runningOn(n, { name: `w-${n}`, cpu: '1' }));
    const first = (nodes: ReturnType<typeof drifted>[]) =>
      onlyDisruption(
        planChecked(
          cluster({ nodes, pods: pods.filter((p) => nodes.some((n) => n.name === p.nodeName)), nodePools: [pool()] }),
        ),
      ).nodes;
    expect(first([drifted('a', since('2026-10-30T00:00:00Z')), drifted('b', since('2026-10-29T00:00:00Z'))])).toEqual([
      'b',
    ]);
    expect(first([drifted('c'), drifted('d', { creationTimestamp: T0 - HOUR })])).toEqual(['d']);
    expect(first([drifted('d'), drifted('c')])).toEqual(['c']);
  });

  it('replaces with as many nodes as the pods need', () => {
    const smallSpot = [{ key: LABEL_INSTANCE_TYPE, operator: 'In' as const, values: ['small'] }, ...spotOnly];
    const pods = Array.from({ length: 5 }, (_, i) => runningOn('big', { name: `w-${i}`, cpu: '1500m' }));
    const result = planChecked(
      cluster({ nodes: [poolNode('big', LARGE)], pods, nodePools: [pool({ requirements: smallSpot })] }),
    );
    const d = onlyDisruption(result);
    expect(d.kind).toBe('replace');
    expect(d.replacements.map((r) => r.instanceType)).toEqual(['small', 'small', 'small', 'small', 'small']);
    expect(d.savingsPerHour).toBe(0.05);
  });

  it('replaces even when the replacements cost more: drift has no price check', () => {
    const smallOnDemand = [
      { key: LABEL_INSTANCE_TYPE, operator: 'In' as const, values: ['small'] },
      { key: LABEL_CAPACITY_TYPE, operator: 'In' as const, values: ['on-demand'] },
    ];
    const pods = Array.from({ length: 3 }, (_, i) => runningOn('n1', { name: `w-${i}`, cpu: '1200m' }));
    const result = planChecked(
      cluster({ nodes: [poolNode('n1', MEDIUM)], pods, nodePools: [pool({ requirements: smallOnDemand })] }),
    );
    const d = onlyDisruption(result);
    // Three on-demand smalls ($0.30) for one medium ($0.20).
    expect(d.replacements).toHaveLength(3);
    expect(d.savingsPerHour).toBe(-0.1);
    expect(result.hourlyCost).toEqual({ before: 0.2, after: 0.3 });
  });

  it('skips a drifted node whose pods would have nowhere to go and takes the next', () => {
    const stuck = drifted('a', {
      annotations: { [ANNOTATION_DRIFTED_SINCE]: '2026-10-01T00:00:00Z' },
      labels: { disk: 'ssd' },
    });
    const pods = [
      runningOn('a', { name: 'needs-ssd', nodeSelector: { disk: 'ssd' } }),
      runningOn('b', { name: 'plain' }),
    ];
    const d = onlyDisruption(planChecked(cluster({ nodes: [stuck, drifted('b')], pods, nodePools: [pool()] })));
    expect(d.nodes).toEqual(['b']);
  });

  it('ignores do-not-disrupt pods and PDBs when the pool sets terminationGracePeriod, without listing the node', () => {
    const guard = { annotations: { [ANNOTATION_DO_NOT_DISRUPT]: 'true' }, labels: { app: 'db' } };
    const pods = [runningOn('n1', { name: 'db-0', ...guard })];
    const pdb = { namespace: 'default', name: 'db', selector: { matchLabels: { app: 'db' } }, disruptionsAllowed: 0 };
    const withTgp = pool({ terminationGracePeriodMs: HOUR });
    const result = planChecked(cluster({ nodes: [drifted('n1')], pods, pdbs: [pdb], nodePools: [withTgp] }));
    expect(onlyDisruption(result)).toMatchObject({ method: 'drift', nodes: ['n1'] });
    expect(result.blocked).toEqual([]);
    const without = planChecked(cluster({ nodes: [drifted('n1')], pods, pdbs: [pdb], nodePools: [pool()] }));
    expect(without.disruptions).toEqual([]);
    expect(blockedReason(without, 'n1')).toBe('pod default/db-0 has karpenter.sh/do-not-disrupt');
  });

  it('lists a drifted node whose pool has no disruption budget left', () => {
    const pods = [runningOn('n1', { cpu: '1' })];
    const result = planChecked(
      cluster({ nodes: [drifted('n1')], pods, nodePools: [pool({ budgets: [{ nodes: '0' }] })] }),
    );
    expect(result.disruptions).toEqual([]);
    expect(blockedReason(result, 'n1')).toMatch(/^nodepool "default" has no Drifted disruption budget left right now/);
  });

  it('runs before consolidation', () => {
    const both = nodePool('default', { budgets: [{ nodes: '100%' }], templateHash: 'new' });
    const nodes = [drifted('old'), poolNode('wasteful', LARGE)];
    const pods = [runningOn('old', { cpu: '1' }), runningOn('wasteful', { cpu: '1' })];
    expect(onlyDisruption(planChecked(cluster({ nodes, pods, nodePools: [both] }))).method).toBe('drift');
  });
});
