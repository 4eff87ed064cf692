// Everything a handler test runs against, built the way production builds it except for the far ends: the
// loopback Kubernetes API server (real client, real adapters), a mocked EC2 account with live instances under
// the real Ec2CloudProvider, the real SSM config store over a mocked SSMClient, a virtual clock, Powertools'
// Logger (silent; tests read its calls) and a recording metrics sink. No vitest import here: the bench uses it too.

import { Logger } from '@aws-lambda-powertools/logger';
import { GetParameterHistoryCommand, GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import type { Node as K8sNode, Pod as K8sPod } from 'kubernetes-types/core/v1.js';
import { createReconcileHandler } from '../../../functions/reconcile/handler.js';
import { SsmConfigStore } from '../../../shared/adapters/aws/ssm/config-store.js';
import { KubeClient } from '../../../shared/adapters/kubernetes/client/kube-client.js';
import type { RetryPolicy } from '../../../shared/adapters/kubernetes/client/retry.js';
import { staticToken, Transport } from '../../../shared/adapters/kubernetes/client/transport.js';
import { KubernetesClusterReader, KubernetesClusterWriter } from '../../../shared/adapters/kubernetes/cluster.js';
import { listNodes } from '../../../shared/adapters/kubernetes/node-list.js';
import type { LambdaContextLike } from '../../../shared/runtime/clock.js';
import type { InterruptionDeps } from '../../../shared/runtime/interruption/deps.js';
import type { ReconcileDeps, ReconcileOptions } from '../../../shared/runtime/reconcile/deps.js';
import type { ReconcileResult } from '../../../shared/runtime/reconcile/run.js';
import { configFromStore } from '../../../shared/runtime/wiring/aws.js';
import type { KubeObject } from '../../../shared/sim/kube-api/resources.js';
import { DEFAULT_TOKEN, KubeApiServer } from '../../../shared/sim/kube-api/server.js';
import { T0 } from '../../adapters/aws/aws-world.js';
import { nodeClass, nodePool, settings } from '../../config/builders.js';
import { RecordingMetrics } from '../../fakes/recording-metrics.js';
import { VirtualClock } from '../../fakes/virtual-clock.js';
import { Ec2World, type LiveInstance } from './ec2-world.js';

export const PREFIX = '/fleetwright/my-cluster/';
/** Fast retries: a failing API server answers within milliseconds of real time. */
export const TEST_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 2, maxDelayMs: 5, maxRetryAfterMs: 10 };
/** Lambda's 90 s timeout: a watch run ticks until 15 s before it. */
export const RECONCILE_TIMEOUT_MS = 90_000;

type Json = Record<string, unknown>;

/** A pool that may launch spot or on-demand, at most `maxNodes` nodes. */
export function webPool(patch: Json = {}, maxNodes = 10): Json {
  const requirements = [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] }];
  return nodePool({ spec: { template: { spec: { requirements } }, limits: { nodes: maxNodes }, ...patch } });
}

export class World {
  readonly metrics = new RecordingMetrics();
  readonly logger = new Logger({ serviceName: 'fleetwright-test', logLevel: 'SILENT' });
  readonly ec2: Ec2World;
  /** SSM documents by parameter name: value and version; tests change them between invocations. */
  readonly documents = new Map<string, { value: Json | string; version: number }>();
  readonly history = new Map<string, { value: Json; version: number }[]>();
  private requests = 0;

  private constructor(
    readonly clock: VirtualClock,
    readonly server: KubeApiServer,
  ) {
    this.ec2 = new Ec2World(clock);
    this.setDocument('nodeclasses/default', nodeClass());
    this.setDocument('nodepools/web', webPool());
    this.ec2.aws.ssm.on(GetParametersByPathCommand).callsFake(() => ({
      Parameters: [...this.documents].map(([Name, d]) => ({
        Name,
        Type: 'String',
        Value: typeof d.value === 'string' ? d.value : JSON.stringify(d.value),
        Version: d.version,
      })),
    }));
    this.ec2.aws.ssm.on(GetParameterHistoryCommand).callsFake((input: { Name: string }) => ({
      Parameters: (this.history.get(input.Name) ?? []).map((h) => ({
        Name: input.Name,
        Type: 'String',
        Value: JSON.stringify(h.value),
        Version: h.version,
      })),
    }));
  }

