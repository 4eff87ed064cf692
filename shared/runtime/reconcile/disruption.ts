// Steps 3 and 4 of a tick (DESIGN.md §2). Expiration: nodes past `expireAfter` are tainted at once — forceful,
// outside budgets — and the termination step drains them. Disruption: the plan's voluntary command (emptiness →
// drift → consolidation, first that yields) is remembered, re-validated against the cluster 15 s later
// (REVALIDATION_DELAY_MS; the run keeps ticking meanwhile, in every mode) and only then acted on: replacements
// launched first, then the candidates tainted with the method's reason, recording the replacements' instance
// ids so the drain waits for them to be Ready. Drifted nodes are also annotated with when they drifted.

import { formatTime } from '../../core/disruption/describe.js';
import { driftReason } from '../../core/disruption/drift.js';
import { REVALIDATION_DELAY_MS, revalidate } from '../../core/disruption/revalidate.js';
import { ANNOTATION_DISRUPTED_AT, ANNOTATION_DRIFTED_SINCE, LABEL_NODEPOOL } from '../../core/labels.js';
import type { Disruption } from '../../core/model/plan.js';
import { isDisrupting } from '../../core/plan/cluster-state.js';
import { disruptedTaint } from '../../core/termination/drainable.js';
import { LABEL_EXCLUDE_FROM_LB } from '../../core/termination/plan-termination.js';
import { EVENT_REASON } from '../observability/events.js';
import { errorFields } from '../observability/log.js';
import { ANNOTATION_REPLACEMENTS, METHOD_TAINT_REASON } from '../taint-reasons.js';
import { mayAct, type TickContext } from './context.js';
import type { Planned } from './tick.js';

/** A disruption as the decision record shows it: the replacements counted, not listed pod by pod. */
export interface DisruptionSummary {
  readonly method: Disruption['method'];
  readonly kind: Disruption['kind'];
  readonly nodes: readonly string[];
  readonly replacements: number;
  readonly savingsPerHour: number;
  readonly reason: string;
}

export interface DisruptionRecord {
  expired: string[];
  decided?: DisruptionSummary;
  awaiting?: { nodes: readonly string[]; validateAt: number };
  invalidated?: string;
  acted?: DisruptionSummary;
  failed?: string;
}

function summary(d: Disruption): DisruptionSummary {
  const { method, kind, nodes, savingsPerHour, reason } = d;
  return { method, kind, nodes, replacements: d.replacements.length, savingsPerHour, reason };
}

export async function expire(ctx: TickContext, planned: Planned, record: DisruptionRecord): Promise<void> {
  for (const d of planned.plan.disruptions.filter((x) => x.method === 'expiration')) {
    record.expired.push(...d.nodes);
    if (!mayAct(ctx)) continue;
    const tainted = await taint(ctx, d.nodes, METHOD_TAINT_REASON.expiration, []);
    for (const name of tainted) ctx.events.node(name, EVENT_REASON.expired, d.reason);
    if (tainted.length > 0) ctx.metrics.record('Disruptions', tainted.length, 'expiration');
  }
}

export async function disrupt(ctx: TickContext, planned: Planned, record: DisruptionRecord): Promise<void> {
  const now = ctx.clock.now();
  const pending = ctx.memory.pendingDisruption;
  if (pending) {
    const validateAt = pending.decidedAt + REVALIDATION_DELAY_MS;
    if (now < validateAt) {
      record.awaiting = { nodes: pending.disruption.nodes, validateAt };
      return;
    }
    ctx.memory.pendingDisruption = undefined;
    const check = revalidate(pending.disruption, planned.world.snapshot);
    if (!check.valid) {
      record.invalidated = check.reason;
      return;
    }
    await act(ctx, planned, check.disruption, record);
    return;
  }
  for (const b of planned.plan.blocked) ctx.events.node(b.node, EVENT_REASON.disruptionBlocked, b.reason);
  const command = planned.plan.disruptions.find((d) => d.method !== 'expiration');
  if (command && now < ctx.decideUntil) {
    ctx.memory.pendingDisruption = { disruption: command, decidedAt: now };
    record.decided = summary(command);
  }
}

