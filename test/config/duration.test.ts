import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationMs, durationProblem, parseDurationField } from '../../shared/config/duration.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe('durationMs', () => {
  it.each([
    ['720h', 720 * HOUR],
    ['30s', 30_000],
    ['1h30m', 90 * MINUTE],
    ['15m', 15 * MINUTE],
    ['1.5h', 90 * MINUTE],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['0s', 0],
    ['0', 0],
  ])('reads %s as %d ms', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it('adds up hours, minutes and seconds in any combination', () => {
    const amount = fc.nat({ max: 10_000 });
    fc.assert(
      fc.property(amount, amount, amount, (h, m, s) => {
        expect(durationMs(`${h}h${m}m${s}s`)).toBe(h * HOUR + m * MINUTE + s * 1000);
      }),
    );
  });

  it.each(['5 days', '1d', 'h', '-1h', '', '10', '1h 30m', 'Never', '1.2.3h'])('refuses %j', (text) => {
    expect(durationMs(text)).toBeUndefined();
  });
});

describe('parseDurationField', () => {
  it('reads "Never" as null', () => {
    expect(parseDurationField('Never')).toBeNull();
  });

  it('reads 720h as 2592000000 ms', () => {
    expect(parseDurationField('720h')).toBe(2_592_000_000);
  });
});

describe('durationProblem', () => {
  it('names the value and gives examples', () => {
    expect(durationProblem('5 days')).toBe('"5 days" is not a duration, expected e.g. "30s", "15m", "1h30m", "720h"');
  });

  it('offers "Never" only where the field allows it', () => {
    expect(durationProblem('Never', { allowNever: true })).toBeUndefined();
    expect(durationProblem('Never')).toBe(
      '"Never" is not allowed here, expected a duration such as "30s", "15m", "1h30m", "720h"',
    );
    expect(durationProblem('x', { allowNever: true })).toContain('or "Never"');
  });

  it('points out a lower-case never', () => {
    expect(durationProblem('never', { allowNever: true })).toContain('(write "Never" with a capital N)');
  });

  it('refuses zero and fractions of a minute for schedule windows', () => {
    const rules = { positive: true, wholeMinutes: true };
    expect(durationProblem('0s', rules)).toBe('"0s" is zero, expected a positive duration such as "1h"');
    expect(durationProblem('90s', rules)).toBe(
      '"90s" is not a whole number of minutes, expected hours and minutes such as "30m" or "8h"',
    );
    expect(durationProblem('1h30m', rules)).toBeUndefined();
  });
});
