// Validated documents -> the core's types: durations in milliseconds (null = Never), quantities in canonical
// units (cpu millicores, bytes), requirement keys normalized, and the drift hashes of DESIGN.md §5 "Drift".
// Only called on documents that passed their schema, so nothing here re-validates.

import { canonicalJson, fnv1a64 } from '../core/hash.js';
import { normalizeLabelKey } from '../core/labels.js';
import type { Budget, NodeClass, NodePool } from '../core/model/nodepool.js';
import type { Settings } from '../core/model/settings.js';
import type { Taint } from '../core/model/taints.js';
import type { NodeSelectorRequirement } from '../core/requirements/requirement.js';
import { canonicalQuantity } from '../core/resources/quantity.js';
import { EPHEMERAL_STORAGE, parseResources } from '../core/resources/resources.js';
import { aliasFamily } from './ami-selection.js';
import { parseDurationField } from './duration.js';
import type { NodeClassDocument } from './nodeclass-schema.js';
import type { NodePoolDocument } from './nodepool-schema.js';
import { fullLabelKey, type SettingsDocument } from './settings-schema.js';

type DocTaint = NodePoolDocument['spec']['template']['spec']['taints'][number];
type DocRequirement = NodePoolDocument['spec']['template']['spec']['requirements'][number];
type DocBudget = NodePoolDocument['spec']['disruption']['budgets'][number];

function toTaint(t: DocTaint): Taint {
  return t.value === undefined ? { key: t.key, effect: t.effect } : { key: t.key, value: t.value, effect: t.effect };
}

// Legacy keys (`beta.kubernetes.io/arch`) are normalized here, as Karpenter does, so the scheduler only
// ever sees current keys.
function toRequirement(r: DocRequirement): NodeSelectorRequirement {
  return {
    key: normalizeLabelKey(r.key),
    operator: r.operator,
    ...(r.values === undefined ? {} : { values: r.values }),
    ...(r.minValues === undefined ? {} : { minValues: r.minValues }),
  };
}

function toBudget(b: DocBudget): Budget {
  return {
    nodes: String(b.nodes),
    ...(b.schedule === undefined ? {} : { schedule: b.schedule }),
    ...(b.duration === undefined ? {} : { durationMs: parseDurationField(b.duration) as number }),
    ...(b.reasons === undefined ? {} : { reasons: b.reasons }),
  };
}

export function toNodePool(doc: NodePoolDocument): NodePool {
  const { template, disruption, limits, weight, fleetwright } = doc.spec;
  const t = template.spec;
  const windows = fleetwright?.disruption?.windows;
  const minSavings = fleetwright?.consolidation?.minSavings;
  const hourlyCost = fleetwright?.limits?.hourlyCost;
  return {
    name: doc.metadata.name,
    weight: weight ?? 0,
    nodeClassName: t.nodeClassRef.name,
    labels: template.metadata?.labels ?? {},
    annotations: template.metadata?.annotations ?? {},
    requirements: t.requirements.map(toRequirement),
    taints: t.taints.map(toTaint),
    startupTaints: t.startupTaints.map(toTaint),
    expireAfterMs: parseDurationField(t.expireAfter),
    terminationGracePeriodMs:
      t.terminationGracePeriod === undefined ? null : parseDurationField(t.terminationGracePeriod),
    consolidationPolicy: disruption.consolidationPolicy,
    consolidateAfterMs: parseDurationField(disruption.consolidateAfter),
    budgets: disruption.budgets.map(toBudget),
    limits: parseResources(limits),
    ...(hourlyCost === undefined ? {} : { hourlyCostLimit: hourlyCost }),
    ...(minSavings === undefined ? {} : { minSavings: { ...minSavings } }),
    ...(windows === undefined
      ? {}
      : {
          disruptionWindows: windows.map((w) => ({
            schedule: w.schedule,
            durationMs: parseDurationField(w.duration) as number,
          })),
        }),
    templateHash: fnv1a64(canonicalJson(template)),
  };
}

export function toNodeClass(doc: NodeClassDocument): NodeClass {
  const { spec } = doc;
  const alias = spec.amiSelectorTerms.find((t) => t.alias !== undefined)?.alias;
  const kubelet = spec.kubelet ?? {};
  return {
    name: doc.metadata.name,
    // The schema guarantees one of the two; an alias implies its family.
    amiFamily: (spec.amiFamily ?? aliasFamily(alias as string)) as NodeClass['amiFamily'],
    kubelet: {
      ...(kubelet.maxPods === undefined ? {} : { maxPods: kubelet.maxPods }),
      ...(kubelet.podsPerCore === undefined ? {} : { podsPerCore: kubelet.podsPerCore }),
      ...(kubelet.kubeReserved === undefined ? {} : { kubeReserved: parseResources(kubelet.kubeReserved) }),
      ...(kubelet.systemReserved === undefined ? {} : { systemReserved: parseResources(kubelet.systemReserved) }),
      ...(kubelet.evictionHard === undefined ? {} : { evictionHard: { ...kubelet.evictionHard } }),
    },
    blockDeviceMappings: (spec.blockDeviceMappings ?? []).map((m) => ({
      deviceName: m.deviceName,
      rootVolume: m.rootVolume,
      ...(m.ebs?.volumeSize === undefined
        ? {}
        : { volumeSizeBytes: canonicalQuantity(EPHEMERAL_STORAGE, m.ebs.volumeSize) }),
    })),
    ...(spec.instanceStorePolicy === undefined ? {} : { instanceStorePolicy: spec.instanceStorePolicy }),
    specHash: fnv1a64(canonicalJson(spec)),
  };
}

export const DEFAULT_NODE_CLASS_NAME = 'default';

/**
 * The node class `plan` assumes when no node classes are given (DESIGN.md §5 "Node classes"): `default`,
 * AL2023, no kubelet overrides.
 */
export function defaultNodeClass(): NodeClass {
  const spec = { amiFamily: 'AL2023' as const };
  return {
    name: DEFAULT_NODE_CLASS_NAME,
    amiFamily: spec.amiFamily,
    kubelet: {},
    blockDeviceMappings: [],
    specHash: fnv1a64(canonicalJson(spec)),
  };
}

export function toSettings(doc: SettingsDocument): Settings {
  const { spec } = doc;
  return {
    paused: spec.paused,
    dryRun: spec.dryRun,
    responsiveness: spec.responsiveness,
    registrationTimeoutMs: parseDurationField(spec.registrationTimeout) as number,
    spotToSpotConsolidation: spec.spotToSpotConsolidation,
    minValuesPolicy: spec.minValuesPolicy,
    preferencePolicy: spec.preferencePolicy,
    // Short match keys ("instance-family") are expanded, so the pricing code compares full label keys only.
    priceAdjustments: spec.priceAdjustments.map((a) => ({
      match: Object.fromEntries(Object.entries(a.match).map(([k, v]) => [fullLabelKey(k), v])),
      ...(a.capacityType === undefined ? {} : { capacityType: a.capacityType }),
      multiplier: a.multiplier,
    })),
    ...(spec.interruptionQueue === undefined ? {} : { interruptionQueue: spec.interruptionQueue }),
  };
}
