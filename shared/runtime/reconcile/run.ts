// One reconcile invocation (DESIGN.md §2): load the config (last-known-good), take the Lease (waiting up to 30 s
// for the previous run's hand-over), list the cluster, then tick — every second until ~15 s before the deadline
// in watch mode, once in economy mode (plus the ticks a disruption's 15-second re-validation needs) — and hand the
// Lease over. Metrics are recorded into the sink; the handler's middleware publishes them.

import { REVALIDATION_DELAY_MS } from '../../core/disruption/revalidate.js';
import { deadlineOf, type LambdaContextLike } from '../clock.js';
import { loadConfigFor, type RuntimeConfig } from '../config.js';
import { EventRecorder } from '../observability/events.js';
import { errorFields } from '../observability/log.js';
import { ProvisioningGate } from './batcher.js';
import { ClusterView } from './cluster-view.js';
import { newMemory, type TickContext } from './context.js';
import { type ReconcileDeps, reconcileOptions } from './deps.js';
import { Fleet } from './fleet.js';
import { LeaseGuard } from './lease.js';
import { newGauges, publishGauges } from './report.js';
import { runTick } from './tick.js';

export interface ReconcileResult {
  readonly outcome: 'completed' | 'lease-held-elsewhere' | 'lease-lost' | 'no-config';
  readonly mode?: 'watch' | 'economy';
  readonly ticks: number;
  /** Who held the Lease when it could not be taken. */
  readonly holder?: string;
}

export async function runReconcile(deps: ReconcileDeps, context: LambdaContextLike): Promise<ReconcileResult> {
  const { clock, metrics } = deps;
  const started = clock.now();
  try {
    return await reconcile(deps, context, started);
  } finally {
    metrics.record('ReconcileDuration', clock.now() - started);
  }
}

async function reconcile(deps: ReconcileDeps, context: LambdaContextLike, started: number): Promise<ReconcileResult> {
  const { clock, logger, metrics } = deps;
  const options = reconcileOptions(deps);
  let config = await loadConfigFor(deps.config, logger, metrics);
  if (!config) return { outcome: 'no-config', ticks: 0 };
  const mode = config.settingsFromDocument ? config.settings.responsiveness : options.responsiveness;
  const stopAt = deadlineOf(context, clock) - options.stopBeforeDeadlineMs;
  const { reader, writer } = await deps.cluster(context.awsRequestId);
  const lease = new LeaseGuard(writer, clock, logger);
  const held = await lease.acquire(options.leaseWaitMs, options.leasePollMs, stopAt);
  metrics.record('LeaseHeld', held ? 1 : 0);
  if (!held) {
    logger.info('the Lease is held by another run; exiting', { holder: lease.holder, waitedMs: clock.now() - started });
    return { outcome: 'lease-held-elsewhere', mode, ticks: 0, holder: lease.holder };
  }
  const gate = new ProvisioningGate({
    idleMs: options.batchIdleMs,
    maxMs: options.batchMaxMs,
    resyncMs: options.provisionResyncMs,
  });
  const view = new ClusterView(reader, clock, logger, (now) => gate.trigger(now));
  const gauges = newGauges();
  const memory = newMemory();
  const fleet = new Fleet(deps.cloud, clock, logger, options.fleetRefreshMs);
  // One recorder per invocation: an Event is written once per run, not once per tick.
  const events = new EventRecorder(writer, logger);
  let ticks = 0;
  let outcome: ReconcileResult['outcome'] = 'completed';
  try {
    for (;;) {
      const tickStart = clock.now();
      if (ticks > 0 && !(await lease.renew())) {
        outcome = 'lease-lost';
        logger.warn('the Lease was lost; stopping at once');
        break;
      }
      config = await reload(deps, config);
      const acting = !config.settings.paused && !config.settings.dryRun;
      events.enabled = acting;
      const ctx: TickContext = {
        reader,
        writer,
        cloud: deps.cloud,
        clock,
        logger,
        metrics,
        events,
        lease,
        fleet,
        gate,
        options,
        memory,
        acting,
        decideUntil: stopAt - REVALIDATION_DELAY_MS - options.tickMs,
      };
      const record = await runTick(ctx, { number: ticks, view, config, follow: mode === 'watch', gauges });
      ticks += 1;
      logger.info('reconcile tick', {
        decision: { ...record, mode, paused: config.settings.paused, dryRun: config.settings.dryRun },
      });
      const next = nextTick(mode, memory.pendingDisruption?.decidedAt, tickStart + options.tickMs, clock.now());
      if (next === undefined || next >= stopAt) break;
      // Economy mode does not follow the cluster: it lists afresh before re-validating.
      if (mode === 'economy') view.invalidate();
      await sleepRenewing(deps, lease, next, options.tickMs);
    }
  } finally {
    view.close();
    publishGauges(gauges, metrics);
    await lease.release();
  }
  return { outcome, mode, ticks };
}

/** When the next tick starts: a second after this one (watch), or at the pending re-validation (economy). */
function nextTick(mode: 'watch' | 'economy', decidedAt: number | undefined, inWatch: number, now: number) {
  if (mode === 'watch') return Math.max(inWatch, now);
  return decidedAt === undefined ? undefined : Math.max(decidedAt + REVALIDATION_DELAY_MS, now);
}

/** Sleeps until `until`, renewing the Lease every `stepMs` (a 15-second wait outlasts a 15-second Lease). */
async function sleepRenewing(deps: ReconcileDeps, lease: LeaseGuard, until: number, stepMs: number): Promise<void> {
  for (let now = deps.clock.now(); now < until; now = deps.clock.now()) {
    await deps.clock.sleep(Math.min(stepMs, until - now));
    if (deps.clock.now() < until) await lease.renew();
  }
}

/** The config source is cached (30 s); a failed reload keeps the config in force. */
async function reload(deps: ReconcileDeps, current: RuntimeConfig): Promise<RuntimeConfig> {
  try {
    return await deps.config.load();
  } catch (error) {
    deps.logger.warn('could not reload the configuration; the one in force stays', errorFields(error));
    return current;
  }
}
