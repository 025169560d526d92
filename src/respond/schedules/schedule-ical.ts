/**
 * An iCalendar (RFC 5545) feed of a schedule's shifts, for people to subscribe to in their own
 * calendar. Times are written in UTC (`Z`), so no VTIMEZONE is needed and every client agrees.
 */
import { shiftsBetween } from './on-call.js';
import type { Schedule, Shift } from './schedule.js';

/** The window of the feed and the instant it is generated (DTSTAMP); all ms since the epoch. */
export interface ICalOptions {
  readonly from: number;
  readonly to: number;
  /** From the caller's Clock, so the feed is reproducible in tests. */
  readonly now: number;
}

const encoder = new TextEncoder();

/** `20260329T070000Z`: RFC 5545 DATE-TIME in UTC, to the second. */
export function icalDateTime(at: number): string {
  return new Date(Math.floor(at / 1000) * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines. */
export function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/**
 * Folds a content line so no physical line is longer than 75 octets (RFC 5545 3.1): a CRLF and a
 * space go between folds, and a UTF-8 character is never split, so `ü` stays whole.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  // The first line may hold 75 octets; each continuation spends one on its leading space.
  let limit = 75;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'schedule';
}

/**
 * Stable for a shift as long as the schedule does not change it: the schedule, the turn or override
 * it comes from, and its start. A shift cut by the feed's `from` starts at `from`, so feeds should
 * begin at a fixed point (the start of a day) rather than at the current millisecond.
 */
function uidOf(schedule: Schedule, shift: Shift): string {
  return `${slug(schedule.name)}-${slug(shift.source)}-${icalDateTime(shift.start)}@vigil`;
}

function eventLines(options: { schedule: Schedule; shift: Shift; stamp: string }): string[] {
  const { schedule, shift, stamp } = options;
  const origin = shift.override ? 'override' : `layer ${shift.layer ?? ''}`;
  return [
    'BEGIN:VEVENT',
    `UID:${uidOf(schedule, shift)}`,
    `DTSTAMP:${stamp}`,
    `DTSTART:${icalDateTime(shift.start)}`,
    `DTEND:${icalDateTime(shift.end)}`,
    `SUMMARY:${escapeText(`On call: ${shift.person} (${schedule.name})`)}`,
    `DESCRIPTION:${escapeText(`${shift.person} is on call for ${schedule.name} (${origin}).`)}`,
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
  ];
}

/** The schedule's flattened shifts in [from, to) as a VCALENDAR, one VEVENT per shift, CRLF line endings. */
export function scheduleToICal(schedule: Schedule, options: ICalOptions): string {
  const stamp = icalDateTime(options.now);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Vigil//On-call schedules//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(`On call: ${schedule.name}`)}`,
    ...shiftsBetween(schedule, options.from, options.to).flatMap((shift) => eventLines({ schedule, shift, stamp })),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
