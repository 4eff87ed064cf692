// A Karpenter document on its way to becoming a fleetwright one: a private copy that the import steps edit
// in place, and the notes they leave about what they changed or could not carry over. Notes use the issue
// shape so that they print in the one line format of DESIGN.md §3.

import { isPlainObject } from '../fields.js';
import type { ConfigIssue, PathSegment } from '../issues.js';

export type Json = Record<string, unknown>;

export interface Draft {
  readonly source: string;
  readonly kind: string;
  readonly name: string;
  /** The apiVersion the document was written in (the draft's own apiVersion changes on conversion). */
  readonly writtenAs: string;
  readonly raw: Json;
  readonly notes: ConfigIssue[];
}

export function note(draft: Draft, path: readonly PathSegment[], message: string): void {
  draft.notes.push({ path, message });
}

/** The object at `path`, or undefined when the path does not lead to one. */
export function objectAt(root: Json, path: readonly string[]): Json | undefined {
  let node: unknown = root;
  for (const key of path) {
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  return isPlainObject(node) ? node : undefined;
}

/** The object at `path`, created (and any non-object in the way replaced) when absent. */
export function ensureObject(root: Json, path: readonly string[]): Json {
  let node = root;
  for (const key of path) {
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as Json;
  }
  return node;
}

/** Removes the value at `path` (an object key or a list element); an empty parent object stays. */
export function deleteAt(root: Json, path: readonly PathSegment[]): void {
  let node: unknown = root;
  for (const segment of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<PathSegment, unknown>)[segment];
  }
  const last = path[path.length - 1];
  if (last === undefined) return;
  if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
  else if (isPlainObject(node) && typeof last === 'string') delete node[last];
}

/** A deep copy of a parsed JSON/YAML value (which holds no dates, functions or cycles). */
export function copyJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** JSON with object keys sorted, so that two settings written in different orders compare equal. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isPlainObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
