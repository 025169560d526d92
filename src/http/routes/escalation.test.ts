import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApi, type TestApi } from '../../../test/support/api.js';

describe('escalation API', () => {
  let t: TestApi;
  beforeEach(async () => {
    t = await testApi();
  });
  afterEach(async () => t.close());

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const policy = { name: 'wallets', levels: [{ name: 'L1', targets: [{ person: 'alice' }], timeoutMinutes: 5 }, { targets: [{ person: 'bob' }, { channel: 'sec' }], timeoutMinutes: 10 }] };

  it('stores policies and routing, shows them as written, and deletes a policy once no route uses it', async () => {
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/escalation-policies', headers: as(t.tokens.admin), payload: policy });
    expect(put.statusCode).toBe(200);
    expect(put.json().policy).toMatchObject({ name: 'wallets', repeat: 0, levels: [{ name: 'L1' }, { name: 'level 2', targets: [{ person: 'bob' }, { channel: 'sec' }] }] });
    const routes = await t.app.inject({ method: 'PUT', url: '/api/v1/escalation-routing', headers: as(t.tokens.admin), payload: [{ match: { services: ['wallets'] }, policy: 'wallets' }] });
    expect(routes.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/escalation-routing', headers: as(t.tokens.viewer) })).json().routes).toEqual([{ match: { services: ['wallets'] }, policy: 'wallets' }]);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/escalation-policies/wallets', headers: as(t.tokens.viewer) })).json().policy.levels).toHaveLength(2);
    const inUse = await t.app.inject({ method: 'DELETE', url: '/api/v1/escalation-policies/wallets', headers: as(t.tokens.admin) });
    expect(inUse.statusCode).toBe(409);
    await t.app.inject({ method: 'PUT', url: '/api/v1/escalation-routing', headers: as(t.tokens.admin), payload: [] });
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/escalation-policies/wallets', headers: as(t.tokens.admin) })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/escalation-policies/wallets', headers: as(t.tokens.viewer) })).statusCode).toBe(404);
  });

  it('refuses invalid policies and routes with the path of the problem, and non-admins', async () => {
    const bad = await t.app.inject({ method: 'PUT', url: '/api/v1/escalation-policies', headers: as(t.tokens.admin), payload: { name: 'x', levels: [{ targets: [{ schedule: 'nope' }], timeoutMinutes: 5 }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toEqual({ path: 'levels.0.targets.0.schedule', message: 'no schedule nope' });
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/escalation-routing', headers: as(t.tokens.admin), payload: { policy: 'x' } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/escalation-routing', headers: as(t.tokens.admin), payload: [{ policy: 'x' }] })).json().error.details[0].path).toBe('0.policy');
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/escalation-policies', headers: as(t.tokens.responder), payload: policy })).statusCode).toBe(403);
  });

  it('answers where an incident’s escalation stands, null when none runs', async () => {
    await t.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: as(t.keys.generic), payload: { summary: 's', severity: 'error', dedupKey: 'k' } });
    const answer = (await t.app.inject({ method: 'GET', url: '/api/v1/incidents/INC-1/escalation', headers: as(t.tokens.viewer) })).json();
    expect(answer).toEqual({ incident: 'INC-1', escalation: null });
  });
});
