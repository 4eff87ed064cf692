// Reading the fields of Kubernetes objects that came from a file or the API. `plan` is lenient about which
// fields an object carries (anything `kubectl` prints is fine) but not about the type of the fields it reads:
// every value is checked before use, and a wrong one becomes a MappingError naming the object and the JSON
// path, so a typo in a hand-written pod is reported as such instead of surfacing as a TypeError (or a NaN)
// deep in the scheduler. Absent and `null` are the same thing, as in the API.

import { QuantityError } from '../../../core/resources/quantity.js';
import { parseResources, type Resources } from '../../../core/resources/resources.js';

/** An object as decoded from JSON or YAML. */
export type Json = Readonly<Record<string, unknown>>;

/**
 * A field of an API object that cannot be used. `object` is `<kind>/<namespace>/<name>`, `path` the JSON path
 * from the object's root; the caller prefixes the source (a file name) to make the `§3` error line.
 */
export class MappingError extends Error {
  override readonly name = 'MappingError';
  constructor(
    readonly object: string,
    readonly path: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`${object}: ${path}: ${reason}`, options);
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** Extends a JSON path: `at('spec.containers', 0)` is `spec.containers[0]`; keys like `nvidia.com/gpu` are quoted. */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const step = IDENTIFIER.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (!path) return step;
  return step.startsWith('[') ? `${path}${step}` : `${path}.${step}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Checked reads of one object's fields; every failure names `object` (e.g. `Pod/default/web`). */
export class FieldReader {
  constructor(readonly object: string) {}

  fail(path: string, reason: string, cause?: unknown): never {
    throw new MappingError(this.object, path, reason, cause === undefined ? undefined : { cause });
  }

  /** An object; an empty one when absent. */
  record(value: unknown, path: string): Json {
    return this.optionalRecord(value, path) ?? {};
  }

  optionalRecord(value: unknown, path: string): Json | undefined {
    if (value === undefined || value === null) return undefined;
    if (!isRecord(value)) this.fail(path, `expected an object, got ${describeType(value)}`);
    return value;
  }

  /** A list; an empty one when absent. */
  array(value: unknown, path: string): readonly unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, `expected a list, got ${describeType(value)}`);
    return value;
  }

  /** A string. Numbers and booleans read as their text: YAML turns `version: 2` into a number. */
  string(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return this.fail(path, `expected a string, got ${describeType(value)}`);
  }

  requiredString(value: unknown, path: string): string {
    const text = this.string(value, path);
    if (text === undefined || text === '') this.fail(path, 'missing: a non-empty string is required');
    return text;
  }

  integer(value: unknown, path: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.fail(path, `expected an integer, got ${describeType(value)}`);
    }
    return value;
  }

  boolean(value: unknown, path: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') this.fail(path, `expected true or false, got ${describeType(value)}`);
    return value;
  }

  /** A string-to-string map (labels, annotations, nodeSelector). */
  stringMap(value: unknown, path: string): Record<string, string> {
    const entries = Object.entries(this.record(value, path));
    // fromEntries defines own properties, so a key such as "__proto__" cannot reach the prototype.
    return Object.fromEntries(entries.map(([key, v]) => [key, this.string(v, at(path, key)) ?? '']));
  }

  stringList(value: unknown, path: string): string[] {
    return this.array(value, path).map((v, i) => this.requiredString(v, at(path, i)));
  }

  /** An RFC 3339 time as epoch milliseconds. */
  timestamp(value: unknown, path: string): number | undefined {
    const text = this.string(value, path);
    if (text === undefined) return undefined;
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) this.fail(path, `${JSON.stringify(text)} is not an RFC 3339 time`);
    return ms;
  }

  /** A ResourceList (`{ cpu: "250m" }`) in canonical units; a bad quantity is reported with its own path. */
  resources(value: unknown, path: string): Resources {
    const out: Record<string, number> = {};
    for (const [name, quantity] of Object.entries(this.record(value, path))) {
      const where = at(path, name);
      if (typeof quantity !== 'string' && typeof quantity !== 'number') {
        this.fail(where, `expected a quantity such as "250m" or 2, got ${describeType(quantity)}`);
      }
      try {
        Object.assign(out, parseResources({ [name]: quantity }));
      } catch (error) {
        if (error instanceof QuantityError) this.fail(where, error.message, error);
        throw error;
      }
    }
    return out;
  }
}
