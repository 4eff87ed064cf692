// The loopback API server's own semantics, where the adapter tests do not reach: patches, status
// subresources, binding, graceful deletion, selectors on watches, compacted continue tokens, storage resources,
// validation.

import type { Event } from 'kubernetes-types/events/v1.js';
import { describe, expect, it } from 'vitest';
import { GoneError, KubernetesError } from '../../../shared/adapters/kubernetes/client/errors.js';
import { KubeClient } from '../../../shared/adapters/kubernetes/client/kube-client.js';
import {
  EVENTS,
  NODES,
  PERSISTENT_VOLUME_CLAIMS,
  PODS,
  VOLUME_ATTACHMENTS,
} from '../../../shared/adapters/kubernetes/client/resources.js';
import { ResumableWatch } from '../../../shared/adapters/kubernetes/client/watch.js';
import { DEFAULT_TOKEN } from '../../../shared/sim/kube-api/server.js';
import {
  claim,
  clientFor,
  eventually,
  FAST_RETRY,
  node,
  pod,
  seed,
  startApi,
  volumeAttachment,
} from '../../adapters/kubernetes/support/world.js';

/** A raw request, for what the client never sends. */
async function send(url: string, method: string, path: string, body?: unknown, contentType = 'application/json') {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${DEFAULT_TOKEN}`, 'content-type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function failure(promise: Promise<unknown>): Promise<KubernetesError> {
  const error = await promise.catch((e: unknown) => e);
  if (!(error instanceof KubernetesError)) throw new Error(`expected a KubernetesError, got ${String(error)}`);
  return error;
}

describe('kube-api: versions', () => {
  it('gives every write a new, higher resourceVersion and skips writes that change nothing', async () => {
    const server = await startApi();
    const client = clientFor(server);
    const created = await client.create(NODES, node('node-a'));
    const labelled = await client.patch(NODES, 'node-a', { type: 'merge', body: { metadata: { labels: { a: '1' } } } });
    const again = await client.patch(NODES, 'node-a', { type: 'merge', body: { metadata: { labels: { a: '1' } } } });
    expect(Number(labelled.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));
    expect(again.metadata?.resourceVersion).toBe(labelled.metadata?.resourceVersion);
    const stale = await failure(client.replace(NODES, created));
    expect(stale.status).toBe(409);
    expect(stale.message).toContain('the object has been modified; please apply your changes to the latest version');
  });
});

describe('kube-api: patches', () => {
  it('applies JSON patches (add, replace, remove, test) and refuses a failed test with 422', async () => {
    const server = await startApi();
    seed(server, 'nodes', node('node-a', { spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] } }));
    const client = clientFor(server);
    const patched = await client.patch(NODES, 'node-a', {
      type: 'json',
      body: [
        { op: 'test', path: '/spec/taints/0/key', value: 'a' },
        { op: 'add', path: '/spec/taints/-', value: { key: 'b', effect: 'NoExecute' } },
        { op: 'remove', path: '/spec/taints/0' },
        { op: 'add', path: '/metadata/labels/example.com~1role', value: 'x' },
      ],
    });
    expect(patched.spec?.taints).toEqual([{ key: 'b', effect: 'NoExecute' }]);
    expect(patched.metadata?.labels?.['example.com/role']).toBe('x');
    const failed = await failure(
      client.patch(NODES, 'node-a', { type: 'json', body: [{ op: 'test', path: '/spec/taints/0/key', value: 'a' }] }),
    );
    expect(failed.status).toBe(422);
  });

  it('applies strategic merge patches as merge patches and refuses their directives', async () => {
    const server = await startApi();
    seed(server, 'nodes', node('node-a'));
    const client = clientFor(server);
    const patched = await client.patch(NODES, 'node-a', { type: 'strategic', body: { spec: { unschedulable: true } } });
    expect(patched.spec?.unschedulable).toBe(true);
    const refused = await failure(
      client.patch(NODES, 'node-a', { type: 'strategic', body: { spec: { $patch: 'replace' } } }),
    );
    expect(refused.status).toBe(400);
    const apply = await send(server.url, 'PATCH', '/api/v1/nodes/node-a', {}, 'application/apply-patch+yaml');
    expect(apply.status).toBe(415);
  });

  it('keeps status on main-resource writes and writes only status through /status', async () => {
    const server = await startApi();
    seed(server, 'pods', pod('web-0', 'node-a'));
    const client = clientFor(server);
    const patched = await client.patch(
      PODS,
      'web-0',
      { type: 'merge', body: { status: { phase: 'Failed' } } },
      'default',
    );
    expect(patched.status?.phase).toBe('Running');
    const status = await send(
      server.url,
      'PATCH',
      '/api/v1/namespaces/default/pods/web-0/status',
      {
        status: { phase: 'Succeeded' },
        metadata: { labels: { ignored: 'yes' } },
      },
      'application/merge-patch+json',
    );
    expect(status.status).toBe(200);
    const stored = await client.get(PODS, 'web-0', 'default');
    expect(stored.status?.phase).toBe('Succeeded');
    expect(stored.metadata?.labels).toEqual({ app: 'web' });
  });
});

describe('kube-api: pods', () => {
  it('binds a pending pod once (pods/binding), and refuses to bind it again', async () => {
    const server = await startApi();
    seed(server, 'pods', pod('web-0', undefined));
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'web-0' },
      target: { kind: 'Node', name: 'node-a' },
    };
    const bound = await send(server.url, 'POST', '/api/v1/namespaces/default/pods/web-0/binding', binding);
    expect(bound).toMatchObject({ status: 201, body: { status: 'Success' } });
    const stored = await clientFor(server).get(PODS, 'web-0', 'default');
    expect(stored.spec?.nodeName).toBe('node-a');
    expect(stored.status?.conditions).toContainEqual({ type: 'PodScheduled', status: 'True' });
    const again = await send(server.url, 'POST', '/api/v1/namespaces/default/pods/web-0/binding', binding);
    expect(again).toMatchObject({ status: 409, body: { reason: 'Conflict' } });
  });

  it('with graceful deletion, marks a bound pod terminating; its PDB is then not charged again', async () => {
    const server = await startApi({ gracefulPodDeletion: true });
    seed(server, 'pods', pod('web-0', 'node-a'));
    seed(server, 'poddisruptionbudgets', {
      metadata: { name: 'web', namespace: 'default' },
      spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } },
      status: { disruptionsAllowed: 1 },
    });
    const client = clientFor(server);
    expect(await client.evict('default', 'web-0')).toEqual({ outcome: 'evicted' });
    const terminating = await client.get(PODS, 'web-0', 'default');
    expect(terminating.metadata?.deletionTimestamp).toBeDefined();
    expect(server.store.get('poddisruptionbudgets', 'default', 'web')?.status).toEqual({ disruptionsAllowed: 0 });
    expect(await client.evict('default', 'web-0')).toEqual({ outcome: 'evicted' });
  });

  it('computes a budget from the pods when a PDB has no status (as the disruption controller would)', async () => {
    const server = await startApi();
    seed(server, 'pods', pod('web-0', 'node-a'), pod('web-1', 'node-a'), pod('web-2', 'node-b'));
    seed(server, 'poddisruptionbudgets', {
      metadata: { name: 'web', namespace: 'default' },
      spec: { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } },
    });
    const client = clientFor(server);
    expect(await client.evict('default', 'web-0')).toEqual({ outcome: 'evicted' });
    expect(await client.evict('default', 'web-1')).toMatchObject({ outcome: 'blocked' });
  });
});

describe('kube-api: watches and lists', () => {
  it('turns a change that leaves or enters a selector into DELETED or ADDED', async () => {
    const server = await startApi();
    const client = clientFor(server);
    seed(server, 'pods', pod('web-0', undefined));
    const { resourceVersion } = await client.listAll(PODS);
    const watch = new ResumableWatch(client, PODS, {
      resourceVersion,
      fieldSelector: 'spec.nodeName=',
      retry: FAST_RETRY,
    });
    const seen: string[] = [];
    const done = (async () => {
      for await (const c of watch) if (c.type !== 'RELISTED') seen.push(`${c.type} ${c.object.metadata?.name}`);
    })();
    await eventually(() => server.faults.openWatches === 1);
    await send(server.url, 'POST', '/api/v1/namespaces/default/pods/web-0/binding', {
      kind: 'Binding',
      metadata: { name: 'web-0' },
      target: { kind: 'Node', name: 'node-a' },
    });
    seed(server, 'pods', pod('web-1', undefined));
    await eventually(() => seen.length === 2);
    watch.close();
    await done;
    expect(seen).toEqual(['DELETED web-0', 'ADDED web-1']);
  });

  it('answers a continue token whose version was compacted with 410, and listAll starts over', async () => {
    const server = await startApi({ historyLimit: 2 });
    seed(server, 'nodes', node('a'), node('b'), node('c'));
    const client = clientFor(server);
    const first = await client.list(NODES, { limit: 1 });
    seed(server, 'nodes', node('d'), node('e'), node('f'));
    expect(await failure(client.list(NODES, { limit: 1, continue: first.continue }))).toBeInstanceOf(GoneError);

    let pages = 0;
    const counting = new KubeClient(clientFor(server).transport);
    const original = counting.list.bind(counting);
    counting.list = (async (resource, options) => {
      pages += 1;
      // Between the first and the second page, enough writes to compact the first page's version.
      if (pages === 2) seed(server, 'nodes', node(`g${pages}`), node(`h${pages}`), node(`i${pages}`));
      return original(resource, options);
    }) as typeof counting.list;
    const { items } = await counting.listAll(NODES, { limit: 2 });
    expect(items.map((n) => n.metadata?.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g2', 'h2', 'i2']);
  });

  it('refuses unsupported field selectors and bad label selectors with 400', async () => {
    const server = await startApi();
    const client = clientFor(server);
    const field = await failure(client.list(PODS, { fieldSelector: 'spec.priority=5' }));
    expect(field.message).toContain('field label not supported: spec.priority');
    expect((await failure(client.list(PODS, { labelSelector: 'a in b' }))).status).toBe(400);
  });
});

describe('kube-api: storage', () => {
  it('serves VolumeAttachments cluster-scoped, without a spec.nodeName field selector, as the API server does', async () => {
    const server = await startApi();
    const client = clientFor(server);
    seed(server, 'volumeattachments', volumeAttachment('csi-1', 'node-a', 'pv-1'));
    const { items } = await client.list(VOLUME_ATTACHMENTS, { fieldSelector: 'metadata.name=csi-1' });
    expect(items.map((a) => a.spec.nodeName)).toEqual(['node-a']);
    const byNode = await failure(client.list(VOLUME_ATTACHMENTS, { fieldSelector: 'spec.nodeName=node-a' }));
    expect(byNode.message).toContain('field label not supported: spec.nodeName');
    expect((await send(server.url, 'GET', '/apis/storage.k8s.io/v1/namespaces/default/volumeattachments')).status).toBe(
      404,
    );
  });

  it('serves PersistentVolumeClaims by namespace', async () => {
    const server = await startApi();
    seed(server, 'persistentvolumeclaims', claim('shop', 'data', 'pv-1'));
    const client = clientFor(server);
    expect((await client.get(PERSISTENT_VOLUME_CLAIMS, 'data', 'shop')).spec?.volumeName).toBe('pv-1');
    expect((await failure(client.get(PERSISTENT_VOLUME_CLAIMS, 'data', 'default'))).status).toBe(404);
  });
});

describe('kube-api: validation', () => {
  it('refuses an events.k8s.io/v1 Event without its required fields (422)', async () => {
    const server = await startApi();
    const error = await failure(
      clientFor(server).create(EVENTS, { metadata: { name: 'e', namespace: 'default' } } as Event),
    );
    expect(error.status).toBe(422);
    expect(error.message).toContain('eventTime: Required value');
  });

  it('answers 404 for a path it does not serve, after authentication', async () => {
    const server = await startApi();
    expect((await send(server.url, 'GET', '/apis/karpenter.sh/v1/nodepools')).status).toBe(404);
    const anonymous = await fetch(`${server.url}/apis/karpenter.sh/v1/nodepools`);
    expect(anonymous.status).toBe(401);
  });
});
