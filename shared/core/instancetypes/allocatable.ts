// Capacity and allocatable of one catalogue entry under a node class, as Karpenter's AWS provider computes
// them (research/aws-provider.md §a): allocatable = capacity − (kube-reserved + system-reserved + eviction
// threshold), one resource at a time, in canonical units (cpu millicores, bytes, counts). An entry's own
// `allocatable` override replaces all of this (DESIGN.md §5).

import type { KubeletConfiguration, NodeClass } from '../model/nodepool.js';
import { canonicalQuantity, QuantityError } from '../resources/quantity.js';
import { CPU, EPHEMERAL_STORAGE, MEMORY, PODS, parseResources, type Resources } from '../resources/resources.js';
import type { CatalogueEntry } from './catalogue.js';
import { ephemeralStorageCapacity, FAMILY_TRAITS, type FamilyTraits, mappedEphemeralStorage } from './family.js';

export const RESOURCE_NVIDIA_GPU = 'nvidia.com/gpu';
export const RESOURCE_AMD_GPU = 'amd.com/gpu';
export const RESOURCE_NEURON = 'aws.amazon.com/neuron';
export const RESOURCE_NEURON_CORE = 'aws.amazon.com/neuroncore';
export const RESOURCE_POD_ENI = 'vpc.amazonaws.com/pod-eni';
export const RESOURCE_EFA = 'vpc.amazonaws.com/efa';

const MIB = 2 ** 20;
const GIB = 2 ** 30;
/** Graviton (arm64) reserves 64 MiB of CMA memory that the OS cannot use. */
const ARM64_CMA_MIB = 64;
/** Karpenter's default `--vm-memory-overhead-percent`: a first guess at hypervisor and firmware memory. */
const VM_MEMORY_OVERHEAD = 0.075;
/** Karpenter's default `--reserved-enis` (1 only with VPC CNI custom networking). */
const RESERVED_ENIS = 0;
/** kubelet's own default, for entries that carry no ENI data at all. */
const DEFAULT_MAX_PODS = 110;
/** kube-reserved memory = 11 MiB per pod + 255 MiB (the EKS AMI and Bottlerocket formula). */
const KUBE_RESERVED_MIB_PER_POD = 11;
const KUBE_RESERVED_MIB_BASE = 255;
/** kube-reserved ephemeral storage: a flat 1Gi. */
const KUBE_RESERVED_EPHEMERAL = GIB;
/** kube-reserved cpu tiers [from, to) in millicores and the share of each; each tier is truncated to whole m. */
const CPU_TIERS: readonly (readonly [number, number, number])[] = [
  [0, 1000, 0.06],
  [1000, 2000, 0.01],
  [2000, 4000, 0.005],
  [4000, 2 ** 31, 0.0025],
];
/** Default hard eviction threshold for `memory.available`. */
const EVICTION_MEMORY_AVAILABLE = 100 * MIB;
/** Default hard eviction threshold for `nodefs.available`, percent of ephemeral capacity. */
const EVICTION_NODEFS_PERCENT = 10;
/** kubelet reads a 100% threshold as "disabled"; Karpenter counts it as 0. */
const DISABLED_PERCENT = 100;

type Threshold = { readonly percent: number } | { readonly amount: number };

/** A node class's kubelet settings, parsed once and applied to every type. */
export interface NodeClassOverhead {
  readonly nodeClass: NodeClass;
  readonly traits: FamilyTraits;
  readonly kubelet: KubeletConfiguration;
  readonly memoryEviction: Threshold;
  readonly nodefsEviction: Threshold;
  /** Ephemeral capacity from the block device mappings (everything but RAID0). */
  readonly mappedEphemeralBytes: number;
}

/**
 * Parses what a node class contributes to every type's overhead. Throws `QuantityError` for an `evictionHard`
 * value that is neither a quantity nor a percentage (the config layer rejects those first).
 */
