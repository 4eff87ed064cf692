// What both handlers wrap their body in (STYLE.md "Handlers are thin"): dependencies resolved once per process —
// lazily, on the first invocation, so a module load costs nothing and a failed build is retried by the next
// invocation — and one middy middleware for observability: the Lambda context on every log line (request id as
// correlation id, cold start), metrics published at the end, success or failure, and a failure logged once.

import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import { errorFields } from './observability/log.js';
import type { MetricsSink } from './observability/metrics.js';

/** Dependencies as given to a handler factory: built already, or a function that builds them. */
export type DepsSource<T extends object> = T | (() => T | Promise<T>);

/** The dependencies, built at most once (a build that fails is tried again on the next call). */
export function lazyDeps<T extends object>(source: DepsSource<T>): () => Promise<T> {
  if (typeof source !== 'function') return () => Promise.resolve(source);
  const build = source as () => T | Promise<T>;
  let built: Promise<T> | undefined;
  return () => {
    built ??= Promise.resolve()
      .then(build)
      .catch((error: unknown) => {
        built = undefined;
        throw error;
      });
    return built;
  };
}

/**
 * middy's early-timeout option races the handler against a real-time timer; the handlers end on their own
 * deadline measured on the injected clock instead, so a simulator can run them on virtual time. A Lambda that
 * is killed anyway loses nothing: all progress is in the cluster (DESIGN.md §2).
 */
export const MIDDY_OPTIONS = { timeoutEarlyInMillis: 0 } as const;

export function observability(
  deps: () => Promise<{ readonly logger: Logger; readonly metrics: MetricsSink }>,
): MiddlewareObj<unknown, unknown> {
  return {
    before: async (request) => {
      const { logger } = await deps();
      logger.addContext(request.context as Parameters<Logger['addContext']>[0]);
    },
    after: async () => {
      (await deps()).metrics.flush();
    },
    onError: async (request) => {
      const built = await deps().catch(() => undefined);
      if (!built) return;
      built.logger.error('invocation failed', errorFields(request.error));
      built.metrics.flush();
    },
  };
}
