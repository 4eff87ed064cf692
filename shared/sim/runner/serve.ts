// `fleetwright simulate --keep-running`: after the scenario, the simulated cluster stays up and reachable the way a
// real one is, so `fleetwright status --cluster fleetwright-sim` and `plan --cluster` can be tried without AWS:
// - an AWS endpoint (EC2 Query, SSM, EKS DescribeCluster) over the simulated account, found through the SDK's
//   standard AWS_ENDPOINT_URL;
// - the Kubernetes API over HTTPS with a certificate made for this run, whose CA DescribeCluster returns, taking
//   EKS IAM tokens signed with the simulated operator's key (checked as EKS checks them);
// - the scenario's config documents pushed to the simulated Parameter Store with the real `config push` code;
// - the clock following wall time, so the reconcile and interruption functions keep running and ages are real.

import { SSMClient } from '@aws-sdk/client-ssm';
import { generate } from 'selfsigned';
import { executePush, planPush } from '../../adapters/aws/ssm/config-push.js';
import type { ConfigKind } from '../../config/document.js';
import { defaultPrefix } from '../../config/store-layout.js';
import { type AwsEndpoint, startAwsEndpoint } from '../aws-api/server.js';
import { type Authenticator, eksTokenAuthenticator } from '../kube-api/access.js';
import { DEFAULT_TOKEN } from '../kube-api/server.js';
import type { SimulationRun } from './run.js';
import { SIM_CLUSTER } from './world.js';

/** The simulated operator's AWS key: the only one the simulated cluster's API server accepts tokens from. */
export const SIM_OPERATOR_KEY = {
  accessKeyId: 'AKIAFLEETWRIGHTSIMOP',
  secretAccessKey: 'fleetwright-simulator-operator-secret',
} as const;

/** The handlers' static token, plus EKS IAM tokens for the simulated cluster signed with the operator's key. */
export function operatorAuthenticator(): Authenticator {
  const eks = eksTokenAuthenticator({
    clusterName: SIM_CLUSTER.name,
    secrets: { [SIM_OPERATOR_KEY.accessKeyId]: SIM_OPERATOR_KEY.secretAccessKey },
    user: 'sim-operator',
  });
  return (token) => (token === DEFAULT_TOKEN ? 'fleetwright' : eks(token));
}

export interface ServedCluster {
  readonly aws: AwsEndpoint;
  readonly kubeUrl: string;
  /** The environment a shell needs for the CLI to reach the simulated account. */
  readonly env: Readonly<Record<string, string>>;
  readonly prefix: string;
  close(): Promise<void>;
}

/** Opens the endpoints and stores the scenario's config. The world must allow `operatorAuthenticator()`. */
export async function serveCluster(run: SimulationRun): Promise<ServedCluster> {
  const { world } = run;
  const pki = await generate([{ name: 'commonName', value: 'fleetwright-sim-apiserver' }], {
    keyType: 'ec',
    curve: 'P-256',
    notAfterDate: new Date(Date.now() + 7 * 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  const kubeUrl = await world.server.listenTls({ key: pki.private, cert: pki.cert });
  const aws = await startAwsEndpoint({
    ec2: world.ec2,
    amiParameters: world.ec2,
    region: SIM_CLUSTER.region,
    clusters: [
      {
        ...SIM_CLUSTER,
        endpoint: kubeUrl,
        certificateAuthority: Buffer.from(pki.cert).toString('base64'),
      },
    ],
  });
  const env = {
    AWS_ENDPOINT_URL: aws.url,
    AWS_REGION: SIM_CLUSTER.region,
    AWS_ACCESS_KEY_ID: SIM_OPERATOR_KEY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SIM_OPERATOR_KEY.secretAccessKey,
  };
  const prefix = defaultPrefix(SIM_CLUSTER.name);
  const ssm = new SSMClient({ endpoint: aws.url, region: SIM_CLUSTER.region, credentials: SIM_OPERATOR_KEY });
  try {
    const documents = world.scenario.documents.map((document) => ({
      kind: document.kind as ConfigKind,
      name: String((document.metadata as { name?: unknown } | undefined)?.name ?? ''),
      document,
    }));
    await executePush(ssm, planPush(prefix, documents, [], false), () => {});
  } finally {
    ssm.destroy();
  }
  return { aws, kubeUrl, env, prefix, close: () => aws.close() };
}

/**
 * Drives the virtual clock at wall-clock pace until `signal` aborts: each timer fires when real time reaches it,
 * with the actors settled in between, as in a real cluster.
 */
export async function followRealTime(run: SimulationRun, signal: AbortSignal): Promise<void> {
  const { clock, actors } = run.world;
  while (!signal.aborted) {
    await actors.settle();
    const now = Date.now();
    const due = clock.nextDue();
    if (due !== undefined && due <= now) {
      await clock.advanceTo(due);
      continue;
    }
    await clock.advanceTo(now);
    const wait = Math.min(100, due === undefined ? 100 : due - now);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, wait);
      signal.addEventListener('abort', done);
    });
  }
}
