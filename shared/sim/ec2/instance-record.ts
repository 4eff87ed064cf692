// One simulated instance: the record the simulator keeps (mutable state, tags, what it launched from) and its
// DescribeInstances shape — `Instance` as the EC2 API returns it, with the fields the adapter reads (PrivateDnsName
// `ip-10-0-x-y.ec2.internal`, LaunchTime, Placement.AvailabilityZone, InstanceLifecycle `spot` for spot only,
// SubnetId, ImageId, Tags, State) and the ones a person reading a dump expects next to them.

import type { Instance, InstanceStateName, Tag } from '@aws-sdk/client-ec2';
import type { SimZone } from './market.js';

export type SimInstanceState = InstanceStateName;

/** EC2's numeric state codes (the low byte of `State.Code`). */
const STATE_CODES: Readonly<Record<SimInstanceState, number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

/** EC2's numeric code of a state name. */
export function stateCode(state: SimInstanceState): number {
  return STATE_CODES[state];
}

export interface StateReason {
  readonly code: string;
  readonly message: string;
}

/** Why an instance went away, in EC2's own words. */
export const USER_TERMINATION: StateReason = {
  code: 'Client.UserInitiatedShutdown',
  message: 'Client.UserInitiatedShutdown: User initiated shutdown',
};
export const SPOT_TERMINATION: StateReason = {
  code: 'Server.SpotInstanceTermination',
  message: 'Server.SpotInstanceTermination: Spot instance termination',
};

export interface SimInstance {
  readonly id: string;
  readonly instanceType: string;
  readonly zone: SimZone;
  readonly subnetId: string;
  readonly vpcId: string;
  readonly imageId: string;
  readonly architecture: 'x86_64' | 'arm64';
  readonly capacityType: 'spot' | 'on-demand';
  /** $/h of the offering at launch: what the run's cost is computed from. */
  readonly price: number;
  readonly launchTime: number;
  readonly privateIp: string;
  readonly reservationId: string;
  readonly clientToken?: string;
  readonly launchTemplate: { readonly id: string; readonly name: string; readonly version: string };
  /** Base64 user data of the launch template: what a simulated kubelet reads its labels and taints from. */
  readonly userData?: string;
  readonly securityGroups: readonly { readonly id: string; readonly name: string }[];
  readonly instanceProfile?: string;
  readonly volumeId: string;
  readonly eniId: string;
  readonly spotRequestId?: string;
  readonly vcpu: number;
  readonly threadsPerCore: number;
  readonly metadataOptions?: { readonly httpTokens?: string; readonly hopLimit?: number };
  state: SimInstanceState;
  stateChangedAt: number;
  terminatedAt?: number;
  stateReason?: StateReason;
  /** Insertion-ordered, as EC2 lists tags in the order they were set. */
  readonly tags: Map<string, string>;
  readonly volumeTags: Map<string, string>;
}

export function toTagList(tags: ReadonlyMap<string, string>): Tag[] {
  return [...tags].map(([Key, Value]) => ({ Key, Value }));
}

export function privateDnsName(ip: string): string {
  return `ip-${ip.replaceAll('.', '-')}.ec2.internal`;
}

function utc(at: number): string {
  return new Date(at)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' GMT');
}

/** EC2's launch time has whole seconds. */
function seconds(at: number): Date {
  return new Date(Math.floor(at / 1000) * 1000);
}

/** Address, subnet, root volume and interface: a terminated instance has given them all back. */
function attachments(i: SimInstance, account: string): Partial<Instance> {
  if (i.state === 'terminated') return { PrivateDnsName: '', BlockDeviceMappings: [], NetworkInterfaces: [] };
  const dns = privateDnsName(i.privateIp);
  const attachedAt = seconds(i.launchTime);
  return {
    PrivateDnsName: dns,
    PrivateIpAddress: i.privateIp,
    SubnetId: i.subnetId,
    VpcId: i.vpcId,
    BlockDeviceMappings: [
      {
        DeviceName: '/dev/xvda',
        Ebs: { AttachTime: attachedAt, DeleteOnTermination: true, Status: 'attached', VolumeId: i.volumeId },
      },
    ],
    NetworkInterfaces: [
      {
        Attachment: { AttachTime: attachedAt, DeviceIndex: 0, Status: 'attached', NetworkCardIndex: 0 },
        Groups: groupsOf(i),
        MacAddress: `02:${i.eniId.slice(4, 14).match(/../g)?.join(':')}`,
        NetworkInterfaceId: i.eniId,
        OwnerId: account,
        PrivateDnsName: dns,
        PrivateIpAddress: i.privateIp,
        PrivateIpAddresses: [{ Primary: true, PrivateDnsName: dns, PrivateIpAddress: i.privateIp }],
        SourceDestCheck: true,
        Status: 'in-use',
        SubnetId: i.subnetId,
        VpcId: i.vpcId,
        InterfaceType: 'interface',
      },
    ],
  };
}

