// Label and field selectors in their query-string syntax (`app=web,tier!=db,env in (a,b),!legacy`,
// `spec.nodeName=node-a,status.phase!=Succeeded`), and metav1.LabelSelector objects as PDBs carry them.

import type { KubeObject, SimResource } from './resources.js';
import { badRequest } from './status.js';

export type Matcher = (obj: KubeObject) => boolean;

type Requirement =
  | { readonly op: '=' | '!='; readonly key: string; readonly value: string }
  | { readonly op: 'in' | 'notin'; readonly key: string; readonly values: readonly string[] }
  | { readonly op: 'exists' | '!exists'; readonly key: string };

/** Splits on commas outside parentheses. */
function terms(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  out.push(current.trim());
  return out.filter(Boolean);
}

function parseLabelTerm(term: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (set) {
    const values = (set[3] as string).split(',').map((v) => v.trim());
    return { op: set[2] as 'in' | 'notin', key: set[1] as string, values };
  }
  const cmp = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (cmp) return { op: cmp[2] === '!=' ? '!=' : '=', key: cmp[1] as string, value: cmp[3] as string };
  if (/^![^!=\s]+$/.test(term)) return { op: '!exists', key: term.slice(1) };
  if (/^[^!=\s()]+$/.test(term)) return { op: 'exists', key: term };
  throw badRequest(`unable to parse requirement: ${JSON.stringify(term)}`);
}

function matchesLabels(req: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const value = labels[req.key];
  switch (req.op) {
    case '=':
      return value === req.value;
    case '!=':
      return value !== req.value;
    case 'in':
      return value !== undefined && req.values.includes(value);
    case 'notin':
      return value === undefined || !req.values.includes(value);
    case 'exists':
      return value !== undefined;
    case '!exists':
      return value === undefined;
  }
}

/** A `labelSelector` query parameter; an empty one matches everything. 400 for bad syntax. */
export function parseLabelSelector(selector: string | null): Matcher {
  const reqs = terms(selector ?? '').map(parseLabelTerm);
  return (obj) => reqs.every((r) => matchesLabels(r, obj.metadata.labels ?? {}));
}

/**
 * A `fieldSelector` query parameter: `=`, `==` and `!=` on the fields the resource supports; another field is
 * refused with 400 as the API server refuses it ("field label not supported").
 */
export function parseFieldSelector(selector: string | null, resource: SimResource): Matcher {
  const checks = terms(selector ?? '').map((term) => {
    const m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid field selector: ${JSON.stringify(term)}`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const read = resource.fields[field];
    if (!read) throw badRequest(`field label not supported: ${field}`);
    return (obj: KubeObject) => (read(obj) === value) === (op !== '!=');
  });
  return (obj) => checks.every((check) => check(obj));
}

export interface LabelSelectorObject {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: string;
    readonly values?: string[];
  }[];
}

/** A metav1.LabelSelector: absent matches nothing, empty matches everything (policy/v1 PDB semantics). */
export function selectorObjectMatches(
  selector: LabelSelectorObject | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  return (selector.matchExpressions ?? []).every((e) => {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!exists' } as const)[e.operator as 'In'];
    if (!op) return false;
    const req = (
      op === 'in' || op === 'notin' ? { op, key: e.key, values: e.values ?? [] } : { op, key: e.key }
    ) as Requirement;
    return matchesLabels(req, labels);
  });
}
