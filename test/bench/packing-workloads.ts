// Workloads for the packing-quality benchmark (DESIGN.md §9): a cluster's worth of Deployments on the real
// catalogue. Replicas of a Deployment are identical; Deployment shapes are drawn with mulberry32 so every run
// plans the same pods. Kinds: web (small, CPU-heavy), batch (medium), memory-heavy, arm64-capable (may run on
// either architecture), GPU (one nvidia.com/gpu each, a small share), and web with hostname anti-affinity.

import { LABEL_ARCH, LABEL_CAPACITY_TYPE, LABEL_HOSTNAME, LABEL_ZONE } from '../../shared/core/labels.js';
import type { NodePool } from '../../shared/core/model/nodepool.js';
import type { Pod } from '../../shared/core/model/pod.js';
import { nodePool, pod } from '../fixtures/builders.js';
import { pick, type Random } from './prng.js';

export const GPU_RESOURCE = 'nvidia.com/gpu';
const GPU_TAINT = { key: GPU_RESOURCE, effect: 'NoSchedule' } as const;
const T0 = Date.parse('2026-01-01T00:00:00Z');

/** Spot and on-demand, current general-purpose families: the pool most clusters start with. */
export const GENERAL_POOL: NodePool = nodePool('general', {
  requirements: [
    { key: LABEL_CAPACITY_TYPE, operator: 'In', values: ['spot', 'on-demand'] },
    { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
    { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['4'] },
  ],
});

/** NVIDIA G instances, tainted so only pods that ask for a GPU (and tolerate it) land there. */
export const GPU_POOL: NodePool = nodePool('gpu', {
  requirements: [
    { key: LABEL_CAPACITY_TYPE, operator: 'In', values: ['spot', 'on-demand'] },
    { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['g'] },
    { key: 'karpenter.k8s.aws/instance-gpu-manufacturer', operator: 'In', values: ['nvidia'] },
  ],
  taints: [GPU_TAINT],
});

export interface Kind {
  readonly name: string;
  readonly cpu: readonly string[];
  readonly memory: readonly string[];
  readonly maxReplicas: number;
  readonly extra?: (app: string) => Partial<Pod>;
  readonly resources?: Record<string, string>;
}

const WEB: Kind = { name: 'web', cpu: ['250m', '500m', '1'], memory: ['256Mi', '512Mi', '1Gi'], maxReplicas: 30 };
const BATCH: Kind = { name: 'batch', cpu: ['1', '2', '4'], memory: ['2Gi', '4Gi', '8Gi'], maxReplicas: 20 };
const MEMORY: Kind = { name: 'memory', cpu: ['500m', '1'], memory: ['4Gi', '8Gi', '16Gi'], maxReplicas: 10 };
const ARM: Kind = {
  name: 'arm-capable',
  cpu: ['250m', '500m'],
  memory: ['512Mi', '1Gi'],
  maxReplicas: 30,
  extra: () => ({
    requiredNodeAffinity: [{ matchExpressions: [{ key: LABEL_ARCH, operator: 'In', values: ['arm64', 'amd64'] }] }],
  }),
};
const GPU: Kind = {
  name: 'gpu',
  cpu: ['2', '3'],
  memory: ['8Gi', '12Gi'],
  maxReplicas: 4,
  resources: { [GPU_RESOURCE]: '1' },
  extra: () => ({ tolerations: [{ key: GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule' }] }),
};
const HA_WEB: Kind = {
  ...WEB,
  name: 'ha-web',
  maxReplicas: 8,
  extra: (app) => ({
    podAntiAffinity: [{ topologyKey: LABEL_HOSTNAME, labelSelector: { matchLabels: { app } } }],
  }),
};

/** A share of the workload's pods. */
type Mix = readonly (readonly [Kind, number])[];

const GENERAL_MIX: Mix = [
  [WEB, 0.4],
  [BATCH, 0.25],
  [MEMORY, 0.15],
  [ARM, 0.2],
];

export interface Workload {
  readonly name: string;
  /** Held to DESIGN §9's packing target (general purpose: no GPU, no hostname anti-affinity). */
  readonly held: boolean;
  readonly pools: readonly NodePool[];
  readonly mix: Mix;
  /** Every Deployment spreads over zones (maxSkew 1, DoNotSchedule). */
  readonly zonalSpread?: boolean;
}

export const WORKLOADS: readonly Workload[] = [
  { name: 'general', held: true, pools: [GENERAL_POOL], mix: GENERAL_MIX },
  { name: 'general-zonal', held: true, pools: [GENERAL_POOL], mix: GENERAL_MIX, zonalSpread: true },
  {
    name: 'general+gpu',
    held: false,
    pools: [GENERAL_POOL, GPU_POOL],
    mix: [...GENERAL_MIX.map(([k, share]): [Kind, number] => [k, share * 0.98]), [GPU, 0.02]],
  },
  {
    name: 'general+ha',
    held: false,
    pools: [GENERAL_POOL],
    mix: [...GENERAL_MIX.map(([k, share]): [Kind, number] => [k, share * 0.8]), [HA_WEB, 0.2]],
  },
];

/** `count` pods of the workload: for each kind its share of pods, as Deployments of 1…maxReplicas replicas. */
export function workloadPods(workload: Workload, count: number, random: Random): Pod[] {
  const out: Pod[] = [];
  let deployment = 0;
  workload.mix.forEach(([kind, share], i) => {
    const target = i === workload.mix.length - 1 ? count : out.length + Math.round(share * count);
    while (out.length < target) {
      const replicas = Math.min(target - out.length, 1 + Math.floor(random() * kind.maxReplicas));
      const app = `${kind.name}-${deployment++}`;
      const template = deploymentTemplate(kind, app, random, workload.zonalSpread === true);
      for (let r = 0; r < replicas; r++) {
        const name = `${app}-${r}`;
        out.push(pod({ ...template, name, uid: `uid-${name}`, creationTimestamp: T0 + out.length }));
      }
    }
  });
  return out;
}

function deploymentTemplate(kind: Kind, app: string, random: Random, zonalSpread: boolean) {
  return {
    cpu: pick(random, kind.cpu),
    memory: pick(random, kind.memory),
    ...(kind.resources ? { resources: kind.resources } : {}),
    labels: { app },
    ...kind.extra?.(app),
    ...(zonalSpread
      ? {
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: LABEL_ZONE,
              whenUnsatisfiable: 'DoNotSchedule' as const,
              labelSelector: { matchLabels: { app } },
            },
          ],
        }
      : {}),
  };
}
