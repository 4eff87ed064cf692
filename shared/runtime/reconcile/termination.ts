// Step 5 of a tick (DESIGN.md §2, karpenter-core §4): advance the drain of every node of ours that is being
// disrupted — tainted (by a disruption, an expiration or an interruption) or deleting. `planTermination` says
// what is next; this carries it out: evict what PDBs allow (the API server's 429 means "later", never "force"),
// wait for the volumes of the evicted pods to detach, then delete the Node and terminate the instance. The
// VolumeAttachments are read only once a drain is otherwise done, so nodes still draining cost no extra calls;
// one that cannot be read is waited on, never taken as "none". Nothing is remembered here: each tick re-reads
// the taint, its start-time annotation, the pods and the attachments left, so a drain resumes in the next
// invocation where this one stopped.
// A node replaced by a voluntary disruption is drained only once its replacements are Ready nodes; if a
// replacement disappears first, the disruption is called off and the node untainted, as Karpenter does.

import { formatTime } from '../../core/disruption/describe.js';
import { PdbIndex } from '../../core/disruption/pdb.js';
import {
  ANNOTATION_DISRUPTED_AT,
  ANNOTATION_NODEPOOL_HASH,
  LABEL_INSTANCE_TYPE,
  LABEL_NODEPOOL,
  LABEL_ZONE,
  TAINT_DISRUPTED,
} from '../../core/labels.js';
import type { Node } from '../../core/model/node.js';
import { isDisrupting } from '../../core/plan/cluster-state.js';
import {
  disruptionStart,
  LABEL_EXCLUDE_FROM_LB,
  planTermination,
  podsLeftByDrain,
  type TerminationAction,
  type TerminationInput,
  type TerminationStep,
} from '../../core/termination/plan-termination.js';
import { attachmentsToAwait, claimsOf } from '../../core/termination/volumes.js';
import { EVENT_REASON } from '../observability/events.js';
import { errorFields } from '../observability/log.js';
import { ANNOTATION_REPLACEMENTS, TAINT_REASON } from '../taint-reasons.js';
import { mayAct, type TickContext } from './context.js';
import { instanceIdOf } from './fleet.js';
import type { World } from './snapshot.js';

/** Evictions per tick across all nodes: bounds a tick's length; a big drain continues a second later. */
export const MAX_EVICTIONS_PER_TICK = 100;
/** Eviction requests in flight at once. */
export const EVICTION_CONCURRENCY = 10;
/** A replacement DescribeInstances does not list this long after the disruption began is taken to have failed. */
export const REPLACEMENT_LISTING_GRACE_MS = 2 * 60_000;

export interface DrainRecord {
  readonly node: string;
  readonly phase: TerminationStep['phase'] | 'awaiting replacements' | 'called off';
  evicted: number;
  blocked: number;
  readonly waiting: number;
  done?: boolean;
}

export async function advanceDrains(ctx: TickContext, world: World): Promise<DrainRecord[]> {
  const records: DrainRecord[] = [];
  // Live allowances from the watched pods: the listed PDB status is as old as the run (see report in docs).
  const pdbs = new PdbIndex(
    world.cluster.pdbs.map(({ disruptionsAllowed: _stale, ...pdb }) => pdb),
    world.cluster.pods,
  );
  const budget = { evictions: MAX_EVICTIONS_PER_TICK };
  for (const node of world.cluster.nodes) {
    if (!isDisrupting(node) || !isOurs(node, world)) continue;
    markInterruptedOffering(ctx, node);
    const replacements = replacementState(node, world, ctx.clock.now());
    if (replacements === 'waiting') {
      records.push({ node: node.name, phase: 'awaiting replacements', evicted: 0, blocked: 0, waiting: 0 });
      continue;
    }
    if (replacements === 'failed') {
      records.push({ node: node.name, phase: 'called off', evicted: 0, blocked: 0, waiting: 0 });
      if (mayAct(ctx)) await callOff(ctx, node);
      continue;
    }
    const step = await nextStep(ctx, world, node, pdbs);
    const record: DrainRecord = {
      node: node.name,
      phase: step.phase,
      evicted: 0,
      blocked: 0,
      waiting: step.waiting.length,
    };
    records.push(record);
    if (!mayAct(ctx)) continue;
    try {
      await carryOut(ctx, node, step.actions, record, budget);
    } catch (error) {
      ctx.logger.warn('a drain step failed; the next tick tries again', { node: node.name, ...errorFields(error) });
    }
  }
  return records;
}

