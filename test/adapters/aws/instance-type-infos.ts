// DescribeInstanceTypes records in the API's own shape (`InstanceTypes[]` of the EC2 API reference), for real
// types whose values the bundled catalogue also holds: what the mapping is checked against.

import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';

type Overrides = Partial<InstanceTypeInfo>;

function nitro(
  name: string,
  cpu: { vcpus: number; cores: number; manufacturer: string; arch: 'x86_64' | 'arm64'; ghz: number },
  memoryMiB: number,
  network: { enis: number; ipv4: number; cards?: number[]; encryption?: boolean; efa?: number },
  ebsMaxMbps: number,
  overrides: Overrides = {},
): InstanceTypeInfo {
  const cards = network.cards ?? [network.enis];
  return {
    InstanceType: name as InstanceTypeInfo['InstanceType'],
    CurrentGeneration: true,
    SupportedUsageClasses: ['on-demand', 'spot'],
    SupportedRootDeviceTypes: ['ebs'],
    SupportedVirtualizationTypes: ['hvm'],
    BareMetal: false,
    Hypervisor: 'nitro',
    ProcessorInfo: {
      SupportedArchitectures: [cpu.arch],
      SustainedClockSpeedInGhz: cpu.ghz,
      Manufacturer: cpu.manufacturer,
    },
    VCpuInfo: { DefaultVCpus: cpu.vcpus, DefaultCores: cpu.cores, DefaultThreadsPerCore: cpu.vcpus / cpu.cores },
    MemoryInfo: { SizeInMiB: memoryMiB },
    InstanceStorageSupported: false,
    EbsInfo: {
      EbsOptimizedSupport: 'default',
      EncryptionSupport: 'supported',
      EbsOptimizedInfo: { MaximumBandwidthInMbps: ebsMaxMbps },
      NvmeSupport: 'required',
    },
    NetworkInfo: {
      NetworkPerformance: 'Up to 10 Gigabit',
      MaximumNetworkInterfaces: cards.reduce((a, b) => a + b, 0),
      MaximumNetworkCards: cards.length,
      DefaultNetworkCardIndex: 0,
      NetworkCards: cards.map((enis, i) => ({ NetworkCardIndex: i, MaximumNetworkInterfaces: enis })),
      Ipv4AddressesPerInterface: network.ipv4,
      Ipv6AddressesPerInterface: network.ipv4,
      Ipv6Supported: true,
      EnaSupport: 'required',
      EfaSupported: network.efa !== undefined,
      ...(network.efa === undefined ? {} : { EfaInfo: { MaximumEfaInterfaces: network.efa } }),
      EncryptionInTransitSupported: network.encryption ?? false,
    },
    PlacementGroupInfo: { SupportedStrategies: ['cluster', 'partition', 'spread'] },
    HibernationSupported: true,
    BurstablePerformanceSupported: false,
    DedicatedHostsSupported: true,
    AutoRecoverySupported: true,
    SupportedBootModes: ['legacy-bios', 'uefi'],
    NitroEnclavesSupport: 'unsupported',
    ...overrides,
  };
}

const intel = (vcpus: number, ghz: number) =>
  ({ vcpus, cores: vcpus / 2, manufacturer: 'Intel', arch: 'x86_64', ghz }) as const;

export const M5_LARGE = nitro('m5.large', intel(2, 3.1), 8192, { enis: 3, ipv4: 10 }, 4750);

export const M5_XLARGE = nitro('m5.xlarge', intel(4, 3.1), 16384, { enis: 4, ipv4: 15 }, 4750);

export const C6G_LARGE = nitro(
  'c6g.large',
  { vcpus: 2, cores: 2, manufacturer: 'AWS', arch: 'arm64', ghz: 2.5 },
  4096,
  { enis: 3, ipv4: 10 },
  4750,
);

export const G4DN_8XLARGE = nitro(
  'g4dn.8xlarge',
  intel(32, 2.5),
  131072,
  { enis: 4, ipv4: 15, encryption: true, efa: 1 },
  9500,
  {
    GpuInfo: {
      Gpus: [{ Name: 'T4', Manufacturer: 'NVIDIA', Count: 1, MemoryInfo: { SizeInMiB: 16384 } }],
      TotalGpuMemoryInMiB: 16384,
    },
    InstanceStorageSupported: true,
    InstanceStorageInfo: {
      TotalSizeInGB: 900,
      Disks: [{ SizeInGB: 900, Count: 1, Type: 'ssd' }],
      NvmeSupport: 'required',
      EncryptionSupport: 'required',
    },
  },
);

export const INF2_XLARGE = nitro(
  'inf2.xlarge',
  { vcpus: 4, cores: 2, manufacturer: 'AMD', arch: 'x86_64', ghz: 3.6 },
  16384,
  { enis: 4, ipv4: 15, encryption: true },
  10000,
  {
    NeuronInfo: {
      NeuronDevices: [
        { Count: 1, Name: 'Inferentia2', CoreInfo: { Count: 2, Version: 2 }, MemoryInfo: { SizeInMiB: 32768 } },
      ],
      TotalNeuronDeviceMemoryInMiB: 32768,
    },
  },
);

/** Two network cards of 8 ENIs each: max pods counts the default card only. */
export const M6IDN_32XLARGE = nitro(
  'm6idn.32xlarge',
  intel(128, 3.5),
  524288,
  { enis: 8, ipv4: 50, cards: [8, 8], encryption: true, efa: 2 },
  100000,
  {
    InstanceStorageSupported: true,
    InstanceStorageInfo: { TotalSizeInGB: 7600, NvmeSupport: 'required', EncryptionSupport: 'required' },
  },
);

/** Bare metal: no Hypervisor field at all. */
export const M5_METAL: InstanceTypeInfo = (() => {
  const { Hypervisor: _none, ...rest } = nitro('m5.metal', intel(96, 3.1), 393216, { enis: 15, ipv4: 50 }, 19000);
  return { ...rest, BareMetal: true };
})();

export const GOLDEN_TYPES: readonly InstanceTypeInfo[] = [
  M5_LARGE,
  M5_XLARGE,
  C6G_LARGE,
  G4DN_8XLARGE,
  INF2_XLARGE,
  M6IDN_32XLARGE,
  M5_METAL,
];
