// Label keys the scheduler knows. Karpenter's keys are kept so that workloads written for Karpenter schedule
// unchanged (DESIGN.md §2 "Labels").

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';
export const LABEL_REGION = 'topology.kubernetes.io/region';
export const LABEL_INSTANCE_TYPE = 'node.kubernetes.io/instance-type';
export const LABEL_ARCH = 'kubernetes.io/arch';
export const LABEL_OS = 'kubernetes.io/os';
export const LABEL_WINDOWS_BUILD = 'node.kubernetes.io/windows-build';
export const LABEL_CAPACITY_TYPE = 'karpenter.sh/capacity-type';
export const LABEL_NODEPOOL = 'karpenter.sh/nodepool';
export const LABEL_NODECLASS = 'karpenter.k8s.aws/ec2nodeclass';

const AWS = 'karpenter.k8s.aws/';
export const LABEL_INSTANCE_CATEGORY = `${AWS}instance-category`;
export const LABEL_INSTANCE_FAMILY = `${AWS}instance-family`;
export const LABEL_INSTANCE_GENERATION = `${AWS}instance-generation`;
export const LABEL_INSTANCE_SIZE = `${AWS}instance-size`;
export const LABEL_INSTANCE_CPU = `${AWS}instance-cpu`;
export const LABEL_INSTANCE_CPU_MANUFACTURER = `${AWS}instance-cpu-manufacturer`;
export const LABEL_INSTANCE_CPU_SUSTAINED_CLOCK = `${AWS}instance-cpu-sustained-clock-speed-mhz`;
export const LABEL_INSTANCE_MEMORY = `${AWS}instance-memory`;
export const LABEL_INSTANCE_EBS_BANDWIDTH = `${AWS}instance-ebs-bandwidth`;
export const LABEL_INSTANCE_NETWORK_BANDWIDTH = `${AWS}instance-network-bandwidth`;
export const LABEL_INSTANCE_HYPERVISOR = `${AWS}instance-hypervisor`;
export const LABEL_INSTANCE_ENCRYPTION_IN_TRANSIT = `${AWS}instance-encryption-in-transit-supported`;
export const LABEL_INSTANCE_CAPABILITY_FLEX = `${AWS}instance-capability-flex`;
export const LABEL_INSTANCE_LOCAL_NVME = `${AWS}instance-local-nvme`;
export const LABEL_INSTANCE_GPU_NAME = `${AWS}instance-gpu-name`;
export const LABEL_INSTANCE_GPU_MANUFACTURER = `${AWS}instance-gpu-manufacturer`;
export const LABEL_INSTANCE_GPU_COUNT = `${AWS}instance-gpu-count`;
export const LABEL_INSTANCE_GPU_MEMORY = `${AWS}instance-gpu-memory`;
export const LABEL_INSTANCE_ACCELERATOR_NAME = `${AWS}instance-accelerator-name`;
export const LABEL_INSTANCE_ACCELERATOR_MANUFACTURER = `${AWS}instance-accelerator-manufacturer`;
export const LABEL_INSTANCE_ACCELERATOR_COUNT = `${AWS}instance-accelerator-count`;

/** Instance-type labels the AWS provider defines for every type (absent ones are `DoesNotExist`). */
export const AWS_INSTANCE_LABELS: readonly string[] = [
  LABEL_INSTANCE_CATEGORY,
  LABEL_INSTANCE_FAMILY,
  LABEL_INSTANCE_GENERATION,
  LABEL_INSTANCE_SIZE,
  LABEL_INSTANCE_CPU,
  LABEL_INSTANCE_CPU_MANUFACTURER,
  LABEL_INSTANCE_CPU_SUSTAINED_CLOCK,
  LABEL_INSTANCE_MEMORY,
  LABEL_INSTANCE_EBS_BANDWIDTH,
  LABEL_INSTANCE_NETWORK_BANDWIDTH,
  LABEL_INSTANCE_HYPERVISOR,
  LABEL_INSTANCE_ENCRYPTION_IN_TRANSIT,
  LABEL_INSTANCE_CAPABILITY_FLEX,
  LABEL_INSTANCE_LOCAL_NVME,
  LABEL_INSTANCE_GPU_NAME,
  LABEL_INSTANCE_GPU_MANUFACTURER,
  LABEL_INSTANCE_GPU_COUNT,
  LABEL_INSTANCE_GPU_MEMORY,
  LABEL_INSTANCE_ACCELERATOR_NAME,
  LABEL_INSTANCE_ACCELERATOR_MANUFACTURER,
  LABEL_INSTANCE_ACCELERATOR_COUNT,
];

