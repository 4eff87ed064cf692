import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../shared/config/document.js';
import { DEFAULT_SETTINGS } from '../../shared/core/model/settings.js';
import { errorLines, issueAt, settings } from './builders.js';

describe('Settings documents', () => {
  it('gives every field its default', () => {
    expect(parseDocument(settings(), 'settings.json').settings).toEqual(DEFAULT_SETTINGS);
  });

  it('needs no metadata, and is named "settings" in messages', () => {
    expect(errorLines(settings({ paused: 'yes' }), 'settings.json')).toEqual([
      'settings.json: Settings/settings: spec.paused: expected true or false, got "yes"',
    ]);
  });

  it('reads every switch', () => {
    const doc = settings({
      paused: true,
      dryRun: true,
      responsiveness: 'economy',
      registrationTimeout: '20m',
      spotToSpotConsolidation: true,
      minValuesPolicy: 'BestEffort',
      preferencePolicy: 'Ignore',
      interruptionQueue: 'fleetwright-prod',
    });
    expect(parseDocument(doc, 'settings.json').settings).toEqual({
      paused: true,
      dryRun: true,
      responsiveness: 'economy',
      registrationTimeoutMs: 20 * 60_000,
      spotToSpotConsolidation: true,
      minValuesPolicy: 'BestEffort',
      preferencePolicy: 'Ignore',
      interruptionQueue: 'fleetwright-prod',
      priceAdjustments: [],
    });
  });

  it('expands short label names in price adjustments to their full keys', () => {
    const doc = settings({
      priceAdjustments: [
        {
          match: { 'instance-family': ['m7i'], 'example.com/team': ['a'] },
          capacityType: 'on-demand',
          multiplier: 0.72,
        },
      ],
    });
    expect(parseDocument(doc, 'settings.json').settings?.priceAdjustments).toEqual([
      {
        match: { 'karpenter.k8s.aws/instance-family': ['m7i'], 'example.com/team': ['a'] },
        capacityType: 'on-demand',
        multiplier: 0.72,
      },
    ]);
  });

  it('refuses an unknown short label name, a bad capacity type and a non-positive multiplier', () => {
    const doc = settings({
      priceAdjustments: [{ match: { 'instance-famly': ['m7i'] }, capacityType: 'preemptible', multiplier: 0 }],
    });
    expect(issueAt(doc, 'spec.priceAdjustments[0].match.instance-famly')).toEqual([
      '"instance-famly" is not a well-known label name; did you mean "instance-family"?',
    ]);
    expect(issueAt(doc, 'spec.priceAdjustments[0].capacityType')).toEqual([
      'expected one of reserved, spot, on-demand, got "preemptible"',
    ]);
    expect(issueAt(doc, 'spec.priceAdjustments[0].multiplier')).toEqual(['expected greater than 0, got 0']);
  });

  it('refuses an unknown responsiveness', () => {
    expect(issueAt(settings({ responsiveness: 'fast' }), 'spec.responsiveness')).toEqual([
      'expected one of watch, economy, got "fast"',
    ]);
  });
});
