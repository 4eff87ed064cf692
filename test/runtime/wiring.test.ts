// Production wiring: the environment contract with infra, the lazy module-scope build, and the bundled catalogue
// imported (not read from disk) so the function bundle carries it.

import { describe, expect, it } from 'vitest';
import { bundledCatalogue } from '../../shared/runtime/wiring/aws.js';
import { ENV, readEnvironment } from '../../shared/runtime/wiring/environment.js';

describe('readEnvironment', () => {
  it('reads the cluster, region, prefix, responsiveness and rebalance opt-in, with defaults', () => {
    const env = readEnvironment({
      [ENV.clusterName]: 'prod',
      [ENV.region]: 'eu-west-1',
      [ENV.rebalanceDrainNodePools]: 'batch, web',
    });
    expect(env).toEqual({
      clusterName: 'prod',
      region: 'eu-west-1',
      configPrefix: '/fleetwright/prod/',
      responsiveness: 'watch',
      rebalanceDrainNodePools: new Set(['batch', 'web']),
    });
  });

  it('names every missing or malformed variable at once', () => {
    expect(() => readEnvironment({ [ENV.responsiveness]: 'fast', [ENV.configPrefix]: 'no-slash' })).toThrow(
      /FLEETWRIGHT_CLUSTER_NAME is not set; AWS_REGION is not set; FLEETWRIGHT_CONFIG_PREFIX: .*; FLEETWRIGHT_RESPONSIVENESS must be "watch" or "economy", got "fast"/,
    );
  });
});

describe('handlers', () => {
  it('load without building anything, and report an incomplete environment when invoked', async () => {
    const { handler } = await import('../../functions/reconcile/handler.js');
    const context = { awsRequestId: 'r-1', getRemainingTimeInMillis: () => 90_000 };
    await expect(handler({}, context)).rejects.toThrow(/environment is incomplete/);
    const { handler: interruption } = await import('../../functions/interruption/handler.js');
    await expect(interruption({ Records: [] }, context)).rejects.toThrow(/environment is incomplete/);
  });

  it('carry the bundled instance-type catalogue', async () => {
    expect((await bundledCatalogue()).length).toBe(1345);
  });
});