  static async start(settleMs = 2): Promise<World> {
    const clock = new VirtualClock(T0, settleMs);
    const server = await KubeApiServer.start({ now: clock.now });
    return new World(clock, server);
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  setDocument(relative: string, value: Json | string): void {
    const name = `${PREFIX}${relative}`;
    const version = (this.documents.get(name)?.version ?? 0) + 1;
    const previous = this.documents.get(name);
    if (previous && typeof previous.value !== 'string') {
      this.history.set(name, [...(this.history.get(name) ?? []), { value: previous.value, version: previous.version }]);
    }
    this.documents.set(name, { value, version });
  }

  setSettings(spec: Json): void {
    this.setDocument('settings', settings(spec));
  }

  client(): KubeClient {
    return new KubeClient(
      new Transport({ server: this.server.url, tokens: staticToken(DEFAULT_TOKEN), retry: TEST_RETRY }),
    );
  }

  /** Dependencies as a cold start builds them: a new provider, config store and client (empty caches). */
  reconcileDeps(options: Partial<ReconcileOptions> = {}): ReconcileDeps {
    const client = this.client();
    const store = new SsmConfigStore({ client: this.ec2.aws.ssmClient, prefix: PREFIX, now: this.clock.now });
    const { config, nodeClassSpec } = configFromStore(store);
    const clusterName = 'my-cluster';
    const watch = { retry: TEST_RETRY };
    return {
      clusterName,
      cluster: (identity) => {
        const options = { client, clusterName, identity, now: this.clock.now, watch };
        return { reader: new KubernetesClusterReader(options), writer: new KubernetesClusterWriter(options) };
      },
      cloud: this.ec2.provider(nodeClassSpec),
      config,
      clock: this.clock,
      logger: this.logger,
      metrics: this.metrics,
      options,
    };
  }

  interruptionDeps(rebalance: readonly string[] = []): InterruptionDeps {
    const { cluster: _unused, ...base } = this.reconcileDeps();
    const client = this.client();
    return {
      ...base,
      cluster: (identity) => {
        const options = { client, clusterName: 'my-cluster', identity, now: this.clock.now };
        return {
          listNodes: async () => (await listNodes(client)).nodes,
          reader: new KubernetesClusterReader(options),
          writer: new KubernetesClusterWriter(options),
        };
      },
      rebalanceDrainNodePools: new Set(rebalance),
    };
  }

  /** A Lambda context whose remaining time runs on the virtual clock. */
  context(timeoutMs = RECONCILE_TIMEOUT_MS): LambdaContextLike {
    const deadline = this.clock.now() + timeoutMs;
    this.requests += 1;
    return {
      awsRequestId: `request-${this.requests}`,
      functionName: 'fleetwright-reconcile',
      getRemainingTimeInMillis: () => deadline - this.clock.now(),
    };
  }

  /** One economy-mode invocation (one pass, plus the ticks a re-validation needs), as a cold start. */
  async pass(options: Partial<ReconcileOptions> = {}): Promise<ReconcileResult> {
    const handler = createReconcileHandler(this.reconcileDeps({ responsiveness: 'economy', ...options }));
    return this.clock.run(handler({}, this.context()));
  }

  /** Registers every unregistered live instance and binds the pending pods to them, one pod per node, in order. */
  registerAll(): string[] {
    const registered = new Set(
      (this.server.store.list('nodes') as (KubeObject & K8sNode)[]).map((n) => n.spec?.providerID),
    );
    const names = this.ec2
      .live()
      .filter((i) => !registered.has(`aws:///${i.zone}/${i.id}`))
      .map((i) => this.register(i));
    const pending = (this.server.store.list('pods') as (KubeObject & K8sPod)[]).filter((p) => !p.spec?.nodeName);
    names.forEach((node, i) => {
      const pod = pending[i];
      if (pod?.metadata?.name) this.bind(pod.metadata.name, node);
    });
    return names;
  }

  /** A pod the kube-scheduler marked Unschedulable, asking for `cpu`. */
  addPendingPod(name: string, cpu = '1', labels: Record<string, string> = { app: 'web' }): void {
    this.server.store.create('pods', pendingPod(name, cpu, labels) as KubeObject);
  }

  /** Makes pod `name` (namespace default) a StatefulSet `owner`'s pod whose volume `data` uses claim `claim`. */
  makeStatefulWithClaim(name: string, owner: string, claim: string): void {
    const stored = this.server.store.get('pods', 'default', name) as KubeObject & K8sPod;
    this.server.store.update('pods', {
      ...stored,
      metadata: {
        ...stored.metadata,
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'StatefulSet', name: owner, uid: `sts-${owner}`, controller: true },
        ],
      },
      spec: { ...stored.spec, volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }] },
    } as KubeObject);
  }

  /** The instance registers: its Node appears, Ready, with the labels the kubelet sets. */
  register(instance: LiveInstance, ready = true): string {
    const name = `ip-10-0-0-${Number.parseInt(instance.id.slice(2), 16)}.ec2.internal`;
    instance.state = 'running';
    this.server.store.create('nodes', registeredNode(name, instance, ready) as KubeObject);
    return name;
  }

  /** Binds a pod to a node, as the kube-scheduler would. */
  bind(pod: string, node: string): void {
    const stored = this.server.store.get('pods', 'default', pod) as KubeObject & K8sPod;
    const bound = {
      ...structuredClone(stored),
      spec: { ...stored.spec, containers: stored.spec?.containers ?? [], nodeName: node },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    };
    this.server.store.update('pods', bound as KubeObject, stored.metadata?.resourceVersion);
  }

  node(name: string): (KubeObject & K8sNode) | undefined {
    return this.server.store.get('nodes', undefined, name) as (KubeObject & K8sNode) | undefined;
  }

  /** The Lease's holder ('' when handed over). */
  leaseHolder(): string | undefined {
    const lease = this.server.store.get('leases', 'kube-system', 'fleetwright-my-cluster') as
      | (KubeObject & { spec?: { holderIdentity?: string } })
      | undefined;
    return lease?.spec?.holderIdentity;
  }

  /** Decision records of reconcile ticks logged so far. */
  decisions(spy: { mock: { calls: unknown[][] } }): Record<string, unknown>[] {
    return spy.mock.calls
      .filter(([message]) => message === 'reconcile tick')
      .map(([, extra]) => (extra as { decision: Record<string, unknown> }).decision);
  }
}

export function pendingPod(name: string, cpu: string, labels: Record<string, string>): K8sPod {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels },
    spec: {
      containers: [
        { name: 'app', image: 'registry.example.com/app:1', resources: { requests: { cpu, memory: '512Mi' } } },
      ],
    },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
  };
}

function registeredNode(name: string, instance: LiveInstance, ready: boolean): K8sNode {
  const big = instance.type.endsWith('xlarge');
  return {
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/arch': instance.type.startsWith('c6g') ? 'arm64' : 'amd64',
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': instance.type,
        'topology.kubernetes.io/zone': instance.zone,
        'karpenter.sh/capacity-type': instance.lifecycle,
        'karpenter.sh/nodepool': instance.tags['fleetwright.io/nodepool'] ?? '',
        'karpenter.k8s.aws/ec2nodeclass': instance.tags['fleetwright.io/nodeclass'] ?? '',
      },
    },
    spec: { providerID: `aws:///${instance.zone}/${instance.id}` },
    status: {
      capacity: { cpu: big ? '4' : '2', memory: big ? '16Gi' : '8Gi', pods: '29' },
      allocatable: { cpu: big ? '3920m' : '1930m', memory: big ? '14Gi' : '7Gi', pods: '29' },
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  };
}
