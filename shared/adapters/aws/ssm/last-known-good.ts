// Last-known-good: for each document whose current version is invalid, the newest older version (from
// GetParameterHistory) that validates with the other documents in force takes its place. Documents are
// tried in prefix order, and a fallback found for one is in force when the next is tried, so the result is
// one consistent set. A document with no valid version stays in the set as invalid: it is applied nowhere,
// but its name still counts (a pool is not refused for naming a class whose new version is broken).

import { buildConfigSet, type ConfigSet, type LayoutSlot, type SourceDocument } from '../../../config/config-set.js';
import { formatIssueLine } from '../../../config/issues.js';
import { SsmCallError } from './errors.js';
import type { ParameterVersion } from './parameters.js';

export interface InvalidDocument {
  readonly parameter: string;
  readonly kind: string;
  readonly name: string;
  /** The current, invalid version. */
  readonly version: number;
  /** Every error of it, one line each in the format of DESIGN.md §3 (source = the parameter name). */
  readonly errors: readonly string[];
  /**
   * The version in force instead; absent when no retained version validates (or the history could not be
   * read). Then the object is in no list of the result: the caller must not act as if it had been deleted.
   */
  readonly fallbackVersion?: number;
}

export interface StoreEntry {
  readonly parameter: string;
  readonly version: number;
  readonly value: string;
  readonly layout: LayoutSlot;
}

export interface ResolvedEntry {
  readonly parameter: string;
  readonly layout: LayoutSlot;
  /** The version whose document is in the set. */
  readonly version: number;
  /** False when no version of the document validates: it is in the set only as a name. */
  readonly inForce: boolean;
  readonly fallbackFrom?: number;
}

export interface FallbackSearch {
  /** Every retained version of the entry's parameter, in any order. */
  history(entry: StoreEntry): Promise<readonly ParameterVersion[]>;
}

export interface Resolution {
  readonly set: ConfigSet;
  /** Parallel to `set.documents`. */
  readonly entries: readonly ResolvedEntry[];
  /** The parsed JSON in the set, parallel to `entries` (a fallback's where one is in force). */
  readonly raws: readonly unknown[];
  readonly invalid: readonly InvalidDocument[];
}

type Parsed = { readonly raw: unknown; readonly parseError?: string };

function parseValue(value: string, layout: LayoutSlot): Parsed {
  try {
    return { raw: JSON.parse(value) };
  } catch (error) {
    // A stub of the right kind and name keeps the name counted, as for any other invalid document; its
    // error lines are replaced by the parse error below.
    const stub = { kind: layout.kind, metadata: { name: layout.name ?? 'settings' } };
    return { raw: stub, parseError: `cannot parse JSON: ${(error as Error).message}` };
  }
}

export async function findFallbacks(entries: readonly StoreEntry[], search: FallbackSearch): Promise<Resolution> {
  const parsed = entries.map((e) => parseValue(e.value, e.layout));
  const inputs: SourceDocument[] = entries.map((e, i) => ({
    raw: parsed[i]?.raw,
    source: e.parameter,
    layout: e.layout,
  }));
  const first = buildConfigSet(inputs, { requireNodeClasses: true });
  const resolved: ResolvedEntry[] = entries.map((e) => ({ ...e, inForce: true }));
  const invalid: InvalidDocument[] = [];
  for (const [i, entry] of entries.entries()) {
    const doc = first.documents[i];
    if (!doc || doc.issues.length === 0) continue;
    const parseError = parsed[i]?.parseError;
    const errors = parseError
      ? [`${entry.parameter}: ${parseError}`]
      : doc.issues.map((issue) => formatIssueLine(doc.source, doc.kind, doc.name, issue));
    const found = await fallbackFor(entry, i, inputs, search, errors);
    const base = { parameter: entry.parameter, kind: doc.kind, name: doc.name, version: entry.version, errors };
    if (found) {
      inputs[i] = { ...(inputs[i] as SourceDocument), raw: found.raw };
      resolved[i] = { ...entry, version: found.version, inForce: true, fallbackFrom: entry.version };
      invalid.push({ ...base, fallbackVersion: found.version });
    } else {
      resolved[i] = { ...entry, inForce: false };
      invalid.push(base);
    }
  }
  const raws = inputs.map((input) => input.raw);
  return { set: buildConfigSet(inputs, { requireNodeClasses: true }), entries: resolved, raws, invalid };
}

/**
 * The newest version older than the current one that validates in place of it, or undefined. A history that
 * cannot be read means no fallback; the reason is added to `errors`.
 */
async function fallbackFor(
  entry: StoreEntry,
  index: number,
  inputs: readonly SourceDocument[],
  search: FallbackSearch,
  errors: string[],
): Promise<{ raw: unknown; version: number } | undefined> {
  let history: readonly ParameterVersion[];
  try {
    history = await search.history(entry);
  } catch (error) {
    if (!(error instanceof SsmCallError)) throw error;
    errors.push(`${entry.parameter}: no older version could be looked up: ${error.message}`);
    return undefined;
  }
  const older = history.filter((v) => v.version < entry.version).sort((a, b) => b.version - a.version);
  for (const candidate of older) {
    const { raw, parseError } = parseValue(candidate.value, entry.layout);
    if (parseError) continue;
    const trial = inputs.map((input, i) => (i === index ? { ...input, raw } : input));
    const doc = buildConfigSet(trial, { requireNodeClasses: true }).documents[index];
    if (doc && doc.issues.length === 0) return { raw, version: candidate.version };
  }
  return undefined;
}
