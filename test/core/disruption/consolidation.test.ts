// Consolidation (karpenter-core §3.5, DESIGN.md §5): delete when the pods fit elsewhere, replace with one node
// that is cheaper at its worst offering, spot→spot only when allowed, multi-node before single-node, and only
// onto destinations that are initialized and outside their own consolidateAfter window.

import { describe, expect, it } from 'vitest';
import { consolidate, interleaveByPool } from '../../../shared/core/disruption/consolidation.js';
import { LABEL_CAPACITY_TYPE, LABEL_INSTANCE_TYPE } from '../../../shared/core/labels.js';
import type { Offering } from '../../../shared/core/model/instancetype.js';
import type { Snapshot } from '../../../shared/core/model/snapshot.js';
import { startPass } from '../../../shared/core/plan/pass.js';
import { instanceType, nodePool, pod, ZONES } from '../../fixtures/builders.js';
import {
  cluster,
  LARGE,
  MEDIUM,
  MINUTE,
  NOW,
  onlyDisruption,
  planChecked,
  poolNode,
  runningOn,
  SMALL,
  TYPES,
} from './helpers.js';

const onDemandOnly = [{ key: LABEL_CAPACITY_TYPE, operator: 'In' as const, values: ['on-demand'] }];
const odPool = (overrides: Parameters<typeof nodePool>[1] = {}) =>
  nodePool('default', { requirements: onDemandOnly, budgets: [{ nodes: '100%' }], ...overrides });
/** A node no pool of the snapshot manages: capacity only, never a candidate, always a possible destination. */
const anchor = (cpuUsed: string, overrides: Parameters<typeof poolNode>[2] = {}) => ({
  node: poolNode('anchor', LARGE, { pool: 'other', ...overrides }),
  pod: runningOn('anchor', { name: 'anchor-load', cpu: cpuUsed }),
});

/** Why consolidating exactly these nodes yields no command (or 'a command'). */
function whyNot(snapshot: Snapshot, ...names: string[]): string {
  const pass = startPass(snapshot);
  const chosen = pass.scan.candidates.filter((c) => names.includes(c.name));
  expect(chosen.map((c) => c.name)).toEqual(names);
  const command = consolidate(pass.context, chosen);
  return typeof command === 'string' ? command : 'a command';
}

function offerings(prices: readonly number[], capacityType = 'on-demand'): Offering[] {
  return prices.map((price, i) => ({ zone: ZONES[i] as string, capacityType, price, available: true }));
}

