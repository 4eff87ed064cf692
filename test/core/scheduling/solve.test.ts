import { describe, expect, it } from 'vitest';
import { LABEL_CAPACITY_TYPE, LABEL_INSTANCE_TYPE, LABEL_ZONE } from '../../../shared/core/labels.js';
import { canonicalQuantity } from '../../../shared/core/resources/quantity.js';
import { daemonSet, instanceType, node, nodePool, pod, pods, snapshot, taint, ZONES } from '../../fixtures/builders.js';
import { expectPending, expectScheduled, nodeOf, planChecked } from './helpers.js';

const SIZES = [
  instanceType('fake-it-1', { cpu: '1', memory: '2Gi', price: 0.05 }),
  instanceType('fake-it-2', { cpu: '2', memory: '4Gi', price: 0.1 }),
  instanceType('fake-it-4', { cpu: '4', memory: '8Gi', price: 0.2 }),
  instanceType('fake-it-8', { cpu: '8', memory: '16Gi', price: 0.4 }),
];

describe('solve: instance type choice and packing', () => {
  it('puts a 4.5-CPU pod on fake-it-8 and a lone 1-CPU pod on fake-it-1', () => {
    const big = planChecked(snapshot({ pods: [pod({ name: 'big', cpu: '4500m' })], instanceTypes: SIZES }));
    expect(nodeOf(big, 'big').instanceType).toBe('fake-it-8');
    const small = planChecked(snapshot({ pods: [pod({ name: 'small', cpu: '900m' })], instanceTypes: SIZES }));
    expect(nodeOf(small, 'small').instanceType).toBe('fake-it-1');
  });

  it('packs pods first-fit decreasing onto as few nodes as the largest type allows', () => {
    const result = planChecked(snapshot({ pods: pods(16, { cpu: '1' }), instanceTypes: SIZES }));
    // 16 CPUs of 1-CPU pods: two fake-it-8 nodes hold them exactly.
    expect(result.newNodes.map((n) => n.instanceType)).toEqual(['fake-it-8', 'fake-it-8']);
    expect(result.newNodes.map((n) => n.pods.length)).toEqual([8, 8]);
  });

  it('lists instance-type options cheapest first and picks spot by capacity-type priority', () => {
    const result = planChecked(snapshot({ pods: [pod({ name: 'p', cpu: '1500m' })], instanceTypes: SIZES }));
    const n = nodeOf(result, 'p');
    expect(n.instanceTypeOptions).toEqual(['fake-it-2', 'fake-it-4', 'fake-it-8']);
    expect(n.capacityType).toBe('spot');
    expect(n.hourlyPrice).toBe(0.07);
    expect(n.labels[LABEL_INSTANCE_TYPE]).toBe('fake-it-2');
    expect(result.hourlyCost).toEqual({ before: 0, after: 0.07 });
  });

  it('launches on-demand when the pool allows only on-demand', () => {
    const pool = nodePool('default', {
      requirements: [{ key: LABEL_CAPACITY_TYPE, operator: 'In', values: ['on-demand'] }],
    });
    const result = planChecked(
      snapshot({ pods: [pod({ name: 'p', cpu: '1' })], nodePools: [pool], instanceTypes: SIZES }),
    );
    expect(nodeOf(result, 'p').capacityType).toBe('on-demand');
    expect(nodeOf(result, 'p').hourlyPrice).toBe(0.05);
  });

  it('explains a pod larger than every type', () => {
    const result = planChecked(snapshot({ pods: [pod({ name: 'huge', cpu: '900' })], instanceTypes: SIZES }));
    expectPending(result, 'huge', /^no instance type has 900 cpu \(largest: 8\)$/);
  });

  it('truncates instance-type options to 60', () => {
    const many = Array.from({ length: 80 }, (_, i) => instanceType(`t-${i}`, { cpu: '4', price: 1 + i / 100 }));
    const result = planChecked(snapshot({ pods: [pod({ name: 'p', cpu: '1' })], instanceTypes: many }));
    expect(nodeOf(result, 'p').instanceTypeOptions).toHaveLength(60);
    expect(nodeOf(result, 'p').instanceTypeOptions[0]).toBe('t-0');
  });

  it('counts DaemonSet overhead per instance type', () => {
    const ds = daemonSet('logging', { cpu: '500m' });
    const result = planChecked(
      snapshot({ pods: [pod({ name: 'p', cpu: '1800m' })], daemonSets: [ds], instanceTypes: SIZES }),
    );
    // 1.8 + 0.5 does not fit fake-it-2's 2 CPUs.
    expect(nodeOf(result, 'p').instanceType).toBe('fake-it-4');
  });

  it('honours extended resources: a GPU pod only fits a GPU type', () => {
    const gpu = instanceType('gpu-1', { cpu: '8', price: 3, resources: { 'nvidia.com/gpu': '1' } });
    const result = planChecked(
      snapshot({
        pods: [pod({ name: 'train', cpu: '1', resources: { 'nvidia.com/gpu': '1' } }), pod({ name: 'web', cpu: '1' })],
        instanceTypes: [...SIZES, gpu],
      }),
    );
    expect(nodeOf(result, 'train').instanceType).toBe('gpu-1');
  });
});

