// The cloud side of a decision pass (DESIGN.md §1–2): what the core and the handlers need from the cloud,
// and nothing else. The AWS implementation is `shared/adapters/aws/ec2/cloud-provider.ts`; the simulator runs
// that same implementation over a simulated EC2, and test fakes implement this interface directly.
//
// Pure types: no I/O and no clock here. Every method may reject with the implementation's errors; `launch`
// rejects with an error whose `name` is `LaunchError` and whose `reason` is a `LaunchFailureReason`.

import type { InstanceType } from '../model/instancetype.js';
import type { NodeClass, NodePool } from '../model/nodepool.js';
import type { PlannedNode } from '../model/plan.js';

/** One (instance type, zone, capacity type) the cloud sells: the unit capacity errors are recorded against. */
export interface OfferingKey {
  readonly instanceType: string;
  readonly zone: string;
  readonly capacityType: string;
}

/** What to launch: one planned node of a pool, under its node class. */
export interface LaunchRequest {
  /** The plan's node: its instance-type options (cheapest first), capacity type, labels and taints. */
  readonly node: PlannedNode;
  readonly nodePool: NodePool;
  readonly nodeClass: NodeClass;
  /**
   * Zones the node may land in (the claim's zone requirement). Omitted: the planned node's `zone` only,
   * because the plan may have chosen that zone for a topology constraint this request cannot see.
   */
  readonly zones?: readonly string[];
}

/** An instance the cloud started for a launch request. */
export interface LaunchedInstance {
  readonly instanceId: string;
  readonly instanceType: string;
  readonly zone: string;
  readonly capacityType: string;
  /** `aws:///<zone>/<instance-id>`: the Node's `spec.providerID` once it registers. */
  readonly providerID: string;
  readonly imageId: string;
  /** $/h of the offering it launched in (0 when the price is unknown). */
  readonly hourlyPrice: number;
  /** Epoch milliseconds. */
  readonly launchTime: number;
}

export type InstanceState = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down';

/** An instance of ours as the cloud reports it: in-flight capacity, garbage-collection and drift inputs. */
export interface CloudInstance {
  readonly instanceId: string;
  readonly providerID: string;
  readonly instanceType: string;
  readonly zone: string;
  readonly capacityType: string;
  readonly state: InstanceState;
  /** Epoch milliseconds. */
  readonly launchTime: number;
  readonly imageId?: string;
  readonly subnetId?: string;
  readonly securityGroupIds: readonly string[];
  readonly nodePool?: string;
  readonly nodeClass?: string;
  /** The `fleetwright.io/nodepool-hash` tag: compared with the pool's `templateHash` for drift. */
  readonly nodePoolHash?: string;
  /** The `fleetwright.io/nodeclass-hash` tag: compared with the node class's `specHash` for drift. */
  readonly nodeClassHash?: string;
  /** Every tag on the instance. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface TerminateResult {
  /** Termination requested (or already under way). */
  readonly terminating: readonly string[];
  /** Already terminated or unknown to the cloud: nothing to do. */
  readonly gone: readonly string[];
  /** Not ours: left alone. */
  readonly refused: readonly { readonly instanceId: string; readonly reason: string }[];
}

/** Why a launch failed; `InsufficientCapacity` tells the caller to re-plan (the offerings are now unavailable). */
export type LaunchFailureReason =
  | 'InsufficientCapacity'
  | 'FleetQuotaExceeded'
  | 'SpotQuotaExceeded'
  | 'VCPULimitExceeded'
  | 'InsufficientFreeAddressesInSubnet'
  | 'SpotServiceLinkedRoleMissing'
  | 'Unauthorized'
  | 'AMINotFound'
  | 'InvalidAMIID'
  | 'LaunchTemplateNotFound'
  | 'RequestLimitExceeded'
  | 'InternalError'
  | 'AccountPendingVerification'
  | 'UserDataSizeLimitExceeded'
  | 'NoLaunchableOffering'
  | 'LaunchFailed';

export interface CloudProvider {
  /**
   * The instance types a node class can launch, with offerings priced and marked available only where the
   * type is sold, the class has a subnet, no recent capacity error was seen and a price is known. Cached;
   * safe to call every tick.
   */
  instanceTypes(nodeClass: NodeClass): Promise<readonly InstanceType[]>;

  /**
   * The image ids the node class selects now (its selector terms or alias resolved, e.g. the newest
   * `al2023@latest` per architecture). Cached like the types; the input of AMI drift.
   */
  images(nodeClass: NodeClass): Promise<readonly string[]>;

  /**
   * Starts one instance for a planned node, trying its options in one request and, after capacity errors, the
   * options that remain. Records capacity errors so `instanceTypes` reports those offerings unavailable.
   * Rejects with a `LaunchError` when nothing started.
   */
  launch(request: LaunchRequest): Promise<LaunchedInstance>;

  /**
   * Every live instance of this cluster (pending through shutting-down), including ones launched moments ago
   * that the cloud's listing does not show yet: the in-flight capacity of DESIGN.md §2.
   */
  list(): Promise<readonly CloudInstance[]>;

  /** Terminates the given instances that are ours; refuses any other, and treats unknown ones as gone. */
  terminate(instanceIds: readonly string[]): Promise<TerminateResult>;

  /** Names a registered instance after its node (the `Name` tag, set only after registration). */
  tagRegistered(instanceId: string, nodeName: string): Promise<void>;

  /**
   * Marks an offering unavailable for the capacity-error TTL: a spot interruption warning, or an instance that
   * never registered.
   */
  markUnavailable(offering: OfferingKey): void;

  /** Deletes launch templates of this cluster that no launch has used recently; returns how many. */
  deleteUnusedLaunchTemplates(): Promise<number>;
}
