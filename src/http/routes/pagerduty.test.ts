import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApi, type TestApi } from '../../../test/support/api.js';

describe('POST /v2/enqueue (PagerDuty Events API v2)', () => {
  let t: TestApi;
  beforeEach(async () => {
    t = await testApi({ eventsPerMinute: 5 });
  });
  afterEach(async () => t.close());

  const enqueue = (body: unknown) => t.app.inject({ method: 'POST', url: '/v2/enqueue', payload: body as object });
  const trigger = (extra: Record<string, unknown> = {}) => ({
    routing_key: t.keys.pagerduty,
    event_action: 'trigger',
    payload: { summary: 'Withdrawals stuck on hot wallet 3', source: 'withdrawal-service', severity: 'critical', custom_details: { queued: 42 } },
    ...extra,
  });

  it('answers a trigger with 202 and the dedup key it generated, as PagerDuty does', async () => {
    const response = await enqueue(trigger());
    expect(response.statusCode).toBe(202);
    const body = response.json();
    expect(body).toMatchObject({ status: 'success', message: 'Event processed' });
    expect(body.dedup_key).toMatch(/^[0-9a-f]{32}$/);
    const [incident] = await t.vigil.store.read.listIncidents({ limit: 1 });
    expect(incident).toMatchObject({ title: 'Withdrawals stuck on hot wallet 3', severity: 'SEV1', service: 'wallets' });
  });

  it('keeps the sender dedup key: a repeat folds into one alert, acknowledge and resolve act on it', async () => {
    expect((await enqueue(trigger({ dedup_key: 'wd-3' }))).json().dedup_key).toBe('wd-3');
    await enqueue(trigger({ dedup_key: 'wd-3' }));
    expect(await t.vigil.store.read.countAlerts()).toBe(1);
    expect((await enqueue({ routing_key: t.keys.pagerduty, event_action: 'acknowledge', dedup_key: 'wd-3' })).statusCode).toBe(202);
    expect((await t.vigil.store.read.listIncidents({ limit: 1 }))[0]?.status).toBe('acknowledged');
    expect((await enqueue({ routing_key: t.keys.pagerduty, event_action: 'resolve', dedup_key: 'wd-3' })).statusCode).toBe(202);
    expect((await t.vigil.store.read.listIncidents({ limit: 1 }))[0]?.status).toBe('resolved');
  });

  it('a trigger after a resolve with the same key opens a new alert', async () => {
    await enqueue(trigger({ dedup_key: 'wd-3' }));
    await enqueue({ routing_key: t.keys.pagerduty, event_action: 'resolve', dedup_key: 'wd-3' });
    await enqueue(trigger({ dedup_key: 'wd-3' }));
    expect(await t.vigil.store.read.countAlerts()).toBe(2);
    expect(await t.vigil.store.read.listIncidents({ limit: 10 })).toHaveLength(2);
  });

  it('accepts and ignores acknowledge and resolve for an unknown key', async () => {
    for (const action of ['acknowledge', 'resolve']) {
      const response = await enqueue({ routing_key: t.keys.pagerduty, event_action: action, dedup_key: 'never-seen' });
      expect(response.statusCode).toBe(202);
      expect(response.json().dedup_key).toBe('never-seen');
    }
    expect(await t.vigil.store.read.countAlerts()).toBe(0);
  });

  it('answers an invalid event with 400 "invalid event" and a list of errors', async () => {
    const response = await enqueue({ routing_key: t.keys.pagerduty, event_action: 'trigger', payload: { source: 'x', severity: 'loud' } });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body).toMatchObject({ status: 'invalid event', message: 'Event object is invalid' });
    expect(body.errors.join(' ')).toMatch(/summary/);
    expect(body.errors.join(' ')).toMatch(/severity/);
    expect(await t.vigil.store.read.countAlerts()).toBe(0);
  });

  it('an unknown event_action or routing key is an invalid event', async () => {
    expect((await enqueue({ ...trigger(), event_action: 'explode' })).statusCode).toBe(400);
    const unknownKey = await enqueue(trigger({ routing_key: 'f'.repeat(32) }));
    expect(unknownKey.statusCode).toBe(400);
    expect(unknownKey.json().errors[0]).toMatch(/routing_key/);
    const wrongKind = await enqueue(trigger({ routing_key: t.keys.generic }));
    expect(wrongKind.statusCode).toBe(400);
  });

  it('malformed JSON is a 400 invalid event, not a crash', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/v2/enqueue', headers: { 'content-type': 'application/json' }, payload: '{"routing_key":' });
    expect(response.statusCode).toBe(400);
    expect(response.json().status).toBe('invalid event');
  });

  it('answers 429 when a routing key sends faster than its limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await enqueue(trigger({ dedup_key: `k${i}` }))).statusCode);
    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await enqueue(trigger({ dedup_key: 'k9' }));
    expect(limited.json()).toMatchObject({ status: 'throttle event' });
    expect(limited.headers['retry-after']).toBeDefined();
    expect(await t.vigil.store.read.countAlerts()).toBe(5);
  });
});
