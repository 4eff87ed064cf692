// The typed client against the loopback API server over real HTTP: pages, selectors, typed errors naming verb
// and resource, retries that honour Retry-After, and deletes with preconditions.

import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ConnectionError,
  ForbiddenError,
  NotFoundError,
  ServerError,
  TooManyRequestsError,
  UnauthorizedError,
} from '../../../shared/adapters/kubernetes/client/errors.js';
import { KubeClient } from '../../../shared/adapters/kubernetes/client/kube-client.js';
import { NODES, PODS } from '../../../shared/adapters/kubernetes/client/resources.js';
import { staticToken, Transport } from '../../../shared/adapters/kubernetes/client/transport.js';
import { DEFAULT_TOKEN } from '../../../shared/sim/kube-api/server.js';
import { clientFor, FAST_RETRY, node, pod, seed, startApi } from './support/world.js';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

describe('KubeClient: lists', () => {
  it('reads every page through continue tokens, as one snapshot at the first page’s version', async () => {
    const server = await startApi();
    seed(server, 'pods', ...Array.from({ length: 7 }, (_, i) => pod(`web-${i}`, 'node-a')));
    const client = clientFor(server);

    const first = await client.list(PODS, { limit: 3 });
    expect(first.items.map((p) => p.metadata?.name)).toEqual(['web-0', 'web-1', 'web-2']);
    expect(first.continue).toBeDefined();
    // Written after the first page: a consistent list does not show it.
    seed(server, 'pods', pod('web-9', 'node-a'));
    const all = await client.listAll(PODS, { limit: 3 });
    expect(all.items).toHaveLength(8);

    const second = await client.list(PODS, { limit: 3, continue: first.continue });
    const third = await client.list(PODS, { limit: 3, continue: second.continue });
    expect([...second.items, ...third.items].map((p) => p.metadata?.name)).toEqual([
      'web-3',
      'web-4',
      'web-5',
      'web-6',
    ]);
    expect(third.continue).toBeUndefined();
    expect(third.resourceVersion).toBe(first.resourceVersion);
  });

  it('asks for limit=500 pages by default and follows them all', async () => {
    const server = await startApi();
    seed(server, 'nodes', node('node-a'));
    await clientFor(server).listAll(NODES);
    expect(server.requests.filter((r) => r.verb === 'list').map((r) => r.query.limit)).toEqual(['500']);
  });

  it('filters with field selectors (spec.nodeName=) and label selectors', async () => {
    const server = await startApi();
    seed(server, 'pods', pod('a-1', 'node-a', 'web'), pod('a-2', 'node-a', 'db'), pod('b-1', 'node-b', 'web'));
    seed(server, 'pods', pod('pending', undefined, 'web'));
    const client = clientFor(server);
    const names = async (options: { fieldSelector?: string; labelSelector?: string }) =>
      (await client.listAll(PODS, options)).items.map((p) => p.metadata?.name);

    expect(await names({ fieldSelector: 'spec.nodeName=node-a' })).toEqual(['a-1', 'a-2']);
    expect(await names({ fieldSelector: 'spec.nodeName=' })).toEqual(['pending']);
    expect(await names({ fieldSelector: 'spec.nodeName=node-a', labelSelector: 'app=web' })).toEqual(['a-1']);
    expect(await names({ labelSelector: 'app in (db),app!=web' })).toEqual(['a-2']);
    expect(await names({ fieldSelector: 'status.phase!=Running' })).toEqual(['pending']);
  });
});

describe('KubeClient: errors name the verb and the resource', () => {
  it('a call RBAC forbids is a ForbiddenError saying which verb on which resource', async () => {
    const server = await startApi();
    seed(server, 'nodes', node('node-a'));
    server.access.deny('delete', 'nodes');
    const error = await rejection(clientFor(server).delete(NODES, 'node-a'));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.message).toBe(
      'delete nodes "node-a": Forbidden (HTTP 403): nodes "node-a" is forbidden: User "fleetwright" cannot delete ' +
        'resource "nodes" in API group "" at the cluster scope',
    );
    expect(error).toMatchObject({ verb: 'delete', resource: 'nodes', objectName: 'node-a', status: 403 });
  });

  it('names the subresource and namespace too', async () => {
    const server = await startApi();
    seed(server, 'pods', pod('web-0', 'node-a'));
    server.access.deny('create', 'pods/eviction');
    const error = await rejection(clientFor(server).evict('default', 'web-0'));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.message).toMatch(/^create pods\/eviction "web-0" in namespace default: Forbidden \(HTTP 403\): /);
    expect(error.message).toContain('cannot create resource "pods/eviction"');
  });

  it('a refused token is an UnauthorizedError, after one retry with a fresh token', async () => {
    const server = await startApi();
    const error = await rejection(clientFor(server, { token: 'stolen' }).listAll(NODES));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.message).toBe('list nodes: Unauthorized (HTTP 401): Unauthorized');
    expect(server.requests.map((r) => r.status)).toEqual([401, 401]);
  });

  it('a missing object is a NotFoundError', async () => {
    const server = await startApi();
    const error = await rejection(clientFor(server).get(NODES, 'ghost'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('get nodes "ghost": NotFound (HTTP 404): nodes "ghost" not found');
  });
});

