// `fleetwright status` (DESIGN.md §5 "Other commands"): what `kubectl get nodepools` and `describe nodeclaim`
// would show if fleetwright had CRDs, computed from what the controller itself reads — the snapshot it plans
// from, the plan it would make now, its instances, its Events, its Lease and the config in force. Pure: the CLI
// reads those inputs (shared/cli/status/), this module only arranges them per pool, with the reasons.

import { perHour } from '../disruption/describe.js';
import { PdbIndex } from '../disruption/pdb.js';
import { LABEL_CAPACITY_TYPE, LABEL_INSTANCE_TYPE, LABEL_ZONE, TAINT_DISRUPTED } from '../labels.js';
import type { DisruptionReason, NodePool } from '../model/nodepool.js';
import type { Plan } from '../model/plan.js';
import { isPending, type Pod, podKey } from '../model/pod.js';
import type { Snapshot } from '../model/snapshot.js';
import { type NodeState, nodeStates } from '../plan/cluster-state.js';
import { roundPrice } from '../plan/offerings.js';
import { usedCapacity } from '../plan/provision.js';
import type { CloudInstance } from '../ports/cloud.js';
import type { Resources } from '../resources/resources.js';
import { planTermination, type Waiting } from '../termination/plan-termination.js';
import { poolBudgets } from './budgets.js';

/** How many of the controller's Events `status` shows. */
export const DECISIONS_SHOWN = 10;

export interface StatusEvent {
  /** Epoch milliseconds. */
  readonly time: number;
  readonly type: string;
  readonly reason: string;
  readonly action: string;
  /** `Node/<name>` or `Pod/<ns>/<name>`. */
  readonly regarding: string;
  readonly note: string;
}

export interface LeaseView {
  readonly holder: string;
  /** Epoch milliseconds; undefined when the Lease does not say. */
  readonly acquiredAt?: number;
  readonly renewedAt?: number;
  readonly expiresAt: number;
}

export interface ConfigView {
  /** The SSM prefix read. */
  readonly prefix: string;
  readonly documents: readonly {
    readonly kind: string;
    readonly name: string;
    readonly version: number;
    /** The invalid current version, when an older one is in force instead. */
    readonly fallbackFrom?: number;
  }[];
  readonly invalid: readonly {
    readonly parameter: string;
    readonly errors: readonly string[];
    readonly fallbackVersion?: number;
  }[];
}

export interface StatusInput {
  /** The controller's snapshot: registered nodes plus in-flight instances as nodes. */
  readonly snapshot: Snapshot;
  /** `plan(snapshot)`. */
  readonly plan: Plan;
  /** Every pod, including pending ones the kube-scheduler has not marked Unschedulable yet. */
  readonly pods: readonly Pod[];
  /** Our instances (DescribeInstances by the cluster tag). */
  readonly instances: readonly CloudInstance[];
  /** providerIDs of registered nodes. */
  readonly registered: ReadonlySet<string>;
  /** The controller's Events, any order; 'unreadable' when they could not be read. */
  readonly events: readonly StatusEvent[] | 'unreadable';
  /** Undefined when there is no Lease (the controller never ran); 'unreadable' when it could not be read. */
  readonly lease: LeaseView | undefined | 'unreadable';
  readonly config: ConfigView;
}

export interface NodeGroup {
  readonly instanceType: string;
  readonly zone: string;
  readonly capacityType: string;
  readonly count: number;
  /** $/h of all of them. */
  readonly hourlyCost: number;
}

export interface Usage {
  readonly resource: string;
  /** Canonical units (millicores, bytes, count, $/h). */
  readonly used: number;
  /** Absent = no limit. */
  readonly limit?: number;
}

export interface BudgetView {
  readonly reason: DisruptionReason;
  /** Nodes the budgets allow now; null = unlimited. */
  readonly allowed: number | null;
  readonly disrupting: number;
  readonly remaining: number | null;
  /** Why nothing is allowed, when nothing is. */
  readonly note?: string;
}

