// `explain node`: for one node, what `plan` decides for it, whether it is a disruption candidate and every reason
// it is not, what each disruption method sees (expired, drifted, empty, underused), the budgets left, and what
// consolidating it would do and save. The judgements are the disruption code's (`startPass`, the candidate scan,
// protections, PDBs, budgets, `consolidate`); the plan's answer is `plan(snapshot)`'s own entries for the node.

import { formatDuration, formatTime, listNames, perHour } from '../disruption/describe.js';
import { driftReason } from '../disruption/drift.js';
import { expirationDisruption } from '../disruption/expiration.js';
import { doNotDisrupt, nodeProtection } from '../disruption/protection.js';
import type { PassContext } from '../disruption/world.js';
import { LABEL_CAPACITY_TYPE, LABEL_INSTANCE_TYPE, LABEL_NODEPOOL, LABEL_ZONE, TAINT_DISRUPTED } from '../labels.js';
import type { Disruption, Plan } from '../model/plan.js';
import { podKey } from '../model/pod.js';
import type { Snapshot } from '../model/snapshot.js';
import { formatTaint, sameTaint } from '../model/taints.js';
import { plan } from '../plan/build-plan.js';
import type { NodeState } from '../plan/cluster-state.js';
import { roundPrice } from '../plan/offerings.js';
import { type Pass, startPass } from '../plan/pass.js';
import { byName } from '../plan/planned-node.js';
import { isReschedulable } from '../plan/provision.js';
import { formatQuantity } from '../resources/quantity.js';
import { add, type Resources } from '../resources/resources.js';
import {
  type BudgetCheck,
  budgetChecks,
  type ConsolidationWhatIf,
  consolidationWhatIf,
  expirationCheck,
  type MethodCheck,
  voluntaryChecks,
} from './node-methods.js';

export type { BudgetCheck, ConsolidationWhatIf, MethodCheck, MethodName } from './node-methods.js';

export type NodeReasonKind =
  | 'not-managed'
  | 'no-pool'
  | 'unknown-type'
  | 'being-disrupted'
  | 'not-initialized'
  | 'do-not-disrupt'
  | 'pdb'
  | 'receives-pods';

export interface NodeReason {
  readonly kind: NodeReasonKind;
  readonly message: string;
  /** A pod-level protection that drift may ignore, because the pool sets terminationGracePeriod. */
  readonly waivedForDrift?: boolean;
}

export interface NodePlanDecision {
  /** `plan(snapshot).disruptions` entries that remove the node. */
  readonly disruptions: readonly Disruption[];
  /** `plan(snapshot).blocked` reason for the node. */
  readonly blocked?: string;
  readonly summary: string;
}

export interface NodeExplanation {
  readonly node: string;
  readonly managed: boolean;
  /** Its `karpenter.sh/nodepool` label. */
  readonly nodePool?: string;
  readonly instanceType?: string;
  readonly capacityType?: string;
  readonly zone?: string;
  /** $/h of its offering; absent for a type the catalogue does not know. */
  readonly hourlyPrice?: number;
  readonly initialized: boolean;
  /** RFC 3339. */
  readonly createdAt: string;
  /** "4h", "2d3h". */
  readonly age: string;
  /** Active pods bound to it, by name. */
  readonly pods: readonly string[];
  /** The pods that would move if it went (neither DaemonSet nor mirror pods). */
  readonly podsToMove: readonly string[];
  /** Summed requests of its pods, and its allocatable, as Kubernetes quantities. */
  readonly requests: Readonly<Record<string, string>>;
  readonly allocatable: Readonly<Record<string, string>>;
  /** The disruption pass may consider it (emptiness, drift or consolidation). */
  readonly candidate: boolean;
  /** Every reason it is kept out of voluntary disruption. */
  readonly reasons: readonly NodeReason[];
  /** Expiration, emptiness, drift, consolidation; empty for a node no known pool manages. */
  readonly methods: readonly MethodCheck[];
  /** Its pool's budgets per reason; empty for a node no known pool manages. */
  readonly budgets: readonly BudgetCheck[];
  readonly consolidation: ConsolidationWhatIf;
  readonly plan: NodePlanDecision;
}

