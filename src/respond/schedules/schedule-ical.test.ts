import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, scheduleToICal } from './schedule-ical.js';
import type { Schedule } from './schedule.js';

const at = (iso: string) => Date.parse(iso);
const octets = (text: string) => new TextEncoder().encode(text).length;

const berlin: Schedule = {
  name: 'Exchange, hot wallets',
  timeZone: 'Europe/Berlin',
  layers: [{ name: 'primary', participants: ['Ann', 'Bob'], rotation: { kind: 'daily' }, handoffTime: '09:00', start: '2026-03-27' }],
  overrides: [{ person: 'Dee', start: at('2026-03-28T12:00:00Z'), end: at('2026-03-28T14:00:00Z') }],
};
const options = { from: at('2026-03-27T00:00:00Z'), to: at('2026-03-30T00:00:00Z'), now: at('2026-03-20T10:11:12.345Z') };

/** Unfolds RFC 5545 content lines: a CRLF followed by a space continues the line before. */
const unfold = (text: string) => text.replace(/\r\n /g, '').split('\r\n');

describe('scheduleToICal', () => {
  it('writes a VCALENDAR with one VEVENT per shift, CRLF line endings and UTC times', () => {
    const ical = scheduleToICal(berlin, options);
    expect(ical.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
    expect(ical.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ical.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = unfold(ical);
    expect(lines.filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(5);
    expect(lines.filter((line) => line.startsWith('DTSTART:'))).toEqual([
      'DTSTART:20260327T080000Z',
      'DTSTART:20260328T080000Z',
      'DTSTART:20260328T120000Z',
      'DTSTART:20260328T140000Z',
      'DTSTART:20260329T070000Z',
    ]);
    expect(lines).toContain('DTEND:20260329T070000Z');
    expect(lines.filter((line) => line.startsWith('DTSTAMP:'))).toEqual(Array(5).fill('DTSTAMP:20260320T101112Z'));
    expect(lines).toContain('SUMMARY:On call: Dee (Exchange\\, hot wallets)');
  });

  it('gives a shift the same UID every time the feed is generated, and each shift its own', () => {
    const uids = (ical: string) => unfold(ical).filter((line) => line.startsWith('UID:'));
    const first = uids(scheduleToICal(berlin, options));
    const later = uids(scheduleToICal(berlin, { ...options, now: at('2026-03-21T00:00:00Z') }));
    expect(later).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
  });

  it('folds long lines at 75 octets without splitting a character', () => {
    const long = `SUMMARY:${'On call: Jürgen Müller-Lüdenscheidt '.repeat(5)}`;
    const folded = foldLine(long);
    for (const line of folded.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(long);
    const ical = scheduleToICal({ ...berlin, name: 'Ü'.repeat(60) }, options);
    for (const line of ical.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);
  });

  it('escapes backslashes, semicolons, commas and newlines in text', () => {
    expect(escapeText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
  });
});