export function nodeClassOverhead(nodeClass: NodeClass): NodeClassOverhead {
  const hard = nodeClass.kubelet.evictionHard ?? {};
  const memory = hard['memory.available'];
  const nodefs = hard['nodefs.available'];
  return {
    nodeClass,
    traits: FAMILY_TRAITS[nodeClass.amiFamily],
    kubelet: nodeClass.kubelet,
    memoryEviction: memory === undefined ? { amount: EVICTION_MEMORY_AVAILABLE } : threshold(MEMORY, memory),
    nodefsEviction: nodefs === undefined ? { percent: EVICTION_NODEFS_PERCENT } : threshold(EPHEMERAL_STORAGE, nodefs),
    mappedEphemeralBytes: mappedEphemeralStorage(nodeClass),
  };
}

function threshold(resource: string, value: string): Threshold {
  if (!value.endsWith('%')) return { amount: canonicalQuantity(resource, value) };
  const percent = Number(value.slice(0, -1));
  if (value.length < 2 || !Number.isFinite(percent) || percent < 0) throw new QuantityError(value);
  return { percent: percent === DISABLED_PERCENT ? 0 : percent };
}

/** A threshold in bytes against `capacity`: a percentage is `ceil(capacity / 100 * p)`, as kubelet reads it. */
function thresholdBytes(t: Threshold, capacity: number): number {
  return 'amount' in t ? t.amount : Math.ceil((capacity / 100) * t.percent);
}

/** Memory capacity in bytes: arm64 loses 64 MiB of CMA first, then `ceil(7.5%)` MiB of VM overhead. */
export function memoryCapacity(memoryMiB: number, arch: string | undefined): number {
  const bytes = (arch === 'arm64' ? memoryMiB - ARM64_CMA_MIB : memoryMiB) * MIB;
  // Same floating-point order as Karpenter (bytes * pct / 1024 / 1024) so every ceil lands identically.
  const overheadMiB = Math.ceil((bytes * VM_MEMORY_OVERHEAD) / 1024 / 1024);
  return bytes - overheadMiB * MIB;
}

/** kube-reserved cpu in millicores: 6% / 1% / 0.5% / 0.25% tiers, cumulative, each truncated (2 vCPU -> 70m). */
export function kubeReservedCpu(cpuMillis: number): number {
  let reserved = 0;
  for (const [from, to, share] of CPU_TIERS) {
    if (cpuMillis < from) break;
    reserved += Math.trunc((Math.min(cpuMillis, to) - from) * share);
  }
  return reserved;
}

/** Default kube-reserved for a type, with the user's `kubeReserved` keys replacing defaults one by one. */
export function kubeReserved(cpuMillis: number, podsForMemory: number, user: Resources | undefined): Resources {
  return {
    [CPU]: kubeReservedCpu(cpuMillis),
    [MEMORY]: (KUBE_RESERVED_MIB_PER_POD * podsForMemory + KUBE_RESERVED_MIB_BASE) * MIB,
    [EPHEMERAL_STORAGE]: KUBE_RESERVED_EPHEMERAL,
    ...user,
  };
}

/** Hard eviction thresholds that count against allocatable: memory.available and nodefs.available. */
export function evictionThreshold(memoryBytes: number, ephemeralBytes: number, overhead: NodeClassOverhead): Resources {
  return {
    [MEMORY]: thresholdBytes(overhead.memoryEviction, memoryBytes),
    [EPHEMERAL_STORAGE]: thresholdBytes(overhead.nodefsEviction, ephemeralBytes),
  };
}

/**
 * The ENI-limited pod count (§a.4): usable ENIs of the default card × (IPv4 per ENI − 1) + 2, with no 110 cap;
 * 0 when no ENI is usable. Entries without ENI data fall back to `eniMaxPods`, then to kubelet's 110.
 */
export function eniLimitedPods(entry: CatalogueEntry): number {
  if (entry.maxENIs === undefined || entry.ipv4PerENI === undefined) return entry.eniMaxPods ?? DEFAULT_MAX_PODS;
  const usable = Math.max(entry.maxENIs - RESERVED_ENIS, 0);
  if (usable === 0) return 0;
  return Math.max(usable * (entry.ipv4PerENI - 1) + 2, 0);
}

