import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { startAlertmanager, type RunningAlertmanager } from '../support/alertmanager.js';
import { eventually } from '../support/wait.js';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from '../support/receivers.js';

const minute = 60_000;

/**
 * The whole response loop with real parts: a real Alertmanager sends the alert to a real Vigil
 * HTTP server; the escalation policy pages the on-call analyst by a signed webhook, then (nobody
 * acknowledging) the engineer by email through a real SMTP server; the #incidents Slack channel
 * hears of every change; the engineer acknowledges, Alertmanager resolves. Vigil runs in this
 * process so that its clock can be moved past the escalation timeout; everything else is real time.
 */
describe('from an Alertmanager alert to an escalated, acknowledged, resolved incident', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  const secret = 'whsec_e2e_0123456789abcdef';
  const clock = new ManualClock(Date.now());
  let server: RunningServer;
  let pager: HttpReceiver;
  let slack: HttpReceiver;
  let smtp: SmtpReceiver;
  let alertmanager: RunningAlertmanager;
  let responderToken: string;

  const api = async (method: string, path: string, body?: unknown, token?: string) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token ?? server.firstAdminToken ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
  };
  const postAlerts = async (alerts: unknown[]) => expect(await alertmanager.postAlerts(alerts)).toBe(200);

  beforeAll(async () => {
    pager = await startHttpReceiver((request) => {
      const expected = `sha256=${createHmac('sha256', secret).update(`${String(request.headers['x-vigil-timestamp'])}.${request.body}`).digest('hex')}`;
      return request.headers['x-vigil-signature'] === expected ? { status: 200 } : { status: 401 };
    });
    slack = await startHttpReceiver(() => ({ status: 200 }));
    smtp = await startSmtpReceiver();
    server = await startServer(
      {
        ...defaultConfig,
        dataDir: join(dir, 'vigil'),
        port: 0,
        workerIntervalMs: 50,
        secretKey: Buffer.alloc(32, 9).toString('base64'),
        publicUrl: 'https://vigil.exchange.test',
        smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'vigil', password: 'password', from: 'vigil@exchange.test' },
      },
      { logger: false, overrides: { clock } },
    );
    responderToken = (await server.vigil.createApiToken({ role: 'responder', name: 'bob', actor: { kind: 'cli', id: 'e2e', name: 'e2e' } })).secret;
    const integration = await server.vigil.createIntegration({ kind: 'alertmanager', service: 'exchange-nodes', actor: { kind: 'cli', id: 'e2e', name: 'e2e' } });

    // The exchange's on-call team: the analyst rotation, the engineer, the team channel, the policy.
    const monday = new Date(clock.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    expect((await api('PUT', '/api/v1/schedules', { name: 'crypto-ops', timeZone: 'UTC', layers: [{ name: 'analysts', participants: ['alice'], rotation: { kind: 'weekly' }, handoffTime: '00:00', start: monday }] })).status).toBe(200);
    expect((await api('PUT', '/api/v1/people/alice', { handle: 'alice', name: 'Alice', methods: [{ id: 'pager', kind: 'webhook', url: `${pager.url}/alice`, secret }], rules: [{ severities: ['SEV1', 'SEV2', 'SEV3'], methods: ['pager'] }] })).status).toBe(200);
    expect((await api('PUT', '/api/v1/people/bob', { handle: 'bob', name: 'Bob', methods: [{ id: 'mail', kind: 'email', to: 'bob@exchange.test' }], rules: [{ severities: ['SEV1', 'SEV2', 'SEV3'], methods: ['mail'] }] })).status).toBe(200);
    expect((await api('POST', '/api/v1/channels', { name: '#incidents', kind: 'slack', url: `${slack.url}/services/T0/B0/XXXX`, services: ['exchange-nodes'] })).status).toBe(201);
    expect(
      (
        await api('PUT', '/api/v1/escalation-policies', {
          name: 'nodes',
          levels: [
            { name: 'L1 analyst', targets: [{ schedule: 'crypto-ops' }], timeoutMinutes: 5 },
            { name: 'L2 engineer', targets: [{ person: 'bob' }], timeoutMinutes: 10 },
          ],
        })
      ).status,
    ).toBe(200);
    expect((await api('PUT', '/api/v1/escalation-routing', [{ match: { services: ['exchange-nodes'] }, policy: 'nodes' }])).status).toBe(200);

    alertmanager = await startAlertmanager({
      dir,
      config:[
        'route:',
        '  receiver: vigil',
        '  group_by: [alertname]',
        '  group_wait: 1s',
        '  group_interval: 1s',
        '  repeat_interval: 1h',
        'receivers:',
        '  - name: vigil',
        '    webhook_configs:',
        `      - url: ${server.url}/api/v1/integrations/alertmanager`,
        '        send_resolved: true',
        '        http_config:',
        '          authorization:',
        '            type: Bearer',
        `            credentials: ${integration.key}`,
        '',
      ].join('\n'),
    });
  });

  afterAll(async () => {
    alertmanager?.stop();
    await server?.close();
    await pager?.close();
    await slack?.close();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pages L1, escalates to L2 when nobody acknowledges, stops on acknowledge, and every notification is delivered', async () => {
    const startsAt = new Date().toISOString();
    const alert = (endsAt: string) => ({
      labels: { alertname: 'EthNodeStalled', chain: 'ethereum', instance: 'geth-1', severity: 'error' },
      annotations: { summary: 'geth-1 has not imported a block for 5 minutes' },
      startsAt,
      endsAt,
    });
    await postAlerts([alert(new Date(Date.now() + 3_600_000).toISOString())]);

    // Alertmanager → Vigil → INC-1 → level 1: alice's signed webhook, and the team channel.
    await eventually('alice paged', () => (pager.requests.length > 0 ? true : undefined));
    const page = JSON.parse(pager.requests[0]!.body) as { reason: string; incident: { ref: string; severity: string } };
    expect(page).toMatchObject({ reason: 'escalation level 1 (L1 analyst)', incident: { ref: 'INC-1', severity: 'SEV2' } });
    await eventually('the channel told', () => (slack.requests.length > 0 ? true : undefined));
    expect(smtp.mails).toHaveLength(0);

    // Nobody acknowledges for 5 minutes: level 2, bob, by email.
    clock.advance(5 * minute);
    const mail = await eventually('bob emailed', () => smtp.mails[0]);
    expect(mail.to).toEqual(['bob@exchange.test']);
    expect(mail.data).toContain('INC-1');
    expect(mail.data).toContain('escalation level 2 (L2 engineer)');

    // Bob acknowledges: the escalation stops, the channel hears of it, no more pages.
    expect((await api('POST', '/api/v1/incidents/INC-1/acknowledge', {}, responderToken)).status).toBe(200);
    await eventually('the channel told of the acknowledgement', () => (slack.requests.some((r) => r.body.includes('acknowledged')) ? true : undefined));
    clock.advance(60 * minute);
    await new Promise((r) => setTimeout(r, 300));
    expect(pager.requests).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
    expect((await api('GET', '/api/v1/incidents/INC-1/escalation')).json.escalation).toMatchObject({ status: 'stopped', level: 2, reason: 'acknowledged by bob' });

    // The node recovers: Alertmanager sends resolved, the incident resolves, the channel hears of it.
    await postAlerts([alert(new Date().toISOString())]);
    await eventually('the incident resolved', async () => (((await api('GET', '/api/v1/incidents/INC-1')).json.incident as { status: string }).status === 'resolved' ? true : undefined));
    await eventually('the channel told of the resolution', () => (slack.requests.some((r) => r.body.includes('resolved')) ? true : undefined));

    const messages = await eventually('every notification delivered', async () => {
      const list = (await api('GET', '/api/v1/notifications?incident=INC-1')).json.notifications as { kind: string; state: string; reason: string }[];
      return list.length >= 5 && list.every((m) => m.state === 'delivered') ? list : undefined;
    });
    expect(messages.map((m) => `${m.kind}: ${m.reason}`).sort()).toEqual([
      'email: escalation level 2 (L2 engineer): nobody acknowledged within 5 min of level 1 (L1 analyst)',
      'slack: incident acknowledged',
      'slack: incident opened',
      'slack: incident resolved',
      'webhook: escalation level 1 (L1 analyst)',
    ]);
    const timeline = ((await api('GET', '/api/v1/incidents/INC-1/timeline')).json.entries as { kind: string; message: string }[]).map((e) => `${e.kind}: ${e.message}`);
    expect(timeline).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^escalation\.paged: Escalation level 1 \(L1 analyst\): paged alice \(on call in crypto-ops\)/),
        expect.stringMatching(/^escalation\.paged: Escalation level 2 \(L2 engineer\) .*paged bob/),
        'escalation.stopped: Escalation stopped at level 2: acknowledged by bob',
        expect.stringMatching(/^incident\.resolved/),
      ]),
    );
    expect((await api('GET', '/api/v1/audit/verify')).json).toMatchObject({ ok: true });
  });
});
