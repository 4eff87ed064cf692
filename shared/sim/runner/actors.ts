// Who may hold virtual time back. The handlers run real code against a real (loopback) HTTP server, so a tick
// takes real milliseconds of I/O; if the driver advanced the SimClock meanwhile (a kubelet's timer, the next
// minute's invocation), a handler would see time jump in the middle of a tick. So every Lambda invocation is an
// "actor", and the clock handed to the handlers counts its sleepers: time only moves when every running actor is
// asleep on the clock (the same rule as test/fakes/virtual-clock.ts, on the SimClock every other part uses).

import type { Clock } from '../../runtime/clock.js';
import { nextTurn, type SimClock } from '../clock.js';

/** Real time a settle waits for busy actors before giving up on them (a wedged handler must not hang the run). */
const BUSY_WAIT_LIMIT_MS = 5_000;
/**
 * Real time granted to watch streams after the cluster changed while invocations are running: the loopback
 * server's watch events must reach the handler's view before the handler's next tick is woken.
 */
const WATCH_DELIVERY_MS = 1;

export class Actors {
  private running = 0;
  private sleeping = 0;
  private lastRevision = -1;

  /** The runtime Clock for handlers and the adapters under them: their sleeps are counted. */
  readonly clock: Clock;

  constructor(
    sim: SimClock,
    /** The API server store's revision: a change means watch events may be on their way. */
    private readonly revision: () => number,
  ) {
    this.clock = {
      now: () => sim.now(),
      sleep: (ms) => {
        this.sleeping += 1;
        return sim.sleep(ms).finally(() => {
          this.sleeping -= 1;
        });
      },
    };
  }

  /** Counts `work` as an actor until it settles. */
  run<T>(work: () => Promise<T>): Promise<T> {
    this.running += 1;
    const promise = work();
    const done = () => {
      this.running -= 1;
    };
    promise.then(done, done);
    return promise;
  }

  get active(): number {
    return this.running;
  }

  private get busy(): boolean {
    return this.running > this.sleeping;
  }

  /** The SimClock's `settle` hook: wait until every running actor sleeps, and watch events have landed. */
  readonly settle = async (): Promise<void> => {
    await nextTurn();
    const started = Date.now();
    while (this.busy && Date.now() - started < BUSY_WAIT_LIMIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const revision = this.revision();
    if (this.running > 0 && revision !== this.lastRevision) {
      await new Promise((resolve) => setTimeout(resolve, WATCH_DELIVERY_MS));
      await nextTurn();
    }
    this.lastRevision = revision;
  };
}
