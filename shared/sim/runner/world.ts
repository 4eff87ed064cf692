// Everything one simulation runs on, wired the way production wires the handlers (shared/runtime/wiring/) with the
// far ends replaced: the loopback Kubernetes API server is the cluster (real KubeClient, real adapters), the
// SimulatedEc2 is the account (real Ec2CloudProvider over it), the SimClock is time. Around the API server run the
// cluster's own controllers (scheduler, kubelets, workload and disruption controllers; shared/sim/cluster/).

import { Ec2CloudProvider } from '../../adapters/aws/ec2/cloud-provider.js';
import type { ClusterInfo } from '../../adapters/aws/ec2/cluster.js';
import { KubeClient } from '../../adapters/kubernetes/client/kube-client.js';
import type { RetryPolicy } from '../../adapters/kubernetes/client/retry.js';
import { staticToken, Transport } from '../../adapters/kubernetes/client/transport.js';
import { clusterAccess } from '../../adapters/kubernetes/cluster-access.js';
import type { CatalogueEntry } from '../../core/instancetypes/catalogue.js';
import type { ConfigSource } from '../../runtime/config.js';
import type { InterruptionDeps } from '../../runtime/interruption/deps.js';
import type { ReconcileDeps } from '../../runtime/reconcile/deps.js';
import { SimClock } from '../clock.js';
import { DisruptionBudgets } from '../cluster/disruption-budgets.js';
import { Kubelets } from '../cluster/kubelets.js';
import { ClusterObjects } from '../cluster/objects.js';
import { Scheduler } from '../cluster/scheduler.js';
import { WorkloadControllers } from '../cluster/workloads.js';
import { SimulatedEc2 } from '../ec2/simulated-ec2.js';
import { interruptionBus } from '../events/bus.js';
import { interruptionQueues, type SimQueue } from '../events/queue.js';
import type { Authenticator } from '../kube-api/access.js';
import { DEFAULT_TOKEN, KubeApiServer } from '../kube-api/server.js';
import type { Scenario } from '../scenario/load.js';
import { Actors } from './actors.js';
import { type LogRecord, SimLogger, SimMetrics } from './observability.js';

export const SIM_CLUSTER: ClusterInfo = {
  name: 'fleetwright-sim',
  region: 'us-east-1',
  endpoint: 'https://SIMULATED.gr7.us-east-1.eks.amazonaws.com',
  certificateAuthority: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==',
  serviceCidr: '10.100.0.0/16',
  kubernetesVersion: '1.33',
};

/** The loopback server answers in microseconds; a failed call is retried within milliseconds of real time. */
const SIM_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 2, maxDelayMs: 10, maxRetryAfterMs: 20 };

export interface SimWorldOptions {
  /** Epoch ms the virtual clock starts at (default SIM_EPOCH, so runs are reproducible). */
  readonly startAt?: number;
  /** Who the API server lets in (default: the handlers' static token only). */
  readonly authenticate?: Authenticator;
}

export class SimWorld {
  readonly logs: LogRecord[] = [];
  readonly metrics: SimMetrics;
  readonly objects: ClusterObjects;
  readonly scheduler: Scheduler;
  readonly kubelets: Kubelets;
  readonly workloads: WorkloadControllers;
  readonly budgets: DisruptionBudgets;
  readonly ec2: SimulatedEc2;
  readonly queue: SimQueue;
  readonly actors: Actors;
  readonly config: ConfigSource;
  private tokens = 0;

  private constructor(
    readonly scenario: Scenario,
    readonly clock: SimClock,
    readonly server: KubeApiServer,
    readonly catalogue: readonly CatalogueEntry[],
  ) {
    this.metrics = new SimMetrics(() => clock.now());
    this.objects = new ClusterObjects(server.store);
    this.actors = new Actors(clock, () => server.store.currentRevision);
    const { queue } = interruptionQueues(clock, SIM_CLUSTER.name);
    this.queue = queue;
    this.ec2 = new SimulatedEc2({
      clock,
      catalogue,
      cluster: SIM_CLUSTER.name,
      events: interruptionBus(queue),
      seed: scenario.name,
    });
    const runtimeConfig = scenario.config;
    this.config = { load: async () => runtimeConfig };
    this.scheduler = new Scheduler(clock, this.objects);
    this.workloads = new WorkloadControllers(clock, this.objects);
    this.budgets = new DisruptionBudgets(clock, this.objects);
    this.kubelets = new Kubelets({
      clock,
      objects: this.objects,
      ec2: this.ec2,
      catalogue: new Map(catalogue.map((e) => [e.name, e])),
      config: () => runtimeConfig,
      region: SIM_CLUSTER.region,
    });
  }

  static async start(
    scenario: Scenario,
    catalogue: readonly CatalogueEntry[],
    options: SimWorldOptions = {},
  ): Promise<SimWorld> {
    const clock = new SimClock(options.startAt);
    const server = await KubeApiServer.start({
      now: () => clock.now(),
      ...(options.authenticate ? { authenticate: options.authenticate } : {}),
    });
    const world = new SimWorld(scenario, clock, server, catalogue);
    world.scheduler.start();
    world.workloads.start();
    world.budgets.start();
    return world;
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  /**
   * A fresh cloud provider: what a new Lambda execution environment builds on its cold start, with empty caches
   * (instance types, prices, AMI aliases — the latter cached 24 h, which is why a release is only seen by a new one).
   */
  cloud(): Ec2CloudProvider {
    const { clock, sleep } = { clock: this.actors.clock.now, sleep: this.actors.clock.sleep };
    const specs = this.scenario.nodeClassSpecs;
    return new Ec2CloudProvider({
      ec2: this.ec2,
      ssm: this.ec2,
      pricing: this.ec2,
      cluster: SIM_CLUSTER,
      nodeClassSpec: (name) => specs.get(name),
      bundled: this.catalogue,
      clock,
      sleep,
      clientToken: () => `sim-token-${++this.tokens}`,
    });
  }

  private client(): KubeClient {
    return new KubeClient(
      new Transport({ server: this.server.url, tokens: staticToken(DEFAULT_TOKEN), retry: SIM_RETRY }),
    );
  }

  /** The reconcile function's dependencies for one execution environment. */
  reconcileDeps(cloud: Ec2CloudProvider): ReconcileDeps {
    const client = this.client();
    const clock = this.actors.clock;
    const clusterName = SIM_CLUSTER.name;
    return {
      clusterName,
      cluster: clusterAccess({ client, clusterName, now: clock.now, watch: { retry: SIM_RETRY } }),
      cloud,
      config: this.config,
      clock,
      logger: new SimLogger('fleetwright-reconcile', clock.now, this.logs),
      metrics: this.metrics,
    };
  }

  /** The interruption function's dependencies for one execution environment. */
  interruptionDeps(cloud: Ec2CloudProvider): InterruptionDeps {
    const client = this.client();
    const clock = this.actors.clock;
    const clusterName = SIM_CLUSTER.name;
    return {
      clusterName,
      cluster: clusterAccess({ client, clusterName, now: clock.now }),
      cloud,
      config: this.config,
      clock,
      logger: new SimLogger('fleetwright-interruption', clock.now, this.logs),
      metrics: this.metrics,
    };
  }
}
