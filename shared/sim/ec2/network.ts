// The simulated account's VPC, laid out as an EKS getting-started guide leaves it: one private /19 subnet per
// zone and the cluster security group, all tagged `karpenter.sh/discovery=<cluster>` (what the default
// EC2NodeClass selects), plus the VPC's untagged default group so selectors are really exercised.
//
// Each launched instance takes one address from its subnet, released when it terminates, so
// AvailableIpAddressCount falls as the cluster grows; `availableIps` shrinks a subnet to exhaust it on purpose
// (InsufficientFreeAddressesInSubnet). One address per instance, not the VPC CNI's warm pool: the adapter only
// compares subnets, and the CNI's pod addresses are outside what fleetwright decides.

import type {
  DescribeSecurityGroupsCommandInput,
  DescribeSecurityGroupsResult,
  DescribeSubnetsCommandInput,
  DescribeSubnetsResult,
  SecurityGroup,
  Subnet,
  Tag,
} from '@aws-sdk/client-ec2';
import type { SimIds } from './ids.js';
import type { SimZone } from './market.js';
import { applyFilters, type FilterFields, paginate, QueryError } from './query.js';

/** Addresses AWS keeps in every subnet: the network, router, DNS and reserved ones, and the broadcast address. */
const RESERVED_LOW = 4;
const RESERVED_HIGH = 1;
/** /19 per zone: 8192 addresses, room for thousands of nodes. */
const SUBNET_BITS = 13;

export interface SimSubnetRecord {
  readonly id: string;
  readonly zone: SimZone;
  /** Third octet of the first address: subnets are /19s inside 10.0.0.0/16. */
  readonly base: number;
  /** Usable addresses. */
  readonly capacity: number;
  readonly used: Set<number>;
  readonly tags: Tag[];
}

export interface SimNetworkOptions {
  readonly cluster: string;
  readonly account: string;
  readonly region: string;
  readonly zones: readonly SimZone[];
  readonly ids: SimIds;
  /** Usable addresses per subnet; default the whole /19. */
  readonly availableIps?: number;
}

const SUBNET_FILTERS: FilterFields<Subnet> = {
  'subnet-id': (s) => [s.SubnetId],
  'vpc-id': (s) => [s.VpcId],
  'availability-zone': (s) => [s.AvailabilityZone],
  'availability-zone-id': (s) => [s.AvailabilityZoneId],
  'cidr-block': (s) => [s.CidrBlock],
  state: (s) => [s.State],
  'default-for-az': (s) => [String(s.DefaultForAz)],
  'owner-id': (s) => [s.OwnerId],
};

const GROUP_FILTERS: FilterFields<SecurityGroup> = {
  'group-id': (g) => [g.GroupId],
  'group-name': (g) => [g.GroupName],
  'vpc-id': (g) => [g.VpcId],
  description: (g) => [g.Description],
  'owner-id': (g) => [g.OwnerId],
};

export class SimNetwork {
  readonly vpcId: string;
  private readonly subnets: SimSubnetRecord[] = [];
  private readonly groups: SecurityGroup[];

  constructor(private readonly options: SimNetworkOptions) {
    const { cluster, ids } = options;
    this.vpcId = ids.ec2('vpc');
    const discovery = { Key: 'karpenter.sh/discovery', Value: cluster };
    for (const zone of options.zones) {
      this.addSubnet(zone, [
        discovery,
        { Key: 'Name', Value: `${cluster}-private-${zone.name}` },
        { Key: 'kubernetes.io/role/internal-elb', Value: '1' },
      ]);
    }
    const groupTags = [
      discovery,
      { Key: `kubernetes.io/cluster/${cluster}`, Value: 'owned' },
      { Key: 'aws:eks:cluster-name', Value: cluster },
      { Key: 'Name', Value: `eks-cluster-sg-${cluster}` },
    ];
    this.groups = [
      this.group(`eks-cluster-sg-${cluster}-${ids.hex('sg-name', 10)}`, 'EKS created security group', groupTags),
      this.group('default', 'default VPC security group', []),
    ];
  }

  /** Adds a subnet in `zone` (tests add a second one to a zone); returns its id. */
  addSubnet(zone: SimZone, tags: Tag[], availableIps = this.options.availableIps): string {
    const full = 2 ** SUBNET_BITS - RESERVED_LOW - RESERVED_HIGH;
    const record: SimSubnetRecord = {
      id: this.options.ids.ec2('subnet'),
      zone,
      base: this.subnets.length * 2 ** (SUBNET_BITS - 8),
      capacity: Math.min(full, availableIps ?? full),
      used: new Set(),
      tags: structuredClone(tags),
    };
    this.subnets.push(record);
    return record.id;
  }

