// The controller's IAM policy (DESIGN §7), shaped after Karpenter's (research/aws-provider.md §e) with fleetwright's
// ownership tag: everything the controller creates must carry `fleetwright.io/cluster=<cluster>` at creation, and
// everything it changes or deletes must already carry it, so the policy itself guarantees that fleetwright never
// touches an instance or launch template of anyone else (DESIGN §2 "Ownership").
//
// Each statement is a row of STATEMENTS below: its Sid, its resources and conditions, and the reason that any
// wildcard in it is acceptable — the same reason is the cdk-nag acknowledgement, so the two cannot drift apart.

import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeNag, wildcardResourceFinding } from '../compliance.js';

/** The ownership tag of shared/adapters/aws/ec2/tags.ts (TAG_CLUSTER): a contract between the adapter and IAM. */
export const OWNERSHIP_TAG = 'fleetwright.io/cluster';
/** The only tag the controller adds after launch: the node name (DESIGN §2). */
export const POST_LAUNCH_TAG_KEYS = ['Name'] as const;
/** The API calls that create tagged resources. `ec2:CreateAction` names them without the service prefix. */
const LAUNCH_CALLS = ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] as const;
const LAUNCH_ACTIONS = LAUNCH_CALLS.map((call) => `ec2:${call}`);
/** What a launch creates; CreateFleet and RunInstances authorize each created resource separately. */
const CREATED_RESOURCE_TYPES = [
  'fleet',
  'instance',
  'volume',
  'network-interface',
  'launch-template',
  'spot-instances-request',
] as const;
/** The Describe calls of the EC2 adapter's port (shared/adapters/aws/ec2/api.ts); none supports resource ARNs. */
const DESCRIBE_ACTIONS = [
  'ec2:DescribeImages',
  'ec2:DescribeInstances',
  'ec2:DescribeInstanceTypeOfferings',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeLaunchTemplates',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSpotPriceHistory',
  'ec2:DescribeSubnets',
] as const;
const SSM_READ_ACTIONS = [
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'ssm:GetParameterHistory',
] as const;

export interface ControllerPolicyProps {
  readonly clusterName: string;
  /** The SSM prefix of the config documents, with its trailing "/". */
  readonly configPrefix: string;
  /** The roles node classes may launch with: the only roles the controller may pass to EC2. */
  readonly nodeRoleArns: readonly string[];
}

interface StatementRow {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: Record<string, Record<string, unknown>>;
  /** Why a wildcard in `resources` is acceptable (cdk-nag AwsSolutions-IAM5). */
  readonly why: string;
}

export class ControllerPolicy extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ControllerPolicyProps) {
    super(scope, id);
    const rows = statementRows(Stack.of(this), props);
    this.policy = new iam.ManagedPolicy(this, 'Resource', {
      description: `fleetwright controller for EKS cluster ${props.clusterName}: launches and removes only instances tagged ${OWNERSHIP_TAG}=${props.clusterName}`,
      statements: rows.map(
        (row) =>
          new iam.PolicyStatement({
            sid: row.sid,
            actions: [...row.actions],
            resources: [...row.resources],
            ...(row.conditions && { conditions: row.conditions }),
          }),
      ),
    });
    for (const row of rows) {
      for (const resource of row.resources.filter((r) => wildcardResourceFinding(this, r).includes('*'))) {
        acknowledgeNag(this.policy, 'IAM5', `${row.sid}: ${row.why}`, wildcardResourceFinding(this, resource));
      }
    }
  }

  attachTo(role: iam.IRole): void {
    this.policy.attachToRole(role);
  }
}

