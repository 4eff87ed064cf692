// The EC2NodeClass document: Karpenter's `karpenter.k8s.aws/v1` EC2NodeClass with its CEL rules (selector
// terms, mutually exclusive fields, AMI family versus alias). AMI families fleetwright cannot launch are
// refused with the reason; fields it does not support are refused with a sentence saying so.

import { z } from 'zod';
import { aliasFamily, amiFamilyProblem, amiSelectorTermsSchema } from './ami-selection.js';
import {
  alwaysCheck,
  apiVersionField,
  checkedString,
  isPlainObject,
  metadataSchema,
  quantityProblem,
  strictObject,
  stringMap,
} from './fields.js';
import { describeValue } from './issues.js';
import { kubeletSchema } from './kubelet-schema.js';
import { idField, securityGroupSelectorTerms, subnetSelectorTerms } from './selector-terms.js';

export const NODECLASS_API_VERSION = 'karpenter.k8s.aws/v1';
export const EC2NODECLASS_KIND = 'EC2NodeClass';

// Karpenter's limits: block device mappings per class, IMDS hop limit.
const MAX_BLOCK_DEVICES = 50;
const MAX_HOP_LIMIT = 64;

// EBS sizes as Karpenter accepts them: G, Gi, T or Ti.
const VOLUME_SIZE = /^[0-9]+(G|Gi|T|Ti)$/;

function volumeSizeProblem(value: string): string | undefined {
  if (VOLUME_SIZE.test(value) && !quantityProblem(value)) return undefined;
  return `${describeValue(value)} is not a volume size, expected a whole number of Gi, G, Ti or T such as "100Gi"`;
}

const ebs = alwaysCheck(
  strictObject(
    {
      volumeSize: checkedString(volumeSizeProblem).optional(),
      volumeType: z.enum(['standard', 'io1', 'io2', 'gp2', 'sc1', 'st1', 'gp3']).optional(),
      iops: z.number().int().min(0).optional(),
      throughput: z.number().int().min(0).optional(),
      encrypted: z.boolean().optional(),
      kmsKeyID: z.string().min(1).optional(),
      deleteOnTermination: z.boolean().optional(),
      snapshotID: idField('snap').optional(),
    },
    { volumeInitializationRate: 'volumeInitializationRate is not supported yet' },
  ),
  isPlainObject,
  (value: Record<string, unknown>, report) => {
    if (value.volumeSize === undefined && value.snapshotID === undefined) {
      report([], 'expected volumeSize or snapshotID, got neither');
    }
  },
);

const blockDeviceMappings = alwaysCheck(
  z
    .array(strictObject({ deviceName: z.string().min(1), rootVolume: z.boolean().default(false), ebs: ebs.optional() }))
    .max(MAX_BLOCK_DEVICES),
  Array.isArray,
  (list: unknown[], report) => {
    const roots = list.flatMap((m, i) => (isPlainObject(m) && m.rootVolume === true ? [i] : []));
    for (const i of roots.slice(1))
      report([i, 'rootVolume'], `only one mapping may be the root volume (mapping ${roots[0]} already is)`);
  },
);

const metadataOptions = strictObject({
  httpEndpoint: z.enum(['enabled', 'disabled']).default('enabled'),
  httpProtocolIPv6: z.enum(['enabled', 'disabled']).default('disabled'),
  httpPutResponseHopLimit: z.number().int().min(1).max(MAX_HOP_LIMIT).default(1),
  httpTokens: z.enum(['required', 'optional']).default('required'),
});

// Tags that mark ownership: Karpenter's restricted keys and fleetwright's own (DESIGN.md §2 "Ownership").
function restrictedTagProblem(key: string): string | undefined {
  if (key === '') return 'empty tag keys are not supported';
  if (key.startsWith('fleetwright.io/')) return `tag "${key}" is restricted: fleetwright sets it to mark what it owns`;
  if (key.startsWith('kubernetes.io/cluster') || key === 'eks:eks-cluster-name') {
    return `tag "${key}" is restricted: fleetwright sets it to join the node to the cluster`;
  }
  if (['karpenter.sh/nodepool', 'karpenter.sh/nodeclaim', 'karpenter.k8s.aws/ec2nodeclass'].includes(key)) {
    return `tag "${key}" is restricted, as in Karpenter`;
  }
  return undefined;
}

