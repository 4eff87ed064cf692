// Labels and requirements of an instance type (research/aws-provider.md §h.1, Karpenter's
// `computeRequirements`): the single-valued labels a node of the type carries, every AWS instance label the
// type lacks as `DoesNotExist` (so a pod that selects on it is rejected, not waved through as "undecided"),
// and zone and capacity type as `In` the values of the type's offerings.

import {
  AWS_INSTANCE_LABELS,
  LABEL_ARCH,
  LABEL_CAPACITY_TYPE,
  LABEL_INSTANCE_ACCELERATOR_COUNT,
  LABEL_INSTANCE_ACCELERATOR_MANUFACTURER,
  LABEL_INSTANCE_ACCELERATOR_NAME,
  LABEL_INSTANCE_CAPABILITY_FLEX,
  LABEL_INSTANCE_CATEGORY,
  LABEL_INSTANCE_CPU,
  LABEL_INSTANCE_CPU_MANUFACTURER,
  LABEL_INSTANCE_CPU_SUSTAINED_CLOCK,
  LABEL_INSTANCE_EBS_BANDWIDTH,
  LABEL_INSTANCE_ENCRYPTION_IN_TRANSIT,
  LABEL_INSTANCE_FAMILY,
  LABEL_INSTANCE_GENERATION,
  LABEL_INSTANCE_GPU_COUNT,
  LABEL_INSTANCE_GPU_MANUFACTURER,
  LABEL_INSTANCE_GPU_MEMORY,
  LABEL_INSTANCE_GPU_NAME,
  LABEL_INSTANCE_HYPERVISOR,
  LABEL_INSTANCE_LOCAL_NVME,
  LABEL_INSTANCE_MEMORY,
  LABEL_INSTANCE_NETWORK_BANDWIDTH,
  LABEL_INSTANCE_SIZE,
  LABEL_INSTANCE_TYPE,
  LABEL_OS,
  LABEL_REGION,
  LABEL_WINDOWS_BUILD,
  LABEL_ZONE,
} from '../labels.js';
import type { Offering } from '../model/instancetype.js';
import { Requirement } from '../requirements/requirement.js';
import { type CatalogueEntry, DEFAULT_ARCH, familyOf, sizeOf } from './catalogue.js';

/**
 * Karpenter's category/generation pattern: category letters, an optional `-NNtb` (u-6tb1), then the
 * generation digits, before the `.`: `m7i-flex.large` -> m, 7; `u-6tb1.112xlarge` -> u, 1.
 */
const CATEGORY_GENERATION = /^([a-z]+)(-[0-9]+tb)?([0-9]+).*\./;

/** Keys that are `DoesNotExist` when a type has no value: the AWS labels, and the Windows build on Linux. */
const ABSENT_WHEN_UNSET: readonly string[] = [...AWS_INSTANCE_LABELS, LABEL_WINDOWS_BUILD];

type LabelValue = string | number | boolean | null | undefined;

function set(labels: Record<string, string>, key: string, value: LabelValue): void {
  if (value !== undefined && value !== null) labels[key] = String(value);
}

/** Karpenter's label form of a manufacturer or model: lower case, spaces turned into `-`. */
function kebab(value: string | null | undefined): string | undefined {
  return value === undefined || value === null ? undefined : value.toLowerCase().replaceAll(' ', '-');
}

/**
 * The labels a node of this type carries (not zone or capacity type, which depend on the offering): instance
 * type, arch, os, region, the `karpenter.k8s.aws/instance-*` labels the entry has values for, then the entry's
 * own `labels`, which win over derived labels of the same key.
 */
export function instanceTypeLabels(entry: CatalogueEntry, os: string, region: string): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL_INSTANCE_TYPE]: entry.name,
    [LABEL_ARCH]: entry.arch ?? DEFAULT_ARCH,
    [LABEL_OS]: os,
    [LABEL_REGION]: region,
  };
  setShapeLabels(labels, entry);
  setHardwareLabels(labels, entry);
  setAcceleratorLabels(labels, entry);
  return Object.assign(labels, entry.labels);
}

/** Category, family, generation, size and flex: from the entry, else parsed from the name as Karpenter does. */
function setShapeLabels(labels: Record<string, string>, entry: CatalogueEntry): void {
  const match = CATEGORY_GENERATION.exec(entry.name);
  const family = familyOf(entry);
  set(labels, LABEL_INSTANCE_CATEGORY, entry.category ?? match?.[1]);
  set(labels, LABEL_INSTANCE_FAMILY, family);
  set(labels, LABEL_INSTANCE_GENERATION, entry.generation ?? match?.[3]);
  set(labels, LABEL_INSTANCE_SIZE, sizeOf(entry));
  set(labels, LABEL_INSTANCE_CAPABILITY_FLEX, entry.capabilityFlex ?? family?.includes('-flex'));
}

