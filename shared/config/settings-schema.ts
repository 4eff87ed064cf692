// The Settings document (`fleetwright.io/v1`, kind Settings): switches that apply to the whole cluster
// (DESIGN.md §3). Every field has a default, so an absent document and `spec: {}` mean the same.

import { z } from 'zod';
import { CAPACITY_TYPES, LABEL_CAPACITY_TYPE, WELL_KNOWN_LABELS } from '../core/labels.js';
import { DEFAULT_SETTINGS } from '../core/model/settings.js';
import { alwaysCheck, apiVersionField, durationField, isPlainObject, metadataSchema, strictObject } from './fields.js';
import { describeValue } from './issues.js';
import { labelKeySyntaxProblem } from './label-rules.js';
import { nearestKey } from './nearest-key.js';

export const SETTINGS_API_VERSION = 'fleetwright.io/v1';
export const SETTINGS_KIND = 'Settings';

/** As DESIGN.md §2: an instance that has not registered within 15 minutes is given up on. */
export const DEFAULT_REGISTRATION_TIMEOUT = '15m';

/**
 * Short label names a price adjustment may match on ("instance-family"), each standing for the well-known
 * label with that name (`karpenter.k8s.aws/instance-family`). Names are unique across the well-known set.
 */
export const SHORT_LABEL_KEYS: ReadonlyMap<string, string> = new Map(
  [...WELL_KNOWN_LABELS].map((key) => [key.slice(key.indexOf('/') + 1), key]),
);

/** The full label key a price adjustment's match key stands for. */
export function fullLabelKey(key: string): string {
  return key.includes('/') ? key : (SHORT_LABEL_KEYS.get(key) ?? key);
}

function matchKeyProblem(key: string): string | undefined {
  if (key.includes('/')) return labelKeySyntaxProblem(key);
  if (SHORT_LABEL_KEYS.has(key)) return undefined;
  const nearest = nearestKey(key, [...SHORT_LABEL_KEYS.keys()]);
  const hint = nearest ? `did you mean ${JSON.stringify(nearest)}?` : 'use a full label key such as "example.com/team"';
  return `${describeValue(key)} is not a well-known label name; ${hint}`;
}

const priceAdjustment = alwaysCheck(
  strictObject({
    match: z.record(z.string(), z.array(z.string()).min(1)),
    capacityType: z.enum(CAPACITY_TYPES as [string, ...string[]]).optional(),
    multiplier: z.number().positive(),
  }),
  isPlainObject,
  (value: Record<string, unknown>, report) => {
    if (!isPlainObject(value.match)) return;
    for (const [key, values] of Object.entries(value.match)) {
      const problem = matchKeyProblem(key);
      if (problem) report(['match', key], problem);
      if (fullLabelKey(key) !== LABEL_CAPACITY_TYPE || !Array.isArray(values)) continue;
      for (const [i, v] of values.entries()) {
        if (!CAPACITY_TYPES.includes(v)) {
          report(
            ['match', key, i],
            `${describeValue(v)} is not a capacity type, expected one of ${CAPACITY_TYPES.join(', ')}`,
          );
        }
      }
    }
  },
);

const spec = strictObject({
  paused: z.boolean().default(DEFAULT_SETTINGS.paused),
  dryRun: z.boolean().default(DEFAULT_SETTINGS.dryRun),
  responsiveness: z.enum(['watch', 'economy']).default(DEFAULT_SETTINGS.responsiveness),
  registrationTimeout: durationField({ positive: true }).default(DEFAULT_REGISTRATION_TIMEOUT),
  spotToSpotConsolidation: z.boolean().default(DEFAULT_SETTINGS.spotToSpotConsolidation),
  minValuesPolicy: z.enum(['Strict', 'BestEffort']).default(DEFAULT_SETTINGS.minValuesPolicy),
  preferencePolicy: z.enum(['Respect', 'Ignore']).default(DEFAULT_SETTINGS.preferencePolicy),
  interruptionQueue: z.string().min(1).optional(),
  priceAdjustments: z.array(priceAdjustment).default([]),
});

export const settingsDocumentSchema = strictObject({
  apiVersion: apiVersionField(SETTINGS_API_VERSION),
  kind: z.literal(SETTINGS_KIND),
  metadata: metadataSchema().partial({ name: true }).optional(),
  spec: spec.prefault({}),
  status: z.unknown().optional(),
});

export type SettingsDocument = z.output<typeof settingsDocumentSchema>;
