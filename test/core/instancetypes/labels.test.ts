// Labels and requirements of instance types (research/aws-provider.md §h.1): GPU and non-GPU types, labels
// derived from the name, absent labels as DoesNotExist, zone and capacity type from the offerings.

import { describe, expect, it } from 'vitest';
import {
  AWS_INSTANCE_LABELS,
  LABEL_CAPACITY_TYPE,
  LABEL_WINDOWS_BUILD,
  LABEL_ZONE,
} from '../../../shared/core/labels.js';
import type { InstanceType } from '../../../shared/core/model/instancetype.js';
import type { NodeSelectorRequirement } from '../../../shared/core/requirements/requirement.js';
import { ALLOW_WELL_KNOWN, Requirements } from '../../../shared/core/requirements/requirements.js';
import { bundledType, fakeEntry, nodeClass, resolveOne } from '../../fixtures/instance-types.js';

const AWS = 'karpenter.k8s.aws/';
const GPU_LABELS = ['gpu-name', 'gpu-manufacturer', 'gpu-count', 'gpu-memory'].map((l) => `${AWS}instance-${l}`);
const ACCELERATOR_LABELS = ['accelerator-name', 'accelerator-manufacturer', 'accelerator-count'].map(
  (l) => `${AWS}instance-${l}`,
);

function operatorOf(type: InstanceType, key: string): string | undefined {
  return type.requirements.get(key)?.operator();
}

/** Would a pod with this node affinity accept the type? */
function accepts(type: InstanceType, ...terms: NodeSelectorRequirement[]): boolean {
  return type.requirements.compatible(Requirements.fromWire(terms), ALLOW_WELL_KNOWN);
}

describe('labels of a GPU type', () => {
  it('g5.xlarge carries every well-known label with Karpenter values', () => {
    expect(bundledType('g5.xlarge').labels).toEqual({
      'node.kubernetes.io/instance-type': 'g5.xlarge',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/os': 'linux',
      'topology.kubernetes.io/region': 'us-east-1',
      [`${AWS}instance-category`]: 'g',
      [`${AWS}instance-family`]: 'g5',
      [`${AWS}instance-generation`]: '5',
      [`${AWS}instance-size`]: 'xlarge',
      [`${AWS}instance-capability-flex`]: 'false',
      [`${AWS}instance-cpu`]: '4',
      [`${AWS}instance-cpu-manufacturer`]: 'amd',
      [`${AWS}instance-cpu-sustained-clock-speed-mhz`]: '3300',
      [`${AWS}instance-memory`]: '16384',
      [`${AWS}instance-ebs-bandwidth`]: '3500',
      [`${AWS}instance-network-bandwidth`]: '2500',
      [`${AWS}instance-hypervisor`]: 'nitro',
      [`${AWS}instance-encryption-in-transit-supported`]: 'true',
      [`${AWS}instance-local-nvme`]: '250',
      [`${AWS}instance-gpu-name`]: 'a10g',
      [`${AWS}instance-gpu-manufacturer`]: 'nvidia',
      [`${AWS}instance-gpu-count`]: '1',
      [`${AWS}instance-gpu-memory`]: '22888',
    });
  });

  it('p5.48xlarge: 8 H100 with 80 GiB each; no accelerator labels', () => {
    const type = bundledType('p5.48xlarge');
    expect(type.labels).toMatchObject({
      [`${AWS}instance-gpu-name`]: 'h100',
      [`${AWS}instance-gpu-count`]: '8',
      [`${AWS}instance-gpu-memory`]: '81920',
      [`${AWS}instance-local-nvme`]: '30400',
    });
    expect(ACCELERATOR_LABELS.map((key) => operatorOf(type, key))).toEqual(Array(3).fill('DoesNotExist'));
  });

  it('accepts pods selecting on GPU name and count', () => {
    const type = bundledType('g5.xlarge');
    expect(accepts(type, { key: `${AWS}instance-gpu-name`, operator: 'In', values: ['a10g', 't4'] })).toBe(true);
    expect(accepts(type, { key: `${AWS}instance-gpu-count`, operator: 'Gt', values: ['0'] })).toBe(true);
    expect(accepts(type, { key: `${AWS}instance-gpu-name`, operator: 'In', values: ['h100'] })).toBe(false);
  });
});

