// The simulated DescribeInstanceTypes is the reverse of the adapter's mapping: every bundled type, turned into
// EC2's InstanceTypeInfo and mapped back by shared/adapters/aws/ec2/instance-type-info.ts, is the entry it came
// from — field by field for the whole catalogue, and label for label, capacity and allocatable for a GPU, an
// arm64, a Neuron, a fractional-GPU, a multi-card and a bare-metal type.

import { describe, expect, it } from 'vitest';
import { toCatalogueEntry } from '../../../shared/adapters/aws/ec2/instance-type-info.js';
import type { CatalogueEntry } from '../../../shared/core/instancetypes/catalogue.js';
import { toInstanceTypeInfo } from '../../../shared/sim/ec2/catalogue.js';
import { bundledCatalogue, catalogueEntry, resolveOne } from '../../fixtures/instance-types.js';

/** The label form the catalogue stores names in (what Karpenter's labels use). */
const kebab = (value: unknown) => (typeof value === 'string' ? value.toLowerCase().replaceAll(' ', '-') : value);
const NAME_FIELDS = new Set([
  'cpuManufacturer',
  'gpuName',
  'gpuManufacturer',
  'acceleratorName',
  'acceleratorManufacturer',
]);

function roundTrip(entry: CatalogueEntry): CatalogueEntry {
  const mapped = toCatalogueEntry(toInstanceTypeInfo(entry), entry);
  if (!mapped) throw new Error(`${entry.name} did not map back`);
  return mapped;
}

/** Fields of `mapped` that differ from the bundled entry (names compared in label form). */
function differences(mapped: CatalogueEntry, bundled: CatalogueEntry): string[] {
  return Object.entries(mapped).flatMap(([field, value]) => {
    const expected = (bundled as unknown as Record<string, unknown>)[field];
    const same = NAME_FIELDS.has(field) ? kebab(value) === kebab(expected) : value === expected;
    return same ? [] : [`${bundled.name}.${field}: ${JSON.stringify(value)} != ${JSON.stringify(expected)}`];
  });
}

describe('toInstanceTypeInfo', () => {
  it('maps back to the same entry for every type of the bundled catalogue', () => {
    const catalogue = bundledCatalogue();
    const problems = catalogue.flatMap((entry) => differences(roundTrip(entry), entry));
    expect(problems).toEqual([]);
    expect(catalogue).toHaveLength(1345);
  });

  it.each([
    'm5.large',
    'g5.xlarge',
    'p5.48xlarge',
    'm7g.large',
    'c6g.large',
    'inf2.xlarge',
    'g6f.large',
    'g4ad.xlarge',
    'c6in.32xlarge',
    'm5.metal',
    't2.micro',
  ])('gives %s the labels, capacity and allocatable of its bundled entry', (name) => {
    const bundled = catalogueEntry(name);
    const live = resolveOne({ ...roundTrip(bundled), onDemandPriceUSD: bundled.onDemandPriceUSD ?? null });
    const expected = resolveOne(bundled);
    expect(live.labels).toEqual(expected.labels);
    expect(live.capacity).toEqual(expected.capacity);
    expect(live.allocatable).toEqual(expected.allocatable);
  });

  it("answers in EC2's spelling: display names, GiB-free sizes, no hypervisor for bare metal", () => {
    expect(toInstanceTypeInfo(catalogueEntry('g5.xlarge'))).toMatchObject({
      InstanceType: 'g5.xlarge',
      SupportedUsageClasses: ['on-demand', 'spot'],
      ProcessorInfo: { SupportedArchitectures: ['x86_64'], Manufacturer: 'AMD', SustainedClockSpeedInGhz: 3.3 },
      VCpuInfo: { DefaultVCpus: 4 },
      MemoryInfo: { SizeInMiB: 16384 },
      GpuInfo: {
        Gpus: [{ Name: 'A10G', Manufacturer: 'NVIDIA', Count: 1, MemoryInfo: { SizeInMiB: 22888 } }],
        TotalGpuMemoryInMiB: 22888,
      },
      InstanceStorageInfo: { TotalSizeInGB: 250, NvmeSupport: 'required' },
      EbsInfo: { EbsOptimizedSupport: 'default', EbsOptimizedInfo: { MaximumBandwidthInMbps: 3500 } },
    });
    expect(toInstanceTypeInfo(catalogueEntry('m7g.large')).ProcessorInfo).toEqual({
      SupportedArchitectures: ['arm64'],
      SustainedClockSpeedInGhz: 2.6,
      Manufacturer: 'AWS',
    });
    expect(toInstanceTypeInfo(catalogueEntry('inf2.xlarge')).NeuronInfo?.NeuronDevices).toEqual([
      { Count: 1, Name: 'Inferentia2', CoreInfo: { Count: 2, Version: 2 }, MemoryInfo: { SizeInMiB: 32768 } },
    ]);
    const metal = toInstanceTypeInfo(catalogueEntry('m5.metal'));
    expect(metal.BareMetal).toBe(true);
    expect(metal).not.toHaveProperty('Hypervisor');
    // p5.48xlarge: 32 cards of 2 ENIs; max pods counts the default card only.
    const p5 = toInstanceTypeInfo(catalogueEntry('p5.48xlarge')).NetworkInfo;
    expect(p5?.MaximumNetworkInterfaces).toBe(64);
    expect(p5?.NetworkCards).toHaveLength(32);
    expect(p5?.NetworkCards?.[0]?.MaximumNetworkInterfaces).toBe(2);
  });
});
