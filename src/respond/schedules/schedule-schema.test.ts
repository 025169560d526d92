import { describe, expect, it } from 'vitest';
import { scheduleSchema } from './schedule-schema.js';

const valid = {
  name: 'Exchange primary',
  timeZone: 'Europe/Berlin',
  layers: [
    { name: 'primary', participants: ['ann', 'bob'], rotation: { kind: 'weekly' }, handoffTime: '09:00', start: '2026-11-23' },
    {
      name: 'secondary',
      participants: ['cy'],
      rotation: { kind: 'custom', length: 12, unit: 'hours' },
      handoffTime: '21:00',
      start: '2026-11-23',
      restrictions: [{ days: ['sat', 'sun'], from: '00:00', to: '00:00' }],
    },
  ],
  overrides: [{ person: 'dee', start: '2026-12-24T00:00:00+01:00', end: '2026-12-27T00:00:00+01:00', reason: 'holiday' }],
};

const issues = (input: unknown) => {
  const result = scheduleSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
};

describe('scheduleSchema', () => {
  it('parses a valid definition into a schedule with override times in ms', () => {
    const schedule = scheduleSchema.parse(valid);
    expect(schedule.overrides[0]).toEqual({ person: 'dee', start: Date.parse('2026-12-23T23:00:00Z'), end: Date.parse('2026-12-26T23:00:00Z'), reason: 'holiday' });
    expect(schedule.layers[0]).not.toHaveProperty('restrictions');
    expect(schedule.layers[1]?.rotation).toEqual({ kind: 'custom', length: 12, unit: 'hours' });
  });

  it('defaults overrides to none', () => {
    const { overrides: _, ...rest } = valid;
    expect(scheduleSchema.parse(rest).overrides).toEqual([]);
  });

  it('rejects an unknown time zone with a message naming the expected form', () => {
    expect(issues({ ...valid, timeZone: 'Europe/Atlantis' })).toEqual([{ path: 'timeZone', message: 'must be an IANA time zone id this runtime knows, like Europe/Berlin' }]);
  });

  it('rejects a malformed handoff time and start date at their paths', () => {
    const layer = { ...valid.layers[0], handoffTime: '9am', start: '2026-02-30' };
    expect(issues({ ...valid, layers: [layer] })).toEqual([
      { path: 'layers.0.handoffTime', message: 'must be a time of day as HH:MM on a 24-hour clock, like 09:00' },
      { path: 'layers.0.start', message: 'must be a calendar date as YYYY-MM-DD, like 2026-03-30' },
    ]);
  });

  it('rejects an override that ends before it starts, a custom length of zero and a repeated layer name', () => {
    const paths = issues({
      ...valid,
      layers: [valid.layers[0], { ...valid.layers[1], name: 'primary', rotation: { kind: 'custom', length: 0, unit: 'days' } }],
      overrides: [{ person: 'dee', start: '2026-12-27T00:00:00Z', end: '2026-12-24T00:00:00Z' }],
    }).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['layers.1.rotation.length', 'overrides.0.end']));
    expect(issues({ ...valid, layers: [valid.layers[0], { ...valid.layers[1], name: 'primary' }] })).toEqual([{ path: 'layers.1.name', message: 'layer name primary is used twice' }]);
  });

  it('rejects a layer without participants, an unknown rotation and an unknown weekday', () => {
    const paths = issues({
      ...valid,
      layers: [
        { ...valid.layers[0], participants: [], rotation: { kind: 'fortnightly' } },
        { ...valid.layers[1], restrictions: [{ days: ['funday'], from: '09:00', to: '18:00' }] },
      ],
    }).map((issue) => issue.path);
    expect(paths).toEqual(['layers.0.participants', 'layers.0.rotation.kind', 'layers.1.restrictions.0.days.0']);
  });
});
