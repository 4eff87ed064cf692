// `spec.kubelet` of an EC2NodeClass: the subset of the kubelet configuration Karpenter v1 exposes, with its
// CEL rules (reserved-resource and eviction-signal keys, soft thresholds paired with grace periods, image GC
// thresholds in order). Reserved resources and maxPods change a node's allocatable, so the scheduler reads
// them; the rest is carried to the launch.

import { z } from 'zod';
import {
  alwaysCheck,
  checkedString,
  durationField,
  isPlainObject,
  quantityProblem,
  resourceList,
  strictObject,
  unknownFieldMessage,
} from './fields.js';
import { describeValue } from './issues.js';

const RESERVED_RESOURCES = ['cpu', 'memory', 'ephemeral-storage', 'pid'] as const;
export const EVICTION_SIGNALS = [
  'memory.available',
  'nodefs.available',
  'nodefs.inodesFree',
  'imagefs.available',
  'imagefs.inodesFree',
  'pid.available',
] as const;

const MAX_PERCENT = 100;

// An eviction threshold is a quantity ("100Mi") or a percentage of capacity ("10%").
const PERCENTAGE = /^(100|[0-9]{1,2})(\.[0-9]+)?%$/;

function thresholdProblem(value: string): string | undefined {
  if (value.endsWith('%')) {
    return PERCENTAGE.test(value) ? undefined : `${describeValue(value)} is not a percentage between 0% and 100%`;
  }
  return quantityProblem(value)
    ? `${describeValue(value)} is not a threshold, expected a quantity such as "100Mi" or a percentage such as "10%"`
    : undefined;
}

/** A map keyed by eviction signal; unknown signals are refused with the nearest known one. */
function signalMap<T extends z.ZodType>(value: T) {
  return alwaysCheck(z.record(z.string(), value), isPlainObject, (map: Record<string, unknown>, report) => {
    for (const key of Object.keys(map)) {
      if (!(EVICTION_SIGNALS as readonly string[]).includes(key))
        report([key], unknownFieldMessage(key, EVICTION_SIGNALS));
    }
  });
}

const percent = () => z.number().int().min(0).max(MAX_PERCENT);

const IPV4 = /^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/;
const IPV6 = /^[0-9a-fA-F:]+$/;

function ipProblem(value: string): string | undefined {
  return IPV4.test(value) || (value.includes(':') && IPV6.test(value))
    ? undefined
    : `${describeValue(value)} is not an IP address`;
}

const shape = strictObject({
  maxPods: z.number().int().min(0).optional(),
  podsPerCore: z.number().int().min(0).optional(),
  kubeReserved: resourceList(RESERVED_RESOURCES).optional(),
  systemReserved: resourceList(RESERVED_RESOURCES).optional(),
  evictionHard: signalMap(checkedString(thresholdProblem)).optional(),
  evictionSoft: signalMap(checkedString(thresholdProblem)).optional(),
  evictionSoftGracePeriod: signalMap(durationField()).optional(),
  evictionMaxPodGracePeriod: z.number().int().optional(),
  imageGCHighThresholdPercent: percent().optional(),
  imageGCLowThresholdPercent: percent().optional(),
  cpuCFSQuota: z.boolean().optional(),
  clusterDNS: z.array(checkedString(ipProblem)).optional(),
});

export const kubeletSchema = alwaysCheck(shape, isPlainObject, (kubelet: Record<string, unknown>, report) => {
  const high = kubelet.imageGCHighThresholdPercent;
  const low = kubelet.imageGCLowThresholdPercent;
  if (typeof high === 'number' && typeof low === 'number' && high <= low) {
    report(['imageGCHighThresholdPercent'], `${high} must be greater than imageGCLowThresholdPercent (${low})`);
  }
  const soft = isPlainObject(kubelet.evictionSoft) ? Object.keys(kubelet.evictionSoft) : [];
  const grace = isPlainObject(kubelet.evictionSoftGracePeriod) ? Object.keys(kubelet.evictionSoftGracePeriod) : [];
  for (const signal of soft.filter((s) => !grace.includes(s))) {
    report(
      ['evictionSoft', signal],
      `has no matching evictionSoftGracePeriod.${signal}; a soft threshold needs a grace period`,
    );
  }
  for (const signal of grace.filter((s) => !soft.includes(s))) {
    report(
      ['evictionSoftGracePeriod', signal],
      `has no matching evictionSoft.${signal}; remove it or add the threshold`,
    );
  }
});

export type KubeletDocument = z.output<typeof kubeletSchema>;
