// Validation errors in the one format every fleetwright command prints (DESIGN.md §3):
//   <source>: <kind>/<name>: <json.path>: <what is wrong>
// The path starts at the document root (`spec.template.spec.requirements[0].operator`); the message names the
// bad value and what was expected. zod's own messages ("Invalid input") say neither, so every zod issue is
// rewritten here.

import type { z } from 'zod';

export type PathSegment = string | number;

/** One thing wrong with a document, before it is tied to a source and an object name. */
export interface ConfigIssue {
  readonly path: readonly PathSegment[];
  readonly message: string;
  /** Set when the field itself is refused (unknown, or not supported), not its value. */
  readonly refusedField?: true;
}

/** Shown in place of a path when the problem is the document as a whole (its size, its kind). */
export const DOCUMENT_PATH = '(document)';

/** Stands in for `metadata.name` when the document has none. */
export const UNNAMED = '<unnamed>';

// Plain keys read as `a.b`; keys with dots, slashes or spaces (label keys, resource names) as `a["x.io/y"]`.
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return DOCUMENT_PATH;
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function formatIssueLine(source: string, kind: string, name: string, issue: ConfigIssue): string {
  return `${source}: ${kind}/${name}: ${formatPath(issue.path)}: ${issue.message}`;
}

// Long values are cut so that one error stays one readable line.
const MAX_VALUE_CHARS = 60;

/** A value as it appears in a message: JSON, shortened. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > MAX_VALUE_CHARS ? `${json.slice(0, MAX_VALUE_CHARS - 3)}...` : json;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  record: 'an object',
  null: 'null',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

/** Rewrites zod's issues as config issues, one per problem, in zod's order. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PathSegment[] = []): ConfigIssue[] {
  return issues.flatMap((issue) => fromZodIssue(issue, [...prefix, ...(issue.path as PathSegment[])]));
}

function fromZodIssue(issue: z.core.$ZodIssue, path: PathSegment[]): ConfigIssue[] {
  const got = describeValue(issue.input);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined)
        return [{ path, message: `missing required field, expected ${typeName(issue.expected)}` }];
      return [{ path, message: `expected ${typeName(issue.expected)}, got ${got}${quoteHint(issue)}` }];
    case 'invalid_value': {
      const values = issue.values.map((v) => (typeof v === 'string' ? v : describeValue(v)));
      const expected = values.length === 1 ? describeValue(issue.values[0]) : `one of ${values.join(', ')}`;
      if (issue.input === undefined) return [{ path, message: `missing required field, expected ${expected}` }];
      return [{ path, message: `expected ${expected}, got ${got}` }];
    }
    case 'too_small':
    case 'too_big':
      return [{ path, message: boundMessage(issue) }];
    case 'invalid_union':
      return unionIssues(issue, path);
    case 'invalid_key':
      return fromZodIssues(issue.issues, path).map((i) => ({ path, message: `invalid key: ${i.message}` }));
    case 'invalid_element':
      return fromZodIssues(issue.issues, path);
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: [...path, key], message: 'unknown field' }));
    case 'not_multiple_of':
      return [{ path, message: `expected a multiple of ${issue.divisor}, got ${got}` }];
    case 'invalid_format':
      return [{ path, message: `${got} does not have the expected format ${issue.pattern ?? issue.format}` }];
    case 'custom':
      // Set by strictObject (fields.ts), which cannot be imported here without a cycle.
      if (issue.params?.refusedField === true) return [{ path, message: issue.message, refusedField: true }];
      return [{ path, message: issue.message }];
    default:
      return [{ path, message: (issue as z.core.$ZodIssue).message }];
  }
}

// YAML reads `values: [2]` and `value: true` as a number and a boolean; the fix is quoting them.
function quoteHint(issue: z.core.$ZodIssueInvalidType): string {
  const input = issue.input;
  if (issue.expected !== 'string' || (typeof input !== 'number' && typeof input !== 'boolean')) return '';
  return ` (quote it: "${String(input)}")`;
}

function boundMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum);
  const input = issue.input;
  if (issue.origin === 'array') {
    const count = Array.isArray(input) ? input.length : 0;
    const items = `${bound} item${bound === 1 ? '' : 's'}`;
    return `expected ${small ? 'at least' : 'at most'} ${items}, got ${count}`;
  }
  if (issue.origin === 'string') {
    if (small && bound === 1) return 'must not be empty';
    return `expected ${small ? 'at least' : 'at most'} ${bound} characters, got ${String(input).length}`;
  }
  const relation = small ? (issue.inclusive ? 'at least' : 'greater than') : issue.inclusive ? 'at most' : 'less than';
  return `expected ${relation} ${bound}, got ${describeValue(input)}`;
}

// A union fails when every branch does. When every branch only disagrees about the type, say which types
// would do; otherwise report the branch that came closest (fewest issues).
function unionIssues(issue: z.core.$ZodIssueInvalidUnion, path: PathSegment[]): ConfigIssue[] {
  const branches = issue.errors;
  const typeOnly = branches.every((b) => b.length === 1 && b[0]?.code === 'invalid_type' && b[0].path.length === 0);
  if (typeOnly && branches.length > 0) {
    const expected = branches.map((b) => typeName((b[0] as z.core.$ZodIssueInvalidType).expected));
    const list = `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}`;
    if (issue.input === undefined) return [{ path, message: `missing required field, expected ${list}` }];
    return [{ path, message: `expected ${list}, got ${describeValue(issue.input)}` }];
  }
  const closest = [...branches].sort((a, b) => a.length - b.length)[0] ?? [];
  if (closest.length === 0) return [{ path, message: `${describeValue(issue.input)} is not valid here` }];
  return fromZodIssues(closest, path);
}

/**
 * Issues in the order their fields appear in the document (zod reports in schema order, and its cross-field
 * checks last), so the lines read top to bottom like the file. Fields that are missing sort after the
 * fields present at their level; ties keep their order.
 */
export function sortByDocumentOrder(issues: readonly ConfigIssue[], document: unknown): ConfigIssue[] {
  const keyed = issues.map((issue) => ({ issue, position: documentPosition(document, issue.path) }));
  keyed.sort((a, b) => comparePositions(a.position, b.position));
  return keyed.map((k) => k.issue);
}

function documentPosition(document: unknown, path: readonly PathSegment[]): number[] {
  const position: number[] = [];
  let node = document;
  for (const segment of path) {
    if (typeof segment === 'number' || Array.isArray(node)) {
      position.push(Number(segment));
      node = Array.isArray(node) ? node[Number(segment)] : undefined;
    } else if (node !== null && typeof node === 'object') {
      const keys = Object.keys(node);
      const index = keys.indexOf(segment);
      position.push(index >= 0 ? index : keys.length);
      node = (node as Record<string, unknown>)[segment];
    } else {
      position.push(0);
      node = undefined;
    }
  }
  return position;
}

function comparePositions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
