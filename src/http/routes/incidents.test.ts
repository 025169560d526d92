import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApi, type TestApi } from '../../../test/support/api.js';

describe('incidents API', () => {
  let t: TestApi;
  beforeEach(async () => {
    t = await testApi();
  });
  afterEach(async () => t.close());

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const alert = (body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: as(t.keys.generic), payload: body });
  const get = (url: string, token = t.tokens.viewer) => t.app.inject({ method: 'GET', url, headers: as(token) });
  const post = (url: string, payload?: object, token = t.tokens.responder) =>
    t.app.inject({ method: 'POST', url, headers: as(token), ...(payload === undefined ? {} : { payload }) });

  beforeEach(async () => {
    await alert({ summary: 'ETH hot wallet below threshold', severity: 'critical', dedup_key: 'hw-eth', group_key: 'hot-wallets' });
    t.clock.advance(1_000);
    await alert({ summary: 'BTC node 12 blocks behind', severity: 'warning', dedup_key: 'btc-lag', group_key: 'nodes' });
  });

  it('lists incidents newest first, with filters, and pages with next.before', async () => {
    const all = await get('/api/v1/incidents');
    expect(all.statusCode).toBe(200);
    expect(all.json().incidents.map((i: { shortId: string }) => i.shortId)).toEqual(['INC-2', 'INC-1']);
    const sev1 = await get('/api/v1/incidents?severity=SEV1&status=triggered,acknowledged');
    expect(sev1.json().incidents.map((i: { shortId: string }) => i.shortId)).toEqual(['INC-1']);
    const since = await get(`/api/v1/incidents?since=${encodeURIComponent('2026-11-23T10:00:00.500Z')}`);
    expect(since.json().incidents).toHaveLength(1);
    const page = await get('/api/v1/incidents?limit=1');
    expect(page.json().next).toEqual({ before: 2 });
    const rest = await get('/api/v1/incidents?limit=1&before=2');
    expect(rest.json().incidents[0].shortId).toBe('INC-1');
    expect(await get('/api/v1/incidents?service=nope').then((r) => r.json().incidents)).toEqual([]);
  });

  it('refuses a bad filter with 400 and the parameter path', async () => {
    const response = await get('/api/v1/incidents?severity=SEV9');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
    expect(response.json().error.details[0].path).toContain('severity');
  });

  it('shows one incident by short id with its alerts, and its millisecond timeline', async () => {
    const shown = await get('/api/v1/incidents/INC-1');
    expect(shown.statusCode).toBe(200);
    expect(shown.json().incident).toMatchObject({ shortId: 'INC-1', severity: 'SEV1', createdAt: '2026-11-23T10:00:00.000Z' });
    expect(shown.json().alerts[0]).toMatchObject({ dedupKey: 'hw-eth', status: 'firing', count: 1 });
    const timeline = await get('/api/v1/incidents/INC-1/timeline');
    expect(timeline.json().entries[0]).toMatchObject({ kind: 'incident.triggered', at: '2026-11-23T10:00:00.000Z' });
    expect((await get('/api/v1/incidents/INC-77')).statusCode).toBe(404);
  });

  it('acknowledge, assign, note, severity, resolve and reopen, each on the timeline with the actor', async () => {
    expect((await post('/api/v1/incidents/INC-1/acknowledge')).json().incident.status).toBe('acknowledged');
    expect((await post('/api/v1/incidents/INC-1/assign', { assignee: 'ana' })).json().incident.assignee).toBe('ana');
    expect((await post('/api/v1/incidents/INC-1/notes', { text: 'Withdrawals paused' })).statusCode).toBe(201);
    expect((await post('/api/v1/incidents/INC-1/severity', { severity: 'SEV2', reason: 'no funds moved' })).json().incident.severity).toBe('SEV2');
    expect((await post('/api/v1/incidents/INC-1/resolve', { reason: 'refilled' })).json().incident.status).toBe('resolved');
    expect((await post('/api/v1/incidents/INC-1/reopen')).json().incident.status).toBe('triggered');
    const entries = (await get('/api/v1/incidents/INC-1/timeline')).json().entries as Array<{ kind: string; actor: { name: string } }>;
    expect(entries.map((e) => e.kind)).toEqual([
      'incident.triggered',
      'incident.acknowledged',
      'incident.assigned',
      'incident.note',
      'incident.severity_changed',
      'incident.resolved',
      'incident.reopened',
    ]);
    expect(entries.slice(1).every((e) => e.actor.name === 'responder person')).toBe(true);
    expect((await get('/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  });

  it('refuses an impossible transition with 409 INVALID_TRANSITION', async () => {
    const response = await post('/api/v1/incidents/INC-1/reopen');
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('INVALID_TRANSITION');
  });

  it('viewers read but cannot act; no token is 401; a bad token is 401', async () => {
    expect((await post('/api/v1/incidents/INC-1/acknowledge', undefined, t.tokens.viewer)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/incidents' })).json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect((await get('/api/v1/incidents', 'vgl_nottoken')).statusCode).toBe(401);
    expect((await get('/api/v1/incidents', t.keys.generic)).statusCode).toBe(401);
  });

  it('admins create tokens and integrations over the API; responders cannot', async () => {
    const made = await post('/api/v1/tokens', { role: 'viewer', name: 'status page' }, t.tokens.admin);
    expect(made.statusCode).toBe(201);
    expect((await get('/api/v1/incidents', made.json().token)).statusCode).toBe(200);
    expect((await post('/api/v1/tokens', { role: 'admin', name: 'x' })).statusCode).toBe(403);
    const integration = await post('/api/v1/integrations', { kind: 'forta', service: 'bridge' }, t.tokens.admin);
    expect(integration.json().key).toMatch(/^[0-9a-f]{32}$/);
    const list = await get('/api/v1/integrations', t.tokens.admin);
    expect(JSON.stringify(list.json())).not.toContain(integration.json().key);
  });
});
