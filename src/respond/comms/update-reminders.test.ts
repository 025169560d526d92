import { afterEach, describe, expect, it } from 'vitest';
import type { Vigil } from '../../app.js';
import { createVigil } from '../../app.js';
import { defaultConfig } from '../../config.js';
import { ManualClock } from '../../core/clock.js';
import { sequentialIds } from '../../core/ids.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { Incident } from '../../core/incident.js';
import { verifyAuditChain } from '../../record/audit-chain.js';
import { event } from '../../../test/support/vigil.js';
import { parseUpdateCadence } from './update-cadence.js';
import type { OnUpdateDue } from './update-reminders.js';

const carol = { kind: 'cli', id: 'carol', name: 'carol' } as const;
const MINUTE = 60_000;

describe('stakeholder update reminders', () => {
  let vigil: Vigil;
  let clock: ManualClock;
  const due: { incident: string; holder: string | undefined }[] = [];
  afterEach(async () => {
    due.length = 0;
    await vigil.close();
  });

  async function open(severity: 'critical' | 'info' = 'critical', cadence?: string): Promise<string> {
    const onUpdateDue: OnUpdateDue = async (_tx, incident: Incident, holder) => {
      due.push({ incident: incident.id, holder });
    };
    clock = new ManualClock('2026-11-23T10:00:00.000Z');
    const store = await openSqliteStore({ path: ':memory:', now: () => clock.now() });
    const config = { ...defaultConfig, ...(cadence === undefined ? {} : { updateCadence: parseUpdateCadence(cadence) }) };
    vigil = await createVigil(config, { clock, ids: sequentialIds(), store, detectors: [], onUpdateDue });
    const { id } = await vigil.createIntegration({ kind: 'generic', service: 'wallets', actor: carol });
    const [result] = await vigil.ingest((await vigil.store.read.getIntegration(id))!, [event({ severity })]);
    return result!.incidentId!;
  }

  const reminders = async (incidentId: string) => (await vigil.store.read.listTimeline(incidentId)).filter((e) => e.kind === 'comms.update_due');
  const after = async (minutes: number) => {
    clock.advance(minutes * MINUTE);
    await vigil.workers.runOnce();
  };

  it('records one reminder per overdue period of a SEV1, for the communications lead', async () => {
    const id = await open();
    await vigil.store.write((tx) => vigil.roles.assign(tx, { ref: id, role: 'communications_lead', person: 'alice', actor: carol }));
    await after(29);
    expect(await reminders(id)).toHaveLength(0);
    await after(1);
    expect(await reminders(id)).toHaveLength(1);
    expect((await reminders(id))[0]!.message).toBe('Stakeholder update due on INC-1: none for 30 min (SEV1: every 30 min); communications lead alice');
    expect(due).toEqual([{ incident: id, holder: 'alice' }]);
    // Running again in the same period does nothing.
    await vigil.workers.runOnce();
    await after(29);
    expect(await reminders(id)).toHaveLength(1);
    await after(1);
    expect(await reminders(id)).toHaveLength(2);
    expect(due).toHaveLength(2);
    const actions = (await vigil.store.read.listAuditRecords(0, 1000)).map((r) => r.action).filter((a) => a === 'comms.update_due');
    expect(actions).toHaveLength(2);
    expect((await verifyAuditChain(vigil.store.read)).ok).toBe(true);
  });

  it('a stakeholder update restarts the cadence; an internal one does not', async () => {
    const id = await open();
    await after(20);
    await vigil.store.write((tx) => vigil.updates.post(tx, { ref: id, audience: 'internal', body: 'signer restarted', actor: carol }));
    await after(10);
    expect(await reminders(id)).toHaveLength(1);
    await after(5);
    await vigil.store.write((tx) => vigil.updates.post(tx, { ref: id, audience: 'stakeholders', body: 'Withdrawals delayed; next update in 30 min', actor: carol }));
    await after(29);
    expect(await reminders(id)).toHaveLength(1);
    await after(1);
    expect(await reminders(id)).toHaveLength(2);
    // Nobody holds communications lead, so the incident commander would be told; here, nobody.
    expect(due.map((d) => d.holder)).toEqual([undefined, undefined]);
  });

  it('falls back to the incident commander when nobody is communications lead', async () => {
    const id = await open();
    await vigil.store.write((tx) => vigil.roles.assign(tx, { ref: id, role: 'incident_commander', person: 'bob', actor: carol }));
    await after(30);
    expect(due).toEqual([{ incident: id, holder: 'bob' }]);
    expect((await reminders(id))[0]!.message).toContain('no communications lead, incident commander bob');
  });

  it('stops when the incident is resolved, and catches up with one reminder after a long gap', async () => {
    const id = await open();
    await after(95);
    expect(await reminders(id)).toHaveLength(1);
    expect((await reminders(id))[0]!.body).toMatchObject({ period: 3 });
    await vigil.store.write((tx) => vigil.actions.changeStatus(tx, { ref: id, action: 'resolve', actor: carol }));
    await after(120);
    expect(await reminders(id)).toHaveLength(1);
  });

  it('sends none for SEV4 by default, and follows a configured cadence', async () => {
    const quiet = await open('info');
    await after(24 * 60);
    expect(await reminders(quiet)).toHaveLength(0);
    await vigil.close();
    const configured = await open('info', 'SEV4=15');
    await after(15);
    expect(await reminders(configured)).toHaveLength(1);
  });
});

