// The simulator's virtual clock (DESIGN.md §6): minutes of cluster time run in seconds because nothing in the
// simulation waits on a real timer. Every actor (the simulated EC2, the queue's poller, the kubelets, the
// handlers through their injected `sleep`) schedules on this clock, and the driver moves time forward with
// `advance` or `runUntil`. Timers fire in order of due time, then of scheduling, each with `now()` equal to its
// due time; after each one the microtasks it queued run, so a `await sleep(a); await sleep(b)` chain inside one
// `advance(a + b)` fires both.
//
// Real I/O (the loopback Kubernetes API server) still takes real time: `runUntil` yields to the event loop before
// each step (the `settle` hook) and waits in real time when no virtual timer is pending.

/** 2025-06-11T09:00:00Z: simulations start here unless told otherwise, so runs are reproducible. */
export const SIM_EPOCH = Date.UTC(2025, 5, 11, 9, 0, 0);

/** How long `runUntil` waits in real time, with no virtual timer pending, before calling the run stalled. */
const DEFAULT_STALL_MS = 10_000;
/** Default virtual-time budget of one `runUntil`: an hour of cluster time covers any single scenario step. */
const DEFAULT_LIMIT_MS = 60 * 60_000;
/** Real time slept per idle turn while only real I/O can make progress. */
const IDLE_POLL_MS = 1;

interface Timer {
  readonly handle: number;
  readonly due: number;
  readonly fire: () => void;
}

/** The clock as the adapters take it: see `SimClock.adapterClock`. */
export interface AdapterClock {
  /** Epoch ms now: the AWS adapters' `clock` option (`Ec2CloudProvider`). */
  readonly clock: () => number;
  /** The same function under the name the Kubernetes adapters and the kube-api server take (`now`). */
  readonly now: () => number;
  /** Resolves when virtual time has moved `ms` on: the adapters' `sleep` option. */
  readonly sleep: (ms: number) => Promise<void>;
}

export interface RunOptions {
  /** Reject when the target is not reached within this much virtual time. Default: one hour. */
  readonly limitMs?: number;
  /** Awaited before every step, so real I/O can land first. Default: one event-loop turn. */
  readonly settle?: () => Promise<void>;
  /** Reject after this much real time with no virtual timer pending. Default: 10 s. */
  readonly stallMs?: number;
}

/** One turn of the real event loop: every queued microtask, and whatever I/O is ready, runs first. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class SimClock {
  private current: number;
  /** Sorted by due time, then by handle (scheduling order). */
  private readonly timers: Timer[] = [];
  private nextHandle = 1;
  private advancing = false;

  constructor(start: number = SIM_EPOCH) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** Runs `fire` once virtual time reaches `now() + ms` (at once on the next advance for ms <= 0). */
  setTimer(ms: number, fire: () => void): number {
    return this.at(this.current + Math.max(0, ms), fire);
  }

  /** Runs `fire` once virtual time reaches `time`; returns a handle for `cancel`. */
  at(time: number, fire: () => void): number {
    const timer: Timer = { handle: this.nextHandle++, due: Math.max(time, this.current), fire };
    // Binary search for the first timer due later: equal due times keep their scheduling order.
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.timers[mid] as Timer).due <= timer.due) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
    return timer.handle;
  }

  /** Cancels a timer; false when it already fired or never existed. */
  cancel(handle: number): boolean {
    const index = this.timers.findIndex((t) => t.handle === handle);
    if (index < 0) return false;
    this.timers.splice(index, 1);
    return true;
  }

  /** Resolves when virtual time reaches `now() + ms`; rejects with the signal's reason if aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        this.cancel(handle);
        reject(signal?.reason);
      };
      const handle = this.setTimer(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** When the next timer is due, or undefined when none is pending. */
  nextDue(): number | undefined {
    return this.timers[0]?.due;
  }

  /** Moves virtual time `ms` forward, firing every timer due on the way, in order. */
  advance(ms: number): Promise<void> {
    return this.advanceTo(this.current + ms);
  }

  /** Moves virtual time to `time` (never backwards), firing every timer due by then, in order. */
  async advanceTo(time: number): Promise<void> {
    // Two drivers interleaving their advances would fire timers out of order.
    if (this.advancing) throw new Error('SimClock: advance called while another advance is running');
    this.advancing = true;
    try {
      await nextTurn();
      for (let timer = this.timers[0]; timer !== undefined && timer.due <= time; timer = this.timers[0]) {
        this.timers.shift();
        this.current = Math.max(this.current, timer.due);
        timer.fire();
        await nextTurn();
      }
      this.current = Math.max(this.current, time);
    } finally {
      this.advancing = false;
    }
  }

  /**
   * Advances timer by timer until `target` settles (a promise; its value is returned, its rejection thrown) or
   * holds (a predicate). Rejects when the virtual-time limit passes first, or when nothing is scheduled and
   * nothing happens for `stallMs` of real time (a deadlock: everyone waits on someone who waits on time).
   */
  async runUntil<T>(target: Promise<T> | (() => boolean), options: RunOptions = {}): Promise<T | undefined> {
    const settle = options.settle ?? nextTurn;
    const limitMs = options.limitMs ?? DEFAULT_LIMIT_MS;
    const limit = this.current + limitMs;
    const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
    const state: { done: boolean; value?: T; error?: unknown; failed?: boolean } = { done: false };
    if (typeof target !== 'function') {
      target.then(
        (value) => Object.assign(state, { done: true, value }),
        (error: unknown) => Object.assign(state, { done: true, failed: true, error }),
      );
    }
    const reached = () => (typeof target === 'function' ? target() : state.done);
    let idleSince: number | undefined;
    for (;;) {
      await settle();
      if (reached()) break;
      const due = this.nextDue();
      if (due === undefined) {
        // Only real I/O can move things on: wait for it in real time, up to the stall limit.
        idleSince ??= Date.now();
        if (Date.now() - idleSince > stallMs) throw new Error('SimClock.runUntil: stalled, no timer pending');
        await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
        continue;
      }
      idleSince = undefined;
      if (due > limit) {
        throw new Error(`SimClock.runUntil: not reached within ${limitMs} ms of virtual time`);
      }
      await this.advanceTo(due);
    }
    if (state.failed) throw state.error;
    return state.value;
  }

  /** `now` and `sleep` bound to this clock, under the option names the adapters take. */
  adapterClock(): AdapterClock {
    const now = () => this.current;
    return { clock: now, now, sleep: (ms: number) => this.sleep(ms) };
  }
}
