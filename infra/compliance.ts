// The compliance checks every synth runs (DESIGN §7): cdk-nag's AwsSolutions pack and the Control Tower rules of
// cfn-guard, both as CDK validation plugins at app level. A finding fails `cdk synth` unless the construct it is
// about acknowledges it, in code, next to the resource, with the reason (`Validations.of(x).acknowledge`).
//
// Acknowledgement ids: cdk-nag's are `AwsSolutions-<rule>` or, for granular rules, `AwsSolutions-<rule>[<finding>]`
// (cdk-nag reads them itself); cfn-guard's are namespaced by the plugin name, `cdk-validator-cfnguard::<rule>`,
// and CDK matches them against the construct path of the violating resource and its parents.

import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { type App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export const CFN_GUARD_PLUGIN = 'cdk-validator-cfnguard';

export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new CfnGuardValidator());
}

/** A cdk-nag acknowledgement: `rule` is `IAM4`, `L1`, ...; `finding` the granular part, when the rule has one. */
export function acknowledgeNag(scope: IConstruct, rule: string, reason: string, finding?: string): void {
  const id = finding === undefined ? `AwsSolutions-${rule}` : `AwsSolutions-${rule}[${finding}]`;
  Validations.of(scope).acknowledge({ id, reason });
}

/** A cfn-guard Control Tower acknowledgement: `rule` as the report names it, e.g. `LAMBDA_INSIDE_VPC`. */
export function acknowledgeGuard(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `${CFN_GUARD_PLUGIN}::${rule}`, reason });
}

/** cdk-nag's finding for an AWS managed policy attached to a role (rule IAM4). */
export function managedPolicyFinding(policyName: string): string {
  return `Policy::arn:<AWS::Partition>:iam::aws:policy/${policyName}`;
}

/**
 * cdk-nag's finding for a wildcard resource (rule IAM5): the resource as cdk-nag flattens it, `Fn::Join` joined,
 * pseudo parameters and references as `<AWS::Region>`, `<LogicalId.Arn>`. Computing it from the same value the
 * policy uses keeps each acknowledgement tied to exactly one resource pattern.
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `Resource::${flatten(Stack.of(scope).resolve(resource))}`;
}

function flatten(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const v = value as Record<string, unknown>;
  if (Array.isArray(v['Fn::Join'])) {
    const [delimiter, items] = v['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (v.Ref !== undefined) return `<${flatten(v.Ref)}>`;
  if (Array.isArray(v['Fn::GetAtt'])) {
    const [resource, attribute] = v['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  return JSON.stringify(value);
}
