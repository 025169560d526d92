import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVigil, type Vigil } from '../../app.js';
import { defaultConfig } from '../../config.js';
import type { Integration } from '../../core/access.js';
import type { Actor } from '../../core/actor.js';
import { ManualClock } from '../../core/clock.js';
import { sequentialIds } from '../../core/ids.js';
import type { Pager } from '../../core/pager.js';
import { verifyAuditChain } from '../../record/audit-chain.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import { event, testVigil } from '../../../test/support/vigil.js';

const admin: Actor = { kind: 'token', id: 'tok-admin', name: 'admin' };
const alice: Actor = { kind: 'token', id: 'tok-alice', name: 'alice' };
const minute = 60_000;

/** Records each page: who, why, and the idempotency key. A stand-in for the outbox in these core tests. */
class RecordingPager implements Pager {
  readonly pages: { to: string; reason: string; key: string }[] = [];
  async notifyPerson(_tx: unknown, request: { handle: string; reason: string; idempotencyKey: string }) {
    this.pages.push({ to: request.handle, reason: request.reason, key: request.idempotencyKey });
    return [];
  }
  async notifyChannel(_tx: unknown, request: { channel: string; reason: string; idempotencyKey: string }) {
    this.pages.push({ to: `#${request.channel}`, reason: request.reason, key: request.idempotencyKey });
    return [];
  }
  get to(): string[] {
    return this.pages.map((p) => p.to);
  }
}

const exchangePolicy = {
  name: 'exchange-critical',
  levels: [
    { name: 'L1 analyst', targets: [{ schedule: 'crypto-ops' }], timeoutMinutes: 5 },
    { name: 'L2 engineer', targets: [{ person: 'bob' }], timeoutMinutes: 10 },
    { name: 'L3 security', targets: [{ person: 'carol' }, { channel: 'security' }], timeoutMinutes: 15 },
  ],
  repeat: 1,
  onSeverityRise: [{ atLeast: 'SEV1', startAtLevel: 3 }],
};

const cryptoOps = {
  name: 'crypto-ops',
  timeZone: 'UTC',
  layers: [{ name: 'primary', participants: ['alice', 'dave'], rotation: { kind: 'weekly' }, handoffTime: '09:00', start: '2026-11-09' }],
};

async function configure(vigil: Vigil): Promise<void> {
  await vigil.store.write(async (tx) => {
    await vigil.schedules.put(tx, { definition: cryptoOps, actor: admin });
    await vigil.escalations.putPolicy(tx, { definition: exchangePolicy, actor: admin });
    await vigil.escalations.putPolicy(tx, { definition: { name: 'quiet', levels: [{ targets: [{ person: 'erin' }], timeoutMinutes: 60 }] }, actor: admin });
    await vigil.escalations.putRoutes(tx, {
      routes: [
        { match: { services: ['hot-wallet'], severities: ['SEV1', 'SEV2', 'SEV3'] }, policy: 'exchange-critical' },
        { match: { labels: { team: 'data' } }, policy: 'quiet' },
      ],
      actor: admin,
    });
  });
}

