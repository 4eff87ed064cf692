// A mocked AWS account for the EC2 adapter's tests: real SDK clients with aws-sdk-client-mock, answering in the
// APIs' own shapes (field names from the EC2, SSM and Price List API references), plus builders for node
// classes, planned nodes and the provider itself on an injected clock.

import {
  CreateFleetCommand,
  type CreateFleetCommandOutput,
  CreateLaunchTemplateCommand,
  DescribeImagesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSpotPriceHistoryCommand,
  DescribeSubnetsCommand,
  EC2Client,
  EC2ServiceException,
  type InstanceTypeInfo,
  type SpotPrice,
} from '@aws-sdk/client-ec2';
import { PricingClient } from '@aws-sdk/client-pricing';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { amiParametersFromClient, ec2ApiFromClient } from '../../../shared/adapters/aws/ec2/api.js';
import { Ec2CloudProvider, type Ec2CloudProviderOptions } from '../../../shared/adapters/aws/ec2/cloud-provider.js';
import type { ClusterInfo } from '../../../shared/adapters/aws/ec2/cluster.js';
import { pricingApiFromClient } from '../../../shared/adapters/aws/pricing/api.js';
import { toNodeClass } from '../../../shared/config/convert.js';
import { type NodeClassDocument, nodeClassDocumentSchema } from '../../../shared/config/nodeclass-schema.js';
import type { NodeClass } from '../../../shared/core/model/nodepool.js';
import type { PlannedNode } from '../../../shared/core/model/plan.js';
import { nodeClass as nodeClassJson } from '../../config/builders.js';
import { bundledCatalogue } from '../../fixtures/instance-types.js';
import { C6G_LARGE, M5_LARGE, M5_XLARGE } from './instance-type-infos.js';

/** 2025-06-11T09:00:00Z: every test clock starts here. */
export const T0 = Date.UTC(2025, 5, 11, 9, 0, 0);
export const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

export const CLUSTER: ClusterInfo = {
  name: 'my-cluster',
  region: 'us-east-1',
  endpoint: 'https://0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com',
  certificateAuthority: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=',
  serviceCidr: '10.100.0.0/16',
  kubernetesVersion: '1.33',
};

/** An SDK service error as the client throws it: `name` is the AWS error code. */
export function awsError(code: string, message = code): EC2ServiceException {
  return new EC2ServiceException({ name: code, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });
}

/** A settable clock. */
export function testClock(start = T0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms), set: (t: number) => (now = t) };
}

/** A node class document (the config layer's parse of it) and its core NodeClass. */
export function nodeClassFixture(patch: Record<string, unknown> = {}): {
  doc: NodeClassDocument;
  nodeClass: NodeClass;
} {
  const doc = nodeClassDocumentSchema.parse(nodeClassJson(patch));
  return { doc, nodeClass: toNodeClass(doc) };
}

export function plannedNode(overrides: Partial<PlannedNode> = {}): PlannedNode {
  return {
    nodePool: 'default',
    instanceType: 'm5.large',
    instanceTypeOptions: ['m5.large', 'm5.xlarge'],
    capacityType: 'spot',
    zone: 'us-east-1a',
    hourlyPrice: 0.03,
    labels: {
      'karpenter.sh/capacity-type': 'spot',
      'karpenter.sh/nodepool': 'default',
      'karpenter.k8s.aws/ec2nodeclass': 'default',
      'karpenter.k8s.aws/instance-family': 'm5',
      'node.kubernetes.io/instance-type': 'm5.large',
      'topology.kubernetes.io/zone': 'us-east-1a',
      team: 'web',
    },
    taints: [{ key: 'example.com/booting', effect: 'NoSchedule' }],
    pods: ['default/web-1'],
    ...overrides,
  };
}

export function subnet(id: string, zone: string, availableIps: number) {
  return {
    SubnetId: id,
    AvailabilityZone: zone,
    AvailabilityZoneId: `use1-az${zone.slice(-1) === 'a' ? 1 : zone.slice(-1) === 'b' ? 2 : 4}`,
    AvailableIpAddressCount: availableIps,
    CidrBlock: '10.0.0.0/19',
    State: 'available' as const,
    VpcId: 'vpc-0a1b2c3d4e5f60718',
    MapPublicIpOnLaunch: false,
    Tags: [{ Key: 'karpenter.sh/discovery', Value: 'my-cluster' }],
  };
}

export function spotPrice(type: string, zone: string, price: string, at = new Date(T0 - 3600_000)): SpotPrice {
  return {
    AvailabilityZone: zone,
    InstanceType: type as SpotPrice['InstanceType'],
    ProductDescription: 'Linux/UNIX',
    SpotPrice: price,
    Timestamp: at,
  };
}

