// What every step of a tick works with: the ports, the Lease, the fleet, the event recorder, the invocation's
// memory (a disruption waiting for re-validation, instances already named, claims' volumes and their node
// affinity) and whether it may act at all.

import type { Logger } from '@aws-lambda-powertools/logger';
import type { Disruption } from '../../core/model/plan.js';
import type { CloudProvider } from '../../core/ports/cloud.js';
import type { ClusterReader, ClusterWriter } from '../../core/ports/cluster.js';
import type { Clock } from '../clock.js';
import type { EventRecorder } from '../observability/events.js';
import type { MetricsSink } from '../observability/metrics.js';
import type { ProvisioningGate } from './batcher.js';
import type { ReconcileOptions } from './deps.js';
import type { Fleet } from './fleet.js';
import type { LeaseGuard } from './lease.js';
import type { VolumeMemory } from './volume-topology.js';

/** A voluntary disruption decided at `decidedAt`, acted on only if it still holds REVALIDATION_DELAY_MS later. */
export interface PendingDisruption {
  readonly disruption: Disruption;
  readonly decidedAt: number;
}

/** What an invocation remembers between its ticks; lost at its end by design (the truth is in the cluster). */
export interface RunMemory {
  pendingDisruption?: PendingDisruption;
  /** Instances whose Name tag this invocation set (DescribeInstances shows it up to 10 s later). */
  readonly named: Set<string>;
  lastTemplateGc?: number;
  /** Spot-interrupted nodes whose offering this invocation already marked unavailable. */
  readonly interruptedMarked: Set<string>;
  /** Bound claims' volumes and volumes' node affinity, read for pending pods (both immutable once known). */
  readonly volumes: VolumeMemory;
}

export interface TickContext {
  readonly reader: ClusterReader;
  readonly writer: ClusterWriter;
  readonly cloud: CloudProvider;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  readonly events: EventRecorder;
  readonly lease: LeaseGuard;
  readonly fleet: Fleet;
  readonly gate: ProvisioningGate;
  readonly options: ReconcileOptions;
  readonly memory: RunMemory;
  /** False while paused or in dry-run: decide and report, act on nothing (the Lease aside). */
  readonly acting: boolean;
  /** No new disruption is started after this time: its re-validation would not fit in the run. */
  readonly decideUntil: number;
}

/** Whether an action may start now: acting mode and a Lease with time to spare. */
export function mayAct(ctx: TickContext): boolean {
  return ctx.acting && ctx.lease.valid();
}

export function newMemory(): RunMemory {
  return {
    named: new Set(),
    interruptedMarked: new Set(),
    volumes: { boundClaims: new Map(), volumeTerms: new Map() },
  };
}
