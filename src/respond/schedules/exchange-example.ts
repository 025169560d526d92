/**
 * The worked example of README.md as code, so the README cannot drift from what the functions do:
 * an exchange's hot-wallet on-call team in Berlin.
 */
import type { ScheduleDefinition } from './schedule-schema.js';

export const exchangeOnCall: ScheduleDefinition = {
  name: 'Hot wallets',
  timeZone: 'Europe/Berlin',
  layers: [
    {
      name: 'primary',
      participants: ['cy', 'ann', 'bob'],
      rotation: { kind: 'weekly' },
      handoffTime: '09:00',
      start: '2026-11-23',
      restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '21:00' }],
    },
    {
      name: 'secondary',
      participants: ['sre-1', 'sre-2'],
      rotation: { kind: 'weekly' },
      handoffTime: '09:00',
      start: '2026-11-23',
    },
  ],
  overrides: [{ person: 'dee', start: '2026-12-24T09:00:00+01:00', end: '2026-12-26T09:00:00+01:00', reason: 'ann on holiday' }],
};
