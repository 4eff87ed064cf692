// Capacity and allocatable under node classes: the worked examples of research/aws-provider.md §a.6, kubelet
// overrides, the Bottlerocket and Custom differences, and extended resources.

import { describe, expect, it } from 'vitest';
import {
  eniLimitedPods,
  kubeReservedCpu,
  nodeClassOverhead,
  RESOURCE_AMD_GPU,
  RESOURCE_EFA,
  RESOURCE_NEURON,
  RESOURCE_NEURON_CORE,
  RESOURCE_NVIDIA_GPU,
  RESOURCE_POD_ENI,
} from '../../../shared/core/instancetypes/allocatable.js';
import type { KubeletConfiguration } from '../../../shared/core/model/nodepool.js';
import { QuantityError } from '../../../shared/core/resources/quantity.js';
import { bundledType, fakeEntry, nodeClass, resolveOne, withKubelet } from '../../fixtures/instance-types.js';

const MI = 2 ** 20;
const GI = 2 ** 30;

/** m5.large under AL2023 with these kubelet settings. */
function m5Large(kubelet: KubeletConfiguration = {}) {
  return bundledType('m5.large', withKubelet(kubelet));
}

describe('worked examples (AL2023 defaults)', () => {
  it('m5.large: 1930m cpu, 29 pods, 6903Mi memory, 17Gi ephemeral storage', () => {
    const type = m5Large();
    expect(type.capacity).toEqual({
      cpu: 2000,
      memory: 7577 * MI,
      'ephemeral-storage': 20 * GI,
      pods: 29,
      [RESOURCE_POD_ENI]: 9,
    });
    expect(type.allocatable).toEqual({
      cpu: 1930,
      memory: 6903 * MI,
      'ephemeral-storage': 17 * GI,
      pods: 29,
      [RESOURCE_POD_ENI]: 9,
    });
  });

  it('m6g.large (Graviton) loses 64 MiB before the 7.5%: 6844Mi', () => {
    expect(bundledType('m6g.large').allocatable.memory).toBe(6844 * MI);
  });

  it('m5.24xlarge: 95690m, 737 pods (no 110 cap), 355262Mi', () => {
    const { allocatable } = bundledType('m5.24xlarge');
    expect([allocatable.cpu, allocatable.pods, allocatable.memory]).toEqual([95690, 737, 355262 * MI]);
  });

  it('t3.nano: 4 pods and 74Mi', () => {
    const { allocatable } = bundledType('t3.nano');
    expect([allocatable.pods, allocatable.memory]).toEqual([4, 74 * MI]);
  });

  it('counts ENIs of the default network card only: p5.48xlarge gets 100 pods, c5.18xlarge 737', () => {
    expect(bundledType('p5.48xlarge').allocatable.pods).toBe(100);
    expect(bundledType('c5.18xlarge').allocatable.pods).toBe(737);
  });

  it('reserves cpu in cumulative tiers truncated per tier', () => {
    const reserved = [1, 2, 4, 8, 96, 192].map((vcpu) => kubeReservedCpu(vcpu * 1000));
    expect(reserved).toEqual([60, 70, 80, 90, 310, 550]);
  });
});

describe('kubelet overrides (AL2023)', () => {
  it('maxPods lower than the ENI limit lowers pods but not the memory reservation', () => {
    const { allocatable } = m5Large({ maxPods: 10 });
    expect([allocatable.pods, allocatable.memory]).toEqual([10, 6903 * MI]);
  });

  it('maxPods higher than the ENI limit raises pods, uncapped, memory still from the ENI count', () => {
    const { allocatable } = m5Large({ maxPods: 250 });
    expect([allocatable.pods, allocatable.memory]).toEqual([250, 6903 * MI]);
  });

  it('podsPerCore caps pods at podsPerCore × vCPUs', () => {
    expect(m5Large({ podsPerCore: 4 }).allocatable.pods).toBe(8);
    expect(m5Large({ podsPerCore: 20 }).allocatable.pods).toBe(29);
    expect(m5Large({ maxPods: 10, podsPerCore: 2 }).allocatable.pods).toBe(4);
    expect(m5Large({ podsPerCore: 4 }).allocatable.memory).toBe(6903 * MI);
  });

  it('kubeReserved replaces each default it names and keeps the others', () => {
    expect(m5Large({ kubeReserved: { cpu: 500 } }).allocatable).toMatchObject({ cpu: 1500, memory: 6903 * MI });
    expect(m5Large({ kubeReserved: { memory: GI } }).allocatable).toMatchObject({ cpu: 1930, memory: 6453 * MI });
    expect(m5Large({ kubeReserved: { 'ephemeral-storage': 0 } }).allocatable['ephemeral-storage']).toBe(18 * GI);
  });

  it('systemReserved is subtracted as given', () => {
    const systemReserved = { cpu: 100, memory: 200 * MI, 'ephemeral-storage': GI };
    expect(m5Large({ systemReserved }).allocatable).toMatchObject({
      cpu: 1830,
      memory: 6703 * MI,
      'ephemeral-storage': 16 * GI,
    });
  });

  it('evictionHard memory.available as a percentage of memory capacity, rounded up', () => {
    // 7577Mi = 7945060352 bytes; 5% = 397253017.6 -> 397253018.
    const { allocatable } = m5Large({ evictionHard: { 'memory.available': '5%' } });
    expect(allocatable.memory).toBe(7945060352 - 574 * MI - 397253018);
  });

  it('evictionHard absolute values replace the defaults', () => {
    const evictionHard = { 'memory.available': '500Mi', 'nodefs.available': '5Gi' };
    expect(m5Large({ evictionHard }).allocatable).toMatchObject({ memory: 6503 * MI, 'ephemeral-storage': 14 * GI });
  });

  it('evictionHard "100%" disables the threshold (counts as 0)', () => {
    const evictionHard = { 'memory.available': '100%', 'nodefs.available': '100%' };
    expect(m5Large({ evictionHard }).allocatable).toMatchObject({ memory: 7003 * MI, 'ephemeral-storage': 19 * GI });
  });

  it('evictionHard nodefs.available percentage and signals that do not count', () => {
    const evictionHard = { 'nodefs.available': '15%', 'imagefs.available': '50%' };
    expect(m5Large({ evictionHard }).allocatable).toMatchObject({ memory: 6903 * MI, 'ephemeral-storage': 16 * GI });
  });

  it('rejects an evictionHard value that is neither a quantity nor a percentage', () => {
    const nc = withKubelet({ evictionHard: { 'memory.available': 'lots' } });
    expect(() => nodeClassOverhead(nc)).toThrow(QuantityError);
    expect(() => nodeClassOverhead(withKubelet({ evictionHard: { 'memory.available': 'x%' } }))).toThrow(QuantityError);
  });

  it('never goes below zero', () => {
    expect(bundledType('t3.nano', withKubelet({ kubeReserved: { memory: GI } })).allocatable.memory).toBe(0);
  });
});