describe('solve: existing and in-flight nodes', () => {
  it('uses room on an existing node before launching', () => {
    const result = planChecked(
      snapshot({ pods: [pod({ name: 'p', cpu: '1' })], nodes: [node('n1', { cpu: '4' })], instanceTypes: SIZES }),
    );
    expect(result.newNodes).toEqual([]);
    expect(result.existingNodes).toEqual([{ name: 'n1', pods: ['default/p'] }]);
  });

  it('counts pods already bound to a node', () => {
    const bound = pod({ name: 'bound', cpu: '3500m', nodeName: 'n1', phase: 'Running' });
    const result = planChecked(
      snapshot({
        pods: [bound, pod({ name: 'p', cpu: '1' })],
        nodes: [node('n1', { cpu: '4' })],
        instanceTypes: SIZES,
      }),
    );
    expect(result.existingNodes).toEqual([]);
    expect(nodeOf(result, 'p').instanceType).toBe('fake-it-1');
  });

  it('plans onto an in-flight node despite its boot-time taints', () => {
    const inFlight = node('booting', {
      ready: false,
      taints: [taint('node.kubernetes.io/not-ready'), taint('example.com/agent-not-ready')],
    });
    const pool = nodePool('default', { startupTaints: [taint('example.com/agent-not-ready')] });
    const result = planChecked(
      snapshot({
        pods: [pod({ name: 'p', cpu: '1' })],
        nodes: [{ ...inFlight, labels: { ...inFlight.labels, 'karpenter.sh/nodepool': 'default' } }],
        nodePools: [pool],
        instanceTypes: SIZES,
      }),
    );
    expect(result.existingNodes).toEqual([{ name: 'booting', pods: ['default/p'] }]);
  });

  it('does not place pods on a node being disrupted, and re-plans its pods', () => {
    const leaving = node('leaving', { taints: [taint('fleetwright.io/disrupted')] });
    const running = pod({ name: 'moved', cpu: '1', nodeName: 'leaving', phase: 'Running' });
    const result = planChecked(
      snapshot({ pods: [running, pod({ name: 'p', cpu: '1' })], nodes: [leaving], instanceTypes: SIZES }),
    );
    expect(result.existingNodes).toEqual([]);
    expectScheduled(result, 'moved', 'p');
    expect(result.newNodes).toHaveLength(1);
  });
});