/**
 * Keys a pod may require even when a NodePool says nothing about them: the instance type, not the pool,
 * decides their values (Karpenter's `WellKnownLabels` plus the AWS provider's).
 */
export const WELL_KNOWN_LABELS: ReadonlySet<string> = new Set([
  LABEL_NODEPOOL,
  LABEL_ZONE,
  LABEL_REGION,
  LABEL_INSTANCE_TYPE,
  LABEL_ARCH,
  LABEL_OS,
  LABEL_CAPACITY_TYPE,
  LABEL_WINDOWS_BUILD,
  ...AWS_INSTANCE_LABELS,
]);

/** Legacy label keys Kubernetes still accepts, normalized to their current names. */
export const NORMALIZED_LABELS: Readonly<Record<string, string>> = {
  'failure-domain.beta.kubernetes.io/zone': LABEL_ZONE,
  'failure-domain.beta.kubernetes.io/region': LABEL_REGION,
  'beta.kubernetes.io/arch': LABEL_ARCH,
  'beta.kubernetes.io/os': LABEL_OS,
  'beta.kubernetes.io/instance-type': LABEL_INSTANCE_TYPE,
  // The EBS CSI driver's own zone key (its node plugin labels nodes with it only after they start), as Karpenter's
  // AWS provider normalizes it: a pod pinned to its volume's zone this way can still get a new node there.
  'topology.ebs.csi.aws.com/zone': LABEL_ZONE,
};

export function normalizeLabelKey(key: string): string {
  return NORMALIZED_LABELS[key] ?? key;
}

/**
 * Why a pod may not require `key` (Karpenter's restricted labels), or undefined when it may:
 * the hostname (a new node's name is unknown) and the `karpenter.sh` domain beyond its well-known keys.
 */
export function restrictedLabelReason(key: string): string | undefined {
  if (key === LABEL_HOSTNAME) return `label "${key}" is restricted: a new node's hostname cannot be chosen`;
  const domain = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
  if ((domain === 'karpenter.sh' || domain.endsWith('.karpenter.sh')) && !WELL_KNOWN_LABELS.has(key)) {
    return `label "${key}" is restricted: the karpenter.sh domain is reserved`;
  }
  return undefined;
}

export const CAPACITY_TYPE_RESERVED = 'reserved';
export const CAPACITY_TYPE_SPOT = 'spot';
export const CAPACITY_TYPE_ON_DEMAND = 'on-demand';
export const CAPACITY_TYPES: readonly string[] = [CAPACITY_TYPE_RESERVED, CAPACITY_TYPE_SPOT, CAPACITY_TYPE_ON_DEMAND];

export const ANNOTATION_DO_NOT_DISRUPT = 'karpenter.sh/do-not-disrupt';
export const TAINT_DISRUPTED = 'fleetwright.io/disrupted';
export const ANNOTATION_NODEPOOL_HASH = 'fleetwright.io/nodepool-hash';
export const ANNOTATION_NODECLASS_HASH = 'fleetwright.io/nodeclass-hash';
export const ANNOTATION_DRIFTED_SINCE = 'fleetwright.io/drifted-since';
/** The AMI a node was launched from, copied from its instance at registration: the input of AMI drift. */
export const ANNOTATION_IMAGE_ID = 'fleetwright.io/image-id';
/** When a node's disruption began (RFC 3339); with the taint's value (the reason) a drain resumes from it alone. */
export const ANNOTATION_DISRUPTED_AT = 'fleetwright.io/disrupted-at';

/** Taints a node carries while it boots; on a node that is not initialized they do not repel pods. */
export const EPHEMERAL_TAINT_KEYS: ReadonlySet<string> = new Set([
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
  'node.cloudprovider.kubernetes.io/uninitialized',
]);
