// Emptiness, and the budgets and windows that hold every voluntary method back (DESIGN.md §5; karpenter-core §3.4).

import { describe, expect, it } from 'vitest';
import { TAINT_DISRUPTED } from '../../../shared/core/labels.js';
import { daemonSet, nodePool, taint } from '../../fixtures/builders.js';
import {
  blockedReason,
  cluster,
  HOUR,
  LARGE,
  MEDIUM,
  MINUTE,
  NOW,
  onlyDisruption,
  planChecked,
  poolNode,
  runningOn,
  SMALL,
  T0,
} from './helpers.js';

const agent = daemonSet('agent', { cpu: '100m' });
const agentOn = (nodeName: string) =>
  runningOn(nodeName, {
    name: `agent-${nodeName}`,
    cpu: '100m',
    ownerReferences: [{ kind: 'DaemonSet', name: 'agent', uid: 'ds-agent' }],
  });

describe('emptiness', () => {
  it('deletes a node that has only DaemonSet and mirror pods once consolidateAfter has passed', () => {
    const mirror = runningOn('n1', { name: 'static', ownerReferences: [{ kind: 'Node', name: 'n1', uid: 'n1' }] });
    const pool = nodePool('default', { consolidateAfterMs: 30 * MINUTE });
    const result = planChecked(
      cluster({
        nodes: [poolNode('n1', MEDIUM)],
        pods: [agentOn('n1'), mirror],
        daemonSets: [agent],
        nodePools: [pool],
      }),
    );
    expect(onlyDisruption(result)).toEqual({
      method: 'emptiness',
      kind: 'delete',
      nodes: ['n1'],
      replacements: [],
      savingsPerHour: 0.2,
      reason: 'the node has no pods to move (DaemonSet and mirror pods aside) for longer than consolidateAfter 30m',
    });
    expect(result.hourlyCost).toEqual({ before: 0.2, after: 0 });
  });

  it('counts consolidateAfter from node creation when no pod is newer, and DaemonSet pods do not reset it', () => {
    const pool = nodePool('default', { consolidateAfterMs: 2 * HOUR });
    const young = planChecked(
      cluster({ nodes: [poolNode('n1', MEDIUM)], pods: [agentOn('n1')], daemonSets: [agent], nodePools: [pool] }),
    );
    expect(young.disruptions).toEqual([]);
    const lateAgent = { ...agentOn('n1'), startTime: NOW - MINUTE };
    const older = poolNode('n1', MEDIUM, { creationTimestamp: T0 - 2 * HOUR });
    const result = planChecked(cluster({ nodes: [older], pods: [lateAgent], daemonSets: [agent], nodePools: [pool] }));
    expect(onlyDisruption(result).method).toBe('emptiness');
  });

  it('applies under WhenEmpty as well', () => {
    const pool = nodePool('default', { consolidationPolicy: 'WhenEmpty' });
    expect(onlyDisruption(planChecked(cluster({ nodes: [poolNode('n1', MEDIUM)], nodePools: [pool] }))).method).toBe(
      'emptiness',
    );
  });

  it('never applies under consolidateAfter Never', () => {
    const pool = nodePool('default', { consolidateAfterMs: null });
    const result = planChecked(cluster({ nodes: [poolNode('n1', MEDIUM)], nodePools: [pool] }));
    expect(result.disruptions).toEqual([]);
    expect(result.blocked).toEqual([]);
  });

  it('takes every empty node the budget allows in one command, the priciest first', () => {
    const pool = nodePool('default', { budgets: [{ nodes: '2' }] });
    const nodes = [poolNode('a', SMALL), poolNode('b', LARGE), poolNode('c', MEDIUM)];
    const d = onlyDisruption(planChecked(cluster({ nodes, nodePools: [pool] })));
    expect(d.nodes).toEqual(['b', 'c']);
    expect(d.savingsPerHour).toBe(0.6);
    expect(d.reason).toMatch(/^2 nodes have no pods to move/);
  });

  it('runs before drift and consolidation', () => {
    const pool = nodePool('default', { budgets: [{ nodes: '100%' }], templateHash: 'new' });
    const drifted = poolNode('drifted', MEDIUM, { annotations: { 'fleetwright.io/nodepool-hash': 'old' } });
    const pods = [runningOn('drifted', { cpu: '1' })];
    const d = onlyDisruption(
      planChecked(cluster({ nodes: [drifted, poolNode('empty', MEDIUM)], pods, nodePools: [pool] })),
    );
    expect(d).toMatchObject({ method: 'emptiness', nodes: ['empty'] });
  });
});