/** Replacements first (a candidate's pods need somewhere to go), then the taint; a failed launch calls it off. */
async function act(ctx: TickContext, planned: Planned, disruption: Disruption, record: DisruptionRecord) {
  if (!mayAct(ctx)) {
    record.acted = summary(disruption);
    return;
  }
  const { config } = planned.world;
  const launched: string[] = [];
  for (const node of disruption.replacements) {
    const nodePool = config.nodePools.find((p) => p.name === node.nodePool);
    const nodeClass = config.nodeClasses.find((c) => c.name === nodePool?.nodeClassName);
    try {
      if (!nodePool || !nodeClass) throw new Error(`nodepool ${node.nodePool} is no longer configured`);
      launched.push((await ctx.cloud.launch({ node, nodePool, nodeClass })).instanceId);
      ctx.metrics.record('NodesLaunched', 1);
    } catch (error) {
      record.failed = `replacement launch failed: ${error instanceof Error ? error.message : String(error)}`;
      ctx.logger.warn('disruption called off: a replacement could not be launched', errorFields(error));
      for (const name of disruption.nodes)
        ctx.events.node(name, EVENT_REASON.disruptionBlocked, record.failed, 'Warning');
      if (launched.length > 0) await ctx.cloud.terminate(launched).catch(() => undefined);
      return;
    }
  }
  const tainted = await taint(ctx, disruption.nodes, METHOD_TAINT_REASON[disruption.method], launched);
  record.acted = summary(disruption);
  ctx.metrics.record('Disruptions', tainted.length, disruption.method);
  const reason = disruption.method === 'drift' ? EVENT_REASON.drifted : EVENT_REASON.disrupted;
  for (const name of tainted) ctx.events.node(name, reason, `${disruption.method}: ${disruption.reason}`);
  await ctx.fleet.refresh(true);
  ctx.gate.force();
}

/** Taints nodes as disrupted for `reason`; returns those tainted now (not already disrupted, still there). */
async function taint(ctx: TickContext, nodes: readonly string[], reason: string, replacements: string[]) {
  const now = ctx.clock.now();
  const tainted: string[] = [];
  for (const name of nodes) {
    try {
      const result = await ctx.writer.updateNode(name, {
        addTaints: [disruptedTaint(reason)],
        labels: { [LABEL_EXCLUDE_FROM_LB]: 'fleetwright' },
        annotations: {
          [ANNOTATION_DISRUPTED_AT]: formatTime(now),
          ...(replacements.length > 0 ? { [ANNOTATION_REPLACEMENTS]: replacements.join(',') } : {}),
        },
      });
      if (result.outcome === 'updated') tainted.push(name);
    } catch (error) {
      ctx.logger.warn('could not taint a node for disruption', { node: name, ...errorFields(error) });
    }
  }
  // Their pods need places now: provision on the next tick without waiting for a batch window.
  if (tainted.length > 0) ctx.gate.force();
  return tainted;
}

/** Annotates managed nodes that drifted with when they were first seen drifted, and clears it when they no longer are. */
export async function markDrift(ctx: TickContext, planned: Planned): Promise<void> {
  if (!mayAct(ctx)) return;
  const { world } = planned;
  const pools = new Map(world.config.nodePools.map((p) => [p.name, p]));
  const classes = new Map(world.config.nodeClasses.map((c) => [c.name, c]));
  for (const node of world.cluster.nodes) {
    if (!world.snapshot.managedNodes.has(node.name) || isDisrupting(node)) continue;
    const pool = pools.get(node.labels[LABEL_NODEPOOL] ?? '');
    if (!pool) continue;
    const drift = driftReason(
      node,
      pool,
      classes.get(pool.nodeClassName),
      world.snapshot.images?.get(pool.nodeClassName),
    );
    const since = node.annotations[ANNOTATION_DRIFTED_SINCE];
    if ((drift === undefined) === (since === undefined)) continue;
    const value = drift === undefined ? null : formatTime(ctx.clock.now());
    try {
      await ctx.writer.updateNode(node.name, { annotations: { [ANNOTATION_DRIFTED_SINCE]: value } });
      if (drift !== undefined) ctx.events.node(node.name, EVENT_REASON.drifted, `drift detected: ${drift}`);
    } catch (error) {
      ctx.logger.warn('could not record drift on a node', { node: node.name, ...errorFields(error) });
    }
  }
}
