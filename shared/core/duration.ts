// Go's `time.ParseDuration` syntax ("720h", "30s", "1h30m", "1.5h", "500ms"), the one duration format of
// Kubernetes and Karpenter: config fields and the `karpenter.sh/do-not-disrupt` annotation are read with it.

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

/** One `<number><unit>` term; `ms`/`ns`/`us` are listed before `m`/`s` so the longest unit wins. */
const TERM = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Milliseconds of a Go duration such as "1h30m" (a leading "+" allowed, as Go does), rounded to whole
 * milliseconds; undefined when `text` is not one. Negative durations are refused: nothing of ours means
 * anything by them.
 */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const body = text.startsWith('+') ? text.slice(1) : text;
  if (body === '') return undefined;
  let total = 0;
  let at = 0;
  while (at < body.length) {
    TERM.lastIndex = at;
    const match = TERM.exec(body);
    if (!match) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    at = TERM.lastIndex;
  }
  return Math.round(total);
}