describe('consolidation: delete or replace', () => {
  it('deletes a node whose pods fit on another node', () => {
    const nodes = [poolNode('n1', MEDIUM), poolNode('n2', MEDIUM)];
    const pods = [runningOn('n1', { name: 'web-0', cpu: '1' }), runningOn('n2', { name: 'api-0', cpu: '2' })];
    const d = onlyDisruption(planChecked(cluster({ nodes, pods, nodePools: [odPool()] })));
    expect(d).toEqual({
      method: 'consolidation',
      kind: 'delete',
      nodes: ['n1'],
      replacements: [],
      savingsPerHour: 0.2,
      reason: '1 pod fits on n2, so the node can go',
    });
  });

  it('replaces a node with one cheaper node', () => {
    const result = planChecked(
      cluster({ nodes: [poolNode('n1', LARGE)], pods: [runningOn('n1', { name: 'web-0', cpu: '1500m' })] }),
    );
    const d = onlyDisruption(result);
    expect(d).toMatchObject({ method: 'consolidation', kind: 'replace', nodes: ['n1'], savingsPerHour: 0.33 });
    expect(d.replacements[0]).toMatchObject({
      instanceType: 'small',
      capacityType: 'spot',
      hourlyPrice: 0.07,
      pods: ['default/web-0'],
    });
    // A spot launch may get any of small, medium, large: the worst is large's $0.28, still below $0.40.
    expect(d.reason).toBe('one spot small ($0.0700/h, at most $0.2800/h) replaces the node costing $0.4000/h');
    expect(result.hourlyCost).toEqual({ before: 0.4, after: 0.07 });
  });

  it('keeps the node when the only replacement costs the same at its worst offering', () => {
    // "alt" is cheap in two zones but costs what the node costs in the third: a launch could land there.
    const alt = instanceType('alt', { cpu: '4', memory: '8Gi', offerings: offerings([0.12, 0.2, 0.12]) });
    const scene = { nodes: [poolNode('n1', MEDIUM)], pods: [runningOn('n1', { cpu: '3' })], nodePools: [odPool()] };
    const snapshot = cluster({ ...scene, instanceTypes: [...TYPES, alt] });
    const result = planChecked(snapshot);
    expect(result.disruptions).toEqual([]);
    expect(result.blocked).toEqual([]);
    expect(whyNot(snapshot, 'n1')).toBe('no replacement type is cheaper than $0.2000/h at its worst offering');
  });

  it('replaces once the worst offering is strictly cheaper, reporting the estimate and the worst price', () => {
    const alt = instanceType('alt', { cpu: '4', memory: '8Gi', offerings: offerings([0.12, 0.19, 0.12]) });
    const scene = { nodes: [poolNode('n1', MEDIUM)], pods: [runningOn('n1', { cpu: '3' })], nodePools: [odPool()] };
    const d = onlyDisruption(planChecked(cluster({ ...scene, instanceTypes: [...TYPES, alt] })));
    expect(d.replacements[0]).toMatchObject({ instanceType: 'alt', hourlyPrice: 0.12, instanceTypeOptions: ['alt'] });
    expect(d.reason).toBe('one on-demand alt ($0.1200/h, at most $0.1900/h) replaces the node costing $0.2000/h');
  });

  it('replaces on-demand only with spot, never with an on-demand fallback', () => {
    const odCheap = instanceType('od-cheap', { cpu: '4', memory: '8Gi', offerings: offerings([0.1, 0.1, 0.1]) });
    const result = planChecked(
      cluster({
        nodes: [poolNode('n1', LARGE)],
        pods: [runningOn('n1', { cpu: '3' })],
        instanceTypes: [...TYPES, odCheap],
      }),
    );
    const [replacement] = onlyDisruption(result).replacements;
    expect(replacement?.capacityType).toBe('spot');
    expect(replacement?.instanceTypeOptions).toEqual(['medium', 'large']);
  });

  it('does not replace one node with two', () => {
    const apart = {
      podAntiAffinity: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'a' } } }],
      labels: { app: 'a' },
    };
    const pods = [
      runningOn('n1', { name: 'a-0', cpu: '1', ...apart }),
      runningOn('n1', { name: 'a-1', cpu: '100m', labels: { app: 'b' } }),
    ];
    const spread = [runningOn('n1', { name: 'a-2', cpu: '1', ...apart, podAntiAffinity: [] })];
    const snapshot = cluster({ nodes: [poolNode('n1', LARGE)], pods: [...pods, ...spread] });
    expect(planChecked(snapshot).disruptions).toEqual([]);
    expect(whyNot(snapshot, 'n1')).toBe('its pods would need 2 new nodes; consolidation replaces with one at most');
  });

  it('keeps a node with a pod that would fit nowhere', () => {
    const nodes = [poolNode('n1', LARGE, { labels: { disk: 'ssd' } })];
    const pods = [runningOn('n1', { name: 'db-0', cpu: '1', nodeSelector: { disk: 'ssd' } })];
    const snapshot = cluster({ nodes, pods });
    expect(planChecked(snapshot).disruptions).toEqual([]);
    expect(whyNot(snapshot, 'n1')).toMatch(/^pod default\/db-0 would have nowhere to go \(/);
  });

  it('does not consolidate a WhenEmpty pool', () => {
    const pool = nodePool('default', { consolidationPolicy: 'WhenEmpty' });
    const result = planChecked(
      cluster({ nodes: [poolNode('n1', LARGE)], pods: [runningOn('n1', { cpu: '1' })], nodePools: [pool] }),
    );
    expect(result.disruptions).toEqual([]);
    expect(result.blocked).toEqual([]);
  });
});

