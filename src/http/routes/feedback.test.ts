import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import type { TransactionDetector } from '../../detect/detection-engine.js';
import { verifyAuditChain } from '../../record/audit-chain.js';
import { testApi, type TestApi } from '../../../test/support/api.js';

/** Flags every transfer of 100 or more base units: right about the attacker, wrong about the market maker. */
const bigTransfers: TransactionDetector = {
  name: 'big-transfers',
  observe(tx: Transaction): Finding[] {
    if (tx.kind !== 'account' || tx.amount < 100n) return [];
    return [
      {
        name: 'Big transfer',
        description: `${tx.amount} from ${tx.from}`,
        alertId: 'TEST-BIG',
        severity: 'High',
        type: 'Suspicious',
        metadata: {},
        addresses: [tx.from],
        labels: [],
        detector: 'big-transfers',
        entity: tx.from,
        txHashes: [tx.hash],
        at: tx.timestamp,
      },
    ];
  },
};

const attacker = '0xa77ac4e5';
const marketMaker = '0x3a4e7000';

/** The same day of traffic each time: the market maker moves big amounts every hour; the attacker once. */
function stream(): string {
  const lines: string[] = [];
  for (let hour = 0; hour < 6; hour++) {
    lines.push(JSON.stringify({ chain: 'ethereum', hash: `0xmm${hour}`, from: marketMaker, to: '0xcex', asset: 'ETH', decimals: 18, amount: '500', block: hour, timestamp: hour * 3_600_000 }));
  }
  lines.push(JSON.stringify({ chain: 'ethereum', hash: '0xdrain', from: attacker, to: '0xmixer', asset: 'ETH', decimals: 18, amount: '900', block: 9, timestamp: 9 * 3_600_000 }));
  return lines.join('\n');
}

describe('analyst feedback', () => {
  let t: TestApi;
  beforeEach(async () => {
    t = await testApi({ suppressAfterFalsePositives: 3 }, [bigTransfers]);
  });
  afterEach(async () => t.close());

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const replay = async () =>
    (await t.app.inject({ method: 'POST', url: '/api/v1/transactions', headers: { ...as(t.keys.transactions), 'content-type': 'application/x-ndjson' }, payload: stream() })).json();
  const firingAlerts = async () => {
    const incidents = await t.vigil.store.read.listIncidents({ limit: 50, statuses: ['triggered'] });
    const alerts = await Promise.all(incidents.map((i) => t.vigil.store.read.listAlertsOfIncident(i.id)));
    return alerts.flat().filter((a) => a.status === 'firing');
  };
  const label = (alertId: string, verdict: string) =>
    t.app.inject({ method: 'POST', url: `/api/v1/alerts/${alertId}/feedback`, headers: as(t.tokens.responder), payload: { verdict } });

  it('replaying after the false positives are labelled finds fewer false positives and every true positive', async () => {
    const first = await replay();
    expect(first.findings).toBe(7);

    // Three rounds of triage: the market maker is a false positive, the attacker a true one.
    let suppression: { id: string; entity: string } | null = null;
    for (let round = 0; round < 3; round++) {
      if (round > 0) await replay();
      for (const alert of await firingAlerts()) {
        const response = await label(alert.id, alert.labels.entity === marketMaker ? 'false_positive' : 'true_positive');
        expect(response.statusCode).toBe(201);
        suppression ??= response.json().suppression;
        await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${alert.incidentId}/resolve`, headers: as(t.tokens.responder) });
      }
    }
    expect(suppression).toMatchObject({ entity: marketMaker });

    const after = await replay();
    expect(after.findings).toBe(1);
    const alerts = await firingAlerts();
    expect(alerts.map((a) => a.labels.entity)).toEqual([attacker]);

    const precision = (await t.app.inject({ url: '/api/v1/feedback/precision', headers: as(t.tokens.viewer) })).json();
    expect(precision.detectors).toEqual([{ detector: 'big-transfers', rule: 'TEST-BIG', truePositives: 3, falsePositives: 3, precision: 0.5 }]);
    const chain = await verifyAuditChain(t.vigil.store.read);
    expect(chain.ok).toBe(true);
    const actions = (await t.vigil.store.read.listAuditRecords(0, 10_000)).map((r) => r.action);
    expect(actions).toContain('suppression.created');
  });

  it('a suppression is visible and reversible, and a revoked one lets the findings through again', async () => {
    for (let round = 0; round < 3; round++) {
      await replay();
      for (const alert of await firingAlerts()) {
        if (alert.labels.entity === marketMaker) await label(alert.id, 'false_positive');
        await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${alert.incidentId}/resolve`, headers: as(t.tokens.responder) });
      }
    }
    const listed = (await t.app.inject({ url: '/api/v1/suppressions', headers: as(t.tokens.viewer) })).json().suppressions;
    expect(listed).toHaveLength(1);
    expect((await replay()).findings).toBe(1);

    const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/suppressions/${listed[0].id}/revoke`, headers: as(t.tokens.responder), payload: { reason: 'market maker account closed' } });
    expect(revoked.json().suppression.revokedBy.name).toBe('responder person');
    expect((await replay()).findings).toBe(7);
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/suppressions/${listed[0].id}/revoke`, headers: as(t.tokens.responder) });
    expect(again.statusCode).toBe(409);
  });

  it('a true positive about a suppressed entity lifts the suppression', async () => {
    for (let round = 0; round < 3; round++) {
      await replay();
      for (const alert of await firingAlerts()) {
        if (alert.labels.entity === marketMaker) expect((await label(alert.id, 'false_positive')).statusCode).toBe(201);
        await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${alert.incidentId}/resolve`, headers: as(t.tokens.responder) });
      }
    }
    // On second thought, the first alert about the market maker was right after all.
    const first = (await t.vigil.store.read.listIncidents({ limit: 100 })).at(-1)!;
    const [alert] = await t.vigil.store.read.listAlertsOfIncident(first.id);
    expect(alert?.labels.entity).toBe(marketMaker);
    const lifted = (await label(alert!.id, 'true_positive')).json().lifted;
    expect(lifted).toMatchObject({ entity: marketMaker });
    expect((await replay()).findings).toBe(7);
  });

  it('labelling needs a responder and an existing alert', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/alerts/nope/feedback', headers: as(t.tokens.responder), payload: { verdict: 'false_positive' } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/alerts/nope/feedback', headers: as(t.tokens.viewer), payload: { verdict: 'false_positive' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/alerts/nope/feedback', headers: as(t.tokens.responder), payload: { verdict: 'maybe' } })).statusCode).toBe(400);
  });
});
