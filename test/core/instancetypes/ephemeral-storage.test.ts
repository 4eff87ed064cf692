// Ephemeral-storage capacity from the node class (research/aws-provider.md §a.5, first rule that matches wins):
// RAID0 instance store, a rootVolume mapping, Custom's last mapping, the family's ephemeral device, 20Gi.

import { describe, expect, it } from 'vitest';
import { mappedEphemeralStorage } from '../../../shared/core/instancetypes/family.js';
import type { AmiFamily, BlockDeviceMapping } from '../../../shared/core/model/nodepool.js';
import { bundledType, nodeClass } from '../../fixtures/instance-types.js';

const GI = 2 ** 30;

function mapping(deviceName: string, sizeGi?: number, rootVolume = false): BlockDeviceMapping {
  return sizeGi === undefined ? { deviceName, rootVolume } : { deviceName, rootVolume, volumeSizeBytes: sizeGi * GI };
}

/** Ephemeral capacity in GiB for a family and its mappings. */
function capacityGi(amiFamily: AmiFamily, blockDeviceMappings: BlockDeviceMapping[]): number {
  return mappedEphemeralStorage(nodeClass({ amiFamily, blockDeviceMappings })) / GI;
}

describe('ephemeral storage from block device mappings', () => {
  it('is 20Gi for every family without mappings', () => {
    expect(['AL2023', 'Bottlerocket', 'Custom'].map((f) => capacityGi(f as AmiFamily, []))).toEqual([20, 20, 20]);
  });

  it('takes a rootVolume mapping with a size first, whatever its device', () => {
    expect(capacityGi('AL2023', [mapping('/dev/xvda', 50), mapping('/dev/sdf', 100, true)])).toBe(100);
    expect(capacityGi('Bottlerocket', [mapping('/dev/xvdb', 60), mapping('/dev/xvda', 30, true)])).toBe(30);
    expect(capacityGi('Custom', [mapping('/dev/xvda', 30, true), mapping('/dev/xvdb', 60)])).toBe(30);
  });

  it('skips a rootVolume mapping without a size', () => {
    expect(capacityGi('AL2023', [mapping('/dev/xvdb', undefined, true), mapping('/dev/xvda', 50)])).toBe(50);
  });

  it('uses the family ephemeral device: /dev/xvda for AL2023, /dev/xvdb for Bottlerocket', () => {
    expect(capacityGi('AL2023', [mapping('/dev/xvda', 50)])).toBe(50);
    expect(capacityGi('Bottlerocket', [mapping('/dev/xvda', 4), mapping('/dev/xvdb', 100)])).toBe(100);
  });

  it('falls back to 20Gi when no mapping is the ephemeral device', () => {
    expect(capacityGi('AL2023', [mapping('/dev/xvdb', 80)])).toBe(20);
    expect(capacityGi('Bottlerocket', [mapping('/dev/xvda', 50)])).toBe(20);
  });

  it('uses the last mapping for Custom, else 20Gi', () => {
    expect(capacityGi('Custom', [mapping('/dev/xvda', 30), mapping('/dev/xvdb', 60)])).toBe(60);
    expect(capacityGi('Custom', [mapping('/dev/xvda', 30), mapping('/dev/xvdb')])).toBe(20);
  });

  it('leaves allocatable at capacity − 10% eviction − 1Gi kube-reserved', () => {
    const nc = nodeClass({ blockDeviceMappings: [mapping('/dev/xvda', 100, true)] });
    const type = bundledType('m5.large', nc);
    expect([type.capacity['ephemeral-storage'], type.allocatable['ephemeral-storage']]).toEqual([100 * GI, 89 * GI]);
  });
});

describe('ephemeral storage with instanceStorePolicy RAID0', () => {
  const raid0 = nodeClass({ instanceStorePolicy: 'RAID0', blockDeviceMappings: [mapping('/dev/xvda', 100, true)] });

  it('is the NVMe instance store in decimal GB, ahead of any mapping', () => {
    const type = bundledType('m5d.large', raid0); // 75 GB of NVMe
    expect(type.capacity['ephemeral-storage']).toBe(75e9);
    expect(type.allocatable['ephemeral-storage']).toBe(75e9 - 7.5e9 - GI);
  });

  it('falls back to the mappings for a type without instance store', () => {
    expect(bundledType('m5.large', raid0).capacity['ephemeral-storage']).toBe(100 * GI);
  });

  it('is ignored without the policy', () => {
    expect(bundledType('m5d.large').capacity['ephemeral-storage']).toBe(20 * GI);
  });
});
