// One label requirement as a set algebra: a set of values or its complement, with optional integer bounds.
// Every operator maps onto that shape (Karpenter's `pkg/scheduling/requirement.go` does the same), so
// intersection and compatibility are a few set operations:
//   In [a b]      -> {a, b}                 DoesNotExist -> {}
//   NotIn [a b]   -> complement of {a, b}   Exists       -> complement of {}
//   Gt n / Gte n  -> complement of {}, greaterThan n / n-1 (exclusive)
//   Lt n / Lte n  -> complement of {}, lessThan n / n+1 (exclusive)

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt' | 'Gte' | 'Lte';

export const OPERATORS: readonly Operator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt', 'Gte', 'Lte'];

/** The wire form, as in a NodeSelectorRequirement (plus Karpenter's `minValues`). */
export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values?: readonly string[];
  readonly minValues?: number;
}

const EMPTY_SET: ReadonlySet<string> = new Set();

export class Requirement {
  private constructor(
    readonly key: string,
    readonly complement: boolean,
    readonly values: ReadonlySet<string>,
    readonly greaterThan: number | undefined,
    readonly lessThan: number | undefined,
    readonly minValues: number | undefined,
  ) {}

  static of(key: string, operator: Operator, values: readonly string[] = [], minValues?: number): Requirement {
    switch (operator) {
      case 'In':
        return new Requirement(key, false, new Set(values), undefined, undefined, minValues);
      case 'NotIn':
        return new Requirement(key, true, new Set(values), undefined, undefined, minValues);
      case 'Exists':
        return new Requirement(key, true, EMPTY_SET, undefined, undefined, minValues);
      case 'DoesNotExist':
        return new Requirement(key, false, EMPTY_SET, undefined, undefined, minValues);
      case 'Gt':
        return new Requirement(key, true, EMPTY_SET, Number(values[0]), undefined, minValues);
      case 'Gte':
        return new Requirement(key, true, EMPTY_SET, Number(values[0]) - 1, undefined, minValues);
      case 'Lt':
        return new Requirement(key, true, EMPTY_SET, undefined, Number(values[0]), minValues);
      case 'Lte':
        return new Requirement(key, true, EMPTY_SET, undefined, Number(values[0]) + 1, minValues);
    }
  }

  static fromWire(r: NodeSelectorRequirement): Requirement {
    return Requirement.of(r.key, r.operator, r.values ?? [], r.minValues);
  }

  /** The requirement a label `key=value` puts on a node. */
  static single(key: string, value: string): Requirement {
    return new Requirement(key, false, new Set([value]), undefined, undefined, undefined);
  }

  /** The operator this set reads as (bounds read as Exists, as in Karpenter). */
  operator(): Operator {
    if (this.complement) return this.values.size > 0 ? 'NotIn' : 'Exists';
    return this.values.size > 0 ? 'In' : 'DoesNotExist';
  }

  /** Number of allowed values; a complement is "unbounded". */
  size(): number {
    return this.complement ? Number.MAX_SAFE_INTEGER - this.values.size : this.values.size;
  }

  has(value: string): boolean {
    if (!withinBounds(value, this.greaterThan, this.lessThan)) return false;
    return this.complement ? !this.values.has(value) : this.values.has(value);
  }

  /** The values allowed by both. */
  intersection(other: Requirement): Requirement {
    if (other === this) return this;
    const complement = this.complement && other.complement;
    const greaterThan = maxDefined(this.greaterThan, other.greaterThan);
    const lessThan = minDefined(this.lessThan, other.lessThan);
    const minValues = maxDefined(this.minValues, other.minValues);
    if (greaterThan !== undefined && lessThan !== undefined && greaterThan >= lessThan - 1) {
      // No integer lies strictly between the bounds.
      return new Requirement(this.key, false, EMPTY_SET, undefined, undefined, minValues);
    }
    let values: Set<string>;
    if (this.complement && other.complement) values = union(this.values, other.values);
    else if (this.complement) values = difference(other.values, this.values);
    else if (other.complement) values = difference(this.values, other.values);
    else values = intersect(this.values, other.values);
    if (greaterThan !== undefined || lessThan !== undefined) {
      for (const v of values) if (!withinBounds(v, greaterThan, lessThan)) values.delete(v);
    }
    // Narrowing that changes nothing keeps this object, so callers can tell "unchanged" by identity.
    if (
      complement === this.complement &&
      values.size === this.values.size &&
      greaterThan === this.greaterThan &&
      lessThan === this.lessThan &&
      minValues === this.minValues &&
      (complement ? [...values].every((v) => this.values.has(v)) : true)
    ) {
      return this;
    }
    if (!complement) return new Requirement(this.key, false, values, undefined, undefined, minValues);
    return new Requirement(this.key, true, values, greaterThan, lessThan, minValues);
  }

  /**
   * Whether the two allow a common value, without building the intersection (the scheduler asks this for
   * every instance type of a planned node).
   */
  overlaps(other: Requirement): boolean {
    if (this.complement && other.complement) {
      const greaterThan = maxDefined(this.greaterThan, other.greaterThan);
      const lessThan = minDefined(this.lessThan, other.lessThan);
      return greaterThan === undefined || lessThan === undefined || greaterThan < lessThan - 1;
    }
    const [concrete, maybe] = this.complement ? [other, this] : [this, other];
    for (const v of concrete.values) if (maybe.has(v)) return true;
    return false;
  }

  /** The single value of an `In` requirement, or undefined. */
  singleValue(): string | undefined {
    if (this.complement || this.values.size !== 1) return undefined;
    return this.values.values().next().value;
  }

  /** A complete, canonical text form (unlike `toString`, never shortened): a cache key. */
  canonical(): string {
    // Requirements are immutable and shared between planned nodes, so the text is computed once per object.
    if (this.canonicalText === undefined) {
      const bounds = `${this.greaterThan ?? ''}<${this.lessThan ?? ''}`;
      const values = [...this.values].sort().join(',');
      this.canonicalText = `${this.key}${this.complement ? '!' : '='}${values}|${bounds}|${this.minValues ?? ''}`;
    }
    return this.canonicalText;
  }

  private canonicalText: string | undefined;

  toString(): string {
    const op = this.operator();
    const vals = [...this.values].sort();
    const bounds = [
      this.greaterThan !== undefined ? `>${this.greaterThan}` : '',
      this.lessThan !== undefined ? `<${this.lessThan}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    const list =
      vals.length > 5 ? `[${vals.slice(0, 5).join(', ')} and ${vals.length - 5} more]` : `[${vals.join(', ')}]`;
    if (op === 'Exists' && bounds) return `${this.key} ${bounds}`;
    if (op === 'Exists' || op === 'DoesNotExist') return `${this.key} ${op}`;
    return `${this.key} ${op} ${list}${bounds ? ` ${bounds}` : ''}`;
  }
}

function withinBounds(value: string, greaterThan: number | undefined, lessThan: number | undefined): boolean {
  if (greaterThan === undefined && lessThan === undefined) return true;
  if (!/^-?[0-9]+$/.test(value)) return false;
  const n = Number(value);
  return (greaterThan === undefined || n > greaterThan) && (lessThan === undefined || n < lessThan);
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

function union(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const out = new Set(a);
  for (const v of b) out.add(v);
  return out;
}

function difference(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const v of a) if (!b.has(v)) out.add(v);
  return out;
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const out = new Set<string>();
  for (const v of small) if (large.has(v)) out.add(v);
  return out;
}