describe('Bottlerocket', () => {
  const bottlerocket = (kubelet: KubeletConfiguration = {}) => nodeClass({ amiFamily: 'Bottlerocket', kubelet });

  it('matches AL2023 with default settings', () => {
    expect(bundledType('m5.large', bottlerocket()).allocatable).toEqual(m5Large().allocatable);
  });

  it('reserves memory for the actual pod limit when maxPods lowers it', () => {
    // 7577 - (11 × 10 + 255) - 100
    const { allocatable } = bundledType('m5.large', bottlerocket({ maxPods: 10 }));
    expect([allocatable.pods, allocatable.memory]).toEqual([10, 7112 * MI]);
  });

  it('ignores podsPerCore', () => {
    expect(bundledType('m5.large', bottlerocket({ podsPerCore: 4 })).allocatable.pods).toBe(29);
  });
});

describe('Custom', () => {
  it('uses the ENI-limited memory reservation and honours podsPerCore, like AL2023', () => {
    const custom = nodeClass({ amiFamily: 'Custom', kubelet: { maxPods: 10, podsPerCore: 4 } });
    const { allocatable } = bundledType('m5.large', custom);
    expect([allocatable.pods, allocatable.memory]).toEqual([8, 6903 * MI]);
  });
});

describe('extended resources', () => {
  it('nvidia.com/gpu and vpc.amazonaws.com/efa from the catalogue', () => {
    expect(bundledType('g5.xlarge').allocatable[RESOURCE_NVIDIA_GPU]).toBe(1);
    expect(bundledType('p5.48xlarge').allocatable).toMatchObject({ [RESOURCE_NVIDIA_GPU]: 8, [RESOURCE_EFA]: 32 });
  });

  it('amd.com/gpu, aws.amazon.com/neuron and neuroncore', () => {
    expect(bundledType('g4ad.xlarge').capacity[RESOURCE_AMD_GPU]).toBe(1);
    expect(bundledType('inf2.xlarge').allocatable).toMatchObject({ [RESOURCE_NEURON]: 1, [RESOURCE_NEURON_CORE]: 2 });
  });

  it('pod-eni only when the type is trunking-compatible', () => {
    expect(m5Large().allocatable[RESOURCE_POD_ENI]).toBe(9);
    expect(bundledType('t2.micro').allocatable).not.toHaveProperty(RESOURCE_POD_ENI);
  });

  it('lists no extended resource a type lacks', () => {
    expect(Object.keys(bundledType('c7i.large').allocatable).sort()).toEqual(
      ['cpu', 'ephemeral-storage', 'memory', 'pods', RESOURCE_POD_ENI].sort(),
    );
  });
});

describe('pods of entries with unusual ENI data', () => {
  it('gets 0 pods with no usable ENI', () => {
    expect(eniLimitedPods(fakeEntry('zero.large', { maxENIs: 0 }))).toBe(0);
  });

  it('falls back to eniMaxPods, then to 110, without ENI data', () => {
    expect(eniLimitedPods(fakeEntry('x.large', { maxENIs: undefined, eniMaxPods: 42 }))).toBe(42);
    expect(resolveOne(fakeEntry('y.large', { maxENIs: undefined })).allocatable.pods).toBe(110);
  });
});