describe('solve: taints and tolerations', () => {
  const tainted = nodePool('gpu', { taints: [taint('dedicated', 'NoSchedule', 'gpu')] });

  it('refuses a pool whose taint the pod does not tolerate, and says so', () => {
    const result = planChecked(
      snapshot({ pods: [pod({ name: 'p', cpu: '1' })], nodePools: [tainted], instanceTypes: SIZES }),
    );
    expectPending(result, 'p', /does not tolerate taint dedicated=gpu:NoSchedule/);
  });

  it('uses it when the pod tolerates the taint', () => {
    const p = pod({ name: 'p', cpu: '1', tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu' }] });
    const result = planChecked(snapshot({ pods: [p], nodePools: [tainted], instanceTypes: SIZES }));
    expect(nodeOf(result, 'p').taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
  });

  it('treats PreferNoSchedule as hard until relaxed, then uses the pool', () => {
    const soft = nodePool('soft', { taints: [taint('maybe', 'PreferNoSchedule')] });
    const result = planChecked(
      snapshot({ pods: [pod({ name: 'p', cpu: '1' })], nodePools: [soft], instanceTypes: SIZES }),
    );
    expectScheduled(result, 'p');
  });

  it('does not require startup taints to be tolerated, and reports them on the node', () => {
    const pool = nodePool('default', { startupTaints: [taint('example.com/agent-not-ready')] });
    const result = planChecked(
      snapshot({ pods: [pod({ name: 'p', cpu: '1' })], nodePools: [pool], instanceTypes: SIZES }),
    );
    expect(nodeOf(result, 'p').taints).toEqual([{ key: 'example.com/agent-not-ready', effect: 'NoSchedule' }]);
  });
});

describe('solve: requirements and node affinity', () => {
  it('puts a pod with a zone node selector in that zone', () => {
    const p = pod({ name: 'p', cpu: '1', nodeSelector: { [LABEL_ZONE]: 'test-zone-b' } });
    const result = planChecked(snapshot({ pods: [p], instanceTypes: SIZES }));
    expect(nodeOf(result, 'p').zone).toBe('test-zone-b');
  });

  it('requires custom labels to be defined by the pool', () => {
    const p = pod({ name: 'p', cpu: '1', nodeSelector: { team: 'a' } });
    const undefinedKey = planChecked(snapshot({ pods: [p], instanceTypes: SIZES }));
    expectPending(undefinedKey, 'p', /label "team" does not have known values/);
    const pool = nodePool('default', { labels: { team: 'a' } });
    const defined = planChecked(snapshot({ pods: [p], nodePools: [pool], instanceTypes: SIZES }));
    expect(nodeOf(defined, 'p').labels.team).toBe('a');
  });

  it('lets NotIn and DoesNotExist on undefined custom labels pass', () => {
    const p = pod({
      name: 'p',
      cpu: '1',
      requiredNodeAffinity: [{ matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['b'] }] }],
    });
    expectScheduled(planChecked(snapshot({ pods: [p], instanceTypes: SIZES })), 'p');
  });

  it('falls back to the next required node-affinity term when the first cannot be met', () => {
    const p = pod({
      name: 'p',
      cpu: '1',
      requiredNodeAffinity: [
        { matchExpressions: [{ key: LABEL_ZONE, operator: 'In', values: ['nowhere'] }] },
        { matchExpressions: [{ key: LABEL_ZONE, operator: 'In', values: ['test-zone-c'] }] },
      ],
    });
    expect(nodeOf(planChecked(snapshot({ pods: [p], instanceTypes: SIZES })), 'p').zone).toBe('test-zone-c');
  });

  it('honours a preferred node affinity when it can, and relaxes it when it cannot', () => {
    const prefers = (zone: string) =>
      pod({
        name: `p-${zone}`,
        cpu: '1',
        preferredNodeAffinity: [
          { weight: 10, preference: { matchExpressions: [{ key: LABEL_ZONE, operator: 'In', values: [zone] }] } },
        ],
      });
    const result = planChecked(snapshot({ pods: [prefers('test-zone-c'), prefers('mars')], instanceTypes: SIZES }));
    expect(nodeOf(result, 'p-test-zone-c').zone).toBe('test-zone-c');
    expectScheduled(result, 'p-mars');
  });

  it('supports Gt and Lt on numeric labels', () => {
    const numbered = SIZES.map((t) =>
      instanceType(t.name, {
        cpu: String(canonicalQuantity('cpu', t.allocatable.cpu as number) / 1e6),
        labels: { cpus: String((t.allocatable.cpu as number) / 1000) },
        price: t.offerings[0]?.price,
      }),
    );
    const pool = nodePool('default', { requirements: [{ key: 'cpus', operator: 'Exists' }] });
    const p = pod({
      name: 'p',
      cpu: '100m',
      requiredNodeAffinity: [
        {
          matchExpressions: [
            { key: 'cpus', operator: 'Gt', values: ['2'] },
            { key: 'cpus', operator: 'Lt', values: ['8'] },
          ],
        },
      ],
    });
    expect(
      nodeOf(planChecked(snapshot({ pods: [p], nodePools: [pool], instanceTypes: numbered })), 'p').instanceType,
    ).toBe('fake-it-4');
  });

  it('rejects pods that require restricted labels, with the reason', () => {
    const p = pod({ name: 'p', cpu: '1', nodeSelector: { 'kubernetes.io/hostname': 'ip-10-0-0-1' } });
    expectPending(planChecked(snapshot({ pods: [p], instanceTypes: SIZES })), 'p', /restricted/);
  });

  it('applies minValues strictly by default and best-effort when asked', () => {
    const pool = nodePool('default', {
      requirements: [{ key: LABEL_INSTANCE_TYPE, operator: 'Exists', minValues: 3 }],
    });
    const p = pod({ name: 'p', cpu: '3' });
    const strict = planChecked(snapshot({ pods: [p], nodePools: [pool], instanceTypes: SIZES }));
    expectPending(strict, 'p', /minValues 3/);
    const relaxed = planChecked(
      snapshot({ pods: [p], nodePools: [pool], instanceTypes: SIZES, settings: { minValuesPolicy: 'BestEffort' } }),
    );
    expectScheduled(relaxed, 'p');
  });
});

describe('solve: NodePools', () => {
  it('tries pools by weight, then name descending, regardless of price', () => {
    const cheapTypes = SIZES;
    const a = nodePool('a');
    const b = nodePool('b');
    const heavy = nodePool('heavy', { weight: 50 });
    const byName = planChecked(
      snapshot({ pods: [pod({ name: 'p', cpu: '1' })], nodePools: [a, b], instanceTypes: cheapTypes }),
    );
    expect(nodeOf(byName, 'p').nodePool).toBe('b');
    const byWeight = planChecked(
      snapshot({ pods: [pod({ name: 'p', cpu: '1' })], nodePools: [a, b, heavy], instanceTypes: cheapTypes }),
    );
    expect(nodeOf(byWeight, 'p').nodePool).toBe('heavy');
  });

  it('says "no NodePools" when there are none', () => {
    expectPending(planChecked(snapshot({ pods: [pod({ name: 'p' })], nodePools: [] })), 'p', /^no NodePools$/);
  });

  it('keeps within cpu limits, counting existing nodes and each new node at its largest option', () => {
    const pool = nodePool('default', { limits: { cpu: 16000 } });
    const existing = node('n1', { cpu: '8', pool: 'default', pods: 0 });
    const result = planChecked(
      snapshot({ pods: pods(3, { name: 'w', cpu: '3' }), nodes: [existing], nodePools: [pool], instanceTypes: SIZES }),
    );
    // 8 CPUs left: one fake-it-8 (3+3) and no more room for a third 3-CPU pod.
    expect(result.newNodes).toHaveLength(1);
    expect(result.unschedulable).toHaveLength(1);
    expect(result.unschedulable[0]?.reason).toMatch(/limits reached/);
  });

  it('keeps within a nodes limit', () => {
    const pool = nodePool('default', { limits: { nodes: 2 } });
    const result = planChecked(
      snapshot({
        pods: pods(3, {
          name: 'w',
          cpu: '1',
          podAntiAffinity: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'w' } } }],
          labels: { app: 'w' },
        }),
        nodePools: [pool],
        instanceTypes: SIZES,
      }),
    );
    expect(result.newNodes).toHaveLength(2);
    expect(result.unschedulable[0]?.reason).toMatch(/limit of 2 nodes/);
  });
});

