import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi, type TestApi } from '../../test/support/api.js';

/**
 * A client's mistake is never a 5xx, never a crash, and never half-written: these throw malformed,
 * mistyped, oversized and random bodies at every ingest endpoint.
 */
describe('bad input at the ingest endpoints', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await testApi({ bodyLimit: 64 * 1024 });
  });
  afterAll(async () => t.close());

  const endpoints = () => [
    { url: '/api/v1/integrations/alertmanager', key: t.keys.alertmanager },
    { url: '/api/v1/alerts', key: t.keys.generic },
    { url: '/api/v1/findings', key: t.keys.forta },
    { url: '/v2/enqueue', key: t.keys.pagerduty },
    { url: '/api/v1/transactions', key: t.keys.transactions },
  ];

  const send = (url: string, key: string, payload: string, contentType = 'application/json') =>
    t.app.inject({ method: 'POST', url, headers: { 'content-type': contentType, authorization: `Bearer ${key}` }, payload });

  it('malformed JSON is 400 MALFORMED_JSON (400 invalid event on /v2/enqueue)', async () => {
    for (const { url, key } of endpoints()) {
      const response = await send(url, key, '{"summary": ');
      expect(response.statusCode, url).toBe(400);
      if (url === '/v2/enqueue') expect(response.json().status).toBe('invalid event');
      else expect(response.json().error.code).toBe('MALFORMED_JSON');
    }
  });

  it('a wrong content type is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    for (const { url, key } of endpoints().filter((e) => e.url !== '/v2/enqueue')) {
      const response = await send(url, key, 'summary=hello', 'application/x-www-form-urlencoded');
      expect(response.statusCode, url).toBe(415);
      expect(response.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('an oversize body is 413 BODY_TOO_LARGE', async () => {
    const big = JSON.stringify({ summary: 'x', details: { blob: 'y'.repeat(100 * 1024) } });
    for (const { url, key } of endpoints()) {
      const response = await send(url, key, big);
      expect(response.statusCode, url).toBe(413);
    }
  });

  it('wrong types and missing fields name the field path', async () => {
    const response = await send('/api/v1/alerts', t.keys.generic, JSON.stringify({ summary: 42, severity: 'loud' }));
    expect(response.statusCode).toBe(400);
    const paths = (response.json().error.details as Array<{ path: string }>).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['summary', 'severity']));
  });

  it('random payloads never get a 5xx, and every refusal has the error shape', async () => {
    const before = await t.vigil.store.read.countAlerts();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints()), fc.jsonValue({ maxDepth: 4 }), async ({ url, key }, value) => {
        const response = await send(url, key, JSON.stringify(value) ?? 'null');
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode >= 400) {
          const body = response.json();
          if (url === '/v2/enqueue') expect(body.status).toBe('invalid event');
          else expect(body.error.code).toEqual(expect.any(String));
        } else accepted += 1;
      }),
      { numRuns: 300 },
    );
    // What was refused wrote nothing: random JSON is almost never a valid alert.
    expect(await t.vigil.store.read.countAlerts()).toBeLessThanOrEqual(before + accepted * 1000);
  });

  it('random near-valid alerts (right shape, random field values) never get a 5xx', async () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constant(''), fc.string({ minLength: 300, maxLength: 2000 }));
    const generic = fc.record(
      {
        summary: fc.oneof(text, fc.integer(), fc.constant(null)),
        severity: fc.oneof(fc.constantFrom('critical', 'error', 'warning', 'info'), text),
        status: fc.oneof(fc.constantFrom('firing', 'resolved'), text),
        dedup_key: fc.oneof(text, fc.integer()),
        labels: fc.oneof(fc.dictionary(text, text), fc.dictionary(text, fc.jsonValue())),
        details: fc.jsonValue(),
        timestamp: fc.oneof(text, fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
      },
      { requiredKeys: [] },
    );
    const pagerduty = fc.record(
      {
        routing_key: fc.oneof(fc.constant(t.keys.pagerduty), text),
        event_action: fc.oneof(fc.constantFrom('trigger', 'acknowledge', 'resolve'), text),
        dedup_key: fc.oneof(text, fc.constant(null)),
        payload: fc.record(
          { summary: text, source: text, severity: fc.oneof(fc.constantFrom('critical', 'info'), text), timestamp: text, custom_details: fc.jsonValue() },
          { requiredKeys: [] },
        ),
        links: fc.array(fc.record({ href: text, text }, { requiredKeys: [] })),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(generic, pagerduty, async (g, p) => {
        const a = await send('/api/v1/alerts', t.keys.generic, JSON.stringify(g));
        expect(a.statusCode).toBeLessThan(500);
        const b = await send('/v2/enqueue', t.keys.pagerduty, JSON.stringify(p));
        expect(b.statusCode).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  });
});

describe('bad input at the streaming transactions endpoint', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await testApi();
  });
  afterAll(async () => t.close());

  it('random NDJSON lines never get a 5xx; every line is either taken or reported by number', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'), fc.string()), { maxLength: 30 }), async (lines) => {
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/v1/transactions',
          headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${t.keys.transactions}` },
          payload: lines.join('\n'),
        });
        expect(response.statusCode).toBe(200);
        const summary = response.json();
        const nonBlank = lines.join('\n').split('\n').filter((l) => l.replace(/\r$/, '').trim() !== '').length;
        expect(summary.transactions + summary.rejectedCount).toBe(nonBlank);
      }),
      { numRuns: 150 },
    );
  });
});
