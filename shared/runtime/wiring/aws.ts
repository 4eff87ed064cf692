// The production composition root shared by both functions: real SDK clients in the function's region, the
// Kubernetes client for the EKS cluster (endpoint, CA and IAM token from the EKS client), the EC2 cloud provider
// with the bundled catalogue, the SSM config store with last-known-good, and Powertools' logger and EMF metrics.
// Built once per process (module scope) so every cache in them survives warm invocations (DESIGN.md §2).

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { SSMClient } from '@aws-sdk/client-ssm';
import { amiParametersFromClient, ec2ApiFromClient } from '../../adapters/aws/ec2/api.js';
import { Ec2CloudProvider } from '../../adapters/aws/ec2/cloud-provider.js';
import { describeClusterInfo } from '../../adapters/aws/ec2/cluster-info.js';
import type { NodeClassSpec } from '../../adapters/aws/ec2/launch-template-data.js';
import { SsmConfigStore } from '../../adapters/aws/ssm/config-store.js';
import type { KubeClient } from '../../adapters/kubernetes/client/kube-client.js';
import { clusterAccess } from '../../adapters/kubernetes/cluster-access.js';
import { connectToEks } from '../../adapters/kubernetes/eks.js';
import type { CatalogueEntry } from '../../core/instancetypes/catalogue.js';
import { type Clock, systemClock } from '../clock.js';
import { type ConfigSource, fromLoadedConfig, LastGoodConfig } from '../config.js';
import { errorFields } from '../observability/log.js';
import { METRICS_NAMESPACE, type MetricsSink, PowertoolsMetricsSink } from '../observability/metrics.js';
import type { Environment } from './environment.js';

export interface AwsRuntime {
  readonly env: Environment;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  readonly kube: KubeClient;
  readonly cloud: Ec2CloudProvider;
  readonly config: ConfigSource;
}

/** Logger and metrics for one function: JSON logs keyed by cluster, EMF in `Fleetwright` with `Cluster`. */
export function observabilityFor(service: string, clusterName: string): { logger: Logger; metrics: MetricsSink } {
  const logger = new Logger({ serviceName: service, persistentKeys: { cluster: clusterName } });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service, logger });
  return { logger, metrics: new PowertoolsMetricsSink(metrics, { Cluster: clusterName }) };
}

export async function awsRuntime(env: Environment, service: string): Promise<AwsRuntime> {
  const { logger, metrics } = observabilityFor(service, env.clusterName);
  const clock = systemClock;
  const eks = new EKSClient({ region: env.region });
  const ec2 = new EC2Client({ region: env.region });
  const ssm = new SSMClient({ region: env.region });
  const [kube, cluster, bundled] = await Promise.all([
    connectToEks({ clusterName: env.clusterName, eks, now: clock.now }),
    describeClusterInfo(eks, env.clusterName),
    bundledCatalogue(),
  ]);
  const store = new SsmConfigStore({ client: ssm, prefix: env.configPrefix, now: clock.now });
  const { config, nodeClassSpec } = configFromStore(store);
  const cloud = new Ec2CloudProvider({
    ec2: ec2ApiFromClient(ec2),
    ssm: amiParametersFromClient(ssm),
    cluster,
    nodeClassSpec,
    bundled,
    clock: clock.now,
    sleep: clock.sleep,
    onError: (what, error) => logger.warn(what, errorFields(error)),
  });
  return { env, clock, logger, metrics, kube, cloud, config };
}

/**
 * What both functions' dependencies take from the runtime alike: the cluster (per-invocation access over the one
 * shared client), the cloud provider, the config, the clock and observability.
 */
export function sharedDeps(runtime: AwsRuntime) {
  const { kube: client, clock, env } = runtime;
  return {
    clusterName: env.clusterName,
    cluster: clusterAccess({ client, clusterName: env.clusterName, now: clock.now }),
    cloud: runtime.cloud,
    config: runtime.config,
    clock,
    logger: runtime.logger,
    metrics: runtime.metrics,
  };
}

/**
 * The SSM store as the runtime's ConfigSource (last-known-good across warm invocations) and the node class specs
 * the EC2 adapter launches from, which follow the config in force.
 */
export function configFromStore(store: Pick<SsmConfigStore, 'load'>): {
  config: ConfigSource;
  nodeClassSpec: (name: string) => NodeClassSpec | undefined;
} {
  let specs: ReadonlyMap<string, NodeClassSpec> = new Map();
  const config = new LastGoodConfig({
    load: async () => {
      const loaded = await store.load();
      specs = loaded.nodeClassSpecs;
      return fromLoadedConfig(loaded);
    },
  });
  return { config, nodeClassSpec: (name) => specs.get(name) };
}

/**
 * The bundled instance-type catalogue (shared/data): fallback prices and the fields DescribeInstanceTypes lacks.
 * Imported rather than read from disk so esbuild puts it in the function's bundle (it compresses ~10x in the zip).
 */
export async function bundledCatalogue(): Promise<readonly CatalogueEntry[]> {
  const module = await import('../../data/ec2-instance-types.us-east-1.json', { with: { type: 'json' } });
  return module.default as unknown as readonly CatalogueEntry[];
}