describe('update cadence', () => {
  it('parses minutes per severity over the defaults, with off', () => {
    expect(parseUpdateCadence('SEV1=10, sev3=off')).toEqual({ SEV1: 10 * MINUTE, SEV2: 60 * MINUTE, SEV3: null, SEV4: null, SEV5: null });
    expect(() => parseUpdateCadence('SEV9=1')).toThrow(/not a cadence/);
  });
});

describe('stakeholder update reminders with many open incidents', () => {
  /** A Vigil on a manual clock that lists, by number, every incident an update falls due for. */
  async function openCounting() {
    const clock = new ManualClock('2026-11-23T10:00:00.000Z');
    const store = await openSqliteStore({ path: ':memory:', now: () => clock.now() });
    const due: number[] = [];
    const vigil = await createVigil(defaultConfig, { clock, ids: sequentialIds(), store, detectors: [], onUpdateDue: async (_tx, incident) => void due.push(incident.number) });
    const { id } = await vigil.createIntegration({ kind: 'generic', service: 'wallets', actor: carol });
    const integration = (await vigil.store.read.getIntegration(id))!;
    return { clock, due, vigil, integration };
  }

  it('reach every overdue incident however many are open, scanning at most once a minute', async () => {
    const { clock, due, vigil, integration } = await openCounting();
    const count = 1_050;
    await vigil.ingest(integration, Array.from({ length: count }, (_, n) => event({ severity: 'critical', dedupKey: `k${n}`, groupKey: `g${n}` })));
    await vigil.workers.runOnce();
    expect(due).toHaveLength(0);

    clock.advance(30 * MINUTE);
    await vigil.workers.runOnce();
    expect(new Set(due).size).toBe(count);
    await vigil.close();
  });

  it('scan the open incidents at most once a minute, however often the workers run', async () => {
    const { clock, due, vigil, integration } = await openCounting();
    await vigil.ingest(integration, [event({ severity: 'critical', dedupKey: 'a', groupKey: 'a' })]);
    clock.advance(20_000);
    await vigil.ingest(integration, [event({ severity: 'critical', dedupKey: 'b', groupKey: 'b' })]);
    clock.advance(30 * MINUTE - 20_000);
    await vigil.workers.runOnce();
    expect(due).toEqual([1]);
    // INC-2 falls due 20 s later, but the last scan was under a minute ago.
    clock.advance(25_000);
    await vigil.workers.runOnce();
    expect(due).toEqual([1]);
    clock.advance(36_000);
    await vigil.workers.runOnce();
    expect(due).toEqual([1, 2]);
    await vigil.close();
  });
});
