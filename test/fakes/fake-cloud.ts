// The CloudProvider port in memory: instances that launch, list, get named and terminate on an injected clock,
// an unavailable-offerings cache, capacity errors on demand, and a launch that never answers (an invocation killed
// right after EC2 started the instance).

import type { InstanceType } from '../../shared/core/model/instancetype.js';
import type {
  CloudInstance,
  CloudProvider,
  InstanceState,
  LaunchedInstance,
  LaunchRequest,
  OfferingKey,
  TerminateResult,
} from '../../shared/core/ports/cloud.js';
import type { Clock } from '../../shared/runtime/clock.js';

/** How long a capacity error keeps an offering out, as the EC2 adapter's cache. */
const UNAVAILABLE_TTL_MS = 3 * 60_000;

export interface FakeInstance {
  readonly instanceId: string;
  readonly instanceType: string;
  readonly zone: string;
  readonly capacityType: string;
  readonly nodePool: string;
  readonly nodeClass: string;
  readonly launchTime: number;
  /** Pods the launch was for (`namespace/name`). */
  readonly pods: readonly string[];
  state: InstanceState | 'terminated';
  /** Set by the test when the instance's Node appears. */
  registered: boolean;
  readonly tags: Record<string, string>;
}

export class FakeCloud implements CloudProvider {
  readonly instances = new Map<string, FakeInstance>();
  /** Offerings whose launches fail for capacity: `<capacityType>:<type>:<zone>`. */
  readonly noCapacity = new Set<string>();
  /** When set, the next launch starts the instance and never answers; `onHang` is told. */
  hangNextLaunch = false;
  onHang: (() => void) | undefined;
  /** Told about every launch before it starts an instance (tests check limits there). */
  onLaunch: ((request: LaunchRequest) => void) | undefined;
  private readonly unavailable = new Map<string, number>();
  private next = 1;

  constructor(
    private readonly types: readonly InstanceType[],
    private readonly clock: Clock,
  ) {}

  /** The AMIs every node class selects; tests change it to drift nodes. */
  currentImages: readonly string[] = [];

  async images(): Promise<readonly string[]> {
    return this.currentImages;
  }

  async instanceTypes(): Promise<readonly InstanceType[]> {
    const now = this.clock.now();
    return this.types.map((t) => ({
      ...t,
      offerings: t.offerings.map((o) => ({
        ...o,
        available:
          o.available && !this.isUnavailable({ instanceType: t.name, zone: o.zone, capacityType: o.capacityType }, now),
      })),
    }));
  }

  async launch(request: LaunchRequest): Promise<LaunchedInstance> {
    const { node } = request;
    const now = this.clock.now();
    const type = node.instanceTypeOptions.find((name) => {
      const key = { instanceType: name, zone: node.zone, capacityType: node.capacityType };
      return !this.isUnavailable(key, now) && !this.noCapacity.has(offeringKey(key));
    });
    if (type === undefined) {
      for (const name of node.instanceTypeOptions)
        this.markUnavailable({ instanceType: name, zone: node.zone, capacityType: node.capacityType });
      throw Object.assign(new Error(`no ${node.capacityType} capacity in ${node.zone}`), {
        name: 'LaunchError',
        reason: 'InsufficientCapacity',
      });
    }
    this.onLaunch?.(request);
    const instanceId = `i-${(this.next++).toString(16).padStart(8, '0')}`;
    const instance: FakeInstance = {
      instanceId,
      instanceType: type,
      zone: node.zone,
      capacityType: node.capacityType,
      nodePool: request.nodePool.name,
      nodeClass: request.nodeClass.name,
      launchTime: now,
      pods: node.pods,
      state: 'pending',
      registered: false,
      tags: {},
    };
    this.instances.set(instanceId, instance);
    if (this.hangNextLaunch) {
      this.hangNextLaunch = false;
      this.onHang?.();
      return new Promise<never>(() => {});
    }
    const price =
      this.types
        .find((t) => t.name === type)
        ?.offerings.find((o) => o.zone === node.zone && o.capacityType === node.capacityType)?.price ?? 0;
    return {
      instanceId,
      instanceType: type,
      zone: node.zone,
      capacityType: node.capacityType,
      providerID: providerIdOf(instance),
      imageId: 'ami-fake',
      hourlyPrice: price,
      launchTime: now,
    };
  }

  async list(): Promise<readonly CloudInstance[]> {
    return [...this.instances.values()].filter((i) => i.state !== 'terminated').map(toCloudInstance);
  }

  async terminate(instanceIds: readonly string[]): Promise<TerminateResult> {
    const terminating: string[] = [];
    const gone: string[] = [];
    for (const id of instanceIds) {
      const instance = this.instances.get(id);
      if (!instance || instance.state === 'terminated') gone.push(id);
      else {
        instance.state = 'terminated';
        terminating.push(id);
      }
    }
    return { terminating, gone, refused: [] };
  }

  async tagRegistered(instanceId: string, nodeName: string): Promise<void> {
    const instance = this.instances.get(instanceId);
    if (instance) instance.tags.Name = nodeName;
  }

  markUnavailable(offering: OfferingKey): void {
    this.unavailable.set(offeringKey(offering), this.clock.now() + UNAVAILABLE_TTL_MS);
  }

  async deleteUnusedLaunchTemplates(): Promise<number> {
    return 0;
  }

  live(): FakeInstance[] {
    return [...this.instances.values()].filter((i) => i.state === 'pending' || i.state === 'running');
  }

  private isUnavailable(offering: OfferingKey, now: number): boolean {
    return (this.unavailable.get(offeringKey(offering)) ?? 0) > now;
  }
}

export function providerIdOf(instance: Pick<FakeInstance, 'zone' | 'instanceId'>): string {
  return `aws:///${instance.zone}/${instance.instanceId}`;
}

function offeringKey(o: OfferingKey): string {
  return `${o.capacityType}:${o.instanceType}:${o.zone}`;
}

function toCloudInstance(i: FakeInstance): CloudInstance {
  return {
    instanceId: i.instanceId,
    providerID: providerIdOf(i),
    instanceType: i.instanceType,
    zone: i.zone,
    capacityType: i.capacityType,
    state: i.state as InstanceState,
    launchTime: i.launchTime,
    securityGroupIds: [],
    nodePool: i.nodePool,
    nodeClass: i.nodeClass,
    nodePoolHash: `hash-${i.nodePool}`,
    nodeClassHash: 'test',
    tags: { ...i.tags },
  };
}
