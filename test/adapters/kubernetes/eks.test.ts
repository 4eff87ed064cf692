// Connecting as the Lambda does, end to end over TLS: DescribeCluster (mocked with the EKS API's response
// shape) gives the endpoint and the CA; the loopback server presents a certificate signed by that CA and
// checks the IAM token's SigV4 signature over the cluster name, as EKS's authenticator does through STS.

import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertAccessEntries, forgetClusterConnections } from '../../../shared/adapters/kubernetes/auth/eks-cluster.js';
import { ConnectionError, UnauthorizedError } from '../../../shared/adapters/kubernetes/client/errors.js';
import { KubeClient } from '../../../shared/adapters/kubernetes/client/kube-client.js';
import { NODES } from '../../../shared/adapters/kubernetes/client/resources.js';
import { isTlsFailure } from '../../../shared/adapters/kubernetes/client/retry.js';
import { staticToken, Transport } from '../../../shared/adapters/kubernetes/client/transport.js';
import { connectToEks } from '../../../shared/adapters/kubernetes/eks.js';
import { eksTokenAuthenticator } from '../../../shared/sim/kube-api/access.js';
import { createTestPki, type TestPki } from './support/tls.js';
import { FAST_RETRY, node, seed, startApi } from './support/world.js';

const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const ROLE_USER = 'arn:aws:sts::111122223333:assumed-role/fleetwright-controller/reconcile';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});

const eksMock = mockClient(EKSClient);
afterEach(async () => {
  eksMock.reset();
  await forgetClusterConnections();
});

/** The response shape of eks:DescribeCluster for an active cluster at `endpoint`. */
function describeCluster(endpoint: string, overrides: Record<string, unknown> = {}) {
  return {
    cluster: {
      name: 'demo',
      arn: 'arn:aws:eks:us-east-1:111122223333:cluster/demo',
      version: '1.33',
      endpoint,
      status: 'ACTIVE' as const,
      certificateAuthority: { data: Buffer.from(pki.caPem).toString('base64') },
      accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' as const },
      ...overrides,
    },
  };
}

async function tlsServer(clusterName = 'demo') {
  const server = await startApi({
    tls: { key: pki.key, cert: pki.cert },
    authenticate: eksTokenAuthenticator({
      clusterName,
      secrets: { [KEY.accessKeyId]: KEY.secretAccessKey },
      user: ROLE_USER,
    }),
  });
  seed(server, 'nodes', node('node-a'));
  return server;
}

const eksClient = () => new EKSClient({ region: 'us-east-1', credentials: KEY });

describe('connectToEks', () => {
  it('talks TLS to the endpoint DescribeCluster names, trusting its CA, with an IAM token the server verifies', async () => {
    const server = await tlsServer();
    eksMock.on(DescribeClusterCommand, { name: 'demo' }).resolves(describeCluster(server.url));
    const client = await connectToEks({ clusterName: 'demo', eks: eksClient(), retry: FAST_RETRY });

    const { items } = await client.listAll(NODES);
    expect(items.map((n) => n.metadata?.name)).toEqual(['node-a']);
    expect(server.requests[0]).toMatchObject({ user: ROLE_USER, status: 200 });
    expect(eksMock).toHaveReceivedCommandWith(DescribeClusterCommand, { name: 'demo' });
  });

  it('calls DescribeCluster once for warm invocations (cached endpoint, CA and token)', async () => {
    const server = await tlsServer();
    eksMock.on(DescribeClusterCommand).resolves(describeCluster(server.url));
    const eks = eksClient();
    await (await connectToEks({ clusterName: 'demo', eks })).get(NODES, 'node-a');
    await (await connectToEks({ clusterName: 'demo', eks })).get(NODES, 'node-a');
    expect(eksMock).toHaveReceivedCommandTimes(DescribeClusterCommand, 1);
  });

  it('is refused (401) by a cluster the token was not signed for', async () => {
    const server = await tlsServer('another-cluster');
    eksMock.on(DescribeClusterCommand).resolves(describeCluster(server.url));
    const client = await connectToEks({ clusterName: 'demo', eks: eksClient(), retry: FAST_RETRY });
    await expect(client.listAll(NODES)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('refuses a server whose certificate the cluster CA did not sign, without retrying', async () => {
    const server = await tlsServer();
    const otherCa = createTestPki().caPem;
    eksMock
      .on(DescribeClusterCommand)
      .resolves(
        describeCluster(server.url, { certificateAuthority: { data: Buffer.from(otherCa).toString('base64') } }),
      );
    const client = await connectToEks({ clusterName: 'demo', eks: eksClient(), retry: FAST_RETRY });
    const error = await client.listAll(NODES).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(isTlsFailure(error)).toBe(true);
    expect((error as Error).message).toMatch(/^list nodes: no answer: fetch failed: .*certificate/);
    expect(server.requests).toEqual([]);
  });

  it('also refuses it with the default trust store (no CA given)', async () => {
    const server = await tlsServer();
    const client = new KubeClient(new Transport({ server: server.url, tokens: staticToken('x'), retry: FAST_RETRY }));
    const error = await client.get(NODES, 'node-a').catch((e: unknown) => e);
    expect(isTlsFailure(error)).toBe(true);
  });

  it.each([
    ['a cluster that is still being created', { status: 'CREATING', endpoint: undefined }, /status is CREATING/],
    ['a cluster without CA data', { certificateAuthority: {} }, /has no certificate authority data/],
    [
      'CA data that is not a PEM certificate',
      { certificateAuthority: { data: 'bm90IGEgY2VydA==' } },
      /not a PEM certificate/,
    ],
  ])('explains why it cannot connect to %s', async (_what, overrides, message) => {
    eksMock.on(DescribeClusterCommand).resolves(describeCluster('https://example.invalid', overrides));
    await expect(connectToEks({ clusterName: 'demo', eks: eksClient() })).rejects.toThrow(message);
  });
});

describe('assertAccessEntries', () => {
  const endpoint = { name: 'demo', endpoint: 'https://x', caPem: '', status: 'ACTIVE' };
  it('accepts API and API_AND_CONFIG_MAP', () => {
    expect(() => assertAccessEntries({ ...endpoint, authenticationMode: 'API' })).not.toThrow();
    expect(() => assertAccessEntries({ ...endpoint, authenticationMode: 'API_AND_CONFIG_MAP' })).not.toThrow();
  });
  it('refuses CONFIG_MAP with the sentence and the command that fixes it', () => {
    expect(() => assertAccessEntries({ ...endpoint, authenticationMode: 'CONFIG_MAP' })).toThrow(
      /access entries need the cluster's authentication mode API or API_AND_CONFIG_MAP, but it is CONFIG_MAP/,
    );
  });
});
