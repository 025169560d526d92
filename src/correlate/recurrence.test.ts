import { describe, expect, it } from 'vitest';
import { isVigilError } from '../core/errors.js';
import type { MaintenanceWindow } from '../core/maintenance-window.js';
import { checkRecurrence, nextOccurrences, occurrenceAt, occurrencesBetween } from './recurrence.js';

const H = 3_600_000;
const at = (text: string) => Date.parse(text);
const iso = (ms: number) => new Date(ms).toISOString();

/** Every Sunday 03:00-05:00 Europe/Berlin, from Sunday 2026-03-01 (winter time). */
const sundays: Pick<MaintenanceWindow, 'startsAt' | 'durationMs' | 'recurrence'> = {
  startsAt: at('2026-03-01T03:00:00+01:00'),
  durationMs: 2 * H,
  recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=SU', timeZone: 'Europe/Berlin' },
};

describe('recurring maintenance windows', () => {
  it('keep their wall-clock time across the spring-forward change', () => {
    const starts = occurrencesBetween(sundays, at('2026-03-20T00:00:00Z'), at('2026-04-06T00:00:00Z')).map((o) => iso(o.start));
    // 03:00 CET is 02:00Z; from 2026-03-29 on, 03:00 CEST is 01:00Z.
    expect(starts).toEqual(['2026-03-22T02:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-04-05T01:00:00.000Z']);
  });

  it('keep their wall-clock time across the fall-back change', () => {
    const starts = occurrencesBetween(sundays, at('2026-10-17T00:00:00Z'), at('2026-11-02T00:00:00Z')).map((o) => iso(o.start));
    expect(starts).toEqual(['2026-10-18T01:00:00.000Z', '2026-10-25T02:00:00.000Z', '2026-11-01T02:00:00.000Z']);
  });

  it('say whether a time is inside an occurrence, on both sides of the change', () => {
    expect(occurrenceAt(sundays, at('2026-03-22T01:30:00Z'))).toBeUndefined();
    expect(occurrenceAt(sundays, at('2026-03-22T02:00:00Z'))).toEqual({ start: at('2026-03-22T02:00:00Z'), end: at('2026-03-22T04:00:00Z') });
    expect(occurrenceAt(sundays, at('2026-03-22T03:59:59Z'))).toBeDefined();
    expect(occurrenceAt(sundays, at('2026-03-22T04:00:00Z'))).toBeUndefined();
    // The week after, the same wall time is an hour earlier in UTC.
    expect(occurrenceAt(sundays, at('2026-03-29T01:30:00Z'))).toEqual({ start: at('2026-03-29T01:00:00Z'), end: at('2026-03-29T03:00:00Z') });
    expect(occurrenceAt(sundays, at('2026-03-29T03:30:00Z'))).toBeUndefined();
    // Not on a Saturday, and not before the first occurrence.
    expect(occurrenceAt(sundays, at('2026-03-28T02:30:00Z'))).toBeUndefined();
    expect(occurrenceAt(sundays, at('2026-02-22T02:30:00Z'))).toBeUndefined();
  });

  it('move a wall time that does not exist forward by the gap, as schedules do', () => {
    const daily = { startsAt: at('2026-03-27T02:30:00+01:00'), durationMs: H, recurrence: { rrule: 'FREQ=DAILY', timeZone: 'Europe/Berlin' } };
    const starts = occurrencesBetween(daily, at('2026-03-28T00:00:00Z'), at('2026-03-30T12:00:00Z')).map((o) => iso(o.start));
    expect(starts).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('list the next occurrences, the open one first, and stop when the rule ends', () => {
    const next = nextOccurrences(sundays, { from: at('2026-03-22T03:00:00Z'), count: 3 }).map((o) => iso(o.start));
    expect(next).toEqual(['2026-03-22T02:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-04-05T01:00:00.000Z']);
    const twice = { ...sundays, recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=SU;COUNT=2', timeZone: 'Europe/Berlin' } };
    expect(nextOccurrences(twice, { from: at('2026-01-01T00:00:00Z'), count: 5 })).toHaveLength(2);
  });

  it('treat a one-off window as its single occurrence', () => {
    const once = { startsAt: at('2026-11-23T10:00:00Z'), durationMs: H, recurrence: null };
    expect(occurrenceAt(once, at('2026-11-23T10:30:00Z'))).toEqual({ start: at('2026-11-23T10:00:00Z'), end: at('2026-11-23T11:00:00Z') });
    expect(occurrenceAt(once, at('2026-11-23T11:00:00Z'))).toBeUndefined();
    expect(nextOccurrences(once, { from: at('2026-11-24T00:00:00Z'), count: 3 })).toEqual([]);
  });

  it('normalise a valid rule and refuse a bad one with the reason', () => {
    expect(checkRecurrence({ rrule: 'rrule:freq=weekly;byday=su', timeZone: 'Europe/Berlin' }, sundays.startsAt)).toEqual({ rrule: 'FREQ=WEEKLY;BYDAY=SU', timeZone: 'Europe/Berlin' });
    const problems: [string, string, string][] = [
      ['FREQ=WEEKLY;BYDAY=XX', 'Europe/Berlin', 'bad value in "BYDAY=XX"'],
      ['BYDAY=SU', 'Europe/Berlin', 'FREQ is missing'],
      ['FREQ=SECONDLY', 'Europe/Berlin', 'bad value'],
      ['FREQ=WEEKLY;FREQ=DAILY', 'Europe/Berlin', 'FREQ is given twice'],
      ['FREQ=WEEKLY;FOO=1', 'Europe/Berlin', 'unknown or unsupported part'],
      ['DTSTART:20260101T000000Z', 'Europe/Berlin', 'unknown or unsupported part'],
      ['FREQ=DAILY;DTSTART=20260101', 'Europe/Berlin', 'DTSTART is not allowed'],
      ['FREQ=DAILY;UNTIL=20250101', 'Europe/Berlin', 'never occurs'],
      ['', 'Europe/Berlin', 'is empty'],
      ['FREQ=DAILY', 'Mars/Olympus', 'not an IANA time zone'],
    ];
    for (const [rrule, timeZone, problem] of problems) {
      let error: unknown;
      try {
        checkRecurrence({ rrule, timeZone }, sundays.startsAt);
      } catch (e) {
        error = e;
      }
      expect(isVigilError(error, 'VALIDATION_FAILED'), rrule).toBe(true);
      expect((error as Error).message, rrule).toContain(problem);
    }
  });
});
