import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { event } from '../../../test/support/vigil.js';
import { testApi, type TestApi } from '../../../test/support/api.js';

const cli = { kind: 'cli', id: 'test', name: 'test' } as const;

describe('communications API and public status page', () => {
  let t: TestApi;
  let alice: string;
  let bob: string;
  beforeEach(async () => {
    t = await testApi();
    alice = (await t.vigil.createApiToken({ role: 'responder', name: 'alice laptop', person: 'alice', actor: cli })).secret;
    bob = (await t.vigil.createApiToken({ role: 'responder', name: 'bob laptop', person: 'bob', actor: cli })).secret;
    const integration = (await t.vigil.store.read.listIntegrations()).find((i) => i.kind === 'generic')!;
    await t.vigil.ingest(integration, [
      event({
        severity: 'critical',
        summary: 'Hot wallet signer <script>alert(1)</script> unreachable',
        labels: { chain: 'ethereum', secret_label: 'internal-signer-host-7' },
        raw: { payload: 'internal alert payload' },
      }),
    ]);
    await put('/api/v1/status-components', { service: 'wallets', name: 'Withdrawals', description: 'ETH & ERC-20 withdrawals' });
    await put('/api/v1/status-components', { service: 'wallets', name: 'Deposits' });
    await t.app.inject({ method: 'PUT', url: '/api/v1/incidents/INC-1/roles/comms', headers: as(t.tokens.responder), payload: { person: 'alice' } });
  });
  afterEach(async () => t.close());

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  function put(url: string, payload: object, token = t.tokens.admin) {
    return t.app.inject({ method: 'PUT', url, headers: as(token), payload });
  }
  const post = (url: string, payload: unknown, token = t.tokens.responder) => t.app.inject({ method: 'POST', url, headers: as(token), payload: payload as object });
  const publish = (payload: object, token = alice) => post('/api/v1/incidents/INC-1/status-posts', payload, token);

  it('posts internal and stakeholder updates onto the timeline and lists them', async () => {
    const internal = await post('/api/v1/incidents/INC-1/updates', { audience: 'internal', body: 'Signer host rebooting' });
    expect(internal.statusCode).toBe(201);
    expect(internal.json().update).toMatchObject({ audience: 'internal', body: 'Signer host rebooting' });
    await post('/api/v1/incidents/INC-1/updates', { audience: 'stakeholders', body: 'Withdrawals delayed' });
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/incidents/INC-1/updates', headers: as(t.tokens.viewer) })).json();
    expect(list.updates.map((u: { audience: string }) => u.audience)).toEqual(['internal', 'stakeholders']);
    const timeline = (await t.app.inject({ method: 'GET', url: '/api/v1/incidents/INC-1/timeline', headers: as(t.tokens.viewer) })).json();
    expect(timeline.entries.map((e: { message: string }) => e.message)).toContain('Stakeholder update on INC-1 by responder person: Withdrawals delayed');
  });

  it('refuses bad updates with stable codes', async () => {
    expect((await post('/api/v1/incidents/INC-1/updates', { audience: 'everyone', body: 'x' })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await post('/api/v1/incidents/INC-1/updates', { audience: 'internal', body: '   ' })).statusCode).toBe(400);
    expect((await post('/api/v1/incidents/INC-1/updates', { audience: 'internal', body: 'x' }, t.tokens.viewer)).statusCode).toBe(403);
    expect((await post('/api/v1/incidents/INC-7/updates', { audience: 'internal', body: 'x' })).statusCode).toBe(404);
  });

  it('manages components as an admin only', async () => {
    const changed = await put('/api/v1/status-components', { service: 'wallets', name: 'Deposits', status: 'under_maintenance' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().component).toMatchObject({ name: 'Deposits', status: 'under_maintenance', position: 1 });
    expect((await put('/api/v1/status-components', { service: 'wallets', name: 'X' }, t.tokens.responder)).statusCode).toBe(403);
    expect((await put('/api/v1/status-components', { service: 'wallets', name: 'X', status: 'sideways' })).json().error.code).toBe('VALIDATION_FAILED');
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/status-components?service=wallets', headers: as(t.tokens.viewer) })).json();
    expect(list.components.map((c: { name: string }) => c.name)).toEqual(['Withdrawals', 'Deposits']);
    const removed = await t.app.inject({ method: 'DELETE', url: '/api/v1/status-components/wallets/Deposits', headers: as(t.tokens.admin) });
    expect(removed.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/status-components/wallets/Deposits', headers: as(t.tokens.admin) })).statusCode).toBe(404);
  });

  it('refuses to publish for anyone but the communications lead', async () => {
    const body = { title: 'Delayed withdrawals', state: 'investigating', message: 'We are investigating.' };
    const notLead = await publish(body, bob);
    expect(notLead.statusCode).toBe(403);
    expect(notLead.json().error.code).toBe('NOT_COMMUNICATIONS_LEAD');
    expect(notLead.json().error.message).toContain('the lead is alice');
    // A token not issued to a person cannot be the lead, whatever its role.
    expect((await publish(body, t.tokens.admin)).json().error.code).toBe('NOT_COMMUNICATIONS_LEAD');
    expect((await publish(body, t.tokens.viewer)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/incidents/INC-1/status-posts', headers: as(t.tokens.viewer) })).json().posts).toEqual([]);
    // After a handover, the new lead publishes and the old one is refused.
    await t.app.inject({ method: 'PUT', url: '/api/v1/incidents/INC-1/roles/comms', headers: as(t.tokens.responder), payload: { person: 'bob' } });
    expect((await publish(body, alice)).json().error.code).toBe('NOT_COMMUNICATIONS_LEAD');
    expect((await publish(body, bob)).statusCode).toBe(201);
  });

  it('publishes as the lead, moves components, and refuses bad posts', async () => {
    expect((await publish({ state: 'investigating', message: 'no title yet' })).json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'title' }] });
    expect((await publish({ title: 'x', state: 'panicking', message: 'y' })).statusCode).toBe(400);
    expect((await publish({ title: 'x', state: 'investigating', message: 'y', components: [{ component: 'Nope', status: 'major_outage' }] })).json().error.details[0].path).toBe(
      'components.0.ref',
    );
    expect((await publish({ title: 'x', state: 'investigating', message: 'y', components: [{ component: 'Withdrawals' }] })).json().error.code).toBe('VALIDATION_FAILED');

    const first = await publish({ title: 'Delayed withdrawals', state: 'investigating', message: 'Withdrawals are delayed.', components: [{ component: 'Withdrawals', status: 'partial_outage' }] });
    expect(first.statusCode).toBe(201);
    expect(first.json().post).toMatchObject({ state: 'investigating', publishedBy: 'alice', title: 'Delayed withdrawals' });
    const timeline = (await t.app.inject({ method: 'GET', url: '/api/v1/incidents/INC-1/timeline', headers: as(t.tokens.viewer) })).json();
    expect(timeline.entries.at(-1)).toMatchObject({ kind: 'status.published', actor: { name: 'alice laptop' } });
    const summary = (await t.app.inject({ method: 'GET', url: '/status/wallets.json' })).json();
    expect(summary.status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    expect(summary.components.find((c: { name: string }) => c.name === 'Withdrawals').status).toBe('partial_outage');

    // Resolving without naming components restores what the incident took down.
    t.clock.advance(3_600_000);
    await publish({ state: 'resolved', message: 'Withdrawals are processing normally.' });
    const after = (await t.app.inject({ method: 'GET', url: '/status/wallets.json' })).json();
    expect(after.status.indicator).toBe('none');
    expect(after.components.map((c: { status: string }) => c.status)).toEqual(['operational', 'operational']);
    expect(after.incidents).toEqual([]);
    expect(after.past_incidents).toHaveLength(1);
    expect(after.past_incidents[0]).toMatchObject({ name: 'Delayed withdrawals', status: 'resolved', impact: 'major', resolved_at: '2026-11-23T11:00:00.000Z' });
    expect(after.past_incidents[0].incident_updates.map((u: { status: string }) => u.status)).toEqual(['resolved', 'investigating']);
  });

  it('serves the public page as HTML and Statuspage-style JSON without auth, escaping every text', async () => {
    await publish({
      title: 'Signer <script>alert("x")</script> down',
      state: 'identified',
      message: 'Cause found & fix <b>deploying</b>',
      components: [{ component: 'Withdrawals', status: 'major_outage' }],
    });
    const page = await t.app.inject({ method: 'GET', url: '/status/wallets' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('Signer &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; down');
    expect(page.body).toContain('Cause found &amp; fix &lt;b&gt;deploying&lt;/b&gt;');
    expect(page.body).toContain('Major System Outage');
    expect(page.body).toContain('ETH &amp; ERC-20 withdrawals');
    expect(page.body).toContain('Current incidents');

    const json = await t.app.inject({ method: 'GET', url: '/status/wallets.json' });
    expect(json.statusCode).toBe(200);
    const summary = json.json();
    expect(summary.page).toMatchObject({ id: 'wallets', name: 'wallets', url: '/status/wallets', time_zone: 'Etc/UTC' });
    expect(summary.status.indicator).toBe('critical');
    expect(summary.incidents).toHaveLength(1);
    expect(summary.incidents[0]).toMatchObject({ name: 'Signer <script>alert("x")</script> down', status: 'identified', impact: 'critical' });
    expect(summary.incidents[0].incident_updates[0].affected_components).toEqual([expect.objectContaining({ name: 'Withdrawals', new_status: 'major_outage' })]);
  });

  it('never shows alerts, notes, updates, people or internal ids publicly', async () => {
    const incident = (await t.vigil.store.read.getIncidentByNumber(1))!;
    await post('/api/v1/incidents/INC-1/notes', { text: 'internal note: key ceremony room 4' });
    await post('/api/v1/incidents/INC-1/updates', { audience: 'internal', body: 'internal update: rotate hsm-pin' });
    await post('/api/v1/incidents/INC-1/updates', { audience: 'stakeholders', body: 'stakeholder update: tell the OTC desk' });
    await publish({ title: 'Delayed withdrawals', state: 'investigating', message: 'We are investigating.' });
    for (const url of ['/status/wallets', '/status/wallets.json']) {
      const body = (await t.app.inject({ method: 'GET', url })).body;
      for (const secret of ['internal-signer-host-7', 'internal alert payload', 'Hot wallet signer', 'key ceremony', 'hsm-pin', 'OTC desk', 'alice', 'responder person', 'SEV1', 'INC-1', incident.id]) {
        expect(body, `${url} leaks ${secret}`).not.toContain(secret);
      }
    }
  });

  it('lets an admin issue a token to a person over the API, which then publishes as that person', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: as(t.tokens.admin), payload: { role: 'responder', name: 'alice phone', person: '@alice' } });
    expect(created.statusCode).toBe(201);
    expect((await publish({ title: 'Delayed withdrawals', state: 'investigating', message: 'Looking.' }, created.json().token)).statusCode).toBe(201);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: as(t.tokens.admin), payload: { role: 'responder', name: 'x', person: 'not a handle' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('keeps an open incident on the page however old, and drops resolved ones after 90 days', async () => {
    const DAY = 86_400_000;
    await publish({ title: 'Chain halted', state: 'identified', message: 'Waiting for validators.' });
    t.clock.advance(100 * DAY);
    expect((await t.app.inject('/status/wallets.json')).json().incidents.map((i: { name: string }) => i.name)).toEqual(['Chain halted']);
    await publish({ state: 'resolved', message: 'Blocks again.' });
    t.clock.advance(89 * DAY);
    expect((await t.app.inject('/status/wallets.json')).json().past_incidents).toHaveLength(1);
    t.clock.advance(2 * DAY);
    const later = (await t.app.inject('/status/wallets.json')).json();
    expect([later.incidents, later.past_incidents]).toEqual([[], []]);
    expect((await t.app.inject('/status/wallets')).body).toContain('No incidents in the last 90 days.');
  });

  it('answers 404 for a service without a status page', async () => {
    const html = await t.app.inject({ method: 'GET', url: '/status/nodes' });
    expect(html.statusCode).toBe(404);
    expect(html.headers['content-type']).toContain('text/html');
    const json = await t.app.inject({ method: 'GET', url: '/status/%3Cb%3E.json' });
    expect(json.statusCode).toBe(404);
    expect(json.json().error.code).toBe('NOT_FOUND');
    expect((await t.app.inject({ method: 'GET', url: '/status/%3Cb%3E' })).body).toContain('&lt;b&gt;');
  });
});
