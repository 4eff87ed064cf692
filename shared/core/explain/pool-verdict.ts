// Whether one NodePool could launch a node for one pod, and every reason it could not: the pod's requirements
// against the pool's, taints it does not tolerate, limits used up, no instance type with room for it after
// DaemonSet overhead, and what the scheduler itself answers (topology, minValues, offerings). The verdict is the
// scheduler's own `tryNewNode`, with preferences relaxed in its order; the reasons name everything in the way.

import type { InstanceType } from '../model/instancetype.js';
import type { Pod } from '../model/pod.js';
import type { Settings } from '../model/settings.js';
import { formatTaint, type Taint, tolerates } from '../model/taints.js';
import { plannedNode } from '../plan/planned-node.js';
import { ALLOW_WELL_KNOWN, Requirements, requirementsIntersect } from '../requirements/requirements.js';
import { formatQuantity } from '../resources/quantity.js';
import { fits, type Resources } from '../resources/resources.js';
import { daemonRequirementAlternatives } from '../scheduling/daemon-overhead.js';
import type { PoolDomain } from '../scheduling/domains.js';
import { tryNewNode } from '../scheduling/new-node.js';
import { PodView } from '../scheduling/pod-view.js';
import { hasOffering, type NodeClaimTemplate } from '../scheduling/template.js';
import { type DomainSource, type PlacedPod, Topology } from '../scheduling/topology/topology.js';

export type PodReasonKind =
  | 'validation'
  | 'requirements'
  | 'taint'
  | 'limits'
  | 'instance-types'
  | 'topology'
  | 'other';

export interface PodReason {
  readonly kind: PodReasonKind;
  readonly message: string;
}

/** What a launch for this pod alone would get, priced as `plan` prices a new node. */
export interface LaunchEstimate {
  readonly instanceType: string;
  readonly capacityType: string;
  readonly zone: string;
  readonly hourlyPrice: number;
  /** How many instance types the launch would offer EC2. */
  readonly instanceTypeOptions: number;
}

export interface PoolVerdict {
  readonly nodePool: string;
  readonly weight: number;
  readonly canTake: boolean;
  /** The cheapest feasible launch, when the pool can take the pod. */
  readonly launch?: LaunchEstimate;
  /** Preferences the scheduler drops (in its order) before the pool takes the pod. */
  readonly relaxed: readonly string[];
  /** Empty when the pool can take the pod. */
  readonly reasons: readonly PodReason[];
}

/** What every pool's verdict is judged against: the cluster as the scheduler would see it for this pod. */
export interface PoolWorld {
  /** Every pool's template, in the order the scheduler tries them. */
  readonly templates: readonly NodeClaimTemplate[];
  /** Each pool's node class catalogue, before the pool's own filtering. */
  readonly classTypes: (pool: string) => readonly InstanceType[];
  /** Capacity of the pool's existing nodes, counted against its limits. */
  readonly used: (pool: string) => Resources;
  readonly placed: readonly PlacedPod[];
  readonly nodes: readonly DomainSource[];
  readonly domains: (key: string) => readonly PoolDomain[];
  readonly settings: Pick<Settings, 'preferencePolicy' | 'minValuesPolicy'>;
}

// The scheduler names a pod's first new node this way; one placeholder is all a one-pod question needs.
const HOSTNAME = 'hostname-placeholder-0000';
const TOLERATE_EVERYTHING = { operator: 'Exists' } as const;

/** The verdict of one pool for the pod. `template` is consumed: a successful launch reserves its limits. */
export function poolVerdict(world: PoolWorld, template: NodeClaimTemplate, pod: Pod): PoolVerdict {
  const pool = template.pool;
  const base = { nodePool: pool.name, weight: pool.weight };
  const reasons = staticReasons(world, template, pod);
  const attempt = schedulerAttempt(world, template, pod, false);
  if (attempt.launch) return { ...base, canTake: true, launch: attempt.launch, relaxed: attempt.relaxed, reasons: [] };
  addIfNew(reasons, classify(attempt.reason));
  // The scheduler stops at the first taint; asking again as if every taint were tolerated finds what else is wrong.
  if (reasons.some((r) => r.kind === 'taint') && !reasons.some((r) => r.kind === 'requirements')) {
    const beyond = schedulerAttempt(world, template, pod, true);
    if (!beyond.launch) addIfNew(reasons, classify(beyond.reason));
  }
  return { ...base, canTake: false, relaxed: attempt.relaxed, reasons };
}

interface Attempt {
  readonly launch?: LaunchEstimate;
  readonly reason: string;
  readonly relaxed: string[];
}

