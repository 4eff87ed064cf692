// DescribeInstanceTypes' `InstanceTypeInfo` -> the core's `CatalogueEntry`, so the scheduling core's allocatable
// formulas and labels (research/aws-provider.md §a, §h.1) apply unchanged to live data. Two fields EC2 does not
// return come from the bundled catalogue when it knows the type, as Karpenter takes them from generated tables:
// the baseline network bandwidth (scraped from the EC2 docs) and pod-ENI trunking (the VPC resource limits).
// Offerings and prices are not set here (offerings.ts adds them).

import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';
import type { CatalogueEntry } from '../../../core/instancetypes/catalogue.js';

/** EC2 architecture names -> `kubernetes.io/arch` values; the first that maps wins (t2 lists i386 first). */
const ARCHITECTURES: Readonly<Record<string, string>> = { x86_64: 'amd64', arm64: 'arm64' };

/** GPU manufacturers whose devices are extended resources the device plugins advertise. */
const NVIDIA = 'NVIDIA';
const AMD = 'AMD';

/** NeuronInfo devices are AWS's own (Inferentia, Trainium); EC2 gives no manufacturer for them. */
const NEURON_MANUFACTURER = 'aws';

/** `EbsOptimizedInfo` bandwidth is a label only when EBS optimization is on by default, as in Karpenter. */
const EBS_OPTIMIZED_BY_DEFAULT = 'default';
const NVME_UNSUPPORTED = 'unsupported';
const MHZ_PER_GHZ = 1000;

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function architecture(info: InstanceTypeInfo): string | undefined {
  for (const arch of info.ProcessorInfo?.SupportedArchitectures ?? []) {
    const mapped = ARCHITECTURES[arch];
    if (mapped) return mapped;
  }
  return undefined;
}

function gpuFields(info: InstanceTypeInfo): Partial<CatalogueEntry> {
  const gpus = info.GpuInfo?.Gpus ?? [];
  const count = (manufacturer: string) =>
    sum(gpus.filter((g) => g.Manufacturer === manufacturer).map((g) => g.Count ?? 0));
  const fields: Partial<CatalogueEntry> = {
    gpuTotalMemoryMiB: info.GpuInfo?.TotalGpuMemoryInMiB ?? 0,
    nvidiaGpuResource: count(NVIDIA),
    amdGpuResource: count(AMD),
  };
  // GPU labels only for a single kind of GPU: a label cannot hold two names.
  const [only] = gpus;
  if (gpus.length !== 1 || only === undefined) return { ...fields, gpuCount: 0, gpuName: null, gpuManufacturer: null };
  return {
    ...fields,
    gpuCount: only.Count ?? 0,
    gpuName: only.Name ?? null,
    gpuManufacturer: only.Manufacturer ?? null,
    gpuMemoryMiB: only.MemoryInfo?.SizeInMiB ?? 0,
  };
}

function acceleratorFields(info: InstanceTypeInfo): Partial<CatalogueEntry> {
  const neurons = info.NeuronInfo?.NeuronDevices ?? [];
  const fields: Partial<CatalogueEntry> = {
    neuronDevices: sum(neurons.map((d) => d.Count ?? 0)),
    neuronCores: sum(neurons.map((d) => (d.Count ?? 0) * (d.CoreInfo?.Count ?? 0))),
  };
  const [neuron] = neurons;
  if (neuron !== undefined) {
    return {
      ...fields,
      acceleratorName: neuron.Name ?? null,
      acceleratorManufacturer: NEURON_MANUFACTURER,
      acceleratorCount: neuron.Count ?? 0,
    };
  }
  const accelerators = info.InferenceAcceleratorInfo?.Accelerators ?? [];
  const [only] = accelerators;
  if (accelerators.length !== 1 || only === undefined) return { ...fields, acceleratorName: null, acceleratorCount: 0 };
  return {
    ...fields,
    acceleratorName: only.Name ?? null,
    acceleratorManufacturer: only.Manufacturer ?? null,
    acceleratorCount: only.Count ?? 0,
  };
}

function networkFields(info: InstanceTypeInfo): Partial<CatalogueEntry> {
  const network = info.NetworkInfo;
  const cards = network?.NetworkCards ?? [];
  const defaultIndex = network?.DefaultNetworkCardIndex ?? 0;
  // Max pods counts the ENIs of the default card only (§j.1): p5.48xlarge has 64 ENIs but gets 100 pods.
  const defaultCard = cards.find((c) => (c.NetworkCardIndex ?? 0) === defaultIndex);
  return {
    maxENIs: defaultCard?.MaximumNetworkInterfaces ?? network?.MaximumNetworkInterfaces,
    ipv4PerENI: network?.Ipv4AddressesPerInterface,
    totalENIsAllCards: network?.MaximumNetworkInterfaces,
    networkCards: cards.length,
    defaultNetworkCardIndex: defaultIndex,
    maxEfaInterfaces: network?.EfaInfo?.MaximumEfaInterfaces ?? 0,
    encryptionInTransitSupported: network?.EncryptionInTransitSupported ?? false,
    networkPerformance: network?.NetworkPerformance ?? null,
  };
}

function hardwareFields(info: InstanceTypeInfo): Partial<CatalogueEntry> {
  const clock = info.ProcessorInfo?.SustainedClockSpeedInGhz;
  const ebs = info.EbsInfo;
  const storage = info.InstanceStorageInfo;
  return {
    cpuManufacturer: info.ProcessorInfo?.Manufacturer ?? null,
    cpuSustainedClockMhz: clock === undefined ? null : Math.round(clock * MHZ_PER_GHZ),
    // Bare metal has no hypervisor; Karpenter keeps "" as the label value.
    hypervisor: info.Hypervisor ?? '',
    bareMetal: info.BareMetal ?? false,
    ebsBandwidthMbps:
      ebs?.EbsOptimizedSupport === EBS_OPTIMIZED_BY_DEFAULT
        ? (ebs.EbsOptimizedInfo?.MaximumBandwidthInMbps ?? null)
        : null,
    localNvmeGB:
      storage?.TotalSizeInGB !== undefined && storage.NvmeSupport !== NVME_UNSUPPORTED ? storage.TotalSizeInGB : null,
  };
}

/** Drops undefined fields: the catalogue treats an absent field and a present one differently in places. */
function defined(entry: Record<string, unknown>): CatalogueEntry {
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as unknown as CatalogueEntry;
}

/**
 * The catalogue entry of a described type, or undefined when EC2 left out what allocatable needs (name, vCPUs,
 * memory) or the architecture is neither x86_64 nor arm64. `bundled` is the bundled catalogue's entry of the
 * same name, for the two fields EC2 does not return.
 */
export function toCatalogueEntry(info: InstanceTypeInfo, bundled?: CatalogueEntry): CatalogueEntry | undefined {
  const name = info.InstanceType;
  const vcpu = info.VCpuInfo?.DefaultVCpus;
  const memoryMiB = info.MemoryInfo?.SizeInMiB;
  const arch = architecture(info);
  if (name === undefined || vcpu === undefined || memoryMiB === undefined || arch === undefined) return undefined;
  return defined({
    name,
    arch,
    vcpu,
    memoryMiB,
    ...hardwareFields(info),
    ...gpuFields(info),
    ...acceleratorFields(info),
    ...networkFields(info),
    networkBandwidthMbps: bundled?.networkBandwidthMbps ?? null,
    trunkingCompatible: bundled?.trunkingCompatible ?? false,
    branchENIs: bundled?.branchENIs ?? 0,
  });
}
