// A NodePool's `spec.disruption` (karpenter-core.md §3.4) and fleetwright's maintenance windows
// (`spec.fleetwright.disruption.windows`, DESIGN.md §3): consolidation policy and delay, and budgets that
// cap how many nodes voluntary disruption may take at once, optionally only on a cron schedule.

import { z } from 'zod';
import { cronProblem } from './cron.js';
import { alwaysCheck, checkedString, durationField, isPlainObject, strictObject } from './fields.js';
import { describeValue } from './issues.js';

export const CONSOLIDATION_POLICIES = ['WhenEmpty', 'WhenEmptyOrUnderutilized'] as const;
export const DISRUPTION_REASONS = ['Underutilized', 'Empty', 'Drifted'] as const;

export const DEFAULT_CONSOLIDATE_AFTER = '0s';
export const DEFAULT_BUDGET_NODES = '10%';

// Karpenter's limit on budgets per pool and reasons per budget.
const MAX_BUDGETS = 50;

// "10%" (0-100) or a whole count, as Karpenter's pattern `^((100|[0-9]{1,2})%|[0-9]+)$`.
const BUDGET_NODES = /^((100|[0-9]{1,2})%|[0-9]+)$/;

function budgetNodesProblem(value: string | number): string | undefined {
  const ok = typeof value === 'number' ? Number.isInteger(value) && value >= 0 : BUDGET_NODES.test(value);
  return ok
    ? undefined
    : `${describeValue(value)} is not a node count, expected a whole number or a percentage such as "10%"`;
}

/** A cron schedule with the duration of the window each hit opens; both or neither (for budgets). */
const scheduleField = () => checkedString(cronProblem);
const windowDuration = () => durationField({ positive: true, wholeMinutes: true });

function budgetSchema() {
  const shape = strictObject({
    nodes: z
      .union([z.string(), z.number()])
      .default(DEFAULT_BUDGET_NODES)
      .superRefine((value, ctx) => {
        const message = budgetNodesProblem(value);
        if (message) ctx.addIssue({ code: 'custom', message });
      }),
    schedule: scheduleField().optional(),
    duration: windowDuration().optional(),
    reasons: z.array(z.enum(DISRUPTION_REASONS)).max(MAX_BUDGETS).optional(),
  });
  return alwaysCheck(shape, isPlainObject, (budget: Record<string, unknown>, report) => {
    if (budget.schedule !== undefined && budget.duration === undefined) {
      report(
        ['duration'],
        'missing required field: a budget with a schedule needs a duration (how long each window lasts)',
      );
    }
    if (budget.duration !== undefined && budget.schedule === undefined) {
      report(
        ['schedule'],
        'missing required field: a budget with a duration needs a schedule (when each window starts)',
      );
    }
  });
}

export function disruptionSchema() {
  return strictObject(
    {
      consolidationPolicy: z.enum(CONSOLIDATION_POLICIES).default('WhenEmptyOrUnderutilized'),
      consolidateAfter: durationField({ allowNever: true }).default(DEFAULT_CONSOLIDATE_AFTER),
      budgets: z
        .array(budgetSchema())
        .max(MAX_BUDGETS)
        .default([{ nodes: DEFAULT_BUDGET_NODES }]),
    },
    {
      expireAfter: 'expireAfter moved to spec.template.spec.expireAfter in karpenter.sh/v1',
      consolidateWhen:
        'consolidateWhen (cost-justified consolidation) is not supported; use spec.fleetwright.consolidation.minSavings',
      decisionRatioThreshold:
        'decisionRatioThreshold (cost-justified consolidation) is not supported; use spec.fleetwright.consolidation.minSavings',
    },
  );
}

/** `spec.fleetwright.disruption.windows[]`: voluntary disruption happens only inside one of them. */
export function windowSchema() {
  return strictObject({ schedule: scheduleField(), duration: windowDuration() });
}