/** `tryNewNode` for this pool alone, relaxing preferences one at a time as the scheduler does. */
function schedulerAttempt(world: PoolWorld, template: NodeClaimTemplate, pod: Pod, tolerateAll: boolean): Attempt {
  const view = new PodView(pod, world.settings.preferencePolicy !== 'Ignore');
  if (tolerateAll) view.tolerations.push(TOLERATE_EVERYTHING);
  const topology = new Topology({
    batch: [view],
    placed: world.placed,
    nodes: world.nodes,
    poolDomains: world.domains,
  });
  const preferNoSchedule = world.templates.some((t) => t.hasPreferNoSchedule);
  const relaxed: string[] = [];
  for (;;) {
    topology.registerHostname(HOSTNAME);
    const result = tryNewNode({
      template,
      view,
      hostname: HOSTNAME,
      seq: 0,
      topology,
      minValuesStrict: world.settings.minValuesPolicy !== 'BestEffort',
    });
    if (typeof result !== 'string') {
      const planned = plannedNode(result);
      const launch: LaunchEstimate = {
        instanceType: planned.instanceType,
        capacityType: planned.capacityType,
        zone: planned.zone,
        hourlyPrice: planned.hourlyPrice,
        instanceTypeOptions: planned.instanceTypeOptions.length,
      };
      return { launch, reason: '', relaxed };
    }
    const dropped = view.relax(preferNoSchedule);
    if (!dropped) return { reason: result, relaxed };
    relaxed.push(dropped);
  }
}

/** Sorts a scheduler reason into a kind, so it is not repeated next to the detailed reason of the same kind. */
function classify(reason: string): PodReason {
  const kind: PodReasonKind = reason.startsWith('does not tolerate taint')
    ? 'taint'
    : reason.startsWith('no domain satisfies')
      ? 'topology'
      : reason.includes('limit')
        ? 'limits'
        : /^(no instance type|no available offering|minValues)/.test(reason)
          ? 'instance-types'
          : /conflicts with|does not have known values/.test(reason)
            ? 'requirements'
            : 'other';
  return { kind, message: kind === 'topology' ? `${reason}; it cannot be met by a new node of this pool` : reason };
}

function addIfNew(reasons: PodReason[], reason: PodReason): void {
  if (!reasons.some((r) => r.kind === reason.kind)) reasons.push(reason);
}

/** Every reason that can be read off the pool, the pod and the catalogue without scheduling. */
function staticReasons(world: PoolWorld, template: NodeClaimTemplate, pod: Pod): PodReason[] {
  const reasons: PodReason[] = untolerated(pod, template.pool.taints).map((t) => ({
    kind: 'taint',
    message: `taint ${formatTaint(t)} is not tolerated`,
  }));
  const alternatives = daemonRequirementAlternatives(pod);
  const conflicts = alternatives.map((alt) => requirementConflicts(template.requirements, alt));
  const usable = alternatives.find((_, i) => conflicts[i]?.length === 0);
  if (!usable) {
    const many = alternatives.length > 1;
    conflicts.forEach((list, i) => {
      for (const message of list) {
        reasons.push({ kind: 'requirements', message: many ? `node affinity term ${i + 1}: ${message}` : message });
      }
    });
    return reasons;
  }
  const fitting = typeReasons(world, template, pod, usable, reasons);
  reasons.push(...limitReasons(world, template, fitting));
  return reasons;
}

/** Taints that repel the pod. PreferNoSchedule is left out: the scheduler relaxes it as a last resort. */
function untolerated(pod: Pod, taints: readonly Taint[]): Taint[] {
  return taints.filter((t) => t.effect !== 'PreferNoSchedule' && !pod.tolerations.some((tol) => tolerates(tol, t)));
}

/** One line per pod requirement the pool's requirements rule out (the Requirements algebra decides). */
function requirementConflicts(poolReqs: Requirements, alternative: Requirements): string[] {
  const out: string[] = [];
  for (const r of alternative.values()) {
    if (poolReqs.incompatibility(new Requirements([r]), ALLOW_WELL_KNOWN) === undefined) continue;
    const ours = poolReqs.get(r.key);
    out.push(`pod needs ${r}; ${ours ? `pool allows ${ours}` : `pool sets no label ${r.key}`}`);
  }
  return out;
}

/**
 * Pushes why no instance type of the pool can hold the pod, and returns the types that can (compatible with the
 * pod's requirements, an available offering, room for the pod after DaemonSet overhead).
 */
