import { describe, expect, it } from 'vitest';
import { defaultNodeClass } from '../../shared/config/convert.js';
import { parseDocument } from '../../shared/config/document.js';
import type { NodeClass, NodePool } from '../../shared/core/model/nodepool.js';
import { merge, nodeClass, nodePool } from './builders.js';

const GiB = 2 ** 30;
const HOUR = 3_600_000;

function toPool(doc: Record<string, unknown>): NodePool {
  const parsed = parseDocument(doc, 'test.yaml');
  if (!parsed.nodePool) throw new Error(parsed.issues.map((i) => i.message).join('\n'));
  return parsed.nodePool;
}

function toClass(doc: Record<string, unknown>): NodeClass {
  const parsed = parseDocument(doc, 'test.yaml');
  if (!parsed.nodeClass) throw new Error(parsed.issues.map((i) => i.message).join('\n'));
  return parsed.nodeClass;
}

describe('NodePool conversion', () => {
  it('converts a bare pool with every default', () => {
    expect(toPool(nodePool())).toEqual({
      name: 'web',
      weight: 0,
      nodeClassName: 'default',
      labels: {},
      annotations: {},
      requirements: [],
      taints: [],
      startupTaints: [],
      expireAfterMs: 720 * HOUR,
      terminationGracePeriodMs: null,
      consolidationPolicy: 'WhenEmptyOrUnderutilized',
      consolidateAfterMs: 0,
      budgets: [{ nodes: '10%' }],
      limits: {},
      templateHash: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });

  it('reads 720h as 2592000000 ms and Never as null', () => {
    const pool = toPool(
      nodePool({ spec: { template: { spec: { expireAfter: '720h' } }, disruption: { consolidateAfter: 'Never' } } }),
    );
    expect(pool.expireAfterMs).toBe(2_592_000_000);
    expect(pool.consolidateAfterMs).toBeNull();
    expect(toPool(nodePool({ spec: { template: { spec: { expireAfter: 'Never' } } } })).expireAfterMs).toBeNull();
  });

  it('puts limits in canonical units: cpu in millicores, memory in bytes', () => {
    const pool = toPool(
      nodePool({ spec: { limits: { cpu: '250m', memory: '1.5Gi', nodes: 10, 'nvidia.com/gpu': '4' } } }),
    );
    expect(pool.limits).toEqual({ cpu: 250, memory: 1_610_612_736, nodes: 10, 'nvidia.com/gpu': 4 });
  });

  it('converts budgets, taints, weight, grace period and extensions', () => {
    const pool = toPool(
      nodePool({
        spec: {
          weight: 10,
          template: {
            metadata: { labels: { team: 'web' }, annotations: { 'example.com/owner': 'me' } },
            spec: {
              taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }],
              startupTaints: [{ key: 'example.com/init', effect: 'NoExecute', timeAdded: '2024-01-01T00:00:00Z' }],
              terminationGracePeriod: '48h',
            },
          },
          disruption: {
            consolidationPolicy: 'WhenEmpty',
            budgets: [{ nodes: 0, schedule: '0 9 * * mon-fri', duration: '8h', reasons: ['Drifted', 'Underutilized'] }],
          },
          fleetwright: {
            consolidation: { minSavings: { percent: 10 } },
            disruption: { windows: [{ schedule: '0 2 * * *', duration: '3h' }] },
            limits: { hourlyCost: 12.5 },
          },
        },
      }),
    );
    expect(pool).toMatchObject({
      weight: 10,
      labels: { team: 'web' },
      annotations: { 'example.com/owner': 'me' },
      taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }],
      startupTaints: [{ key: 'example.com/init', effect: 'NoExecute' }],
      terminationGracePeriodMs: 48 * HOUR,
      consolidationPolicy: 'WhenEmpty',
      budgets: [
        { nodes: '0', schedule: '0 9 * * mon-fri', durationMs: 8 * HOUR, reasons: ['Drifted', 'Underutilized'] },
      ],
      minSavings: { percent: 10 },
      disruptionWindows: [{ schedule: '0 2 * * *', durationMs: 3 * HOUR }],
      hourlyCostLimit: 12.5,
    });
    expect(pool.startupTaints[0]).not.toHaveProperty('timeAdded');
  });

  it('keeps requirements in wire form, with legacy keys normalized', () => {
    const requirements = [
      { key: 'beta.kubernetes.io/arch', operator: 'In', values: ['amd64'] },
      { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm'], minValues: 2 },
      { key: 'example.com/gone', operator: 'DoesNotExist' },
    ];
    expect(toPool(nodePool({ spec: { template: { spec: { requirements } } } })).requirements).toEqual([
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
      { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm'], minValues: 2 },
      { key: 'example.com/gone', operator: 'DoesNotExist' },
    ]);
  });

  it('hashes the template: written defaults, key order and spec outside the template do not change it', () => {
    const base = toPool(nodePool()).templateHash;
    const explicitDefault = nodePool({ spec: { template: { spec: { expireAfter: '720h', taints: [] } } } });
    expect(toPool(explicitDefault).templateHash).toBe(base);
    expect(toPool(nodePool({ spec: { weight: 50, limits: { cpu: 8 } } })).templateHash).toBe(base);
    const reordered = {
      spec: {
        template: { spec: { nodeClassRef: { name: 'default', kind: 'EC2NodeClass', group: 'karpenter.k8s.aws' } } },
      },
    };
    expect(toPool(merge(nodePool(), reordered)).templateHash).toBe(base);
  });

  it('changes the template hash when the template changes', () => {
    const base = toPool(nodePool()).templateHash;
    expect(toPool(nodePool({ spec: { template: { metadata: { labels: { team: 'x' } } } } })).templateHash).not.toBe(
      base,
    );
    expect(toPool(nodePool({ spec: { template: { spec: { expireAfter: '24h' } } } })).templateHash).not.toBe(base);
  });
});

