// A property over random interleavings (issue 13): pods arriving, reconcile runs (alone, two at once, or killed
// right after a launch), instances registering, nodes deleted with kubectl, spot interruptions through the
// interruption handler, instances reclaimed by EC2, and time passing. Whatever the order, no launch takes a pool
// past its limit (counting its live instances but those of nodes being drained, as Karpenter does), and nothing is launched
// twice: no instance in flight is superfluous — the others would hold every pod waiting for capacity. (Which pod
// goes to which in-flight node may change between plans, as in Karpenter; only capacity counts.) Every pod asks
// for 1 CPU and every node has whole CPUs, so comparing sums is exact. Runs on in-memory fakes of the ports.

import { Logger } from '@aws-lambda-powertools/logger';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createInterruptionHandler } from '../../functions/interruption/handler.js';
import { createReconcileHandler } from '../../functions/reconcile/handler.js';
import {
  LABEL_CAPACITY_TYPE,
  LABEL_HOSTNAME,
  LABEL_INSTANCE_TYPE,
  LABEL_NODECLASS,
  LABEL_NODEPOOL,
  LABEL_ZONE,
  TAINT_DISRUPTED,
} from '../../shared/core/labels.js';
import { podKey } from '../../shared/core/model/pod.js';
import type { LambdaContextLike } from '../../shared/runtime/clock.js';
import { FakeCloud, type FakeInstance, providerIdOf } from '../fakes/fake-cloud.js';
import { deleteNode, FakeCluster, FakeClusterState } from '../fakes/fake-cluster.js';
import { RecordingMetrics } from '../fakes/recording-metrics.js';
import { StaticConfig } from '../fakes/static-config.js';
import { VirtualClock } from '../fakes/virtual-clock.js';
import { instanceType, node, nodePool, pod } from '../fixtures/builders.js';
import { nodeClass } from '../fixtures/instance-types.js';

const LIMIT = 3;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const TYPES = [
  instanceType('fake-it-2', { cpu: '2', memory: '8Gi', price: 0.05 }),
  instanceType('fake-it-4', { cpu: '4', memory: '16Gi', price: 0.1 }),
];

type Op =
  | { readonly kind: 'pods'; readonly count: number }
  | { readonly kind: 'reconcile' | 'concurrent' | 'crash' }
  | { readonly kind: 'register' | 'delete-node' | 'interrupt' | 'reclaim'; readonly pick: number }
  | { readonly kind: 'wait'; readonly ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('pods' as const), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 4, arbitrary: fc.constantFrom<Op>({ kind: 'reconcile' }, { kind: 'concurrent' }, { kind: 'crash' }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constantFrom('register' as const, 'delete-node' as const, 'interrupt' as const, 'reclaim' as const),
      pick: fc.nat(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1_000, max: 20 * 60_000 }) }),
  },
);

class Scenario {
  readonly clock = new VirtualClock(T0);
  readonly cloud = new FakeCloud(TYPES, this.clock);
  readonly cluster = new FakeClusterState();
  readonly config = StaticConfig.of([nodePool('web', { limits: { nodes: LIMIT } })], [nodeClass()]);
  readonly logger = new Logger({ serviceName: 'property', logLevel: 'SILENT' });
  /** Launches that took the pool past its limit. */
  readonly overLimit: string[] = [];
  private invocations = 0;
  private pods = 0;

  constructor() {
    this.cloud.onLaunch = (request) => {
      const count = this.counted();
      if (count + 1 > LIMIT)
        this.overLimit.push(`a launch for ${request.node.pods.join(', ')} with ${count} nodes counted`);
    };
  }

  context(timeoutMs: number): LambdaContextLike {
    const deadline = this.clock.now() + timeoutMs;
    return {
      awsRequestId: `request-${++this.invocations}`,
      getRemainingTimeInMillis: () => deadline - this.clock.now(),
    };
  }

  reconcile(): Promise<unknown> {
    const handler = createReconcileHandler({
      clusterName: 'demo',
      cluster: (identity) => {
        const ports = new FakeCluster(this.cluster, identity, this.clock);
        return { reader: ports, writer: ports };
      },
      cloud: this.cloud,
      config: this.config,
      clock: this.clock,
      logger: this.logger,
      metrics: new RecordingMetrics(),
      options: { responsiveness: 'economy' },
    });
    return this.clock.run(handler({}, this.context(90_000)));
  }

  async apply(o: Op): Promise<void> {
    switch (o.kind) {
      case 'pods':
        for (let i = 0; i < o.count; i++)
          this.cluster.putPod(pod({ name: `p${++this.pods}`, cpu: '1', unschedulable: true }));
        return;
      case 'reconcile':
        await this.reconcile();
        return;
      case 'concurrent':
        await Promise.all([this.reconcile(), this.reconcile()]);
        return;
      case 'crash':
        return this.crash();
      case 'wait':
        await this.clock.advance(o.ms);
        return;
      default:
        return this.instanceOp(o.kind, o.pick);
    }
  }

  /** A reconcile killed right after its first launch (if it launches at all); its Lease is left to expire. */
  private async crash(): Promise<void> {
    let hung!: () => void;
    const hang = new Promise<'hung'>((resolve) => (hung = () => resolve('hung')));
    this.cloud.hangNextLaunch = true;
    this.cloud.onHang = hung;
    const outcome = await Promise.race([this.reconcile(), hang]);
    this.cloud.hangNextLaunch = false;
    if (outcome === 'hung') this.clock.abandon();
  }

