import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlertmanager, type RunningAlertmanager } from '../support/alertmanager.js';
import { eventually } from '../support/wait.js';
import { startVigilProcess, vigilCli, type VigilProcess } from '../support/server-process.js';

describe('a real Prometheus Alertmanager delivering webhooks to a real vigil serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-am-'));
  const store = { env: { VIGIL_DATA_DIR: join(dir, 'vigil') } };
  let vigil: VigilProcess;
  let alertmanager: RunningAlertmanager;

  const api = async (path: string) => {
    const response = await fetch(`${vigil.url}${path}`, { headers: { authorization: `Bearer ${vigil.adminToken}` } });
    return (await response.json()) as Record<string, unknown>;
  };
  const postAlerts = async (alerts: unknown[]) => expect(await alertmanager.postAlerts(alerts)).toBe(200);

  beforeAll(async () => {
    const created = JSON.parse(await vigilCli(store, ['integration', 'create', '--kind', 'alertmanager', '--service', 'exchange-nodes', '--json'])) as { key: string };
    // Alertmanager's own PagerDuty notifier is a real PagerDuty sender: only its URL changes.
    const pagerduty = JSON.parse(await vigilCli(store, ['integration', 'create', '--kind', 'pagerduty', '--service', 'withdrawals', '--json'])) as { key: string };
    vigil = await startVigilProcess(store);
    expect(vigil.adminToken).toMatch(/^vgl_/);

    // The receiver exactly as the README tells users to write it.
    alertmanager = await startAlertmanager({
      dir,
      config:[
        'route:',
        '  receiver: vigil',
        '  group_by: [alertname, chain]',
        '  group_wait: 1s',
        '  group_interval: 1s',
        '  repeat_interval: 1h',
        '  routes:',
        '    - receiver: vigil-pagerduty',
        '      matchers: [team="withdrawals"]',
        'receivers:',
        '  - name: vigil-pagerduty',
        '    pagerduty_configs:',
        `      - routing_key: ${pagerduty.key}`,
        `        url: ${vigil.url}/v2/enqueue`,
        '        send_resolved: true',
        '  - name: vigil',
        '    webhook_configs:',
        `      - url: ${vigil.url}/api/v1/integrations/alertmanager`,
        '        send_resolved: true',
        '        http_config:',
        '          authorization:',
        '            type: Bearer',
        `            credentials: ${created.key}`,
        '',
      ].join('\n'),
    });
  });

  afterAll(async () => {
    alertmanager?.stop();
    await vigil?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('firing alerts become one incident, and it resolves when Alertmanager sends resolved', async () => {
    const startsAt = new Date().toISOString();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const alert = (instance: string, endsAt: string) => ({
      labels: { alertname: 'EthNodeLagging', chain: 'ethereum', instance, severity: 'critical' },
      annotations: { summary: `geth ${instance} is 40 blocks behind` },
      startsAt,
      endsAt,
      generatorURL: 'http://prometheus.example/graph',
    });
    await postAlerts([alert('geth-1', later), alert('geth-2', later)]);

    const incident = await eventually('an incident with both alerts', async () => {
      const list = (await api('/api/v1/incidents')).incidents as Array<{ id: string; alertCount: number }>;
      return list.length === 1 && list[0]!.alertCount === 2 ? list[0] : undefined;
    });
    const shown = await api(`/api/v1/incidents/${incident.id}`);
    expect(shown.incident).toMatchObject({ service: 'exchange-nodes', status: 'triggered', severity: 'SEV1' });
    expect((shown.alerts as Array<{ source: string; labels: Record<string, string> }>).map((a) => a.labels.instance).sort()).toEqual(['geth-1', 'geth-2']);

    // Ending the alerts in Alertmanager makes it send a resolved notification.
    const now = new Date().toISOString();
    await postAlerts([alert('geth-1', now), alert('geth-2', now)]);
    const resolved = await eventually('the incident to resolve', async () => {
      const one = (await api(`/api/v1/incidents/${incident.id}`)).incident as { status: string };
      return one.status === 'resolved' ? one : undefined;
    });
    expect(resolved.status).toBe('resolved');

    const timeline = (await api(`/api/v1/incidents/${incident.id}/timeline`)).entries as Array<{ kind: string }>;
    expect(timeline.map((e) => e.kind)).toEqual(['incident.triggered', 'alert.attached', 'alert.resolved', 'alert.resolved', 'incident.resolved']);
    expect(await api('/api/v1/audit/verify')).toMatchObject({ ok: true });
  });

  it("Alertmanager's PagerDuty notifier, pointed at /v2/enqueue, triggers and resolves an incident", async () => {
    const startsAt = new Date().toISOString();
    const alert = (endsAt: string) => ({
      labels: { alertname: 'WithdrawalQueueStuck', team: 'withdrawals', severity: 'critical' },
      annotations: { summary: '212 withdrawals queued for 15 minutes' },
      startsAt,
      endsAt,
    });
    await postAlerts([alert(new Date(Date.now() + 3_600_000).toISOString())]);
    const incident = await eventually('an incident from the PagerDuty notifier', async () => {
      const list = (await api('/api/v1/incidents?service=withdrawals')).incidents as Array<{ id: string; title: string }>;
      return list[0];
    });
    const shown = await api(`/api/v1/incidents/${incident.id}`);
    expect((shown.alerts as Array<{ source: string }>)[0]?.source).toBe('pagerduty');
    expect(incident.title).toContain('WithdrawalQueueStuck');

    await postAlerts([alert(new Date().toISOString())]);
    await eventually('the PagerDuty-fed incident to resolve', async () => {
      const one = (await api(`/api/v1/incidents/${incident.id}`)).incident as { status: string };
      return one.status === 'resolved' ? true : undefined;
    });
  });
});