/** Explains the node `name` of the snapshot, or returns undefined when the snapshot has no such node. */
export function explainNode(snapshot: Snapshot, name: string): NodeExplanation | undefined {
  if (!snapshot.nodes.some((n) => n.name === name)) return undefined;
  const decided = plan(snapshot);
  const pass = startPass(snapshot);
  const state = pass.states.find((s) => s.node.name === name) as NodeState;
  const { node } = state;
  const ctx = pass.context;
  const managed = snapshot.managedNodes.has(name);
  const world = ctx.world.find((w) => w.node.name === name);
  const candidate = pass.scan.candidates.find((c) => c.name === name);
  const reasons = nodeReasons(pass, state);
  const judged =
    managed && state.pool && state.price !== undefined
      ? {
          state: { ...state, pool: state.pool, price: state.price },
          ...(world ? { world } : {}),
          ...(candidate ? { candidate } : {}),
          blocked: reasons.some((r) => !r.waivedForDrift),
        }
      : undefined;
  const consolidation: ConsolidationWhatIf = judged
    ? consolidationWhatIf(ctx, judged)
    : { outcome: 'none', hypothetical: false, reason: reasons[0]?.message ?? 'the node is no candidate' };
  const price = state.price;
  return {
    node: name,
    managed,
    ...labelled('nodePool', node.labels[LABEL_NODEPOOL]),
    ...labelled('instanceType', node.labels[LABEL_INSTANCE_TYPE]),
    ...labelled('capacityType', node.labels[LABEL_CAPACITY_TYPE]),
    ...labelled('zone', node.labels[LABEL_ZONE]),
    ...(price === undefined ? {} : { hourlyPrice: roundPrice(price) }),
    initialized: state.initialized,
    createdAt: formatTime(node.creationTimestamp),
    age: formatDuration(snapshot.now - node.creationTimestamp),
    pods: state.pods.map(podKey).sort(byName),
    podsToMove: state.pods.filter(isReschedulable).map(podKey).sort(byName),
    requests: quantities(state.pods.reduce<Resources>((sum, p) => add(sum, p.requests), {})),
    allocatable: quantities(node.allocatable),
    candidate: candidate !== undefined,
    reasons,
    methods: judged ? [expirationCheck(judged, ctx.now), ...voluntaryChecks(ctx, judged, consolidation)] : [],
    budgets: judged ? budgetChecks(ctx, judged.state.pool) : [],
    consolidation,
    plan: nodePlanDecision(decided, name),
  };
}

function labelled<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** The plan's own entries for the node, and a sentence saying what they mean. */
function nodePlanDecision(decided: Plan, name: string): NodePlanDecision {
  const disruptions = decided.disruptions.filter((d) => d.nodes.includes(name));
  const blocked = decided.blocked.find((b) => b.node === name)?.reason;
  if (disruptions.length > 0) {
    const summary = disruptions
      .map((d) => {
        const others = d.nodes.filter((n) => n !== name);
        const together = others.length > 0 ? ` together with ${listNames(others)}` : '';
        const replaced = d.replacements.map((r) => `${r.instanceType} ${r.capacityType} ${r.zone}`).join(', ');
        const by = replaced ? `, replaced by ${replaced}` : '';
        return `${d.method} ${d.kind}${together}${by}, saves ${perHour(d.savingsPerHour)}: ${d.reason}`;
      })
      .join('; ');
    return { disruptions, summary };
  }
  if (blocked !== undefined) return { disruptions, blocked, summary: `blocked: ${blocked}` };
  const voluntary = decided.disruptions.find((d) => d.method !== 'expiration');
  const elsewhere = voluntary
    ? ` (this pass acts on ${voluntary.method} of ${listNames(voluntary.nodes)}: one voluntary command per pass)`
    : '';
  return { disruptions, summary: `no disruption of this node now${elsewhere}` };
}

function quantities(resources: Resources): Record<string, string> {
  return Object.fromEntries(Object.entries(resources).map(([r, a]) => [r, formatQuantity(r, a)]));
}

