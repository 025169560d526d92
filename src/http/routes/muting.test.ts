import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../record/audit-chain.js';
import { testApi, type TestApi } from '../../../test/support/api.js';

describe('silences, maintenance windows and inhibition API', () => {
  let t: TestApi;
  beforeEach(async () => {
    t = await testApi();
  });
  afterEach(async () => t.close());

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const post = (url: string, payload: object, token = t.tokens.responder) => t.app.inject({ method: 'POST', url, headers: as(token), payload });
  const get = (url: string, token = t.tokens.viewer) => t.app.inject({ method: 'GET', url, headers: as(token) });
  const del = (url: string, token = t.tokens.responder) => t.app.inject({ method: 'DELETE', url, headers: as(token) });
  const alertmanager = (status: 'firing' | 'resolved', alerts: Record<string, string>[]) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/integrations/alertmanager',
      headers: as(t.keys.alertmanager),
      payload: {
        version: '4',
        groupKey: '{}:{alertname="x"}',
        status,
        receiver: 'vigil',
        groupLabels: {},
        commonLabels: {},
        commonAnnotations: {},
        externalURL: 'http://am.test',
        alerts: alerts.map((labels) => ({ status, labels, annotations: { summary: `${labels.alertname} ${labels.wallet ?? ''}` }, startsAt: '2026-11-23T09:59:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prom.test', fingerprint: `${labels.alertname}-${labels.wallet ?? ''}` })),
      },
    });

  it('creates, lists and expires a silence; the muted alert shows what muted it', async () => {
    const created = await post('/api/v1/silences', { matchers: '{alertname="WithdrawalStuck", chain="ethereum"}', duration: '2h', comment: 'node upgrade' });
    expect(created.statusCode).toBe(201);
    const silence = created.json().silence;
    expect(silence).toMatchObject({ state: 'active', matchers: ['alertname="WithdrawalStuck"', 'chain="ethereum"'], endsAt: '2026-11-23T12:00:00.000Z', comment: 'node upgrade', reminderSentAt: null });

    const ingested = await alertmanager('firing', [{ alertname: 'WithdrawalStuck', chain: 'ethereum', wallet: 'hot-1' }]);
    expect(ingested.json().alerts[0]).toMatchObject({ outcome: 'muted', incidentId: null });
    const muted = (await get(`/api/v1/muted-alerts?silence=${silence.id}`)).json().mutedAlerts;
    expect(muted).toHaveLength(1);
    expect(muted[0]).toMatchObject({ status: 'muted', suppressedBy: `silence:${silence.id}`, labels: { wallet: 'hot-1' }, count: 1 });
    expect((await get(`/api/v1/muted-alerts/${muted[0].id}`)).json().mutedAlert.id).toBe(muted[0].id);
    expect((await get('/api/v1/incidents')).json().incidents).toEqual([]);

    expect((await get('/api/v1/silences?state=active')).json().silences.map((s: { id: string }) => s.id)).toEqual([silence.id]);
    const expired = await del(`/api/v1/silences/${silence.id}`);
    expect(expired.statusCode).toBe(200);
    expect(expired.json().silence.state).toBe('expired');
    expect((await get('/api/v1/silences?state=active')).json().silences).toEqual([]);
    expect((await del(`/api/v1/silences/${silence.id}`)).json().error.code).toBe('INVALID_TRANSITION');
    expect((await verifyAuditChain(t.vigil.store.read)).ok).toBe(true);
  });

  it('refuses bad silences with 400 and a stable code, and needs the responder role to write', async () => {
    const bad = async (payload: object, path: string) => {
      const response = await post('/api/v1/silences', payload);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
      expect(response.json().error.details[0].path).toBe(path);
      return response.json().error.message as string;
    };
    expect(await bad({ matchers: 'chain="ethereum', duration: '1h', comment: 'x' }, 'matchers.0')).toContain('closing "');
    expect(await bad({ matchers: ['chain=~"(bad"'], duration: '1h', comment: 'x' }, 'matchers.0')).toContain('regular expression');
    await bad({ matchers: 'chain="ethereum"', startsAt: '2026-11-23T12:00:00Z', endsAt: '2026-11-23T11:00:00Z', comment: 'x' }, 'endsAt');
    await bad({ matchers: 'chain="ethereum"', duration: 'soon', comment: 'x' }, 'duration');
    await bad({ matchers: 'chain="ethereum"', duration: '1h' }, 'comment');
    await bad({ matchers: 'chain="ethereum"', duration: '1h', comment: 'x', extra: 1 }, '');
    expect((await post('/api/v1/silences', { matchers: 'chain="x"', duration: '1h', comment: 'x' }, t.tokens.viewer)).statusCode).toBe(403);
    expect((await del('/api/v1/silences/nope')).statusCode).toBe(404);
    expect((await get('/api/v1/silences?state=sleeping')).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/silences' })).statusCode).toBe(401);
  });

  it('creates a recurring maintenance window, answers whether a service is in maintenance at a time, and removes it', async () => {
    const created = await post('/api/v1/maintenance-windows', {
      name: 'Sunday node upgrades',
      service: 'wallets',
      startsAt: '2026-03-01T03:00:00+01:00',
      duration: '2h',
      rrule: 'FREQ=WEEKLY;BYDAY=SU',
      timeZone: 'Europe/Berlin',
    });
    expect(created.statusCode).toBe(201);
    const window = created.json().maintenanceWindow;
    // The clock is Monday 2026-11-23: the next Sunday 03:00 Berlin is 02:00Z (winter time).
    expect(window).toMatchObject({ rrule: 'FREQ=WEEKLY;BYDAY=SU', timeZone: 'Europe/Berlin', duration: '2h', openNow: false });
    expect(window.upcoming[0]).toEqual({ start: '2026-11-29T02:00:00.000Z', end: '2026-11-29T04:00:00.000Z' });

    const summer = (await get('/api/v1/maintenance-windows/active?service=wallets&at=2026-06-07T01:30:00Z')).json();
    expect(summer).toMatchObject({ service: 'wallets', inMaintenance: true, windows: [{ id: window.id, occurrence: { start: '2026-06-07T01:00:00.000Z' } }] });
    expect((await get('/api/v1/maintenance-windows/active?service=wallets&at=2026-06-07T03:30:00Z')).json().inMaintenance).toBe(false);
    expect((await get('/api/v1/maintenance-windows/active?service=nodes&at=2026-06-07T01:30:00Z')).json().inMaintenance).toBe(false);

    const occurrences = (await get(`/api/v1/maintenance-windows/${window.id}?from=2026-03-20T00:00:00Z&count=2`)).json().occurrences;
    expect(occurrences).toEqual([
      { start: '2026-03-22T02:00:00.000Z', end: '2026-03-22T04:00:00.000Z' },
      { start: '2026-03-29T01:00:00.000Z', end: '2026-03-29T03:00:00.000Z' },
    ]);
    expect((await get('/api/v1/maintenance-windows')).json().maintenanceWindows).toHaveLength(1);
    expect((await del(`/api/v1/maintenance-windows/${window.id}`)).statusCode).toBe(200);
    expect((await get('/api/v1/maintenance-windows')).json().maintenanceWindows).toEqual([]);
    expect((await get('/api/v1/maintenance-windows?includeRemoved=true')).json().maintenanceWindows).toHaveLength(1);
  });

  it('a one-off maintenance window mutes its service now', async () => {
    const created = await post('/api/v1/maintenance-windows', { name: 'hot wallet migration', service: 'wallets', startsAt: '2026-11-23T09:30:00Z', endsAt: '2026-11-23T11:00:00Z' });
    expect(created.statusCode).toBe(201);
    expect(created.json().maintenanceWindow.openNow).toBe(true);
    const ingested = await alertmanager('firing', [{ alertname: 'WithdrawalStuck', chain: 'ethereum', wallet: 'hot-1' }]);
    expect(ingested.json().alerts[0].outcome).toBe('muted');
    const muted = (await get(`/api/v1/muted-alerts?maintenanceWindow=${created.json().maintenanceWindow.id}`)).json().mutedAlerts;
    expect(muted[0].suppressedBy).toBe(`maintenance:${created.json().maintenanceWindow.id}`);
  });

  it('refuses bad maintenance windows with 400 and the field', async () => {
    const bad = async (payload: object, path: string) => {
      const response = await post('/api/v1/maintenance-windows', { name: 'w', service: 'wallets', startsAt: '2026-11-24T00:00:00Z', ...payload });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
      expect(response.json().error.details[0].path).toBe(path);
    };
    await bad({ rrule: 'FREQ=FORTNIGHTLY', timeZone: 'Europe/Berlin', duration: '2h' }, 'rrule');
    await bad({ rrule: 'FREQ=WEEKLY;BYDAY=XX', timeZone: 'Europe/Berlin', duration: '2h' }, 'rrule');
    await bad({ rrule: 'FREQ=WEEKLY', timeZone: 'Mars/Olympus', duration: '2h' }, 'timeZone');
    await bad({ rrule: 'FREQ=WEEKLY', duration: '2h' }, 'timeZone');
    await bad({ endsAt: '2026-11-23T23:00:00Z' }, 'endsAt');
    await bad({}, 'endsAt');
    await bad({ duration: '40d' }, 'duration');
    await bad({ duration: '1h', matchers: 'chain=' }, 'matchers.0');
    expect((await del('/api/v1/maintenance-windows/nope')).statusCode).toBe(404);
    expect((await get('/api/v1/maintenance-windows/active')).statusCode).toBe(400);
  });

  it('inhibits stuck withdrawals while their chain is halted, end to end through the Alertmanager webhook', async () => {
    const created = await post('/api/v1/inhibition-rules', { sourceMatchers: 'alertname="ChainHalted"', targetMatchers: ['alertname="WithdrawalStuck"'], equal: ['chain'] });
    expect(created.statusCode).toBe(201);
    const rule = created.json().inhibitionRule;
    expect(rule).toMatchObject({ sourceMatchers: ['alertname="ChainHalted"'], targetMatchers: ['alertname="WithdrawalStuck"'], equal: ['chain'] });

    const halted = (await alertmanager('firing', [{ alertname: 'ChainHalted', chain: 'ethereum' }])).json().alerts[0];
    expect(halted.outcome).toBe('opened');
    const stuck = (await alertmanager('firing', [{ alertname: 'WithdrawalStuck', chain: 'ethereum', wallet: 'hot-1' }])).json().alerts[0];
    expect(stuck.outcome).toBe('muted');
    const muted = (await get(`/api/v1/muted-alerts?inhibitionRule=${rule.id}`)).json().mutedAlerts;
    expect(muted[0].suppressedBy).toBe(`inhibited-by:${halted.alertId} (rule ${rule.id})`);

    await alertmanager('resolved', [{ alertname: 'ChainHalted', chain: 'ethereum' }]);
    const repeat = (await alertmanager('firing', [{ alertname: 'WithdrawalStuck', chain: 'ethereum', wallet: 'hot-1' }])).json().alerts[0];
    expect(repeat.outcome).toBe('opened');
    expect((await get(`/api/v1/muted-alerts?inhibitionRule=${rule.id}&status=released`)).json().mutedAlerts).toHaveLength(1);

    expect((await get('/api/v1/inhibition-rules')).json().inhibitionRules).toHaveLength(1);
    expect((await del(`/api/v1/inhibition-rules/${rule.id}`)).statusCode).toBe(200);
    expect((await get('/api/v1/inhibition-rules')).json().inhibitionRules).toEqual([]);
  });

  it('refuses bad inhibition rules and an ambiguous muted-alert filter', async () => {
    const bad = await post('/api/v1/inhibition-rules', { sourceMatchers: 'alertname=~"[bad"', targetMatchers: 'x="y"' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('sourceMatchers.0');
    const equal = await post('/api/v1/inhibition-rules', { sourceMatchers: 'a="b"', targetMatchers: 'x="y"', equal: ['not a label'] });
    expect(equal.json().error.details[0].path).toBe('equal.0');
    expect((await post('/api/v1/inhibition-rules', { sourceMatchers: [], targetMatchers: 'x="y"' })).statusCode).toBe(400);
    expect((await post('/api/v1/inhibition-rules', { sourceMatchers: 'a="b"', targetMatchers: 'x="y"' }, t.tokens.viewer)).statusCode).toBe(403);
    expect((await get('/api/v1/muted-alerts?silence=a&inhibitionRule=b')).statusCode).toBe(400);
    expect((await get('/api/v1/muted-alerts/nope')).statusCode).toBe(404);
  });

  it('documents the routes in /openapi.json', async () => {
    const paths = Object.keys((await t.app.inject({ method: 'GET', url: '/openapi.json' })).json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/silences', '/api/v1/silences/{id}', '/api/v1/maintenance-windows', '/api/v1/maintenance-windows/active', '/api/v1/inhibition-rules', '/api/v1/muted-alerts']));
  });
});
