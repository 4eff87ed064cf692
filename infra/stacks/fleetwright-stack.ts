// One stack per cluster (DESIGN §7): everything a platform engineer with an existing EKS cluster needs for a
// working provisioner, from one `cdk deploy -c clusterName=<name>`. Composed of the constructs in ../constructs;
// this file only wires them together and decides the environment the handlers read.
//
// No synth-time lookups: the VPC, subnets and security groups of VPC placement are referenced by id, and the
// subnets and security groups of nodes are discovered at run time from node-class selector terms.

import { Aws, CfnOutput, Fn, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ClusterAccess } from '../constructs/cluster-access.js';
import { CONTROLLER_ENV, METRICS_NAMESPACE } from '../constructs/controller-environment.js';
import { ControllerPolicy } from '../constructs/controller-policy.js';
import type { FunctionPlacement } from '../constructs/fleetwright-function.js';
import { InClusterRole } from '../constructs/in-cluster-role.js';
import { InterruptionFunction } from '../constructs/interruption-function.js';
import { InterruptionQueue } from '../constructs/interruption-queue.js';
import { Monitoring } from '../constructs/monitoring.js';
import { NodeRole } from '../constructs/node-role.js';
import { ReconcileFunction } from '../constructs/reconcile-function.js';
import {
  FleetwrightPropsError,
  validateClusterName,
  validateConfigPrefix,
  validatePlacement,
  validateRoleArns,
} from '../constructs/validate-props.js';

export type Responsiveness = 'watch' | 'economy';
export const RESPONSIVENESS_MODES: readonly Responsiveness[] = ['watch', 'economy'];

export interface FleetwrightStackProps extends StackProps {
  /** The existing EKS cluster to provision nodes for. */
  readonly clusterName: string;
  /** @default - `/fleetwright/<clusterName>/` */
  readonly configPrefix?: string;
  /**
   * `watch`: each run watches the cluster for ~75 s, decisions within seconds. `economy`: one pass per minute,
   * decisions up to a minute late, at a fraction of the Lambda cost. The Settings document may override it.
   * @default 'watch'
   */
  readonly responsiveness?: Responsiveness;
  /** @default 512 - 1024 is recommended above ~5 000 pods */
  readonly memorySize?: number;
  /** Alarm notifications go to this address (a topic is created unless alarmTopicArn is given). @default - none */
  readonly alarmEmail?: string;
  /** An existing SNS topic for alarm notifications. @default - a new topic when alarmEmail is given, else none */
  readonly alarmTopicArn?: string;
  /** Run the functions in the cluster VPC (needed for a private API endpoint); with subnetIds and securityGroupIds. @default - outside any VPC */
  readonly vpcId?: string;
  /** Private subnets with routes to the AWS endpoints the functions call. @default - none */
  readonly subnetIds?: readonly string[];
  /** Security groups the cluster endpoint accepts (usually the cluster security group). @default - none */
  readonly securityGroupIds?: readonly string[];
  /** More roles node classes may launch with (each needs an instance profile of the same name). @default - only the stack's node role */
  readonly nodeRoleArns?: readonly string[];
  /** @default - `FleetwrightNode-<clusterName>` */
  readonly nodeRoleName?: string;
  /**
   * Create the spot service-linked role. It exists once per account, so say so only when `aws iam get-role
   * --role-name AWSServiceRoleForEC2Spot` finds none; it is kept when the stack is deleted.
   * @default false - the role is a documented prerequisite
   */
  readonly createSpotServiceLinkedRole?: boolean;
  /** `<namespace>/<name>`: also create a role for running the controller in the cluster as this service account. @default - none */
  readonly inClusterServiceAccount?: string;
  /** With inClusterServiceAccount: use IRSA with this OIDC provider instead of EKS Pod Identity. @default - Pod Identity */
  readonly inClusterOidcProviderArn?: string;
  /** @default 10 */
  readonly pendingPodAgeAlarmMinutes?: number;
  /** @default true */
  readonly dashboard?: boolean;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** @default - functions/reconcile/handler.ts */
  readonly reconcileEntry?: string;
  /** @default - functions/interruption/handler.ts */
  readonly interruptionEntry?: string;
}