export interface InstanceView {
  readonly instanceId: string;
  readonly instanceType: string;
  readonly zone: string;
  readonly capacityType: string;
  readonly state: string;
  readonly ageMs: number;
}

export interface PoolStatus {
  readonly name: string;
  readonly nodeClass: string;
  readonly weight: number;
  readonly nodes: { readonly registered: number; readonly ready: number; readonly disrupting: number };
  /** The registered nodes' names, sorted. */
  readonly nodeNames: readonly string[];
  readonly groups: readonly NodeGroup[];
  readonly usage: readonly Usage[];
  readonly budgets: readonly BudgetView[];
  /** Launched, not registered yet, within the registration timeout. */
  readonly inFlight: readonly InstanceView[];
  /** Launched longer ago than `settings.registrationTimeoutMs` and still not registered. */
  readonly unregistered: readonly InstanceView[];
  /** Registered once (they carry the `Name` tag) but their Node is gone. */
  readonly nodeDeleted: readonly InstanceView[];
  readonly blocked: readonly { readonly node: string; readonly reason: string }[];
  /** Nodes being drained, and what each waits for. */
  readonly drains: readonly DrainView[];
  /** What the controller would do to this pool's nodes now (the plan's disruptions). */
  readonly disruptions: readonly string[];
  /** Registered nodes and in-flight instances. */
  readonly hourlyCost: number;
}

export interface DrainView {
  readonly node: string;
  /** Why it goes: the disrupted taint's value (`Drifted`, `SpotInterrupted`, …), or `Deleted`. */
  readonly reason: string;
  /** `draining` (pods left to evict), or `drained` (its volumes detach, then the Node and instance go). */
  readonly phase: 'draining' | 'drained';
  /** Pods still to go, and why each waits (PDBs, do-not-disrupt, tiers). */
  readonly waiting: readonly Waiting[];
  /** When terminationGracePeriod forces the drain (epoch ms); absent without one. */
  readonly deadline?: number;
}

export interface PendingPod {
  readonly pod: string;
  readonly ageMs: number;
  readonly reason: string;
}

export interface StatusReport {
  readonly now: number;
  readonly pools: readonly PoolStatus[];
  /** Nodes no pool manages (managed by something else), with their $/h when known. */
  readonly otherNodes: { readonly count: number; readonly hourlyCost: number };
  readonly pending: readonly PendingPod[];
  readonly decisions: readonly StatusEvent[];
  readonly lease: (LeaseView & { readonly active: boolean }) | undefined;
  /** What could not be read, so that an empty list or a missing Lease is not taken for "none". */
  readonly unreadable: readonly ('events' | 'lease')[];
  readonly config: ConfigView & { readonly latest: boolean };
  readonly hourlyCost: { readonly now: number; readonly afterPlan: number };
}

export function buildStatus(input: StatusInput): StatusReport {
  const { snapshot, plan } = input;
  const now = snapshot.now;
  const states = nodeStates(snapshot);
  const budgets = poolBudgets(snapshot, states);
  // As the drain computes them: allowances from the pods, not the listed PDB status (runtime/reconcile/termination.ts).
  const pdbs = new PdbIndex(
    snapshot.pdbs.map(({ disruptionsAllowed: _listed, ...pdb }) => pdb),
    snapshot.pods,
  );
  const pools = [...snapshot.nodePools]
    .sort((a, b) => b.weight - a.weight || a.name.localeCompare(b.name))
    .map((pool) => poolStatus(pool, input, states, budgets.get(pool.name) ?? [], pdbs));
  const other = states.filter((s) => !s.pool || !snapshot.managedNodes.has(s.node.name));
  const configLatest = input.config.invalid.length === 0;
  const lease = input.lease === 'unreadable' ? undefined : input.lease;
  return {
    now,
    pools,
    otherNodes: { count: other.length, hourlyCost: roundPrice(sum(other.map((s) => s.price ?? 0))) },
    pending: pendingPods(input),
    decisions:
      input.events === 'unreadable' ? [] : [...input.events].sort((a, b) => b.time - a.time).slice(0, DECISIONS_SHOWN),
    lease: lease && { ...lease, active: lease.holder !== '' && lease.expiresAt > now },
    unreadable: [
      ...(input.events === 'unreadable' ? (['events'] as const) : []),
      ...(input.lease === 'unreadable' ? (['lease'] as const) : []),
    ],
    config: { ...input.config, latest: configLatest },
    hourlyCost: { now: plan.hourlyCost.before, afterPlan: plan.hourlyCost.after },
  };
}