describe('consolidation: spot', () => {
  it('does not replace spot with spot while spotToSpotConsolidation is off, but deletes when the pods fit elsewhere', () => {
    const alone = cluster({
      nodes: [poolNode('n1', LARGE, { capacityType: 'spot' })],
      pods: [runningOn('n1', { cpu: '1' })],
    });
    expect(planChecked(alone).disruptions).toEqual([]);
    expect(whyNot(alone, 'n1')).toMatch(/^replacing spot with spot needs settings.spotToSpotConsolidation/);
    const nodes = [poolNode('n1', LARGE, { capacityType: 'spot' }), poolNode('n2', MEDIUM, { capacityType: 'spot' })];
    const pods = [runningOn('n1', { name: 'w-0', cpu: '1' }), runningOn('n2', { name: 'w-1', cpu: '1' })];
    const d = onlyDisruption(
      planChecked(cluster({ nodes, pods, nodePools: [nodePool('default', { budgets: [{ nodes: '100%' }] })] })),
    );
    expect(d).toMatchObject({ kind: 'delete', nodes: ['n1'], reason: '1 pod fits on n2, so the node can go' });
  });

  const node = () => poolNode('n1', instanceType('big', { cpu: '8', price: 1 }), { capacityType: 'spot' });
  const cheap = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      instanceType(`t-${String(i).padStart(2, '0')}`, { cpu: '2', price: 0.1 + i / 100 }),
    );

  it('replaces spot with spot when allowed and at least 15 types are cheaper, sending exactly the 15 cheapest', () => {
    const scene = cluster({
      nodes: [node()],
      pods: [runningOn('n1', { cpu: '1' })],
      instanceTypes: [instanceType('big', { cpu: '8', price: 1 }), ...cheap(20)],
      settings: { spotToSpotConsolidation: true },
    });
    const [replacement] = onlyDisruption(planChecked(scene)).replacements;
    expect(replacement?.capacityType).toBe('spot');
    expect(replacement?.instanceTypeOptions).toEqual(cheap(15).map((t) => t.name));
  });

  it('refuses spot-to-spot with only 14 cheaper types', () => {
    const scene = cluster({
      nodes: [node()],
      pods: [runningOn('n1', { cpu: '1' })],
      instanceTypes: [instanceType('big', { cpu: '8', price: 1 }), ...cheap(14)],
      settings: { spotToSpotConsolidation: true },
    });
    expect(planChecked(scene).disruptions).toEqual([]);
    expect(whyNot(scene, 'n1')).toBe('only 14 spot types are cheaper; spot-to-spot replacement needs 15');
  });
});

