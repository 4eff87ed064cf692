// Node-class selector terms -> EC2 Describe* filters (research/aws-provider.md §b.4). Terms are ORed, the fields
// of one term ANDed, so each term becomes one query; the `id` terms of a list are merged into a single query on
// the id filter. `tags: {k: "*"}` matches any value (`tag-key=k`); any other value is `tag:k=v`.

import type { Filter } from '@aws-sdk/client-ec2';

/** Matches any value of a tag. */
const ANY_VALUE = '*';

export interface SelectorTerm {
  readonly id?: string | undefined;
  readonly tags?: Readonly<Record<string, string>> | undefined;
  readonly name?: string | undefined;
  readonly owner?: string | undefined;
}

/** One Describe* query: its filters, and (images only) the owners to search. */
export interface SelectorQuery {
  readonly filters: Filter[];
  readonly owners?: string[];
}

export interface SelectorFilterNames {
  /** `subnet-id`, `group-id`, `image-id`. */
  readonly id: string;
  /** `group-name` for security groups, `name` for images; absent where terms have no name. */
  readonly name?: string;
}

/** When `name` is given without `owner`, Karpenter searches the account's own images and Amazon's. */
const DEFAULT_IMAGE_OWNERS = ['self', 'amazon'];

export function tagFilters(tags: Readonly<Record<string, string>> | undefined): Filter[] {
  return Object.entries(tags ?? {}).map(([key, value]) =>
    value === ANY_VALUE ? { Name: 'tag-key', Values: [key] } : { Name: `tag:${key}`, Values: [value] },
  );
}

/** The queries that together find everything the terms select. */
export function selectorQueries(terms: readonly SelectorTerm[], names: SelectorFilterNames): SelectorQuery[] {
  const ids = terms.flatMap((t) => (t.id === undefined ? [] : [t.id]));
  const queries: SelectorQuery[] = ids.length > 0 ? [{ filters: [{ Name: names.id, Values: ids }] }] : [];
  for (const term of terms) {
    if (term.id !== undefined) continue;
    const filters = tagFilters(term.tags);
    if (term.name !== undefined && names.name !== undefined) filters.push({ Name: names.name, Values: [term.name] });
    if (filters.length === 0 && term.owner === undefined) continue;
    const owners = term.owner !== undefined ? [term.owner] : term.name !== undefined ? DEFAULT_IMAGE_OWNERS : undefined;
    queries.push(owners === undefined || names.name !== 'name' ? { filters } : { filters, owners });
  }
  return queries;
}

/** A stable cache key for a list of terms. */
export function termsKey(terms: readonly unknown[]): string {
  return JSON.stringify(terms);
}