function poolStatus(
  pool: NodePool,
  input: StatusInput,
  states: readonly NodeState[],
  budgets: readonly BudgetView[],
  pdbs: PdbIndex,
): PoolStatus {
  const { snapshot, plan } = input;
  const now = snapshot.now;
  const mine = states.filter((s) => s.pool?.name === pool.name && snapshot.managedNodes.has(s.node.name));
  const registered = mine.filter((s) => !isInFlight(s, input.registered));
  const instances = input.instances.filter((i) => i.nodePool === pool.name && !input.registered.has(i.providerID));
  const view = (i: CloudInstance): InstanceView => ({
    instanceId: i.instanceId,
    instanceType: i.instanceType,
    zone: i.zone,
    capacityType: i.capacityType,
    state: i.state,
    ageMs: Math.max(0, now - i.launchTime),
  });
  const live = instances.filter((i) => i.state === 'pending' || i.state === 'running');
  const timeout = snapshot.settings.registrationTimeoutMs;
  // The `Name` tag is set at registration: such an instance had a Node, which was deleted since (liveness.ts).
  const neverRegistered = live.filter((i) => i.tags.Name === undefined);
  const names = new Set(mine.map((s) => s.node.name));
  const hourlyCost = roundPrice(sum(mine.map((s) => s.price ?? 0)));
  return {
    name: pool.name,
    nodeClass: pool.nodeClassName,
    weight: pool.weight,
    nodes: {
      registered: registered.length,
      ready: registered.filter((s) => s.node.ready).length,
      disrupting: registered.filter((s) => s.disrupting).length,
    },
    nodeNames: registered.map((s) => s.node.name).sort(),
    groups: groups(mine),
    usage: usage(pool, mine, hourlyCost),
    budgets,
    inFlight: neverRegistered.filter((i) => now - i.launchTime < timeout).map(view),
    unregistered: neverRegistered.filter((i) => now - i.launchTime >= timeout).map(view),
    nodeDeleted: live.filter((i) => i.tags.Name !== undefined).map(view),
    blocked: plan.blocked.filter((b) => names.has(b.node)),
    drains: registered.filter((s) => s.disrupting).map((s) => drainView(s, pool, snapshot, pdbs)),
    disruptions: plan.disruptions
      .filter((d) => d.nodes.some((n) => names.has(n)))
      .map((d) => `${d.method}: ${d.kind} ${d.nodes.join(', ')} — ${d.reason}`),
    hourlyCost,
  };
}

/** The drain's next step for a node being disrupted, as the reconcile function computes it each tick. */
function drainView(s: NodeState, pool: NodePool, snapshot: Snapshot, pdbs: PdbIndex): DrainView {
  const reason = s.node.taints.find((t) => t.key === TAINT_DISRUPTED)?.value ?? 'Deleted';
  const step = planTermination({
    node: s.node,
    pods: snapshot.pods.filter((p) => p.nodeName === s.node.name),
    pdbs,
    terminationGracePeriodMs: pool.terminationGracePeriodMs,
    reason,
    // Not read here: once drained, the node waits for its volumes, then goes.
    attachedVolumes: [],
    instanceExists: true,
    now: snapshot.now,
  });
  return {
    node: s.node.name,
    reason,
    phase: step.phase === 'draining' ? 'draining' : 'drained',
    waiting: step.waiting,
    ...(step.deadline === undefined ? {} : { deadline: step.deadline }),
  };
}