/** A successful one-instance CreateFleet answer. */
export function fleetInstance(
  instanceId: string,
  type: string,
  zone: string,
  subnetId: string,
  lifecycle: 'spot' | 'on-demand' = 'spot',
): NonNullable<CreateFleetCommandOutput['Instances']>[number] {
  return {
    LaunchTemplateAndOverrides: {
      LaunchTemplateSpecification: { LaunchTemplateName: 'fleetwright/my-cluster/x', Version: '$Latest' },
      Overrides: { InstanceType: type as never, SubnetId: subnetId, AvailabilityZone: zone },
    },
    Lifecycle: lifecycle,
    InstanceIds: [instanceId],
    InstanceType: type as never,
  };
}

export function fleetError(code: string, type: string, zone: string, subnetId: string, lifecycle = 'spot') {
  return {
    LaunchTemplateAndOverrides: {
      LaunchTemplateSpecification: { LaunchTemplateName: 'fleetwright/my-cluster/x', Version: '$Latest' },
      Overrides: { InstanceType: type as never, SubnetId: subnetId, AvailabilityZone: zone },
    },
    Lifecycle: lifecycle as 'spot',
    ErrorCode: code,
    ErrorMessage: `There is no ${lifecycle} capacity available that matches your request.`,
  };
}

export const AL2023_AMD64 = 'ami-0a1b2c3d4e5f60001';
export const AL2023_ARM64 = 'ami-0a1b2c3d4e5f60002';

/** The account: three subnets (one per zone), one security group, AL2023 AMIs, m5.large/xlarge and c6g.large. */
export function mockAws(types: readonly InstanceTypeInfo[] = [M5_LARGE, M5_XLARGE, C6G_LARGE]) {
  const ec2Client = new EC2Client({ region: 'us-east-1' });
  const ssmClient = new SSMClient({ region: 'us-east-1' });
  const pricingClient = new PricingClient({ region: 'us-east-1' });
  const ec2 = mockClient(ec2Client);
  const ssm = mockClient(ssmClient);
  const pricing = mockClient(pricingClient);
  ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [...types] });
  ec2.on(DescribeInstanceTypeOfferingsCommand).resolves({
    InstanceTypeOfferings: types.flatMap((t) =>
      ZONES.map((zone) => ({
        InstanceType: t.InstanceType,
        LocationType: 'availability-zone' as const,
        Location: zone,
      })),
    ),
  });
  ec2.on(DescribeSpotPriceHistoryCommand).resolves({
    SpotPriceHistory: types.flatMap((t) => ZONES.map((zone) => spotPrice(t.InstanceType as string, zone, '0.035000'))),
  });
  ec2.on(DescribeSubnetsCommand).resolves({
    Subnets: [subnet('subnet-0aaa', ZONES[0] as string, 4000), subnet('subnet-0bbb', ZONES[1] as string, 3000)],
  });
  ec2.on(DescribeSecurityGroupsCommand).resolves({
    SecurityGroups: [
      { GroupId: 'sg-0123456789abcdef0', GroupName: 'eks-cluster-sg-my-cluster', VpcId: 'vpc-0a1b2c3d4e5f60718' },
    ],
  });
  ec2.on(DescribeImagesCommand).resolves({ Images: [] });
  ec2
    .on(DescribeLaunchTemplatesCommand)
    .rejects(
      awsError(
        'InvalidLaunchTemplateName.NotFoundException',
        'At least one of the launch templates specified in the request does not exist.',
      ),
    );
  ec2.on(CreateLaunchTemplateCommand).resolves({
    LaunchTemplate: { LaunchTemplateId: 'lt-0abcdef1234567890', LaunchTemplateName: 'fleetwright/my-cluster/x' },
  });
  ec2.on(CreateFleetCommand).resolves({
    FleetId: 'fleet-1',
    Instances: [fleetInstance('i-0123456789abcdef0', 'm5.large', 'us-east-1a', 'subnet-0aaa')],
    Errors: [],
  });
  ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound'));
  for (const [arch, id] of [
    ['x86_64', AL2023_AMD64],
    ['arm64', AL2023_ARM64],
  ] as const) {
    const name = `/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/${arch}/standard/recommended/image_id`;
    ssm
      .on(GetParameterCommand, { Name: name })
      .resolves({ Parameter: { Name: name, Type: 'String', Value: id, Version: 12 } });
  }
  return { ec2, ssm, pricing, ec2Client, ssmClient, pricingClient };
}

export type MockAws = ReturnType<typeof mockAws>;

/** The provider over the mocked account: bundled catalogue, no Pricing client unless asked, test clock. */
export function provider(
  aws: MockAws,
  clock: { now: () => number },
  doc: NodeClassDocument,
  overrides: Partial<Ec2CloudProviderOptions> = {},
): Ec2CloudProvider {
  let token = 0;
  return new Ec2CloudProvider({
    ec2: ec2ApiFromClient(aws.ec2Client),
    ssm: amiParametersFromClient(aws.ssmClient),
    cluster: CLUSTER,
    nodeClassSpec: (name) => (name === doc.metadata.name ? doc.spec : undefined),
    bundled: bundledCatalogue(),
    clock: clock.now,
    sleep: async () => {},
    clientToken: () => `token-${++token}`,
    ...overrides,
  });
}

export const pricingFromMock = (aws: MockAws) => pricingApiFromClient(aws.pricingClient);
