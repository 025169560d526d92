import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { shiftsBetween, whoIsOnCall } from './on-call.js';
import type { Layer, Schedule } from './schedule.js';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

function schedule(options: { timeZone: string; layers: Layer[]; overrides?: Schedule['overrides'] }): Schedule {
  return { name: 'Exchange', timeZone: options.timeZone, layers: options.layers, overrides: options.overrides ?? [] };
}

const daily = (options: { start: string; handoffTime?: string; participants?: string[]; name?: string }): Layer => ({
  name: options.name ?? 'primary',
  participants: options.participants ?? ['ann', 'bob', 'cy'],
  rotation: { kind: 'daily' },
  handoffTime: options.handoffTime ?? '09:00',
  start: options.start,
});

const lengths = (shifts: { start: number; end: number }[]) => shifts.map((shift) => (shift.end - shift.start) / HOUR);

describe('whoIsOnCall', () => {
  it('hands a daily rotation off at the local handoff time, in order, wrapping around', () => {
    const berlin = schedule({ timeZone: 'Europe/Berlin', layers: [daily({ start: '2026-01-05' })] });
    expect(whoIsOnCall(berlin, at('2026-01-05T07:59:59Z'))).toBeNull();
    expect(whoIsOnCall(berlin, at('2026-01-05T08:00:00Z'))).toBe('ann');
    expect(whoIsOnCall(berlin, at('2026-01-06T07:59:59Z'))).toBe('ann');
    expect(whoIsOnCall(berlin, at('2026-01-06T08:00:00Z'))).toBe('bob');
    expect(whoIsOnCall(berlin, at('2026-01-08T08:00:00Z'))).toBe('ann');
  });

  it('answers for the instant a manual clock reads', () => {
    const clock = new ManualClock('2026-01-05T12:00:00Z');
    const berlin = schedule({ timeZone: 'Europe/Berlin', layers: [daily({ start: '2026-01-05' })] });
    expect(whoIsOnCall(berlin, clock.now())).toBe('ann');
    clock.advance(24 * HOUR);
    expect(whoIsOnCall(berlin, clock.now())).toBe('bob');
  });

  it('keeps the Berlin handoff at 09:00 local after spring-forward, one hour earlier in UTC', () => {
    const berlin = schedule({ timeZone: 'Europe/Berlin', layers: [daily({ start: '2026-03-27' })] });
    // 27 Mar ann, 28 Mar bob, 29 Mar cy from 09:00 CEST, which is 07:00Z rather than 08:00Z.
    expect(whoIsOnCall(berlin, at('2026-03-29T06:59:59Z'))).toBe('bob');
    expect(whoIsOnCall(berlin, at('2026-03-29T07:00:00Z'))).toBe('cy');
  });

  it('keeps the New York handoff at 09:00 local after fall-back, one hour later in UTC', () => {
    const newYork = schedule({ timeZone: 'America/New_York', layers: [daily({ start: '2026-10-31' })] });
    expect(whoIsOnCall(newYork, at('2026-11-01T13:59:59Z'))).toBe('ann');
    expect(whoIsOnCall(newYork, at('2026-11-01T14:00:00Z'))).toBe('bob');
  });

  it('lets an override cover instead of whoever the layers have, for [start, end) only', () => {
    const berlin = schedule({
      timeZone: 'Europe/Berlin',
      layers: [daily({ start: '2026-01-05' })],
      overrides: [{ person: 'dee', start: at('2026-01-05T12:00:00Z'), end: at('2026-01-05T14:00:00Z') }],
    });
    expect(whoIsOnCall(berlin, at('2026-01-05T11:59:59Z'))).toBe('ann');
    expect(whoIsOnCall(berlin, at('2026-01-05T12:00:00Z'))).toBe('dee');
    expect(whoIsOnCall(berlin, at('2026-01-05T14:00:00Z'))).toBe('ann');
  });

  it('lets the later of two overlapping overrides win', () => {
    const berlin = schedule({
      timeZone: 'Europe/Berlin',
      layers: [daily({ start: '2026-01-05' })],
      overrides: [
        { person: 'dee', start: at('2026-01-05T10:00:00Z'), end: at('2026-01-05T20:00:00Z') },
        { person: 'eve', start: at('2026-01-05T12:00:00Z'), end: at('2026-01-05T14:00:00Z') },
      ],
    });
    expect(whoIsOnCall(berlin, at('2026-01-05T13:00:00Z'))).toBe('eve');
    expect(whoIsOnCall(berlin, at('2026-01-05T15:00:00Z'))).toBe('dee');
  });

  it('asks the top layer first and falls through to the next where the top has nobody', () => {
    const business: Layer = {
      name: 'business-hours',
      participants: ['ann'],
      rotation: { kind: 'weekly' },
      handoffTime: '09:00',
      start: '2026-01-05',
      restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' }],
    };
    const berlin = schedule({ timeZone: 'Europe/Berlin', layers: [business, daily({ name: 'follow-the-sun', start: '2026-01-01', participants: ['zed'] })] });
    expect(whoIsOnCall(berlin, at('2026-01-07T10:00:00Z'))).toBe('ann'); // Wednesday 11:00
    expect(whoIsOnCall(berlin, at('2026-01-07T17:00:00Z'))).toBe('zed'); // Wednesday 18:00
    expect(whoIsOnCall(berlin, at('2026-01-10T10:00:00Z'))).toBe('zed'); // Saturday
  });

  it('rotates a custom length in days at the handoff time and in hours by elapsed time', () => {
    const threeDays = schedule({ timeZone: 'Europe/Berlin', layers: [{ ...daily({ start: '2026-03-27' }), rotation: { kind: 'custom', length: 3, unit: 'days' } }] });
    expect(whoIsOnCall(threeDays, at('2026-03-30T06:59:59Z'))).toBe('ann');
    expect(whoIsOnCall(threeDays, at('2026-03-30T07:00:00Z'))).toBe('bob');
    const eightHours = schedule({ timeZone: 'Europe/Berlin', layers: [{ ...daily({ start: '2026-03-29', handoffTime: '00:00' }), rotation: { kind: 'custom', length: 8, unit: 'hours' } }] });
    // Midnight CET is 23:00Z; eight elapsed hours later, across the change, it is 08:00 CEST.
    expect(whoIsOnCall(eightHours, at('2026-03-29T06:59:59Z'))).toBe('ann');
    expect(whoIsOnCall(eightHours, at('2026-03-29T07:00:00Z'))).toBe('bob');
  });
});

