// What the reconcile function runs on. Production builds these from the environment with the real SDK clients
// (wiring/reconcile.ts); tests and the simulator build them from fakes or simulated backends and pass them to
// `createReconcileHandler` (functions/reconcile/handler.ts). Every timing has a named default with its reason.

import type { Logger } from '@aws-lambda-powertools/logger';
import type { CloudProvider } from '../../core/ports/cloud.js';
import type { ClusterReader, ClusterWriter } from '../../core/ports/cluster.js';
import type { Clock } from '../clock.js';
import type { ConfigSource } from '../config.js';
import type { MetricsSink } from '../observability/metrics.js';

export interface ClusterPorts {
  readonly reader: ClusterReader;
  readonly writer: ClusterWriter;
}

export interface ReconcileDeps {
  readonly clusterName: string;
  /**
   * The cluster ports for one invocation. `identity` (the Lambda request id) is who holds the Lease, so the writer
   * must be made per invocation; the client under it may be shared (and should be, for its connections).
   */
  readonly cluster: (identity: string) => ClusterPorts | Promise<ClusterPorts>;
  /** One provider per cluster for the process's lifetime: its caches (ICE, types, prices) survive warm starts. */
  readonly cloud: CloudProvider;
  readonly config: ConfigSource;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  readonly options?: Partial<ReconcileOptions>;
}

export interface ReconcileOptions {
  /** Used when no Settings document is in force (the stack's `responsiveness` prop). */
  readonly responsiveness: 'watch' | 'economy';
  /** Watch mode ticks this often. */
  readonly tickMs: number;
  /** Watch mode stops this long before the deadline, leaving time to hand the Lease over and flush metrics. */
  readonly stopBeforeDeadlineMs: number;
  /** How long an invocation waits for a held Lease before it gives up. */
  readonly leaseWaitMs: number;
  /** How often a waiting invocation asks for the Lease again. */
  readonly leasePollMs: number;
  /** Batching window: act when no new pending pod appeared for this long... */
  readonly batchIdleMs: number;
  /** ...or this long after the first one. */
  readonly batchMaxMs: number;
  /** Provisioning also runs this often while pods stay pending (a lost race, a capacity error, a drain). */
  readonly provisionResyncMs: number;
  /** DescribeInstances by tag this often (and after every launch). */
  readonly fleetRefreshMs: number;
  /** Unused launch templates are deleted at most this often. */
  readonly launchTemplateGcMs: number;
}

export const RECONCILE_DEFAULTS: ReconcileOptions = {
  responsiveness: 'watch',
  // DESIGN.md §2: a tick a second is what makes watch mode's time-to-decision seconds.
  tickMs: 1_000,
  // DESIGN.md §2: ~15 s before the 90 s timeout, so a run lasts ~75 s and overlaps the next minute's by ~15 s.
  stopBeforeDeadlineMs: 15_000,
  // DESIGN.md §2: the next run starts at 60 s and the previous one hands over at ~75 s.
  leaseWaitMs: 30_000,
  leasePollMs: 1_000,
  // karpenter-core §1.1: BatchIdleDuration and BatchMaxDuration.
  batchIdleMs: 1_000,
  batchMaxMs: 10_000,
  // karpenter-core §1.1: provisionable pods are requeued every 10 s.
  provisionResyncMs: 10_000,
  // DESIGN.md §2: the fleet's instances every 10 s and after each launch.
  fleetRefreshMs: 10_000,
  // Launch templates idle for a minute are deleted (ttls.ts); looking more often finds nothing new.
  launchTemplateGcMs: 60_000,
};

export function reconcileOptions(deps: ReconcileDeps): ReconcileOptions {
  return { ...RECONCILE_DEFAULTS, ...deps.options };
}
