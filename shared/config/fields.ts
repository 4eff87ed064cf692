// zod building blocks shared by the three documents: strict objects that explain unknown keys, checks that
// run even when a sibling field is invalid (so a document's errors all come out at once), and the field
// types Kubernetes documents repeat — durations, quantities, label maps, taints, metadata.

import { z } from 'zod';
import { parseQuantity, QuantityError } from '../core/resources/quantity.js';
import { type DurationRules, durationProblem } from './duration.js';
import { describeValue, type PathSegment } from './issues.js';
import { labelKeySyntaxProblem, labelValueProblem } from './label-rules.js';
import { nearestKey } from './nearest-key.js';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

type Report = (path: readonly PathSegment[], message: string) => void;

/**
 * Runs `check` on the value even when some of its fields failed (zod skips refinements after such failures),
 * whenever `guard` accepts the value's shape. `check` must therefore read fields defensively.
 */
export function alwaysCheck<T extends z.ZodType>(
  schema: T,
  guard: (value: unknown) => boolean,
  check: (value: never, report: Report) => void,
): T {
  return schema.superRefine(
    (value, ctx) => {
      const report: Report = (path, message) => ctx.addIssue({ code: 'custom', path: [...path], message });
      check(value as never, report);
    },
    { when: (payload) => guard(payload.value) },
  ) as T;
}

/** The message for a key the schema does not know: the nearest known key, or the list of them. */
export function unknownFieldMessage(key: string, known: readonly string[]): string {
  const nearest = nearestKey(key, known);
  if (nearest) return `unknown field, did you mean ${JSON.stringify(nearest)}?`;
  return `unknown field, expected one of ${known.join(', ')}`;
}

/**
 * Marks the issue of a key a strict object refuses (unknown, or a Karpenter field fleetwright does not
 * support), as opposed to a bad value: `import` drops such keys, where it must not drop a bad value.
 */
export const REFUSED_FIELD = 'refusedField';

/**
 * The objects built by `strictObject` (and the schemas derived from them, which inherit the entry): they are
 * loose objects to zod, so the JSON Schema generator needs this to write `additionalProperties: false`.
 */
export const strictObjects = z.registry<{ readonly strict: true }>();

/**
 * An object that refuses unknown keys, each with its own error: a Karpenter field fleetwright does not
 * support gets the sentence in `unsupported`, anything else "unknown field, did you mean ...".
 *
 * Built as a loose object plus a check because zod's strict objects report all unknown keys in one issue
 * and cannot see the known keys when the message is written. The cast keeps the strict object's type: a
 * value that parses has no other keys.
 */
export function strictObject<S extends z.ZodRawShape>(
  shape: S,
  unsupported: Readonly<Record<string, string>> = {},
): z.ZodObject<S, z.core.$strict> {
  const known = Object.keys(shape);
  const loose = z.looseObject(shape);
  strictObjects.add(loose, { strict: true });
  // Runs even when some fields failed (as alwaysCheck), so unknown keys come out with the other errors.
  const schema = loose.superRefine(
    (value, ctx) => {
      for (const key of Object.keys(value)) {
        if (Object.hasOwn(shape, key)) continue;
        const message = unsupported[key] ?? unknownFieldMessage(key, known);
        ctx.addIssue({ code: 'custom', path: [key], message, params: { [REFUSED_FIELD]: true } });
      }
    },
    { when: (payload) => isPlainObject(payload.value) },
  );
  return schema as unknown as z.ZodObject<S, z.core.$strict>;
}

/** A string checked by `problem` (which returns why it is wrong, or undefined). */
export function checkedString(problem: (value: string) => string | undefined) {
  return z.string().superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });
}

export function durationField(rules: DurationRules = {}) {
  return checkedString((value) => durationProblem(value, rules));
}

/** Why `value` is not a non-negative Kubernetes quantity, or undefined. */
export function quantityProblem(value: string | number): string | undefined {
  let parsed: number;
  try {
    parsed = parseQuantity(value);
  } catch (error) {
    if (!(error instanceof QuantityError)) throw error;
    return `${describeValue(value)} is not a Kubernetes quantity, expected e.g. "250m", "1.5Gi", "4"`;
  }
  return parsed < 0 ? `${describeValue(value)} is negative, expected a quantity of zero or more` : undefined;
}

/** A Kubernetes quantity, written as a string ("1.5Gi") or a plain number. */
export function quantityField() {
  return z.union([z.string(), z.number()]).superRefine((value, ctx) => {
    const message = quantityProblem(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });
}

/**
 * A Kubernetes ResourceList (`{ cpu: "4", memory: "16Gi", "nvidia.com/gpu": 1 }`): resource names are
 * qualified names; `allowed`, when given, is the complete list of names the field takes.
 */
export function resourceList(allowed?: readonly string[]) {
  const list = z.record(z.string(), quantityField());
  return alwaysCheck(list, isPlainObject, (value: Record<string, unknown>, report) => {
    for (const key of Object.keys(value)) {
      if (allowed && !allowed.includes(key)) report([key], unknownFieldMessage(key, allowed));
      else if (!allowed && labelKeySyntaxProblem(key)) {
        report([key], `${JSON.stringify(key)} is not a resource name, expected e.g. cpu, memory, nvidia.com/gpu`);
      }
    }
  });
}

/** A map of label keys to label values, each checked for Kubernetes syntax. */
export function labelMap() {
  return z.record(z.string(), z.string()).superRefine((labels, ctx) => {
    for (const [key, value] of Object.entries(labels)) {
      const problem = labelKeySyntaxProblem(key) ?? labelValueProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
    }
  });
}

export const stringMap = () => z.record(z.string(), z.string());

// Object names become label values (`karpenter.sh/nodepool=<name>`) and SSM parameter names, so they must
// be valid as both: a lower-case RFC 1123 subdomain of at most 63 characters.
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const MAX_NAME_CHARS = 63;

export function objectNameProblem(name: string): string | undefined {
  if (name.length <= MAX_NAME_CHARS && NAME.test(name)) return undefined;
  return `${JSON.stringify(name)} is not a valid name: expected up to 63 lower-case letters, digits, "-" or ".", starting and ending with a letter or digit`;
}

/**
 * `metadata` is lenient on purpose: objects copied from `kubectl get -o yaml` carry uid, resourceVersion,
 * creationTimestamp, generation, managedFields... none of which affect a decision.
 */
export function metadataSchema() {
  return z.looseObject({
    name: checkedString(objectNameProblem),
    labels: stringMap().optional(),
    annotations: stringMap().optional(),
  });
}

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

export function taintSchema() {
  return strictObject({
    key: checkedString(labelKeySyntaxProblem),
    value: checkedString(labelValueProblem).optional(),
    effect: z.enum(TAINT_EFFECTS),
    // Part of the Kubernetes Taint type (set by the node controller); accepted so pasted taints parse.
    timeAdded: z.string().optional(),
  });
}

/** `apiVersion` with a sentence for the versions people are likely to paste by mistake. */
export function apiVersionField(expected: string, hints: Readonly<Record<string, string>> = {}) {
  return z.unknown().superRefine((value, ctx) => {
    if (value === expected) return;
    const hint = typeof value === 'string' ? hints[value] : undefined;
    const message =
      value === undefined
        ? `missing required field, expected ${JSON.stringify(expected)}`
        : `expected ${JSON.stringify(expected)}, got ${describeValue(value)}${hint ? ` (${hint})` : ''}`;
    ctx.addIssue({ code: 'custom', message });
  });
}
