// The bundled catalogue as DescribeInstanceTypes answers it: each `CatalogueEntry` turned back into EC2's
// `InstanceTypeInfo` — the exact reverse of shared/adapters/aws/ec2/instance-type-info.ts, so the adapter maps
// the simulated answer to the entry it came from (test/sim/ec2/catalogue.test.ts checks every type).
//
// The catalogue stores Karpenter's label forms (lower case, `-` for spaces); EC2 answers with display names
// ("NVIDIA", "Radeon Pro V520"), so names go through DISPLAY_NAMES, whose kebab form is the catalogue's again.
// Fields EC2 has but the catalogue lacks (cores, boot modes, ENA) get plausible constants no adapter reads.

import type { InstanceTypeInfo, NetworkCardInfo } from '@aws-sdk/client-ec2';
import type { CatalogueEntry } from '../../core/instancetypes/catalogue.js';

/** Catalogue label form -> EC2's spelling, for every manufacturer and device name the catalogue holds. */
const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  intel: 'Intel',
  amd: 'AMD',
  aws: 'AWS',
  nvidia: 'NVIDIA',
  'radeon-pro-v520': 'Radeon Pro V520',
  'rtx-pro-4500': 'RTX PRO 4500',
  'rtx-pro-server-6000': 'RTX PRO Server 6000',
  t4g: 'T4g',
  inferentia: 'Inferentia',
  inferentia2: 'Inferentia2',
  trainium: 'Trainium',
  trainium2: 'Trainium2',
};

/** Memory per Neuron device (MiB) and NeuronCore version, by device: EC2 reports both, the catalogue neither. */
const NEURON_DEVICES: Readonly<Record<string, { memoryMiB: number; coreVersion: number }>> = {
  inferentia: { memoryMiB: 8192, coreVersion: 1 },
  inferentia2: { memoryMiB: 32768, coreVersion: 2 },
  trainium: { memoryMiB: 32768, coreVersion: 2 },
  trainium2: { memoryMiB: 98304, coreVersion: 3 },
};

const MHZ_PER_GHZ = 1000;
const MBPS_PER_GBPS = 1000;

/** EC2's spelling of a catalogue name: the table, else upper case (model names: `a10g` -> `A10G`). */
export function displayName(value: string): string {
  return DISPLAY_NAMES[value] ?? value.toUpperCase().replaceAll('-', ' ');
}

function processor(entry: CatalogueEntry): InstanceTypeInfo['ProcessorInfo'] {
  const clock = entry.cpuSustainedClockMhz;
  return {
    SupportedArchitectures: [entry.arch === 'arm64' ? 'arm64' : 'x86_64'],
    ...(clock === undefined || clock === null ? {} : { SustainedClockSpeedInGhz: clock / MHZ_PER_GHZ }),
    ...(entry.cpuManufacturer ? { Manufacturer: displayName(entry.cpuManufacturer) } : {}),
  };
}

function vcpus(entry: CatalogueEntry): InstanceTypeInfo['VCpuInfo'] {
  const count = entry.vcpu ?? 0;
  // Graviton has no SMT; x86 types have two threads per core (an approximation no adapter depends on).
  const threads = entry.arch === 'arm64' || count % 2 === 1 ? 1 : 2;
  return { DefaultVCpus: count, DefaultCores: count / threads, DefaultThreadsPerCore: threads };
}

/** The default card holds `maxENIs`; the other cards share the rest of `totalENIsAllCards`. */
function networkCards(entry: CatalogueEntry): NetworkCardInfo[] {
  const cards = entry.networkCards ?? 1;
  const defaultIndex = entry.defaultNetworkCardIndex ?? 0;
  const onDefault = entry.maxENIs ?? 0;
  const others = Math.max(0, (entry.totalENIsAllCards ?? onDefault) - onDefault);
  const bandwidth = entry.networkBandwidthMbps;
  return Array.from({ length: cards }, (_, i) => {
    const rest = cards <= 1 ? 0 : Math.floor(others / (cards - 1)) + (i === cards - 1 ? others % (cards - 1) : 0);
    return {
      NetworkCardIndex: i,
      MaximumNetworkInterfaces: i === defaultIndex ? onDefault : rest,
      ...(i === defaultIndex && bandwidth ? { BaselineBandwidthInGbps: bandwidth / MBPS_PER_GBPS / cards } : {}),
    };
  });
}

