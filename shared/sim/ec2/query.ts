// How EC2's Describe* calls narrow and page their answers, shared by every simulated Describe*:
// - Filters: ANDed across filters, ORed across the values of one; values take `*` and `?` wildcards; `tag:<key>`,
//   `tag-key` and `tag-value` work on any tagged resource; an unknown filter name is an error, as in EC2, so an
//   adapter typo fails here instead of silently matching everything.
// - Pages: MaxResults is checked against the operation's documented range, and NextToken is opaque and bound to
//   the query it came from (a token replayed with other filters is refused, as EC2 does).

import type { Filter, Tag } from '@aws-sdk/client-ec2';
import { canonicalJson, fnv1a32 } from '../../core/hash.js';

/** Field values of a resource for one filter name; undefined means the operation has no such filter. */
export type FilterFields<T> = Readonly<Record<string, (resource: T) => readonly (string | undefined)[]>>;

/** The documented MaxResults range of an operation and its page size when MaxResults is not given. */
export interface PageLimits {
  readonly operation: string;
  readonly min: number;
  readonly max: number;
  /** Undefined: without MaxResults the whole answer comes back in one page. */
  readonly defaultSize?: number;
}

export interface PageInput {
  readonly MaxResults?: number | undefined;
  readonly NextToken?: string | undefined;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/** Thrown for a request EC2 would refuse; the facade turns it into the SDK-shaped error. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function wildcard(pattern: string): RegExp {
  const source = pattern.replace(/\\([*?])|([*?])|[.+^${}()|[\]\\]/g, (all, escaped, wild) => {
    if (escaped) return `\\${escaped}`;
    if (wild) return wild === '*' ? '.*' : '.';
    return `\\${all}`;
  });
  return new RegExp(`^${source}$`, 's');
}

function tagValues(tags: readonly Tag[] | undefined, name: string): (string | undefined)[] | undefined {
  if (name.startsWith('tag:')) {
    const key = name.slice('tag:'.length);
    return (tags ?? []).filter((t) => t.Key === key).map((t) => t.Value);
  }
  if (name === 'tag-key') return (tags ?? []).map((t) => t.Key);
  if (name === 'tag-value') return (tags ?? []).map((t) => t.Value);
  return undefined;
}

/**
 * The resources that pass every filter. `tagsOf` makes the tag filters available; `fields` defines the rest.
 */
export function applyFilters<T>(
  resources: readonly T[],
  filters: readonly Filter[] | undefined,
  fields: FilterFields<T>,
  tagsOf?: (resource: T) => readonly Tag[] | undefined,
): T[] {
  const compiled = (filters ?? []).map((filter) => {
    const name = filter.Name ?? '';
    const known = fields[name] !== undefined || (tagsOf !== undefined && tagValues([], name) !== undefined);
    if (!known) throw new QueryError('InvalidParameterValue', `The filter '${name}' is invalid`);
    if ((filter.Values ?? []).length === 0) {
      throw new QueryError('InvalidParameterValue', `The filter '${name}' requires at least one value`);
    }
    return { name, patterns: (filter.Values ?? []).map(wildcard) };
  });
  return resources.filter((resource) =>
    compiled.every(({ name, patterns }) => {
      const field = fields[name];
      const values = field ? field(resource) : (tagValues(tagsOf?.(resource), name) ?? []);
      return values.some((v) => v !== undefined && patterns.some((p) => p.test(v)));
    }),
  );
}

/** A stable fingerprint of a request without its paging fields: what a NextToken is bound to. */
function queryFingerprint(input: object): string {
  const { MaxResults: _max, NextToken: _token, ...query } = input as Record<string, unknown>;
  return fnv1a32(canonicalJson(query)).toString(36);
}

function encodeToken(operation: string, fingerprint: string, offset: number): string {
  return Buffer.from(JSON.stringify([operation, fingerprint, offset])).toString('base64url');
}

function decodeToken(token: string, operation: string, fingerprint: string): number {
  try {
    const [op, fp, offset] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [string, string, number];
    if (op === operation && fp === fingerprint && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // Falls through to the error below: a token that does not parse is as invalid as a foreign one.
  }
  throw new QueryError('InvalidParameterValue', `Invalid value '${token}' for nextToken`);
}

/** One page of `items` for the request `input` (whose other fields are the query the token is bound to). */
export function paginate<T>(items: readonly T[], input: PageInput & object, limits: PageLimits): Page<T> {
  const { MaxResults: max, NextToken: token } = input;
  if (max !== undefined && (!Number.isInteger(max) || max < limits.min || max > limits.max)) {
    throw new QueryError(
      'InvalidParameterValue',
      `Value ( ${max} ) for parameter maxResults is invalid. Parameter must be between ${limits.min} and ${limits.max}.`,
    );
  }
  const fingerprint = queryFingerprint(input);
  const offset = token === undefined || token === '' ? 0 : decodeToken(token, limits.operation, fingerprint);
  const size = max ?? limits.defaultSize ?? items.length;
  const end = Math.min(items.length, offset + size);
  const page = items.slice(offset, end);
  return end < items.length
    ? { items: page, nextToken: encodeToken(limits.operation, fingerprint, end) }
    : { items: page };
}

/** `{ Name, Values }` filter helper for the simulator's own callers and tests. */
export function filter(name: string, ...values: string[]): Filter {
  return { Name: name, Values: values };
}
