import { describe, expect, it } from 'vitest';
import { LABEL_CAPACITY_TYPE, LABEL_ZONE } from '../../../shared/core/labels.js';
import { daemonSet, instanceType, node, nodePool, pod, pods, snapshot, ZONES } from '../../fixtures/builders.js';
import { expectPending, expectScheduled, nodeOf, planChecked } from './helpers.js';

const SIZES = [
  instanceType('fake-it-1', { cpu: '1', memory: '2Gi', price: 0.05 }),
  instanceType('fake-it-2', { cpu: '2', memory: '4Gi', price: 0.1 }),
  instanceType('fake-it-4', { cpu: '4', memory: '8Gi', price: 0.2 }),
];
const app = { app: 'web' };
const selector = { matchLabels: app };

describe('solve: more topology', () => {
  it('spreads over capacity types like any other label', () => {
    const spread = [
      {
        maxSkew: 1,
        topologyKey: LABEL_CAPACITY_TYPE,
        whenUnsatisfiable: 'DoNotSchedule' as const,
        labelSelector: selector,
      },
    ];
    const result = planChecked(
      snapshot({
        pods: pods(4, { name: 'web', cpu: '1', labels: app, topologySpreadConstraints: spread }),
        instanceTypes: SIZES,
      }),
    );
    const byType = (ct: string) => result.newNodes.filter((n) => n.capacityType === ct).flatMap((n) => n.pods).length;
    expect([byType('on-demand'), byType('spot')]).toEqual([2, 2]);
  });

  it('treats the global minimum as 0 while fewer than minDomains zones are eligible', () => {
    // The pod may only use two zones; with minDomains 3 the skew is measured against 0, so each zone takes at most 1.
    const spread = [
      {
        maxSkew: 1,
        minDomains: 3,
        topologyKey: LABEL_ZONE,
        whenUnsatisfiable: 'DoNotSchedule' as const,
        labelSelector: selector,
      },
    ];
    const twoZones = {
      requiredNodeAffinity: [
        { matchExpressions: [{ key: LABEL_ZONE, operator: 'In' as const, values: [ZONES[0], ZONES[1]] }] },
      ],
    };
    const result = planChecked(
      snapshot({
        pods: pods(3, { name: 'web', cpu: '1', labels: app, topologySpreadConstraints: spread, ...twoZones }),
        instanceTypes: SIZES,
      }),
    );
    expect(result.newNodes.flatMap((n) => n.pods)).toHaveLength(2);
    expect(result.unschedulable).toHaveLength(1);
  });

  it('counts only pods on nodes matching the pod node affinity (nodeAffinityPolicy Honor), or all with Ignore', () => {
    // Two matching pods run on an arm64 node in zone a; the new pods require amd64.
    const armNode = node('arm-a', { zone: ZONES[0], cpu: '4', labels: { 'kubernetes.io/arch': 'arm64' } });
    const running = pods(2, { name: 'old', cpu: '100m', labels: app, nodeName: 'arm-a', phase: 'Running' });
    const spread = (policy: 'Honor' | 'Ignore') => [
      {
        maxSkew: 1,
        topologyKey: LABEL_ZONE,
        whenUnsatisfiable: 'DoNotSchedule' as const,
        labelSelector: selector,
        nodeAffinityPolicy: policy,
      },
    ];
    const fresh = (policy: 'Honor' | 'Ignore') =>
      pods(3, {
        name: `new-${policy}`,
        cpu: '1',
        labels: app,
        nodeSelector: { 'kubernetes.io/arch': 'amd64' },
        topologySpreadConstraints: spread(policy),
      });
    const honor = planChecked(
      snapshot({ pods: [...running, ...fresh('Honor')], nodes: [armNode], instanceTypes: SIZES }),
    );
    expect(honor.newNodes.map((n) => n.zone).sort()).toEqual([...ZONES]);
    const ignore = planChecked(
      snapshot({ pods: [...running, ...fresh('Ignore')], nodes: [armNode], instanceTypes: SIZES }),
    );
    // Zone a already holds 2 matching pods: the three new ones go to b and c (b:2,c:1 or b:1,c:2).
    expect(ignore.newNodes.flatMap((n) => (n.zone === ZONES[0] ? n.pods : []))).toEqual([]);
  });

  it('schedules a pod whose affinity target is in the same batch, whatever the order', () => {
    const follower = pod({
      name: 'api',
      cpu: '2',
      podAffinity: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }],
    });
    const target = pod({ name: 'db', cpu: '1', labels: { app: 'db' } });
    const result = planChecked(snapshot({ pods: [follower, target], instanceTypes: SIZES }));
    expect(nodeOf(result, 'api')).toBe(nodeOf(result, 'db'));
  });

  it('relaxes a preferred anti-affinity it cannot honour, and keeps one it can', () => {
    const prefer = (key: string) => [{ weight: 10, podAffinityTerm: { topologyKey: key, labelSelector: selector } }];
    const result = planChecked(
      snapshot({
        pods: pods(4, { name: 'web', cpu: '1', labels: app, preferredPodAntiAffinity: prefer(LABEL_ZONE) }),
        instanceTypes: SIZES,
      }),
    );
    expectScheduled(result, 'web-0', 'web-1', 'web-2', 'web-3');
    const zones = new Set(result.newNodes.map((n) => n.zone));
    expect(zones.size).toBe(3);
  });
});

