// How fleetwright's IAM roles become Kubernetes identities (DESIGN §7), in deployment order:
// 1. a provider Lambda (infra/custom-resources/rbac/handler.ts) checks that the cluster's authentication mode
//    allows access entries, and fails the deployment with that sentence otherwise;
// 2. access entries: the controller role as a STANDARD entry mapped to the group `fleetwright:controller`, and the
//    provider's own role with the cluster-admin access policy, because only a cluster admin may create the
//    ClusterRole (RBAC forbids granting permissions one does not hold);
// 3. the provider applies a ClusterRole and a kube-system Role with exactly the verbs the adapter uses
//    (shared/adapters/kubernetes/rbac.ts), bound to that group, with our own Kubernetes client.
// The node role's EC2_LINUX entry lives with the node role (node-role.ts) and is ordered after the check here.

import { fileURLToPath } from 'node:url';
import { Aws, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import { CONTROLLER_GROUP } from '../../shared/adapters/kubernetes/rbac-manifest.js';
import { acknowledgeGuard, acknowledgeNag, managedPolicyFinding, wildcardResourceFinding } from '../compliance.js';
import {
  AUTHENTICATION_MODE_CHECK,
  type AuthenticationModeCheckProperties,
  CONTROLLER_RBAC,
  type ControllerRbacProperties,
} from '../custom-resources/rbac/resource-types.js';
import { ControllerLogGroup } from './controller-log-group.js';
import { FleetwrightFunction, type FunctionPlacement } from './fleetwright-function.js';
import { validateClusterName } from './validate-props.js';

export const DEFAULT_PROVIDER_ENTRY = fileURLToPath(new URL('../custom-resources/rbac/handler.ts', import.meta.url));

/** The group of the controller's access entry; the ClusterRoleBinding names it. `system:` is reserved by EKS. */
export { CONTROLLER_GROUP };

export interface ClusterAccessProps {
  readonly clusterName: string;
  /** The role both functions run as. */
  readonly controllerRole: iam.IRole;
  /** `<namespace>/<name>` of service accounts to bind as well. @default - none */
  readonly serviceAccounts?: readonly string[];
  /** @default - infra/custom-resources/rbac/handler.ts of this repository */
  readonly providerEntry?: string;
  /** @default - outside any VPC (needs a public cluster endpoint) */
  readonly placement?: FunctionPlacement;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
}

export class ClusterAccess extends Construct {
  /** Succeeds only when the cluster allows access entries: every access entry must depend on it. */
  readonly authenticationModeCheck: CustomResource;
  readonly controllerAccessEntry: eks.CfnAccessEntry;
  readonly controllerRbac: CustomResource;
  readonly providerFunction: lambda.Function;

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    validateClusterName(this, props.clusterName);
    const stack = Stack.of(this);

    const providerRole = new iam.Role(this, 'ProviderRole', {
      description: `fleetwright custom resources for EKS cluster ${props.clusterName}`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    providerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['eks:DescribeCluster'],
        resources: [stack.formatArn({ service: 'eks', resource: 'cluster', resourceName: props.clusterName })],
      }),
    );
    const provider = new FleetwrightFunction(this, 'ProviderFunction', {
      entry: props.providerEntry ?? DEFAULT_PROVIDER_ENTRY,
      description: `fleetwright: checks EKS cluster ${props.clusterName} and applies the controller's RBAC`,
      timeout: Duration.minutes(5),
      memorySize: 256,
      role: providerRole,
      logRetention: props.logRetention,
      placement: props.placement,
    });
    this.providerFunction = provider.function;
    const framework = this.providerFramework(provider.function, props);

    this.authenticationModeCheck = new CustomResource(this, 'AuthenticationModeCheck', {
      serviceToken: framework.serviceToken,
      resourceType: AUTHENTICATION_MODE_CHECK,
      properties: { ClusterName: props.clusterName } satisfies AuthenticationModeCheckProperties,
    });

    const providerAccessEntry = new eks.CfnAccessEntry(this, 'ProviderAccessEntry', {
      clusterName: props.clusterName,
      principalArn: providerRole.roleArn,
      type: 'STANDARD',
      accessPolicies: [
        {
          policyArn: `arn:${Aws.PARTITION}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
          accessScope: { type: 'cluster' },
        },
      ],
    });
    this.controllerAccessEntry = new eks.CfnAccessEntry(this, 'ControllerAccessEntry', {
      clusterName: props.clusterName,
      principalArn: props.controllerRole.roleArn,
      type: 'STANDARD',
      kubernetesGroups: [CONTROLLER_GROUP],
    });
    this.requireAccessEntries(providerAccessEntry, this.controllerAccessEntry);

    this.controllerRbac = new CustomResource(this, 'ControllerRbac', {
      serviceToken: framework.serviceToken,
      resourceType: CONTROLLER_RBAC,
      properties: {
        ClusterName: props.clusterName,
        Group: CONTROLLER_GROUP,
        ServiceAccounts: [...(props.serviceAccounts ?? [])],
        HandlerCode: codeAssetKey(provider.function),
      } satisfies ControllerRbacProperties,
    });
    // Deleted in reverse: the RBAC objects go while the provider can still authenticate.
    this.controllerRbac.node.addDependency(providerAccessEntry, this.controllerAccessEntry);
  }

  /** Orders access entries (also ones made elsewhere, such as the node role's) after the authentication mode check. */
  requireAccessEntries(...entries: IConstruct[]): void {
    for (const entry of entries) entry.node.addDependency(this.authenticationModeCheck);
  }

  private providerFramework(onEventHandler: lambda.Function, props: ClusterAccessProps): cr.Provider {
    const framework = new cr.Provider(this, 'Provider', {
      onEventHandler,
      logGroup: new ControllerLogGroup(this, 'ProviderFrameworkLogs', { retention: props.logRetention }).logGroup,
      ...(props.placement && {
        vpc: props.placement.vpc,
        vpcSubnets: { subnets: [...props.placement.subnets] },
        securityGroups: [...props.placement.securityGroups],
      }),
    });
    // The provider framework is CDK's own code: its role, runtime and VPC placement follow the props above, but its
    // policies are generated by CDK.
    const why =
      "the CDK provider framework's generated role: AWSLambdaBasicExecutionRole for its logs and invoke permission on the handler's versions";
    acknowledgeNag(framework, 'IAM4', why, managedPolicyFinding('service-role/AWSLambdaBasicExecutionRole'));
    acknowledgeNag(framework, 'IAM5', why, wildcardResourceFinding(this, `${onEventHandler.functionArn}:*`));
    if (props.placement) {
      acknowledgeNag(framework, 'IAM4', why, managedPolicyFinding('service-role/AWSLambdaVPCAccessExecutionRole'));
    } else {
      acknowledgeGuard(
        framework,
        'lambda_inside_vpc_check',
        'The provider framework only invokes the handler and answers CloudFormation; it follows the stack VPC placement props when they are given',
      );
    }
    return framework;
  }
}

/** The S3 key of the function's code asset: a content hash, so it changes exactly when the bundle does. */
function codeAssetKey(fn: lambda.Function): string {
  const code = (fn.node.defaultChild as lambda.CfnFunction).code as lambda.CfnFunction.CodeProperty;
  return code.s3Key as string;
}
