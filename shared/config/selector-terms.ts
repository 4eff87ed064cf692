// Selector terms of an EC2NodeClass (subnets, security groups; the AMI terms build on the same pieces):
// a list of terms ORed together, each term a set of fields ANDed, as Karpenter's `*SelectorTerm` types.

import { z } from 'zod';
import { alwaysCheck, checkedString, isPlainObject, strictObject } from './fields.js';
import { describeValue } from './issues.js';

// Karpenter's limits: selector terms per list, tags per term.
export const MAX_TERMS = 30;
const MAX_TAGS_PER_TERM = 20;

/** Tags that select resources: non-empty keys and values ("*" matches any value). */
export function selectorTags() {
  return alwaysCheck(z.record(z.string(), z.string()), isPlainObject, (tags: Record<string, unknown>, report) => {
    const keys = Object.keys(tags);
    if (keys.length > MAX_TAGS_PER_TERM) report([], `expected at most ${MAX_TAGS_PER_TERM} tags, got ${keys.length}`);
    for (const key of keys) {
      if (key === '' || tags[key] === '')
        report([key], 'empty tag keys and values select nothing; use "*" for any value');
    }
  });
}

export function idField(prefix: string) {
  const pattern = new RegExp(`^${prefix}-[0-9a-z]+$`);
  return checkedString((v) =>
    pattern.test(v) ? undefined : `${describeValue(v)} is not an id, expected ${prefix}-<hex>`,
  );
}

/** One selector term: it names at least one of its fields; the fields in `alone` each select on their own. */
export function selectorTerm<S extends z.ZodRawShape>(shape: S, alone: readonly (keyof S & string)[]) {
  const fields = Object.keys(shape);
  return alwaysCheck(strictObject(shape), isPlainObject, (t: Record<string, unknown>, report) => {
    const present = fields.filter((f) => t[f] !== undefined);
    if (present.length === 0) report([], `expected at least one of ${fields.join(', ')}, got none`);
    for (const field of alone) {
      if (t[field] === undefined || present.length < 2) continue;
      const others = present.filter((f) => f !== field).join(', ');
      report([field], `${field} cannot be combined with other fields in its term (${others})`);
    }
  });
}

/** A list of terms (ORed); at least one. */
export function selectorTerms<S extends z.ZodRawShape>(shape: S, alone: readonly (keyof S & string)[] = ['id']) {
  return z.array(selectorTerm(shape, alone)).min(1).max(MAX_TERMS);
}

export const subnetSelectorTerms = selectorTerms({ id: idField('subnet').optional(), tags: selectorTags().optional() });
export const securityGroupSelectorTerms = selectorTerms(
  { id: idField('sg').optional(), tags: selectorTags().optional(), name: z.string().min(1).optional() },
  ['id', 'name'],
);
