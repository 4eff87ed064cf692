// Acting on one interruption notice (DESIGN.md §2 "interruption"): find the node by instance id, then either
// taint it as disrupted (the reason in the taint's value, the start time in an annotation) and start evicting its
// pods, or delete the Node of an instance that is going away. The function never waits for the reconcile run:
// reconcile sees the taint on its next tick and finishes the drain. An action is recorded in the cluster before
// the message is acknowledged, and only a write that changed something counts as acting, so a message delivered
// twice acts once.

import { formatTime } from '../../core/disruption/describe.js';
import { PdbIndex } from '../../core/disruption/pdb.js';
import {
  ANNOTATION_DISRUPTED_AT,
  ANNOTATION_NODEPOOL_HASH,
  LABEL_CAPACITY_TYPE,
  LABEL_INSTANCE_TYPE,
  LABEL_NODEPOOL,
  LABEL_ZONE,
  TAINT_DISRUPTED,
} from '../../core/labels.js';
import type { Node } from '../../core/model/node.js';
import type { CloudInstance } from '../../core/ports/cloud.js';
import { disruptedTaint } from '../../core/termination/drainable.js';
import { LABEL_EXCLUDE_FROM_LB, planTermination } from '../../core/termination/plan-termination.js';
import type { Clock } from '../clock.js';
import type { EventRecorder } from '../observability/events.js';
import { errorFields } from '../observability/log.js';
import { instanceIdOf } from '../reconcile/fleet.js';
import { ANNOTATION_REPLACEMENTS } from '../taint-reasons.js';
import type { InterruptionClusterPorts, InterruptionDeps } from './deps.js';
import type { Notice } from './messages.js';

/** Evictions in flight at once. */
const EVICTION_CONCURRENCY = 10;
/** No eviction starts with less than this left of the 15-second invocation: the response must still go out. */
export const EVICTION_RESERVE_MS = 3_000;

export interface BatchContext {
  readonly deps: InterruptionDeps;
  readonly ports: InterruptionClusterPorts;
  readonly events: EventRecorder;
  readonly clock: Clock;
  readonly deadline: number;
  /** False in dry-run or while paused: log what would be done. */
  readonly acting: boolean;
  readonly nodes: () => Promise<ReadonlyMap<string, Node>>;
  readonly instances: () => Promise<ReadonlyMap<string, CloudInstance> | undefined>;
}

export type Outcome = { readonly instanceId: string; readonly result: string };

/** Acts on every instance of the notice; throws when the action could not be recorded (the message is retried). */
export async function actOn(ctx: BatchContext, notice: Notice): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const instanceId of notice.instanceIds)
    outcomes.push({ instanceId, result: await actOnInstance(ctx, notice, instanceId) });
  return outcomes;
}

async function actOnInstance(ctx: BatchContext, notice: Notice, instanceId: string): Promise<string> {
  const node = (await ctx.nodes()).get(instanceId);
  const instance = (await ctx.instances())?.get(instanceId);
  if (!node) {
    if (instance && notice.markSpotUnavailable) markSpot(ctx, instance.instanceType, instance.zone);
    return instance ? 'no node yet: reconcile handles the instance' : 'not a node of this cluster';
  }
  if (!instance && node.annotations[ANNOTATION_NODEPOOL_HASH] === undefined) return `node ${node.name} is not ours`;
  if (notice.action === 'delete-node') return deleteNode(ctx, notice, node);
  const pool = node.labels[LABEL_NODEPOOL] ?? '';
  const optedIn = ctx.deps.rebalanceDrainNodePools;
  if (notice.action === 'drain-if-opted-in' && !(optedIn?.has('*') || optedIn?.has(pool))) {
    ctx.events.node(node.name, notice.kind, `${notice.note}; nodepool ${pool} does not drain on rebalance`, 'Warning');
    return 'event only';
  }
  return drain(ctx, notice, node);
}

async function deleteNode(ctx: BatchContext, notice: Notice, node: Node): Promise<string> {
  if (!ctx.acting) return `would delete node ${node.name}`;
  const outcome = await ctx.ports.writer.deleteNode(node.name, node.providerID ? { providerID: node.providerID } : {});
  if (outcome === 'deleted') ctx.events.node(node.name, notice.kind, `${notice.note}: its Node is deleted`, 'Warning');
  return `node ${node.name}: ${outcome}`;
}