  private async instanceOp(kind: 'register' | 'delete-node' | 'interrupt' | 'reclaim', pick: number): Promise<void> {
    const live = this.cloud.live();
    const candidates = kind === 'register' ? live.filter((i) => !i.registered) : live.filter((i) => i.registered);
    const instance = candidates[pick % Math.max(1, candidates.length)];
    if (!instance) return;
    const nodeName = `node-${instance.instanceId}`;
    if (kind === 'register') return this.register(instance, nodeName);
    if (kind === 'delete-node') return deleteNode(this.cluster, nodeName);
    if (kind === 'reclaim') {
      instance.state = 'terminated';
      const n = this.cluster.nodes.get(nodeName);
      if (n) this.cluster.putNode({ ...n, ready: false });
      return;
    }
    const handler = createInterruptionHandler({
      clusterName: 'demo',
      cluster: (identity) => {
        const ports = new FakeCluster(this.cluster, identity, this.clock);
        return { listNodes: async () => [...this.cluster.nodes.values()], reader: ports, writer: ports };
      },
      cloud: this.cloud,
      config: this.config,
      clock: this.clock,
      logger: this.logger,
      metrics: new RecordingMetrics(),
    });
    const detail = { 'instance-id': instance.instanceId, 'instance-action': 'terminate' };
    const body = JSON.stringify({
      version: '0',
      id: `e-${instance.instanceId}`,
      'detail-type': 'EC2 Spot Instance Interruption Warning',
      source: 'aws.ec2',
      account: '123456789012',
      time: new Date(this.clock.now()).toISOString(),
      region: 'us-east-1',
      resources: [],
      detail,
    });
    await this.clock.run(handler({ Records: [{ messageId: `m-${instance.instanceId}`, body }] }, this.context(15_000)));
  }

  /** The instance's Node appears Ready; the pods it was launched for, if still pending, bind to it. */
  private register(instance: FakeInstance, name: string): void {
    instance.registered = true;
    instance.state = 'running';
    const type = TYPES.find((t) => t.name === instance.instanceType);
    this.cluster.putNode(
      node(name, {
        cpu: type?.allocatable.cpu ? `${type.allocatable.cpu}m` : '2',
        providerID: providerIdOf(instance),
        creationTimestamp: this.clock.now(),
        labels: {
          [LABEL_HOSTNAME]: name,
          [LABEL_INSTANCE_TYPE]: instance.instanceType,
          [LABEL_ZONE]: instance.zone,
          [LABEL_CAPACITY_TYPE]: instance.capacityType,
          [LABEL_NODEPOOL]: instance.nodePool,
          [LABEL_NODECLASS]: instance.nodeClass,
        },
      }),
    );
    for (const p of [...this.cluster.pods.values()]) {
      if (!p.nodeName && instance.pods.includes(podKey(p)))
        this.cluster.putPod({ ...p, nodeName: name, phase: 'Running', unschedulable: false });
    }
  }

  /** In-flight instances the others make unnecessary: each one is a launch made twice. */
  superfluous(): string[] {
    const cpu = (type: string) => (TYPES.find((t) => t.name === type)?.allocatable.cpu ?? 0) / 1000;
    const nodes = [...this.cluster.nodes.values()];
    const draining = new Set(nodes.filter((n) => n.taints.some((t) => t.key === TAINT_DISRUPTED)).map((n) => n.name));
    const pods = [...this.cluster.pods.values()];
    const pending = pods.filter((p) => !p.nodeName).length;
    const moving = pods.filter((p) => p.nodeName && draining.has(p.nodeName)).length;
    const room = nodes
      .filter((n) => n.ready && !draining.has(n.name))
      .reduce((sum, n) => sum + (n.allocatable.cpu ?? 0) / 1000 - pods.filter((p) => p.nodeName === n.name).length, 0);
    const demand = Math.max(0, pending + moving - room);
    const inFlight = this.cloud.live().filter((i) => !i.registered);
    const total = inFlight.reduce((sum, i) => sum + cpu(i.instanceType), 0);
    return inFlight
      .filter((i) => total - cpu(i.instanceType) >= demand)
      .map((i) => `${i.instanceId} (${total} CPU in flight for ${demand})`);
  }

  /** Live instances of the pool that count against its limit: those whose node is not being drained. */
  counted(): number {
    const draining = new Set(
      [...this.cluster.nodes.values()]
        .filter((n) => n.taints.some((t) => t.key === TAINT_DISRUPTED))
        .map((n) => n.providerID),
    );
    return this.cloud.live().filter((i) => !draining.has(providerIdOf(i))).length;
  }
}

describe('random interleavings of launches, registrations, deletions and interruptions', () => {
  it('never exceed a pool limit and never launch twice for the same pods', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 6, maxLength: 24, size: 'max' }), async (ops) => {
        const s = new Scenario();
        for (const o of ops) {
          await s.apply(o);
          expect(s.superfluous()).toEqual([]);
          expect(s.overLimit).toEqual([]);
        }
      }),
      { numRuns: 100 },
    );
  });
});
