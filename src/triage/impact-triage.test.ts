import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Vigil } from '../app.js';
import type { Integration } from '../core/access.js';
import type { Actor } from '../core/actor.js';
import type { ManualClock } from '../core/clock.js';
import type { StoreTx } from '../core/store.js';
import { verifyAuditChain } from '../record/audit-chain.js';
import { event, testVigil } from '../../test/support/vigil.js';

const responder: Actor = { kind: 'token', id: 'tok-1', name: 'alice' };

describe('Impact triage', () => {
  let vigil: Vigil;
  let clock: ManualClock;
  let integration: Integration;

  beforeEach(async () => {
    ({ vigil, clock } = await testVigil({ groupWindowMs: 60_000 }));
    const { id } = await vigil.createIntegration({ kind: 'generic', service: 'hot-wallet', actor: responder });
    integration = (await vigil.store.read.getIntegration(id))!;
  });
  afterEach(async () => vigil.close());

  const incident = async () => (await vigil.store.read.listIncidents({ limit: 1 }))[0]!;
  const timeline = async () => (await vigil.store.read.listTimeline((await incident()).id)).map((e) => `${e.kind}: ${e.message}`);

  it('an incident is scored on open from its alert labels, and the score keeps its breakdown with sources', async () => {
    const [result] = await vigil.ingest(integration, [event({ severity: 'warning', labels: { tier: '0', funds_at_risk_usd: '40000' } })]);
    const stored = await vigil.store.read.getImpactScore(result!.incidentId!);
    expect(stored?.score).toMatchObject({ total: 40, severity: 'SEV3' });
    const funds = stored?.score.breakdown.find((row) => row.dimension === 'fundsAtRisk');
    expect(funds).toMatchObject({ input: '$40,000', points: 10, weight: 2, contribution: 20, source: `alert ${result!.alertId} label funds_at_risk_usd` });
    expect(await timeline()).toEqual([
      expect.stringMatching(/^incident\.triggered/),
      'incident.impact_scored: Impact SEV5 → SEV3: service criticality is now known: tier 0; funds at risk is now known: $40,000',
    ]);
    expect((await incident()).severity).toBe('SEV3');
  });

  it('a joining alert with more funds at risk rescores and raises the severity, with the reason on the timeline', async () => {
    await vigil.ingest(integration, [event({ dedupKey: 'a', severity: 'warning', labels: { tier: '2', funds_at_risk_usd: '40000' } })]);
    clock.advance(1_000);
    await vigil.ingest(integration, [event({ dedupKey: 'b', severity: 'warning', labels: { funds_at_risk_usd: '2,300,000', users_affected: '12000' } })]);
    expect((await incident()).severity).toBe('SEV2');
    const entries = await timeline();
    expect(entries).toContain(
      'incident.severity_changed: Severity raised from SEV3 to SEV2 by impact: SEV4 → SEV2: funds at risk rose from $40,000 to $2,300,000; users affected is now known: 12,000 users',
    );
    // tier 2: 5, funds at risk ≥ $1M: 30 × 2, users ≥ 10,000: 20.
    expect((await vigil.store.read.getImpactScore((await incident()).id))?.score.total).toBe(85);
  });

  it('a score below the alert severity never lowers it: lowering is a person’s decision', async () => {
    await vigil.ingest(integration, [event({ severity: 'critical', labels: { tier: '3' } })]);
    expect((await incident()).severity).toBe('SEV1');
    expect((await vigil.store.read.getImpactScore((await incident()).id))?.score.severity).toBe('SEV5');
  });

  it('a service tier from the triage config counts for every incident of the service, unless an alert says more critical', async () => {
    const { vigil: v } = await testVigilWithTriage({ services: { 'hot-wallet': { tier: 1 } } });
    const { id } = await v.createIntegration({ kind: 'generic', service: 'hot-wallet', actor: responder });
    const integ = (await v.store.read.getIntegration(id))!;
    const [r] = await v.ingest(integ, [event({ labels: {} })]);
    const tier = (await v.store.read.getImpactScore(r!.incidentId!))?.score.breakdown.find((row) => row.dimension === 'tier');
    expect(tier).toMatchObject({ input: 'tier 1', source: 'service hot-wallet is tier 1' });
    await v.close();
  });

  it('recording facts rescores: unrecovered funds movements and addresses at risk are funds at risk, and a key compromise forces SEV1', async () => {
    const [result] = await vigil.ingest(integration, [event({ severity: 'info', labels: { tier: '0' } })]);
    const ref = result!.incidentId!;
    const record = (fact: unknown) => vigil.store.write((tx) => vigil.facts.record(tx, { ref, fact, actor: responder }));
    await record({ kind: 'address', chain: 'ethereum', address: '0xHot', state: 'at_risk', valueUsd: '600,000', balance: { amount: '200000000000000000000', asset: 'ETH', decimals: 18 } });
    await record({
      kind: 'funds_movement',
      chain: 'ethereum',
      txHash: '0xdrain',
      origin: '0xHot',
      destination: '0xMixer',
      destinationType: 'mixer',
      value: { amount: '150000000000000000000', asset: 'ETH', decimals: 18 },
      valueUsd: '450000',
    });
    let score = (await vigil.store.read.getImpactScore(ref))!.score;
    expect(score.breakdown.find((row) => row.dimension === 'fundsAtRisk')).toMatchObject({
      input: '$1,050,000',
      source: 'incident facts: 1 funds movement not recovered ($450,000), 1 address at risk ($600,000)',
    });
    expect((await incident()).severity).toBe('SEV2');

    // The address is emptied into safety and the movement recovered: nothing is at risk any more,
    // and the severity stays where it was: lowering it is a person's call.
    await record({ kind: 'address', chain: 'ethereum', address: '0xhot', state: 'saved', valueUsd: '600,000' });
    await record({ kind: 'funds_movement', chain: 'ethereum', txHash: '0xDRAIN', origin: '0xHot', destination: '0xMixer', value: { amount: '1', asset: 'ETH', decimals: 18 }, valueUsd: '450000', recovery: 'recovered' });
    score = (await vigil.store.read.getImpactScore(ref))!.score;
    expect(score.breakdown.find((row) => row.dimension === 'fundsAtRisk')?.input).toBeNull();
    expect(await vigil.store.read.listIncidentFacts(ref)).toHaveLength(2);

    await record({ kind: 'impact', key: 'key_compromise', value: 'true', note: 'attacker signed with the hot key' });
    expect((await incident()).severity).toBe('SEV1');
    const entries = await timeline();
    expect(entries).toContain('incident.fact_recorded: INC-1: Address 0xhot on ethereum marked saved (was at risk) ($600,000)');
    expect(entries.at(-1)).toBe('incident.severity_changed: Severity raised from SEV2 to SEV1 by impact: SEV4 → SEV1: key compromise is set');
    expect((await verifyAuditChain(vigil.store.read)).ok).toBe(true);
  });

  it('a fact that cannot be read is refused with the field, and nothing is recorded', async () => {
    const [result] = await vigil.ingest(integration, [event()]);
    const ref = result!.incidentId!;
    const record = (fact: unknown) => vigil.store.write((tx) => vigil.facts.record(tx, { ref, fact, actor: responder }));
    await expect(record({ kind: 'impact', key: 'users_affected', value: 'lots' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('"lots" is not a whole number') });
    await expect(record({ kind: 'impact', key: 'blast_radius', value: '3' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(record({ kind: 'funds_movement', chain: 'ethereum', txHash: '0x1', origin: 'a', destination: 'b', value: { amount: '1.5', asset: 'ETH', decimals: 18 } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ path: 'value.amount' })],
    });
    await expect(record({ kind: 'address', chain: 'ethereum', address: '0x1', state: 'stolen' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(vigil.store.write((tx) => vigil.facts.record(tx, { ref: 'INC-99', fact: { kind: 'impact', key: 'users_affected', value: '5' }, actor: responder }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await vigil.store.read.listIncidentFacts(ref)).toEqual([]);
  });
});

async function testVigilWithTriage(triage: object): Promise<{ vigil: Vigil }> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-triage-'));
  const path = join(dir, 'impact.json');
  await writeFile(path, JSON.stringify(triage));
  return testVigil({ impactConfigPath: path });
}

describe('Impact triage on repeats', () => {
  it('rescores a repeat whose labels changed, and leaves the stored score alone when they did not', async () => {
    const { vigil, clock } = await testVigil();
    const { id } = await vigil.createIntegration({ kind: 'generic', service: 'hot-wallet', actor: responder });
    const integration = (await vigil.store.read.getIntegration(id))!;
    const [first] = await vigil.ingest(integration, [event({ labels: { funds_at_risk_usd: '40000' } })]);
    const scoredAt = (await vigil.store.read.getImpactScore(first!.incidentId!))!.updatedAt;
    clock.advance(60_000);
    await vigil.ingest(integration, [event({ labels: { funds_at_risk_usd: '40000' } })]);
    expect((await vigil.store.read.getImpactScore(first!.incidentId!))!.updatedAt).toBe(scoredAt);
    clock.advance(60_000);
    await vigil.ingest(integration, [event({ labels: { funds_at_risk_usd: '400000' } })]);
    const rescored = (await vigil.store.read.getImpactScore(first!.incidentId!))!;
    expect(rescored.updatedAt).toBe(scoredAt + 120_000);
    expect(rescored.score.breakdown.find((row) => row.dimension === 'fundsAtRisk')?.input).toBe('$400,000');
    await vigil.close();
  });
});

describe('Impact triage on a large incident', () => {
  it('reads the incident’s alerts again only for a new alert that states more than the score already counts', async () => {
    const { vigil } = await testVigil();
    const { id } = await vigil.createIntegration({ kind: 'generic', service: 'hot-wallet', actor: responder });
    const integration = (await vigil.store.read.getIntegration(id))!;
    await vigil.ingest(integration, [event({ dedupKey: 'first', labels: { funds_at_risk_usd: '2000000' } })]);
    const incident = (await vigil.store.read.listIncidents({ limit: 1 }))[0]!;

    let reads = 0;
    const counting = (tx: StoreTx): StoreTx =>
      new Proxy(tx, {
        get(target, property, receiver) {
          if (property === 'listAlertsOfIncident') reads += 1;
          const value: unknown = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
    const attach = (labels: Record<string, string>) =>
      vigil.store.write((tx) =>
        vigil.triage.incidentChanged(counting(tx), {
          cause: 'alert_attached',
          before: incident,
          after: incident,
          actor: responder,
          alert: { ...event({ labels }), id: 'a', integrationId: id, service: 'hot-wallet', status: 'firing', incidentId: incident.id, firstSeenAt: 0, lastSeenAt: 0, resolvedAt: null, count: 1 },
        }),
      );
    await attach({ instance: 'i-1' });
    await attach({ funds_at_risk_usd: '1000000' });
    expect(reads).toBe(0);
    await attach({ funds_at_risk_usd: '3000000' });
    await attach({ users_affected: '500' });
    expect(reads).toBe(2);
    await vigil.close();
  });
});

describe('Impact triage among the other observers', () => {
  it('hands the raised incident on: a new incident the score raises is seen, once, at its raised severity', async () => {
    const seen: string[] = [];
    const observer = { incidentChanged: async (_tx: StoreTx, change: { cause: string; after: { severity: string } }) => void seen.push(`${change.cause} ${change.after.severity}`) };
    const { vigil } = await testVigil({}, [], [observer]);
    const { id } = await vigil.createIntegration({ kind: 'generic', service: 'hot-wallet', actor: responder });
    const integration = (await vigil.store.read.getIntegration(id))!;
    await vigil.ingest(integration, [event({ severity: 'info', labels: { key_compromise: 'true' } })]);
    expect(seen).toEqual(['opened SEV1']);
    expect((await vigil.store.read.listIncidents({ limit: 1 }))[0]?.severity).toBe('SEV1');
    await vigil.close();
  });
});