/** Every reason the scan keeps the node out of voluntary disruption (it names only the first one it meets). */
function nodeReasons(pass: Pass, state: NodeState): NodeReason[] {
  const { node, pool } = state;
  const ctx = pass.context;
  const out: NodeReason[] = [];
  const label = node.labels[LABEL_NODEPOOL];
  if (!ctx.snapshot.managedNodes.has(node.name)) {
    const why =
      label === undefined ? `it has no ${LABEL_NODEPOOL} label` : `its ${LABEL_NODEPOOL} label names "${label}"`;
    out.push({ kind: 'not-managed', message: `not managed by fleetwright (${why}, which is no known NodePool)` });
  } else if (!pool) {
    out.push({ kind: 'no-pool', message: `its nodepool "${label ?? ''}" does not exist` });
  }
  if (state.price === undefined) {
    const type = node.labels[LABEL_INSTANCE_TYPE] ?? '<none>';
    out.push({ kind: 'unknown-type', message: `instance type "${type}" is not in the catalogue: capacity only` });
  }
  out.push(...leaving(pass, state));
  if (!node.ready) out.push({ kind: 'not-initialized', message: 'it is not Ready' });
  for (const t of node.taints) {
    if (pool?.startupTaints.some((s) => sameTaint(s, t)))
      out.push({ kind: 'not-initialized', message: `it still has startup taint ${formatTaint(t)}` });
  }
  const own = nodeProtection(node);
  if (own) out.push({ kind: 'do-not-disrupt', message: own });
  out.push(...podReasons(ctx, state));
  const w = ctx.world.find((n) => n.node.name === node.name);
  if (w?.nominated) {
    const incoming = w.pods.filter((p) => !state.pods.includes(p)).map(podKey);
    out.push({ kind: 'receives-pods', message: `it receives pending pods in this plan (${listNames(incoming)})` });
  }
  return out;
}

function leaving(pass: Pass, state: NodeState): NodeReason[] {
  const { node } = state;
  const out: NodeReason[] = [];
  if (node.deletionTimestamp !== undefined) {
    out.push({ kind: 'being-disrupted', message: `it is being deleted (since ${formatTime(node.deletionTimestamp)})` });
  }
  if (node.taints.some((t) => t.key === TAINT_DISRUPTED)) {
    out.push({ kind: 'being-disrupted', message: `it has the ${TAINT_DISRUPTED} taint: a disruption is under way` });
  }
  const expired = pass.expired.find((s) => s.node.name === node.name);
  if (expired) {
    const why = expirationDisruption(expired, pass.context.now).reason;
    out.push({ kind: 'being-disrupted', message: `it expires in this plan: ${why}` });
  }
  return out;
}

/** Every pod-level protection (the scan stops at the first), in the scan's order: do-not-disrupt, then PDBs. */
function podReasons(ctx: PassContext, state: NodeState): NodeReason[] {
  const { pool } = state;
  const sorted = [...state.pods].sort((a, b) => byName(podKey(a), podKey(b)));
  const nodeClass = pool && ctx.snapshot.nodeClasses.find((c) => c.name === pool.nodeClassName);
  const images = pool && ctx.snapshot.images?.get(pool.nodeClassName);
  const drift =
    pool && pool.terminationGracePeriodMs !== null ? driftReason(state.node, pool, nodeClass, images) : undefined;
  const waived = drift !== undefined ? { waivedForDrift: true } : {};
  const out: NodeReason[] = [];
  const suffix = drift !== undefined ? '; drift ignores it (the pool sets terminationGracePeriod)' : '';
  for (const pod of sorted) {
    const reason = doNotDisrupt(pod, ctx.now);
    if (reason) out.push({ kind: 'do-not-disrupt', message: `pod ${podKey(pod)} ${reason}${suffix}`, ...waived });
  }
  for (const pod of sorted) {
    const reason = ctx.pdbs.blocks(pod);
    if (reason) out.push({ kind: 'pdb', message: `pod ${podKey(pod)} ${reason}${suffix}`, ...waived });
  }
  return out;
}