describe('labels of a non-GPU type', () => {
  const type = bundledType('m5.large');

  it('m5.large has every GPU, accelerator and local-NVMe label as DoesNotExist', () => {
    for (const key of [...GPU_LABELS, ...ACCELERATOR_LABELS, `${AWS}instance-local-nvme`]) {
      expect(type.labels).not.toHaveProperty(key);
      expect(operatorOf(type, key)).toBe('DoesNotExist');
    }
  });

  it('rejects pods that need a GPU and accepts pods that exclude one', () => {
    expect(accepts(type, { key: `${AWS}instance-gpu-count`, operator: 'Gt', values: ['0'] })).toBe(false);
    expect(accepts(type, { key: `${AWS}instance-gpu-name`, operator: 'Exists' })).toBe(false);
    expect(accepts(type, { key: `${AWS}instance-gpu-name`, operator: 'DoesNotExist' })).toBe(true);
  });

  it('defines every AWS instance label and the Windows build, one way or the other', () => {
    for (const key of [...AWS_INSTANCE_LABELS, LABEL_WINDOWS_BUILD]) expect(type.requirements.has(key)).toBe(true);
    expect(accepts(type, { key: LABEL_WINDOWS_BUILD, operator: 'In', values: ['10.0.17763'] })).toBe(false);
  });
});

describe('labels of other types', () => {
  it('Graviton: arm64, manufacturer aws', () => {
    expect(bundledType('m6g.large').labels).toMatchObject({
      'kubernetes.io/arch': 'arm64',
      [`${AWS}instance-cpu-manufacturer`]: 'aws',
    });
  });

  it('bare metal keeps an empty hypervisor value; flex, u-6tb1 and g6f follow Karpenter', () => {
    expect(bundledType('m5.metal').labels[`${AWS}instance-hypervisor`]).toBe('');
    expect(bundledType('c7i-flex.large').labels[`${AWS}instance-capability-flex`]).toBe('true');
    const u = bundledType('u-6tb1.112xlarge').labels;
    expect([u[`${AWS}instance-category`], u[`${AWS}instance-generation`]]).toEqual(['u', '1']);
    expect(bundledType('g6f.large').labels[`${AWS}instance-gpu-count`]).toBe('0');
  });

  it('Inferentia: accelerator labels, no GPU labels', () => {
    const type = bundledType('inf2.xlarge');
    expect(type.labels).toMatchObject({
      [`${AWS}instance-accelerator-name`]: 'inferentia2',
      [`${AWS}instance-accelerator-manufacturer`]: 'aws',
      [`${AWS}instance-accelerator-count`]: '1',
    });
    expect(operatorOf(type, `${AWS}instance-gpu-name`)).toBe('DoesNotExist');
  });

  it('old Xen types have no bandwidth labels', () => {
    const type = bundledType('t2.micro');
    expect(operatorOf(type, `${AWS}instance-network-bandwidth`)).toBe('DoesNotExist');
    expect(operatorOf(type, `${AWS}instance-ebs-bandwidth`)).toBe('DoesNotExist');
  });

  it('derives category, family, generation, size and flex from the name when the entry omits them', () => {
    expect(resolveOne(fakeEntry('m7i-flex.large')).labels).toMatchObject({
      [`${AWS}instance-category`]: 'm',
      [`${AWS}instance-family`]: 'm7i-flex',
      [`${AWS}instance-generation`]: '7',
      [`${AWS}instance-size`]: 'large',
      [`${AWS}instance-capability-flex`]: 'true',
    });
  });

  it('leaves the shape labels DoesNotExist for a name that is not <family>.<size>', () => {
    const type = resolveOne(fakeEntry('fake-it-4'));
    for (const label of ['category', 'family', 'generation', 'size', 'capability-flex']) {
      expect(operatorOf(type, `${AWS}instance-${label}`)).toBe('DoesNotExist');
    }
  });
});

describe('zone, capacity type and region', () => {
  it('are In the values of all offerings, available or not, and not labels', () => {
    const offerings = [
      { zone: 'z1', capacityType: 'spot', price: 0.1, available: false },
      { zone: 'z2', capacityType: 'on-demand', price: 0.2 },
      { zone: 'z1', capacityType: 'on-demand', price: 0.2 },
    ] as const;
    const type = resolveOne(fakeEntry('fake.large', { offerings }));
    expect([...(type.requirements.get(LABEL_ZONE)?.values ?? [])]).toEqual(['z1', 'z2']);
    expect([...(type.requirements.get(LABEL_CAPACITY_TYPE)?.values ?? [])]).toEqual(['spot', 'on-demand']);
    expect(type.labels).not.toHaveProperty(LABEL_ZONE);
    expect(type.labels).not.toHaveProperty(LABEL_CAPACITY_TYPE);
  });

  it('takes the region and the synthetic zones from the option', () => {
    const type = resolveOne(fakeEntry('fake.large'), nodeClass(), 'eu-west-1');
    expect(type.labels['topology.kubernetes.io/region']).toBe('eu-west-1');
    expect([...(type.requirements.get(LABEL_ZONE)?.values ?? [])]).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  });
});