describe('Escalation', () => {
  let vigil: Vigil;
  let clock: ManualClock;
  let pager: RecordingPager;
  let integration: Integration;

  beforeEach(async () => {
    pager = new RecordingPager();
    ({ vigil, clock } = await testVigil({ groupWindowMs: 60 * minute }, [], [], pager));
    await configure(vigil);
    const { id } = await vigil.createIntegration({ kind: 'generic', service: 'hot-wallet', actor: admin });
    integration = (await vigil.store.read.getIntegration(id))!;
  });
  afterEach(async () => vigil.close());

  const timeline = async (ref = 'INC-1') => {
    const incident = await vigil.store.read.getIncidentByNumber(Number(ref.slice(4)));
    return (await vigil.store.read.listTimeline(incident!.id)).filter((e) => e.kind.startsWith('escalation.')).map((e) => e.message);
  };
  const ack = (ref = 'INC-1', actor = alice) => vigil.store.write((tx) => vigil.actions.changeStatus(tx, { ref, action: 'acknowledge', actor }));

  it('pages the first level on open, the next level when nobody acknowledges in time, and stops when acknowledged', async () => {
    await vigil.ingest(integration, [event({ severity: 'error' })]);
    expect(pager.to).toEqual(['alice']);
    expect(pager.pages[0]?.reason).toBe('escalation level 1 (L1 analyst)');

    clock.advance(5 * minute - 1);
    await vigil.workers.runOnce();
    expect(pager.to).toEqual(['alice']);

    clock.advance(1);
    await vigil.workers.runOnce();
    expect(pager.to).toEqual(['alice', 'bob']);
    expect(pager.pages[1]?.reason).toBe('escalation level 2 (L2 engineer): nobody acknowledged within 5 min of level 1 (L1 analyst)');

    await ack();
    clock.advance(60 * minute);
    await vigil.workers.runOnce();
    expect(pager.to).toEqual(['alice', 'bob']);
    expect(await vigil.store.read.getEscalation((await vigil.store.read.getIncidentByNumber(1))!.id)).toMatchObject({ status: 'stopped', nextAt: null, reason: 'acknowledged by alice' });
    expect(await timeline()).toEqual([
      'Escalation policy exchange-critical started (incident opened; route matched service hot-wallet, SEV1|SEV2|SEV3)',
      'Escalation level 1 (L1 analyst): paged alice (on call in crypto-ops); level 2 in 5 min unless acknowledged',
      'Escalation level 2 (L2 engineer) (nobody acknowledged within 5 min of level 1 (L1 analyst)): paged bob; level 3 in 10 min unless acknowledged',
      'Escalation stopped at level 2: acknowledged by alice',
    ]);
    expect((await verifyAuditChain(vigil.store.read)).ok).toBe(true);
  });

  it('runs through every level, repeats the policy, then gives up and says so', async () => {
    await vigil.ingest(integration, [event({ severity: 'error' })]);
    for (const wait of [5, 10, 15, 5, 10, 15]) {
      clock.advance(wait * minute);
      await vigil.workers.runOnce();
    }
    expect(pager.to).toEqual(['alice', 'bob', 'carol', '#security', 'alice', 'bob', 'carol', '#security']);
    const messages = await timeline();
    expect(messages.at(-1)).toBe(
      'Escalation exhausted: nobody acknowledged within 15 min of level 3 (L3 security), the last level, after 2 rounds. INC-1 is still unacknowledged.',
    );
    expect(messages).toContain('Escalation level 1 (L1 analyst) (nobody acknowledged within 15 min of level 3 (L3 security); starting round 2 of 2): paged alice (on call in crypto-ops); level 2 in 5 min unless acknowledged');
    clock.advance(60 * minute);
    await vigil.workers.runOnce();
    expect(pager.pages).toHaveLength(8);
    // Every page had its own key: a retried round could not page twice.
    expect(new Set(pager.pages.map((p) => p.key)).size).toBe(8);
  });

  it('pages whoever is on call when the level fires, not when the incident opened', async () => {
    clock.set('2026-11-23T09:01:00Z');
    await vigil.ingest(integration, [event({ severity: 'error', dedupKey: 'a' })]);
    await ack();
    clock.set('2026-11-30T09:01:00Z');
    await vigil.ingest(integration, [event({ severity: 'error', dedupKey: 'b' })]);
    // The weekly rotation handed over from alice to dave at 09:00 on Monday the 30th.
    expect(pager.to).toEqual(['alice', 'dave']);
  });

  it('a severity rise to SEV1 moves an unacknowledged escalation straight to level 3', async () => {
    await vigil.ingest(integration, [event({ severity: 'warning', dedupKey: 'a' })]);
    clock.advance(minute);
    await vigil.ingest(integration, [event({ severity: 'critical', dedupKey: 'b' })]);
    expect(pager.to).toEqual(['alice', 'carol', '#security']);
    expect(pager.pages[1]?.reason).toBe('escalation level 3 (L3 security): severity rose from SEV3 to SEV1');
    clock.advance(15 * minute);
    await vigil.workers.runOnce();
    // From the last level, the next step is the second round.
    expect(pager.to.slice(3)).toEqual(['alice']);
  });

  it('a severity rise on an acknowledged incident tells the higher level once, and no timer restarts', async () => {
    await vigil.ingest(integration, [event({ severity: 'warning', dedupKey: 'a' })]);
    await ack();
    await vigil.store.write((tx) => vigil.actions.setSeverity(tx, { ref: 'INC-1', severity: 'SEV1', actor: alice, reason: 'drain confirmed' }));
    expect(pager.to).toEqual(['alice', 'carol', '#security']);
    clock.advance(120 * minute);
    await vigil.workers.runOnce();
    expect(pager.to).toEqual(['alice', 'carol', '#security']);
    expect((await timeline()).at(-1)).toBe('Escalation level 3 (L3 security) (severity rose from SEV3 to SEV1): paged carol, channel security');
  });

  it('reopening starts the escalation again from the first level', async () => {
    await vigil.ingest(integration, [event({ severity: 'error' })]);
    await vigil.store.write((tx) => vigil.actions.changeStatus(tx, { ref: 'INC-1', action: 'resolve', actor: alice }));
    clock.advance(minute);
    await vigil.store.write((tx) => vigil.actions.changeStatus(tx, { ref: 'INC-1', action: 'reopen', actor: alice }));
    expect(pager.to).toEqual(['alice', 'alice']);
    expect(pager.pages[0]?.key).not.toBe(pager.pages[1]?.key);
  });

  it('routes by labels, and an incident no rule matches is not escalated, with the reason on its timeline', async () => {
    const other = (await vigil.store.read.getIntegration((await vigil.createIntegration({ kind: 'generic', service: 'analytics', actor: admin })).id))!;
    await vigil.ingest(other, [event({ dedupKey: 'x', groupKey: 'x', labels: { team: 'data' } })]);
    await vigil.ingest(other, [event({ dedupKey: 'y', groupKey: 'y', labels: { team: 'web' } })]);
    expect(pager.to).toEqual(['erin']);
    expect(await timeline('INC-2')).toEqual(['No escalation: no routing rule matches INC-2 (service analytics, SEV3)']);
  });
});

