// NodePool and node class after config parsing: durations in milliseconds, quantities in canonical units.
// The config layer (`shared/config`) validates documents and converts them into these.

import type { NodeSelectorRequirement } from '../requirements/requirement.js';
import type { Resources } from '../resources/resources.js';
import type { Taint } from './taints.js';

export type ConsolidationPolicy = 'WhenEmpty' | 'WhenEmptyOrUnderutilized';
export type DisruptionReason = 'Empty' | 'Drifted' | 'Underutilized';

export interface Budget {
  /** An integer count or a percentage such as "10%". */
  readonly nodes: string;
  /** Cron (UTC), paired with `durationMs`. */
  readonly schedule?: string;
  readonly durationMs?: number;
  /** Empty = every reason. */
  readonly reasons?: readonly DisruptionReason[];
}

export interface DisruptionWindow {
  readonly schedule: string;
  readonly durationMs: number;
}

export interface NodePool {
  readonly name: string;
  /** 0 when unset; higher is tried first. */
  readonly weight: number;
  readonly nodeClassName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly requirements: readonly NodeSelectorRequirement[];
  readonly taints: readonly Taint[];
  readonly startupTaints: readonly Taint[];
  /** null = Never. */
  readonly expireAfterMs: number | null;
  /** null = unset. */
  readonly terminationGracePeriodMs: number | null;
  readonly consolidationPolicy: ConsolidationPolicy;
  /** null = Never. */
  readonly consolidateAfterMs: number | null;
  readonly budgets: readonly Budget[];
  /** cpu, memory, nodes and extended resources; absent = unlimited. */
  readonly limits: Resources;
  /** `spec.fleetwright.limits.hourlyCost` in $/h. */
  readonly hourlyCostLimit?: number;
  /** `spec.fleetwright.consolidation.minSavings`. */
  readonly minSavings?: { readonly perHour?: number; readonly percent?: number };
  /** `spec.fleetwright.disruption.windows`. */
  readonly disruptionWindows?: readonly DisruptionWindow[];
  /** Hash of `spec.template`, compared with a node's `fleetwright.io/nodepool-hash` for drift. */
  readonly templateHash: string;
}

export type AmiFamily = 'AL2023' | 'Bottlerocket' | 'Custom';

export interface KubeletConfiguration {
  readonly maxPods?: number;
  readonly podsPerCore?: number;
  readonly kubeReserved?: Resources;
  readonly systemReserved?: Resources;
  /** Signal -> quantity or percentage, e.g. `{ "memory.available": "5%" }`. */
  readonly evictionHard?: Readonly<Record<string, string>>;
}

export interface BlockDeviceMapping {
  readonly deviceName: string;
  readonly rootVolume: boolean;
  /** Bytes; undefined when the mapping has no size. */
  readonly volumeSizeBytes?: number;
}

export interface NodeClass {
  readonly name: string;
  readonly amiFamily: AmiFamily;
  readonly kubelet: KubeletConfiguration;
  readonly blockDeviceMappings: readonly BlockDeviceMapping[];
  readonly instanceStorePolicy?: 'RAID0';
  /** Hash of `spec`, compared with a node's `fleetwright.io/nodeclass-hash` for drift. */
  readonly specHash: string;
}