function typeReasons(
  world: PoolWorld,
  template: NodeClaimTemplate,
  pod: Pod,
  alternative: Requirements,
  reasons: PodReason[],
): readonly InstanceType[] {
  const pool = template.pool;
  if (template.instanceTypes.length === 0) {
    const all = world.classTypes(pool.name);
    const matching = all.filter((t) => t.requirements.intersects(template.requirements));
    const message =
      matching.length === 0
        ? `none of the ${all.length} instance types of node class "${pool.nodeClassName}" matches the pool's requirements`
        : `none of the ${matching.length} instance types the pool allows has an available offering and room for its DaemonSets`;
    reasons.push({ kind: 'instance-types', message });
    return [];
  }
  const reqs = template.requirements.copy().addAll(alternative);
  const candidates = template.instanceTypes.filter((t) => t.requirements.intersects(reqs) && hasOffering(t, reqs));
  if (candidates.length === 0) {
    reasons.push(...unmatchedRequirements(template.instanceTypes, reqs, alternative));
    return [];
  }
  const fitting = candidates.filter((t) => fits(pod.requests, template.room(t)));
  if (fitting.length === 0) reasons.push(noRoom(template, pod.requests, candidates));
  return fitting;
}

/** The pod's requirements that no type of the pool satisfies, or the offerings that are missing. */
function unmatchedRequirements(types: readonly InstanceType[], reqs: Requirements, pods: Requirements): PodReason[] {
  const out: PodReason[] = [];
  for (const r of pods.values()) {
    const combined = reqs.get(r.key) ?? r;
    const any = types.some((t) => {
      const theirs = t.requirements.get(r.key);
      return !theirs || requirementsIntersect(theirs, combined);
    });
    if (!any) out.push({ kind: 'instance-types', message: `no instance type of the pool has ${combined}` });
  }
  if (out.length > 0) return out;
  const where = ['topology.kubernetes.io/zone', 'karpenter.sh/capacity-type']
    .map((key) => reqs.get(key))
    .filter((r) => r !== undefined)
    .join(' and ');
  return [
    {
      kind: 'instance-types',
      message: `no available offering${where ? ` for ${where}` : ''} among the ${types.length} instance types of the pool`,
    },
  ];
}

/** The resource the pod asks too much of, against the roomiest type after DaemonSet overhead. */
function noRoom(template: NodeClaimTemplate, requests: Resources, candidates: readonly InstanceType[]): PodReason {
  for (const resource in requests) {
    const amount = requests[resource] as number;
    if (amount <= 0) continue;
    let best: InstanceType | undefined;
    for (const t of candidates) {
      if (!best || (template.room(t)[resource] ?? 0) > (template.room(best)[resource] ?? 0)) best = t;
    }
    const room = best ? (template.room(best)[resource] ?? 0) : 0;
    if (amount <= room || !best) continue;
    const q = (n: number) => formatQuantity(resource, n);
    const overhead = template.overhead.get(best.name)?.[resource] ?? 0;
    const detail =
      overhead > 0 ? `, allocatable ${q(best.allocatable[resource] ?? 0)} minus DaemonSets ${q(overhead)}` : '';
    return {
      kind: 'instance-types',
      message: `no instance type has room for ${resource} ${q(amount)}: the most is ${q(room)} (${best.name}${detail})`,
    };
  }
  const all = Object.entries(requests)
    .map(([r, a]) => `${r} ${formatQuantity(r, a)}`)
    .join(', ');
  return { kind: 'instance-types', message: `no instance type has room for all of ${all} at once` };
}

/** The pool's limits that a new node for the pod would break, with what is used and what a node would add. */
function limitReasons(world: PoolWorld, template: NodeClaimTemplate, fitting: readonly InstanceType[]): PodReason[] {
  const pool = template.pool;
  const used = world.used(pool.name);
  const out: PodReason[] = [];
  for (const key of Object.keys(pool.limits).sort()) {
    const limit = pool.limits[key] as number;
    const inUse = used[key] ?? 0;
    const q = (n: number) => formatQuantity(key, n);
    if (key === 'nodes') {
      if (limit - inUse < 1) out.push({ kind: 'limits', message: `limit of ${limit} nodes reached (${inUse} in use)` });
      continue;
    }
    const left = limit - inUse;
    const smallest = smallestBy(fitting, key);
    if (left <= 0) {
      out.push({ kind: 'limits', message: `${key} limit ${q(limit)} used up (${q(inUse)} in use)` });
    } else if (smallest && (smallest.capacity[key] ?? 0) > left) {
      out.push({
        kind: 'limits',
        message: `${key} limit ${q(limit)}: ${q(inUse)} in use, ${q(left)} left; the smallest type with room for the pod (${smallest.name}) adds ${q(smallest.capacity[key] ?? 0)}`,
      });
    }
  }
  return out;
}

function smallestBy(types: readonly InstanceType[], key: string): InstanceType | undefined {
  let best: InstanceType | undefined;
  for (const t of types) if (!best || (t.capacity[key] ?? 0) < (best.capacity[key] ?? 0)) best = t;
  return best;
}