/** An in-flight node: one the snapshot made of an instance of ours whose Node has not registered. */
function isInFlight(s: NodeState, registered: ReadonlySet<string>): boolean {
  const id = s.node.providerID;
  return id !== undefined && !registered.has(id);
}

function groups(states: readonly NodeState[]): NodeGroup[] {
  const byKey = new Map<string, { group: Omit<NodeGroup, 'count' | 'hourlyCost'>; count: number; cost: number }>();
  for (const s of states) {
    const group = {
      instanceType: s.node.labels[LABEL_INSTANCE_TYPE] ?? '<unknown>',
      zone: s.node.labels[LABEL_ZONE] ?? '<unknown>',
      capacityType: s.node.labels[LABEL_CAPACITY_TYPE] ?? 'on-demand',
    };
    const key = `${group.instanceType}|${group.zone}|${group.capacityType}`;
    const entry = byKey.get(key) ?? { group, count: 0, cost: 0 };
    entry.count++;
    entry.cost += s.price ?? 0;
    byKey.set(key, entry);
  }
  return [...byKey.values()]
    .map((e) => ({ ...e.group, count: e.count, hourlyCost: roundPrice(e.cost) }))
    .sort(
      (a, b) =>
        b.count - a.count ||
        a.instanceType.localeCompare(b.instanceType) ||
        a.zone.localeCompare(b.zone) ||
        a.capacityType.localeCompare(b.capacityType),
    );
}

/** What the pool's limits count (capacity, as Karpenter counts it), for cpu, memory, nodes, each limit and $/h. */
function usage(pool: NodePool, states: readonly NodeState[], hourlyCost: number): Usage[] {
  const used: Resources = usedCapacity(states, pool.name);
  const keys = new Set(['cpu', 'memory', 'nodes', ...Object.keys(pool.limits)]);
  const out: Usage[] = [...keys].map((resource) => {
    const limit = pool.limits[resource];
    return { resource, used: used[resource] ?? 0, ...(limit === undefined ? {} : { limit }) };
  });
  out.push({
    resource: 'hourlyCost',
    used: hourlyCost,
    ...(pool.hourlyCostLimit === undefined ? {} : { limit: pool.hourlyCostLimit }),
  });
  return out;
}

/** Every pending pod with the reason it waits: the plan's answer, or that the kube-scheduler has not tried it. */
function pendingPods(input: StatusInput): PendingPod[] {
  const { plan, snapshot } = input;
  const reasons = new Map<string, string>();
  for (const u of plan.unschedulable) reasons.set(u.pod, `cannot be placed: ${u.reason}`);
  for (const e of plan.existingNodes) {
    const inFlight = input.instances.find((i) => i.instanceId === e.name);
    const node = snapshot.nodes.find((n) => n.name === e.name);
    const why = inFlight
      ? `waits for instance ${e.name} (${inFlight.instanceType}, launched ${Math.round((snapshot.now - inFlight.launchTime) / 1000)} s ago) to register`
      : node && !node.ready
        ? `waits for node ${e.name} to become ready; it has room for the pod`
        : `fits on node ${e.name}; the kube-scheduler should bind it`;
    for (const pod of e.pods) reasons.set(pod, why);
  }
  for (const [i, n] of plan.newNodes.entries()) {
    const why = `a new node is due: #${i + 1} ${n.instanceType} ${n.capacityType} ${n.zone} in pool ${n.nodePool} (${perHour(n.hourlyPrice)})`;
    for (const pod of n.pods) reasons.set(pod, why);
  }
  return input.pods
    .filter(isPending)
    .map((pod) => {
      const key = podKey(pod);
      const reason =
        reasons.get(key) ??
        (pod.unschedulable
          ? 'marked Unschedulable; not in the plan (see `fleetwright explain pod`)'
          : 'not marked Unschedulable by the kube-scheduler yet: it may still fit an existing node');
      return { pod: key, ageMs: Math.max(0, snapshot.now - pod.creationTimestamp), reason };
    })
    .sort((a, b) => b.ageMs - a.ageMs || a.pod.localeCompare(b.pod));
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
