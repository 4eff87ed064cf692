// The catalogue entry: one EC2 instance type with the fields of the bundled data file
// (`shared/data/ec2-instance-types.us-east-1.json`, described in `shared/data/README.md`) plus the overrides
// of DESIGN.md §5 that tests and private catalogues use (`allocatable`, `offerings`, `labels`, `os`).
// Validation lives in validate.ts; this file owns the shape and the defaults.

export type CatalogueCapacityType = 'spot' | 'on-demand' | 'reserved';

export const CATALOGUE_CAPACITY_TYPES: readonly CatalogueCapacityType[] = ['spot', 'on-demand', 'reserved'];

/** Operating systems a type supports when the entry does not say (every bundled type runs Linux). */
export const DEFAULT_OS: readonly string[] = ['linux'];

/** Architecture assumed when an entry does not say (most of the bundled catalogue, 949 of 1345, is amd64). */
export const DEFAULT_ARCH = 'amd64';

export const ARCHITECTURES: readonly string[] = ['amd64', 'arm64'];

/** One priced offering given explicitly by an entry; order matters (it breaks price ties). */
export interface CatalogueOffering {
  readonly zone: string;
  readonly capacityType: CatalogueCapacityType;
  /** $/h. */
  readonly price: number;
  /** Default true. */
  readonly available?: boolean;
}

/** Karpenter's own allocatable for AL2023 defaults, as its documentation prints it: a golden fixture only. */
export interface KarpenterAllocatable {
  readonly cpu: string;
  readonly memory: string;
  readonly ephemeralStorage: string;
  readonly pods: number;
  readonly podENI: number;
}

/**
 * One instance type of the catalogue. Only `name` is required. Label values (`family`, `category`, …) are
 * Karpenter's label forms; when absent they are derived from the name where Karpenter derives them, else the
 * label is absent (a `DoesNotExist` requirement).
 */
export interface CatalogueEntry {
  readonly name: string;
  readonly family?: string;
  readonly category?: string;
  readonly generation?: number;
  readonly size?: string;
  /** `amd64` or `arm64`; default amd64. */
  readonly arch?: string;
  readonly vcpu?: number;
  /** Raw `MemoryInfo.SizeInMiB`, before the arm64 and VM-overhead deductions. */
  readonly memoryMiB?: number;
  readonly cpuManufacturer?: string | null;
  readonly cpuSustainedClockMhz?: number | null;
  /** `nitro`, `xen`, or `""` (bare metal). */
  readonly hypervisor?: string | null;
  readonly bareMetal?: boolean;
  readonly capabilityFlex?: boolean;
  readonly gpuCount?: number;
  readonly gpuName?: string | null;
  readonly gpuManufacturer?: string | null;
  /** Per GPU. */
  readonly gpuMemoryMiB?: number;
  readonly gpuFractional?: boolean;
  readonly gpuTotalMemoryMiB?: number;
  /** Capacity of `nvidia.com/gpu`. */
  readonly nvidiaGpuResource?: number;
  /** Capacity of `amd.com/gpu`. */
  readonly amdGpuResource?: number;
  readonly acceleratorName?: string | null;
  readonly acceleratorManufacturer?: string | null;
  readonly acceleratorCount?: number;
  /** Capacity of `aws.amazon.com/neuron`. */
  readonly neuronDevices?: number;
  /** Capacity of `aws.amazon.com/neuroncore`. */
  readonly neuronCores?: number;
  /** Capacity of `vpc.amazonaws.com/efa`. */
  readonly maxEfaInterfaces?: number;
  /** ENIs of the default network card: the value the max-pods formula uses. */
  readonly maxENIs?: number;
  readonly ipv4PerENI?: number;
  readonly totalENIsAllCards?: number;
  readonly networkCards?: number;
  readonly defaultNetworkCardIndex?: number;
  readonly trunkingCompatible?: boolean;
  /** Capacity of `vpc.amazonaws.com/pod-eni` when `trunkingCompatible`. */
  readonly branchENIs?: number;
  /** The uncapped ENI-limited pod count; used only when `maxENIs`/`ipv4PerENI` are absent. */
  readonly eniMaxPods?: number;
  /** EC2's `TotalSizeInGB` of NVMe instance store (decimal GB). */
  readonly localNvmeGB?: number | null;
  readonly networkBandwidthMbps?: number | null;
  readonly networkPerformance?: string | null;
  readonly ebsBandwidthMbps?: number | null;
  readonly encryptionInTransitSupported?: boolean;
  /** $/h, Linux, us-east-1; the synthetic market model prices from it. */
  readonly onDemandPriceUSD?: number | null;
  /** Informational (always null in the bundled data); the market model does not read it. */
  readonly spotPriceUSD?: number | null;
  /** Informational (always null in the bundled data); the market model does not read it. */
  readonly availabilityZones?: readonly string[] | null;
  readonly karpenterAllocatableAL2023?: KarpenterAllocatable | null;

  // Overrides (DESIGN.md §5).
  /** Resource name -> quantity, used exactly as given (no overhead computed). */
  readonly allocatable?: Readonly<Record<string, string | number>>;
  /** Replaces the synthetic market model for this type; order kept. */
  readonly offerings?: readonly CatalogueOffering[];
  /** Extra node labels; they win over derived labels of the same key. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Operating systems the type supports; default `["linux"]`. */
  readonly os?: readonly string[];
}

/** Thrown by `resolveInstanceTypes` for entries that fail validation; `errors` lists every problem. */
export class CatalogueError extends Error {
  override readonly name = 'CatalogueError';
  constructor(readonly errors: readonly string[]) {
    super(`invalid instance-type catalogue:\n${errors.join('\n')}`);
  }
}

/**
 * The family part of an instance-type name (`c7i-flex.large` -> `c7i-flex`), or undefined for a name that is
 * not `<family>.<size>`.
 */
export function familyOf(entry: CatalogueEntry): string | undefined {
  if (entry.family !== undefined) return entry.family;
  const parts = entry.name.split('.');
  return parts.length === 2 ? parts[0] : undefined;
}

/** The size part of an instance-type name (`m5.metal` -> `metal`), or undefined. */
export function sizeOf(entry: CatalogueEntry): string | undefined {
  if (entry.size !== undefined) return entry.size;
  const parts = entry.name.split('.');
  return parts.length === 2 ? parts[1] : undefined;
}
