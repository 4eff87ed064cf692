// When provisioning acts (karpenter-core §1.1). Watch events only decide *when*: the batch is whatever is pending
// once the window closes. A new pending pod opens the window, or keeps it open while pods keep arriving: act
// when none appeared for `idleMs`, or `maxMs` after the first — a burst of 300 pods becomes a few launches
// instead of 300. Pods still pending are looked at again every `resyncMs` (lost races, capacity errors, pods of
// nodes being drained), and an invocation's first tick acts at once (those pods have waited already).

export interface BatchTimings {
  readonly idleMs: number;
  readonly maxMs: number;
  readonly resyncMs: number;
}

export class ProvisioningGate {
  private first: number | undefined;
  private last: number | undefined;
  private lastRun: number | undefined;
  private forced = true;

  constructor(private readonly timings: BatchTimings) {}

  /** A pod became pending at `now` (seen for the first time, or pending again). */
  trigger(now: number): void {
    this.first ??= now;
    this.last = now;
  }

  /** Makes the next tick provision regardless of the window (after this invocation's own changes). */
  force(): void {
    this.forced = true;
  }

  /** Whether the batch window is open: pods arrived and the window has not closed yet. */
  isOpen(now: number): boolean {
    return this.first !== undefined && !this.windowClosed(now);
  }

  /** Whether this tick provisions; `pending` says whether any pod is waiting for capacity. */
  due(now: number, pending: boolean): boolean {
    if (this.forced) return true;
    if (this.first !== undefined) return this.windowClosed(now);
    return pending && (this.lastRun === undefined || now - this.lastRun >= this.timings.resyncMs);
  }

  /** Provisioning ran at `now`: the window closes and the triggers seen so far are spent. */
  ran(now: number): void {
    this.first = undefined;
    this.last = undefined;
    this.forced = false;
    this.lastRun = now;
  }

  private windowClosed(now: number): boolean {
    const { first, last } = this;
    if (first === undefined || last === undefined) return false;
    return now - last >= this.timings.idleMs || now - first >= this.timings.maxMs;
  }
}
