// Watch streams: a chunked 200 response with one JSON event per line. From resourceVersion '' or '0' it starts
// with an ADDED event per existing object; from a version N it replays the changes after N from the store's
// history (an ERROR event with a 410 Status when N has been compacted, as the watch cache answers), then goes
// live. With selectors, an object that starts or stops matching is ADDED or DELETED, as for the real thing.

import type { ServerResponse } from 'node:http';
import type { FaultInjector } from './faults.js';
import { type ApiCall, withKind } from './handlers.js';
import type { KubeObject } from './resources.js';
import { apiVersionOf } from './resources.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { failure } from './status.js';
import type { Change, ObjectStore } from './store.js';

export interface WatchContext {
  readonly store: ObjectStore;
  readonly faults: FaultInjector;
  /** How often a watch that asked for bookmarks gets one (the API server: about a minute). */
  readonly bookmarkIntervalMs: number;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** Serves `call` (a watch) on `res` until the timeout, the client leaving, or a dropped connection. */
export function serveWatch(ctx: WatchContext, call: ApiCall, res: ServerResponse): void {
  const { store, faults } = ctx;
  const { resource, query } = call;
  const matchesLabels = parseLabelSelector(query.get('labelSelector'));
  const matchesFields = parseFieldSelector(query.get('fieldSelector'), resource);
  const matches = (obj: KubeObject | undefined) =>
    obj !== undefined &&
    (!call.namespace || obj.metadata.namespace === call.namespace) &&
    matchesLabels(obj) &&
    matchesFields(obj);
  const send = (type: EventType, object: unknown) => res.write(`${JSON.stringify({ type, object })}\n`);

  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
  // The API server answers a watch at once; Node would hold the headers back until the first event.
  res.flushHeaders();
  const version = query.get('resourceVersion') ?? '';
  const replay = version === '' || version === '0' ? undefined : store.changesSince(Number(version));
  if (version !== '' && version !== '0' && (!replay || Number.isNaN(Number(version)))) {
    send('ERROR', failure(410, 'Expired', `too old resource version: ${version} (${store.oldestRevision})`));
    res.end();
    return;
  }

  const deliver = (change: Change) => {
    if (change.resource !== resource) return;
    const was = matches(change.previous);
    const is = change.type !== 'DELETED' && matches(change.object);
    const type: EventType | undefined = was && is ? 'MODIFIED' : is ? 'ADDED' : was ? 'DELETED' : undefined;
    if (type) send(type, withKind(resource, change.object));
  };
  if (replay) replay.forEach(deliver);
  else for (const obj of store.list(resource)) if (matches(obj)) send('ADDED', withKind(resource, obj));

  // Synchronous from here to the subscription: no write can slip between the replay and going live.
  const unsubscribe = store.subscribe(deliver);
  const bookmarks =
    query.get('allowWatchBookmarks') === 'true'
      ? setInterval(() => {
          const metadata = { resourceVersion: String(store.currentRevision) };
          send('BOOKMARK', { apiVersion: apiVersionOf(resource), kind: resource.kind, metadata });
        }, ctx.bookmarkIntervalMs)
      : undefined;
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0);
  const timeout = timeoutSeconds > 0 ? setTimeout(() => res.end(), timeoutSeconds * 1000) : undefined;
  const unregister = faults.onDropWatches(() => res.socket?.destroy());
  res.on('close', () => {
    unsubscribe();
    unregister();
    clearInterval(bookmarks);
    clearTimeout(timeout);
  });
}
