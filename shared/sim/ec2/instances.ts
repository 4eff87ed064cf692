// The instances of the simulated account and their lifecycle on the virtual clock: pending -> running after
// `bootMs`; TerminateInstances (or a spot interruption) -> shutting-down, then terminated after `shutdownMs`,
// when the address goes back to the subnet. Terminated instances stay listed for an hour, as in EC2.
// DescribeInstances may lag fresh launches by `describeLagMs` (EC2 is eventually consistent; the adapter keeps
// recent launches in memory for exactly this). Every state change is told to the listeners: the state-change
// notifications and the simulated kubelets hang off them.

import type {
  DescribeInstancesCommandInput,
  DescribeInstancesResult,
  Instance,
  InstanceStateChange,
  Reservation,
  TerminateInstancesCommandInput,
  TerminateInstancesResult,
} from '@aws-sdk/client-ec2';
import type { SimClock } from '../clock.js';
import {
  privateDnsName,
  type SimInstance,
  type SimInstanceState,
  type StateReason,
  stateCode,
  toSdkInstance,
  USER_TERMINATION,
} from './instance-record.js';
import type { SimNetwork } from './network.js';
import { applyFilters, type FilterFields, paginate, QueryError } from './query.js';

export interface InstanceTiming {
  /** pending -> running. EC2 takes 10–30 s; default 20 s. */
  readonly bootMs: number;
  /** shutting-down -> terminated. Default 30 s. */
  readonly shutdownMs: number;
  /** How long a new instance is missing from DescribeInstances. Default 0. */
  readonly describeLagMs: number;
}

export const DEFAULT_INSTANCE_TIMING: InstanceTiming = { bootMs: 20_000, shutdownMs: 30_000, describeLagMs: 0 };

/** EC2 keeps terminated instances visible for about an hour. */
const TERMINATED_VISIBLE_MS = 60 * 60_000;
/** Old (8-digit) and current (17-digit) instance ids; anything else is malformed. */
const ID_PATTERN = /^i-[0-9a-f]{8,17}$/;

export type StateListener = (instance: Readonly<SimInstance>, previous: SimInstanceState | undefined) => void;

const FILTERS: FilterFields<Instance> = {
  'instance-id': (i) => [i.InstanceId],
  'instance-state-name': (i) => [i.State?.Name],
  'instance-state-code': (i) => [String(i.State?.Code)],
  'instance-type': (i) => [i.InstanceType],
  'availability-zone': (i) => [i.Placement?.AvailabilityZone],
  'subnet-id': (i) => [i.SubnetId],
  'vpc-id': (i) => [i.VpcId],
  'image-id': (i) => [i.ImageId],
  'instance-lifecycle': (i) => [i.InstanceLifecycle],
  'private-dns-name': (i) => [i.PrivateDnsName],
  'private-ip-address': (i) => [i.PrivateIpAddress],
  'client-token': (i) => [i.ClientToken],
};

export class SimInstances {
  private readonly instances = new Map<string, SimInstance>();
  private readonly listeners: StateListener[] = [];

  constructor(
    private readonly clock: SimClock,
    private readonly network: SimNetwork,
    private readonly account: string,
    private readonly timing: InstanceTiming,
  ) {}

  onStateChange(listener: StateListener): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  get(id: string): SimInstance | undefined {
    return this.instances.get(id);
  }

  all(): SimInstance[] {
    return [...this.instances.values()];
  }

  /** Adds a launched instance (pending) and schedules its boot. */
  add(instance: SimInstance): void {
    this.instances.set(instance.id, instance);
    this.notify(instance, undefined);
    this.clock.setTimer(this.timing.bootMs, () => {
      if (instance.state === 'pending') this.transition(instance, 'running');
    });
  }

  private transition(instance: SimInstance, state: SimInstanceState, reason?: StateReason): void {
    const previous = instance.state;
    instance.state = state;
    instance.stateChangedAt = this.clock.now();
    if (reason) instance.stateReason = reason;
    if (state === 'terminated') {
      instance.terminatedAt = this.clock.now();
      this.network.releaseIp(instance.subnetId, instance.privateIp);
    }
    this.notify(instance, previous);
  }