export class FleetwrightStack extends Stack {
  readonly nodeRole: NodeRole;
  readonly controllerRole: iam.Role;
  readonly controllerPolicy: ControllerPolicy;
  readonly interruptionQueue: InterruptionQueue;
  readonly reconcile: ReconcileFunction;
  readonly interruption: InterruptionFunction;
  readonly clusterAccess: ClusterAccess;
  readonly monitoring: Monitoring;
  readonly inClusterRole?: InClusterRole;

  constructor(scope: Construct, id: string, props: FleetwrightStackProps) {
    super(scope, id, {
      description: `fleetwright: serverless node provisioner for EKS cluster ${props.clusterName}`,
      ...props,
    });
    const clusterName = props.clusterName;
    validateClusterName(this, clusterName);
    const configPrefix = validateConfigPrefix(this, props.configPrefix ?? `/fleetwright/${clusterName}/`);
    const responsiveness = props.responsiveness ?? 'watch';
    if (!RESPONSIVENESS_MODES.includes(responsiveness)) {
      throw new FleetwrightPropsError(
        this,
        `responsiveness must be "watch" or "economy"; it is ${JSON.stringify(responsiveness)}`,
      );
    }
    validateRoleArns(this, 'nodeRoleArns', props.nodeRoleArns ?? []);
    const placement = this.placement(props);

    this.nodeRole = new NodeRole(this, 'NodeRole', { clusterName, roleName: props.nodeRoleName });
    const extraNodeRoles = (props.nodeRoleArns ?? []).map((arn, i) =>
      iam.Role.fromRoleArn(this, `ExtraNodeRole${i}`, arn, { mutable: false }),
    );
    const nodeRoles = [this.nodeRole.role, ...extraNodeRoles];

    this.controllerPolicy = new ControllerPolicy(this, 'ControllerPolicy', {
      clusterName,
      configPrefix,
      nodeRoleArns: nodeRoles.map((role) => role.roleArn),
    });
    this.controllerRole = new iam.Role(this, 'ControllerRole', {
      description: `fleetwright reconcile and interruption functions for EKS cluster ${clusterName}`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    this.controllerPolicy.attachTo(this.controllerRole);

    this.interruptionQueue = new InterruptionQueue(this, 'InterruptionQueue');
    const environment = (service: string) => ({
      [CONTROLLER_ENV.clusterName]: clusterName,
      [CONTROLLER_ENV.configPrefix]: configPrefix,
      [CONTROLLER_ENV.responsiveness]: responsiveness,
      [CONTROLLER_ENV.nodeRoleName]: this.nodeRole.roleName,
      [CONTROLLER_ENV.nodeRoleNames]: nodeRoles.map((role) => role.roleName).join(','),
      [CONTROLLER_ENV.metricsNamespace]: METRICS_NAMESPACE,
      [CONTROLLER_ENV.serviceName]: service,
    });
    const common = {
      role: this.controllerRole,
      memorySize: props.memorySize,
      logRetention: props.logRetention,
      placement,
    };
    this.reconcile = new ReconcileFunction(this, 'Reconcile', {
      ...common,
      entry: props.reconcileEntry,
      environment: environment('fleetwright-reconcile'),
    });
    this.interruption = new InterruptionFunction(this, 'Interruption', {
      ...common,
      entry: props.interruptionEntry,
      queue: this.interruptionQueue,
      environment: environment('fleetwright-interruption'),
    });

    if (props.inClusterServiceAccount !== undefined) {
      this.inClusterRole = new InClusterRole(this, 'InClusterRole', {
        clusterName,
        serviceAccount: props.inClusterServiceAccount,
        oidcProviderArn: props.inClusterOidcProviderArn,
      });
      this.controllerPolicy.attachTo(this.inClusterRole.role);
      this.interruptionQueue.grantConsume(this.inClusterRole.role);
    } else if (props.inClusterOidcProviderArn !== undefined) {
      throw new FleetwrightPropsError(
        this,
        'inClusterOidcProviderArn needs inClusterServiceAccount ("<namespace>/<name>")',
      );
    }

    this.clusterAccess = new ClusterAccess(this, 'ClusterAccess', {
      clusterName,
      controllerRole: this.controllerRole,
      serviceAccounts: props.inClusterServiceAccount === undefined ? [] : [props.inClusterServiceAccount],
      placement,
      logRetention: props.logRetention,
    });
    this.clusterAccess.requireAccessEntries(this.nodeRole.accessEntry);

    if (props.createSpotServiceLinkedRole) {
      // What `aws iam create-service-linked-role --aws-service-name spot.amazonaws.com` creates: EC2 launches spot
      // capacity with it, and without it every spot launch fails.
      const spotRole = new iam.CfnServiceLinkedRole(this, 'SpotServiceLinkedRole', {
        awsServiceName: 'spot.amazonaws.com',
      });
      // One per account and shared with every spot user (Karpenter, Auto Scaling groups): never deleted with this stack.
      spotRole.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }

    this.monitoring = new Monitoring(this, 'Monitoring', {
      clusterName,
      reconcileFunction: this.reconcile.function,
      interruptionFunction: this.interruption.function,
      interruptionQueue: this.interruptionQueue,
      alarmTopic:
        props.alarmTopicArn === undefined ? undefined : sns.Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn),
      alarmEmail: props.alarmEmail,
      pendingPodAgeAlarmMinutes: props.pendingPodAgeAlarmMinutes,
      dashboard: props.dashboard,
    });

    this.outputs(configPrefix);
  }

  private placement(props: FleetwrightStackProps): FunctionPlacement | undefined {
    if (!validatePlacement(this, props)) return undefined;
    // Ids only, no lookup: the subnets are given explicitly, so the VPC's zones and the subnets' route tables are
    // never read (Fn::GetAZs only satisfies fromVpcAttributes and does not appear in the template).
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: props.vpcId as string,
      availabilityZones: Fn.getAzs(),
    });
    Validations.of(vpc).acknowledge({
      id: '@aws-cdk/aws-ec2:vpcAttributeIsListTokenavailabilityZones',
      reason: 'The functions are placed in explicitly given subnets; the VPC zones are never used',
    });
    const subnets = (props.subnetIds ?? []).map((id, i) => {
      const subnet = ec2.Subnet.fromSubnetId(this, `Subnet${i}`, id);
      Validations.of(subnet).acknowledge({
        id: '@aws-cdk/aws-ec2:noSubnetRouteTableId',
        reason: 'Lambda VPC placement needs subnet ids only; route tables are never read',
      });
      return subnet;
    });
    const securityGroups = (props.securityGroupIds ?? []).map((id, i) =>
      ec2.SecurityGroup.fromSecurityGroupId(this, `SecurityGroup${i}`, id, { mutable: false }),
    );
    return { vpc, subnets, securityGroups };
  }

  private outputs(configPrefix: string): void {
    new CfnOutput(this, 'NodeRoleName', {
      value: this.nodeRole.roleName,
      description: 'Put this in spec.role of your EC2NodeClass documents',
    });
    new CfnOutput(this, 'ConfigPrefix', {
      value: configPrefix,
      description: 'fleetwright config push --prefix (the default for this cluster)',
    });
    new CfnOutput(this, 'InterruptionQueueUrl', { value: this.interruptionQueue.queue.queueUrl });
    new CfnOutput(this, 'ControllerRoleArn', { value: this.controllerRole.roleArn });
    if (this.inClusterRole) new CfnOutput(this, 'InClusterRoleArn', { value: this.inClusterRole.role.roleArn });
    if (this.monitoring.dashboard) {
      new CfnOutput(this, 'DashboardUrl', {
        value: `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${this.monitoring.dashboard.dashboardName}`,
      });
    }
  }
}
