import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApi, type TestApi } from '../../../test/support/api.js';

describe('impact and incident facts API', () => {
  let t: TestApi;
  beforeEach(async () => {
    t = await testApi();
  });
  afterEach(async () => t.close());

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const alert = (labels: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: as(t.keys.generic), payload: { summary: 'Hot wallet outflow', severity: 'warning', dedupKey: 'drain', labels } });
  const fact = (body: object, token = t.tokens.responder) => t.app.inject({ method: 'POST', url: '/api/v1/incidents/INC-1/facts', headers: as(token), payload: body });

  it('serves the score with its breakdown and explanation, and a recorded fact rescores and raises the severity', async () => {
    expect((await alert({ tier: '0', funds_at_risk_usd: '40000' })).statusCode).toBe(200);
    const impact = (await t.app.inject({ method: 'GET', url: '/api/v1/incidents/INC-1/impact', headers: as(t.tokens.viewer) })).json();
    expect(impact).toMatchObject({ incident: 'INC-1', severity: 'SEV3', impact: { total: 40, severity: 'SEV3' } });
    expect(impact.impact.explanation[0]).toBe('SEV3 (impact score 40)');
    expect(impact.impact.breakdown.find((row: { dimension: string }) => row.dimension === 'fundsAtRisk')).toMatchObject({ input: '$40,000', contribution: 20 });

    const recorded = await fact({
      kind: 'funds_movement',
      chain: 'ethereum',
      txHash: '0xdrain',
      origin: '0xhot',
      destination: '0xmixer',
      destinationType: 'mixer',
      value: { amount: '1500000000000000000000', asset: 'ETH', decimals: 18 },
      valueUsd: '4,500,000',
    });
    expect(recorded.statusCode).toBe(201);
    expect(recorded.json()).toMatchObject({
      fact: { kind: 'funds_movement', value: { amount: '1500000000000000000000', display: '1500 ETH' }, valueUsd: '$4,500,000', recovery: 'not_started' },
      // tier 0: 20, plus funds at risk ≥ $1M: 30 × 2.
      severity: 'SEV2',
      impact: { total: 80, severity: 'SEV2' },
    });
    const facts = (await t.app.inject({ method: 'GET', url: '/api/v1/incidents/INC-1/facts', headers: as(t.tokens.viewer) })).json();
    expect(facts.facts).toHaveLength(1);
    const timeline = (await t.app.inject({ method: 'GET', url: '/api/v1/incidents/INC-1/timeline', headers: as(t.tokens.viewer) })).json();
    const kinds = timeline.entries.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['incident.fact_recorded', 'incident.impact_scored', 'incident.severity_changed']));
  });

  it('refuses bad facts with a 400 and the field, viewers with a 403, and unknown incidents with a 404', async () => {
    await alert({});
    const bad = await fact({ kind: 'address', chain: 'ethereum', address: '0x1', state: 'stolen' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: 'state' })] });
    expect((await fact({ kind: 'weather' })).statusCode).toBe(400);
    expect((await fact({ kind: 'impact', key: 'users_affected', value: '12000' }, t.tokens.viewer)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/incidents/INC-9/facts', headers: as(t.tokens.responder), payload: { kind: 'impact', key: 'users_affected', value: '1' } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/incidents/INC-9/impact', headers: as(t.tokens.viewer) })).statusCode).toBe(404);
  });
});
