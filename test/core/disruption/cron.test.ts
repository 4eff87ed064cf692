// The cron matcher behind scheduled budgets and maintenance windows: robfig/cron's standard syntax, in UTC.

import { describe, expect, it } from 'vitest';
import { budgetAllowance, budgetNodes } from '../../../shared/core/disruption/budgets.js';
import { lastFiring, parseCron, windowOpen } from '../../../shared/core/disruption/cron.js';
import { nodePool } from '../../fixtures/builders.js';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe('cron windows', () => {
  it('opens at each firing and stays open for the duration, exclusive of its end', () => {
    expect(windowOpen('0 2 * * *', 3 * HOUR, at('2026-11-03T02:00:00Z'))).toBe(true);
    expect(windowOpen('0 2 * * *', 3 * HOUR, at('2026-11-03T04:59:59Z'))).toBe(true);
    expect(windowOpen('0 2 * * *', 3 * HOUR, at('2026-11-03T05:00:00Z'))).toBe(false);
    expect(windowOpen('0 2 * * *', 3 * HOUR, at('2026-11-03T01:59:00Z'))).toBe(false);
  });

  it('reads lists, ranges, steps and names', () => {
    // Weekdays 09:00-17:00 every 30 minutes; 2026-11-02 is a Monday.
    const s = parseCron('*/30 9-16 * * mon-fri');
    if (!s) throw new Error('the schedule should parse');
    expect(lastFiring(s, at('2026-11-02T09:45:00Z'), 0)).toBe(at('2026-11-02T09:30:00Z'));
    expect(windowOpen('0 9 * * MON-FRI', HOUR, at('2026-11-01T09:10:00Z'))).toBe(false);
    expect(windowOpen('0 0 1 jan,jul *', 24 * HOUR, at('2026-07-01T12:00:00Z'))).toBe(true);
    expect(windowOpen('5/20 * * * *', 60_000, at('2026-07-01T12:45:30Z'))).toBe(true);
  });

  it('matches day of month OR day of week when both are restricted, AND when one is a star', () => {
    // 2026-11-02 is a Monday and not the 15th.
    expect(windowOpen('0 0 15 * mon', HOUR, at('2026-11-02T00:30:00Z'))).toBe(true);
    expect(windowOpen('0 0 15 * *', HOUR, at('2026-11-02T00:30:00Z'))).toBe(false);
    expect(windowOpen('0 0 * * mon', HOUR, at('2026-11-02T00:30:00Z'))).toBe(true);
    // A step over the star makes it a restriction, as in robfig/cron.
    expect(windowOpen('0 0 */2 * mon', HOUR, at('2026-11-02T00:30:00Z'))).toBe(true);
  });

  it('reads descriptors', () => {
    expect(windowOpen('@daily', HOUR, at('2026-11-02T00:59:00Z'))).toBe(true);
    expect(windowOpen('@weekly', HOUR, at('2026-11-01T00:10:00Z'))).toBe(true);
    expect(windowOpen('@monthly', HOUR, at('2026-11-02T00:10:00Z'))).toBe(false);
    expect(windowOpen('@hourly', 60_000, at('2026-11-02T07:00:30Z'))).toBe(true);
  });

  it('finds a firing a month back quickly', () => {
    expect(windowOpen('0 0 1 * *', 31 * 24 * HOUR, at('2026-11-30T23:00:00Z'))).toBe(true);
    expect(windowOpen('0 0 29 2 *', 366 * 24 * HOUR, at('2026-11-30T23:00:00Z'))).toBe(false);
  });

  it('never opens for an unreadable schedule or a missing duration (fail closed)', () => {
    expect(parseCron('0 2 * *')).toBeUndefined();
    expect(parseCron('61 * * * *')).toBeUndefined();
    expect(windowOpen('nonsense', HOUR, at('2026-11-02T00:00:00Z'))).toBe(false);
    expect(windowOpen('* * * * *', undefined, at('2026-11-02T00:00:00Z'))).toBe(false);
  });
});

describe('budget arithmetic', () => {
  it('reads counts and percentages, rounding percentages up, and fails closed on anything else', () => {
    expect(budgetNodes('3', 10)).toBe(3);
    expect(budgetNodes('10%', 3)).toBe(1);
    expect(budgetNodes('25%', 10)).toBe(3);
    expect(budgetNodes('0%', 10)).toBe(0);
    expect(budgetNodes('lots', 10)).toBe(0);
  });

  it('is unlimited when no budget applies to the reason', () => {
    const pool = nodePool('default', { budgets: [{ nodes: '1', reasons: ['Drifted'] }] });
    expect(budgetAllowance(pool, 'Empty', 5, at('2026-11-02T00:00:00Z'))).toBe(Number.POSITIVE_INFINITY);
    expect(budgetAllowance(pool, 'Drifted', 5, at('2026-11-02T00:00:00Z'))).toBe(1);
  });

  it('fails closed: a budget schedule that cannot be read, or has no duration, allows nothing', () => {
    const noDuration = nodePool('default', { budgets: [{ nodes: '100%' }, { nodes: '5', schedule: '* * * * *' }] });
    expect(budgetAllowance(noDuration, 'Empty', 5, at('2026-11-02T00:00:00Z'))).toBe(0);
    const unreadable = nodePool('default', { budgets: [{ nodes: '5', schedule: 'at noon', durationMs: HOUR }] });
    expect(budgetAllowance(unreadable, 'Drifted', 5, at('2026-11-02T00:00:00Z'))).toBe(0);
  });
});
