/**
 * Wall-clock time in an IANA time zone, converted to and from UTC instants with nothing but
 * `Intl.DateTimeFormat`. Schedules hand off at a local time of day ("09:00 Europe/Berlin"), so every
 * handoff is computed from a local date and time, never by adding 24 hours to the previous one:
 * that is what makes a daily shift 23 hours long across a spring-forward day and 25 across fall-back.
 */

/** A calendar date with no time zone: month 1-12, day 1-31. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A wall-clock date and time with no time zone. */
export interface LocalDateTime extends LocalDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    // h23, not hour12: false, which some ICU versions render as "24" at midnight.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when this runtime's Intl knows the IANA time zone id. */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock date and time in `timeZone` at the instant `at` (ms since the epoch). */
export function toLocal(at: number, timeZone: string): LocalDateTime {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields['year'] ?? 0,
    month: fields['month'] ?? 1,
    day: fields['day'] ?? 1,
    hour: fields['hour'] ?? 0,
    minute: fields['minute'] ?? 0,
    second: fields['second'] ?? 0,
  };
}

/** The local wall-clock reading as if it were UTC: the arithmetic form of a LocalDateTime. */
function wallMs(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
}

/** The zone's offset from UTC at instant `at`, in ms (Berlin in summer: +7,200,000). */
export function offsetAt(at: number, timeZone: string): number {
  const whole = Math.floor(at / 1000) * 1000;
  return wallMs(toLocal(whole, timeZone)) - whole;
}

/**
 * The UTC instant of a wall-clock time in `timeZone`. Around a daylight-saving change a wall-clock
 * time can occur twice or not at all; this resolves both like Temporal's `compatible` option:
 * - an ambiguous time (fall-back, the hour that repeats) is its first occurrence, still in summer
 *   time, so a 02:30 handoff on 2026-10-25 in Berlin happens at 00:30Z, not 01:30Z;
 * - a time that does not exist (spring-forward gap) moves forward by the length of the gap, so a
 *   02:30 handoff on 2026-03-29 in Berlin happens at 03:30 summer time (01:30Z).
 * Offsets are read a day before and a day after, which assumes at most one change in 48 hours;
 * every zone in the IANA database has kept to that for decades.
 */
export function fromLocal(local: LocalDateTime, timeZone: string): number {
  const wall = wallMs(local);
  const before = wall - offsetAt(wall - DAY_MS, timeZone);
  const after = wall - offsetAt(wall + DAY_MS, timeZone);
  const matches = (at: number) => at + offsetAt(at, timeZone) === wall;
  const candidates = [before, after].filter(matches);
  if (candidates.length > 0) return Math.min(...candidates);
  // In the gap: read the wall time with the offset from before the change, which lands after it.
  return before;
}

/** The date `days` calendar days after `date` (negative goes back). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / DAY_MS);
}

/** Day of the week of a calendar date: 0 is Sunday, 6 is Saturday (as Date#getUTCDay). */
export function weekdayOf(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** Parses `YYYY-MM-DD`; undefined when it is not a real calendar date. */
export function parseLocalDate(text: string): LocalDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const round = addDays(date, 0);
  return round.year === date.year && round.month === date.month && round.day === date.day ? date : undefined;
}

/** A time of day in minutes since midnight. */
export interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
}

/** Parses `HH:MM` on a 24-hour clock (00:00-23:59); undefined otherwise. */
export function parseTimeOfDay(text: string): TimeOfDay | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (match === null) return undefined;
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** The instant of `time` on local `date` in `timeZone` (see fromLocal for DST changes). */
export function atLocalTime(options: { date: LocalDate; time: TimeOfDay; timeZone: string }): number {
  const { date, time, timeZone } = options;
  return fromLocal({ ...date, hour: time.hour, minute: time.minute, second: 0 }, timeZone);
}