describe('solve: topology', () => {
  const app = { app: 'web' };
  const selector = { matchLabels: app };

  it('spreads pods over zones with maxSkew 1', () => {
    const spread = [
      { maxSkew: 1, topologyKey: LABEL_ZONE, whenUnsatisfiable: 'DoNotSchedule' as const, labelSelector: selector },
    ];
    const result = planChecked(
      snapshot({
        pods: pods(6, { name: 'web', cpu: '1', labels: app, topologySpreadConstraints: spread }),
        instanceTypes: SIZES,
      }),
    );
    const perZone = ZONES.map((z) => result.newNodes.filter((n) => n.zone === z).flatMap((n) => n.pods).length);
    expect(perZone).toEqual([2, 2, 2]);
  });

  it('spreads over zones a pod that also has a node selector (pool domains ignore node affinity)', () => {
    const spread = [
      { maxSkew: 1, topologyKey: LABEL_ZONE, whenUnsatisfiable: 'DoNotSchedule' as const, labelSelector: selector },
    ];
    const result = planChecked(
      snapshot({
        pods: pods(3, {
          name: 'web',
          cpu: '1',
          labels: app,
          nodeSelector: { 'kubernetes.io/arch': 'amd64' },
          topologySpreadConstraints: spread,
        }),
        instanceTypes: SIZES,
      }),
    );
    expect(result.newNodes.map((n) => n.zone).sort()).toEqual([...ZONES]);
  });

  it('spreads over hostnames: at most maxSkew matching pods per node', () => {
    const spread = [
      {
        maxSkew: 2,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'DoNotSchedule' as const,
        labelSelector: selector,
      },
    ];
    const result = planChecked(
      snapshot({
        pods: pods(6, { name: 'web', cpu: '100m', labels: app, topologySpreadConstraints: spread }),
        instanceTypes: SIZES,
      }),
    );
    expect(result.newNodes.map((n) => n.pods.length)).toEqual([2, 2, 2]);
  });

  it('counts pods already running in a zone', () => {
    const spread = [
      { maxSkew: 1, topologyKey: LABEL_ZONE, whenUnsatisfiable: 'DoNotSchedule' as const, labelSelector: selector },
    ];
    const existing = node('n-a', { zone: 'test-zone-a', cpu: '1' });
    const running = pods(2, { name: 'old', cpu: '400m', labels: app, nodeName: 'n-a', phase: 'Running' });
    const result = planChecked(
      snapshot({
        pods: [...running, ...pods(2, { name: 'new', cpu: '1', labels: app, topologySpreadConstraints: spread })],
        nodes: [existing],
        instanceTypes: SIZES,
      }),
    );
    expect(result.newNodes.map((n) => n.zone).sort()).toEqual(['test-zone-b', 'test-zone-c']);
  });

  it('puts each pod with hostname anti-affinity on its own node', () => {
    const anti = [{ topologyKey: 'kubernetes.io/hostname', labelSelector: selector }];
    const result = planChecked(
      snapshot({
        pods: pods(4, { name: 'db', cpu: '100m', labels: app, podAntiAffinity: anti }),
        instanceTypes: SIZES,
      }),
    );
    expect(result.newNodes).toHaveLength(4);
    expect(result.newNodes.every((n) => n.instanceType === 'fake-it-1')).toBe(true);
  });

  it('keeps zonal anti-affinity pods in distinct zones and leaves the fourth pending', () => {
    const anti = [{ topologyKey: LABEL_ZONE, labelSelector: selector }];
    const result = planChecked(
      snapshot({ pods: pods(4, { name: 'zk', cpu: '1', labels: app, podAntiAffinity: anti }), instanceTypes: SIZES }),
    );
    expect(new Set(result.newNodes.map((n) => n.zone)).size).toBe(3);
    expect(result.unschedulable).toHaveLength(1);
    expect(result.unschedulable[0]?.reason).toMatch(/anti-affinity/);
  });

  it('co-locates self-affine pods in one zone', () => {
    const affinity = [{ topologyKey: LABEL_ZONE, labelSelector: selector }];
    const result = planChecked(
      snapshot({
        pods: pods(12, { name: 'cache', cpu: '2', labels: app, podAffinity: affinity }),
        instanceTypes: SIZES,
      }),
    );
    expect(new Set(result.newNodes.map((n) => n.zone))).toEqual(new Set(['test-zone-a']));
  });

  it('places a pod next to the pod it has affinity to', () => {
    const existing = node('n-b', { zone: 'test-zone-b', cpu: '1' });
    const target = pod({ name: 'db', cpu: '900m', labels: { app: 'db' }, nodeName: 'n-b', phase: 'Running' });
    const follower = pod({
      name: 'api',
      cpu: '1',
      podAffinity: [{ topologyKey: LABEL_ZONE, labelSelector: { matchLabels: { app: 'db' } } }],
    });
    const result = planChecked(snapshot({ pods: [target, follower], nodes: [existing], instanceTypes: SIZES }));
    expect(nodeOf(result, 'api').zone).toBe('test-zone-b');
  });

  it('leaves a pod pending when its affinity target does not exist', () => {
    const lonely = pod({
      name: 'api',
      cpu: '1',
      podAffinity: [{ topologyKey: LABEL_ZONE, labelSelector: { matchLabels: { app: 'nope' } } }],
    });
    expectPending(planChecked(snapshot({ pods: [lonely], instanceTypes: SIZES })), 'api', /pod affinity/);
  });

  it('respects the anti-affinity of pods already running (inverse anti-affinity)', () => {
    const existing = node('n-a', { zone: 'test-zone-a', cpu: '8' });
    const guard = pod({
      name: 'guard',
      cpu: '1',
      nodeName: 'n-a',
      phase: 'Running',
      podAntiAffinity: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { noisy: 'yes' } } }],
    });
    const noisy = pod({ name: 'noisy', cpu: '1', labels: { noisy: 'yes' } });
    const result = planChecked(snapshot({ pods: [guard, noisy], nodes: [existing], instanceTypes: SIZES }));
    expect(result.existingNodes).toEqual([]);
    expectScheduled(result, 'noisy');
  });

  it('relaxes a ScheduleAnyway spread when it cannot be met', () => {
    const spread = [
      {
        maxSkew: 1,
        topologyKey: 'example.com/rack',
        whenUnsatisfiable: 'ScheduleAnyway' as const,
        labelSelector: selector,
      },
    ];
    const result = planChecked(
      snapshot({
        pods: pods(2, { name: 'web', cpu: '1', labels: app, topologySpreadConstraints: spread }),
        instanceTypes: SIZES,
      }),
    );
    expectScheduled(result, 'web-0', 'web-1');
  });
});