describe('Escalation timers', () => {
  it('survive a restart: the next level fires from the store after the process comes back', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'vigil-esc-')), 'vigil.db');
    const clock = new ManualClock('2026-11-23T10:00:00Z');
    const start = async (pager: Pager) =>
      createVigil({ ...defaultConfig }, { clock, ids: sequentialIds(), store: await openSqliteStore({ path, now: () => clock.now() }), pager });
    const before = new RecordingPager();
    const first = await start(before);
    await configure(first);
    const { id } = await first.createIntegration({ kind: 'generic', service: 'hot-wallet', actor: admin });
    await first.ingest((await first.store.read.getIntegration(id))!, [event({ severity: 'error' })]);
    await first.close();
    expect(before.to).toEqual(['alice']);

    clock.advance(7 * minute);
    const after = new RecordingPager();
    const second = await start(after);
    await second.workers.runOnce();
    expect(after.to).toEqual(['bob']);
    await second.close();
  });

  it('two instances running the timers at once page each level once', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'vigil-esc-')), 'vigil.db');
    const clock = new ManualClock('2026-11-23T10:00:00Z');
    const pager = new RecordingPager();
    const open = async () => createVigil({ ...defaultConfig }, { clock, ids: sequentialIds(), store: await openSqliteStore({ path, now: () => clock.now() }), pager });
    const a = await open();
    await configure(a);
    const { id } = await a.createIntegration({ kind: 'generic', service: 'hot-wallet', actor: admin });
    const integration = (await a.store.read.getIntegration(id))!;
    for (let i = 0; i < 5; i++) await a.ingest(integration, [event({ severity: 'error', groupKey: `g${i}`, dedupKey: `d${i}` })]);
    const b = await open();
    clock.advance(5 * minute);
    await Promise.all([a.workers.runOnce(), b.workers.runOnce()]);
    expect(pager.to.filter((to) => to === 'bob')).toHaveLength(5);
    await a.close();
    await b.close();
  });
});

describe('Escalation policies and routing', () => {
  let vigil: Vigil;
  beforeEach(async () => {
    ({ vigil } = await testVigil());
  });
  afterEach(async () => vigil.close());

  it('refuse a policy naming a schedule that does not exist, or a level with no targets, pointing at the field', async () => {
    const put = (definition: unknown) => vigil.store.write((tx) => vigil.escalations.putPolicy(tx, { definition, actor: admin }));
    await expect(put(exchangePolicy)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'levels.0.targets.0.schedule', message: 'no schedule crypto-ops' }] });
    await expect(put({ name: 'x', levels: [{ targets: [], timeoutMinutes: 5 }] })).rejects.toMatchObject({ details: [expect.objectContaining({ path: 'levels.0.targets' })] });
    await expect(put({ name: 'x', levels: [{ targets: [{ person: 'a' }], timeoutMinutes: 0 }] })).rejects.toMatchObject({ details: [expect.objectContaining({ path: 'levels.0.timeoutMinutes' })] });
    await expect(put({ name: 'x', levels: [{ targets: [{ pager: 'a' }], timeoutMinutes: 5 }] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(put({ name: 'x', levels: [{ targets: [{ person: 'a' }], timeoutMinutes: 5 }], onSeverityRise: [{ atLeast: 'SEV1', startAtLevel: 2 }] })).rejects.toMatchObject({
      details: [expect.objectContaining({ path: 'onSeverityRise.0.startAtLevel', message: 'there is no level 2; the policy has 1' })],
    });
  });

  it('refuse routing to a policy that does not exist, and deleting a policy a route uses', async () => {
    await vigil.store.write((tx) => vigil.escalations.putPolicy(tx, { definition: { name: 'p', levels: [{ targets: [{ person: 'a' }], timeoutMinutes: 5 }] }, actor: admin }));
    await expect(vigil.store.write((tx) => vigil.escalations.putRoutes(tx, { routes: [{ policy: 'nope' }], actor: admin }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: '0.policy', message: 'no escalation policy nope' }],
    });
    await vigil.store.write((tx) => vigil.escalations.putRoutes(tx, { routes: [{ policy: 'p' }], actor: admin }));
    await expect(vigil.store.write((tx) => vigil.escalations.deletePolicy(tx, { ref: 'p', actor: admin }))).rejects.toMatchObject({ code: 'CONFLICT' });
    await vigil.store.write((tx) => vigil.escalations.putRoutes(tx, { routes: [], actor: admin }));
    await vigil.store.write((tx) => vigil.escalations.deletePolicy(tx, { ref: 'p', actor: admin }));
    expect(await vigil.store.read.listEscalationPolicies()).toEqual([]);
  });
});
