import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Vigil } from '../app.js';
import type { Integration } from '../core/access.js';
import type { ManualClock } from '../core/clock.js';
import type { IncidentObserver } from '../core/incident-observer.js';
import { verifyAuditChain } from '../record/audit-chain.js';
import { event, testVigil } from '../../test/support/vigil.js';

describe('Correlator', () => {
  let vigil: Vigil;
  let clock: ManualClock;
  let integration: Integration;

  beforeEach(async () => {
    ({ vigil, clock } = await testVigil({ groupWindowMs: 60_000, autoResolve: true }));
    const { id } = await vigil.createIntegration({ kind: 'generic', service: 'wallets', actor: { kind: 'cli', id: 't', name: 't' } });
    integration = (await vigil.store.read.getIntegration(id))!;
  });
  afterEach(async () => vigil.close());

  const incidents = () => vigil.store.read.listIncidents({ limit: 100 });

  it('a first alert opens an incident titled by the alert, with severity from the alert', async () => {
    const [result] = await vigil.ingest(integration, [event({ severity: 'critical' })]);
    expect(result?.outcome).toBe('opened');
    const [incident] = await incidents();
    expect(incident).toMatchObject({ number: 1, title: 'Hot wallet balance below 10 ETH', service: 'wallets', status: 'triggered', severity: 'SEV1', alertCount: 1 });
    const timeline = await vigil.store.read.listTimeline(incident!.id);
    expect(timeline.map((e) => e.kind)).toEqual(['incident.triggered']);
    expect(timeline[0]?.actor).toMatchObject({ kind: 'integration', id: integration.id });
  });

  it('an alert with the same dedup key updates the one alert: count and last seen, no new incident', async () => {
    await vigil.ingest(integration, [event()]);
    clock.advance(5_000);
    const [second] = await vigil.ingest(integration, [event({ summary: 'Hot wallet balance below 8 ETH' })]);
    expect(second?.outcome).toBe('deduplicated');
    const [incident] = await incidents();
    const alerts = await vigil.store.read.listAlertsOfIncident(incident!.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ count: 2, summary: 'Hot wallet balance below 8 ETH', lastSeenAt: alerts[0]!.firstSeenAt + 5_000 });
  });

  it('alerts of the same group join the open incident within the window, and open a new one after it', async () => {
    await vigil.ingest(integration, [event({ dedupKey: 'a' })]);
    clock.advance(30_000);
    const [joined] = await vigil.ingest(integration, [event({ dedupKey: 'b' })]);
    expect(joined?.outcome).toBe('grouped');
    clock.advance(61_000);
    const [late] = await vigil.ingest(integration, [event({ dedupKey: 'c' })]);
    expect(late?.outcome).toBe('opened');
    expect((await incidents()).map((i) => [i.number, i.alertCount])).toEqual([
      [2, 1],
      [1, 2],
    ]);
  });

  it('alerts of another group or another service open their own incidents', async () => {
    await vigil.ingest(integration, [event({ dedupKey: 'a', groupKey: 'x' }), event({ dedupKey: 'b', groupKey: 'y' })]);
    expect(await incidents()).toHaveLength(2);
  });

  it('an acknowledged incident stays acknowledged when more alerts arrive', async () => {
    await vigil.ingest(integration, [event({ dedupKey: 'a' })]);
    await vigil.store.write((tx) => vigil.actions.changeStatus(tx, { ref: 'INC-1', action: 'acknowledge', actor: { kind: 'cli', id: 'ann', name: 'ann' } }));
    await vigil.ingest(integration, [event({ dedupKey: 'a' }), event({ dedupKey: 'b' })]);
    const [incident] = await incidents();
    expect(incident).toMatchObject({ status: 'acknowledged', alertCount: 2 });
  });

  it('a more severe alert raises the incident severity and says why on the timeline', async () => {
    await vigil.ingest(integration, [event({ dedupKey: 'a', severity: 'warning' })]);
    await vigil.ingest(integration, [event({ dedupKey: 'b', severity: 'critical' })]);
    const [incident] = await incidents();
    expect(incident?.severity).toBe('SEV1');
    const timeline = await vigil.store.read.listTimeline(incident!.id);
    expect(timeline.map((e) => e.kind)).toEqual(['incident.triggered', 'alert.attached', 'incident.severity_changed']);
    expect(timeline[2]?.message).toContain('SEV3 to SEV1');
  });

  it('when the last firing alert resolves the incident resolves, if auto-resolve is on', async () => {
    await vigil.ingest(integration, [event({ dedupKey: 'a' }), event({ dedupKey: 'b' })]);
    await vigil.ingest(integration, [event({ dedupKey: 'a', action: 'resolve' })]);
    expect((await incidents())[0]?.status).toBe('triggered');
    await vigil.ingest(integration, [event({ dedupKey: 'b', action: 'resolve' })]);
    expect((await incidents())[0]?.status).toBe('resolved');
  });

  it('with auto-resolve off, resolved alerts leave the incident open', async () => {
    const off = await testVigil({ autoResolve: false });
    const { id } = await off.vigil.createIntegration({ kind: 'generic', service: 'wallets', actor: { kind: 'cli', id: 't', name: 't' } });
    const own = (await off.vigil.store.read.getIntegration(id))!;
    await off.vigil.ingest(own, [event()]);
    await off.vigil.ingest(own, [event({ action: 'resolve' })]);
    expect((await off.vigil.store.read.listIncidents({ limit: 1 }))[0]?.status).toBe('triggered');
    await off.vigil.close();
  });

  it('a trigger after a resolve with the same key opens a new alert', async () => {
    await vigil.ingest(integration, [event()]);
    await vigil.ingest(integration, [event({ action: 'resolve' })]);
    const [again] = await vigil.ingest(integration, [event()]);
    expect(again?.outcome).toBe('opened');
    expect(await vigil.store.read.countAlerts()).toBe(2);
  });

  it('acknowledge and resolve for an unknown key are accepted and ignored', async () => {
    const results = await vigil.ingest(integration, [event({ dedupKey: 'nope', action: 'resolve' }), event({ dedupKey: 'nope', action: 'acknowledge' })]);
    expect(results.map((r) => r.outcome)).toEqual(['ignored', 'ignored']);
    expect(await incidents()).toHaveLength(0);
  });

  it('an acknowledge event acknowledges the incident of the firing alert', async () => {
    await vigil.ingest(integration, [event()]);
    const [result] = await vigil.ingest(integration, [event({ action: 'acknowledge' })]);
    expect(result?.outcome).toBe('acknowledged');
    expect((await incidents())[0]?.status).toBe('acknowledged');
  });

  it('every change lands in the audit chain, which verifies', async () => {
    await vigil.ingest(integration, [event({ dedupKey: 'a' }), event({ dedupKey: 'b', severity: 'critical' }), event({ dedupKey: 'a' })]);
    await vigil.ingest(integration, [event({ dedupKey: 'a', action: 'resolve' }), event({ dedupKey: 'b', action: 'resolve' })]);
    const actions = (await vigil.store.read.listAuditRecords(0, 100)).map((r) => r.action);
    expect(actions).toEqual([
      'integration.created',
      'incident.triggered',
      'alert.attached',
      'incident.severity_changed',
      'alert.repeated',
      'alert.resolved',
      'alert.resolved',
      'incident.resolved',
    ]);
    expect(await verifyAuditChain(vigil.store.read)).toMatchObject({ ok: true, records: 8 });
  });
});