function network(entry: CatalogueEntry): InstanceTypeInfo['NetworkInfo'] {
  const efa = entry.maxEfaInterfaces ?? 0;
  return {
    // The catalogue keeps EC2's NetworkPerformance only for types without a bandwidth figure; none is invented.
    ...(entry.networkPerformance ? { NetworkPerformance: entry.networkPerformance } : {}),
    MaximumNetworkInterfaces: entry.totalENIsAllCards ?? entry.maxENIs,
    MaximumNetworkCards: entry.networkCards ?? 1,
    DefaultNetworkCardIndex: entry.defaultNetworkCardIndex ?? 0,
    NetworkCards: networkCards(entry),
    Ipv4AddressesPerInterface: entry.ipv4PerENI,
    Ipv6AddressesPerInterface: entry.ipv4PerENI,
    Ipv6Supported: entry.hypervisor !== 'xen',
    EnaSupport: entry.hypervisor === 'xen' ? 'supported' : 'required',
    EfaSupported: efa > 0,
    ...(efa > 0 ? { EfaInfo: { MaximumEfaInterfaces: efa } } : {}),
    EncryptionInTransitSupported: entry.encryptionInTransitSupported ?? false,
  };
}

function storage(entry: CatalogueEntry): Partial<InstanceTypeInfo> {
  const ebs = entry.ebsBandwidthMbps;
  const nvme = entry.localNvmeGB;
  return {
    EbsInfo: {
      // Only EBS-optimized-by-default types carry a bandwidth label (instance-type-info.ts).
      EbsOptimizedSupport: ebs === undefined || ebs === null ? 'unsupported' : 'default',
      EncryptionSupport: 'supported',
      ...(ebs === undefined || ebs === null ? {} : { EbsOptimizedInfo: { MaximumBandwidthInMbps: ebs } }),
      NvmeSupport: entry.hypervisor === 'xen' ? 'unsupported' : 'required',
    },
    InstanceStorageSupported: nvme !== undefined && nvme !== null,
    ...(nvme === undefined || nvme === null
      ? {}
      : {
          InstanceStorageInfo: {
            TotalSizeInGB: nvme,
            Disks: [{ SizeInGB: nvme, Count: 1, Type: 'ssd' }],
            NvmeSupport: 'required',
            EncryptionSupport: 'required',
          },
        }),
  };
}

function accelerators(entry: CatalogueEntry): Partial<InstanceTypeInfo> {
  const out: Partial<InstanceTypeInfo> = {};
  if (entry.gpuName) {
    // Fractional GPUs (g6f) are one partial device: count 0, as the catalogue (and Karpenter) has it.
    out.GpuInfo = {
      Gpus: [
        {
          Name: displayName(entry.gpuName),
          Manufacturer: displayName(entry.gpuManufacturer ?? ''),
          Count: entry.gpuCount ?? 0,
          MemoryInfo: { SizeInMiB: entry.gpuMemoryMiB ?? 0 },
        },
      ],
      TotalGpuMemoryInMiB: entry.gpuTotalMemoryMiB ?? 0,
    };
  }
  const devices = entry.neuronDevices ?? 0;
  if (entry.acceleratorName && devices > 0) {
    const device = NEURON_DEVICES[entry.acceleratorName];
    out.NeuronInfo = {
      NeuronDevices: [
        {
          Count: devices,
          Name: displayName(entry.acceleratorName),
          CoreInfo: { Count: (entry.neuronCores ?? 0) / devices, Version: device?.coreVersion ?? 2 },
          ...(device ? { MemoryInfo: { SizeInMiB: device.memoryMiB } } : {}),
        },
      ],
      ...(device ? { TotalNeuronDeviceMemoryInMiB: device.memoryMiB * devices } : {}),
    };
  }
  return out;
}

/** The DescribeInstanceTypes record of a catalogue entry. Every type is sold on demand and as spot (§6). */
export function toInstanceTypeInfo(entry: CatalogueEntry): InstanceTypeInfo {
  const bareMetal = entry.bareMetal ?? false;
  return {
    InstanceType: entry.name as InstanceTypeInfo['InstanceType'],
    CurrentGeneration: entry.hypervisor !== 'xen',
    FreeTierEligible: false,
    SupportedUsageClasses: ['on-demand', 'spot'],
    SupportedRootDeviceTypes: ['ebs'],
    SupportedVirtualizationTypes: ['hvm'],
    BareMetal: bareMetal,
    // Bare metal has no hypervisor, and EC2 leaves the field out (the adapter reads that as "").
    ...(entry.hypervisor ? { Hypervisor: entry.hypervisor as InstanceTypeInfo['Hypervisor'] } : {}),
    ProcessorInfo: processor(entry),
    VCpuInfo: vcpus(entry),
    MemoryInfo: { SizeInMiB: entry.memoryMiB ?? 0 },
    ...storage(entry),
    NetworkInfo: network(entry),
    ...accelerators(entry),
    PlacementGroupInfo: { SupportedStrategies: ['cluster', 'partition', 'spread'] },
    HibernationSupported: false,
    BurstablePerformanceSupported: entry.category === 't',
    DedicatedHostsSupported: true,
    AutoRecoverySupported: !bareMetal,
    SupportedBootModes: entry.arch === 'arm64' ? ['uefi'] : ['legacy-bios', 'uefi'],
    NitroEnclavesSupport: 'unsupported',
    NitroTpmSupport: entry.hypervisor === 'nitro' ? 'supported' : 'unsupported',
    SupportedInRegion: true,
  };
}
