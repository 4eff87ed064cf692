// Failures on demand, for tests and for the simulator's chaos: answer the next N matching requests with 429
// (with Retry-After), 500 or 503, or late; drop open watch connections mid-stream, or run another writer's change just
// before a request is handled (a deterministic race between a client's read and its write).

export interface Fault {
  /** Matches this verb only (`list`, `patch`, ...); any verb when absent. */
  readonly verb?: string;
  /** Matches this resource only (`pods`, `pods/eviction`); any resource when absent. */
  readonly resource?: string;
  /** Answer with this error status; without it the request is answered normally (after `delayMs`). */
  readonly status?: 429 | 500 | 502 | 503 | 504;
  readonly retryAfterSeconds?: number;
  /** Hold the answer back this long first: a slow or hung API server, for client timeouts. */
  readonly delayMs?: number;
  /** How many matching requests fail; 1 by default. */
  readonly times?: number;
}

interface ArmedFault {
  readonly fault: Fault;
  remaining: number;
}

const REASONS: Record<NonNullable<Fault['status']>, string> = {
  429: 'TooManyRequests',
  500: 'InternalError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

interface Interleaved {
  readonly verb?: string;
  readonly resource?: string;
  readonly action: () => void;
}

/** Armed faults and open watches of one server; tests reach it as `server.faults`. */
export class FaultInjector {
  private readonly armed: ArmedFault[] = [];
  private readonly interleaved: Interleaved[] = [];
  private readonly watchDroppers = new Set<() => void>();

  /** Fails the next `times` requests that match. */
  inject(fault: Fault): void {
    this.armed.push({ fault, remaining: fault.times ?? 1 });
  }

  /** The fault for this request, consuming one of its occurrences; undefined when none applies. */
  take(verb: string, resource: string): Fault | undefined {
    const hit = this.armed.find(
      (a) =>
        a.remaining > 0 &&
        (!a.fault.verb || a.fault.verb === verb) &&
        (!a.fault.resource || a.fault.resource === resource),
    );
    if (!hit) return undefined;
    hit.remaining -= 1;
    return hit.fault;
  }

  /**
   * Runs `action` (typically a write to the store, standing for another controller) right before the next
   * request that matches is handled, once.
   */
  interleave(match: { readonly verb?: string; readonly resource?: string }, action: () => void): void {
    this.interleaved.push({ ...match, action });
  }

  /** Runs and forgets the interleaved action for this request, if one matches. */
  runInterleaved(verb: string, resource: string): void {
    const index = this.interleaved.findIndex(
      (i) => (!i.verb || i.verb === verb) && (!i.resource || i.resource === resource),
    );
    if (index < 0) return;
    const [hit] = this.interleaved.splice(index, 1);
    hit?.action();
  }

  /** Destroys the sockets of all open watches, as a network failure or a load balancer would. */
  dropWatches(): number {
    const droppers = [...this.watchDroppers];
    for (const drop of droppers) drop();
    return droppers.length;
  }

  /** Registered by each open watch; returns the unregister function. */
  onDropWatches(drop: () => void): () => void {
    this.watchDroppers.add(drop);
    return () => this.watchDroppers.delete(drop);
  }

  /** Number of open watch connections (tests wait for a reconnection with it). */
  get openWatches(): number {
    return this.watchDroppers.size;
  }

  clear(): void {
    this.armed.length = 0;
    this.interleaved.length = 0;
  }

  static reasonFor(status: NonNullable<Fault['status']>): string {
    return REASONS[status];
  }
}