describe('solve: host ports', () => {
  it('puts two pods that want the same host port on different nodes', () => {
    const hostPorts = [{ port: 8080, protocol: 'TCP', hostIP: '' }];
    const result = planChecked(
      snapshot({ pods: pods(2, { name: 'proxy', cpu: '100m', hostPorts }), instanceTypes: SIZES }),
    );
    expect(result.newNodes).toHaveLength(2);
  });

  it('lets different protocols share a port', () => {
    const result = planChecked(
      snapshot({
        pods: [
          pod({ name: 'tcp', cpu: '100m', hostPorts: [{ port: 53, protocol: 'TCP', hostIP: '' }] }),
          pod({ name: 'udp', cpu: '100m', hostPorts: [{ port: 53, protocol: 'UDP', hostIP: '' }] }),
        ],
        instanceTypes: SIZES,
      }),
    );
    expect(result.newNodes).toHaveLength(1);
  });
});

describe('solve: determinism', () => {
  it('gives the same plan, byte for byte, for the same input', () => {
    const input = () =>
      snapshot({
        pods: pods(40, {
          name: 'w',
          cpu: '700m',
          labels: { app: 'w' },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: LABEL_ZONE,
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: { matchLabels: { app: 'w' } },
            },
          ],
        }),
        instanceTypes: SIZES,
      });
    expect(JSON.stringify(planChecked(input()))).toBe(JSON.stringify(planChecked(input())));
  });
});

