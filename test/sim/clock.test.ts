// The virtual clock: timers fire in due order (ties in scheduling order) with now() at their due time, chains of
// sleeps inside one advance all fire, runUntil drives a promise to completion through virtual time, and the
// adapters get `now`/`sleep` bound to it.

import { describe, expect, it } from 'vitest';
import { SIM_EPOCH, SimClock } from '../../shared/sim/clock.js';

describe('SimClock', () => {
  it('starts at the simulation epoch and moves only when advanced', async () => {
    const clock = new SimClock();
    expect(clock.now()).toBe(SIM_EPOCH);
    await clock.advance(90_000);
    expect(clock.now()).toBe(SIM_EPOCH + 90_000);
  });

  it('fires timers in order of due time, ties in scheduling order, each at its own now()', async () => {
    const clock = new SimClock(0);
    const fired: string[] = [];
    const at = (label: string) => () => fired.push(`${label}@${clock.now()}`);
    clock.setTimer(300, at('c'));
    clock.setTimer(100, at('a'));
    clock.setTimer(200, at('b1'));
    clock.setTimer(200, at('b2'));
    clock.at(50, at('first'));
    await clock.advance(250);
    expect(fired).toEqual(['first@50', 'a@100', 'b1@200', 'b2@200']);
    expect(clock.now()).toBe(250);
    await clock.advance(50);
    expect(fired.at(-1)).toBe('c@300');
  });

  it('runs a chain of sleeps within one advance, and not past it', async () => {
    const clock = new SimClock(0);
    const steps: number[] = [];
    const chain = (async () => {
      for (let i = 0; i < 5; i++) {
        await clock.sleep(1_000);
        steps.push(clock.now());
      }
    })();
    await clock.advance(3_500);
    expect(steps).toEqual([1_000, 2_000, 3_000]);
    await clock.advance(10_000);
    await chain;
    expect(steps).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
  });

  it("cancels timers, and aborts a sleep with the signal's reason", async () => {
    const clock = new SimClock(0);
    let fired = false;
    const handle = clock.setTimer(10, () => {
      fired = true;
    });
    expect(clock.cancel(handle)).toBe(true);
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    controller.abort(new Error('stopped'));
    await expect(sleeping).rejects.toThrow('stopped');
    await clock.advance(5_000);
    expect(fired).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('runUntil drives a promise through minutes of virtual time in little real time', async () => {
    const clock = new SimClock(0);
    const { sleep } = clock.adapterClock();
    const job = (async () => {
      for (let minute = 0; minute < 30; minute++) await sleep(60_000);
      return 'done';
    })();
    const started = Date.now();
    await expect(clock.runUntil(job)).resolves.toBe('done');
    expect(clock.now()).toBe(30 * 60_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('runUntil stops at a predicate, rethrows a rejection, and refuses to pass its limit', async () => {
    const clock = new SimClock(0);
    let ticks = 0;
    const tick = () => {
      ticks++;
      clock.setTimer(1_000, tick);
    };
    clock.setTimer(1_000, tick);
    await clock.runUntil(() => ticks === 10);
    expect(clock.now()).toBe(10_000);
    const failing = clock.sleep(500).then(() => {
      throw new Error('boom');
    });
    await expect(clock.runUntil(failing)).rejects.toThrow('boom');
    await expect(clock.runUntil(() => false, { limitMs: 5_000 })).rejects.toThrow(/not reached within 5000 ms/);
  });

  it('runUntil waits in real time for real I/O when no timer is pending', async () => {
    const clock = new SimClock(0);
    const io = new Promise<string>((resolve) => setTimeout(() => resolve('answered'), 20));
    await expect(clock.runUntil(io)).resolves.toBe('answered');
    expect(clock.now()).toBe(0);
    await expect(clock.runUntil(new Promise(() => {}), { stallMs: 50 })).rejects.toThrow(/stalled/);
  });

  it('refuses two advances at once, which would fire timers out of order', async () => {
    const clock = new SimClock(0);
    const first = clock.advance(10);
    await expect(clock.advance(10)).rejects.toThrow(/another advance/);
    await first;
  });

  it('hands the adapters now and sleep under the names they take', async () => {
    const clock = new SimClock(1_000);
    const adapter = clock.adapterClock();
    expect(adapter.clock()).toBe(1_000);
    expect(adapter.now()).toBe(1_000);
    let woke = false;
    void adapter.sleep(500).then(() => {
      woke = true;
    });
    await clock.advance(499);
    expect(woke).toBe(false);
    await clock.advance(1);
    expect(woke).toBe(true);
    expect(adapter.now()).toBe(1_500);
  });
});
