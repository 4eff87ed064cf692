// `explainPod` (shared/core/explain): what plan decides for a pod, which existing nodes could take it alone, and for
// every NodePool whether it can launch a node for it — the cheapest launch, or each reason it cannot, by kind.

import { describe, expect, it } from 'vitest';
import { explainPod, type PodExplanation, type PoolVerdict } from '../../../shared/core/explain/explain-pod.js';
import { LABEL_ARCH, LABEL_ZONE } from '../../../shared/core/labels.js';
import type { Snapshot } from '../../../shared/core/model/snapshot.js';
import { daemonSet, instanceType, nodePool, pod, taint, ZONES } from '../../fixtures/builders.js';
import { cluster, LARGE, MEDIUM, poolNode, runningOn, SMALL, TYPES } from '../disruption/helpers.js';

function explained(s: Snapshot, ref: string): PodExplanation {
  const e = explainPod(s, ref);
  if (!e) throw new Error(`${ref} not found`);
  return e;
}

function verdict(e: PodExplanation, pool: string): PoolVerdict {
  const v = e.nodePools.find((p) => p.nodePool === pool);
  if (!v) throw new Error(`no verdict for pool ${pool}`);
  return v;
}

const reasons = (v: PoolVerdict, kind: string) => v.reasons.filter((r) => r.kind === kind).map((r) => r.message);

describe('explainPod: a pool that can take the pod', () => {
  it('names the cheapest launch as plan would price it: capacity type by priority, then price', () => {
    const s = cluster({ pods: [pod({ name: 'web-0', cpu: '1' })] });
    const e = explained(s, 'default/web-0');
    expect(e.status).toBe('pending');
    expect(e.requests).toEqual({ cpu: '1', pods: '1' });
    expect(verdict(e, 'default')).toEqual({
      nodePool: 'default',
      weight: 0,
      canTake: true,
      launch: {
        instanceType: 'small',
        capacityType: 'spot',
        zone: ZONES[0],
        hourlyPrice: 0.07,
        instanceTypeOptions: 3,
      },
      relaxed: [],
      reasons: [],
    });
    expect(e.plan).toMatchObject({ outcome: 'new-node', newNodeIndex: 1 });
    expect(e.plan.summary).toBe('would launch on new node #1 of pool default (small spot test-zone-a, $0.0700/h)');
    expect(e.notes).toEqual([]);
  });

  it('says which preference the scheduler drops before the pool takes the pod', () => {
    const preferred = [
      {
        weight: 1,
        preference: { matchExpressions: [{ key: LABEL_ZONE, operator: 'In' as const, values: ['elsewhere'] }] },
      },
    ];
    const s = cluster({ pods: [pod({ name: 'web-0', cpu: '1', preferredNodeAffinity: preferred })] });
    const v = verdict(explained(s, 'default/web-0'), 'default');
    expect(v.canTake).toBe(true);
    expect(v.relaxed).toEqual(['preferred node affinity term']);
  });

  it('lists the pools in the order the scheduler tries them: weight, then name descending', () => {
    const pools = [nodePool('a'), nodePool('b'), nodePool('heavy', { weight: 10 })];
    const e = explained(cluster({ pods: [pod({ name: 'web-0' })], nodePools: pools }), 'default/web-0');
    expect(e.nodePools.map((v) => v.nodePool)).toEqual(['heavy', 'b', 'a']);
  });
});