describe('consolidation: several nodes', () => {
  it('deletes several nodes at once when their pods fit elsewhere', () => {
    const { node: a, pod: load } = anchor('5');
    const nodes = [poolNode('n1', MEDIUM), poolNode('n2', MEDIUM), a];
    const pods = [load, runningOn('n1', { name: 'w-0', cpu: '1' }), runningOn('n2', { name: 'w-1', cpu: '1' })];
    const d = onlyDisruption(planChecked(cluster({ nodes, pods, nodePools: [odPool()] })));
    expect(d).toMatchObject({ kind: 'delete', nodes: ['n1', 'n2'], savingsPerHour: 0.4 });
    expect(d.reason).toBe('2 pods fit on anchor, so 2 nodes can go');
  });

  it('merges several nodes into one cheaper node', () => {
    const nodes = [poolNode('n1', MEDIUM), poolNode('n2', MEDIUM), poolNode('n3', MEDIUM)];
    const pods = ['n1', 'n2', 'n3'].map((n) => runningOn(n, { name: `w-${n}`, cpu: '1' }));
    const d = onlyDisruption(
      planChecked(cluster({ nodes, pods, nodePools: [nodePool('default', { budgets: [{ nodes: '100%' }] })] })),
    );
    expect(d).toMatchObject({ kind: 'replace', nodes: ['n1', 'n2', 'n3'] });
    expect(d.replacements).toHaveLength(1);
    expect(d.replacements[0]).toMatchObject({ instanceType: 'medium', capacityType: 'spot', hourlyPrice: 0.14 });
  });

  it("would rather delete the small node than merge both into the big node's own type at its own price", () => {
    const nodes = [poolNode('big', LARGE), poolNode('little', SMALL)];
    const pods = [runningOn('big', { name: 'w-0', cpu: '5' }), runningOn('little', { name: 'w-1', cpu: '1' })];
    const d = onlyDisruption(planChecked(cluster({ nodes, pods, nodePools: [odPool()] })));
    expect(d).toMatchObject({ kind: 'delete', nodes: ['little'] });
  });

  it('stays within the budget when picking several nodes', () => {
    const { node: a, pod: load } = anchor('1');
    const nodes = ['n1', 'n2', 'n3'].map((n) => poolNode(n, MEDIUM));
    const pods = [load, ...['n1', 'n2', 'n3'].map((n) => runningOn(n, { name: `w-${n}`, cpu: '1' }))];
    const d = onlyDisruption(
      planChecked(cluster({ nodes: [...nodes, a], pods, nodePools: [odPool({ budgets: [{ nodes: '2' }] })] })),
    );
    expect(d.nodes).toHaveLength(2);
  });

  it('interleaves pools in single-node order so one pool does not starve the others', () => {
    const c = (name: string, pool: string) =>
      ({ name, pool: { name: pool } }) as Parameters<typeof interleaveByPool>[0][number];
    expect(
      interleaveByPool([c('a1', 'a'), c('a2', 'a'), c('a3', 'a'), c('b1', 'b'), c('b2', 'b')]).map((x) => x.name),
    ).toEqual(['a1', 'b1', 'a2', 'b2', 'a3']);
  });
});

describe('consolidation: timing and destinations', () => {
  it('counts consolidateAfter from the start of the newest non-DaemonSet pod', () => {
    const pool = nodePool('default', { consolidateAfterMs: 30 * MINUTE });
    const scene = (started: number) =>
      cluster({
        nodes: [poolNode('n1', LARGE)],
        pods: [runningOn('n1', { cpu: '1', startTime: started })],
        nodePools: [pool],
      });
    expect(planChecked(scene(NOW - 10 * MINUTE)).disruptions).toEqual([]);
    expect(onlyDisruption(planChecked(scene(NOW - 40 * MINUTE))).method).toBe('consolidation');
  });

  it('never moves pods onto a node that is not initialized', () => {
    const scene = (ready: boolean) => {
      const { node: a, pod: load } = anchor('1', { ready });
      return cluster({
        nodes: [poolNode('n1', SMALL), a],
        pods: [load, runningOn('n1', { cpu: '1' })],
        nodePools: [odPool()],
      });
    };
    expect(onlyDisruption(planChecked(scene(true))).kind).toBe('delete');
    expect(planChecked(scene(false)).disruptions).toEqual([]);
    // The pod is simulated onto a new node instead, which costs what the node costs.
    expect(whyNot(scene(false), 'n1')).toBe('no replacement type is cheaper than $0.1000/h at its worst offering');
  });

  it('never moves pods onto a node still inside its own consolidateAfter window', () => {
    const calm = nodePool('calm', { consolidationPolicy: 'WhenEmpty', consolidateAfterMs: 30 * MINUTE });
    const scene = (destStarted: number) =>
      cluster({
        nodes: [poolNode('n1', SMALL), poolNode('dest', MEDIUM, { pool: 'calm' })],
        pods: [
          runningOn('n1', { name: 'w-0', cpu: '1' }),
          runningOn('dest', { name: 'w-1', cpu: '1', startTime: destStarted }),
        ],
        nodePools: [odPool(), calm],
      });
    expect(planChecked(scene(NOW - 10 * MINUTE)).disruptions).toEqual([]);
    expect(whyNot(scene(NOW - 10 * MINUTE), 'n1')).toBe(
      'no replacement type is cheaper than $0.1000/h at its worst offering',
    );
    expect(onlyDisruption(planChecked(scene(NOW - 40 * MINUTE)))).toMatchObject({ kind: 'delete', nodes: ['n1'] });
  });

  it('is not held back by pending pods that stay pending', () => {
    const nodes = [poolNode('n1', MEDIUM), poolNode('n2', MEDIUM)];
    const pods = [runningOn('n1', { cpu: '1' }), runningOn('n2', { cpu: '2' }), pod({ name: 'huge', cpu: '900' })];
    const result = planChecked(cluster({ nodes, pods, nodePools: [odPool()] }));
    expect(result.unschedulable.map((u) => u.pod)).toEqual(['default/huge']);
    expect(onlyDisruption(result).nodes).toEqual(['n1']);
  });

  it('keeps the room this plan gives pending pods', () => {
    const scene = (pending: boolean) => {
      const { node: a, pod: load } = anchor('6');
      const pods = [
        load,
        runningOn('n1', { name: 'w-0', cpu: '1' }),
        ...(pending ? [pod({ name: 'new', cpu: '1500m' })] : []),
      ];
      return cluster({ nodes: [poolNode('n1', SMALL), a], pods, nodePools: [odPool()] });
    };
    expect(onlyDisruption(planChecked(scene(false))).kind).toBe('delete');
    const result = planChecked(scene(true));
    expect(result.existingNodes).toEqual([{ name: 'anchor', pods: ['default/new'] }]);
    expect(result.disruptions).toEqual([]);
  });
});

