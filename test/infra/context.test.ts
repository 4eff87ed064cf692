// `cdk deploy -c key=value` to stack props: strings from the command line and JSON from cdk.json alike, and one
// sentence naming the key for every mistake.

import { describe, expect, it } from 'vitest';
import { appConfigFromContext, type ContextKey } from '../../infra/bin/context.js';

const fromContext = (context: Partial<Record<ContextKey, unknown>>) => appConfigFromContext((key) => context[key]);

describe('appConfigFromContext', () => {
  it('needs the cluster name, and says how to give it', () => {
    expect(() => fromContext({})).toThrow(
      'fleetwright needs the name of your EKS cluster: cdk deploy -c clusterName=<cluster> (see docs/deploy.md)',
    );
  });

  it('names the stack after the cluster, with the hyphens stack names allow', () => {
    expect(fromContext({ clusterName: 'prod_eu' }).stackName).toBe('fleetwright-prod-eu');
    expect(fromContext({ clusterName: 'prod', stackName: 'eks-nodes' }).stackName).toBe('eks-nodes');
  });

  it('leaves every other prop to its default when not given', () => {
    const { props } = fromContext({ clusterName: 'demo' });
    expect(Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined))).toEqual({
      clusterName: 'demo',
    });
  });

  it('reads command-line strings: lists, numbers and booleans', () => {
    const { props } = fromContext({
      clusterName: 'demo',
      subnetIds: 'subnet-0a1b2c3d, subnet-0a1b2c3e',
      securityGroupIds: 'sg-0a1b2c3d',
      vpcId: 'vpc-0a1b2c3d',
      memorySize: '1024',
      createSpotServiceLinkedRole: 'true',
      dashboard: 'false',
      responsiveness: 'economy',
      pendingPodAgeAlarmMinutes: '15',
    });
    expect(props).toMatchObject({
      subnetIds: ['subnet-0a1b2c3d', 'subnet-0a1b2c3e'],
      securityGroupIds: ['sg-0a1b2c3d'],
      vpcId: 'vpc-0a1b2c3d',
      memorySize: 1024,
      createSpotServiceLinkedRole: true,
      dashboard: false,
      responsiveness: 'economy',
      pendingPodAgeAlarmMinutes: 15,
    });
  });

  it('reads JSON values from cdk.json', () => {
    const { props } = fromContext({
      clusterName: 'demo',
      nodeRoleArns: ['arn:aws:iam::123456789012:role/gpu'],
      memorySize: 768,
      createSpotServiceLinkedRole: false,
    });
    expect(props).toMatchObject({
      nodeRoleArns: ['arn:aws:iam::123456789012:role/gpu'],
      memorySize: 768,
      createSpotServiceLinkedRole: false,
    });
  });

  it.each([
    [{ responsiveness: 'fast' }, 'context responsiveness must be watch or economy; it is "fast"'],
    [{ memorySize: 'lots' }, 'context memorySize must be a number; it is "lots"'],
    [{ createSpotServiceLinkedRole: 'yes' }, 'context createSpotServiceLinkedRole must be true or false; it is "yes"'],
    [{ subnetIds: { a: 1 } }, 'context subnetIds must be a list'],
    [{ alarmEmail: 42 }, 'context alarmEmail must be a string; it is 42'],
  ])('refuses %j', (context, message) => {
    expect(() => fromContext({ clusterName: 'demo', ...context })).toThrow(message);
  });
});
