import { describe, expect, it } from 'vitest';
import { ANNOTATION_NODEPOOL_HASH, TAINT_DISRUPTED } from '../../../shared/core/labels.js';
import type { Snapshot } from '../../../shared/core/model/snapshot.js';
import { plan } from '../../../shared/core/plan/build-plan.js';
import type { CloudInstance } from '../../../shared/core/ports/cloud.js';
import { configDiff } from '../../../shared/core/status/config-diff.js';
import {
  buildStatus,
  REGISTRATION_TIMEOUT_MS,
  type StatusEvent,
  type StatusInput,
} from '../../../shared/core/status/status.js';
import { instanceType, node, nodePool, pod, snapshot } from '../../fixtures/builders.js';

const TYPE = instanceType('fake-it-4', { cpu: '4', memory: '8Gi', price: 0.2 });

function managedNode(name: string, overrides: Parameters<typeof node>[1] = {}) {
  return node(name, {
    cpu: '4',
    memory: '8Gi',
    type: 'fake-it-4',
    zone: 'test-zone-a',
    capacityType: 'on-demand',
    pool: 'default',
    providerID: `aws:///test-zone-a/i-${name}`,
    annotations: { [ANNOTATION_NODEPOOL_HASH]: 'hash-default' },
    ...overrides,
  });
}

function instance(id: string, overrides: Partial<CloudInstance> = {}): CloudInstance {
  return {
    instanceId: id,
    providerID: `aws:///test-zone-a/${id}`,
    instanceType: 'fake-it-4',
    zone: 'test-zone-a',
    capacityType: 'on-demand',
    state: 'running',
    launchTime: 0,
    securityGroupIds: [],
    nodePool: 'default',
    tags: {},
    ...overrides,
  };
}

function input(snap: Snapshot, overrides: Partial<StatusInput> = {}): StatusInput {
  const registered = new Set(snap.nodes.flatMap((n) => (n.providerID ? [n.providerID] : [])));
  return {
    snapshot: snap,
    plan: plan(snap),
    pods: snap.pods,
    instances: [],
    registered,
    events: [],
    lease: undefined,
    config: { prefix: '/fleetwright/demo/', documents: [], invalid: [] },
    ...overrides,
  };
}

