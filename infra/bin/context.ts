// Turns `cdk deploy -c key=value` context into stack props. Values given on the command line arrive as strings,
// values in cdk.json as JSON: both are accepted (lists as JSON arrays or comma-separated strings, booleans as
// true/"true", numbers as numbers or numeric strings). Every mistake is one sentence naming the key.

import { type FleetwrightStackProps, RESPONSIVENESS_MODES, type Responsiveness } from '../stacks/fleetwright-stack.js';

export class ContextError extends Error {
  override readonly name = 'ContextError';
}

/** The context keys the app reads, each a prop of FleetwrightStack (docs/deploy.md lists them). */
export const CONTEXT_KEYS = [
  'clusterName',
  'stackName',
  'configPrefix',
  'responsiveness',
  'memorySize',
  'alarmEmail',
  'alarmTopicArn',
  'vpcId',
  'subnetIds',
  'securityGroupIds',
  'nodeRoleArns',
  'nodeRoleName',
  'createSpotServiceLinkedRole',
  'inClusterServiceAccount',
  'inClusterOidcProviderArn',
  'pendingPodAgeAlarmMinutes',
  'dashboard',
] as const;

export type ContextKey = (typeof CONTEXT_KEYS)[number];

export interface AppConfig {
  readonly stackName: string;
  readonly props: FleetwrightStackProps;
}

export function appConfigFromContext(get: (key: ContextKey) => unknown): AppConfig {
  const clusterName = text(get, 'clusterName');
  if (clusterName === undefined) {
    throw new ContextError(
      'fleetwright needs the name of your EKS cluster: cdk deploy -c clusterName=<cluster> (see docs/deploy.md)',
    );
  }
  const props: FleetwrightStackProps = {
    clusterName,
    configPrefix: text(get, 'configPrefix'),
    responsiveness: responsiveness(get),
    memorySize: number(get, 'memorySize'),
    alarmEmail: text(get, 'alarmEmail'),
    alarmTopicArn: text(get, 'alarmTopicArn'),
    vpcId: text(get, 'vpcId'),
    subnetIds: list(get, 'subnetIds'),
    securityGroupIds: list(get, 'securityGroupIds'),
    nodeRoleArns: list(get, 'nodeRoleArns'),
    nodeRoleName: text(get, 'nodeRoleName'),
    createSpotServiceLinkedRole: flag(get, 'createSpotServiceLinkedRole'),
    inClusterServiceAccount: text(get, 'inClusterServiceAccount'),
    inClusterOidcProviderArn: text(get, 'inClusterOidcProviderArn'),
    pendingPodAgeAlarmMinutes: number(get, 'pendingPodAgeAlarmMinutes'),
    dashboard: flag(get, 'dashboard'),
  };
  // Stack names allow letters, digits and hyphens only; cluster names may also hold underscores.
  const stackName = text(get, 'stackName') ?? `fleetwright-${clusterName.replace(/_/g, '-')}`;
  return { stackName, props };
}

function text(get: (key: ContextKey) => unknown, key: ContextKey): string | undefined {
  const value = get(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new ContextError(`context ${key} must be a string; it is ${JSON.stringify(value)}`);
  return value.trim();
}

function list(get: (key: ContextKey) => unknown, key: ContextKey): string[] | undefined {
  const value = get(key);
  if (value === undefined || value === null || value === '') return undefined;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (items === undefined || items.some((item) => typeof item !== 'string')) {
    throw new ContextError(`context ${key} must be a list: "a,b" on the command line or ["a", "b"] in cdk.json`);
  }
  const trimmed = (items as string[]).map((item) => item.trim()).filter((item) => item !== '');
  return trimmed.length > 0 ? trimmed : undefined;
}

function flag(get: (key: ContextKey) => unknown, key: ContextKey): boolean | undefined {
  const value = get(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ContextError(`context ${key} must be true or false; it is ${JSON.stringify(value)}`);
}

function number(get: (key: ContextKey) => unknown, key: ContextKey): number | undefined {
  const value = get(key);
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  if (!Number.isFinite(parsed))
    throw new ContextError(`context ${key} must be a number; it is ${JSON.stringify(value)}`);
  return parsed;
}

function responsiveness(get: (key: ContextKey) => unknown): Responsiveness | undefined {
  const value = text(get, 'responsiveness');
  if (value === undefined) return undefined;
  if (!(RESPONSIVENESS_MODES as readonly string[]).includes(value)) {
    throw new ContextError(
      `context responsiveness must be ${RESPONSIVENESS_MODES.join(' or ')}; it is ${JSON.stringify(value)}`,
    );
  }
  return value as Responsiveness;
}
