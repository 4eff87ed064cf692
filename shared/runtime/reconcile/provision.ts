// Step 1 of a tick (DESIGN.md §2): launch the plan's new nodes. Each becomes one CreateFleet through the cloud
// provider, several at a time; a launch that fails for capacity marks its offerings unavailable, and the tick then
// plans again — the next plan picks another zone, type or on-demand (research/aws-provider.md §c) — up to
// MAX_LAUNCH_ROUNDS. Pods get `Nominated` or `FailedScheduling` events; every launch is a metric.

import type { PlannedNode } from '../../core/model/plan.js';
import type { Pod } from '../../core/model/pod.js';
import { podKey } from '../../core/model/pod.js';
import type { LaunchedInstance, LaunchFailureReason } from '../../core/ports/cloud.js';
import { EVENT_REASON } from '../observability/events.js';
import { errorFields } from '../observability/log.js';
import { mayAct, type TickContext } from './context.js';
import type { Planned } from './tick.js';

/** Plan→launch rounds per tick: the first, then re-plans after capacity errors (another zone, type, on-demand). */
export const MAX_LAUNCH_ROUNDS = 3;
/** CreateFleet calls in flight at once: a burst launches in parallel, well within EC2's request rate. */
export const LAUNCH_CONCURRENCY = 8;

export interface LaunchRecord {
  readonly instanceId: string;
  readonly instanceType: string;
  readonly zone: string;
  readonly capacityType: string;
  readonly nodePool: string;
  readonly pods: number;
}

/** A planned node as the decision record shows it. */
export interface PlannedRecord {
  readonly nodePool: string;
  readonly instanceType: string;
  readonly capacityType: string;
  readonly zone: string;
  readonly pods: number;
}

export interface ProvisionRecord {
  readonly launched: LaunchRecord[];
  readonly failed: { nodePool: string; reason: string; message: string }[];
  /** Planned nodes not launched: dry-run, pause, or no Lease. */
  readonly skipped: PlannedRecord[];
  rounds: number;
}

function plannedRecord(node: PlannedNode): PlannedRecord {
  const { nodePool, instanceType, capacityType, zone } = node;
  return { nodePool, instanceType, capacityType, zone, pods: node.pods.length };
}

/** Launches the plan's new nodes, re-planning after capacity errors; returns the last plan (with them in flight). */
export async function provision(
  ctx: TickContext,
  first: Planned,
  replan: () => Promise<Planned>,
): Promise<{ record: ProvisionRecord; planned: Planned }> {
  const record: ProvisionRecord = { launched: [], failed: [], skipped: [], rounds: 0 };
  let planned = first;
  await reportPlacements(ctx, planned);
  while (planned.plan.newNodes.length > 0 && record.rounds < MAX_LAUNCH_ROUNDS) {
    record.rounds += 1;
    if (!mayAct(ctx)) {
      record.skipped.push(...planned.plan.newNodes.map(plannedRecord));
      break;
    }
    const capacityErrors = await launchAll(ctx, planned, record);
    // Fresh listing: what was launched is in flight in the next plan, so nothing is launched twice.
    await ctx.fleet.refresh(true);
    planned = await replan();
    if (!capacityErrors) break;
  }
  return { record, planned };
}

async function launchAll(ctx: TickContext, planned: Planned, record: ProvisionRecord): Promise<boolean> {
  const queue = [...planned.plan.newNodes];
  let capacityErrors = false;
  const worker = async () => {
    for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
      if (!mayAct(ctx)) {
        record.skipped.push(plannedRecord(node));
        continue;
      }
      const failure = await launchOne(ctx, planned, node, record);
      if (failure === 'InsufficientCapacity') capacityErrors = true;
    }
  };
  await Promise.all(Array.from({ length: Math.min(LAUNCH_CONCURRENCY, queue.length) }, worker));
  return capacityErrors;
}

async function launchOne(
  ctx: TickContext,
  planned: Planned,
  node: PlannedNode,
  record: ProvisionRecord,
): Promise<LaunchFailureReason | undefined> {
  const { world } = planned;
  const nodePool = world.config.nodePools.find((p) => p.name === node.nodePool);
  const nodeClass = world.config.nodeClasses.find((c) => c.name === nodePool?.nodeClassName);
  if (!nodePool || !nodeClass) return undefined;
  const pods = podsOf(planned, node.pods);
  try {
    const instance = await ctx.cloud.launch({ node, nodePool, nodeClass });
    record.launched.push(launchRecord(instance, node));
    launched(ctx, instance, node, pods);
    return undefined;
  } catch (error) {
    const reason = launchReason(error);
    const message = error instanceof Error ? error.message : String(error);
    record.failed.push({ nodePool: node.nodePool, reason, message });
    ctx.metrics.record('LaunchFailures', 1, reason);
    if (reason === 'InsufficientCapacity') ctx.metrics.record('InsufficientCapacityErrors', 1);
    ctx.logger.warn('launch failed', { nodePool: node.nodePool, reason, ...errorFields(error) });
    for (const pod of pods) ctx.events.pod(podKey(pod), pod.uid, EVENT_REASON.launchFailed, message, 'Warning');
    return reason;
  }
}

function launched(ctx: TickContext, instance: LaunchedInstance, node: PlannedNode, pods: readonly Pod[]): void {
  const now = ctx.clock.now();
  ctx.metrics.record('NodesLaunched', 1);
  const oldest = Math.min(...pods.map((p) => p.creationTimestamp));
  if (Number.isFinite(oldest)) ctx.metrics.record('TimeToCapacity', Math.max(0, now - oldest) / 1000);
  const what = `a new ${instance.instanceType} (${instance.capacityType}, ${instance.zone}, instance ${instance.instanceId}) of nodepool ${node.nodePool}`;
  for (const pod of pods)
    ctx.events.pod(podKey(pod), pod.uid, EVENT_REASON.nominated, `Pod should schedule on ${what}`);
}

/** Nominated for pods placed on existing or in-flight nodes; FailedScheduling, with the reason, for the rest. */
async function reportPlacements(ctx: TickContext, planned: Planned): Promise<void> {
  for (const placement of planned.plan.existingNodes) {
    for (const pod of podsOf(planned, placement.pods)) {
      if (pod.nodeName) continue;
      ctx.events.pod(podKey(pod), pod.uid, EVENT_REASON.nominated, `Pod should schedule on node ${placement.name}`);
    }
  }
  for (const { pod, reason } of planned.plan.unschedulable) {
    const uid = planned.podsByKey.get(pod)?.uid;
    ctx.events.pod(pod, uid, EVENT_REASON.failedScheduling, `Failed to schedule pod: ${reason}`, 'Warning');
  }
}

function podsOf(planned: Planned, keys: readonly string[]): Pod[] {
  return keys.flatMap((key) => planned.podsByKey.get(key) ?? []);
}

function launchRecord(instance: LaunchedInstance, node: PlannedNode): LaunchRecord {
  const { instanceId, instanceType, zone, capacityType } = instance;
  return { instanceId, instanceType, zone, capacityType, nodePool: node.nodePool, pods: node.pods.length };
}

/** The port's contract: a failed launch rejects with an error named LaunchError carrying a reason. */
function launchReason(error: unknown): LaunchFailureReason {
  const e = error as { name?: unknown; reason?: unknown };
  return e?.name === 'LaunchError' && typeof e.reason === 'string' ? (e.reason as LaunchFailureReason) : 'LaunchFailed';
}
