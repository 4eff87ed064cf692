// The IAM role of the nodes fleetwright launches (research/aws-provider.md §e), its instance profile, and the EKS
// access entry that lets a kubelet with this role join the cluster. The instance profile is named like the role
// because the EC2 adapter launches a node class's `role` with the instance profile of the same name (fleetwright
// manages no IAM at run time).

import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeNag, managedPolicyFinding } from '../compliance.js';
import { validateClusterName, validateRoleName } from './validate-props.js';

export interface NodeRoleProps {
  readonly clusterName: string;
  /**
   * The role's and the instance profile's name: what node classes put in `spec.role`.
   * @default - `FleetwrightNode-<clusterName>`
   */
  readonly roleName?: string;
}

/** What a kubelet, the VPC CNI, image pulls and SSM Session Manager need on a node: Karpenter's node role. */
const NODE_POLICIES: readonly { name: string; why: string }[] = [
  { name: 'AmazonEKSWorkerNodePolicy', why: 'the kubelet describes its instance and the cluster to register' },
  { name: 'AmazonEKS_CNI_Policy', why: 'the VPC CNI on the node assigns ENIs and IP addresses to pods' },
  { name: 'AmazonEC2ContainerRegistryReadOnly', why: 'the kubelet pulls images (including the EKS add-ons) from ECR' },
  { name: 'AmazonSSMManagedInstanceCore', why: 'Session Manager access to nodes without SSH keys or open ports' },
];

export class NodeRole extends Construct {
  readonly role: iam.Role;
  readonly instanceProfile: iam.InstanceProfile;
  readonly accessEntry: eks.CfnAccessEntry;

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    validateClusterName(this, props.clusterName);
    const roleName = props.roleName ?? `FleetwrightNode-${props.clusterName}`;
    validateRoleName(this, 'nodeRoleName', roleName);

    this.role = new iam.Role(this, 'Resource', {
      roleName,
      description: `Nodes launched by fleetwright for EKS cluster ${props.clusterName}`,
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: NODE_POLICIES.map((p) => iam.ManagedPolicy.fromAwsManagedPolicyName(p.name)),
    });
    for (const policy of NODE_POLICIES) {
      acknowledgeNag(
        this.role,
        'IAM4',
        `EKS nodes need the AWS managed ${policy.name}: ${policy.why}; AWS keeps it current with the kubelet's and add-ons' needs`,
        managedPolicyFinding(policy.name),
      );
    }

    this.instanceProfile = new iam.InstanceProfile(this, 'InstanceProfile', {
      role: this.role,
      instanceProfileName: roleName,
    });

    // EC2_LINUX maps the role to system:node:{{EC2PrivateDNSName}} in system:bootstrappers and system:nodes;
    // no access policy is needed (research/aws-provider.md §e).
    this.accessEntry = new eks.CfnAccessEntry(this, 'AccessEntry', {
      clusterName: props.clusterName,
      principalArn: this.role.roleArn,
      type: 'EC2_LINUX',
    });
  }

  get roleName(): string {
    return this.role.roleName;
  }
}
