// A virtual clock for the handlers (the runtime's Clock port): `sleep` waits on virtual time, which jumps to the
// next sleeper's wake-up as soon as every running actor (an invocation started with `run`) is asleep — so a
// 75-second watch run takes milliseconds, and an invocation busy with I/O is never overtaken by another one's
// sleeping. Before each jump it lets real I/O settle for `settleMs` (watch events from a loopback API server),
// and actions scheduled with `at` run at their virtual time, with a settle after them, before sleepers wake.

import type { Clock } from '../../shared/runtime/clock.js';

interface Sleeper {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

interface Scheduled {
  readonly at: number;
  readonly seq: number;
  readonly action: () => unknown;
}

export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private sleepers: Sleeper[] = [];
  private scheduled: Scheduled[] = [];
  private actors = 0;
  private kicked = false;

  constructor(
    start: number,
    private readonly settleMs = 0,
  ) {
    this.time = start;
  }

  now = (): number => this.time;

  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.sleepers.push({ at: this.time + Math.max(0, ms), seq: this.seq++, resolve });
      this.kick();
    });

  /** Runs `action` once virtual time reaches `at` (it may start invocations with `run`). */
  at(at: number, action: () => unknown): void {
    this.scheduled.push({ at, seq: this.seq++, action });
  }

  /** Counts `work` as an actor until it settles: time only jumps while every actor sleeps. */
  run<T>(work: Promise<T>): Promise<T> {
    this.actors += 1;
    const done = () => {
      this.actors -= 1;
      this.kick();
    };
    work.then(done, done);
    return work;
  }

  /** Stops counting one actor that will never settle (an invocation "killed" mid-flight). */
  abandon(): void {
    this.actors -= 1;
    this.kick();
  }

  /** Moves time forward by `ms` at once, running what is scheduled on the way (test steps between invocations). */
  async advance(ms: number): Promise<void> {
    await this.run(this.sleep(ms));
  }

  private kick(): void {
    if (this.kicked) return;
    this.kicked = true;
    setTimeout(() => {
      this.kicked = false;
      this.step();
    }, this.settleMs);
  }

  private step(): void {
    if (this.sleepers.length === 0 || this.sleepers.length < this.actors) return;
    this.sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = (this.sleepers[0] as Sleeper).at;
    this.scheduled.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const due = this.scheduled[0];
    if (due && due.at <= next) {
      this.scheduled.shift();
      this.time = Math.max(this.time, due.at);
      due.action();
      this.kick();
      return;
    }
    this.time = Math.max(this.time, next);
    const woken = this.sleepers.filter((s) => s.at <= this.time);
    this.sleepers = this.sleepers.filter((s) => s.at > this.time);
    for (const s of woken) s.resolve();
  }
}
