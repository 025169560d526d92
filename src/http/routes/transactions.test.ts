import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVigil, type Vigil } from '../../app.js';
import { defaultConfig } from '../../config.js';
import { ManualClock } from '../../core/clock.js';
import { sequentialIds } from '../../core/ids.js';
import { DetectionThread } from '../../detect/thread/detection-thread.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import { buildHttpApp } from '../app.js';
import type { AttackStage, Finding } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import type { TransactionDetector } from '../../detect/detection-engine.js';
import { testApi, type TestApi } from '../../../test/support/api.js';

/** A detector for the wiring tests: flags transfers of at least `min` base units, at one stage. */
function bigTransfers(options: { min: bigint; stage: AttackStage; name: string }): TransactionDetector {
  return {
    name: options.name,
    observe(tx: Transaction): Finding[] {
      if (tx.kind !== 'account' || tx.amount < options.min) return [];
      return [
        {
          name: `Big transfer (${options.stage})`,
          description: `${tx.amount} base units from ${tx.from}`,
          alertId: `TEST-${options.name.toUpperCase()}`,
          severity: 'Medium',
          type: 'Suspicious',
          metadata: { amount: tx.amount.toString() },
          addresses: [tx.from],
          labels: [],
          detector: options.name,
          entity: tx.from,
          stage: options.stage,
          txHashes: [tx.hash],
          at: tx.timestamp,
        },
      ];
    },
  };
}

function tx(n: number, amount: string, from = '0xATTACKER') {
  return { chain: 'ethereum', hash: `0x${n}`, from, to: '0xbeef', asset: 'ETH', decimals: 18, amount, block: n, timestamp: `2026-11-23T10:00:0${n % 10}.000Z` };
}