describe('disruption budgets', () => {
  it('rounds a percentage up: 10% of 3 nodes allows one', () => {
    const nodes = [poolNode('a', MEDIUM), poolNode('b', MEDIUM), poolNode('c', MEDIUM)];
    expect(onlyDisruption(planChecked(cluster({ nodes }))).nodes).toHaveLength(1);
  });

  it('counts nodes already being disrupted against the budget and lists the blocked node', () => {
    const leaving = poolNode('leaving', MEDIUM, { taints: [taint(TAINT_DISRUPTED, 'NoSchedule', 'drift')] });
    const pool = nodePool('default', { budgets: [{ nodes: '1' }] });
    const result = planChecked(cluster({ nodes: [leaving, poolNode('empty', MEDIUM)], nodePools: [pool] }));
    expect(result.disruptions).toEqual([]);
    expect(result.blocked).toEqual([
      {
        node: 'empty',
        reason:
          'nodepool "default" has no Empty disruption budget left right now (its budgets allow 1 node, 1 already being disrupted)',
      },
    ]);
  });

  it('applies a budget only to the reasons it names', () => {
    const pool = nodePool('default', { budgets: [{ nodes: '0', reasons: ['Underutilized', 'Drifted'] }] });
    expect(onlyDisruption(planChecked(cluster({ nodes: [poolNode('n1', MEDIUM)], nodePools: [pool] }))).method).toBe(
      'emptiness',
    );
  });

  it('applies a scheduled budget only inside its window (cron in UTC)', () => {
    // 01:00 UTC is `now`: a zero budget from midnight for 2h holds; one from 02:00 does not.
    const inside = nodePool('default', { budgets: [{ nodes: '0', schedule: '0 0 * * *', durationMs: 2 * HOUR }] });
    const result = planChecked(cluster({ nodes: [poolNode('n1', MEDIUM)], nodePools: [inside] }));
    expect(result.disruptions).toEqual([]);
    expect(blockedReason(result, 'n1')).toMatch(
      /no Empty disruption budget left right now \(its budgets allow 0 nodes/,
    );
    const outside = nodePool('default', { budgets: [{ nodes: '0', schedule: '0 2 * * *', durationMs: 2 * HOUR }] });
    expect(
      onlyDisruption(planChecked(cluster({ nodes: [poolNode('n1', MEDIUM)], nodePools: [outside] }))).nodes,
    ).toEqual(['n1']);
  });

  it('takes the smallest of several active budgets', () => {
    const pool = nodePool('default', { budgets: [{ nodes: '100%' }, { nodes: '2' }] });
    const nodes = ['a', 'b', 'c', 'd'].map((n) => poolNode(n, MEDIUM));
    expect(onlyDisruption(planChecked(cluster({ nodes, nodePools: [pool] }))).nodes).toHaveLength(2);
  });
});

describe('disruption windows (spec.fleetwright.disruption.windows)', () => {
  it('waits outside every window and says so in blocked[]', () => {
    const pool = nodePool('default', { disruptionWindows: [{ schedule: '0 2 * * *', durationMs: 3 * HOUR }] });
    const result = planChecked(cluster({ nodes: [poolNode('n1', MEDIUM)], nodePools: [pool] }));
    expect(result.disruptions).toEqual([]);
    expect(result.blocked).toEqual([
      {
        node: 'n1',
        reason: 'nodepool "default" disrupts nodes voluntarily only inside its windows ("0 2 * * *" for 3h, UTC)',
      },
    ]);
  });

  it('acts inside a window', () => {
    const pool = nodePool('default', { disruptionWindows: [{ schedule: '30 0 * * *', durationMs: HOUR }] });
    expect(onlyDisruption(planChecked(cluster({ nodes: [poolNode('n1', MEDIUM)], nodePools: [pool] }))).method).toBe(
      'emptiness',
    );
  });

  it('does not hold back expiration', () => {
    const pool = nodePool('default', {
      expireAfterMs: HOUR,
      disruptionWindows: [{ schedule: '0 2 * * *', durationMs: HOUR }],
    });
    expect(onlyDisruption(planChecked(cluster({ nodes: [poolNode('n1', MEDIUM)], nodePools: [pool] }))).method).toBe(
      'expiration',
    );
  });
});