/** The node's next termination step; once it is drained, with the VolumeAttachments it must still wait for. */
async function nextStep(ctx: TickContext, world: World, node: Node, pdbs: PdbIndex): Promise<TerminationStep> {
  const pool = world.config.nodePools.find((p) => p.name === node.labels[LABEL_NODEPOOL]);
  const input: TerminationInput = {
    node,
    pods: world.cluster.pods.filter((p) => p.nodeName === node.name),
    pdbs,
    terminationGracePeriodMs: pool?.terminationGracePeriodMs ?? null,
    reason: node.taints.find((t) => t.key === TAINT_DISRUPTED)?.value ?? 'Deleted',
    attachedVolumes: [],
    instanceExists: node.providerID !== undefined && world.instances.has(node.providerID),
    now: ctx.clock.now(),
  };
  const step = planTermination(input);
  // Still draining, or only the Node to delete (its instance is gone): nothing to read.
  if (!step.actions.some((a) => a.type === 'terminate-instance')) return step;
  // Drained, and the instance would go now: first the volumes of the evicted pods must detach.
  return planTermination({ ...input, attachedVolumes: await volumesToAwait(ctx, input) });
}

/**
 * The node's VolumeAttachments a drain waits for: all but those of volumes the pods left on the node use
 * (the claims of those pods are read only when there are attachments at all). `unknown` when a read failed:
 * the core then waits, until the node's terminationGracePeriod runs out.
 */
async function volumesToAwait(ctx: TickContext, input: TerminationInput): Promise<readonly string[] | 'unknown'> {
  try {
    const attachments = await ctx.reader.volumeAttachments(input.node.name);
    if (attachments.length === 0) return [];
    const keptPods = podsLeftByDrain(input);
    const claims = claimsOf(keptPods);
    const volumeOfClaim = claims.length === 0 ? new Map<string, string>() : await ctx.reader.claimedVolumes(claims);
    return attachmentsToAwait({ attachments, keptPods, volumeOfClaim });
  } catch (error) {
    ctx.logger.warn('could not read the VolumeAttachments of a drained node; it waits for them', {
      node: input.node.name,
      ...errorFields(error),
    });
    return 'unknown';
  }
}

/** Managed: its instance is listed, or we annotated it at registration (its instance may be gone already). */
function isOurs(node: Node, world: World): boolean {
  return (
    (node.providerID !== undefined && world.instances.has(node.providerID)) ||
    node.annotations[ANNOTATION_NODEPOOL_HASH] !== undefined
  );
}

async function carryOut(
  ctx: TickContext,
  node: Node,
  actions: readonly TerminationAction[],
  record: DrainRecord,
  budget: { evictions: number },
): Promise<void> {
  const evictions = actions.filter((a) => a.type === 'evict').slice(0, budget.evictions);
  budget.evictions -= evictions.length;
  for (const action of actions) {
    if (action.type === 'taint') {
      await ctx.writer.updateNode(node.name, {
        addTaints: [action.taint],
        labels: action.labels,
        annotations: action.annotations,
      });
    } else if (action.type === 'delete-pod') {
      // terminationGracePeriod is due: the pod goes with the time that is left, PDBs or not.
      const [namespace = '', name = ''] = action.pod.split('/');
      await ctx.writer.deletePod({ namespace, name, uid: action.uid }, action.gracePeriodSeconds);
      ctx.logger.info('pod deleted: the node terminationGracePeriod is due', { pod: action.pod });
    } else if (action.type === 'delete-node') {
      const outcome = await ctx.writer.deleteNode(node.name, node.providerID ? { providerID: node.providerID } : {});
      record.done = outcome !== 'changed';
    } else if (action.type === 'terminate-instance') {
      await terminateInstance(ctx, node);
    }
  }
  await evictAll(ctx, node, evictions, record);
}