describe('explainPod: every reason a pool cannot take the pod', () => {
  it('requirements: names the pod requirement and what the pool allows, or the label the pool lacks', () => {
    const pool = nodePool('default', { requirements: [{ key: LABEL_ARCH, operator: 'In', values: ['amd64'] }] });
    const p = pod({ name: 'arm-0', nodeSelector: { [LABEL_ARCH]: 'arm64', team: 'payments' } });
    const v = verdict(explained(cluster({ pods: [p], nodePools: [pool] }), 'default/arm-0'), 'default');
    expect(v.canTake).toBe(false);
    expect(reasons(v, 'requirements')).toEqual([
      'pod needs kubernetes.io/arch In [arm64]; pool allows kubernetes.io/arch In [amd64]',
      'pod needs team In [payments]; pool sets no label team',
    ]);
  });

  it('requirements: with several node affinity terms (OR), each term that conflicts is named', () => {
    const term = (zone: string) => ({
      matchExpressions: [{ key: LABEL_ZONE, operator: 'In' as const, values: [zone] }],
    });
    const pool = nodePool('default', { requirements: [{ key: LABEL_ZONE, operator: 'In', values: [ZONES[0]] }] });
    const p = pod({ name: 'web-0', requiredNodeAffinity: [term(ZONES[1]), term(ZONES[2])] });
    const v = verdict(explained(cluster({ pods: [p], nodePools: [pool] }), 'default/web-0'), 'default');
    expect(reasons(v, 'requirements')).toEqual([
      `node affinity term 1: pod needs ${LABEL_ZONE} In [${ZONES[1]}]; pool allows ${LABEL_ZONE} In [${ZONES[0]}]`,
      `node affinity term 2: pod needs ${LABEL_ZONE} In [${ZONES[2]}]; pool allows ${LABEL_ZONE} In [${ZONES[0]}]`,
    ]);
  });

  it('taints: every untolerated taint, but not PreferNoSchedule (the scheduler relaxes it)', () => {
    const taints = [
      taint('nvidia.com/gpu', 'NoSchedule', 'true'),
      taint('dedicated', 'NoExecute'),
      taint('soft', 'PreferNoSchedule'),
    ];
    const gpu = nodePool('gpu', { taints });
    const v = verdict(explained(cluster({ pods: [pod({ name: 'web-0' })], nodePools: [gpu] }), 'default/web-0'), 'gpu');
    expect(reasons(v, 'taint')).toEqual([
      'taint nvidia.com/gpu=true:NoSchedule is not tolerated',
      'taint dedicated:NoExecute is not tolerated',
    ]);
  });

  it('taint and requirements together: both are reasons, the pool is weighed first', () => {
    const gpu = nodePool('gpu', {
      weight: 5,
      taints: [taint('nvidia.com/gpu', 'NoSchedule', 'true')],
      requirements: [{ key: LABEL_ARCH, operator: 'In', values: ['amd64'] }],
    });
    const p = pod({ name: 'arm-0', nodeSelector: { [LABEL_ARCH]: 'arm64' } });
    const e = explained(cluster({ pods: [p], nodePools: [gpu, nodePool('default')] }), 'default/arm-0');
    expect(verdict(e, 'gpu').reasons.map((r) => r.kind)).toEqual(['taint', 'requirements']);
    expect(reasons(verdict(e, 'default'), 'instance-types')).toEqual([
      'no instance type of the pool has kubernetes.io/arch In [arm64]',
    ]);
  });

  it('limits: a node limit reached names the limit and the nodes in use', () => {
    const nodes = [poolNode('n1', SMALL), poolNode('n2', SMALL)];
    const pods = [
      runningOn('n1', { cpu: '1500m' }),
      runningOn('n2', { cpu: '1500m' }),
      pod({ name: 'web-0', cpu: '1' }),
    ];
    const pool = nodePool('default', { limits: { nodes: 2 } });
    const v = verdict(explained(cluster({ nodes, pods, nodePools: [pool] }), 'default/web-0'), 'default');
    expect(v.canTake).toBe(false);
    expect(reasons(v, 'limits')).toEqual(['limit of 2 nodes reached (2 in use)']);
  });

  it('limits: a cpu limit names what is used, what is left and what the smallest fitting type would add', () => {
    const nodes = [poolNode('n1', LARGE)];
    const pods = [runningOn('n1', { cpu: '7' }), pod({ name: 'web-0', cpu: '3' })];
    const pool = nodePool('default', { limits: { cpu: 10_000 } });
    const v = verdict(explained(cluster({ nodes, pods, nodePools: [pool] }), 'default/web-0'), 'default');
    expect(reasons(v, 'limits')).toEqual([
      'cpu limit 10: 8 in use, 2 left; the smallest type with room for the pod (medium) adds 4',
    ]);
  });

  it('instance types: the resource no type has room for, after DaemonSet overhead', () => {
    const ds = daemonSet('agent', { cpu: '500m' });
    const p = pod({ name: 'big-0', cpu: '7800m' });
    const v = verdict(explained(cluster({ pods: [p], daemonSets: [ds] }), 'default/big-0'), 'default');
    expect(reasons(v, 'instance-types')).toEqual([
      'no instance type has room for cpu 7800m: the most is 7500m (large, allocatable 8 minus DaemonSets 500m)',
    ]);
  });

  it("instance types: a pool whose requirements match none of its node class's types", () => {
    const pool = nodePool('default', {
      requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m9z.huge'] }],
    });
    const v = verdict(
      explained(cluster({ pods: [pod({ name: 'web-0' })], nodePools: [pool] }), 'default/web-0'),
      'default',
    );
    expect(reasons(v, 'instance-types')).toEqual([
      'none of the 3 instance types of node class "default" matches the pool\'s requirements',
    ]);
  });

  it('instance types: a pool whose every type is too small for its own DaemonSets', () => {
    const s = cluster({
      pods: [pod({ name: 'web-0' })],
      daemonSets: [daemonSet('agent', { cpu: '200m' })],
      instanceTypes: [instanceType('tiny', { cpu: '100m' })],
    });
    expect(reasons(verdict(explained(s, 'default/web-0'), 'default'), 'instance-types')).toEqual([
      'none of the 1 instance types the pool allows has an available offering and room for its DaemonSets',
    ]);
  });

  it('topology: the constraint no new node of the pool can meet, and the same for existing nodes', () => {
    const onlyA = nodePool('default', { requirements: [{ key: LABEL_ZONE, operator: 'In', values: [ZONES[0]] }] });
    const nodes = [poolNode('n1', MEDIUM)];
    const anti = [{ topologyKey: LABEL_ZONE, labelSelector: { matchLabels: { app: 'db' } } }];
    const pods = [
      runningOn('n1', { name: 'db-0', cpu: '500m', labels: { app: 'db' } }),
      pod({ name: 'db-1', cpu: '500m', labels: { app: 'db' }, podAntiAffinity: anti }),
    ];
    const e = explained(cluster({ nodes, pods, nodePools: [onlyA] }), 'default/db-1');
    expect(reasons(verdict(e, 'default'), 'topology')).toEqual([
      'no domain satisfies its pod anti-affinity on topology.kubernetes.io/zone; it cannot be met by a new node of this pool',
    ]);
    expect(e.existingNodes).toEqual([
      {
        node: 'n1',
        fits: false,
        reason: 'no domain satisfies its pod anti-affinity on topology.kubernetes.io/zone',
        relaxed: [],
      },
    ]);
    expect(e.plan).toMatchObject({ outcome: 'unschedulable' });
  });

  it('topology behind a taint: asked again as if tolerated, the scheduler names the topology too', () => {
    const pool = nodePool('default', {
      taints: [taint('dedicated', 'NoSchedule', 'db')],
      requirements: [{ key: LABEL_ZONE, operator: 'In', values: [ZONES[0]] }],
    });
    const anti = [{ topologyKey: LABEL_ZONE, labelSelector: { matchLabels: { app: 'db' } } }];
    const nodes = [poolNode('n1', MEDIUM)];
    const pods = [
      runningOn('n1', { name: 'db-0', labels: { app: 'db' } }),
      pod({ name: 'db-1', labels: { app: 'db' }, podAntiAffinity: anti }),
    ];
    const v = verdict(explained(cluster({ nodes, pods, nodePools: [pool] }), 'default/db-1'), 'default');
    expect(v.reasons.map((r) => r.kind)).toEqual(['taint', 'topology']);
  });

  it('validation: a pod provisioning refuses gets the refusal for every pool, as plan reports it', () => {
    const p = pod({ name: 'odd-0', nodeSelector: { 'karpenter.sh/custom': 'x' } });
    const e = explained(cluster({ pods: [p], nodePools: [nodePool('a'), nodePool('b')] }), 'default/odd-0');
    const why = 'nodeSelector: label "karpenter.sh/custom" is restricted: the karpenter.sh domain is reserved';
    expect(e.invalid).toBe(why);
    expect(e.nodePools.map((v) => v.reasons)).toEqual([
      [{ kind: 'validation', message: why }],
      [{ kind: 'validation', message: why }],
    ]);
    expect(e.plan).toEqual({ outcome: 'unschedulable', summary: `unschedulable: ${why}`, reason: why });
  });
});