describe('POST /api/v1/transactions', () => {
  let t: TestApi;
  beforeEach(async () => {
    t = await testApi({}, [
      bigTransfers({ min: 10n ** 21n, stage: 'funding', name: 'funding' }),
      bigTransfers({ min: 2n * 10n ** 21n, stage: 'preparation', name: 'preparation' }),
      bigTransfers({ min: 3n * 10n ** 21n, stage: 'exploitation', name: 'exploitation' }),
      bigTransfers({ min: 4n * 10n ** 21n, stage: 'laundering', name: 'laundering' }),
    ]);
  });
  afterEach(async () => t.close());

  const post = (payload: string, contentType: string, key = t.keys.transactions) =>
    t.app.inject({ method: 'POST', url: '/api/v1/transactions', headers: { 'content-type': contentType, authorization: `Bearer ${key}` }, payload });

  it('runs a JSON array through the detectors and commits the findings as alerts, exactly for huge amounts', async () => {
    const response = await post(JSON.stringify([tx(1, '999999999999999999999'), tx(2, '1000000000000000000000')]), 'application/json');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ transactions: 2, findings: 1, outcomes: { opened: 1 }, rejectedCount: 0 });
    const [incident] = await t.vigil.store.read.listIncidents({ limit: 5 });
    const [alert] = await t.vigil.store.read.listAlertsOfIncident(incident!.id);
    expect(alert).toMatchObject({ source: 'detector', dedupKey: 'TEST-FUNDING:0xattacker', labels: { stage: 'funding', entity: '0xattacker' } });
  });

  it('streams NDJSON, reports bad lines by number and keeps the good ones', async () => {
    const body = [JSON.stringify(tx(1, '1000000000000000000000')), '{"chain": "ethereum"', '', JSON.stringify({ ...tx(3, '5'), amount: 1.5 }), JSON.stringify(tx(4, '1000000000000000000000', '0xother'))].join('\n');
    const response = await post(body, 'application/x-ndjson');
    expect(response.statusCode).toBe(200);
    const summary = response.json();
    expect(summary).toMatchObject({ transactions: 2, findings: 2, rejectedCount: 2 });
    expect(summary.rejected.map((r: { line: number }) => r.line)).toEqual([2, 4]);
    expect(summary.rejected[1].message).toMatch(/amount/);
  });

  it('a noisy entity keeps one alert with a count, not one alert per transaction', async () => {
    const body = Array.from({ length: 50 }, (_, i) => JSON.stringify(tx(i, '1000000000000000000000'))).join('\n');
    const response = await post(body, 'application/x-ndjson');
    expect(response.json().outcomes).toEqual({ opened: 1, deduplicated: 49 });
    expect(await t.vigil.store.read.countAlerts()).toBe(1);
  });

  it('findings about one attacker address group into one incident, raised to SEV1 when all four stages are seen', async () => {
    await post(JSON.stringify([tx(1, '1000000000000000000000'), tx(2, '2000000000000000000000'), tx(3, '3000000000000000000000')]), 'application/json');
    let [incident] = await t.vigil.store.read.listIncidents({ limit: 5 });
    expect(incident).toMatchObject({ severity: 'SEV3', alertCount: 3 });
    await post(JSON.stringify([tx(4, '4000000000000000000000')]), 'application/json');
    [incident] = await t.vigil.store.read.listIncidents({ limit: 5 });
    expect(incident).toMatchObject({ severity: 'SEV1', alertCount: 4 });
    const timeline = await t.vigil.store.read.listTimeline(incident!.id);
    expect(timeline.at(-1)?.message).toContain('funding, preparation, exploitation and laundering');
  });

  it('an invalid JSON array is refused whole with the path of the bad item', async () => {
    const response = await post(JSON.stringify([tx(1, '1000000000000000000000'), { ...tx(2, '1'), decimals: 'eighteen' }]), 'application/json');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe('1.decimals');
    expect(await t.vigil.store.read.countAlerts()).toBe(0);
  });

  it('needs a transactions integration key', async () => {
    expect((await post('[]', 'application/json', t.keys.generic)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/transactions', payload: [] })).statusCode).toBe(401);
  });

  it('NDJSON is taken by this route only', async () => {
    const other = await t.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${t.keys.generic}` }, payload: '{}' });
    expect(other.statusCode).toBe(415);
  });
});

describe('POST /api/v1/transactions with the detectors in their own thread, as `vigil serve` runs them', () => {
  let dir: string;
  let vigil: Vigil;
  let app: FastifyInstance;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-detect-thread-'));
    const detectConfigPath = join(dir, 'detect.json');
    writeFileSync(detectConfigPath, JSON.stringify({ prices: { ETH: '3000' }, largeTransfer: { thresholdUsd: '1000000' } }));
    const clock = new ManualClock('2026-11-23T10:00:00.000Z');
    const store = await openSqliteStore({ path: ':memory:', now: () => clock.now() });
    vigil = await createVigil({ ...defaultConfig, detectConfigPath }, { clock, ids: sequentialIds(), store });
    app = await buildHttpApp({ vigil, logger: false });
  });
  afterEach(async () => {
    await app.close();
    await vigil.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the configured detectors in a worker thread and commits their findings as alerts', async () => {
    expect(vigil.detection).toBeInstanceOf(DetectionThread);
    const { key } = await vigil.createIntegration({ kind: 'transactions', service: 'wallets', name: 'feed', actor: { kind: 'cli', id: 'test', name: 'test' } });
    // 1,000 ETH at $3,000 is $3M, past the configured $1M; 1 ETH is not.
    const lines = [tx(1, '1000000000000000000'), tx(2, '1000000000000000000000', '0xWHALE')].map((t) => JSON.stringify(t)).join('\n');
    const response = await app.inject({ method: 'POST', url: '/api/v1/transactions', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}` }, payload: lines });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ transactions: 2, rejectedCount: 0 });
    expect(response.json().findings).toBeGreaterThanOrEqual(1);
    const alerts = await vigil.store.read.listFiringAlerts();
    expect(alerts.map((a) => a.dedupKey)).toContain('VIGIL-LARGE-TRANSFER:0xwhale');
    expect(alerts.map((a) => a.dedupKey).join()).not.toMatch(/0xattacker/);
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toContain('vigil_detector_transactions_total{detector="large-transfer"} 2');
    expect(metrics).toMatch(/vigil_detector_findings_total\{detector="large-transfer"\} [1-9]/);
    expect(metrics).toContain('vigil_detector_errors_total{detector="large-transfer"} 0');
    expect(metrics).toContain('vigil_detection_thread_failures_total 0');
  });
});
