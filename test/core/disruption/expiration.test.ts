// Expiration: forceful, outside budgets and protections, decided before provisioning (DESIGN.md §5).

import { describe, expect, it } from 'vitest';
import { ANNOTATION_DO_NOT_DISRUPT } from '../../../shared/core/labels.js';
import { nodePool, pod } from '../../fixtures/builders.js';
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

const DAY = 24 * HOUR;
/** Expires after 30 days; the node below is 31 days old at the snapshot's `now`. */
const expiring = nodePool('default', { expireAfterMs: 30 * DAY });
const old = (name: string, type = MEDIUM) => poolNode(name, type, { creationTimestamp: T0 + HOUR - 31 * DAY });

describe('expiration', () => {
  it('removes a node past expireAfter as a delete with no replacements', () => {
    const result = planChecked(cluster({ nodes: [old('n1')], nodePools: [expiring] }));
    expect(onlyDisruption(result)).toEqual({
      method: 'expiration',
      kind: 'delete',
      nodes: ['n1'],
      replacements: [],
      savingsPerHour: 0.2,
      reason: 'the node is 31d old, past nodepool "default"\'s expireAfter of 30d',
    });
    expect(result.hourlyCost).toEqual({ before: 0.2, after: 0 });
  });

  it("places the expired node's pods with the pending pods and counts them in hourlyCost.after", () => {
    const pods = [runningOn('n1', { name: 'web-0', cpu: '1' }), pod({ name: 'api-0', cpu: '1' })];
    const result = planChecked(cluster({ nodes: [old('n1')], pods, nodePools: [expiring] }));
    expect(result.newNodes.flatMap((n) => n.pods).sort()).toEqual(['default/api-0', 'default/web-0']);
    const added = result.newNodes.reduce((s, n) => s + n.hourlyPrice, 0);
    expect(result.hourlyCost.after).toBeCloseTo(0.2 - 0.2 + added, 6);
  });

  it('expires whatever protects the node: do-not-disrupt pods, PDBs, a zero budget', () => {
    const pool = nodePool('default', { expireAfterMs: 30 * DAY, budgets: [{ nodes: '0' }] });
    const pods = [
      runningOn('n1', { name: 'db-0', labels: { app: 'db' }, annotations: { [ANNOTATION_DO_NOT_DISRUPT]: 'true' } }),
    ];
    const pdb = { namespace: 'default', name: 'db', selector: { matchLabels: { app: 'db' } }, disruptionsAllowed: 0 };
    const result = planChecked(cluster({ nodes: [old('n1')], pods, pdbs: [pdb], nodePools: [pool] }));
    expect(onlyDisruption(result)).toMatchObject({ method: 'expiration', nodes: ['n1'] });
    expect(result.blocked).toEqual([]);
  });

  it('lists every expired node first, by name, before the voluntary command', () => {
    const nodes = [old('b'), old('a'), poolNode('empty', MEDIUM)];
    const pool = nodePool('default', { expireAfterMs: 30 * DAY, budgets: [{ nodes: '100%' }] });
    const result = planChecked(cluster({ nodes, nodePools: [pool] }));
    expect(result.disruptions.map((d) => [d.method, d.nodes])).toEqual([
      ['expiration', ['a']],
      ['expiration', ['b']],
      ['emptiness', ['empty']],
    ]);
  });

  it('counts expired nodes against the pool budget', () => {
    const pool = nodePool('default', { expireAfterMs: 30 * DAY, budgets: [{ nodes: '1' }] });
    const result = planChecked(cluster({ nodes: [old('n1'), poolNode('empty', MEDIUM)], nodePools: [pool] }));
    expect(onlyDisruption(result).method).toBe('expiration');
    expect(blockedReason(result, 'empty')).toBe(
      'nodepool "default" has no Empty disruption budget left right now (its budgets allow 1 node, 1 already being disrupted)',
    );
  });

  it('never expires under expireAfter Never, nor a node fleetwright does not manage', () => {
    const never = nodePool('default', { expireAfterMs: null });
    const kept = planChecked(
      cluster({ nodes: [old('n1', LARGE)], pods: [runningOn('n1', { cpu: '7' })], nodePools: [never] }),
    );
    expect(kept.disruptions.map((d) => d.method)).not.toContain('expiration');
    const unmanaged = cluster({ nodes: [old('n1')], nodePools: [expiring], managedNodes: new Set() });
    expect(planChecked(unmanaged).disruptions).toEqual([]);
  });
});
