/**
 * Recurring maintenance windows: an RFC 5545 RRULE (npm `rrule`) read in an IANA time zone.
 * The rule runs on "floating" wall-clock times (the local date and time written as if UTC) and
 * each occurrence is then placed in the zone with `fromLocal`, so "every Sunday 03:00
 * Europe/Berlin" is 02:00Z in winter and 01:00Z in summer, and a wall time in the spring-forward
 * gap moves forward by the gap, as schedules do. This sidesteps rrule's own `tzid` handling, which
 * depends on the host's zone.
 */
import rrule from 'rrule';
import { VigilError } from '../core/errors.js';
import type { MaintenanceWindow, Occurrence, Recurrence } from '../core/maintenance-window.js';
import { fromLocal, isValidTimeZone, offsetAt, toLocal } from '../respond/schedules/local-time.js';

const { RRule } = rrule;
type Rule = InstanceType<typeof RRule>;

const DAY = 86_400_000;
const weekday = '(?:[+-]?\\d{1,2})?(?:MO|TU|WE|TH|FR|SA|SU)';
const intList = (digits: number, signed: boolean) => new RegExp(`^${signed ? '[+-]?' : ''}\\d{1,${digits}}(?:,${signed ? '[+-]?' : ''}\\d{1,${digits}})*$`);

/** The RRULE parts a window may use, each with the form of its value. */
const partPatterns: Readonly<Record<string, RegExp>> = {
  FREQ: /^(?:HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)$/,
  INTERVAL: /^[1-9]\d{0,3}$/,
  COUNT: /^[1-9]\d{0,5}$/,
  UNTIL: /^\d{8}(?:T\d{6}Z?)?$/,
  BYDAY: new RegExp(`^${weekday}(?:,${weekday})*$`),
  BYMONTHDAY: intList(2, true),
  BYMONTH: intList(2, false),
  BYYEARDAY: intList(3, true),
  BYWEEKNO: intList(2, true),
  BYSETPOS: intList(3, true),
  BYHOUR: intList(2, false),
  BYMINUTE: intList(2, false),
  WKST: /^(?:MO|TU|WE|TH|FR|SA|SU)$/,
};

function invalid(path: string, problem: string): VigilError {
  return new VigilError('VALIDATION_FAILED', `bad ${path}: ${problem}`, { details: [{ path, message: problem }] });
}

/**
 * Checks a recurrence and returns it normalised (upper case, no `RRULE:` prefix). Refused, with
 * VALIDATION_FAILED at `rrule` or `timeZone`: unknown or repeated parts, values of the wrong form,
 * a missing FREQ, DTSTART or TZID inside the rule (the window's start and time zone say that), a
 * frequency below an hour, and a rule that never occurs after `startsAt`.
 */
export function checkRecurrence(recurrence: Recurrence, startsAt: number): Recurrence {
  if (!isValidTimeZone(recurrence.timeZone)) throw invalid('timeZone', `${JSON.stringify(recurrence.timeZone)} is not an IANA time zone, like Europe/Berlin`);
  const text = recurrence.rrule.trim().replace(/^RRULE:/i, '').toUpperCase();
  if (text === '') throw invalid('rrule', 'is empty; write e.g. FREQ=WEEKLY;BYDAY=SU');
  const seen = new Set<string>();
  for (const part of text.split(';')) {
    const [key = '', value, ...more] = part.split('=');
    if (key === 'DTSTART' || key === 'TZID') throw invalid('rrule', `${key} is not allowed in the rule: give the window's start and timeZone instead`);
    const pattern = partPatterns[key];
    if (pattern === undefined) throw invalid('rrule', `unknown or unsupported part ${JSON.stringify(part)}`);
    if (value === undefined || more.length > 0 || !pattern.test(value)) throw invalid('rrule', `bad value in ${JSON.stringify(part)}`);
    if (seen.has(key)) throw invalid('rrule', `${key} is given twice`);
    seen.add(key);
  }
  if (!seen.has('FREQ')) throw invalid('rrule', 'FREQ is missing (HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY)');
  const normalised = { rrule: text, timeZone: recurrence.timeZone };
  let rule: Rule;
  try {
    rule = ruleOf(normalised, startsAt);
  } catch (cause) {
    throw invalid('rrule', cause instanceof Error ? cause.message : String(cause));
  }
  if (rule.after(rule.options.dtstart, true) === null) throw invalid('rrule', 'never occurs from the window start on');
  return normalised;
}

/** The wall-clock reading of an instant in a zone, as a floating Date. */
function floating(at: number, timeZone: string): Date {
  const local = toLocal(at, timeZone);
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

/** The instant of a floating Date in a zone. */
function placed(wall: Date, timeZone: string): number {
  return fromLocal(
    { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds() },
    timeZone,
  );
}

function ruleOf(recurrence: Recurrence, startsAt: number): Rule {
  return new RRule({ ...RRule.parseString(recurrence.rrule), dtstart: floating(startsAt, recurrence.timeZone) });
}

/** The occurrences of a window that overlap [from, to), in order. */
export function occurrencesBetween(window: Pick<MaintenanceWindow, 'startsAt' | 'durationMs' | 'recurrence'>, from: number, to: number): Occurrence[] {
  const { startsAt, durationMs, recurrence } = window;
  if (recurrence === null) {
    const end = startsAt + durationMs;
    return startsAt < to && end > from ? [{ start: startsAt, end }] : [];
  }
  // The wall-time range is widened by a day each side: offsets differ by less than that.
  const wallFrom = new Date(from + offsetAt(from, recurrence.timeZone) - durationMs - DAY);
  const wallTo = new Date(to + offsetAt(to, recurrence.timeZone) + DAY);
  return ruleOf(recurrence, startsAt)
    .between(wallFrom, wallTo, true)
    .map((wall) => {
      const start = placed(wall, recurrence.timeZone);
      return { start, end: start + durationMs };
    })
    .filter((o) => o.start < to && o.end > from);
}

/** The occurrence open at `at`, if any. */
export function occurrenceAt(window: Pick<MaintenanceWindow, 'startsAt' | 'durationMs' | 'recurrence'>, at: number): Occurrence | undefined {
  return occurrencesBetween(window, at, at + 1).find((o) => o.start <= at && at < o.end);
}

/** The next `count` occurrences that have not ended by `from` (the open one first). */
export function nextOccurrences(window: Pick<MaintenanceWindow, 'startsAt' | 'durationMs' | 'recurrence'>, options: { from: number; count: number }): Occurrence[] {
  const { from, count } = options;
  if (window.recurrence === null) return occurrencesBetween(window, from, Number.MAX_SAFE_INTEGER).slice(0, count);
  const found: Occurrence[] = [];
  // Look ahead in growing steps: a daily rule fills a week, a yearly one needs years.
  for (let span = 7 * DAY; found.length < count && span <= 3_700 * DAY; span *= 4) {
    found.splice(0, found.length, ...occurrencesBetween(window, from, from + span));
  }
  return found.slice(0, count);
}
