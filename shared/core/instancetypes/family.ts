// What the AMI family of a node class decides about an instance type (research/aws-provider.md §a.2, §a.4,
// §a.5, §b.1): the OS of its nodes, which types its AMIs cannot boot, the pod-density feature flags, and the
// ephemeral-storage capacity from the node class's block device mappings.

import type { AmiFamily, NodeClass } from '../model/nodepool.js';

const GIB = 2 ** 30;
/** EC2 reports instance store in decimal GB; Karpenter reads `TotalSizeInGB` as `"<n>G"`. */
const GB = 1e9;
/** Karpenter's `DefaultEBS.VolumeSize`: the root/data volume size when no mapping gives one. */
export const DEFAULT_VOLUME_BYTES = 20 * GIB;

export interface FamilyTraits {
  /** Device whose volume holds kubelet's ephemeral storage; undefined for Custom (the AMI decides). */
  readonly ephemeralDevice: string | undefined;
  /**
   * Memory kube-reserved counts the ENI-limited pods even when maxPods/podsPerCore lower the real limit
   * (Karpenter's `UsesENILimitedMemoryOverhead`); otherwise it counts the actual pod limit.
   */
  readonly eniLimitedMemoryOverhead: boolean;
  /** kubelet `podsPerCore` caps the pod count (Karpenter's `PodsPerCoreEnabled`; Bottlerocket ignores it). */
  readonly podsPerCoreEnabled: boolean;
  /** `kubernetes.io/os` of its nodes; types that do not list it are not offered. */
  readonly os: string;
  /** Instance families its AMIs cannot boot. */
  readonly incompatibleInstanceFamilies: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

export const FAMILY_TRAITS: Readonly<Record<AmiFamily, FamilyTraits>> = {
  AL2023: {
    ephemeralDevice: '/dev/xvda',
    eniLimitedMemoryOverhead: true,
    podsPerCoreEnabled: true,
    os: 'linux',
    // AL2023 AMIs need a newer CPU than the first-generation Graviton (a1); Karpenter rejects a1 for AL2023.
    incompatibleInstanceFamilies: new Set(['a1']),
  },
  Bottlerocket: {
    ephemeralDevice: '/dev/xvdb',
    eniLimitedMemoryOverhead: false,
    podsPerCoreEnabled: false,
    os: 'linux',
    incompatibleInstanceFamilies: NONE,
  },
  Custom: {
    ephemeralDevice: undefined,
    eniLimitedMemoryOverhead: true,
    podsPerCoreEnabled: true,
    os: 'linux',
    incompatibleInstanceFamilies: NONE,
  },
};

/**
 * Ephemeral-storage capacity in bytes from the block device mappings alone (rules 2–5 of §a.5, first match
 * wins): a `rootVolume` mapping with a size; for Custom the last mapping (else 20Gi); else the mapping of the
 * family's ephemeral device; else the family default of 20Gi. It does not depend on the instance type, so
 * callers compute it once per node class.
 */
export function mappedEphemeralStorage(nodeClass: NodeClass): number {
  const mappings = nodeClass.blockDeviceMappings;
  if (mappings.length === 0) return DEFAULT_VOLUME_BYTES;
  const root = mappings.find((m) => m.rootVolume);
  if (root?.volumeSizeBytes !== undefined) return root.volumeSizeBytes;
  if (nodeClass.amiFamily === 'Custom') return mappings[mappings.length - 1]?.volumeSizeBytes ?? DEFAULT_VOLUME_BYTES;
  const device = FAMILY_TRAITS[nodeClass.amiFamily].ephemeralDevice;
  return mappings.find((m) => m.deviceName === device)?.volumeSizeBytes ?? DEFAULT_VOLUME_BYTES;
}

/**
 * Ephemeral-storage capacity in bytes of one type under a node class (§a.5): with `instanceStorePolicy: RAID0`
 * and NVMe instance store, the store's total in decimal GB (rule 1); otherwise `mappedBytes`, the node class's
 * value from `mappedEphemeralStorage`.
 */
export function ephemeralStorageCapacity(
  nodeClass: NodeClass,
  localNvmeGB: number | null | undefined,
  mappedBytes: number,
): number {
  if (nodeClass.instanceStorePolicy === 'RAID0' && localNvmeGB !== undefined && localNvmeGB !== null) {
    return localNvmeGB * GB;
  }
  return mappedBytes;
}

/** True when nodes of this family can run the type: its OS list has the family's OS and its family boots. */
export function suitsFamily(traits: FamilyTraits, instanceFamily: string | undefined, os: readonly string[]): boolean {
  if (instanceFamily !== undefined && traits.incompatibleInstanceFamilies.has(instanceFamily)) return false;
  return os.includes(traits.os);
}
