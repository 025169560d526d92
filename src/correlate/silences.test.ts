import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Vigil } from '../app.js';
import { isVigilError } from '../core/errors.js';
import { silenceState, type Silence } from '../core/silence.js';
import { testVigil } from '../../test/support/vigil.js';
import { createVigil } from '../app.js';
import { defaultConfig } from '../config.js';
import { ManualClock } from '../core/clock.js';
import { sequentialIds } from '../core/ids.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';

const ana = { kind: 'token', id: 'tok-ana', name: 'ana' } as const;
const M = 60_000;

describe('silences', () => {
  let vigil: Vigil;
  let clock: ManualClock;
  beforeEach(async () => {
    ({ vigil, clock } = await testVigil());
  });
  afterEach(async () => vigil.close());

  type Request = Parameters<Vigil['silences']['create']>[1];
  /** A request with defaults; a field given as undefined is left out. */
  const create = (request: { [K in keyof Request]?: Request[K] | undefined } = {}) =>
    vigil.store.write((tx) => vigil.silences.create(tx, { matchers: ['chain="ethereum"'], durationMs: 60 * M, comment: 'upgrade', actor: ana, ...request } as Request));
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(isVigilError(error)).toBe(true);
    return error as { code: string; message: string; details: { path: string }[] };
  };

  it('move from pending to active to expired with the clock', async () => {
    const silence = await create({ startsAt: clock.now() + 10 * M });
    expect(silenceState(silence, clock.now())).toBe('pending');
    const list = (state: 'pending' | 'active' | 'expired') => vigil.store.read.listSilences({ state, at: clock.now() });
    expect((await list('pending')).map((s) => s.id)).toEqual([silence.id]);
    clock.advance(10 * M);
    expect((await list('active')).map((s) => s.id)).toEqual([silence.id]);
    expect(await list('pending')).toEqual([]);
    clock.advance(60 * M);
    expect((await list('expired')).map((s) => s.id)).toEqual([silence.id]);
  });

  it('expire early: the end becomes now, with who did it, on the audit chain; twice is refused', async () => {
    const silence = await create();
    clock.advance(5 * M);
    const expired = await vigil.store.write((tx) => vigil.silences.expire(tx, { id: silence.id, actor: ana }));
    expect(expired).toMatchObject({ endsAt: clock.now(), expiredBy: ana });
    expect(silenceState(expired, clock.now())).toBe('expired');
    expect((await refusal(vigil.store.write((tx) => vigil.silences.expire(tx, { id: silence.id, actor: ana })))).code).toBe('INVALID_TRANSITION');
    expect((await refusal(vigil.store.write((tx) => vigil.silences.expire(tx, { id: 'nope', actor: ana })))).code).toBe('NOT_FOUND');
    const actions = (await vigil.store.read.listAuditRecords(0, 100)).map((r) => r.action);
    expect(actions).toEqual(['silence.created', 'silence.expired']);
  });

  it('refuse an end before the start, an end in the past, no comment, and matchers that match everything', async () => {
    expect((await refusal(create({ durationMs: undefined, endsAt: clock.now() - 1 }))).details[0]?.path).toBe('endsAt');
    expect((await refusal(create({ durationMs: undefined, startsAt: clock.now() - 2 * M, endsAt: clock.now() - M }))).message).toContain('future');
    expect((await refusal(create({ durationMs: undefined }))).details[0]?.path).toBe('endsAt');
    expect((await refusal(create({ comment: '  ' }))).details[0]?.path).toBe('comment');
    expect((await refusal(create({ matchers: ['chain=~".*"'] }))).message).toContain('empty label');
    expect((await refusal(create({ matchers: ['chain="'] }))).details[0]?.path).toBe('matchers.0');
    expect(await vigil.store.read.listSilences({ at: clock.now() })).toEqual([]);
  });
});

describe('the silence reminder', () => {
  it('is recorded once per silence, the lead time before its end, and tells the callback', async () => {
    const clock = new ManualClock('2026-11-23T10:00:00.000Z');
    const store = await openSqliteStore({ path: ':memory:', now: () => clock.now() });
    const told: Silence[] = [];
    const vigil = await createVigil(
      { ...defaultConfig, silenceReminderLeadMs: 15 * M },
      { clock, ids: sequentialIds(), store, detectors: [], onSilenceExpiring: async (_tx, s) => void told.push(s) },
    );
    try {
      const create = (durationMs: number) => vigil.store.write((tx) => vigil.silences.create(tx, { matchers: ['chain="ethereum"'], durationMs, comment: 'x', actor: ana }));
      const long = await create(60 * M);
      // No longer than the lead time: its creator chose that end a moment ago; no reminder.
      await create(10 * M);
      const reminders = async () => (await vigil.store.read.listAuditRecords(0, 100)).filter((r) => r.action === 'silence.expiring');

      clock.advance(44 * M);
      await vigil.workers.runOnce();
      expect(await reminders()).toEqual([]);

      clock.advance(2 * M);
      await vigil.workers.runOnce();
      clock.advance(M);
      await vigil.workers.runOnce();
      const recorded = await reminders();
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({ subject: `silence:${long.id}`, data: { endsAt: long.endsAt, comment: 'x' } });
      expect(told.map((s) => s.id)).toEqual([long.id]);
      expect((await vigil.store.read.getSilence(long.id))?.reminderSentAt).toBe(Date.parse('2026-11-23T10:46:00.000Z'));
    } finally {
      await vigil.close();
    }
  });
});