function statementRows(stack: Stack, props: ControllerPolicyProps): StatementRow[] {
  const ec2 = (resource: string, account?: string) =>
    stack.formatArn({ service: 'ec2', resource, resourceName: '*', ...(account !== undefined && { account }) });
  const created = CREATED_RESOURCE_TYPES.map((type) => ec2(type));
  const clusterTag = props.clusterName;
  const requestTagged = { StringEquals: { [`aws:RequestTag/${OWNERSHIP_TAG}`]: clusterTag } };
  const resourceTagged = { StringEquals: { [`aws:ResourceTag/${OWNERSHIP_TAG}`]: clusterTag } };
  const prefixPath = props.configPrefix.replace(/^\/|\/$/g, '');
  const parameter = (name: string) => stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name });

  return [
    {
      sid: 'LaunchWithExistingResources',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
      // AMIs live in the owner's account (AWS or a publisher), so their ARNs have no account.
      resources: [
        ec2('image', ''),
        ec2('snapshot', ''),
        ec2('security-group'),
        ec2('subnet'),
        ec2('capacity-reservation'),
        ec2('placement-group'),
      ],
      why: 'a launch references AMIs, snapshots, subnets and security groups chosen at run time by node-class selector terms; they are read, not created or changed, and carry no request tags, while every resource the launch creates is covered by LaunchOnlyTagged',
    },
    {
      sid: 'UseOwnLaunchTemplates',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
      resources: [ec2('launch-template')],
      conditions: resourceTagged,
      why: `launch template ids are generated at run time; only templates tagged ${OWNERSHIP_TAG}=<cluster> may be launched from`,
    },
    {
      sid: 'LaunchOnlyTagged',
      actions: [...LAUNCH_ACTIONS],
      resources: created,
      conditions: requestTagged,
      why: `the ids of instances, volumes, fleets and templates do not exist before the call; each must be created with ${OWNERSHIP_TAG}=<cluster>`,
    },
    {
      sid: 'TagOnCreate',
      actions: ['ec2:CreateTags'],
      resources: created,
      conditions: {
        StringEquals: { ...requestTagged.StringEquals, 'ec2:CreateAction': [...LAUNCH_CALLS] },
      },
      why: 'tag-on-create only: CreateTags is allowed as part of a launch that sets the ownership tag, never on its own',
    },
    {
      sid: 'ChangeOwnResources',
      actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      resources: [ec2('instance'), ec2('launch-template')],
      conditions: resourceTagged,
      why: `instances and templates are chosen at run time; only those already tagged ${OWNERSHIP_TAG}=<cluster> may be terminated or deleted`,
    },
    {
      sid: 'NameOwnInstances',
      actions: ['ec2:CreateTags'],
      resources: [ec2('instance')],
      conditions: {
        ...resourceTagged,
        'ForAllValues:StringEquals': { 'aws:TagKeys': [...POST_LAUNCH_TAG_KEYS] },
      },
      why: 'after registration the controller sets Name to the node name, on its own instances only and no other key, so the ownership tag cannot be moved',
    },
    {
      sid: 'PassNodeRoles',
      actions: ['iam:PassRole'],
      resources: [...props.nodeRoleArns],
      conditions: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      why: 'the node roles are named explicitly',
    },
    {
      sid: 'ReadConfig',
      actions: [...SSM_READ_ACTIONS],
      resources: [parameter(prefixPath), parameter(`${prefixPath}/*`)],
      why: `the NodePool, EC2NodeClass and Settings documents are parameters under ${props.configPrefix}; their names are the users' to choose`,
    },
    {
      sid: 'ReadPublicParameters',
      actions: [...SSM_READ_ACTIONS],
      resources: [
        stack.formatArn({
          service: 'ssm',
          region: '*',
          account: '',
          resource: 'parameter',
          resourceName: 'aws/service/*',
        }),
      ],
      why: "AMI aliases resolve through AWS's public parameters under /aws/service/ (EKS-optimized AL2023 and Bottlerocket), which hold no secrets",
    },
    {
      sid: 'Describe',
      actions: [...DESCRIBE_ACTIONS],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': Aws.REGION } },
      why: 'EC2 Describe actions support no resource-level permissions; they are limited to the stack region',
    },
    {
      sid: 'ReadPrices',
      actions: ['pricing:GetProducts'],
      resources: ['*'],
      why: 'the Price List API supports no resource-level permissions; it returns public list prices',
    },
    {
      sid: 'DescribeCluster',
      actions: ['eks:DescribeCluster'],
      resources: [stack.formatArn({ service: 'eks', resource: 'cluster', resourceName: props.clusterName })],
      why: 'the cluster is named explicitly',
    },
  ];
}