describe('buildStatus', () => {
  it('groups a pool’s nodes by type, zone and capacity type, with usage against limits and $/h', () => {
    const nodes = [
      managedNode('a'),
      managedNode('b'),
      managedNode('c', { zone: 'test-zone-b', providerID: 'aws:///test-zone-b/i-c' }),
    ];
    const snap = snapshot({
      instanceTypes: [TYPE],
      nodePools: [nodePool('default', { limits: { cpu: 16_000 } })],
      nodes,
      managedNodes: new Set(nodes.map((n) => n.name)),
    });
    const report = buildStatus(input(snap));
    const pool = report.pools[0];
    expect(pool?.groups).toEqual([
      { instanceType: 'fake-it-4', zone: 'test-zone-a', capacityType: 'on-demand', count: 2, hourlyCost: 0.4 },
      { instanceType: 'fake-it-4', zone: 'test-zone-b', capacityType: 'on-demand', count: 1, hourlyCost: 0.2 },
    ]);
    expect(pool?.usage.find((u) => u.resource === 'cpu')).toEqual({ resource: 'cpu', used: 12_000, limit: 16_000 });
    expect(pool?.usage.find((u) => u.resource === 'nodes')).toEqual({ resource: 'nodes', used: 3 });
    expect(pool?.hourlyCost).toBe(0.6);
    expect(pool?.nodes).toEqual({ registered: 3, ready: 3, disrupting: 0 });
  });

  it('reports the budget left per reason, counting nodes already being disrupted', () => {
    const nodes = Array.from({ length: 10 }, (_, i) => managedNode(`n${i}`));
    const disrupting = managedNode('n9', { taints: [{ key: TAINT_DISRUPTED, effect: 'NoSchedule' }] });
    const all = [...nodes.slice(0, 9), disrupting];
    const snap = snapshot({
      instanceTypes: [TYPE],
      nodePools: [nodePool('default', { budgets: [{ nodes: '20%' }, { nodes: '0', reasons: ['Drifted'] }] })],
      nodes: all,
      managedNodes: new Set(all.map((n) => n.name)),
    });
    const budgets = buildStatus(input(snap)).pools[0]?.budgets;
    expect(budgets).toEqual([
      { reason: 'Empty', allowed: 2, disrupting: 1, remaining: 1 },
      expect.objectContaining({ reason: 'Drifted', allowed: 0, remaining: 0 }),
      { reason: 'Underutilized', allowed: 2, disrupting: 1, remaining: 1 },
    ]);
    expect(budgets?.[1]?.note).toContain('budgets allow 0 of 10 nodes');
  });

  it('splits unregistered instances into launching ones and ones past the registration timeout', () => {
    const snap = snapshot({ instanceTypes: [TYPE], now: REGISTRATION_TIMEOUT_MS * 4 });
    const now = snap.now;
    const report = buildStatus(
      input(snap, {
        instances: [
          instance('i-new', { launchTime: now - 40_000, state: 'pending' }),
          instance('i-old', { launchTime: now - REGISTRATION_TIMEOUT_MS - 60_000 }),
          instance('i-gone', { launchTime: now - 1000, state: 'shutting-down' }),
        ],
      }),
    );
    const pool = report.pools[0];
    expect(pool?.inFlight.map((i) => [i.instanceId, i.ageMs])).toEqual([['i-new', 40_000]]);
    expect(pool?.unregistered.map((i) => i.instanceId)).toEqual(['i-old']);
  });

  it('gives every pending pod its reason: planned, not placeable, or not yet tried by the kube-scheduler', () => {
    const fits = pod({ name: 'fits', cpu: '1', unschedulable: true });
    const huge = pod({ name: 'huge', cpu: '64', unschedulable: true });
    const fresh = pod({ name: 'fresh', cpu: '1' });
    const snap = snapshot({ instanceTypes: [TYPE], pods: [fits, huge] });
    const report = buildStatus(input(snap, { pods: [fits, huge, fresh] }));
    const why = Object.fromEntries(report.pending.map((p) => [p.pod, p.reason]));
    expect(why['default/fits']).toMatch(/^a new node is due: #1 fake-it-4 .* in pool default/);
    expect(why['default/huge']).toMatch(/^cannot be placed: /);
    expect(why['default/fresh']).toMatch(/not marked Unschedulable/);
  });

  it('shows the newest decisions first, the Lease as active or expired, and config fallbacks', () => {
    const snap = snapshot({ instanceTypes: [TYPE] });
    const events: StatusEvent[] = Array.from({ length: 12 }, (_, i) => ({
      time: snap.now - (12 - i) * 1000,
      type: 'Normal',
      reason: `R${i}`,
      action: 'Launch',
      regarding: `Node/n${i}`,
      note: 'launched',
    }));
    const report = buildStatus(
      input(snap, {
        events,
        lease: { holder: 'req-1', acquiredAt: snap.now - 60_000, expiresAt: snap.now - 5_000 },
        config: {
          prefix: '/p/',
          documents: [{ kind: 'NodePool', name: 'default', version: 3, fallbackFrom: 4 }],
          invalid: [{ parameter: '/p/nodepools/default', errors: ['bad'], fallbackVersion: 3 }],
        },
      }),
    );
    expect(report.decisions.map((d) => d.reason)).toEqual([
      'R11',
      'R10',
      'R9',
      'R8',
      'R7',
      'R6',
      'R5',
      'R4',
      'R3',
      'R2',
    ]);
    expect(report.lease?.active).toBe(false);
    expect(report.config.latest).toBe(false);
  });
});

describe('configDiff', () => {
  it('lists the nodes a changed pool template drifts and estimates $/h after replacing them', () => {
    const nodes = [managedNode('a'), managedNode('b')];
    const running = [pod({ name: 'w1', cpu: '1', nodeName: 'a', phase: 'Running' })];
    const base = {
      instanceTypes: [TYPE, instanceType('fake-it-2', { cpu: '2', memory: '4Gi', price: 0.1 })],
      nodes,
      pods: running,
      managedNodes: new Set(['a', 'b']),
    };
    const live = snapshot({
      ...base,
      nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfterMs: null })],
    });
    const proposed = snapshot({
      ...base,
      nodePools: [
        nodePool('default', { templateHash: 'hash-new', consolidationPolicy: 'WhenEmpty', consolidateAfterMs: null }),
      ],
    });
    const diff = configDiff(live, proposed);
    expect(diff.drifted.map((d) => d.node)).toEqual(['a', 'b']);
    expect(diff.drifted[0]?.reason).toMatch(/hash/i);
    expect(diff.hourlyCost.now).toBe(0.4);
    // One 1-cpu pod re-planned alone: the 2-cpu type at $0.07 spot (70% of 0.1) is the cheapest that fits.
    expect(diff.hourlyCost.proposed).toBeLessThan(0.4);
    expect(diff.hourlyCost.proposed).toBeCloseTo(0.07, 6);
  });

  it('reports pods a stricter pool would strand', () => {
    const waiting = pod({ name: 'w', cpu: '1', unschedulable: true });
    const live = snapshot({ instanceTypes: [TYPE], pods: [waiting] });
    const proposed = snapshot({
      instanceTypes: [TYPE],
      pods: [waiting],
      nodePools: [nodePool('default', { limits: { cpu: 0 } })],
    });
    const diff = configDiff(live, proposed);
    expect(diff.stranded.map((s) => s.pod)).toEqual(['default/w']);
    expect(diff.stranded[0]?.reason).toMatch(/limit/);
    expect(diff.drifted).toEqual([]);
  });
});
