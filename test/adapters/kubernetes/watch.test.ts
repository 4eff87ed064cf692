// Watches over real HTTP: a dropped connection resumes from the last version seen (nothing lost, nothing
// twice), bookmarks move that version forward, a version the server no longer has (410) relists, and a silent
// connection is abandoned for a new one.

import type { Pod as K8sPod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { PODS } from '../../../shared/adapters/kubernetes/client/resources.js';
import { ResumableWatch, type WatchChange } from '../../../shared/adapters/kubernetes/client/watch.js';
import { clientFor, eventually, FAST_RETRY, pod, seed, startApi } from './support/world.js';

/** Consumes `watch` in the background into `seen`, as the reconcile loop would. */
function collect(watch: ResumableWatch<K8sPod>) {
  const seen: string[] = [];
  const done = (async () => {
    for await (const change of watch) seen.push(summary(change));
  })();
  return { seen, done };
}

function summary(change: WatchChange<K8sPod>): string {
  if (change.type === 'RELISTED') return `RELISTED ${change.objects.map((o) => o.metadata?.name).join(',')}`;
  return `${change.type} ${change.object.metadata?.name}`;
}

const watches = (server: { requests: { verb: string; query: Record<string, string> }[] }) =>
  server.requests.filter((r) => r.verb === 'watch');

describe('ResumableWatch', () => {
  it('resumes after a dropped connection from the last version seen, missing nothing and repeating nothing', async () => {
    const server = await startApi();
    const client = clientFor(server);
    seed(server, 'pods', pod('before', 'node-a'));
    const { resourceVersion } = await client.listAll(PODS);
    const watch = new ResumableWatch(client, PODS, { resourceVersion, retry: FAST_RETRY });
    const { seen, done } = collect(watch);

    await eventually(() => server.faults.openWatches === 1);
    seed(server, 'pods', pod('web-1', 'node-a'));
    await eventually(() => seen.length === 1);
    const versionAfterFirst = watch.resourceVersion;

    expect(server.faults.dropWatches()).toBe(1);
    // Written while the client has no connection: it must arrive after the reconnection.
    seed(server, 'pods', pod('web-2', 'node-a'));
    server.store.delete('pods', 'default', 'web-1');
    await eventually(() => seen.length === 3);
    watch.close();
    await done;

    expect(seen).toEqual(['ADDED web-1', 'ADDED web-2', 'DELETED web-1']);
    const requests = watches(server);
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(requests[0]?.query).toMatchObject({ resourceVersion, allowWatchBookmarks: 'true', watch: '1' });
    expect(requests[1]?.query.resourceVersion).toBe(versionAfterFirst);
  });

  it('moves its version forward with bookmarks, so a reconnection does not replay old changes', async () => {
    const server = await startApi({ bookmarkIntervalMs: 20 });
    const client = clientFor(server);
    const { resourceVersion } = await client.listAll(PODS);
    // Changes to other resources move the store's version; the pod watch learns it only from bookmarks.
    seed(server, 'nodes', { metadata: { name: 'node-a' } }, { metadata: { name: 'node-b' } });
    const watch = new ResumableWatch(client, PODS, { resourceVersion, retry: FAST_RETRY });
    const { seen, done } = collect(watch);
    await eventually(() => watch.resourceVersion === String(server.store.currentRevision));
    expect(Number(watch.resourceVersion)).toBeGreaterThan(Number(resourceVersion));
    watch.close();
    await done;
    expect(seen).toEqual([]);
  });

  it('relists when its version has left the server’s history (410 Gone), then goes on watching', async () => {
    const server = await startApi({ historyLimit: 3 });
    const client = clientFor(server);
    const { resourceVersion } = await client.listAll(PODS);
    seed(server, 'pods', ...['a', 'b', 'c', 'd', 'e'].map((n) => pod(n, 'node-a')));
    server.store.delete('pods', 'default', 'a');

    const watch = new ResumableWatch(client, PODS, { resourceVersion, retry: FAST_RETRY });
    const { seen, done } = collect(watch);
    await eventually(() => seen.length === 1 && server.faults.openWatches === 1);
    seed(server, 'pods', pod('f', 'node-a'));
    await eventually(() => seen.length === 2);
    watch.close();
    await done;

    expect(seen).toEqual(['RELISTED b,c,d,e', 'ADDED f']);
  });

  it('reconnects when the server ends the watch (its timeoutSeconds)', async () => {
    const server = await startApi();
    const client = clientFor(server);
    const watch = new ResumableWatch(client, PODS, { resourceVersion: '', timeoutSeconds: 0.05, retry: FAST_RETRY });
    const { seen, done } = collect(watch);
    await eventually(() => watches(server).length >= 3);
    seed(server, 'pods', pod('late', 'node-a'));
    await eventually(() => seen.includes('ADDED late'));
    watch.close();
    await done;
    expect(seen).toEqual(['ADDED late']);
  });

  it('abandons a connection that falls silent and opens a new one', async () => {
    const server = await startApi({ bookmarkIntervalMs: 60_000 });
    const client = clientFor(server);
    const interruptions: string[] = [];
    const resumable = new ResumableWatch(client, PODS, {
      resourceVersion: '',
      idleTimeoutMs: 100,
      retry: FAST_RETRY,
      onInterruption: (e) => interruptions.push(e.message),
    });
    const { done } = collect(resumable);
    await eventually(() => watches(server).length >= 2);
    resumable.close();
    await done;
    expect(interruptions[0]).toBe('watch pods: no data for 100 ms: the connection is presumed dead');
  });

  it('close() ends a pending iteration promptly', async () => {
    const server = await startApi();
    const watch = new ResumableWatch(clientFor(server), PODS, { resourceVersion: '', retry: FAST_RETRY });
    const { done } = collect(watch);
    await eventually(() => server.faults.openWatches === 1);
    watch.close();
    await done;
    await eventually(() => server.faults.openWatches === 0);
  });
});
