import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { event } from '../../../test/support/vigil.js';
import { testApi, type TestApi } from '../../../test/support/api.js';

describe('incident roles API', () => {
  let t: TestApi;
  beforeEach(async () => {
    t = await testApi();
    const integration = (await t.vigil.store.read.listIntegrations()).find((i) => i.kind === 'generic')!;
    await t.vigil.ingest(integration, [event({ severity: 'critical' })]);
  });
  afterEach(async () => t.close());

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const put = (role: string, person: unknown, token = t.tokens.responder) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/incidents/INC-1/roles/${role}`, headers: as(token), payload: { person } });
  const roles = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/incidents/INC-1/roles', headers: as(t.tokens.viewer) })).json();

  it('assigns by alias, hands over, and lists the current holders with the history', async () => {
    const first = await put('ic', 'alice');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ outcome: 'assigned', assignment: { role: 'incident_commander', person: 'alice' } });
    expect((await put('incident_commander', 'bob')).json()).toMatchObject({ outcome: 'handed_over', from: 'alice' });
    await put('tech', 'dan');
    await put('tech', 'eve');
    const listed = await roles();
    expect(listed.current.map((c: { role: string; person: string }) => `${c.role}:${c.person}`)).toEqual([
      'incident_commander:bob',
      'technical_specialist:dan',
      'technical_specialist:eve',
    ]);
    expect(listed.history).toHaveLength(4);
    expect(listed.history[0]).toMatchObject({ person: 'alice', releasedAt: '2026-11-23T10:00:00.000Z', releasedBy: { kind: 'token', name: 'responder person' } });
    const timeline = (await t.app.inject({ method: 'GET', url: '/api/v1/incidents/INC-1/timeline', headers: as(t.tokens.viewer) })).json();
    expect(timeline.entries.map((e: { message: string }) => e.message)).toContain('incident commander handed over from alice to bob by responder person');
  });

  it('releases a role, naming the specialist with ?person=', async () => {
    await put('tech', 'dan');
    await put('tech', 'eve');
    const ambiguous = await t.app.inject({ method: 'DELETE', url: '/api/v1/incidents/INC-1/roles/tech', headers: as(t.tokens.responder) });
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().error.code).toBe('VALIDATION_FAILED');
    const released = await t.app.inject({ method: 'DELETE', url: '/api/v1/incidents/INC-1/roles/tech?person=dan', headers: as(t.tokens.responder) });
    expect(released.statusCode).toBe(200);
    expect(released.json().assignment).toMatchObject({ person: 'dan', role: 'technical_specialist' });
    expect((await roles()).current).toEqual([expect.objectContaining({ person: 'eve' })]);
    const none = await t.app.inject({ method: 'DELETE', url: '/api/v1/incidents/INC-1/roles/scribe', headers: as(t.tokens.responder) });
    expect(none.statusCode).toBe(404);
  });

  it('refuses an unknown role, a bad person, a viewer, and an unknown incident with stable codes', async () => {
    const badRole = await put('janitor', 'alice');
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'role' }] });
    expect((await put('ic', '')).json().error.code).toBe('VALIDATION_FAILED');
    expect((await put('ic', 42)).statusCode).toBe(400);
    expect((await put('ic', 'two words')).json().error.code).toBe('VALIDATION_FAILED');
    expect((await put('ic', 'alice', t.tokens.viewer)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/incidents/INC-1/roles/ic', payload: { person: 'a' } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/incidents/INC-9/roles', headers: as(t.tokens.viewer) })).json().error.code).toBe('NOT_FOUND');
  });
});