async function evictAll(ctx: TickContext, node: Node, evictions: TerminationAction[], record: DrainRecord) {
  const queue = evictions.filter((a): a is Extract<TerminationAction, { type: 'evict' }> => a.type === 'evict');
  const worker = async () => {
    for (let action = queue.shift(); action !== undefined; action = queue.shift()) {
      const [namespace, name] = action.pod.split('/', 2) as [string, string];
      try {
        const result = await ctx.writer.evictPod({ namespace, name, uid: action.uid });
        if (result.outcome === 'blocked') {
          record.blocked += 1;
          ctx.metrics.record('EvictionsBlocked', 1);
          ctx.events.node(
            node.name,
            EVENT_REASON.failedDraining,
            `evicting ${action.pod}: ${result.reason}`,
            'Warning',
          );
        } else record.evicted += 1;
      } catch (error) {
        ctx.logger.warn('eviction failed', { pod: action.pod, ...errorFields(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(EVICTION_CONCURRENCY, queue.length) }, worker));
}

async function terminateInstance(ctx: TickContext, node: Node): Promise<void> {
  const id = instanceIdOf(node.providerID);
  if (!id) return;
  const result = await ctx.cloud.terminate([id]);
  ctx.fleet.forget([...result.terminating, ...result.gone]);
  ctx.metrics.record('NodesTerminated', result.terminating.length);
}

/** `ready` when every replacement is a Ready node (or there are none), `failed` when one vanished. */
function replacementState(node: Node, world: World, now: number): 'ready' | 'waiting' | 'failed' {
  const ids = (node.annotations[ANNOTATION_REPLACEMENTS] ?? '').split(',').filter(Boolean);
  const listed = new Map([...world.instances.values()].map((i) => [i.instanceId, i]));
  const readyIds = new Set(world.cluster.nodes.filter((n) => n.ready).map((n) => instanceIdOf(n.providerID)));
  let state: 'ready' | 'waiting' | 'failed' = 'ready';
  for (const id of ids) {
    if (readyIds.has(id)) continue;
    if (listed.has(id)) state = 'waiting';
    else if (now - (disruptionStart(node) ?? now) < REPLACEMENT_LISTING_GRACE_MS) state = 'waiting';
    else return 'failed';
  }
  return state;
}

/** Untaints a node whose replacement failed: its pods were never evicted, so it simply stays. */
async function callOff(ctx: TickContext, node: Node): Promise<void> {
  try {
    await ctx.writer.updateNode(node.name, {
      removeTaints: [{ key: TAINT_DISRUPTED, effect: 'NoSchedule' }],
      labels: { [LABEL_EXCLUDE_FROM_LB]: null },
      annotations: { [ANNOTATION_DISRUPTED_AT]: null, [ANNOTATION_REPLACEMENTS]: null },
    });
    const note = `disruption called off at ${formatTime(ctx.clock.now())}: a replacement node never became Ready`;
    ctx.events.node(node.name, EVENT_REASON.disruptionBlocked, note, 'Warning');
  } catch (error) {
    ctx.logger.warn('could not call a disruption off', { node: node.name, ...errorFields(error) });
  }
}

/** A spot interruption (tainted by the interruption function) marks its offering unavailable here too. */
function markInterruptedOffering(ctx: TickContext, node: Node): void {
  const value = node.taints.find((t) => t.key === TAINT_DISRUPTED)?.value;
  if (value !== TAINT_REASON.spotInterrupted || ctx.memory.interruptedMarked.has(node.name)) return;
  ctx.memory.interruptedMarked.add(node.name);
  const instanceType = node.labels[LABEL_INSTANCE_TYPE];
  const zone = node.labels[LABEL_ZONE];
  if (instanceType && zone) ctx.cloud.markUnavailable({ instanceType, zone, capacityType: 'spot' });
}