describe('consolidation: fleetwright extensions', () => {
  const wasteful = (pool = nodePool()) =>
    cluster({ nodes: [poolNode('n1', LARGE)], pods: [runningOn('n1', { cpu: '1500m' })], nodePools: [pool] });

  it('keeps the node when the saving is below minSavings ($/h or percent)', () => {
    // The best replacement (spot small, $0.07) saves $0.33 of $0.40, i.e. 82.5%.
    const high = wasteful(nodePool('default', { minSavings: { perHour: 0.35 } }));
    expect(planChecked(high).disruptions).toEqual([]);
    expect(whyNot(high, 'n1')).toBe(
      'no replacement type is cheaper than $0.4000/h by at least $0.3500/h (minSavings) at its worst offering',
    );
    expect(planChecked(wasteful(nodePool('default', { minSavings: { percent: 90 } }))).disruptions).toEqual([]);
    expect(
      onlyDisruption(planChecked(wasteful(nodePool('default', { minSavings: { perHour: 0.3, percent: 80 } }))))
        .savingsPerHour,
    ).toBe(0.33);
  });

  it('holds a delete to minSavings too', () => {
    const nodes = [poolNode('n1', MEDIUM), poolNode('n2', MEDIUM)];
    const pods = [runningOn('n1', { cpu: '1' }), runningOn('n2', { cpu: '2' })];
    const snapshot = cluster({ nodes, pods, nodePools: [odPool({ minSavings: { perHour: 0.25 } })] });
    expect(planChecked(snapshot).disruptions).toEqual([]);
    expect(whyNot(snapshot, 'n1')).toBe('deleting saves $0.2000/h, less than minSavings $0.2500/h');
  });

  it('compares adjusted prices everywhere: node prices, new nodes and replacements', () => {
    const adjustments = [{ match: { [LABEL_INSTANCE_TYPE]: ['large'] }, capacityType: 'on-demand', multiplier: 0.1 }];
    const result = planChecked({ ...wasteful(), settings: { ...wasteful().settings, priceAdjustments: adjustments } });
    // The large node now costs $0.04/h: no spot small at $0.07 is cheaper.
    expect(result.disruptions).toEqual([]);
    expect(result.hourlyCost.before).toBe(0.04);
    const launch = planChecked(
      cluster({
        pods: [pod({ cpu: '7' })],
        nodePools: [odPool()],
        settings: { priceAdjustments: adjustments },
      }),
    );
    expect(launch.newNodes[0]).toMatchObject({ instanceType: 'large', hourlyPrice: 0.04 });
  });
});
