// A conjunction of label requirements, one per key, and the two questions the scheduler asks of it:
// are these requirements compatible with those (Karpenter's `Compatible`), and what do both allow together.

import { WELL_KNOWN_LABELS } from '../labels.js';
import { type NodeSelectorRequirement, type Operator, Requirement } from './requirement.js';

const ABSENCE_OPERATORS: ReadonlySet<Operator> = new Set(['NotIn', 'DoesNotExist']);

export class Requirements {
  private readonly byKey: Map<string, Requirement>;

  constructor(requirements: Iterable<Requirement> = []) {
    this.byKey = new Map();
    for (const r of requirements) this.add(r);
  }

  static fromWire(list: readonly NodeSelectorRequirement[] | undefined): Requirements {
    return new Requirements((list ?? []).map((r) => Requirement.fromWire(r)));
  }

  static fromLabels(labels: Readonly<Record<string, string>>): Requirements {
    return new Requirements(Object.entries(labels).map(([k, v]) => Requirement.single(k, v)));
  }

  /** Narrows the requirement on `r.key` to what both allow (in place). */
  add(r: Requirement): this {
    const existing = this.byKey.get(r.key);
    this.byKey.set(r.key, existing ? existing.intersection(r) : r);
    return this;
  }

  addAll(other: Requirements): this {
    for (const r of other.byKey.values()) this.add(r);
    return this;
  }

  copy(): Requirements {
    const out = new Requirements();
    for (const [k, r] of this.byKey) out.byKey.set(k, r);
    return out;
  }

  /** A copy without the requirement on `key`. */
  without(key: string): Requirements {
    const out = this.copy();
    out.byKey.delete(key);
    return out;
  }

  get(key: string): Requirement | undefined {
    return this.byKey.get(key);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }

  values(): IterableIterator<Requirement> {
    return this.byKey.values();
  }

  get size(): number {
    return this.byKey.size;
  }

  /**
   * Why `incoming` (a pod's requirements, say) cannot be met together with these (a node's), or undefined
   * when it can. A key these do not define fails unless `incoming` only asks for absence (NotIn,
   * DoesNotExist) or the key is in `allowUndefined` (well-known labels a new node's type will decide).
   */
  incompatibility(incoming: Requirements, allowUndefined: ReadonlySet<string> = NO_KEYS): string | undefined {
    for (const [key, theirs] of incoming.byKey) {
      const ours = this.byKey.get(key);
      if (!ours) {
        if (ABSENCE_OPERATORS.has(theirs.operator()) || allowUndefined.has(key)) continue;
        return `label "${key}" does not have known values`;
      }
      if (!intersects(ours, theirs)) return `${theirs} conflicts with ${ours}`;
    }
    return undefined;
  }

  compatible(incoming: Requirements, allowUndefined: ReadonlySet<string> = NO_KEYS): boolean {
    return this.incompatibility(incoming, allowUndefined) === undefined;
  }

  /** True when every key both define has a value in common (absence on both sides counts). */
  intersects(other: Requirements): boolean {
    const [small, large] = this.byKey.size <= other.byKey.size ? [this, other] : [other, this];
    for (const [key, a] of small.byKey) {
      const b = large.byKey.get(key);
      if (b && !intersects(a, b)) return false;
    }
    return true;
  }

  /** Concrete labels: every key restricted to a single value. */
  labels(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, r] of this.byKey) {
      const v = r.singleValue();
      if (v !== undefined) out[key] = v;
    }
    return out;
  }

  /** Does a node with exactly these labels satisfy every requirement? (Absent label = no value.) */
  matchesLabels(labels: Readonly<Record<string, string>>): boolean {
    for (const [key, r] of this.byKey) {
      const value = labels[key];
      if (value === undefined) {
        if (!ABSENCE_OPERATORS.has(r.operator())) return false;
      } else if (!r.has(value)) return false;
    }
    return true;
  }

  toString(): string {
    return [...this.byKey.values()].map(String).sort().join(', ');
  }

  /** A complete, canonical text form: equal requirement sets give equal strings (a cache key). */
  canonical(): string {
    return [...this.byKey.values()]
      .map((r) => r.canonical())
      .sort()
      .join(';');
  }
}

const NO_KEYS: ReadonlySet<string> = new Set();

/** The default for `allowUndefined`: labels an instance type, not the pool, decides. */
export const ALLOW_WELL_KNOWN = WELL_KNOWN_LABELS;

/** Do two requirements on the same key allow a common value (absence on both sides counts)? */
export function requirementsIntersect(a: Requirement, b: Requirement): boolean {
  return intersects(a, b);
}

function intersects(a: Requirement, b: Requirement): boolean {
  if (a.overlaps(b)) return true;
  // Both asking for absence is agreement, not conflict.
  return ABSENCE_OPERATORS.has(a.operator()) && ABSENCE_OPERATORS.has(b.operator());
}