/** The pod limit under a node class (§a.4): kubelet maxPods wins, else the ENI formula; podsPerCore caps it. */
export function maxPods(entry: CatalogueEntry, overhead: NodeClassOverhead): number {
  const { maxPods: explicit, podsPerCore } = overhead.kubelet;
  const pods = explicit ?? eniLimitedPods(entry);
  if (podsPerCore !== undefined && podsPerCore > 0 && overhead.traits.podsPerCoreEnabled) {
    return Math.min(podsPerCore * (entry.vcpu ?? 0), pods);
  }
  return pods;
}

/** Capacity of an entry (no `allocatable` override) under a node class. */
export function computedCapacity(entry: CatalogueEntry, overhead: NodeClassOverhead, pods: number): Resources {
  const capacity: Record<string, number> = {
    [CPU]: (entry.vcpu ?? 0) * 1000,
    [MEMORY]: memoryCapacity(entry.memoryMiB ?? 0, entry.arch),
    [EPHEMERAL_STORAGE]: ephemeralStorageCapacity(overhead.nodeClass, entry.localNvmeGB, overhead.mappedEphemeralBytes),
    [PODS]: pods,
  };
  addExtended(capacity, RESOURCE_NVIDIA_GPU, entry.nvidiaGpuResource);
  addExtended(capacity, RESOURCE_AMD_GPU, entry.amdGpuResource);
  addExtended(capacity, RESOURCE_NEURON, entry.neuronDevices);
  addExtended(capacity, RESOURCE_NEURON_CORE, entry.neuronCores);
  addExtended(capacity, RESOURCE_POD_ENI, entry.trunkingCompatible ? entry.branchENIs : 0);
  addExtended(capacity, RESOURCE_EFA, entry.maxEfaInterfaces);
  return capacity;
}

/** Extended resources appear only when the type has some: a missing key already means zero. */
function addExtended(capacity: Record<string, number>, resource: string, amount: number | undefined): void {
  if (amount !== undefined && amount > 0) capacity[resource] = amount;
}

/** Capacity minus each overhead, over the capacity's keys only, floored at 0 (a negative amount fits nothing either). */
function subtractOverhead(capacity: Resources, overheads: readonly Resources[]): Resources {
  const out: Record<string, number> = {};
  for (const key in capacity) {
    let amount = capacity[key] as number;
    for (const o of overheads) amount -= o[key] ?? 0;
    out[key] = Math.max(amount, 0);
  }
  return out;
}

export interface CapacityAndAllocatable {
  readonly capacity: Resources;
  readonly allocatable: Resources;
}

/**
 * Capacity and allocatable of a catalogue entry under a node class (research/aws-provider.md §a). With an
 * `allocatable` override, allocatable is that list exactly and capacity is `vcpu`/`memoryMiB` where given,
 * else the allocatable amounts.
 */
export function capacityAndAllocatable(entry: CatalogueEntry, overhead: NodeClassOverhead): CapacityAndAllocatable {
  if (entry.allocatable !== undefined) return overriddenAllocatable(entry);
  const pods = maxPods(entry, overhead);
  const capacity = computedCapacity(entry, overhead, pods);
  const podsForMemory = overhead.traits.eniLimitedMemoryOverhead ? eniLimitedPods(entry) : pods;
  const reserved = kubeReserved(capacity[CPU] as number, podsForMemory, overhead.kubelet.kubeReserved);
  const system = overhead.kubelet.systemReserved ?? {};
  const eviction = evictionThreshold(capacity[MEMORY] as number, capacity[EPHEMERAL_STORAGE] as number, overhead);
  return { capacity, allocatable: subtractOverhead(capacity, [reserved, system, eviction]) };
}

function overriddenAllocatable(entry: CatalogueEntry): CapacityAndAllocatable {
  const allocatable = parseResources(entry.allocatable);
  const capacity: Record<string, number> = { ...allocatable };
  if (entry.vcpu !== undefined) capacity[CPU] = entry.vcpu * 1000;
  if (entry.memoryMiB !== undefined) capacity[MEMORY] = entry.memoryMiB * MIB;
  return { capacity, allocatable };
}
