import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApi, type TestApi } from '../../../test/support/api.js';

/** A webhook as Alertmanager 0.25 sends it. */
function webhook(status: 'firing' | 'resolved', alerts: Array<{ fingerprint: string; instance: string; status?: 'firing' | 'resolved' }>) {
  return {
    version: '4',
    groupKey: '{}:{alertname="EthNodeLagging"}',
    truncatedAlerts: 0,
    status,
    receiver: 'vigil',
    groupLabels: { alertname: 'EthNodeLagging' },
    commonLabels: { alertname: 'EthNodeLagging', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: alerts.map((a) => ({
      status: a.status ?? status,
      labels: { alertname: 'EthNodeLagging', instance: a.instance, severity: 'critical' },
      annotations: { summary: `${a.instance} is 40 blocks behind` },
      startsAt: '2026-11-23T09:59:00.000Z',
      endsAt: (a.status ?? status) === 'resolved' ? '2026-11-23T10:05:00.000Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example/graph?g0.expr=lag',
      fingerprint: a.fingerprint,
    })),
  };
}

describe('POST /api/v1/integrations/alertmanager', () => {
  let t: TestApi;
  beforeEach(async () => {
    t = await testApi();
  });
  afterEach(async () => t.close());

  const send = (body: unknown, auth: { header?: string; query?: string } = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/integrations/alertmanager${auth.query === undefined ? '' : `?key=${auth.query}`}`,
      headers: auth.header === undefined ? {} : { authorization: `Bearer ${auth.header}` },
      payload: body as object,
    });

  it('turns a firing group into one incident with one alert per fingerprint', async () => {
    const response = await send(webhook('firing', [{ fingerprint: 'aa01', instance: 'geth-1' }, { fingerprint: 'aa02', instance: 'geth-2' }]), { header: t.keys.alertmanager });
    expect(response.statusCode).toBe(200);
    expect(response.json().alerts.map((a: { outcome: string }) => a.outcome)).toEqual(['opened', 'grouped']);
    const [incident] = await t.vigil.store.read.listIncidents({ limit: 10 });
    expect(incident).toMatchObject({ service: 'wallets', severity: 'SEV1', alertCount: 2, status: 'triggered' });
  });

  it('accepts the key as ?key= for senders that cannot set a header', async () => {
    const response = await send(webhook('firing', [{ fingerprint: 'aa01', instance: 'geth-1' }]), { query: t.keys.alertmanager });
    expect(response.statusCode).toBe(200);
  });

  it('a retry of the same payload (after a 5xx, as Alertmanager does) creates no duplicate', async () => {
    const body = webhook('firing', [{ fingerprint: 'aa01', instance: 'geth-1' }]);
    await send(body, { header: t.keys.alertmanager });
    const retry = await send(body, { header: t.keys.alertmanager });
    expect(retry.json().alerts[0].outcome).toBe('deduplicated');
    expect(await t.vigil.store.read.countAlerts()).toBe(1);
  });

  it('resolved alerts resolve, and the incident resolves with its last alert (send_resolved)', async () => {
    await send(webhook('firing', [{ fingerprint: 'aa01', instance: 'geth-1' }, { fingerprint: 'aa02', instance: 'geth-2' }]), { header: t.keys.alertmanager });
    const partly = await send(
      webhook('firing', [{ fingerprint: 'aa01', instance: 'geth-1', status: 'resolved' }, { fingerprint: 'aa02', instance: 'geth-2' }]),
      { header: t.keys.alertmanager },
    );
    expect(partly.json().alerts.map((a: { outcome: string }) => a.outcome)).toEqual(['resolved', 'deduplicated']);
    expect((await t.vigil.store.read.listIncidents({ limit: 1 }))[0]?.status).toBe('triggered');
    await send(webhook('resolved', [{ fingerprint: 'aa01', instance: 'geth-1' }, { fingerprint: 'aa02', instance: 'geth-2' }]), { header: t.keys.alertmanager });
    expect((await t.vigil.store.read.listIncidents({ limit: 1 }))[0]?.status).toBe('resolved');
  });

  it('answers 401 without a key and 403 with a key of another kind, writing nothing', async () => {
    const body = webhook('firing', [{ fingerprint: 'aa01', instance: 'geth-1' }]);
    const none = await send(body);
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const wrong = await send(body, { header: t.keys.generic });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const token = await send(body, { header: t.tokens.admin });
    expect(token.statusCode).toBe(401);
    expect(await t.vigil.store.read.countAlerts()).toBe(0);
  });

  it('a payload that does not match says which field, with 400 VALIDATION_FAILED, and writes nothing', async () => {
    const body = webhook('firing', [{ fingerprint: 'aa01', instance: 'geth-1' }]);
    (body.alerts[0] as { status: string }).status = 'burning';
    const response = await send(body, { header: t.keys.alertmanager });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
    expect(response.json().error.details[0].path).toBe('alerts.0.status');
    expect(await t.vigil.store.read.countAlerts()).toBe(0);
  });
});
