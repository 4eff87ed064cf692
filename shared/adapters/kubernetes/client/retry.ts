// When and how long to wait before trying a request again: exponential backoff with full jitter, except that
// the server's own `Retry-After` wins. Only failures that another attempt can fix are retried.

import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, MAX_ATTEMPTS, RETRY_AFTER_MAX_MS } from '../timing.js';
import { ConnectionError, type KubernetesError, ServerError, TooManyRequestsError } from './errors.js';

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
}

/** The policy of production calls, from the constants in timing.ts. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: MAX_ATTEMPTS,
  baseDelayMs: BACKOFF_BASE_MS,
  maxDelayMs: BACKOFF_MAX_MS,
  maxRetryAfterMs: RETRY_AFTER_MAX_MS,
};

/**
 * Throttling (429, except a PDB's refusal of an eviction, which is a verdict), server errors and failures to
 * get an answer at all. TLS verification failures are not retried: another attempt meets the same certificate.
 */
export function isRetryable(error: KubernetesError): boolean {
  if (error instanceof TooManyRequestsError) return !error.disruptionBudget;
  if (error instanceof ServerError) return true;
  if (error instanceof ConnectionError) return !isTlsFailure(error);
  return false;
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Whether the cause chain holds a certificate verification error. */
export function isTlsFailure(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TLS_CODES.has(code)) return true;
  }
  return false;
}

/**
 * Delay before attempt `attempt + 1` (attempt counts from 0 for the first retry). `Retry-After` is honoured
 * up to the policy's cap; otherwise a random delay in [0, min(max, base·2^attempt)] — full jitter, so that
 * the Lambdas of many clusters throttled together do not retry together.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A sleep that ends early (rejecting) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
