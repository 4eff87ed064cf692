// One watch connection: `GET ...?watch=1&resourceVersion=N&allowWatchBookmarks=true`, whose chunked body is
// one JSON event per line. It ends when the server ends the watch (timeoutSeconds), and throws a GoneError when
// the resourceVersion is too old, or a ConnectionError when the connection drops or falls silent.

import { WATCH_IDLE_TIMEOUT_MS, WATCH_TIMEOUT_SECONDS } from '../timing.js';
import { ConnectionError, errorFromResponse, KubernetesError, parseStatus, type RequestTarget } from './errors.js';
import { type ApiObject, collectionPath, type ResourceType } from './resources.js';
import { describeFailure, type Transport } from './transport.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

/** A change; for BOOKMARK only `object.metadata.resourceVersion` is meaningful. */
export interface WatchEvent<T> {
  readonly type: WatchEventType;
  readonly object: T;
}

export interface WatchOptions {
  /** Changes after this version are sent; '' or '0' start with an ADDED event per existing object. */
  readonly resourceVersion: string;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Server-side length of the watch. */
  readonly timeoutSeconds?: number;
  /** Silence after which the connection is considered dead. */
  readonly idleTimeoutMs?: number;
  /** Aborting ends the iteration quietly. */
  readonly signal?: AbortSignal;
}

/** The events of one watch connection, in order. */
export async function* watchOnce<T extends ApiObject>(
  transport: Transport,
  resource: ResourceType<T>,
  options: WatchOptions,
): AsyncGenerator<WatchEvent<T>> {
  const target: RequestTarget = { verb: 'watch', resource: resource.plural, namespace: options.namespace };
  const connection = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, connection.signal]) : connection.signal;
  const idleMs = options.idleTimeoutMs ?? WATCH_IDLE_TIMEOUT_MS;
  let idle = false;
  let timer: NodeJS.Timeout | undefined;
  const armIdleTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      idle = true;
      connection.abort(new Error(`watch silent for ${idleMs} ms`));
    }, idleMs);
  };
  try {
    const body = await transport.open({
      ...target,
      method: 'GET',
      path: collectionPath(resource, options.namespace),
      query: {
        watch: 1,
        resourceVersion: options.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: options.timeoutSeconds ?? WATCH_TIMEOUT_SECONDS,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
      },
      signal,
      // Reconnecting is the caller's loop (watch.ts), with its own backoff: no retries nested inside it.
      retryable: () => false,
    });
    armIdleTimer();
    for await (const line of lines(body, armIdleTimer)) {
      const event = parseEvent<T>(target, line);
      // Silence while the consumer is busy with an event is not the connection's fault.
      clearTimeout(timer);
      yield event;
      armIdleTimer();
    }
  } catch (error) {
    if (options.signal?.aborted) return;
    if (idle) throw new ConnectionError(target, `no data for ${idleMs} ms: the connection is presumed dead`);
    if (error instanceof KubernetesError) throw error;
    // Anything else is the body stream failing mid-way: a reset or closed connection.
    throw new ConnectionError(target, `watch interrupted: ${describeFailure(error)}`, undefined, undefined, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    // Releases the socket when the consumer stops early (break, return, or an error above).
    connection.abort();
  }
}

/** Splits the body into lines as chunks arrive; `onData` is called per chunk (it re-arms the idle timer). */
async function* lines(body: ReadableStream<Uint8Array>, onData: () => void): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onData();
      buffer += decoder.decode(value, { stream: true });
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) yield line;
        newline = buffer.indexOf('\n');
      }
    }
    const rest = (buffer + decoder.decode()).trim();
    if (rest) yield rest;
  } finally {
    reader.releaseLock();
  }
}

/** An event; an ERROR event becomes the typed error of its Status (410 → GoneError). */
function parseEvent<T>(target: RequestTarget, line: string): WatchEvent<T> {
  let event: { type?: string; object?: unknown };
  try {
    event = JSON.parse(line);
  } catch (cause) {
    throw new ConnectionError(target, `unreadable watch event: ${line.slice(0, 200)}`, undefined, undefined, { cause });
  }
  if (event.type === 'ERROR') {
    const status = parseStatus(event.object);
    throw errorFromResponse(target, status?.code ?? 500, JSON.stringify(event.object ?? {}));
  }
  if (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED' && event.type !== 'BOOKMARK') {
    throw new ConnectionError(target, `unknown watch event type ${JSON.stringify(event.type)}`);
  }
  return { type: event.type, object: event.object as T };
}