const tags = alwaysCheck(stringMap(), isPlainObject, (value: Record<string, unknown>, report) => {
  for (const key of Object.keys(value)) {
    const problem = restrictedTagProblem(key);
    if (problem) report([key], problem);
  }
});

const specShape = strictObject(
  {
    amiFamily: checkedString(amiFamilyProblem).optional(),
    amiSelectorTerms: amiSelectorTermsSchema,
    subnetSelectorTerms,
    securityGroupSelectorTerms,
    role: z.string().min(1).optional(),
    instanceProfile: z.string().min(1).optional(),
    tags: tags.optional(),
    kubelet: kubeletSchema.optional(),
    blockDeviceMappings: blockDeviceMappings.optional(),
    metadataOptions: metadataOptions.prefault({}),
    userData: z.string().optional(),
    associatePublicIPAddress: z.boolean().optional(),
    detailedMonitoring: z.boolean().optional(),
    instanceStorePolicy: z.enum(['RAID0']).optional(),
    context: z.string().optional(),
  },
  {
    capacityReservationSelectorTerms: 'capacity reservations are not supported: fleetwright does not launch into them',
    ipPrefixCount: 'ipPrefixCount is not supported: fleetwright computes max pods without prefix delegation',
    enclaveOptions: 'enclaveOptions (Nitro Enclaves) are not supported',
  },
);

const spec = alwaysCheck(specShape, isPlainObject, (value: Record<string, unknown>, report) => {
  const hasRole = value.role !== undefined;
  const hasProfile = value.instanceProfile !== undefined;
  if (hasRole && hasProfile)
    report(['instanceProfile'], 'role and instanceProfile are mutually exclusive: give exactly one');
  if (!hasRole && !hasProfile) report(['role'], 'missing required field: give role or instanceProfile');
  checkFamily(value, report);
});

/** amiFamily and the alias must agree; without an alias the family is required; Custom takes no alias. */
function checkFamily(value: Record<string, unknown>, report: (path: (string | number)[], message: string) => void) {
  const terms = Array.isArray(value.amiSelectorTerms) ? value.amiSelectorTerms : [];
  const aliasIndex = terms.findIndex((t) => isPlainObject(t) && typeof t.alias === 'string');
  const alias = aliasIndex >= 0 ? ((terms[aliasIndex] as Record<string, unknown>).alias as string) : undefined;
  const family = value.amiFamily;
  if (family === undefined) {
    if (alias === undefined)
      report(['amiFamily'], 'missing required field: give amiFamily, or an alias in amiSelectorTerms');
    return;
  }
  if (alias === undefined) return;
  if (family === 'Custom') {
    report(
      ['amiSelectorTerms', aliasIndex, 'alias'],
      'amiFamily Custom selects its AMI by id, name, tags or ssmParameter, not by alias',
    );
    return;
  }
  const implied = aliasFamily(alias);
  if (implied && implied !== family) {
    report(
      ['amiFamily'],
      `${describeValue(family)} does not match the alias ${describeValue(alias)} (family ${implied}); omit amiFamily, the alias implies it`,
    );
  }
}

export const nodeClassDocumentSchema = strictObject({
  apiVersion: apiVersionField(NODECLASS_API_VERSION, {
    'karpenter.k8s.aws/v1beta1': 'v1beta1 EC2NodeClasses are not supported: convert it to karpenter.k8s.aws/v1 first',
  }),
  kind: z.literal(EC2NODECLASS_KIND),
  metadata: metadataSchema(),
  spec,
  // Accepted and ignored: objects copied from the cluster carry it.
  status: z.unknown().optional(),
});

export type NodeClassDocument = z.output<typeof nodeClassDocumentSchema>;

/** The validated `spec` of every valid EC2NodeClass among `documents` (any kinds), by name. */
export function nodeClassSpecs(documents: readonly unknown[]): Map<string, NodeClassDocument['spec']> {
  const specs = new Map<string, NodeClassDocument['spec']>();
  for (const document of documents) {
    if ((document as { kind?: unknown } | null)?.kind !== EC2NODECLASS_KIND) continue;
    const parsed = nodeClassDocumentSchema.safeParse(document);
    if (parsed.success) specs.set(parsed.data.metadata.name, parsed.data.spec);
  }
  return specs;
}
