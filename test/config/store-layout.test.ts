import { describe, expect, it } from 'vitest';
import {
  clusterNameProblem,
  defaultPrefix,
  normalizePrefix,
  parameterName,
  parameterSlot,
} from '../../shared/config/store-layout.js';

const PREFIX = '/fleetwright/prod/';

describe('SSM store layout', () => {
  it('names a parameter per document under the prefix', () => {
    expect(defaultPrefix('prod')).toBe(PREFIX);
    expect(parameterName(PREFIX, 'NodePool', 'web')).toBe('/fleetwright/prod/nodepools/web');
    expect(parameterName(PREFIX, 'EC2NodeClass', 'default')).toBe('/fleetwright/prod/nodeclasses/default');
    expect(parameterName(PREFIX, 'Settings', 'settings')).toBe('/fleetwright/prod/settings');
  });

  it('reads the kind and name a parameter stands for, and nothing from other names', () => {
    expect(parameterSlot(PREFIX, '/fleetwright/prod/nodepools/web')).toEqual({
      kind: 'NodePool',
      name: 'web',
      place: 'a parameter under /fleetwright/prod/nodepools/',
    });
    expect(parameterSlot(PREFIX, '/fleetwright/prod/settings')).toEqual({
      kind: 'Settings',
      place: '/fleetwright/prod/settings',
    });
    for (const other of [
      '/fleetwright/prod/nodepools/web/old',
      '/fleetwright/prod/nodepools/',
      '/fleetwright/prod/notes',
      '/fleetwright/staging/nodepools/web',
    ]) {
      expect(parameterSlot(PREFIX, other), other).toBeUndefined();
    }
  });

  it('adds the trailing slash to a prefix and refuses what SSM would refuse', () => {
    expect(normalizePrefix('/teams/a/fleet')).toEqual({ prefix: '/teams/a/fleet/' });
    expect(normalizePrefix('fleetwright/prod')).toHaveProperty('problem');
    expect(normalizePrefix('/fleet wright/')).toHaveProperty('problem');
    expect(normalizePrefix('/aws/prod/')).toEqual({
      problem: '"/aws/prod/" is reserved: parameter names may not begin with "aws" or "ssm"',
    });
  });

  it('accepts EKS cluster names only', () => {
    expect(clusterNameProblem('prod-eu_1')).toBeUndefined();
    expect(clusterNameProblem('-prod')).toMatch(/is not an EKS cluster name/);
    expect(clusterNameProblem('prod/x')).toMatch(/is not an EKS cluster name/);
  });
});
