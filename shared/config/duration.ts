// Durations as Kubernetes and Karpenter write them (Go's `time.ParseDuration` syntax: "720h", "30s", "1h30m",
// "1.5h", "500ms"), converted to milliseconds, plus the keyword "Never" where a field allows it (Karpenter's
// `NillableDuration`: `expireAfter` and `consolidateAfter`). Karpenter's CRD patterns accept only whole s/m/h
// units; Go's wider syntax is accepted here because it is what `metav1.Duration` itself parses.

export const NEVER = 'Never';

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

// One "<number><unit>" term; a duration is one or more of them ("1h30m").
const TERM = /([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/y;

/** Examples shown whenever a duration is refused, so the fix is obvious. */
const EXAMPLES = '"30s", "15m", "1h30m", "720h"';

/**
 * Milliseconds of a Go duration such as "1h30m", rounded to whole milliseconds; undefined when `text` is not
 * one. Negative durations are refused: no field of ours means anything by them.
 */
export function durationMs(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  let total = 0;
  TERM.lastIndex = 0;
  while (TERM.lastIndex < text.length) {
    const start = TERM.lastIndex;
    const match = TERM.exec(text);
    if (!match || match.index !== start) return undefined;
    const [, digits, unit] = match;
    if (!digits || digits === '.') return undefined;
    total += Number(digits) * (UNIT_MS[unit as string] as number);
  }
  return Math.round(total);
}

export interface DurationRules {
  /** Accept "Never" (parsed to null). */
  readonly allowNever?: boolean;
  /** Refuse zero (a schedule's duration must open a window). */
  readonly positive?: boolean;
  /** Require whole minutes (cron schedules tick in minutes, so Karpenter accepts only h and m there). */
  readonly wholeMinutes?: boolean;
}

const MINUTE_MS = 60_000;

/** Why `text` is not an acceptable duration under `rules`, or undefined when it is. */
export function durationProblem(text: string, rules: DurationRules = {}): string | undefined {
  if (text === NEVER)
    return rules.allowNever ? undefined : `"Never" is not allowed here, expected a duration such as ${EXAMPLES}`;
  const ms = durationMs(text);
  if (ms === undefined) {
    const never = rules.allowNever ? ' or "Never"' : '';
    const hint = text.toLowerCase() === 'never' ? ` (write "Never" with a capital N)` : '';
    return `${JSON.stringify(text)} is not a duration, expected e.g. ${EXAMPLES}${never}${hint}`;
  }
  if (rules.positive && ms === 0) return `${JSON.stringify(text)} is zero, expected a positive duration such as "1h"`;
  if (rules.wholeMinutes && ms % MINUTE_MS !== 0) {
    return `${JSON.stringify(text)} is not a whole number of minutes, expected hours and minutes such as "30m" or "8h"`;
  }
  return undefined;
}

/** Milliseconds of a validated duration field; null for "Never". */
export function parseDurationField(text: string): number | null {
  if (text === NEVER) return null;
  const ms = durationMs(text);
  if (ms === undefined) throw new Error(`unvalidated duration ${JSON.stringify(text)}`);
  return ms;
}
