/**
 * Cron schedules and time zones of reconcile triggers, checked the way Harness reads a
 * scheduled trigger of type `UNIX`.
 *
 * Harness parses the expression with cron-utils' UNIX crontab definition
 * (`NGTriggerServiceImpl.validateTriggerConfig` in harness-core's ng-triggers module;
 * `CronDefinitionBuilder.unixCrontab()` in jmrozanec/cron-utils), then refuses a schedule
 * whose next two runs are less than 5 minutes apart (`MIN_INTERVAL_MINUTES`). The time zone
 * becomes a `java.time.ZoneId` (`CronTriggerSpec.setTimeZone`, `ZoneId.of`).
 */
import { shown } from './credentials';

/** One field of a UNIX crontab: its range and the names it accepts (cron-utils `unixCrontab`). */
interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names for values, upper case, indexed from `min` (`JAN` = 1, `SUN` = 0). */
  readonly names?: readonly string[];
}

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  // 0 and 7 are both Sunday.
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** Harness's shortest interval between two runs of a scheduled trigger, in minutes. */
export const MIN_CRON_INTERVAL_MINUTES = 5;

/** The value of `text` in `field` (a number or, where the field has them, a name in any case). */
function fieldValue(field: CronField, text: string): number {
  const byName = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (byName >= 0) {
    return field.min + byName;
  }
  if (!/^[0-9]+$/.test(text)) {
    throw new Error(`${field.name} value ${shown(text)} is not a number${field.names ? ` or a name (${field.names[0]}...)` : ''}`);
  }
  const value = Number(text);
  if (value < field.min || value > field.max) {
    throw new Error(`${field.name} value ${value} is outside ${field.min}-${field.max}`);
  }
  return value;
}

/**
 * The values one field selects. Items are `*`, a value, or a range `a-b` (low to high), each
 * optionally with a step `/n` (1 <= n <= max - min), joined by commas; `?`, `L`, `W` and `#`
 * belong to the QUARTZ dialect and are refused.
 */
function fieldValues(field: CronField, text: string): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const m = /^([^/]+)(?:\/(.+))?$/.exec(item);
    if (!m) {
      throw new Error(`${field.name} ${shown(text)} has an empty item`);
    }
    const [, base, stepText] = m;
    let step = 1;
    if (stepText !== undefined) {
      if (!/^[0-9]+$/.test(stepText) || Number(stepText) < 1 || Number(stepText) > field.max - field.min) {
        throw new Error(`${field.name} step ${shown(stepText)} must be a whole number from 1 to ${field.max - field.min}`);
      }
      step = Number(stepText);
    }
    let low: number;
    let high: number;
    if (base === '*') {
      [low, high] = [field.min, field.max];
    } else if (base.includes('-')) {
      const [a, b, ...more] = base.split('-');
      if (more.length > 0) {
        throw new Error(`${field.name} range ${shown(base)} has more than two ends`);
      }
      [low, high] = [fieldValue(field, a), fieldValue(field, b)];
      if (low > high) {
        throw new Error(`${field.name} range ${shown(base)} runs from high to low`);
      }
    } else {
      low = fieldValue(field, base);
      // `5/15` means every 15 from 5.
      high = stepText !== undefined ? field.max : low;
    }
    for (let v = low; v <= high; v += step) {
      values.add(v);
    }
  }
  return values;
}

/**
 * Throws, with a message saying what is wrong, unless `expression` is a five-field UNIX cron
 * expression Harness accepts for a scheduled trigger, including its 5-minute minimum
 * interval. Harness compares only the next two runs from the moment the trigger is saved;
 * this check refuses any schedule that can ever run twice within 5 minutes, so it never
 * depends on the day.
 */
export function checkUnixCron(expression: string): void {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) {
    throw new Error(`has ${parts.length} fields; a UNIX cron expression has 5 (minute hour day-of-month month day-of-week)`);
  }
  const [minutes, hours] = FIELDS.map((field, i) => fieldValues(field, parts[i]));
  const sorted = [...minutes].sort((a, b) => a - b);
  // Gaps between runs within an hour, and from the last minute of an hour to the first of
  // the next when two consecutive hours run (23 and 0 counted as consecutive).
  const gaps = sorted.slice(1).map((m, i) => m - sorted[i]);
  if ([...hours].some((h) => hours.has((h + 1) % 24))) {
    gaps.push(60 - sorted[sorted.length - 1] + sorted[0]);
  }
  const shortest = Math.min(...gaps);
  if (shortest < MIN_CRON_INTERVAL_MINUTES) {
    throw new Error(`runs ${shortest} minute${shortest === 1 ? '' : 's'} apart; Harness needs at least ${MIN_CRON_INTERVAL_MINUTES} between two runs`);
  }
}

/**
 * Whether `timezone` is a time zone name `java.time.ZoneId.of` accepts and the IANA database
 * has: `UTC`, `GMT`, or an `Area/Location` name in its exact case (canonical, or a link such
 * as `US/Eastern`). Abbreviations (`EST`, `PST`) and offsets are refused: `ZoneId.of` refuses
 * the former, and Harness documents IANA names.
 */
export function isIanaTimezone(timezone: string): boolean {
  if (timezone === 'UTC' || timezone === 'GMT') {
    return true;
  }
  if (Intl.supportedValuesOf('timeZone').includes(timezone)) {
    return true;
  }
  if (!/^[A-Z][A-Za-z]*(?:\/[A-Z][A-Za-z0-9_+-]*)+$/.test(timezone)) {
    return false;
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}
