import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApi, type TestApi } from '../../test/support/api.js';
import { redactUrl } from './app.js';

describe('operating endpoints', () => {
  let t: TestApi;
  beforeEach(async () => {
    t = await testApi();
  });
  afterEach(async () => t.close());

  it('/healthz and /readyz answer without credentials', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/readyz')).json()).toEqual({ status: 'ready' });
  });

  it('/readyz answers 503 STORE_UNAVAILABLE when the store is gone', async () => {
    await t.vigil.store.close();
    const response = await t.app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe('STORE_UNAVAILABLE');
  });

  it('/metrics counts ingested alerts by source and outcome, open incidents by severity, and request latency', async () => {
    await t.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: { authorization: `Bearer ${t.keys.generic}` }, payload: { summary: 'a', severity: 'critical' } });
    await t.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: { authorization: `Bearer ${t.keys.generic}` }, payload: { summary: 'a', severity: 'critical' } });
    await t.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: { authorization: `Bearer ${t.keys.generic}` }, payload: { severity: 'critical' } });
    const text = (await t.app.inject('/metrics')).body;
    expect(text).toContain('vigil_alerts_ingested_total{source="generic",outcome="opened"} 1');
    expect(text).toContain('vigil_alerts_ingested_total{source="generic",outcome="deduplicated"} 1');
    expect(text).toContain('vigil_alerts_ingested_total{source="generic",outcome="rejected"} 1');
    expect(text).toContain('vigil_open_incidents{severity="SEV1"} 1');
    expect(text).toMatch(/vigil_http_request_duration_seconds_bucket\{le="0\.005",method="POST",route="\/api\/v1\/alerts",status_code="200"\}/);
  });

  it('/metrics shows the store\'s write batches, their commit and their sync', async () => {
    const sample = async (name: string) => Number(new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec((await t.app.inject('/metrics')).body)?.[1]);
    const before = { single: await sample('vigil_store_batch_units_bucket{le="1"}'), commits: await sample('vigil_store_commit_duration_seconds_count') };
    await t.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: { authorization: `Bearer ${t.keys.generic}` }, payload: { summary: 'a', severity: 'critical' } });
    await t.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: { authorization: `Bearer ${t.keys.generic}` }, payload: { summary: 'b', severity: 'critical' } });
    // Two alerts, one after the other: two batches of one. An in-memory store has no sync.
    expect(await sample('vigil_store_batch_units_bucket{le="1"}')).toBe(before.single + 2);
    expect(await sample('vigil_store_commit_duration_seconds_count')).toBe(before.commits + 2);
    expect(await sample('vigil_store_sync_duration_seconds_count')).toBe(0);
  });

  it('/openapi.json documents the API from the schemas that validate it', async () => {
    const spec = (await t.app.inject('/openapi.json')).json();
    expect(spec.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/integrations/alertmanager', '/v2/enqueue', '/api/v1/findings', '/api/v1/alerts', '/api/v1/incidents', '/api/v1/incidents/{id}', '/api/v1/incidents/{id}/timeline', '/api/v1/audit/verify']) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
    expect(JSON.stringify(spec.paths['/api/v1/alerts'].post.requestBody)).toContain('summary');
  });

  it('an unknown route is a 404 in the error shape', async () => {
    const response = await t.app.inject('/api/v1/nothing');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('NOT_FOUND');
  });

  it('logged URLs never carry an integration key', () => {
    expect(redactUrl('/api/v1/integrations/alertmanager?key=abc123&x=1')).toBe('/api/v1/integrations/alertmanager?key=[redacted]&x=1');
  });
});
