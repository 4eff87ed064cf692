// `explain pod`: for one pod, what `plan` decides for it, whether it would fit an existing node now, and for every
// NodePool (in the order the scheduler tries them) whether the pool can launch a node for it — the cheapest such
// node, or every reason it cannot. The per-node and per-pool answers look at this pod alone against the current
// cluster; the plan's answer comes from `plan(snapshot)` itself, so the two never silently disagree.

import { withExpirations } from '../disruption/expiration.js';
import type { Plan } from '../model/plan.js';
import { isDaemonSetPod, isPending, isTerminal, isTerminating, type Pod, podKey } from '../model/pod.js';
import type { Snapshot } from '../model/snapshot.js';
import { plan } from '../plan/build-plan.js';
import { type NodeState, nodeStates } from '../plan/cluster-state.js';
import { validatePod } from '../plan/pod-validation.js';
import { withPriceAdjustments } from '../plan/price-adjustments.js';
import { placedPods, usedCapacity } from '../plan/provision.js';
import { formatQuantity } from '../resources/quantity.js';
import { poolDomains } from '../scheduling/domains.js';
import { ExistingNode } from '../scheduling/existing-node.js';
import { PodView } from '../scheduling/pod-view.js';
import { orderPools } from '../scheduling/scheduler.js';
import { NodeClaimTemplate } from '../scheduling/template.js';
import { Topology } from '../scheduling/topology/topology.js';
import { type PodPlanDecision, podPlanDecision } from './pod-plan.js';
import { type PoolVerdict, type PoolWorld, poolVerdict } from './pool-verdict.js';

export type { PodPlanDecision } from './pod-plan.js';
export type { LaunchEstimate, PodReason, PodReasonKind, PoolVerdict } from './pool-verdict.js';

export type PodStatus = 'pending' | 'bound' | 'nominated' | 'daemonset' | 'terminating' | 'finished';

export interface ExistingNodeFit {
  readonly node: string;
  readonly fits: boolean;
  /** Why it does not fit (after every preference the scheduler may drop is dropped). */
  readonly reason?: string;
  /** Preferences dropped before it fits. */
  readonly relaxed: readonly string[];
}

export interface PodExplanation {
  /** `namespace/name`. */
  readonly pod: string;
  readonly status: PodStatus;
  /** The node it is bound to (or nominated for). */
  readonly nodeName?: string;
  /** Effective requests, formatted as Kubernetes quantities. */
  readonly requests: Readonly<Record<string, string>>;
  /** Why provisioning refuses the pod outright (matchFields, restricted labels), if it does. */
  readonly invalid?: string;
  /** What `plan(snapshot)` decides for it. */
  readonly plan: PodPlanDecision;
  /** Every usable node but its own, in the scheduler's order, and whether the pod alone would fit there now. */
  readonly existingNodes: readonly ExistingNodeFit[];
  /** Every NodePool, in the scheduler's order. */
  readonly nodePools: readonly PoolVerdict[];
  /** Where the per-node or per-pool answers and the plan differ, why. */
  readonly notes: readonly string[];
}

/**
 * Explains the pod `ref` (`namespace/name`) of the snapshot, or returns undefined when the snapshot has no such
 * pod. A bound pod is judged as if it were evicted now: its own requests and topology counts leave its node.
 */
export function explainPod(input: Snapshot, ref: string): PodExplanation | undefined {
  const pod = input.pods.find((p) => podKey(p) === ref);
  if (!pod) return undefined;
  const decided = plan(input);
  const snapshot = withPriceAdjustments(input);
  const invalid = validatePod(pod);
  const nodeName = pod.nodeName ?? pod.nominatedNodeName;
  const base = {
    pod: ref,
    status: podStatus(pod),
    ...(nodeName ? { nodeName } : {}),
    requests: Object.fromEntries(Object.entries(pod.requests).map(([r, a]) => [r, formatQuantity(r, a)])),
    ...(invalid ? { invalid } : {}),
    plan: podPlanDecision(decided, pod, input),
  };
  if (invalid) {
    const reasons = [{ kind: 'validation' as const, message: invalid }];
    const nodePools = orderPools(snapshot.nodePools.map((pool) => ({ pool }))).map(({ pool }) => ({
      nodePool: pool.name,
      weight: pool.weight,
      canTake: false,
      relaxed: [],
      reasons,
    }));
    return { ...base, existingNodes: [], nodePools, notes: [] };
  }
  const usable = withoutPod(usableStates(snapshot), pod);
  // The scheduler's order for existing nodes: initialized first, then by name.
  const existing = [...usable]
    .sort((a, b) => Number(b.initialized) - Number(a.initialized) || (a.node.name < b.node.name ? -1 : 1))
    .map(
      (s) =>
        new ExistingNode({ node: s.node, pods: s.pods, initialized: s.initialized, pool: s.pool }, input.daemonSets),
    );
  const world = poolWorld(snapshot, usable, existing);
  const existingNodes = existingFits(existing, world, pod);
  const nodePools = world.templates.map((t) => poolVerdict(world, t, pod));
  return { ...base, existingNodes, nodePools, notes: consistencyNotes(decided, pod, existingNodes, nodePools) };
}

