// Builds fleetwright stacks for the infra tests: the feature flags of cdk.json (so tests synthesize what `cdk
// synth` does), bundling skipped unless asked for (the handlers need not exist, and esbuild costs ~0.5 s a
// function), and a stand-in entry file because NodejsFunction checks that its entry exists even then.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll } from 'vitest';
import { FleetwrightStack, type FleetwrightStackProps } from '../../infra/stacks/fleetwright-stack.js';

export const FIXTURE_ENTRY = fileURLToPath(new URL('./fixtures/handler.ts', import.meta.url));

const CDK_JSON = fileURLToPath(new URL('../../cdk.json', import.meta.url));
const featureFlags = (JSON.parse(readFileSync(CDK_JSON, 'utf8')) as { context: Record<string, unknown> }).context;

export interface TestAppOptions {
  /** Run esbuild for real. @default false */
  readonly bundle?: boolean;
}

const outdirs: string[] = [];

afterAll(() => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function testApp(options: TestAppOptions = {}): App {
  const outdir = mkdtempSync(join(tmpdir(), 'fleetwright-cdk-'));
  outdirs.push(outdir);
  return new App({
    outdir,
    context: { ...featureFlags, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
}

/** Props of a stack for cluster `demo` with the stand-in handlers, plus `overrides`. */
export function stackProps(overrides: Partial<FleetwrightStackProps> = {}): FleetwrightStackProps {
  return { clusterName: 'demo', reconcileEntry: FIXTURE_ENTRY, interruptionEntry: FIXTURE_ENTRY, ...overrides };
}

export function buildStack(overrides: Partial<FleetwrightStackProps> = {}, app: App = testApp()): FleetwrightStack {
  return new FleetwrightStack(app, 'fleetwright-demo', stackProps(overrides));
}

export function template(overrides: Partial<FleetwrightStackProps> = {}): Template {
  return Template.fromStack(buildStack(overrides));
}

/** Everything optional switched on: the configuration with the most resources and acknowledgements. */
export const FULL_OPTIONS: Partial<FleetwrightStackProps> = {
  vpcId: 'vpc-0a1b2c3d4e5f60718',
  subnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0a1b2c3d4e5f60719'],
  securityGroupIds: ['sg-0a1b2c3d4e5f60718'],
  alarmEmail: 'platform@example.com',
  createSpotServiceLinkedRole: true,
  nodeRoleArns: ['arn:aws:iam::123456789012:role/gpu-nodes'],
  inClusterServiceAccount: 'fleetwright/controller',
  responsiveness: 'economy',
  memorySize: 1024,
};

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[] }>;

/** The one resource of `type` whose logical id starts with `prefix` (logical ids are path-derived and stable). */
export function resource(
  t: Template,
  type: string,
  prefix: string,
): { id: string; props: Record<string, unknown>; dependsOn: string[] } {
  const found = Object.entries(t.findResources(type) as Resources).filter(([id]) => id.startsWith(prefix));
  if (found.length !== 1)
    throw new Error(`expected one ${type} ${prefix}*, found ${found.map(([id]) => id).join(', ') || 'none'}`);
  const [id, r] = found[0] as [string, Resources[string]];
  return { id, props: r.Properties ?? {}, dependsOn: r.DependsOn ?? [] };
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The controller's managed policy statement with this Sid. */
export function controllerStatement(t: Template, sid: string): PolicyStatement {
  const policy = resource(t, 'AWS::IAM::ManagedPolicy', 'ControllerPolicy');
  const statements = (policy.props.PolicyDocument as { Statement: PolicyStatement[] }).Statement;
  const statement = statements.find((s) => s.Sid === sid);
  if (!statement) throw new Error(`no controller statement ${sid}; have ${statements.map((s) => s.Sid).join(', ')}`);
  return statement;
}

/** Every Allow statement of every IAM policy and role in the template. */
export function allAllowStatements(t: Template): PolicyStatement[] {
  const docs: unknown[] = [];
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const r of Object.values(t.findResources(type) as Resources)) docs.push(r.Properties?.PolicyDocument);
  }
  for (const r of Object.values(t.findResources('AWS::IAM::Role') as Resources)) {
    for (const p of (r.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? [])
      docs.push(p.PolicyDocument);
  }
  return docs.flatMap((d) => (d as { Statement: PolicyStatement[] }).Statement).filter((s) => s.Effect === 'Allow');
}

export const actionsOf = (s: PolicyStatement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** A CloudFormation value with its intrinsics flattened to text: `arn:<AWS::Partition>:ec2:...`, `<Logical.Arn>`. */
export function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flat).join(',');
  const v = value as Record<string, unknown>;
  if (v['Fn::Join']) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(flat).join(sep);
  }
  if (v.Ref) return `<${String(v.Ref)}>`;
  if (v['Fn::GetAtt']) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  return JSON.stringify(value);
}
