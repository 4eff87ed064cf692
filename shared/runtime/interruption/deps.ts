// What the interruption function runs on: built from the environment in production (wiring/interruption.ts),
// from fakes or simulated backends in tests and the simulator, and passed to `createInterruptionHandler`.

import type { Logger } from '@aws-lambda-powertools/logger';
import type { Node } from '../../core/model/node.js';
import type { CloudProvider } from '../../core/ports/cloud.js';
import type { ClusterReader, ClusterWriter } from '../../core/ports/cluster.js';
import type { Clock } from '../clock.js';
import type { ConfigSource } from '../config.js';
import type { MetricsSink } from '../observability/metrics.js';

export interface InterruptionClusterPorts {
  /** Every node (no pods): finding an instance's node means reading them all (no field selector on providerID). */
  readonly listNodes: () => Promise<readonly Node[]>;
  readonly reader: Pick<ClusterReader, 'getNode' | 'podsOnNode'>;
  readonly writer: ClusterWriter;
}

export interface InterruptionDeps {
  readonly clusterName: string;
  /** The cluster ports for one invocation; `identity` (the request id) is the Events' reporting instance. */
  readonly cluster: (identity: string) => InterruptionClusterPorts | Promise<InterruptionClusterPorts>;
  readonly cloud: CloudProvider;
  readonly config: ConfigSource;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  /**
   * Pools whose nodes are drained on a rebalance recommendation (`*` = every pool). No NodePool field says this
   * yet, so it is a deployment setting (FLEETWRIGHT_REBALANCE_DRAIN_NODEPOOLS); empty = Karpenter's behaviour,
   * an event only.
   */
  readonly rebalanceDrainNodePools?: ReadonlySet<string>;
}

/** The SQS event the event-source mapping delivers (the fields read). */
export interface SqsEvent {
  readonly Records: readonly { readonly messageId: string; readonly body: string }[];
}

/** The partial batch response: the messages to retry; every other one is deleted from the queue. */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}