function setHardwareLabels(labels: Record<string, string>, entry: CatalogueEntry): void {
  set(labels, LABEL_INSTANCE_CPU, entry.vcpu);
  set(labels, LABEL_INSTANCE_CPU_MANUFACTURER, kebab(entry.cpuManufacturer));
  set(labels, LABEL_INSTANCE_CPU_SUSTAINED_CLOCK, entry.cpuSustainedClockMhz);
  set(labels, LABEL_INSTANCE_MEMORY, entry.memoryMiB);
  set(labels, LABEL_INSTANCE_EBS_BANDWIDTH, entry.ebsBandwidthMbps);
  set(labels, LABEL_INSTANCE_NETWORK_BANDWIDTH, entry.networkBandwidthMbps);
  // Bare metal has hypervisor "" and Karpenter keeps it as an empty label value, not an absent label.
  set(labels, LABEL_INSTANCE_HYPERVISOR, entry.hypervisor);
  set(labels, LABEL_INSTANCE_ENCRYPTION_IN_TRANSIT, entry.encryptionInTransitSupported);
  set(labels, LABEL_INSTANCE_LOCAL_NVME, entry.localNvmeGB);
}

/** GPU labels when the type has a (single kind of) GPU; accelerator labels for Inferentia/Trainium and such. */
function setAcceleratorLabels(labels: Record<string, string>, entry: CatalogueEntry): void {
  if (entry.gpuName !== undefined && entry.gpuName !== null) {
    set(labels, LABEL_INSTANCE_GPU_NAME, kebab(entry.gpuName));
    set(labels, LABEL_INSTANCE_GPU_MANUFACTURER, kebab(entry.gpuManufacturer));
    // Fractional GPUs (g6f, gr6f) carry count 0, as in Karpenter.
    set(labels, LABEL_INSTANCE_GPU_COUNT, entry.gpuCount ?? 0);
    set(labels, LABEL_INSTANCE_GPU_MEMORY, entry.gpuMemoryMiB);
  }
  if (entry.acceleratorName !== undefined && entry.acceleratorName !== null) {
    set(labels, LABEL_INSTANCE_ACCELERATOR_NAME, kebab(entry.acceleratorName));
    set(labels, LABEL_INSTANCE_ACCELERATOR_MANUFACTURER, kebab(entry.acceleratorManufacturer));
    set(labels, LABEL_INSTANCE_ACCELERATOR_COUNT, entry.acceleratorCount ?? 0);
  }
}

/**
 * Requirements are immutable and most label values repeat across the catalogue (arch, os, region, hypervisor,
 * the synthetic zones…), so one object per key and value serves every type: resolving 1345 types then
 * allocates a few thousand Requirement objects instead of some forty thousand.
 */
const interned = new Map<string, Map<string, Requirement>>();

/** The shared `key In [values]` requirement. */
function inRequirement(key: string, values: readonly string[]): Requirement {
  let byValues = interned.get(key);
  if (byValues === undefined) {
    byValues = new Map();
    interned.set(key, byValues);
  }
  const id = values.length === 1 ? (values[0] as string) : JSON.stringify(values);
  let requirement = byValues.get(id);
  if (requirement === undefined) {
    requirement = Requirement.of(key, 'In', values);
    byValues.set(id, requirement);
  }
  return requirement;
}

const DOES_NOT_EXIST: ReadonlyMap<string, Requirement> = new Map(
  ABSENT_WHEN_UNSET.map((key) => [key, Requirement.of(key, 'DoesNotExist')]),
);

/** Distinct values in first-seen order. */
function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * The type's requirements: each label as `In` its value, each AWS instance label it lacks (and the Windows
 * build) as `DoesNotExist`, and zone and capacity type `In` the values of all its offerings — available or
 * not, since availability is checked per offering when one is chosen.
 */
export function instanceTypeRequirements(
  labels: Readonly<Record<string, string>>,
  offerings: readonly Offering[],
): Requirement[] {
  const requirements: Requirement[] = [];
  for (const key in labels) requirements.push(inRequirement(key, [labels[key] as string]));
  for (const [key, absent] of DOES_NOT_EXIST) if (!Object.hasOwn(labels, key)) requirements.push(absent);
  requirements.push(inRequirement(LABEL_ZONE, distinct(offerings.map((o) => o.zone))));
  requirements.push(inRequirement(LABEL_CAPACITY_TYPE, distinct(offerings.map((o) => o.capacityType))));
  return requirements;
}