describe('EC2NodeClass conversion', () => {
  it('takes the AMI family from the alias', () => {
    expect(toClass(nodeClass()).amiFamily).toBe('AL2023');
    expect(toClass(nodeClass({ spec: { amiSelectorTerms: [{ alias: 'bottlerocket@latest' }] } })).amiFamily).toBe(
      'Bottlerocket',
    );
  });

  it('parses kubelet reservations and block device sizes', () => {
    const nc = toClass(
      nodeClass({
        spec: {
          kubelet: {
            maxPods: 110,
            podsPerCore: 4,
            kubeReserved: { cpu: '250m', memory: '1.5Gi', pid: '100' },
            systemReserved: { cpu: '100m', 'ephemeral-storage': '1Gi' },
            evictionHard: { 'memory.available': '5%' },
          },
          blockDeviceMappings: [
            { deviceName: '/dev/xvda', rootVolume: true, ebs: { volumeSize: '100Gi', volumeType: 'gp3' } },
            { deviceName: '/dev/xvdb', ebs: { snapshotID: 'snap-0123' } },
          ],
          instanceStorePolicy: 'RAID0',
        },
      }),
    );
    expect(nc.kubelet).toEqual({
      maxPods: 110,
      podsPerCore: 4,
      kubeReserved: { cpu: 250, memory: 1_610_612_736, pid: 100 },
      systemReserved: { cpu: 100, 'ephemeral-storage': GiB },
      evictionHard: { 'memory.available': '5%' },
    });
    expect(nc.blockDeviceMappings).toEqual([
      { deviceName: '/dev/xvda', rootVolume: true, volumeSizeBytes: 100 * GiB },
      { deviceName: '/dev/xvdb', rootVolume: false },
    ]);
    expect(nc.instanceStorePolicy).toBe('RAID0');
  });

  it('hashes the spec, defaults applied', () => {
    const base = toClass(nodeClass()).specHash;
    const explicit = nodeClass({ spec: { metadataOptions: { httpTokens: 'required' } } });
    expect(toClass(explicit).specHash).toBe(base);
    expect(toClass(nodeClass({ spec: { tags: { team: 'a' } } })).specHash).not.toBe(base);
  });
});

describe('defaultNodeClass', () => {
  it('is the AL2023 class named default that plan assumes', () => {
    expect(defaultNodeClass()).toEqual({
      name: 'default',
      amiFamily: 'AL2023',
      kubelet: {},
      blockDeviceMappings: [],
      specHash: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });
});
