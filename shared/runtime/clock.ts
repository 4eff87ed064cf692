// Time as the handlers see it: `now` and `sleep`, injected, never read from Date.now() or real timers directly.
// Production passes `systemClock`; tests and the simulator (DESIGN.md §6) pass a virtual clock, so a 75-second
// watch run, a 30-second wait for the Lease or a 15-second re-validation takes milliseconds of real time.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * The subset of the Lambda context the handlers read. `getRemainingTimeInMillis` is read once, at the start of an
 * invocation, and turned into a deadline on the injected clock: a simulator can hand in a context whose remaining
 * time is virtual, and the loop never mixes real and virtual time.
 */
export interface LambdaContextLike {
  readonly awsRequestId: string;
  readonly functionName?: string;
  getRemainingTimeInMillis(): number;
}

/** The invocation's deadline on `clock`: now plus what Lambda says is left. */
export function deadlineOf(context: LambdaContextLike, clock: Clock): number {
  return clock.now() + context.getRemainingTimeInMillis();
}