describe('explainPod: existing nodes and running pods', () => {
  it('says which existing nodes the pod fits and why the others do not', () => {
    const nodes = [
      poolNode('n1', SMALL),
      poolNode('n2', MEDIUM),
      poolNode('n3', MEDIUM, { taints: [taint('dedicated')] }),
    ];
    const pods = [runningOn('n1', { cpu: '1500m' }), pod({ name: 'web-0', cpu: '1' })];
    const e = explained(cluster({ nodes, pods }), 'default/web-0');
    expect(e.existingNodes).toEqual([
      { node: 'n1', fits: false, reason: 'has 500m cpu free', relaxed: [] },
      { node: 'n2', fits: true, relaxed: [] },
      { node: 'n3', fits: false, reason: 'has taint dedicated:NoSchedule', relaxed: [] },
    ]);
    expect(e.plan).toEqual({ outcome: 'existing-node', summary: 'would go to existing node n2', node: 'n2' });
  });

  it('explains a running pod as if evicted: its own node left out, and plan leaves it where it is', () => {
    const nodes = [poolNode('n1', MEDIUM), poolNode('n2', MEDIUM)];
    const pods = [runningOn('n1', { name: 'api-0', cpu: '1' }), runningOn('n2', { name: 'api-1', cpu: '3' })];
    const pool = nodePool('default', { consolidationPolicy: 'WhenEmpty' });
    const e = explained(cluster({ nodes, pods, nodePools: [pool] }), 'default/api-1');
    expect(e.status).toBe('bound');
    expect(e.nodeName).toBe('n2');
    expect(e.existingNodes.map((f) => [f.node, f.fits])).toEqual([['n1', true]]);
    expect(e.plan).toEqual({ outcome: 'stays', summary: 'runs on n2; plan leaves it there', node: 'n2' });
  });

  it("tells when the pod's node is removed by the plan", () => {
    const nodes = [poolNode('n1', MEDIUM), poolNode('n2', MEDIUM)];
    const pods = [runningOn('n1', { name: 'web-0', cpu: '1' }), runningOn('n2', { name: 'api-0', cpu: '2' })];
    const e = explained(cluster({ nodes, pods }), 'default/web-0');
    expect(e.plan).toMatchObject({ outcome: 'node-disrupted', node: 'n1' });
    expect(e.plan.summary).toBe(
      'runs on n1, which plan removes (consolidation, delete: 1 pod fits on n2, so the node can go)',
    );
  });

  it('notes why the pod alone and the plan differ: the pods before it took the room', () => {
    const nodes = [poolNode('n1', MEDIUM)];
    const pods = [pod({ name: 'big-0', cpu: '3' }), pod({ name: 'small-0', cpu: '2' })];
    const pool = nodePool('default', { limits: { nodes: 1 } });
    const e = explained(cluster({ nodes, pods, nodePools: [pool], instanceTypes: TYPES }), 'default/small-0');
    expect(e.existingNodes).toEqual([{ node: 'n1', fits: true, relaxed: [] }]);
    expect(e.plan.outcome).toBe('unschedulable');
    expect(e.notes).toHaveLength(1);
    expect(e.notes[0]).toMatch(/^on its own this pod would fit on n1; plan places all 2 pods/);
  });

  it('returns undefined for a pod the snapshot does not have', () => {
    expect(explainPod(cluster({ pods: [pod({ name: 'web-0' })] }), 'default/web-9')).toBeUndefined();
  });
});
