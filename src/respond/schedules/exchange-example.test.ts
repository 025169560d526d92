import { describe, expect, it } from 'vitest';
import { exchangeOnCall } from './exchange-example.js';
import { scheduleSchema, scheduleToICal, shiftsBetween, whoIsOnCall } from './index.js';

const at = (iso: string) => Date.parse(iso);
const schedule = scheduleSchema.parse(exchangeOnCall);

describe('the README example: an exchange hot-wallet team', () => {
  it('has the primary on weekdays 09:00-21:00 and the secondary at night and at weekends', () => {
    expect(whoIsOnCall(schedule, at('2026-11-23T08:00:00Z'))).toBe('cy'); // Monday 09:00
    expect(whoIsOnCall(schedule, at('2026-11-23T20:30:00Z'))).toBe('sre-1'); // Monday 21:30
    expect(whoIsOnCall(schedule, at('2026-11-28T12:00:00Z'))).toBe('sre-1'); // Saturday
    expect(whoIsOnCall(schedule, at('2026-11-30T08:00:00Z'))).toBe('ann'); // next Monday 09:00
    expect(whoIsOnCall(schedule, at('2026-11-30T20:00:00Z'))).toBe('sre-2');
  });

  it('lets dee cover the holiday in the middle of the week ann has', () => {
    const shifts = shiftsBetween(schedule, at('2026-12-23T08:00:00Z'), at('2026-12-28T08:00:00Z')).map((shift) => [
      new Date(shift.start).toISOString().slice(0, 16),
      new Date(shift.end).toISOString().slice(0, 16),
      shift.person,
      shift.layer,
    ]);
    expect(shifts).toEqual([
      ['2026-12-23T08:00', '2026-12-23T20:00', 'ann', 'primary'],
      ['2026-12-23T20:00', '2026-12-24T08:00', 'sre-1', 'secondary'],
      ['2026-12-24T08:00', '2026-12-26T08:00', 'dee', null],
      ['2026-12-26T08:00', '2026-12-28T08:00', 'sre-1', 'secondary'],
    ]);
  });

  it('publishes the holiday as one event in the feed', () => {
    const ical = scheduleToICal(schedule, { from: at('2026-12-24T08:00:00Z'), to: at('2026-12-25T08:00:00Z'), now: at('2026-12-01T00:00:00Z') });
    expect(ical).toContain('SUMMARY:On call: dee (Hot wallets)\r\n');
    expect(ical).toContain('DTSTART:20261224T080000Z\r\nDTEND:20261225T080000Z\r\n');
  });
});