/**
 * Taint (keeping a disruption already under way, but no longer waiting for replacements), then evict. The node is
 * read again first: the batch's node list may predate a duplicate message handled a moment ago.
 */
async function drain(ctx: BatchContext, notice: Notice, listed: Node): Promise<string> {
  if (!ctx.acting) return `would taint and drain node ${listed.name}`;
  const node = await ctx.ports.reader.getNode(listed.name);
  if (!node) return `node ${listed.name} is gone`;
  const existing = node.taints.find((t) => t.key === TAINT_DISRUPTED);
  const since = node.annotations[ANNOTATION_DISRUPTED_AT] ?? formatTime(ctx.clock.now());
  const result = await ctx.ports.writer.updateNode(node.name, {
    addTaints: existing ? [] : [disruptedTaint(notice.kind)],
    labels: { [LABEL_EXCLUDE_FROM_LB]: 'fleetwright' },
    annotations: { [ANNOTATION_DISRUPTED_AT]: since, [ANNOTATION_REPLACEMENTS]: null },
  });
  if (result.outcome === 'not-found') return `node ${node.name} is gone`;
  if (result.outcome === 'unchanged') return `node ${node.name} is already being drained`;
  ctx.events.node(node.name, notice.kind, notice.note, 'Warning');
  const type = node.labels[LABEL_INSTANCE_TYPE];
  const zone = node.labels[LABEL_ZONE];
  if (notice.markSpotUnavailable && type && zone && node.labels[LABEL_CAPACITY_TYPE] !== 'on-demand')
    markSpot(ctx, type, zone);
  const evicted = await evict(ctx, result.node);
  return `node ${node.name} tainted; ${evicted}`;
}

function markSpot(ctx: BatchContext, instanceType: string, zone: string): void {
  ctx.deps.cloud.markUnavailable({ instanceType, zone, capacityType: 'spot' });
}

/** Starts the drain: the first eviction tier, as far as the API server's PDB checks allow. */
async function evict(ctx: BatchContext, node: Node): Promise<string> {
  let pods: Awaited<ReturnType<InterruptionClusterPorts['reader']['podsOnNode']>>;
  try {
    pods = await ctx.ports.reader.podsOnNode(node.name);
  } catch (error) {
    ctx.deps.logger.warn('could not list the pods to evict; reconcile drains the node', errorFields(error));
    return 'evictions left to reconcile';
  }
  // No PDB list here: the eviction API enforces every PDB and answers 429 for the pods it must keep.
  const step = planTermination({
    node,
    pods,
    pdbs: new PdbIndex([], pods),
    terminationGracePeriodMs: null,
    reason: node.taints.find((t) => t.key === TAINT_DISRUPTED)?.value ?? 'Interrupted',
    attachedVolumes: [],
    instanceExists: true,
    now: ctx.clock.now(),
  });
  const queue = step.actions.flatMap((a) => (a.type === 'evict' ? [a] : []));
  let evicted = 0;
  let blocked = 0;
  const worker = async () => {
    for (let a = queue.shift(); a !== undefined; a = queue.shift()) {
      if (ctx.clock.now() > ctx.deadline - EVICTION_RESERVE_MS) return;
      const [namespace, name] = a.pod.split('/', 2) as [string, string];
      const outcome = await ctx.ports.writer.evictPod({ namespace, name, uid: a.uid }).catch(() => undefined);
      if (outcome?.outcome === 'blocked') blocked += 1;
      else if (outcome) evicted += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(EVICTION_CONCURRENCY, queue.length) }, worker));
  if (blocked > 0) ctx.deps.metrics.record('EvictionsBlocked', blocked);
  return `${evicted} pod(s) evicted, ${blocked} blocked by PodDisruptionBudgets`;
}

/** Nodes by the instance id in their providerID. */
export function byInstanceId(nodes: readonly Node[]): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const node of nodes) {
    const id = instanceIdOf(node.providerID);
    if (id) out.set(id, node);
  }
  return out;
}
