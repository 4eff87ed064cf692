import { describe, expect, it } from 'vitest';
import { cronProblem } from '../../shared/config/cron.js';

describe('cronProblem', () => {
  it.each([
    '0 9 * * mon-fri',
    '0 2 * * *',
    '*/15 * * * *',
    '0 0 1 jan,jul *',
    '30 1-5/2 * * SUN',
    '0 0 ? * 6',
    '5/10 * * * *',
    '@daily',
    '@midnight',
    '@annually',
  ])('accepts %j', (schedule) => {
    expect(cronProblem(schedule)).toBeUndefined();
  });

  it('names the field that is out of range and its bounds', () => {
    expect(cronProblem('0 25 * * *')).toBe('"0 25 * * *": hour "25" is out of range, expected 0-23');
    expect(cronProblem('0 0 * * 7')).toBe('"0 0 * * 7": day of week "7" is out of range, expected 0-6 or sun-sat');
    expect(cronProblem('0 0 * foo *')).toBe('"0 0 * foo *": month "foo" is out of range, expected 1-12 or jan-dec');
  });

  it('counts the fields', () => {
    expect(cronProblem('0 9 * *')).toBe(
      '"0 9 * *" has 4 fields, expected 5 fields (minute hour day-of-month month day-of-week) such as "0 2 * * *", or @daily',
    );
  });

  it('refuses descriptors Karpenter does not accept, and time zones', () => {
    expect(cronProblem('@every 1h')).toContain('is not a cron descriptor');
    expect(cronProblem('TZ=Europe/Paris 0 9 * * *')).toBe(
      '"TZ=Europe/Paris 0 9 * * *" sets a time zone; schedules are always in UTC, so remove the TZ= prefix',
    );
  });

  it('refuses a zero step and a range that runs backwards', () => {
    expect(cronProblem('*/0 * * * *')).toBe('"*/0 * * * *": minute "*/0" has step 0, expected at least 1');
    expect(cronProblem('50-10 * * * *')).toBe('"50-10 * * * *": minute "50-10" has a range that ends before it starts');
  });
});
