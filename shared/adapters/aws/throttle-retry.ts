// Retries throttled AWS calls on any port (an object of async methods), with exponential backoff.
//
// The real SDK clients already retry (standard mode, 3 attempts, token bucket). This outer layer exists because
// a burst of launches can exhaust that bucket (EC2's RequestLimitExceeded is per account and per action), a
// reconcile tick can afford a few seconds, and the simulator, which implements the ports directly, has no SDK
// retry at all. A retried call sends the very same input, so a CreateFleet keeps its ClientToken and cannot
// launch twice. No jitter: one writer per cluster holds the Lease (DESIGN.md §2), so there is no herd to spread.

import { isThrottled } from './errors.js';

/** Attempts per call in all, the first included. */
export const THROTTLE_MAX_ATTEMPTS = 4;
/** First backoff; doubles per attempt (0.5 s, 1 s, 2 s): under the reconcile tick's slack. */
export const THROTTLE_BASE_DELAY_MS = 500;

export interface ThrottleRetryOptions {
  /** Waits `ms`; injected so tests and the simulator's virtual clock do not really sleep. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
}

/**
 * `api` with every method retried on throttling errors; other errors pass through at once. The result inherits
 * from `api`, so anything that is not a method (a simulator's state) still reads through.
 */
export function withThrottleRetry<T extends object>(api: T, options: ThrottleRetryOptions): T {
  const maxAttempts = options.maxAttempts ?? THROTTLE_MAX_ATTEMPTS;
  const baseDelay = options.baseDelayMs ?? THROTTLE_BASE_DELAY_MS;
  const wrapped = Object.create(api) as Record<string, unknown>;
  for (const name of methodNames(api)) {
    const method = (api as Record<string, (input: unknown) => Promise<unknown>>)[name] as (
      input: unknown,
    ) => Promise<unknown>;
    wrapped[name] = async (input: unknown) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await method.call(api, input);
        } catch (error) {
          if (!isThrottled(error) || attempt >= maxAttempts) throw error;
          await options.sleep(baseDelay * 2 ** (attempt - 1));
        }
      }
    };
  }
  return wrapped as T;
}

/** Own and inherited method names, so a class instance (the simulator's EC2) is wrapped as well as a literal. */
function methodNames(api: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = api; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name !== 'constructor' && typeof (api as Record<string, unknown>)[name] === 'function') names.add(name);
    }
  }
  return [...names];
}
