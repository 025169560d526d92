import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Vigil } from '../app.js';
import type { Integration } from '../core/access.js';
import type { Actor } from '../core/actor.js';
import { isVigilError } from '../core/errors.js';
import { verifyAuditChain } from '../record/audit-chain.js';
import { event, testVigil } from '../../test/support/vigil.js';

const ann: Actor = { kind: 'token', id: 'tok-ann', name: 'ann' };

describe('IncidentActions', () => {
  let vigil: Vigil;
  let integration: Integration;

  beforeEach(async () => {
    ({ vigil } = await testVigil());
    const { id } = await vigil.createIntegration({ kind: 'generic', service: 'wallets', actor: ann });
    integration = (await vigil.store.read.getIntegration(id))!;
    await vigil.ingest(integration, [event({ dedupKey: 'a' }), event({ dedupKey: 'b' })]);
  });
  afterEach(async () => vigil.close());

  const act = <T>(work: Parameters<Vigil['store']['write']>[0]) => vigil.store.write(work) as Promise<T>;

  it('acknowledge, resolve and reopen walk the lifecycle and stamp each transition', async () => {
    const acked = await vigil.store.write((tx) => vigil.actions.changeStatus(tx, { ref: 'INC-1', action: 'acknowledge', actor: ann }));
    expect(acked.status).toBe('acknowledged');
    expect(acked.acknowledgedAt).not.toBeNull();
    const resolved = await vigil.store.write((tx) => vigil.actions.changeStatus(tx, { ref: '1', action: 'resolve', actor: ann, reason: 'node restarted' }));
    expect(resolved.status).toBe('resolved');
    const reopened = await vigil.store.write((tx) => vigil.actions.changeStatus(tx, { ref: resolved.id, action: 'reopen', actor: ann }));
    expect(reopened).toMatchObject({ status: 'triggered', resolvedAt: null });
    expect(reopened.reopenedAt).not.toBeNull();
    const kinds = (await vigil.store.read.listTimeline(resolved.id)).map((e) => [e.kind, e.actor.name]);
    expect(kinds.slice(-3)).toEqual([
      ['incident.acknowledged', 'ann'],
      ['incident.resolved', 'ann'],
      ['incident.reopened', 'ann'],
    ]);
  });

  it('resolving an incident resolves its firing alerts', async () => {
    await vigil.store.write((tx) => vigil.actions.changeStatus(tx, { ref: 'INC-1', action: 'resolve', actor: ann }));
    const incident = await vigil.store.read.getIncidentByNumber(1);
    const alerts = await vigil.store.read.listAlertsOfIncident(incident!.id);
    expect(alerts.map((a) => a.status)).toEqual(['resolved', 'resolved']);
  });

  it('an impossible transition is refused with INVALID_TRANSITION and changes nothing', async () => {
    const before = await vigil.store.read.listAuditRecords(0, 1000);
    const error = await act(async (tx) => vigil.actions.changeStatus(tx, { ref: 'INC-1', action: 'reopen', actor: ann })).catch((e: unknown) => e);
    expect(isVigilError(error, 'INVALID_TRANSITION')).toBe(true);
    expect(await vigil.store.read.listAuditRecords(0, 1000)).toEqual(before);
  });

  it('an unknown incident is NOT_FOUND', async () => {
    const error = await act(async (tx) => vigil.actions.addNote(tx, { ref: 'INC-99', text: 'hello', actor: ann })).catch((e: unknown) => e);
    expect(isVigilError(error, 'NOT_FOUND')).toBe(true);
  });

  it('assign, severity and notes each write a timeline entry and an audit record with the actor', async () => {
    await vigil.store.write((tx) => vigil.actions.assign(tx, { ref: 'INC-1', assignee: 'bob', actor: ann }));
    await vigil.store.write((tx) => vigil.actions.setSeverity(tx, { ref: 'INC-1', severity: 'SEV1', actor: ann, reason: 'funds at risk' }));
    await vigil.store.write((tx) => vigil.actions.addNote(tx, { ref: 'INC-1', text: 'paused withdrawals', actor: ann }));
    const incident = await vigil.store.read.getIncidentByNumber(1);
    expect(incident).toMatchObject({ assignee: 'bob', severity: 'SEV1' });
    const timeline = await vigil.store.read.listTimeline(incident!.id);
    expect(timeline.slice(-3).map((e) => e.message)).toEqual([
      'INC-1 assigned to bob by ann',
      'Severity set from SEV3 to SEV1 by ann: funds at risk',
      'paused withdrawals',
    ]);
    const audit = await vigil.store.read.listAuditRecords(0, 1000);
    expect(audit.slice(-3).map((r) => [r.action, r.actor.name])).toEqual([
      ['incident.assigned', 'ann'],
      ['incident.severity_changed', 'ann'],
      ['incident.note', 'ann'],
    ]);
    expect((await verifyAuditChain(vigil.store.read)).ok).toBe(true);
  });
});