function podStatus(pod: Pod): PodStatus {
  if (isTerminal(pod)) return 'finished';
  if (isTerminating(pod)) return 'terminating';
  if (isDaemonSetPod(pod)) return 'daemonset';
  if (pod.nodeName) return 'bound';
  if (pod.nominatedNodeName) return 'nominated';
  return 'pending';
}

/** The nodes that may receive pods, as the plan's provisioning sees them (expired and leaving nodes excluded). */
function usableStates(snapshot: Snapshot): NodeState[] {
  const { states } = withExpirations(snapshot, nodeStates(snapshot));
  return states.filter((s) => !s.disrupting);
}

/** The states with the pod taken off its node, as if it were evicted. */
function withoutPod(states: readonly NodeState[], pod: Pod): NodeState[] {
  return states.map((s) =>
    s.node.name === pod.nodeName ? { ...s, pods: s.pods.filter((p) => p.uid !== pod.uid) } : s,
  );
}

function poolWorld(snapshot: Snapshot, usable: readonly NodeState[], existing: readonly ExistingNode[]): PoolWorld {
  const typesOf = (pool: string) => {
    const className = snapshot.nodePools.find((p) => p.name === pool)?.nodeClassName ?? '';
    return snapshot.instanceTypes.get(className) ?? [];
  };
  const used = new Map(snapshot.nodePools.map((p) => [p.name, usedCapacity(usable, p.name)]));
  const templates = orderPools(snapshot.nodePools.map((pool) => ({ pool }))).map(
    ({ pool }) => new NodeClaimTemplate(pool, typesOf(pool.name), snapshot.daemonSets, used.get(pool.name) ?? {}),
  );
  return {
    templates,
    classTypes: typesOf,
    used: (pool) => used.get(pool) ?? {},
    placed: placedPods(usable),
    nodes: existing.map((n) => ({ labels: n.labels, taints: n.taints })),
    domains: poolDomains(templates),
    settings: snapshot.settings,
  };
}

/** Each usable node but the pod's own: would the pod alone fit there now, relaxing preferences as needed? */
function existingFits(existing: readonly ExistingNode[], world: PoolWorld, pod: Pod): ExistingNodeFit[] {
  const respect = world.settings.preferencePolicy !== 'Ignore';
  const preferNoSchedule = world.templates.some((t) => t.hasPreferNoSchedule);
  const out: ExistingNodeFit[] = [];
  // One topology serves every node: asking `canAdd` records nothing, and each node gets a fresh view to relax.
  const topology = new Topology({
    batch: [new PodView(pod, respect)],
    placed: world.placed,
    nodes: world.nodes,
    poolDomains: world.domains,
  });
  for (const node of existing) {
    if (node.name === pod.nodeName) continue;
    const view = new PodView(pod, respect);
    const relaxed: string[] = [];
    let result = node.canAdd(view, topology);
    while (typeof result === 'string') {
      const dropped = view.relax(preferNoSchedule);
      if (!dropped) break;
      relaxed.push(dropped);
      result = node.canAdd(view, topology);
    }
    out.push(
      typeof result === 'string'
        ? { node: node.name, fits: false, reason: withoutNodePrefix(result, node.name), relaxed }
        : { node: node.name, fits: true, relaxed },
    );
  }
  return out;
}

/** The scheduler's reasons start with "node <name>"; the explanation already says which node. */
function withoutNodePrefix(reason: string, name: string): string {
  const prefix = `node ${name}`;
  if (!reason.startsWith(prefix)) return reason;
  return reason.slice(prefix.length).replace(/^:?\s*/, '');
}

/** Where this pod alone would go differs from where the plan puts it: say why that is not a contradiction. */
function consistencyNotes(
  decided: Plan,
  pod: Pod,
  existing: readonly ExistingNodeFit[],
  pools: readonly PoolVerdict[],
): string[] {
  if (!isPending(pod)) return [];
  const fitting = existing.find((e) => e.fits);
  const pool = pools.find((p) => p.canTake);
  const alone = fitting ? `fit on ${fitting.node}` : pool ? `get a new node of pool ${pool.nodePool}` : 'fit nowhere';
  const key = podKey(pod);
  const onNew = decided.newNodes.find((n) => n.pods.includes(key));
  const onExisting = decided.existingNodes.find((n) => n.pods.includes(key));
  const agrees = onExisting
    ? existing.some((e) => e.node === onExisting.name && e.fits)
    : onNew
      ? !fitting && pool?.nodePool === onNew.nodePool
      : !fitting && !pool;
  if (agrees) return [];
  const placedByPlan =
    decided.newNodes.reduce((n, p) => n + p.pods.length, 0) +
    decided.existingNodes.reduce((n, e) => n + e.pods.length, 0) +
    decided.unschedulable.length;
  return [
    `on its own this pod would ${alone}; plan places all ${placedByPlan} pods it schedules together, largest first, ` +
      'so the room, limits and topology domains the others take first can change the answer',
  ];
}
