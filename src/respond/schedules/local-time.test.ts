import { describe, expect, it } from 'vitest';
import { addDays, atLocalTime, daysBetween, fromLocal, isValidTimeZone, offsetAt, parseLocalDate, parseTimeOfDay, toLocal, weekdayOf } from './local-time.js';

const at = (iso: string) => Date.parse(iso);
const local = (text: string) => {
  const [date = '', time = ''] = text.split('T');
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  return { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: 0 };
};

describe('local time', () => {
  it('reads the wall clock of an instant in a time zone', () => {
    expect(toLocal(at('2026-07-01T07:00:00Z'), 'Europe/Berlin')).toEqual(local('2026-07-01T09:00'));
    expect(toLocal(at('2026-01-01T00:00:00Z'), 'America/New_York')).toEqual(local('2025-12-31T19:00'));
  });

  it('reads midnight as hour 0, never 24', () => {
    expect(toLocal(at('2026-01-01T23:00:00Z'), 'Europe/Berlin').hour).toBe(0);
  });

  it('knows the offset on either side of a daylight-saving change', () => {
    expect(offsetAt(at('2026-03-29T00:59:59Z'), 'Europe/Berlin')).toBe(3_600_000);
    expect(offsetAt(at('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe(7_200_000);
    expect(offsetAt(at('2026-11-01T05:59:59Z'), 'America/New_York')).toBe(-4 * 3_600_000);
    expect(offsetAt(at('2026-11-01T06:00:00Z'), 'America/New_York')).toBe(-5 * 3_600_000);
  });

  it('turns an ordinary wall-clock time into its instant in winter and summer', () => {
    expect(fromLocal(local('2026-01-15T09:00'), 'Europe/Berlin')).toBe(at('2026-01-15T08:00:00Z'));
    expect(fromLocal(local('2026-07-15T09:00'), 'Europe/Berlin')).toBe(at('2026-07-15T07:00:00Z'));
    expect(fromLocal(local('2026-07-15T09:00'), 'America/New_York')).toBe(at('2026-07-15T13:00:00Z'));
  });

  it('moves a wall-clock time in the spring-forward gap forward by the gap', () => {
    expect(fromLocal(local('2026-03-29T02:30'), 'Europe/Berlin')).toBe(at('2026-03-29T01:30:00Z'));
    expect(toLocal(at('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toEqual(local('2026-03-29T03:30'));
    expect(fromLocal(local('2026-03-08T02:00'), 'America/New_York')).toBe(at('2026-03-08T07:00:00Z'));
  });

  it('takes the first occurrence of a wall-clock time that repeats at fall-back', () => {
    expect(fromLocal(local('2026-10-25T02:30'), 'Europe/Berlin')).toBe(at('2026-10-25T00:30:00Z'));
    expect(fromLocal(local('2026-11-01T01:30'), 'America/New_York')).toBe(at('2026-11-01T05:30:00Z'));
  });

  it('round-trips every quarter hour across the 2026 changes', () => {
    for (const [zone, day] of [
      ['Europe/Berlin', '2026-03-29'],
      ['Europe/Berlin', '2026-10-25'],
      ['America/New_York', '2026-03-08'],
      ['America/New_York', '2026-11-01'],
    ] as const) {
      for (let t = at(`${day}T00:00:00Z`) - 86_400_000; t < at(`${day}T00:00:00Z`) + 2 * 86_400_000; t += 900_000) {
        const back = fromLocal(toLocal(t, zone), zone);
        // The second occurrence of a repeated hour maps back to the first, one hour earlier.
        expect([t, t - 3_600_000]).toContain(back);
      }
    }
  });

  it('does calendar arithmetic across month, year and leap days', () => {
    expect(addDays({ year: 2028, month: 2, day: 28 }, 1)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(addDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(daysBetween({ year: 2026, month: 3, day: 1 }, { year: 2026, month: 4, day: 1 })).toBe(31);
    expect(weekdayOf({ year: 2026, month: 11, day: 23 })).toBe(1);
  });

  it('accepts only real dates, 24-hour times and known time zones', () => {
    expect(parseLocalDate('2026-02-29')).toBeUndefined();
    expect(parseLocalDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseTimeOfDay('24:00')).toBeUndefined();
    expect(parseTimeOfDay('9:00')).toBeUndefined();
    expect(parseTimeOfDay('23:59')).toEqual({ hour: 23, minute: 59 });
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('finds a handoff instant from a local date and time of day', () => {
    expect(atLocalTime({ date: { year: 2026, month: 3, day: 30 }, time: { hour: 9, minute: 0 }, timeZone: 'Europe/Berlin' })).toBe(at('2026-03-30T07:00:00Z'));
  });
});
