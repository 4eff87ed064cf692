// A NodePool's `spec.template.spec.requirements`: the shape of each requirement (Karpenter's CEL rules), and
// the checks where fleetwright is stricter than Karpenter because the pool could never launch a node:
// a capacity type that does not exist, and requirements on one key (or a requirement and a template label)
// that share no value. Intersection uses the core's requirement algebra, so "no value in common" means
// exactly what the scheduler will find.

import { z } from 'zod';
import { CAPACITY_TYPES, LABEL_CAPACITY_TYPE, normalizeLabelKey } from '../core/labels.js';
import {
  type NodeSelectorRequirement,
  OPERATORS,
  type Operator,
  Requirement,
} from '../core/requirements/requirement.js';
import { Requirements } from '../core/requirements/requirements.js';
import { alwaysCheck, isPlainObject, strictObject } from './fields.js';
import { describeValue, type PathSegment } from './issues.js';
import { labelKeySyntaxProblem, labelValueProblem, restrictedPoolLabelProblem } from './label-rules.js';

// Karpenter's limits: minValues 1..50, at most 100 requirements.
const MIN_VALUES_MAX = 50;
const REQUIREMENTS_MAX = 100;

const WITH_VALUES: ReadonlySet<Operator> = new Set(['In', 'NotIn']);
const WITHOUT_VALUES: ReadonlySet<Operator> = new Set(['Exists', 'DoesNotExist']);
const NUMERIC: ReadonlySet<Operator> = new Set(['Gt', 'Lt', 'Gte', 'Lte']);
const NON_NEGATIVE_INTEGER = /^[0-9]+$/;

type Report = (path: readonly PathSegment[], message: string) => void;

function isOperator(value: unknown): value is Operator {
  return typeof value === 'string' && (OPERATORS as readonly string[]).includes(value);
}

function stringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** Per-requirement rules; reads defensively because it also runs when a sibling field is malformed. */
function checkRequirement(r: Record<string, unknown>, report: Report): void {
  const { key, operator, values, minValues } = r;
  if (typeof key === 'string') {
    const problem = labelKeySyntaxProblem(key) ?? restrictedPoolLabelProblem(normalizeLabelKey(key));
    if (problem) report(['key'], problem);
  }
  if (!isOperator(operator) || !(values === undefined || stringList(values))) return;
  const list = values ?? [];
  if (WITH_VALUES.has(operator) && list.length === 0) {
    report(['values'], `operator ${operator} needs at least one value, got none`);
  }
  if (WITHOUT_VALUES.has(operator) && list.length > 0) {
    report(['values'], `operator ${operator} takes no values, got ${describeValue(list)}`);
  }
  if (NUMERIC.has(operator)) {
    if (list.length !== 1) report(['values'], `operator ${operator} takes exactly one value, got ${list.length}`);
    else if (!NON_NEGATIVE_INTEGER.test(list[0] as string)) {
      report(
        ['values', 0],
        `${describeValue(list[0])} is not a non-negative integer, expected e.g. "4" (${operator} compares numbers)`,
      );
    }
  }
  if (WITH_VALUES.has(operator)) checkValues(typeof key === 'string' ? normalizeLabelKey(key) : '', list, report);
  if (operator === 'In' && typeof minValues === 'number' && minValues > list.length) {
    report(
      ['minValues'],
      `minValues ${minValues} is more than the ${list.length} value${list.length === 1 ? '' : 's'} listed`,
    );
  }
}

function checkValues(key: string, values: readonly string[], report: Report): void {
  for (const [i, value] of values.entries()) {
    const problem =
      key === LABEL_CAPACITY_TYPE && !CAPACITY_TYPES.includes(value)
        ? `${describeValue(value)} is not a capacity type, expected one of ${CAPACITY_TYPES.join(', ')}`
        : labelValueProblem(value);
    if (problem) report(['values', i], problem);
  }
}

export function requirementSchema() {
  const shape = strictObject({
    key: z.string(),
    operator: z.enum(OPERATORS as [Operator, ...Operator[]]),
    values: z.array(z.string()).optional(),
    minValues: z.number().int().min(1).max(MIN_VALUES_MAX).optional(),
  });
  return alwaysCheck(shape, isPlainObject, checkRequirement);
}

/** The requirement in wire form when it is well formed (so conflicts are not reported on top of errors). */
function wellFormed(raw: unknown): NodeSelectorRequirement | undefined {
  if (!isPlainObject(raw) || typeof raw.key !== 'string' || !isOperator(raw.operator)) return undefined;
  if (raw.values !== undefined && !stringList(raw.values)) return undefined;
  const values = raw.values ?? [];
  if (WITH_VALUES.has(raw.operator) && values.length === 0) return undefined;
  if (NUMERIC.has(raw.operator) && !(values.length === 1 && NON_NEGATIVE_INTEGER.test(values[0] as string))) {
    return undefined;
  }
  return { key: normalizeLabelKey(raw.key), operator: raw.operator, values };
}

function formatWire(r: NodeSelectorRequirement): string {
  return r.values && r.values.length > 0 ? `${r.key} ${r.operator} [${r.values.join(', ')}]` : `${r.key} ${r.operator}`;
}

interface KeyState {
  requirement: Requirement;
  readonly indexes: number[];
}

function describePrior(state: KeyState, list: readonly unknown[]): string {
  const names = state.indexes.map((i) => `requirements[${i}]`).join(' and ');
  if (state.indexes.length > 1) return `${names} (together: ${state.requirement})`;
  const only = wellFormed(list[state.indexes[0] as number]) as NodeSelectorRequirement;
  return `${names} (${formatWire(only)})`;
}

/**
 * Walks the requirements in order, narrowing each key; reports a requirement that leaves its key with no
 * value (it is then left out, so one mistake is reported once). Returns what each key allows.
 */
function narrow(list: readonly unknown[], report: Report | undefined): Map<string, KeyState> {
  const byKey = new Map<string, KeyState>();
  for (const [i, raw] of list.entries()) {
    const wire = wellFormed(raw);
    if (!wire) continue;
    const requirement = Requirement.fromWire(wire);
    const state = byKey.get(wire.key);
    if (!state) {
      byKey.set(wire.key, { requirement, indexes: [i] });
      continue;
    }
    if (!new Requirements([state.requirement]).intersects(new Requirements([requirement]))) {
      report?.(
        [i],
        `${formatWire(wire)} has no value in common with ${describePrior(state, list)}, so no node can match`,
      );
      continue;
    }
    state.requirement = state.requirement.intersection(requirement);
    state.indexes.push(i);
  }
  return byKey;
}

export function requirementsSchema() {
  return alwaysCheck(z.array(requirementSchema()).max(REQUIREMENTS_MAX), Array.isArray, (list: unknown[], report) => {
    narrow(list, report);
  });
}

/**
 * Template labels a requirement on the same key does not allow (`team: a` with `team In [b]`): a node would
 * have to carry a value its own pool forbids. Reported at the label, relative to the template.
 */
export function checkLabelsAgainstRequirements(labels: unknown, requirements: unknown, report: Report): void {
  if (!isPlainObject(labels) || !Array.isArray(requirements)) return;
  const byKey = narrow(requirements, undefined);
  for (const [key, value] of Object.entries(labels)) {
    if (typeof value !== 'string') continue;
    const state = byKey.get(normalizeLabelKey(key));
    if (
      !state ||
      Requirements.fromLabels({ [state.requirement.key]: value }).intersects(new Requirements([state.requirement]))
    ) {
      continue;
    }
    report(['metadata', 'labels', key], `${key}=${value} is not allowed by ${describePrior(state, requirements)}`);
  }
}