describe('shiftsBetween', () => {
  it('makes the daily shift across spring-forward 23 hours and across fall-back 25 hours in Berlin', () => {
    const berlin = schedule({ timeZone: 'Europe/Berlin', layers: [daily({ start: '2026-01-01' })] });
    // The 28 March shift runs from 09:00 CET to 09:00 CEST on the 29th, when clocks jump at 02:00.
    const spring = shiftsBetween(berlin, at('2026-03-27T08:00:00Z'), at('2026-03-31T07:00:00Z'));
    expect(lengths(spring)).toEqual([24, 23, 24, 24]);
    expect(spring[1]!.end).toBe(at('2026-03-29T07:00:00Z'));
    expect(lengths(shiftsBetween(berlin, at('2026-10-23T07:00:00Z'), at('2026-10-27T08:00:00Z')))).toEqual([24, 25, 24, 24]);
  });

  it('makes the daily shift across spring-forward 23 hours and across fall-back 25 hours in New York', () => {
    const newYork = schedule({ timeZone: 'America/New_York', layers: [daily({ start: '2026-01-01' })] });
    const spring = shiftsBetween(newYork, at('2026-03-07T14:00:00Z'), at('2026-03-09T13:00:00Z'));
    expect(lengths(spring)).toEqual([23, 24]);
    expect(spring[1]!.start).toBe(at('2026-03-08T13:00:00Z'));
    expect(lengths(shiftsBetween(newYork, at('2026-10-31T13:00:00Z'), at('2026-11-02T14:00:00Z')))).toEqual([25, 24]);
  });

  it('makes the weekly shift that spans a change 167 or 169 hours long', () => {
    const weekly = schedule({ timeZone: 'Europe/Berlin', layers: [{ ...daily({ start: '2026-03-23' }), rotation: { kind: 'weekly' } }] });
    expect(lengths(shiftsBetween(weekly, at('2026-03-23T08:00:00Z'), at('2026-03-30T07:00:00Z')))).toEqual([167]);
    const autumn = schedule({ timeZone: 'Europe/Berlin', layers: [{ ...daily({ start: '2026-10-19' }), rotation: { kind: 'weekly' } }] });
    expect(lengths(shiftsBetween(autumn, at('2026-10-19T07:00:00Z'), at('2026-10-26T08:00:00Z')))).toEqual([169]);
  });

  it('moves a handoff that falls in the spring-forward gap to the end of the gap and keeps the next one local', () => {
    const night = schedule({ timeZone: 'Europe/Berlin', layers: [daily({ start: '2026-03-28', handoffTime: '02:30' })] });
    const shifts = shiftsBetween(night, at('2026-03-28T01:30:00Z'), at('2026-03-30T00:30:00Z'));
    expect(shifts.map((shift) => new Date(shift.start).toISOString())).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z']);
    expect(lengths(shifts)).toEqual([24, 23]);
  });

  it('cuts a layer turn around an override into two shifts from the same turn', () => {
    const berlin = schedule({
      timeZone: 'Europe/Berlin',
      layers: [daily({ start: '2026-01-05' })],
      overrides: [{ person: 'dee', start: at('2026-01-05T12:00:00Z'), end: at('2026-01-05T14:00:00Z'), reason: 'dentist' }],
    });
    expect(shiftsBetween(berlin, at('2026-01-05T08:00:00Z'), at('2026-01-06T08:00:00Z'))).toEqual([
      { start: at('2026-01-05T08:00:00Z'), end: at('2026-01-05T12:00:00Z'), person: 'ann', layer: 'primary', override: false, source: 'layer:primary:0' },
      { start: at('2026-01-05T12:00:00Z'), end: at('2026-01-05T14:00:00Z'), person: 'dee', layer: null, override: true, source: 'override:0' },
      { start: at('2026-01-05T14:00:00Z'), end: at('2026-01-06T08:00:00Z'), person: 'ann', layer: 'primary', override: false, source: 'layer:primary:0' },
    ]);
  });

  it('fills the hours a restricted top layer leaves with the layer below', () => {
    const business: Layer = {
      name: 'business-hours',
      participants: ['ann'],
      rotation: { kind: 'weekly' },
      handoffTime: '09:00',
      start: '2026-01-05',
      restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' }],
    };
    const berlin = schedule({ timeZone: 'Europe/Berlin', layers: [business, daily({ name: 'nights', start: '2026-01-01', participants: ['zed'] })] });
    const shifts = shiftsBetween(berlin, at('2026-01-05T08:00:00Z'), at('2026-01-06T08:00:00Z'));
    expect(shifts.map((shift) => [shift.person, lengths([shift])[0]])).toEqual([
      ['ann', 9],
      ['zed', 15],
    ]);
  });

  it('supports restriction windows that run past midnight', () => {
    const nights: Layer = { ...daily({ name: 'nights', start: '2026-01-01', participants: ['owl'] }), restrictions: [{ days: ['fri'], from: '22:00', to: '06:00' }] };
    const berlin = schedule({ timeZone: 'Europe/Berlin', layers: [nights] });
    const shifts = shiftsBetween(berlin, at('2026-01-09T00:00:00Z'), at('2026-01-11T00:00:00Z'));
    expect(shifts.map((shift) => [new Date(shift.start).toISOString(), new Date(shift.end).toISOString()])).toEqual([
      ['2026-01-09T21:00:00.000Z', '2026-01-10T05:00:00.000Z'],
    ]);
    expect(whoIsOnCall(berlin, at('2026-01-10T04:59:00Z'))).toBe('owl');
    expect(whoIsOnCall(berlin, at('2026-01-10T05:00:00Z'))).toBeNull();
  });

  it('returns nothing for an empty or reversed range', () => {
    const berlin = schedule({ timeZone: 'Europe/Berlin', layers: [daily({ start: '2026-01-05' })] });
    expect(shiftsBetween(berlin, at('2026-02-01T00:00:00Z'), at('2026-02-01T00:00:00Z'))).toEqual([]);
    expect(shiftsBetween(berlin, at('2026-02-02T00:00:00Z'), at('2026-02-01T00:00:00Z'))).toEqual([]);
  });
});