describe('KubeClient: retries', () => {
  it('waits as long as Retry-After says on a 429, then succeeds', async () => {
    const server = await startApi();
    seed(server, 'nodes', node('node-a'));
    server.faults.inject({ verb: 'list', resource: 'nodes', status: 429, retryAfterSeconds: 1 });
    const started = performance.now();
    // The backoff alone would retry within 20 ms: only Retry-After explains a wait of a second.
    const { items } = await clientFor(server).listAll(NODES);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(items).toHaveLength(1);
    expect(server.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('retries 5xx with backoff and gives up after maxAttempts with a typed error', async () => {
    const server = await startApi();
    server.faults.inject({ status: 500, times: 2 });
    expect((await clientFor(server).listAll(NODES)).items).toEqual([]);
    expect(server.requests.map((r) => r.status)).toEqual([500, 500, 200]);

    server.faults.inject({ status: 503, times: 10 });
    const error = await rejection(clientFor(server).listAll(NODES));
    expect(error).toBeInstanceOf(ServerError);
    expect(server.requests.length).toBe(3 + FAST_RETRY.maxAttempts);
  });

  it('abandons an attempt the server does not answer in time, and retries it', async () => {
    const server = await startApi();
    seed(server, 'nodes', node('node-a'));
    server.faults.inject({ verb: 'get', resource: 'nodes', delayMs: 500 });
    const client = new KubeClient(
      new Transport({
        server: server.url,
        tokens: staticToken(DEFAULT_TOKEN),
        retry: FAST_RETRY,
        requestTimeoutMs: 100,
      }),
    );
    const found = await client.get(NODES, 'node-a');
    expect(found.metadata?.name).toBe('node-a');
    expect(server.requests.filter((r) => r.verb === 'get')).toHaveLength(2);
  });

  it('reports a request that never gets an answer as a ConnectionError saying it timed out', async () => {
    const server = await startApi();
    server.faults.inject({ delayMs: 1_000, times: 2 });
    const client = new KubeClient(
      new Transport({
        server: server.url,
        tokens: staticToken(DEFAULT_TOKEN),
        retry: { ...FAST_RETRY, maxAttempts: 2 },
        requestTimeoutMs: 50,
      }),
    );
    const error = await rejection(client.get(NODES, 'node-a'));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toBe('get nodes "node-a": no answer within 50 ms');
  });

  it('gives up on a 429 that lasts, as TooManyRequestsError', async () => {
    const server = await startApi();
    server.faults.inject({ status: 429, retryAfterSeconds: 0, times: 10 });
    expect(await rejection(clientFor(server).get(NODES, 'node-a'))).toBeInstanceOf(TooManyRequestsError);
  });

  it('does not retry what another attempt cannot fix (404, 409, 403)', async () => {
    const server = await startApi();
    await rejection(clientFor(server).get(NODES, 'ghost'));
    expect(server.requests).toHaveLength(1);
  });
});

describe('KubeClient: deletes with preconditions', () => {
  it('deletes only the object with the given uid and resourceVersion', async () => {
    const server = await startApi();
    const [stored] = seed(server, 'nodes', node('node-a'));
    const client = clientFor(server);
    const stale = await rejection(client.delete(NODES, 'node-a', { preconditions: { uid: 'someone-else' } }));
    expect(stale).toBeInstanceOf(ConflictError);
    expect(stale.message).toContain('Precondition failed: UID in precondition: someone-else');

    await client.patch(NODES, 'node-a', { type: 'merge', body: { metadata: { labels: { touched: 'yes' } } } });
    const moved = await rejection(
      client.delete(NODES, 'node-a', { preconditions: { resourceVersion: stored?.metadata.resourceVersion } }),
    );
    expect(moved).toBeInstanceOf(ConflictError);

    const current = await client.get(NODES, 'node-a');
    await client.delete(NODES, 'node-a', {
      preconditions: { uid: current.metadata?.uid, resourceVersion: current.metadata?.resourceVersion },
    });
    expect(server.store.get('nodes', undefined, 'node-a')).toBeUndefined();
  });
});