describe('Correlator observers', () => {
  it('are told, in the write unit, when an incident opens, gains an alert, is acknowledged and resolves', async () => {
    const seen: string[] = [];
    const observer: IncidentObserver = {
      incidentChanged: async (tx, change) => {
        // The change is already visible to the unit the observer runs in.
        const stored = await tx.getIncident(change.after.id);
        seen.push(`${change.cause}:${stored?.status}:${change.before?.alertCount ?? '-'}->${change.after.alertCount}:${change.alert?.dedupKey ?? '-'}`);
      },
    };
    const { vigil } = await testVigil({ groupWindowMs: 60_000, autoResolve: true }, [], [observer]);
    const actor = { kind: 'cli' as const, id: 't', name: 't' };
    const { id } = await vigil.createIntegration({ kind: 'generic', service: 'wallets', actor });
    const integration = (await vigil.store.read.getIntegration(id))!;
    await vigil.ingest(integration, [event({ dedupKey: 'a' }), event({ dedupKey: 'b' }), event({ dedupKey: 'b' })]);
    await vigil.store.write((tx) => vigil.actions.changeStatus(tx, { ref: 'INC-1', action: 'acknowledge', actor }));
    await vigil.ingest(integration, [event({ dedupKey: 'a', action: 'resolve' }), event({ dedupKey: 'b', action: 'resolve' })]);
    expect(seen).toEqual([
      'opened:triggered:-->1:a',
      'alert_attached:triggered:1->2:b',
      'alert_repeated:triggered:2->2:b',
      'acknowledged:acknowledged:2->2:-',
      'alert_resolved:acknowledged:2->2:a',
      'alert_resolved:acknowledged:2->2:b',
      'resolved:resolved:2->2:b',
    ]);
    await vigil.close();
  });
});
