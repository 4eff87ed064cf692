// Durations as Kubernetes and Karpenter write them (Go's `time.ParseDuration` syntax: "720h", "30s", "1h30m",
// "1.5h", "500ms"), converted to milliseconds, plus the keyword "Never" where a field allows it (Karpenter's
// `NillableDuration`: `expireAfter` and `consolidateAfter`). Karpenter's CRD patterns accept only whole s/m/h
// units; Go's wider syntax is accepted here because it is what `metav1.Duration` itself parses.

import { parseGoDuration } from '../core/duration.js';

export const NEVER = 'Never';

/** Examples shown whenever a duration is refused, so the fix is obvious. */
const EXAMPLES = '"30s", "15m", "1h30m", "720h"';

/** Milliseconds of a Go duration such as "1h30m"; undefined when `text` is not one (see core/duration.ts). */
export function durationMs(text: string): number | undefined {
  return parseGoDuration(text);
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