describe('whoIsOnCall and shiftsBetween agree', () => {
  const zones = ['Europe/Berlin', 'America/New_York', 'UTC', 'Australia/Sydney', 'Asia/Kolkata'];
  const people = ['ann', 'bob', 'cy', 'dee', 'eve'];
  const base = at('2026-01-01T00:00:00Z');
  const YEAR = 365 * 24 * HOUR;
  const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 59)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const date = fc.integer({ min: 0, max: 300 }).map((days) => new Date(base + days * 24 * HOUR).toISOString().slice(0, 10));
  const rotation = fc.oneof(
    fc.constant({ kind: 'daily' as const }),
    fc.constant({ kind: 'weekly' as const }),
    fc.record({ kind: fc.constant('custom' as const), length: fc.integer({ min: 1, max: 10 }), unit: fc.constantFrom('hours' as const, 'days' as const) }),
  );
  const restriction = fc.record({ days: fc.subarray(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const, { minLength: 1 }), from: hhmm, to: hhmm });
  const layer = (name: string) =>
    fc.record(
      { name: fc.constant(name), participants: fc.array(fc.constantFrom(...people), { minLength: 1, maxLength: 4 }), rotation, handoffTime: hhmm, start: date, restrictions: fc.array(restriction, { maxLength: 2 }) },
      { requiredKeys: ['name', 'participants', 'rotation', 'handoffTime', 'start'] },
    );
  const override = fc.record({ person: fc.constantFrom('ovr', 'sub'), start: fc.integer({ min: base, max: base + YEAR }), hours: fc.integer({ min: 1, max: 72 }) }).map((o) => ({ person: o.person, start: o.start, end: o.start + o.hours * HOUR }));
  const scheduleArb = fc.record({
    name: fc.constant('prop'),
    timeZone: fc.constantFrom(...zones),
    layers: fc.tuple(layer('a'), layer('b'), layer('c')).chain((layers) => fc.integer({ min: 1, max: 3 }).map((n) => layers.slice(0, n))),
    overrides: fc.array(override, { maxLength: 3 }),
  });
  const window = fc.tuple(fc.integer({ min: base, max: base + YEAR }), fc.integer({ min: HOUR, max: 21 * 24 * HOUR }));

  it('gives, at every instant, the person of the shift containing it, with sorted non-overlapping shifts', () => {
    fc.assert(
      fc.property(scheduleArb, window, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }), (sched, [from, span], fractions) => {
        const to = from + span;
        const shifts = shiftsBetween(sched, from, to);
        for (const [index, shift] of shifts.entries()) {
          expect(shift.start).toBeLessThan(shift.end);
          expect(shift.start).toBeGreaterThanOrEqual(from);
          expect(shift.end).toBeLessThanOrEqual(to);
          const next = shifts[index + 1];
          if (next !== undefined) expect(next.start).toBeGreaterThanOrEqual(shift.end);
        }
        // Probe random instants and every shift boundary, where off-by-one mistakes live.
        const probes = [...fractions.map((f) => Math.min(to - 1, from + Math.floor(f * span))), ...shifts.flatMap((s) => [s.start, s.end - 1])];
        for (const probe of probes) {
          const shift = shifts.find((s) => s.start <= probe && probe < s.end);
          expect(whoIsOnCall(sched, probe)).toBe(shift?.person ?? null);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('covers the whole range with contiguous shifts when the bottom layer is unrestricted and started', () => {
    const covered = scheduleArb.map((sched) => ({
      ...sched,
      layers: [...sched.layers, { name: 'catch-all', participants: ['net'], rotation: { kind: 'daily' as const }, handoffTime: '00:00', start: '2025-12-01' }],
    }));
    fc.assert(
      fc.property(covered, window, (sched, [from, span]) => {
        const shifts = shiftsBetween(sched, from, from + span);
        expect(shifts[0]?.start).toBe(from);
        expect(shifts.at(-1)?.end).toBe(from + span);
        for (let index = 1; index < shifts.length; index += 1) expect(shifts[index]!.start).toBe(shifts[index - 1]!.end);
      }),
      { numRuns: 100 },
    );
  });
});