function groupsOf(i: SimInstance) {
  return i.securityGroups.map((g) => ({ GroupId: g.id, GroupName: g.name }));
}

/** State, why it changed, and the spot marker: `InstanceLifecycle` is set for spot only (absent means on-demand). */
function lifecycle(i: SimInstance): Partial<Instance> {
  const leaving = i.state === 'shutting-down' || i.state === 'terminated';
  const initiator = i.stateReason === undefined || i.stateReason === USER_TERMINATION ? 'User' : 'Service';
  return {
    State: { Code: STATE_CODES[i.state], Name: i.state },
    StateTransitionReason: leaving ? `${initiator} initiated (${utc(i.stateChangedAt)})` : '',
    ...(i.stateReason ? { StateReason: { Code: i.stateReason.code, Message: i.stateReason.message } } : {}),
    ...(i.capacityType === 'spot' ? { InstanceLifecycle: 'spot', SpotInstanceRequestId: i.spotRequestId } : {}),
  };
}

/** CPU, IMDS and the other settings EC2 reports for every instance. */
function settings(i: SimInstance, account: string): Partial<Instance> {
  return {
    CpuOptions: { CoreCount: i.vcpu / i.threadsPerCore, ThreadsPerCore: i.threadsPerCore },
    ...(i.instanceProfile
      ? {
          IamInstanceProfile: {
            Arn: `arn:aws:iam::${account}:instance-profile/${i.instanceProfile}`,
            Id: `AIPA${i.id.slice(2, 19).toUpperCase()}`,
          },
        }
      : {}),
    MetadataOptions: {
      State: i.state === 'pending' ? 'pending' : 'applied',
      HttpTokens: (i.metadataOptions?.httpTokens ?? 'required') as 'required',
      HttpPutResponseHopLimit: i.metadataOptions?.hopLimit ?? 1,
      HttpEndpoint: 'enabled',
      HttpProtocolIpv6: 'disabled',
      InstanceMetadataTags: 'disabled',
    },
    CapacityReservationSpecification: { CapacityReservationPreference: 'open' },
    HibernationOptions: { Configured: false },
    EnclaveOptions: { Enabled: false },
    MaintenanceOptions: { AutoRecovery: 'default' },
    PrivateDnsNameOptions: {
      HostnameType: 'ip-name',
      EnableResourceNameDnsARecord: false,
      EnableResourceNameDnsAAAARecord: false,
    },
    CurrentInstanceBootMode: i.architecture === 'arm64' ? 'uefi' : 'legacy-bios',
  };
}

/** The instance as DescribeInstances returns it. */
export function toSdkInstance(i: SimInstance, account: string): Instance {
  return {
    AmiLaunchIndex: 0,
    ImageId: i.imageId,
    InstanceId: i.id,
    InstanceType: i.instanceType as Instance['InstanceType'],
    LaunchTime: seconds(i.launchTime),
    Monitoring: { State: 'disabled' },
    Placement: { AvailabilityZone: i.zone.name, AvailabilityZoneId: i.zone.id, GroupName: '', Tenancy: 'default' },
    ProductCodes: [],
    PublicDnsName: '',
    ...lifecycle(i),
    ...attachments(i, account),
    Architecture: i.architecture,
    ...(i.clientToken ? { ClientToken: i.clientToken } : {}),
    EbsOptimized: true,
    EnaSupport: true,
    // EC2 reports "xen" for Nitro instances too.
    Hypervisor: 'xen',
    RootDeviceName: '/dev/xvda',
    RootDeviceType: 'ebs',
    SecurityGroups: groupsOf(i),
    SourceDestCheck: true,
    Tags: toTagList(i.tags),
    VirtualizationType: 'hvm',
    ...settings(i, account),
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    UsageOperationUpdateTime: seconds(i.launchTime),
  };
}
