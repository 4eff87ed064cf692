// DescribeInstanceTypes records -> catalogue entries: the core's allocatable formulas and labels must give for
// live data exactly what they give for the bundled catalogue, and Karpenter's own allocatable.

import { describe, expect, it } from 'vitest';
import { toCatalogueEntry } from '../../../shared/adapters/aws/ec2/instance-type-info.js';
import type { CatalogueEntry } from '../../../shared/core/instancetypes/catalogue.js';
import { canonicalQuantity } from '../../../shared/core/resources/quantity.js';
import { catalogueEntry, nodeClass, resolveOne } from '../../fixtures/instance-types.js';
import {
  C6G_LARGE,
  G4DN_8XLARGE,
  GOLDEN_TYPES,
  INF2_XLARGE,
  M5_LARGE,
  M5_METAL,
  M6IDN_32XLARGE,
} from './instance-type-infos.js';

/** The mapped entry, priced like the bundled one so both resolve to the same offerings. */
function mapped(info: (typeof GOLDEN_TYPES)[number]): CatalogueEntry {
  const bundled = catalogueEntry(info.InstanceType as string);
  const entry = toCatalogueEntry(info, bundled);
  if (!entry) throw new Error(`${info.InstanceType} did not map`);
  return { ...entry, onDemandPriceUSD: bundled.onDemandPriceUSD ?? null };
}

describe('toCatalogueEntry', () => {
  it.each(GOLDEN_TYPES.map((info) => [info.InstanceType, info] as const))(
    "gives %s Karpenter's AL2023 allocatable through resolveInstanceTypes",
    (name, info) => {
      const golden = catalogueEntry(name as string).karpenterAllocatableAL2023;
      if (!golden) throw new Error('no golden values');
      const type = resolveOne(mapped(info), nodeClass());
      expect(type.allocatable).toMatchObject({
        cpu: canonicalQuantity('cpu', golden.cpu),
        memory: canonicalQuantity('memory', golden.memory),
        'ephemeral-storage': canonicalQuantity('ephemeral-storage', golden.ephemeralStorage),
        pods: golden.pods,
      });
    },
  );

  it.each(GOLDEN_TYPES.map((info) => [info.InstanceType, info] as const))(
    'gives %s the same labels, capacity and allocatable as its bundled entry',
    (name, info) => {
      const live = resolveOne(mapped(info));
      const bundled = resolveOne(catalogueEntry(name as string));
      expect(live.labels).toEqual(bundled.labels);
      expect(live.capacity).toEqual(bundled.capacity);
      expect(live.allocatable).toEqual(bundled.allocatable);
    },
  );

  it('counts only the default network card for max pods', () => {
    expect(toCatalogueEntry(M6IDN_32XLARGE)).toMatchObject({ maxENIs: 8, totalENIsAllCards: 16, networkCards: 2 });
    expect(resolveOne(mapped(M6IDN_32XLARGE)).capacity.pods).toBe(394);
  });

  it('maps arm64, a single GPU, Neuron devices and bare metal', () => {
    expect(toCatalogueEntry(C6G_LARGE)).toMatchObject({
      arch: 'arm64',
      cpuManufacturer: 'AWS',
      cpuSustainedClockMhz: 2500,
    });
    expect(toCatalogueEntry(G4DN_8XLARGE)).toMatchObject({
      gpuName: 'T4',
      gpuManufacturer: 'NVIDIA',
      gpuCount: 1,
      gpuMemoryMiB: 16384,
      nvidiaGpuResource: 1,
      localNvmeGB: 900,
    });
    expect(toCatalogueEntry(INF2_XLARGE)).toMatchObject({
      acceleratorName: 'Inferentia2',
      acceleratorManufacturer: 'aws',
      acceleratorCount: 1,
      neuronDevices: 1,
      neuronCores: 2,
    });
    expect(toCatalogueEntry(M5_METAL)).toMatchObject({ hypervisor: '', bareMetal: true });
  });

  it('falls back to no trunking and no bandwidth label for a type the bundled catalogue lacks', () => {
    const entry = toCatalogueEntry({ ...M5_LARGE, InstanceType: 'm99.large' as never });
    expect(entry).toMatchObject({
      name: 'm99.large',
      trunkingCompatible: false,
      branchENIs: 0,
      networkBandwidthMbps: null,
    });
  });

  it('skips records without the sizes allocatable needs, or of another architecture', () => {
    expect(toCatalogueEntry({ ...M5_LARGE, MemoryInfo: {} })).toBeUndefined();
    expect(
      toCatalogueEntry({ ...M5_LARGE, ProcessorInfo: { SupportedArchitectures: ['x86_64_mac'] } }),
    ).toBeUndefined();
  });
});
