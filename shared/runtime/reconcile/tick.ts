// One tick (DESIGN.md §2): snapshot → plan → act in order — provision, liveness and garbage collection,
// expiration, disruption, termination — then one decision record in the log. A tick whose cluster view cannot
// be (re)listed acts on nothing: no decision is ever taken from a partial snapshot. Pending pods with bound
// volumes enter the snapshot constrained to their volumes' topology (volume-topology.ts).

import type { Plan } from '../../core/model/plan.js';
import { type Pod, podKey } from '../../core/model/pod.js';
import { plan } from '../../core/plan/build-plan.js';
import type { RuntimeConfig } from '../config.js';
import { errorFields } from '../observability/log.js';
import type { ClusterView } from './cluster-view.js';
import { mayAct, type TickContext } from './context.js';
import { type DisruptionRecord, disrupt, expire, markDrift } from './disruption.js';
import { collectGarbage, type LivenessRecord } from './liveness.js';
import { type ProvisionRecord, provision } from './provision.js';
import { recordRegistrations } from './registration.js';
import { type Gauges, observe } from './report.js';
import { buildWorld, resolveImages, resolveTypes, type World } from './snapshot.js';
import { advanceDrains, type DrainRecord } from './termination.js';
import { applyVolumeTopology } from './volume-topology.js';

/** Unschedulable pods named in one decision record: enough to see why, few enough for one log line. */
export const UNSCHEDULABLE_SHOWN = 20;

/** A world and the plan made from it. */
export interface Planned {
  readonly world: World;
  readonly plan: Plan;
  readonly podsByKey: ReadonlyMap<string, Pod>;
}

/** The tick's decision record: what it saw, what it decided and what it did (or would do, when not acting). */
export interface TickRecord {
  readonly tick: number;
  readonly at: number;
  readonly acting: boolean;
  skipped?: string;
  nodes?: number;
  inFlight?: number;
  pending?: number;
  provisioning?: ProvisionRecord | 'waiting for the batch window' | 'nothing to do';
  /** Pods no node can take, with the reason: the first UNSCHEDULABLE_SHOWN of them, and how many in all. */
  unschedulable?: { count: number; first: Plan['unschedulable'] };
  registered?: string[];
  liveness?: LivenessRecord;
  disruption?: DisruptionRecord;
  drains?: DrainRecord[];
}

export interface TickInput {
  readonly number: number;
  readonly view: ClusterView;
  readonly config: RuntimeConfig;
  /** Watch mode follows the cluster after listing it; economy mode only lists. */
  readonly follow: boolean;
  readonly gauges: Gauges;
}

export async function runTick(ctx: TickContext, input: TickInput): Promise<TickRecord> {
  const record: TickRecord = { tick: input.number, at: ctx.clock.now(), acting: mayAct(ctx) };
  try {
    if (input.view.stale) await input.view.list(input.follow);
  } catch (error) {
    record.skipped = 'the cluster could not be listed: acting on nothing';
    ctx.logger.warn(record.skipped, errorFields(error));
    return record;
  }
  await ctx.fleet.refresh();
  const [instanceTypes, images] = await Promise.all([
    resolveTypes(ctx.cloud, input.config, ctx.logger),
    resolveImages(ctx.cloud, input.config, ctx.logger),
  ]);
  const makePlan = async (): Promise<Planned> => {
    const world = buildWorld({
      cluster: await applyVolumeTopology(ctx, input.view.contents()),
      config: input.config,
      fleet: ctx.fleet,
      instanceTypes,
      images,
      now: ctx.clock.now(),
    });
    return { world, plan: plan(world.snapshot), podsByKey: new Map(world.snapshot.pods.map((p) => [podKey(p), p])) };
  };
  let planned = await makePlan();
  const now = ctx.clock.now();
  record.nodes = planned.world.cluster.nodes.length;
  record.inFlight = planned.world.inFlight.length;
  record.pending = observe(input.gauges, planned, now);
  if (ctx.gate.due(now, planned.plan.newNodes.length > 0 || record.pending > 0)) {
    const result = await provision(ctx, planned, makePlan);
    ctx.gate.ran(now);
    planned = result.planned;
    record.provisioning = result.record;
    const { unschedulable } = planned.plan;
    if (unschedulable.length > 0) {
      record.unschedulable = { count: unschedulable.length, first: unschedulable.slice(0, UNSCHEDULABLE_SHOWN) };
    }
  } else {
    record.provisioning = ctx.gate.isOpen(now) ? 'waiting for the batch window' : 'nothing to do';
  }
  record.registered = await recordRegistrations(ctx, planned.world);
  record.liveness = await collectGarbage(ctx, planned.world);
  record.disruption = { expired: [] };
  await expire(ctx, planned, record.disruption);
  await markDrift(ctx, planned);
  await disrupt(ctx, planned, record.disruption);
  record.drains = await advanceDrains(ctx, planned.world);
  await ctx.events.settle();
  return record;
}
