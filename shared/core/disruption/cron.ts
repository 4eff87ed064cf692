// Is a cron window open right now? Budgets with `schedule` + `duration` and fleetwright's maintenance windows
// are active from each time the schedule fires until `duration` later (karpenter-core §3.4), always in UTC.
// The syntax is robfig/cron's `ParseStandard`, as Karpenter's: five fields or a descriptor. Config validates
// the text (shared/config/cron.ts); this pure matcher only reads it, and anything it cannot read is "never
// fires", so a bad schedule fails closed.

const MINUTE_MS = 60_000;

interface Field {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MINUTE: Field = { min: 0, max: 59 };
const HOUR: Field = { min: 0, max: 23 };
const DAY_OF_MONTH: Field = { min: 1, max: 31 };
const MONTH: Field = {
  min: 1,
  max: 12,
  names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
};
const DAY_OF_WEEK: Field = { min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] };

const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** A parsed schedule: the allowed values of each field. */
export interface CronSchedule {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  /**
   * robfig/cron's day rule: when either day field is a plain `*` (or `?`), both must match; when both are
   * restricted, either may match (so "0 0 1 * mon" fires on the 1st and on every Monday).
   */
  readonly dayStar: boolean;
}

/** Parses a five-field schedule or a descriptor; undefined when it cannot be read. */
export function parseCron(text: string): CronSchedule | undefined {
  const expanded = DESCRIPTORS[text.trim()] ?? text.trim();
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) return undefined;
  const [minute, hour, dom, month, dow] = parts as [string, string, string, string, string];
  const fields = [
    parseField(minute, MINUTE),
    parseField(hour, HOUR),
    parseField(dom, DAY_OF_MONTH),
    parseField(month, MONTH),
    parseField(dow, DAY_OF_WEEK),
  ];
  if (!fields.every((f): f is Parsed => f !== undefined)) return undefined;
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = fields as [Parsed, Parsed, Parsed, Parsed, Parsed];
  return {
    minutes: minutes.values,
    hours: hours.values,
    daysOfMonth: daysOfMonth.values,
    months: months.values,
    daysOfWeek: daysOfWeek.values,
    dayStar: daysOfMonth.star || daysOfWeek.star,
  };
}

interface Parsed {
  readonly values: Set<number>;
  /** The field is `*` or `?` without a step above 1. */
  readonly star: boolean;
}

function parseField(text: string, field: Field): Parsed | undefined {
  const values = new Set<number>();
  let star = false;
  for (const item of text.split(',')) {
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined || range === undefined || range === '') return undefined;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return undefined;
    let low: number | undefined;
    let high: number | undefined;
    if (range === '*' || range === '?') {
      [low, high] = [field.min, field.max];
      star = step === 1;
    } else {
      const [from, to, more] = range.split('-');
      if (more !== undefined) return undefined;
      low = value(from, field);
      // "5/10" means from 5 to the maximum, as in robfig/cron.
      high = to !== undefined ? value(to, field) : stepText !== undefined ? field.max : low;
    }
    if (low === undefined || high === undefined || high < low) return undefined;
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return { values, star };
}

function value(text: string | undefined, field: Field): number | undefined {
  if (text === undefined) return undefined;
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (field.min === 1 ? 1 : 0);
  if (!/^[0-9]+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= field.min && n <= field.max ? n : undefined;
}

function dayMatches(s: CronSchedule, d: Date): boolean {
  const dom = s.daysOfMonth.has(d.getUTCDate());
  const dow = s.daysOfWeek.has(d.getUTCDay());
  return s.dayStar ? dom && dow : dom || dow;
}

/**
 * The latest time at or before `now` (epoch ms, whole minutes) at which the schedule fires, searching back no
 * further than `after` (exclusive); undefined when it does not fire in that span. Skips whole months, days and
 * hours that cannot match, so a month-long look-back costs a few hundred steps.
 */
export function lastFiring(s: CronSchedule, now: number, after: number): number | undefined {
  let t = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  while (t > after) {
    const d = new Date(t);
    const [y, mo, day, h] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()];
    if (!s.months.has(mo + 1)) t = Date.UTC(y, mo, 1) - MINUTE_MS;
    else if (!dayMatches(s, d)) t = Date.UTC(y, mo, day) - MINUTE_MS;
    else if (!s.hours.has(h)) t = Date.UTC(y, mo, day, h) - MINUTE_MS;
    else if (!s.minutes.has(d.getUTCMinutes())) t -= MINUTE_MS;
    else return t;
  }
  return undefined;
}

/**
 * Whether a window that opens each time `schedule` fires and lasts `durationMs` is open at `now`: it fired in
 * (now − duration, now]. This is Karpenter's `IsActive` (the next firing after now − duration is not after now).
 * An unreadable schedule or a missing duration is never open.
 */
export function windowOpen(schedule: string, durationMs: number | undefined, now: number): boolean {
  const parsed = parseCron(schedule);
  if (!parsed || durationMs === undefined || durationMs <= 0) return false;
  return lastFiring(parsed, now, now - durationMs) !== undefined;
}