  private notify(instance: SimInstance, previous: SimInstanceState | undefined): void {
    for (const listener of [...this.listeners]) listener(instance, previous);
  }

  /** Starts shutting an instance down; returns the change as TerminateInstances reports it. */
  shutDown(instance: SimInstance, reason: StateReason = USER_TERMINATION): InstanceStateChange {
    const previous = { Code: stateCode(instance.state), Name: instance.state };
    if (instance.state !== 'shutting-down' && instance.state !== 'terminated') {
      this.transition(instance, 'shutting-down', reason);
      this.clock.setTimer(this.timing.shutdownMs, () => this.transition(instance, 'terminated'));
    }
    return {
      InstanceId: instance.id,
      PreviousState: previous,
      CurrentState: { Code: stateCode(instance.state), Name: instance.state },
    };
  }

  private checkIds(ids: readonly string[], visible: (i: SimInstance) => boolean): void {
    const malformed = ids.find((id) => !ID_PATTERN.test(id));
    if (malformed) throw new QueryError('InvalidInstanceID.Malformed', `Invalid id: "${malformed}"`);
    const missing = ids.filter((id) => {
      const instance = this.instances.get(id);
      return instance === undefined || !visible(instance);
    });
    if (missing.length === 1) {
      throw new QueryError('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
    }
    if (missing.length > 1) {
      throw new QueryError('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
    }
  }

  terminate(input: TerminateInstancesCommandInput): TerminateInstancesResult {
    const ids = input.InstanceIds ?? [];
    if (ids.length === 0) throw new QueryError('MissingParameter', 'The request must contain the parameter InstanceId');
    this.purge();
    this.checkIds(ids, () => true);
    return {
      TerminatingInstances: [...new Set(ids)].map((id) => this.shutDown(this.instances.get(id) as SimInstance)),
    };
  }

  /** Drops instances terminated over an hour ago: EC2 stops listing them. */
  private purge(): void {
    const now = this.clock.now();
    for (const [id, i] of this.instances) {
      if (i.terminatedAt !== undefined && now - i.terminatedAt >= TERMINATED_VISIBLE_MS) this.instances.delete(id);
    }
  }

  describe(input: DescribeInstancesCommandInput): DescribeInstancesResult {
    const ids = input.InstanceIds ?? [];
    if (ids.length > 0 && input.MaxResults !== undefined) {
      throw new QueryError(
        'InvalidParameterCombination',
        'The parameter instancesSet cannot be used with the parameter maxResults',
      );
    }
    this.purge();
    const now = this.clock.now();
    const visible = (i: SimInstance) => now - i.launchTime >= this.timing.describeLagMs;
    this.checkIds(ids, visible);
    const listed = this.all()
      .filter((i) => visible(i) && (ids.length === 0 || ids.includes(i.id)))
      .map((i) => toSdkInstance(i, this.account));
    const matched = applyFilters(listed, input.Filters, FILTERS, (i) => i.Tags);
    const page = paginate(matched, input, { operation: 'DescribeInstances', min: 5, max: 1000 });
    return { Reservations: this.reservations(page.items), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  }

  /** Instances grouped by the reservation (one per CreateFleet call) they were launched in, order kept. */
  private reservations(instances: readonly Instance[]): Reservation[] {
    const byId = new Map<string, Reservation>();
    for (const instance of instances) {
      const id = this.instances.get(instance.InstanceId as string)?.reservationId as string;
      let reservation = byId.get(id);
      if (reservation === undefined) {
        reservation = { ReservationId: id, OwnerId: this.account, Groups: [], Instances: [] };
        byId.set(id, reservation);
      }
      reservation.Instances?.push(instance);
    }
    return [...byId.values()];
  }

  /** The instance whose private DNS name is `name` (what a kubelet registers as). */
  byPrivateDnsName(name: string): SimInstance | undefined {
    return this.all().find((i) => privateDnsName(i.privateIp) === name);
  }
}
