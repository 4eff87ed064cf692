// One HTTP exchange with the API server: bearer token, TLS through the given undici dispatcher (an Agent that
// trusts the cluster CA), a per-attempt timeout, typed errors, and retries with backoff. A 401 is retried
// once with a fresh token, because the cached one may have expired between two warm invocations.

import { type Dispatcher, fetch, type Response } from 'undici';
import { REQUEST_TIMEOUT_MS } from '../timing.js';
import {
  ConnectionError,
  errorFromResponse,
  KubernetesError,
  type RequestTarget,
  UnauthorizedError,
} from './errors.js';
import { DEFAULT_RETRY_POLICY, isRetryable, parseRetryAfter, type RetryPolicy, retryDelayMs, sleep } from './retry.js';

/** Bearer tokens; `invalidate` drops a cached one the server refused. */
export interface TokenSource {
  token(): Promise<string>;
  invalidate(): void;
}

/** A fixed token (the simulator, tests, a service-account token). */
export function staticToken(token: string): TokenSource {
  return { token: async () => token, invalidate: () => {} };
}

export interface TransportOptions {
  /** `https://<id>.gr7.<region>.eks.amazonaws.com`, or the simulator's `http://127.0.0.1:<port>`. */
  readonly server: string;
  readonly tokens: TokenSource;
  /** An undici Agent with the cluster CA; undici's global dispatcher when absent. */
  readonly dispatcher?: Dispatcher;
  readonly retry?: RetryPolicy;
  readonly requestTimeoutMs?: number;
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface ApiRequest extends RequestTarget {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Query;
  readonly body?: unknown;
  /** Defaults to `application/json` when there is a body. */
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  /** Which failures another attempt may fix; `isRetryable` by default. */
  readonly retryable?: (error: KubernetesError) => boolean;
}

/** HTTP to one API server: JSON requests and streaming (watch) requests, both with retries. */
export class Transport {
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(private readonly options: TransportOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.timeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  /** Sends the request (with retries) and parses the JSON answer. Throws a KubernetesError subclass. */
  async json<T>(request: ApiRequest): Promise<T> {
    const text = (await this.withRetries(request, false)) as string;
    return (text ? JSON.parse(text) : {}) as T;
  }

  /**
   * Sends a streaming request (a watch) and returns the body once a 2xx status arrived. The timeout covers
   * the response headers only; the caller watches the body for silence itself.
   */
  async open(request: ApiRequest): Promise<ReadableStream<Uint8Array>> {
    const response = (await this.withRetries(request, true)) as Response;
    if (!response.body) throw new ConnectionError(request, 'the response has no body');
    return response.body as ReadableStream<Uint8Array>;
  }

  private async withRetries(request: ApiRequest, streaming: boolean): Promise<string | Response> {
    let tokenRefreshed = false;
    let attempt = 0;
    for (;;) {
      try {
        return await this.attempt(request, streaming);
      } catch (error) {
        if (!(error instanceof KubernetesError)) throw error;
        if (error instanceof UnauthorizedError && !tokenRefreshed) {
          this.options.tokens.invalidate();
          tokenRefreshed = true;
          continue;
        }
        const retryable = (request.retryable ?? isRetryable)(error);
        if (!retryable || attempt + 1 >= this.retry.maxAttempts) throw error;
        await sleep(retryDelayMs(this.retry, attempt, error.retryAfterMs), request.signal);
        attempt += 1;
      }
    }
  }

  /** One attempt: the body text, or for a stream the open response. Errors come out typed. */
  private async attempt(request: ApiRequest, streaming: boolean): Promise<string | Response> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout.signal]) : timeout.signal;
    try {
      const response = await fetch(this.url(request), {
        method: request.method,
        headers: await this.headers(request),
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
        dispatcher: this.options.dispatcher,
      });
      if (streaming && response.ok) return response;
      const text = await response.text();
      if (response.ok) return text;
      const error = errorFromResponse(request, response.status, text);
      error.retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      throw error;
    } catch (error) {
      if (error instanceof KubernetesError) throw error;
      // The caller's own abort (a closed watch, a deadline) is not a failure of the API server.
      if (request.signal?.aborted) throw request.signal.reason;
      const why = timeout.signal.aborted ? (timeout.signal.reason as Error).message : describeFailure(error);
      throw new ConnectionError(request, why, undefined, undefined, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  private url(request: ApiRequest): URL {
    const url = new URL(request.path, this.options.server);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  private async headers(request: ApiRequest): Promise<Record<string, string>> {
    return {
      authorization: `Bearer ${await this.options.tokens.token()}`,
      accept: 'application/json',
      'user-agent': 'fleetwright',
      ...(request.body === undefined ? {} : { 'content-type': request.contentType ?? 'application/json' }),
    };
  }
}

/** `fetch failed` says nothing; the cause (ECONNREFUSED, a TLS code, "other side closed") does. */
export function describeFailure(error: unknown): string {
  const parts: string[] = [];
  for (let e = error; e instanceof Error && parts.length < 3; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    parts.push(typeof code === 'string' && !e.message.includes(code) ? `${e.message} (${code})` : e.message);
  }
  return `no answer: ${parts.join(': ') || String(error)}`;
}
