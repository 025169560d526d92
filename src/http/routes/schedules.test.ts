import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exchangeOnCall } from '../../respond/schedules/exchange-example.js';
import { verifyAuditChain } from '../../record/audit-chain.js';
import { testApi, type TestApi } from '../../../test/support/api.js';

describe('on-call schedules API', () => {
  let t: TestApi;
  beforeEach(async () => {
    t = await testApi();
  });
  afterEach(async () => t.close());

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const put = (body: object, token = t.tokens.admin) => t.app.inject({ method: 'PUT', url: '/api/v1/schedules', headers: as(token), payload: body });
  const get = (url: string, token = t.tokens.viewer) => t.app.inject({ method: 'GET', url, headers: as(token) });

  it('stores a schedule and answers who is on call at a time, layer by layer', async () => {
    expect((await put(exchangeOnCall)).statusCode).toBe(200);
    // Monday 2026-11-23 10:00 Berlin: the primary rotation's first person.
    const weekday = (await get('/api/v1/schedules/Hot%20wallets/oncall?at=2026-11-23T09:00:00Z')).json();
    expect(weekday).toMatchObject({ schedule: 'Hot wallets', person: 'cy' });
    // Monday 23:00 Berlin is outside the primary's window: the secondary answers.
    expect((await get('/api/v1/schedules/Hot%20wallets/oncall?at=2026-11-23T22:00:00Z')).json().person).toBe('sre-1');
    // The holiday override wins over every layer.
    expect((await get('/api/v1/schedules/Hot%20wallets/oncall?at=2026-12-25T12:00:00Z')).json().person).toBe('dee');
  });

  it('lists shifts, adds an override, and records every change in the audit chain', async () => {
    await put(exchangeOnCall);
    const shifts = (await get('/api/v1/schedules/Hot%20wallets/shifts?from=2026-11-23T00:00:00Z&to=2026-11-25T00:00:00Z')).json().shifts;
    expect(shifts.length).toBeGreaterThan(2);
    const override = await t.app.inject({
      method: 'POST',
      url: '/api/v1/schedules/Hot%20wallets/overrides',
      headers: as(t.tokens.responder),
      payload: { person: 'eve', start: '2026-11-24T08:00:00Z', end: '2026-11-24T12:00:00Z', reason: 'swap with cy' },
    });
    expect(override.statusCode).toBe(201);
    expect((await get('/api/v1/schedules/Hot%20wallets/oncall?at=2026-11-24T09:00:00Z')).json().person).toBe('eve');
    const actions = (await t.vigil.store.read.listAuditRecords(0, 1000)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['schedule.created', 'schedule.override_added']));
    expect((await verifyAuditChain(t.vigil.store.read)).ok).toBe(true);
  });

  it('serves an iCal feed to a calendar client that sends the token as ?token=', async () => {
    await put(exchangeOnCall);
    const feed = await t.app.inject({ method: 'GET', url: `/api/v1/schedules/Hot%20wallets/ical?token=${t.tokens.viewer}` });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    expect(feed.body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(feed.body).toContain('SUMMARY:On call');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/schedules/Hot%20wallets/ical?token=vgl_wrong' })).statusCode).toBe(401);
  });

  it('refuses an invalid definition with the path of the problem, and non-admins', async () => {
    const bad = await put({ ...exchangeOnCall, timeZone: 'Mars/Olympus' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('timeZone');
    expect((await put(exchangeOnCall, t.tokens.responder)).statusCode).toBe(403);
    expect((await get('/api/v1/schedules/nope/oncall')).statusCode).toBe(404);
  });
});
