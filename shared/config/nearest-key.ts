// "did you mean" for unknown fields: the known key nearest to a misspelt one by edit distance.

/** Levenshtein distance (insertions, deletions, substitutions each cost 1). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

// A suggestion helps only when it is plausibly what was meant: allow one edit per three characters (so
// "requirments" -> "requirements", "tains" -> "taints", but "foo" suggests nothing), and at least one.
const CHARACTERS_PER_EDIT = 3;

/**
 * The candidate closest to `key` (case-insensitively, first wins ties), or undefined when none is close
 * enough to be a likely typo.
 */
export function nearestKey(key: string, candidates: readonly string[]): string | undefined {
  const wanted = key.toLowerCase();
  const allowed = Math.max(1, Math.floor(key.length / CHARACTERS_PER_EDIT));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= allowed ? best : undefined;
}
