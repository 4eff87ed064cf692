// Prop checks of the fleetwright constructs, in one place as the CDK guidelines ask (`validate-props.ts`): each
// message names the prop, what is allowed and the value given, and is thrown at construction time, so a wrong
// `-c key=value` fails `cdk synth` with one sentence instead of a CloudFormation rollback minutes later. Values
// that are unresolved tokens are skipped: they are only known at deploy time.

import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export class FleetwrightPropsError extends Error {
  override readonly name = 'FleetwrightPropsError';

  constructor(scope: IConstruct, message: string) {
    super(`${scope.node.path}: ${message}`);
  }
}

function fail(scope: IConstruct, message: string): never {
  throw new FleetwrightPropsError(scope, message);
}

const known = (value: string | undefined): value is string => value !== undefined && !Token.isUnresolved(value);

// EKS cluster names: a letter or digit, then letters, digits, hyphens and underscores, up to 100 (the same rule
// as shared/config/store-layout.ts; infra imports no runtime code, so it is restated here).
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

export function validateClusterName(scope: IConstruct, clusterName: string): void {
  if (known(clusterName) && !CLUSTER_NAME.test(clusterName)) {
    fail(
      scope,
      `clusterName ${JSON.stringify(clusterName)} is not an EKS cluster name: expected letters, digits, "-" and "_", starting with a letter or digit, up to 100 characters`,
    );
  }
}

// SSM parameter paths: "/" then segments of a-zA-Z0-9_.- separated by "/"; the first segment may not begin with
// "aws" or "ssm" (reserved by AWS). Same rule as shared/config/store-layout.ts.
const PREFIX = /^\/([a-zA-Z0-9_.-]+\/)+$/;

/** The prefix with its trailing "/" (the controller reads `<prefix>nodepools/<name>`). */
export function validateConfigPrefix(scope: IConstruct, configPrefix: string): string {
  if (!known(configPrefix)) return configPrefix;
  const withSlash = configPrefix.endsWith('/') ? configPrefix : `${configPrefix}/`;
  if (!PREFIX.test(withSlash)) {
    fail(
      scope,
      `configPrefix ${JSON.stringify(configPrefix)} is not a parameter path: expected "/" then segments of letters, digits, "_", "." and "-" separated by "/", such as "/fleetwright/prod/"`,
    );
  }
  if (/^\/(aws|ssm)/i.test(withSlash)) {
    fail(
      scope,
      `configPrefix ${JSON.stringify(configPrefix)} is reserved: parameter names may not begin with "aws" or "ssm"`,
    );
  }
  return withSlash;
}

/** Lambda's limits, in MB. */
const MEMORY_MIN_MB = 128;
const MEMORY_MAX_MB = 10_240;

export function validateMemorySize(scope: IConstruct, memorySize: number): void {
  if (Token.isUnresolved(memorySize)) return;
  if (!Number.isInteger(memorySize) || memorySize < MEMORY_MIN_MB || memorySize > MEMORY_MAX_MB) {
    fail(
      scope,
      `memorySize must be a whole number of MB from ${MEMORY_MIN_MB} to ${MEMORY_MAX_MB}; it is ${memorySize}`,
    );
  }
}

export function validatePositiveInteger(scope: IConstruct, prop: string, value: number): void {
  if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < 1)) {
    fail(scope, `${prop} must be a whole number of at least 1; it is ${value}`);
  }
}

// IAM role names: up to 64 of [\w+=,.@-]. The instance profile takes the same name (the EC2 adapter launches with
// the instance profile named like the node class's `role`).
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

export function validateRoleName(scope: IConstruct, prop: string, roleName: string): void {
  if (known(roleName) && !ROLE_NAME.test(roleName)) {
    fail(
      scope,
      `${prop} ${JSON.stringify(roleName)} is not an IAM role name: expected 1 to 64 letters, digits and "+=,.@_-" (${roleName.length} characters given); pass a shorter nodeRoleName`,
    );
  }
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

export function validateRoleArns(scope: IConstruct, prop: string, arns: readonly string[]): void {
  for (const arn of arns) {
    if (known(arn) && !ROLE_ARN.test(arn)) {
      fail(scope, `${prop}: ${JSON.stringify(arn)} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
    }
  }
}

const OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/(.+)$/;

/** The issuer host and path of an IAM OIDC provider ARN: `oidc.eks.<region>.amazonaws.com/id/<id>`. */
export function validateOidcProviderArn(scope: IConstruct, prop: string, arn: string): string {
  const issuer = OIDC_PROVIDER_ARN.exec(arn)?.[1];
  if (Token.isUnresolved(arn) || issuer === undefined) {
    fail(
      scope,
      `${prop} ${JSON.stringify(arn)} must be a literal IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>): its issuer names the trust policy's condition keys`,
    );
  }
  return issuer;
}

// A namespace and a service account name are DNS-1123 labels / subdomains.
const SERVICE_ACCOUNT = /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)$/;

export function validateServiceAccount(
  scope: IConstruct,
  prop: string,
  serviceAccount: string,
): { namespace: string; name: string } {
  const match = SERVICE_ACCOUNT.exec(serviceAccount);
  if (!match?.[1] || !match[3]) {
    fail(
      scope,
      `${prop} ${JSON.stringify(serviceAccount)} must be "<namespace>/<service account>", such as "fleetwright/controller"`,
    );
  }
  return { namespace: match[1], name: match[3] };
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function validateEmail(scope: IConstruct, prop: string, email: string): void {
  if (known(email) && !EMAIL.test(email)) fail(scope, `${prop} ${JSON.stringify(email)} is not an e-mail address`);
}

export interface PlacementIds {
  readonly vpcId?: string;
  readonly subnetIds?: readonly string[];
  readonly securityGroupIds?: readonly string[];
}

/**
 * VPC placement is all or nothing: without lookups the stack cannot find subnets or security groups by itself,
 * and a function in a VPC with no security group the cluster trusts cannot reach a private API endpoint.
 */
export function validatePlacement(scope: IConstruct, ids: PlacementIds): boolean {
  const given = [ids.vpcId !== undefined, (ids.subnetIds?.length ?? 0) > 0, (ids.securityGroupIds?.length ?? 0) > 0];
  if (given.every((g) => !g)) return false;
  if (!given.every((g) => g)) {
    fail(
      scope,
      'vpcId, subnetIds and securityGroupIds go together: give all three to run the functions in the cluster VPC (subnets with a route to the EKS, EC2, SSM, SQS and STS endpoints; the cluster security group), or none',
    );
  }
  for (const id of ids.subnetIds ?? []) {
    if (known(id) && !/^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id))
      fail(scope, `subnetIds: ${JSON.stringify(id)} is not a subnet id`);
  }
  for (const id of ids.securityGroupIds ?? []) {
    if (known(id) && !/^sg-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) {
      fail(scope, `securityGroupIds: ${JSON.stringify(id)} is not a security group id`);
    }
  }
  if (known(ids.vpcId) && !/^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/.test(ids.vpcId)) {
    fail(scope, `vpcId ${JSON.stringify(ids.vpcId)} is not a VPC id`);
  }
  return true;
}
