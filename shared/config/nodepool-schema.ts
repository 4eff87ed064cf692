// The NodePool document: Karpenter's `karpenter.sh/v1` NodePool, field for field (DESIGN.md §3), plus the
// `spec.fleetwright` extensions. Fields Karpenter has and fleetwright does not support are refused with a
// sentence saying so; defaults are Karpenter's CRD defaults, so a pasted NodePool means what it meant there.

import { z } from 'zod';
import { normalizeLabelKey } from '../core/labels.js';
import { disruptionSchema, windowSchema } from './disruption-schema.js';
import {
  alwaysCheck,
  apiVersionField,
  checkedString,
  durationField,
  isPlainObject,
  labelMap,
  metadataSchema,
  objectNameProblem,
  resourceList,
  strictObject,
  stringMap,
  taintSchema,
} from './fields.js';
import { restrictedPoolLabelProblem } from './label-rules.js';
import { checkLabelsAgainstRequirements, requirementsSchema } from './requirement-rules.js';

export const NODEPOOL_API_VERSION = 'karpenter.sh/v1';
export const NODEPOOL_KIND = 'NodePool';
export const NODECLASS_GROUP = 'karpenter.k8s.aws';
export const NODECLASS_KIND = 'EC2NodeClass';

/** Karpenter's default: nodes are replaced after 30 days. */
export const DEFAULT_EXPIRE_AFTER = '720h';

// Karpenter's bounds for `spec.weight`.
const MIN_WEIGHT = 1;
const MAX_WEIGHT = 100;
const MAX_PERCENT = 100;

const nodeClassRef = strictObject(
  {
    group: z.literal(NODECLASS_GROUP),
    kind: z.literal(NODECLASS_KIND),
    name: checkedString(objectNameProblem),
  },
  {
    apiVersion:
      'nodeClassRef.apiVersion is the karpenter.sh/v1beta1 form; in karpenter.sh/v1 write group: karpenter.k8s.aws and kind: EC2NodeClass',
  },
);

const templateSpec = strictObject(
  {
    requirements: requirementsSchema().default([]),
    nodeClassRef,
    taints: z.array(taintSchema()).default([]),
    startupTaints: z.array(taintSchema()).default([]),
    expireAfter: durationField({ allowNever: true }).default(DEFAULT_EXPIRE_AFTER),
    terminationGracePeriod: durationField().optional(),
  },
  { kubelet: 'kubelet settings moved to the EC2NodeClass (spec.kubelet) in karpenter.sh/v1' },
);

const template = alwaysCheck(
  strictObject({
    metadata: strictObject({ labels: labelMap().optional(), annotations: stringMap().optional() }).optional(),
    spec: templateSpec,
  }),
  isPlainObject,
  (value: Record<string, unknown>, report) => {
    const labels = isPlainObject(value.metadata) ? value.metadata.labels : undefined;
    if (!isPlainObject(labels)) return;
    for (const key of Object.keys(labels)) {
      const problem = restrictedPoolLabelProblem(normalizeLabelKey(key));
      if (problem) report(['metadata', 'labels', key], problem);
    }
    checkLabelsAgainstRequirements(labels, isPlainObject(value.spec) ? value.spec.requirements : undefined, report);
  },
);

const minSavings = alwaysCheck(
  strictObject({
    perHour: z.number().min(0).optional(),
    percent: z.number().min(0).max(MAX_PERCENT).optional(),
  }),
  isPlainObject,
  (value: Record<string, unknown>, report) => {
    if (value.perHour === undefined && value.percent === undefined) {
      report([], 'expected perHour ($/h) and/or percent, got neither');
    }
  },
);

/** `spec.fleetwright`: what fleetwright adds to a Karpenter NodePool (DESIGN.md §3 "Extensions"). */
const extensions = strictObject({
  consolidation: strictObject({ minSavings: minSavings.optional() }).optional(),
  disruption: strictObject({ windows: z.array(windowSchema()).min(1) }).optional(),
  limits: strictObject({ hourlyCost: z.number().positive() }).optional(),
});

const spec = strictObject(
  {
    template,
    disruption: disruptionSchema().prefault({}),
    limits: resourceList().optional(),
    weight: z.number().int().min(MIN_WEIGHT).max(MAX_WEIGHT).optional(),
    fleetwright: extensions.optional(),
  },
  {
    replicas:
      'static NodePools (spec.replicas) are not supported: fleetwright launches nodes only for pods that need them',
  },
);

export const nodePoolDocumentSchema = strictObject({
  apiVersion: apiVersionField(NODEPOOL_API_VERSION, {
    'karpenter.sh/v1beta1': 'v1beta1 NodePools are not supported: convert it to karpenter.sh/v1 first',
    'karpenter.sh/v1alpha5': 'Provisioners are not supported: convert them to karpenter.sh/v1 NodePools first',
  }),
  kind: z.literal(NODEPOOL_KIND),
  metadata: metadataSchema(),
  spec,
  // Accepted and ignored: objects copied from the cluster carry it.
  status: z.unknown().optional(),
});

export type NodePoolDocument = z.output<typeof nodePoolDocumentSchema>;