  private group(name: string, description: string, tags: Tag[]): SecurityGroup {
    const id = this.options.ids.ec2('sg');
    return {
      GroupId: id,
      GroupName: name,
      Description: description,
      VpcId: this.vpcId,
      OwnerId: this.options.account,
      SecurityGroupArn: `arn:aws:ec2:${this.options.region}:${this.options.account}:security-group/${id}`,
      IpPermissions: [],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], UserIdGroupPairs: [] }],
      Tags: tags,
    };
  }

  subnet(id: string): SimSubnetRecord | undefined {
    return this.subnets.find((s) => s.id === id);
  }

  securityGroup(id: string): SecurityGroup | undefined {
    return this.groups.find((g) => g.GroupId === id);
  }

  /** The lowest free address of the subnet, taken; undefined when the subnet is full. */
  allocateIp(subnetId: string): string | undefined {
    const subnet = this.subnet(subnetId);
    if (subnet === undefined) return undefined;
    for (let offset = RESERVED_LOW; offset < RESERVED_LOW + subnet.capacity; offset++) {
      if (subnet.used.has(offset)) continue;
      subnet.used.add(offset);
      return `10.0.${subnet.base + Math.floor(offset / 256)}.${offset % 256}`;
    }
    return undefined;
  }

  releaseIp(subnetId: string, ip: string): void {
    const subnet = this.subnet(subnetId);
    const [, , third, fourth] = ip.split('.').map(Number);
    if (subnet && third !== undefined && fourth !== undefined) subnet.used.delete((third - subnet.base) * 256 + fourth);
  }

  availableIps(subnetId: string): number {
    const subnet = this.subnet(subnetId);
    return subnet === undefined ? 0 : subnet.capacity - subnet.used.size;
  }

  private toSubnet(s: SimSubnetRecord): Subnet {
    const { account, region } = this.options;
    return {
      SubnetId: s.id,
      SubnetArn: `arn:aws:ec2:${region}:${account}:subnet/${s.id}`,
      VpcId: this.vpcId,
      OwnerId: account,
      AvailabilityZone: s.zone.name,
      AvailabilityZoneId: s.zone.id,
      CidrBlock: `10.0.${s.base}.0/${32 - SUBNET_BITS}`,
      AvailableIpAddressCount: s.capacity - s.used.size,
      State: 'available',
      DefaultForAz: false,
      MapPublicIpOnLaunch: false,
      MapCustomerOwnedIpOnLaunch: false,
      AssignIpv6AddressOnCreation: false,
      Ipv6CidrBlockAssociationSet: [],
      Ipv6Native: false,
      EnableDns64: false,
      PrivateDnsNameOptionsOnLaunch: {
        HostnameType: 'ip-name',
        EnableResourceNameDnsARecord: false,
        EnableResourceNameDnsAAAARecord: false,
      },
      Tags: structuredClone(s.tags),
    };
  }

  describeSubnets(input: DescribeSubnetsCommandInput): DescribeSubnetsResult {
    const ids = input.SubnetIds ?? [];
    const missing = ids.find((id) => !this.subnet(id));
    if (missing) throw new QueryError('InvalidSubnetID.NotFound', `The subnet ID '${missing}' does not exist`);
    const all = this.subnets.filter((s) => ids.length === 0 || ids.includes(s.id)).map((s) => this.toSubnet(s));
    const matched = applyFilters(all, input.Filters, SUBNET_FILTERS, (s) => s.Tags);
    const page = paginate(matched, input, { operation: 'DescribeSubnets', min: 5, max: 1000 });
    return { Subnets: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  }

  describeSecurityGroups(input: DescribeSecurityGroupsCommandInput): DescribeSecurityGroupsResult {
    const ids = input.GroupIds ?? [];
    const missing = ids.find((id) => !this.securityGroup(id));
    if (missing) throw new QueryError('InvalidGroup.NotFound', `The security group '${missing}' does not exist`);
    const all = this.groups.filter((g) => ids.length === 0 || ids.includes(g.GroupId as string));
    const matched = applyFilters(structuredClone(all), input.Filters, GROUP_FILTERS, (g) => g.Tags);
    const page = paginate(matched, input, { operation: 'DescribeSecurityGroups', min: 5, max: 1000 });
    return { SecurityGroups: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  }
}
