// Cron schedules of disruption budgets and maintenance windows, checked the way Karpenter parses them
// (robfig/cron `ParseStandard`, always in UTC): five fields — minute, hour, day of month, month, day of week —
// or one of the descriptors @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly. Only validation
// lives here; deciding whether a window is open now belongs to the core.

const DESCRIPTORS: ReadonlySet<string> = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
]);

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Lower-case names accepted for values, e.g. jan -> 1. */
  readonly names?: Readonly<Record<string, number>>;
  /** Day fields accept "?" as a synonym of "*". */
  readonly question?: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: Object.fromEntries(MONTHS.map((m, i) => [m, i + 1])) },
  { name: 'day of week', min: 0, max: 6, names: Object.fromEntries(DAYS.map((d, i) => [d, i])), question: true },
];

const EXAMPLE = 'expected 5 fields (minute hour day-of-month month day-of-week) such as "0 2 * * *", or @daily';

/** Why `schedule` is not a cron schedule Karpenter accepts, or undefined when it is. */
export function cronProblem(schedule: string): string | undefined {
  const text = schedule.trim();
  if (text.startsWith('@')) {
    return DESCRIPTORS.has(text) ? undefined : `${JSON.stringify(schedule)} is not a cron descriptor, ${EXAMPLE}`;
  }
  if (/^(CRON_)?TZ=/.test(text)) {
    return `${JSON.stringify(schedule)} sets a time zone; schedules are always in UTC, so remove the TZ= prefix`;
  }
  const parts = text.split(/\s+/);
  if (parts.length !== FIELDS.length) {
    return `${JSON.stringify(schedule)} has ${parts.length} field${parts.length === 1 ? '' : 's'}, ${EXAMPLE}`;
  }
  for (const [i, part] of parts.entries()) {
    const field = FIELDS[i] as Field;
    const problem = fieldProblem(part, field);
    if (problem) return `${JSON.stringify(schedule)}: ${field.name} ${JSON.stringify(part)} ${problem}`;
  }
  return undefined;
}

function fieldProblem(part: string, field: Field): string | undefined {
  for (const item of part.split(',')) {
    const problem = itemProblem(item, field);
    if (problem) return problem;
  }
  return undefined;
}

// One list item: "*", "?", "5", "mon", "1-5", "*/15", "10-50/5" or "5/10" (from 5 to the maximum).
function itemProblem(item: string, field: Field): string | undefined {
  const [range, step, extra] = item.split('/');
  if (extra !== undefined || range === undefined || range === '') return 'is not a cron expression';
  if (step !== undefined && !/^[0-9]+$/.test(step)) return `has step ${JSON.stringify(step)}, expected a number`;
  if (step !== undefined && Number(step) === 0) return 'has step 0, expected at least 1';
  if (range === '*' || (range === '?' && field.question)) return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2) return 'is not a cron expression';
  const values: number[] = [];
  for (const bound of bounds) {
    const value = fieldValue(bound, field);
    if (value === undefined) return `is out of range, expected ${field.min}-${field.max}${namesHint(field)}`;
    values.push(value);
  }
  const [low, high] = values as [number, number | undefined];
  if (high !== undefined && high < low) return `has a range that ends before it starts`;
  return undefined;
}

function fieldValue(text: string, field: Field): number | undefined {
  const named = field.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^[0-9]+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= field.min && value <= field.max ? value : undefined;
}

function namesHint(field: Field): string {
  if (!field.names) return '';
  const names = Object.keys(field.names);
  return ` or ${names[0]}-${names[names.length - 1]}`;
}