describe('plan: what a launch would get', () => {
  it('leaves bare-metal and GPU types out of a general pod node options, as Karpenter launches', () => {
    const metal = instanceType('fake-it-8.metal', {
      cpu: '8',
      memory: '16Gi',
      price: 0.39,
      labels: { 'karpenter.k8s.aws/instance-size': 'metal' },
    });
    const gpu = instanceType('gpu-8', { cpu: '8', memory: '16Gi', price: 0.38, resources: { 'nvidia.com/gpu': '1' } });
    const result = planChecked(
      snapshot({ pods: [pod({ name: 'p', cpu: '7' })], instanceTypes: [...SIZES, metal, gpu] }),
    );
    expect(nodeOf(result, 'p').instanceTypeOptions).toEqual(['fake-it-8']);
  });

  it('keeps exotic types when only they fit', () => {
    const gpu = instanceType('gpu-8', { cpu: '8', price: 3, resources: { 'nvidia.com/gpu': '1' } });
    const result = planChecked(
      snapshot({
        pods: [pod({ name: 'p', cpu: '1', resources: { 'nvidia.com/gpu': '1' } })],
        instanceTypes: [...SIZES, gpu],
      }),
    );
    expect(nodeOf(result, 'p').instanceTypeOptions).toEqual(['gpu-8']);
  });
});
