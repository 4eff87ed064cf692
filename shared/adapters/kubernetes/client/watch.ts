// A watch that lasts as long as its consumer wants it: it follows the resourceVersion of every event and
// bookmark, reconnects from there when the server ends the watch or the connection drops (so nothing is missed
// and nothing is seen twice), and relists when the server answers 410 Gone because that version has left its
// history — then the consumer gets the whole list as one RELISTED change and replaces what it knew.

import { GoneError, KubernetesError } from './errors.js';
import type { KubeClient } from './kube-client.js';
import type { ApiObject, ResourceType } from './resources.js';
import { DEFAULT_RETRY_POLICY, isRetryable, type RetryPolicy, retryDelayMs, sleep } from './retry.js';
import type { WatchOptions } from './watch-stream.js';

export type WatchChange<T> =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: T }
  | { readonly type: 'RELISTED'; readonly objects: readonly T[] };

/**
 * `resourceVersion` should be a list's version. '' (every object as ADDED first) suits a first start only: a
 * reconnection before any event or bookmark would replay them all again.
 */
export interface ResumableWatchOptions extends Omit<WatchOptions, 'signal'> {
  /**
   * Reconnection backoff. `maxAttempts` consecutive failures without a single event end the watch with the
   * last error (the API server is unreachable; the caller's next list will say so too).
   */
  readonly retry?: RetryPolicy;
  /** Told about every reconnection, for logs. */
  readonly onInterruption?: (error: KubernetesError) => void;
}

/** A resuming watch of one resource; iterate it once, `close()` to end it. */
export class ResumableWatch<T extends ApiObject> implements AsyncIterable<WatchChange<T>> {
  private readonly controller = new AbortController();
  private version: string;

  constructor(
    private readonly client: KubeClient,
    private readonly resource: ResourceType<T>,
    private readonly options: ResumableWatchOptions,
  ) {
    this.version = options.resourceVersion;
  }

  /** The resourceVersion of the last event or bookmark seen: where a reconnection continues from. */
  get resourceVersion(): string {
    return this.version;
  }

  /** Ends the watch; a pending iteration step finishes with `done`. */
  close(): void {
    this.controller.abort();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<WatchChange<T>> {
    const signal = this.controller.signal;
    const policy = this.options.retry ?? DEFAULT_RETRY_POLICY;
    let failures = 0;
    let relist = false;
    while (!signal.aborted) {
      try {
        if (relist) {
          const change = await this.relist(signal);
          relist = false;
          failures = 0;
          yield change;
          continue;
        }
        const events = this.client.watch(this.resource, { ...this.options, resourceVersion: this.version, signal });
        for await (const event of events) {
          failures = 0;
          const version = event.object.metadata?.resourceVersion;
          if (version) this.version = version;
          if (event.type !== 'BOOKMARK') yield { type: event.type, object: event.object };
        }
        // The server ended the watch (its timeoutSeconds): continue from the last version at once.
      } catch (error) {
        if (signal.aborted) return;
        if (!(error instanceof KubernetesError)) throw error;
        this.options.onInterruption?.(error);
        if (error instanceof GoneError && !relist) {
          relist = true;
          continue;
        }
        // A failed relist is retried like a failed watch, with backoff.
        failures += 1;
        if (!isRetryable(error) && !(error instanceof GoneError)) throw error;
        if (failures >= policy.maxAttempts) throw error;
        try {
          await sleep(retryDelayMs(policy, failures - 1, error.retryAfterMs), signal);
        } catch {
          return;
        }
      }
    }
  }

  private async relist(signal: AbortSignal): Promise<WatchChange<T>> {
    const { items, resourceVersion } = await this.client.listAll(this.resource, {
      namespace: this.options.namespace,
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
      signal,
    });
    this.version = resourceVersion;
    return { type: 'RELISTED', objects: items };
  }
}
