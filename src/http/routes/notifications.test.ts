import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApi, type TestApi } from '../../../test/support/api.js';
import { admin, openIncident, testSecretKey } from '../../../test/support/notify.js';
import { startHttpReceiver, type HttpReceiver } from '../../../test/support/receivers.js';

const alice = {
  name: 'Alice Liddell',
  methods: [
    { id: 'phone', kind: 'telegram', botToken: '123456789:AAFakeTelegramBotTokenXYZ1', chatId: '4242' },
    { id: 'work', kind: 'email', to: 'alice@example.test' },
    { id: 'hook', kind: 'webhook', url: 'https://hooks.example.test/in/secret-path-abcd', secret: 'whsec_0123456789abcdef' },
  ],
  rules: [
    { severities: ['SEV1', 'SEV2'], methods: ['phone', 'work'] },
    { severities: ['SEV1', 'SEV2'], methods: ['hook'], delayMinutes: 5 },
    { severities: ['SEV3', 'SEV4', 'SEV5'], methods: ['work'] },
  ],
};

describe('notifications API', () => {
  let t: TestApi;
  let hook: HttpReceiver;
  beforeEach(async () => {
    t = await testApi({ secretKey: testSecretKey, notify: { backoffBaseMs: 1_000, backoffFactor: 2, backoffCapMs: 10_000, maxAttempts: 2, timeoutMs: 2_000, leaseMs: 30_000 } });
    hook = await startHttpReceiver(() => ({ status: 500 }));
  });
  afterEach(async () => {
    await t.close();
    await hook.close();
  });

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const putPerson = (handle: string, body: object, token = t.tokens.admin) => t.app.inject({ method: 'PUT', url: `/api/v1/people/${handle}`, headers: as(token), payload: body });
  const get = (url: string, token = t.tokens.viewer) => t.app.inject({ method: 'GET', url, headers: as(token) });

  it('stores a person and shows their secrets masked, and a masked value sent back keeps the secret', async () => {
    const put = await putPerson('alice', alice);
    expect(put.statusCode).toBe(200);
    const shown = (await get('/api/v1/people/alice')).json().person;
    expect(shown.methods).toEqual([
      { id: 'phone', kind: 'telegram', botToken: '********XYZ1', chatId: '4242' },
      { id: 'work', kind: 'email', to: ['alice@example.test'] },
      { id: 'hook', kind: 'webhook', url: 'https://hooks.example.test/********abcd', secret: '********cdef' },
    ]);
    expect(shown.rules[1]).toEqual({ severities: ['SEV1', 'SEV2'], methods: ['hook'], delayMinutes: 5 });
    expect(JSON.stringify((await get('/api/v1/people')).json())).not.toContain('AAFakeTelegramBotToken');

    // GET, rename, PUT back as shown: the secrets are kept.
    const again = await putPerson('alice', { ...shown, name: 'Alice L.' });
    expect(again.json()).toMatchObject({ person: { name: 'Alice L.' } });
    const person = await t.vigil.notifications.person(t.vigil.store.read, 'alice');
    expect(person.name).toBe('Alice L.');
    expect(person.methods[0]!.config).toMatchObject({ botToken: '123456789:AAFakeTelegramBotTokenXYZ1' });
    expect(person.methods[2]!.config).toMatchObject({ url: 'https://hooks.example.test/in/secret-path-abcd', secret: 'whsec_0123456789abcdef' });
  });

  it('refuses a bad person with the path of the problem, and non-admins', async () => {
    const unknownMethod = await putPerson('alice', { ...alice, rules: [{ severities: ['SEV1'], methods: ['pager'] }] });
    expect(unknownMethod.statusCode).toBe(400);
    expect(unknownMethod.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'rules.0.methods.0' }] });
    const badKind = await putPerson('alice', { name: 'A', methods: [{ id: 'x', kind: 'pigeon' }] });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.details[0].path).toBe('methods.0.kind');
    const badUrl = await putPerson('alice', { name: 'A', methods: [{ id: 'x', kind: 'slack', url: 'ftp://nope' }] });
    expect(badUrl.json().error.details[0].path).toBe('methods.0.url');
    const badSeverity = await putPerson('alice', { ...alice, rules: [{ severities: ['SEV9'], methods: ['work'] }] });
    expect(badSeverity.json().error.details[0].path).toBe('rules.0.severities.0');
    const maskedWithoutSecret = await putPerson('bob', { name: 'Bob', methods: [{ id: 'x', kind: 'slack', url: 'https://hooks.slack.com/********abcd' }] });
    expect(maskedWithoutSecret.statusCode).toBe(400);
    expect(maskedWithoutSecret.json().error.details[0].path).toBe('methods.0.url');
    expect((await putPerson('alice', { ...alice, handle: 'bob' })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await putPerson('has space', alice)).statusCode).toBe(400);
    expect((await putPerson('alice', alice, t.tokens.responder)).statusCode).toBe(403);
    expect((await get('/api/v1/people/nobody')).json().error.code).toBe('NOT_FOUND');
    const malformed = await t.app.inject({ method: 'PUT', url: '/api/v1/people/alice', headers: { ...as(t.tokens.admin), 'content-type': 'application/json' }, payload: '{"name":' });
    expect(malformed.json().error.code).toBe('MALFORMED_JSON');
  });

  it('creates, lists, shows and deletes team channels; a taken name is a conflict', async () => {
    const create = (body: object, token = t.tokens.admin) => t.app.inject({ method: 'POST', url: '/api/v1/channels', headers: as(token), payload: body });
    const created = await create({ name: '#incidents', kind: 'slack', url: 'https://hooks.slack.com/services/T0/B0/abcdefghijkl', services: ['wallets'], severities: ['SEV1', 'SEV2'] });
    expect(created.statusCode).toBe(201);
    expect(created.json().channel).toMatchObject({ name: '#incidents', kind: 'slack', url: 'https://hooks.slack.com/********ijkl', services: ['wallets'], severities: ['SEV1', 'SEV2'] });
    expect((await create({ name: '#incidents', kind: 'discord', url: 'https://discord.test/x' })).json().error.code).toBe('CONFLICT');
    expect((await create({ name: 'ops-mail', kind: 'email', to: ['ops@example.test'] })).statusCode).toBe(201);
    expect((await create({ name: 'tg', kind: 'telegram', chatId: '1' })).json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'botToken' }] });
    expect((await create({ name: 'x', kind: 'slack', url: 'https://a.test/', severities: ['SEV0'] })).statusCode).toBe(400);
    expect((await create({ name: 'y', kind: 'teams', url: 'https://a.test/' }, t.tokens.responder)).statusCode).toBe(403);
    expect((await get('/api/v1/channels')).json().channels.map((c: { name: string }) => c.name)).toEqual(['#incidents', 'ops-mail']);
    expect((await get('/api/v1/channels/ops-mail')).json().channel.to).toEqual(['ops@example.test']);
    const deleted = await t.app.inject({ method: 'DELETE', url: '/api/v1/channels/ops-mail', headers: as(t.tokens.admin) });
    expect(deleted.statusCode).toBe(200);
    expect((await get('/api/v1/channels/ops-mail')).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/channels/ops-mail', headers: as(t.tokens.admin) })).statusCode).toBe(404);
    const actions = (await t.vigil.store.read.listAuditRecords(0, 1000)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['channel.created', 'channel.deleted']));
  });

  it('lists dead letters by incident, lets an admin retry one, and counts attempts in /metrics', async () => {
    await putPerson('alice', { name: 'Alice', methods: [{ id: 'hook', kind: 'webhook', url: hook.url }], rules: [{ severities: ['SEV3'], methods: ['hook'] }] });
    const incident = await openIncident(t.vigil);
    await t.vigil.store.write((tx) => t.vigil.notifications.notifyPerson(tx, { handle: 'alice', incident, reason: 'escalation level 1', idempotencyKey: 'e1', actor: admin }));
    await t.vigil.workers.runOnce();
    t.clock.advance(60_000);
    await t.vigil.workers.runOnce();
    const dead = (await get(`/api/v1/notifications?state=dead&incident=INC-${incident.number}`)).json().notifications;
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ state: 'dead', attempts: 2, kind: 'webhook', recipient: { type: 'person', handle: 'alice', methodId: 'hook' }, lastStatus: 500 });
    expect((await get('/api/v1/notifications?state=delivered')).json().notifications).toEqual([]);

    const retry = (id: string, token = t.tokens.admin) => t.app.inject({ method: 'POST', url: `/api/v1/notifications/${id}/retry`, headers: as(token) });
    expect((await retry(dead[0].id, t.tokens.responder)).statusCode).toBe(403);
    const retried = await retry(dead[0].id);
    expect(retried.statusCode).toBe(200);
    expect(retried.json().notification).toMatchObject({ state: 'pending', attempts: 0 });
    expect((await retry(dead[0].id)).json().error.code).toBe('INVALID_TRANSITION');
    expect((await retry('nope')).statusCode).toBe(404);
    expect((await get('/api/v1/notifications?state=zombie')).statusCode).toBe(400);
    expect((await get('/api/v1/notifications?incident=INC-999')).statusCode).toBe(404);

    const metrics = (await t.app.inject('/metrics')).body;
    expect(metrics).toContain('vigil_notification_deliveries_total{kind="webhook",outcome="failed"} 1');
    expect(metrics).toContain('vigil_notification_deliveries_total{kind="webhook",outcome="dead"} 1');
    const timeline = (await get(`/api/v1/incidents/${incident.id}/timeline`)).json();
    expect(JSON.stringify(timeline)).toContain('put the dead notification to alice/hook by webhook back in the outbox');
  });

  it('documents the routes in /openapi.json', async () => {
    const paths = Object.keys((await t.app.inject('/openapi.json')).json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/people/{handle}', '/api/v1/people', '/api/v1/channels', '/api/v1/channels/{ref}', '/api/v1/notifications', '/api/v1/notifications/{id}/retry']));
  });
});
