import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Vigil } from '../app.js';
import type { Integration } from '../core/access.js';
import type { ManualClock } from '../core/clock.js';
import { suppressedBy } from '../core/muted-alert.js';
import { verifyAuditChain } from '../record/audit-chain.js';
import { event, testVigil } from '../../test/support/vigil.js';

const ops = { kind: 'token', id: 'tok-ana', name: 'ana' } as const;
const H = 3_600_000;

describe('muting alerts before they open or join an incident', () => {
  let vigil: Vigil;
  let clock: ManualClock;
  let integration: Integration;

  beforeEach(async () => {
    ({ vigil, clock } = await testVigil());
    const { id } = await vigil.createIntegration({ kind: 'alertmanager', service: 'withdrawals', actor: ops });
    integration = (await vigil.store.read.getIntegration(id))!;
  });
  afterEach(async () => vigil.close());

  const incidents = () => vigil.store.read.listIncidents({ limit: 100 });
  const muted = () => vigil.store.read.listMutedAlerts({ limit: 100 });
  const auditActions = async () => (await vigil.store.read.listAuditRecords(0, 10_000)).map((r) => r.action);
  const chainHalted = (action: 'trigger' | 'resolve' = 'trigger') =>
    event({ action, dedupKey: 'halt-eth', fingerprint: 'halt-eth', groupKey: 'chain', severity: 'critical', summary: 'Ethereum halted', labels: { alertname: 'ChainHalted', chain: 'ethereum' } });
  const stuck = (wallet: string, chain = 'ethereum', action: 'trigger' | 'resolve' = 'trigger') =>
    event({ action, dedupKey: `stuck-${chain}-${wallet}`, fingerprint: `stuck-${chain}-${wallet}`, groupKey: `stuck-${wallet}`, severity: 'error', summary: `Withdrawal stuck on ${wallet}`, labels: { alertname: 'WithdrawalStuck', chain, wallet } });

  it('a silence mutes matching alerts, keeps them visible with the silence, and folds repeats into one', async () => {
    const silence = await vigil.store.write((tx) => vigil.silences.create(tx, { matchers: ['alertname="WithdrawalStuck"', 'chain=~"eth.*"'], durationMs: 2 * H, comment: 'node upgrade', actor: ops }));
    const [first] = await vigil.ingest(integration, [stuck('hot-1')]);
    expect(first).toMatchObject({ outcome: 'muted', incidentId: null });
    clock.advance(60_000);
    const [again] = await vigil.ingest(integration, [stuck('hot-1')]);
    expect(again).toMatchObject({ outcome: 'muted', alertId: first!.alertId });
    // Another chain is not silenced.
    expect((await vigil.ingest(integration, [stuck('hot-1', 'bitcoin')]))[0]?.outcome).toBe('opened');

    const [row] = await muted();
    expect(row).toMatchObject({ id: first!.alertId, status: 'muted', count: 2, reason: { kind: 'silence', silenceId: silence.id } });
    expect(suppressedBy(row!.reason)).toBe(`silence:${silence.id}`);
    expect(await vigil.store.read.listMutedAlerts({ kind: 'silence', reasonId: silence.id, limit: 10 })).toHaveLength(1);
    expect((await incidents()).map((i) => i.title)).toEqual(['Withdrawal stuck on hot-1']);
    expect(await auditActions()).toEqual(expect.arrayContaining(['silence.created', 'alert.muted', 'muted_alert.repeated']));
    expect((await verifyAuditChain(vigil.store.read)).ok).toBe(true);
  });

  it('after a silence ends (or is expired), the next repeat opens an incident as usual', async () => {
    const silence = await vigil.store.write((tx) => vigil.silences.create(tx, { matchers: ['wallet="hot-1"'], durationMs: H, comment: 'known', actor: ops }));
    await vigil.ingest(integration, [stuck('hot-1'), stuck('hot-2')]);
    expect(await incidents()).toHaveLength(1);
    clock.advance(H);
    const [released] = await vigil.ingest(integration, [stuck('hot-1')]);
    expect(released?.outcome).toBe('opened');
    expect((await muted())[0]).toMatchObject({ status: 'released', reason: { kind: 'silence', silenceId: silence.id } });
    expect(await auditActions()).toContain('muted_alert.released');

    // Expiring early works the same way.
    const early = await vigil.store.write((tx) => vigil.silences.create(tx, { matchers: ['wallet="hot-3"'], durationMs: H, comment: 'x', actor: ops }));
    expect((await vigil.ingest(integration, [stuck('hot-3')]))[0]?.outcome).toBe('muted');
    await vigil.store.write((tx) => vigil.silences.expire(tx, { id: early.id, actor: ops }));
    expect((await vigil.ingest(integration, [stuck('hot-3')]))[0]?.outcome).toBe('opened');
  });

  it('a silence added later does not detach an alert already in an incident', async () => {
    await vigil.ingest(integration, [stuck('hot-1')]);
    await vigil.store.write((tx) => vigil.silences.create(tx, { matchers: ['wallet="hot-1"'], durationMs: H, comment: 'late', actor: ops }));
    expect((await vigil.ingest(integration, [stuck('hot-1')]))[0]?.outcome).toBe('deduplicated');
    expect(await muted()).toEqual([]);
  });

  it('a resolve for a muted alert resolves it, and opens nothing', async () => {
    await vigil.store.write((tx) => vigil.silences.create(tx, { matchers: ['wallet="hot-1"'], durationMs: H, comment: 'x', actor: ops }));
    const [first] = await vigil.ingest(integration, [stuck('hot-1')]);
    const [resolved] = await vigil.ingest(integration, [stuck('hot-1', 'ethereum', 'resolve')]);
    expect(resolved).toEqual({ outcome: 'resolved', alertId: first!.alertId, incidentId: null });
    expect((await muted())[0]).toMatchObject({ status: 'resolved' });
    expect((await vigil.ingest(integration, [stuck('hot-1', 'ethereum', 'resolve')]))[0]?.outcome).toBe('ignored');
    expect(await incidents()).toEqual([]);
    expect(await auditActions()).toContain('muted_alert.resolved');
  });

  it('a maintenance window mutes its service while open, and only alerts its matchers select', async () => {
    // Every day 10:00-12:00 Europe/Berlin from today; the clock is 2026-11-23T10:00Z, 11:00 in Berlin.
    const window = await vigil.store.write((tx) =>
      vigil.maintenanceWindows.create(tx, {
        name: 'daily hot wallet sweep',
        service: 'withdrawals',
        matchers: ['alertname="WithdrawalStuck"'],
        startsAt: Date.parse('2026-11-23T10:00:00+01:00'),
        durationMs: 2 * H,
        recurrence: { rrule: 'FREQ=DAILY', timeZone: 'Europe/Berlin' },
        actor: ops,
      }),
    );
    expect((await vigil.ingest(integration, [stuck('hot-1')]))[0]?.outcome).toBe('muted');
    expect((await muted())[0]?.reason).toEqual({ kind: 'maintenance', windowId: window.id });
    // The matchers leave other alerts of the service alone.
    expect((await vigil.ingest(integration, [chainHalted()]))[0]?.outcome).toBe('opened');
    // Another service is not in maintenance.
    const { id } = await vigil.createIntegration({ kind: 'generic', service: 'deposits', actor: ops });
    expect((await vigil.ingest((await vigil.store.read.getIntegration(id))!, [stuck('hot-9')]))[0]?.outcome).toBe('opened');
    // 12:00 Berlin: the window has closed.
    clock.set('2026-11-23T11:00:00Z');
    expect((await vigil.ingest(integration, [stuck('hot-2')]))[0]?.outcome).not.toBe('muted');
    // Tomorrow 10:30 Berlin it is open again.
    clock.set('2026-11-24T09:30:00Z');
    expect((await vigil.ingest(integration, [stuck('hot-3')]))[0]?.outcome).toBe('muted');
    // Removed, it mutes nothing more.
    await vigil.store.write((tx) => vigil.maintenanceWindows.remove(tx, { id: window.id, actor: ops }));
    expect((await vigil.ingest(integration, [stuck('hot-4')]))[0]?.outcome).not.toBe('muted');
  });

  it('a halted chain inhibits the stuck-withdrawal alerts of that chain until it resolves', async () => {
    const rule = await vigil.store.write((tx) =>
      vigil.inhibitionRules.create(tx, { sourceMatchers: ['alertname="ChainHalted"'], targetMatchers: ['alertname="WithdrawalStuck"'], equal: ['chain'], actor: ops }),
    );
    const [halted] = await vigil.ingest(integration, [chainHalted()]);
    expect(halted?.outcome).toBe('opened');

    const [withdrawal] = await vigil.ingest(integration, [stuck('hot-1')]);
    expect(withdrawal).toMatchObject({ outcome: 'muted', incidentId: null });
    const [row] = await muted();
    expect(suppressedBy(row!.reason)).toBe(`inhibited-by:${halted!.alertId} (rule ${rule.id})`);
    // Another chain's withdrawals are not inhibited: `equal: [chain]`.
    expect((await vigil.ingest(integration, [stuck('hot-1', 'bitcoin')]))[0]?.outcome).toBe('opened');
    expect(await vigil.store.read.listMutedAlerts({ kind: 'inhibition', reasonId: rule.id, limit: 10 })).toHaveLength(1);

    clock.advance(5 * 60_000);
    await vigil.ingest(integration, [chainHalted('resolve')]);
    // Alertmanager re-sends the still-firing alert: now it opens an incident.
    clock.advance(5 * 60_000);
    const [repeat] = await vigil.ingest(integration, [stuck('hot-1')]);
    expect(['opened', 'grouped']).toContain(repeat?.outcome);
    expect(repeat?.incidentId).not.toBeNull();
    expect((await vigil.store.read.getMutedAlert(withdrawal!.alertId!))?.status).toBe('released');
    expect((await verifyAuditChain(vigil.store.read)).ok).toBe(true);
  });

  it('an alert never inhibits itself, even when it matches both sides of a rule', async () => {
    await vigil.store.write((tx) => vigil.inhibitionRules.create(tx, { sourceMatchers: ['chain="ethereum"'], targetMatchers: ['chain="ethereum"'], equal: ['chain'], actor: ops }));
    expect((await vigil.ingest(integration, [stuck('hot-1')]))[0]?.outcome).toBe('opened');
    // A second ethereum alert is inhibited by the first.
    expect((await vigil.ingest(integration, [stuck('hot-2')]))[0]?.outcome).toBe('muted');
  });
});