describe('solve: more requirements', () => {
  it('supports Gte and Lte', () => {
    const labelled = SIZES.map((t, i) =>
      instanceType(t.name, {
        cpu: String(2 ** i),
        memory: `${2 ** (i + 1)}Gi`,
        price: 0.05 * 2 ** i,
        labels: { size: String(2 ** i) },
      }),
    );
    const pool = nodePool('default', { requirements: [{ key: 'size', operator: 'Exists' }] });
    const p = pod({
      name: 'p',
      cpu: '100m',
      requiredNodeAffinity: [
        {
          matchExpressions: [
            { key: 'size', operator: 'Gte', values: ['2'] },
            { key: 'size', operator: 'Lte', values: ['2'] },
          ],
        },
      ],
    });
    expect(
      nodeOf(planChecked(snapshot({ pods: [p], nodePools: [pool], instanceTypes: labelled })), 'p').instanceType,
    ).toBe('fake-it-2');
  });

  it('rejects an operator it does not know, with the reason', () => {
    const p = pod({
      name: 'p',
      cpu: '1',
      requiredNodeAffinity: [{ matchExpressions: [{ key: 'team', operator: 'Like' as 'In', values: ['a'] }] }],
    });
    expectPending(
      planChecked(snapshot({ pods: [p], instanceTypes: SIZES })),
      'p',
      /operator "Like" on team is not supported/,
    );
  });

  it('rejects Gt with a value that is not an integer', () => {
    const p = pod({
      name: 'p',
      cpu: '1',
      requiredNodeAffinity: [{ matchExpressions: [{ key: 'size', operator: 'Gt', values: ['big'] }] }],
    });
    expectPending(
      planChecked(snapshot({ pods: [p], instanceTypes: SIZES })),
      'p',
      /needs a single non-negative integer/,
    );
  });
});

describe('solve: more DaemonSets', () => {
  it('counts a DaemonSet only on the instance types its node affinity allows', () => {
    const bigOnly = daemonSet('gpu-agent', {
      cpu: '1500m',
      requiredNodeAffinity: [
        { matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['fake-it-4'] }] },
      ],
    });
    const result = planChecked(
      snapshot({ pods: [pod({ name: 'p', cpu: '1500m' })], daemonSets: [bigOnly], instanceTypes: SIZES }),
    );
    // fake-it-2 carries no agent, so 1.5 CPU fits there.
    expect(nodeOf(result, 'p').instanceType).toBe('fake-it-2');
  });

  it('reserves room on an existing node for a DaemonSet that has no pod there yet', () => {
    const ds = daemonSet('logging', { cpu: '1' });
    const result = planChecked(
      snapshot({
        pods: [pod({ name: 'p', cpu: '1500m' })],
        nodes: [node('n1', { cpu: '2' })],
        daemonSets: [ds],
        instanceTypes: SIZES,
      }),
    );
    expect(result.existingNodes).toEqual([]);
    expectScheduled(result, 'p');
  });
});
