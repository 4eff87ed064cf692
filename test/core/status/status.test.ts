import { describe, expect, it } from 'vitest';
import { ANNOTATION_NODEPOOL_HASH, TAINT_DISRUPTED } from '../../../shared/core/labels.js';
import type { Snapshot } from '../../../shared/core/model/snapshot.js';
import { plan } from '../../../shared/core/plan/build-plan.js';
import type { CloudInstance } from '../../../shared/core/ports/cloud.js';
import { configDiff } from '../../../shared/core/status/config-diff.js';
import { buildStatus, type StatusEvent, type StatusInput } from '../../../shared/core/status/status.js';
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

  it('splits unregistered instances: launching, past the registration timeout, and registered once', () => {
    const timeout = 15 * 60_000;
    const now = timeout * 4;
    const instances = [
      instance('i-new', { launchTime: now - 40_000, state: 'pending' }),
      instance('i-old', { launchTime: now - timeout - 60_000 }),
      instance('i-was', { launchTime: now - 3600_000, tags: { Name: 'ip-10-0-0-9.ec2.internal' } }),
      instance('i-gone', { launchTime: now - 1000, state: 'shutting-down' }),
    ];
    // As the runtime's snapshot has them: unregistered instances that hold capacity are in-flight nodes.
    const inFlight = instances
      .filter((i) => i.state !== 'shutting-down')
      .map((i) =>
        managedNode(i.instanceId, { providerID: i.providerID, ready: false, creationTimestamp: i.launchTime }),
      );
    const registered = managedNode('r1');
    const snap = snapshot({
      instanceTypes: [TYPE],
      now,
      settings: { registrationTimeoutMs: timeout },
      nodes: [registered, ...inFlight],
      managedNodes: new Set([registered, ...inFlight].map((n) => n.name)),
    });
    const pool = buildStatus(input(snap, { instances, registered: new Set([registered.providerID as string]) }))
      .pools[0];
    expect(pool?.inFlight.map((i) => [i.instanceId, i.ageMs])).toEqual([['i-new', 40_000]]);
    expect(pool?.unregistered.map((i) => i.instanceId)).toEqual(['i-old']);
    expect(pool?.nodeDeleted.map((i) => i.instanceId)).toEqual(['i-was']);
    expect(pool?.nodes).toEqual({ registered: 1, ready: 1, disrupting: 0 });
    expect(pool?.nodeNames).toEqual(['r1']);
    // The groups, limits and $/h count what holds capacity: the registered node and the three live instances.
    expect(pool?.groups.reduce((n, g) => n + g.count, 0)).toBe(4);
    expect(pool?.hourlyCost).toBeCloseTo(0.8, 6);
    expect(pool?.usage.find((u) => u.resource === 'nodes')?.used).toBe(4);
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

describe('buildStatus drains', () => {
  it('shows what each node being drained waits for, as the drain computes it, and when drained', () => {
    const tainted = (name: string) =>
      managedNode(name, { taints: [{ key: TAINT_DISRUPTED, value: 'Drifted', effect: 'NoSchedule' }] });
    const draining = tainted('d1');
    const drained = tainted('d2');
    const api = (name: string) =>
      pod({ name, cpu: '1', nodeName: 'd1', phase: 'Running', labels: { app: 'api' }, namespace: 'shop' });
    const snap = snapshot({
      instanceTypes: [TYPE],
      nodePools: [nodePool('default', { terminationGracePeriodMs: 3600_000 })],
      nodes: [draining, drained],
      managedNodes: new Set(['d1', 'd2']),
      pods: [api('api-0'), api('api-1')],
      pdbs: [{ namespace: 'shop', name: 'api', selector: { matchLabels: { app: 'api' } }, minAvailable: '2' }],
    });
    const drains = buildStatus(input(snap)).pools[0]?.drains;
    expect(drains?.map((d) => [d.node, d.reason, d.phase])).toEqual([
      ['d1', 'Drifted', 'draining'],
      ['d2', 'Drifted', 'drained'],
    ]);
    expect(drains?.[0]?.waiting.map((w) => w.subject)).toEqual(['pod shop/api-0', 'pod shop/api-1']);
    expect(drains?.[0]?.waiting[0]?.reason).toMatch(/PodDisruptionBudget shop\/api/);
    // The drain started with the taint (no start annotation: now), so terminationGracePeriod forces it in 1 h.
    expect(drains?.[0]?.deadline).toBe(snap.now + 3600_000);
  });
});

describe('buildStatus with reads that failed', () => {
  it('says the Events and the Lease are unknown rather than absent', () => {
    const report = buildStatus(
      input(snapshot({ instanceTypes: [TYPE] }), { events: 'unreadable', lease: 'unreadable' }),
    );
    expect(report.unreadable).toEqual(['events', 'lease']);
    expect(report.decisions).toEqual([]);
    expect(report.lease).toBeUndefined();
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
    expect(diff.hourlyCost.live).toBe(0.4);
    // One 1-cpu pod re-planned alone: the 2-cpu type at $0.07 spot (70% of 0.1) is the cheapest that fits.
    expect(diff.hourlyCost.proposed).toBeLessThan(0.4);
    expect(diff.hourlyCost.proposed).toBeCloseTo(0.07, 6);
  });

  it('keeps a drifted node whose running pod would fit nowhere, reports the pod, and prices it as staying', () => {
    const nodes = [managedNode('a'), managedNode('b')];
    const running = [
      pod({ name: 'amd', cpu: '1', nodeName: 'a', phase: 'Running', nodeSelector: { 'kubernetes.io/arch': 'amd64' } }),
      pod({ name: 'any', cpu: '1', nodeName: 'b', phase: 'Running' }),
    ];
    const base = {
      instanceTypes: [TYPE, instanceType('fake-arm-4', { cpu: '4', memory: '8Gi', price: 0.1, arch: 'arm64' })],
      nodes,
      pods: running,
      managedNodes: new Set(['a', 'b']),
    };
    const pool = { consolidationPolicy: 'WhenEmpty' as const, consolidateAfterMs: null };
    const live = snapshot({ ...base, nodePools: [nodePool('default', pool)] });
    const armOnly = nodePool('default', {
      ...pool,
      templateHash: 'hash-arm',
      requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }],
    });
    const diff = configDiff(live, snapshot({ ...base, nodePools: [armOnly] }));
    const byNode = Object.fromEntries(diff.drifted.map((d) => [d.node, d]));
    expect(byNode.a?.kept).toMatch(/default\/amd could not be placed anywhere/);
    expect(byNode.b?.kept).toBeUndefined();
    expect(diff.stranded.map((s) => s.pod)).toEqual(['default/amd']);
    // a stays ($0.2) and has room for b's pod, so b goes without a replacement.
    expect(diff.hourlyCost.proposed).toBeCloseTo(0.2, 6);
    expect(diff.hourlyCost.now).toBeCloseTo(0.4, 6);
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
