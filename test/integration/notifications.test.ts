import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVigilProcess, vigilCli, type VigilProcess } from '../support/server-process.js';
import { eventually } from '../support/wait.js';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from '../support/receivers.js';

describe('a real vigil serve delivering notifications through its outbox', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-notify-'));
  const store = { env: { VIGIL_DATA_DIR: join(dir, 'vigil') } };
  const secret = 'whsec_integration_0123456789';
  let vigil: VigilProcess;
  let hook: HttpReceiver;
  let smtp: SmtpReceiver;
  let alertKey: string;

  const api = async (method: string, path: string, body?: unknown, token?: string) => {
    const response = await fetch(`${vigil.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token ?? vigil.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    hook = await startHttpReceiver((request, i) => {
      const expected = `sha256=${createHmac('sha256', secret).update(`${String(request.headers['x-vigil-timestamp'])}.${request.body}`).digest('hex')}`;
      if (request.headers['x-vigil-signature'] !== expected) return { status: 401 };
      return i < 2 ? { status: 503 } : { status: 200 };
    });
    smtp = await startSmtpReceiver();
    alertKey = (JSON.parse(await vigilCli(store, ['integration', 'create', '--kind', 'generic', '--service', 'hot-wallets', '--json'])) as { key: string }).key;
    vigil = await startVigilProcess(store, {
      VIGIL_WORKER_INTERVAL_MS: '100',
      VIGIL_NOTIFY_BACKOFF_BASE_MS: '300',
      VIGIL_NOTIFY_TIMEOUT_MS: '2000',
      VIGIL_NOTIFY_LEASE_MS: '10000',
      VIGIL_PUBLIC_URL: 'https://vigil.exchange.test',
      VIGIL_SMTP_HOST: '127.0.0.1',
      VIGIL_SMTP_PORT: String(smtp.port),
      VIGIL_SMTP_USER: 'vigil',
      VIGIL_SMTP_PASSWORD: 'password',
      VIGIL_SMTP_FROM: 'vigil@exchange.test',
    });
  });

  afterAll(async () => {
    await vigil?.stop();
    await hook?.close();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts a new incident to the subscribed channels, retrying the webhook until it passes, and emails the list', async () => {
    expect((await api('POST', '/api/v1/channels', { name: 'pager', kind: 'webhook', url: `${hook.url}/vigil`, secret, services: ['hot-wallets'] })).status).toBe(201);
    expect((await api('POST', '/api/v1/channels', { name: 'ops-mail', kind: 'email', to: ['ops@exchange.test'], severities: ['SEV1'] })).status).toBe(201);
    const posted = await fetch(`${vigil.url}/api/v1/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alertKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ summary: 'Hot wallet 0xabc below 10 ETH', severity: 'critical', dedup_key: 'hot-0xabc' }),
    });
    expect(posted.status).toBeLessThan(300);

    await eventually('the email', () => (smtp.mails.length > 0 ? smtp.mails : undefined));
    expect(smtp.mails[0]!.data).toContain('Subject: [SEV1] INC-1 Hot wallet 0xabc below 10 ETH (triggered)');
    expect(smtp.mails[0]!.data).toContain('https://vigil.exchange.test/incidents/INC-1');
    await eventually('three webhook attempts', () => (hook.requests.length >= 3 ? true : undefined));
    const delivered = await eventually('the webhook delivered', async () => {
      const list = (await api('GET', '/api/v1/notifications?incident=INC-1')).json.notifications as { kind: string; state: string; attempts: number }[];
      const webhook = list.find((m) => m.kind === 'webhook');
      return webhook?.state === 'delivered' ? webhook : undefined;
    });
    expect(delivered.attempts).toBe(3);
    expect(hook.requests).toHaveLength(3);
    const incident = (await api('GET', '/api/v1/incidents/INC-1')).json.incident as { id: string };
    const timeline = (await api('GET', `/api/v1/incidents/${incident.id}/timeline`)).json;
    const lines = JSON.stringify(timeline);
    expect(lines).toContain('Attempt 1 to notify channel pager by webhook failed: HTTP 503');
    expect(lines).toContain('Notified channel pager by webhook (incident opened): delivered on attempt 3 (200)');
    expect(lines).toContain('Notified channel ops-mail by email (incident opened): delivered on attempt 1 (250)');
    expect(vigil.output()).not.toContain(secret);
  });
});
