import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../core/alert.js';
import type { Incident } from '../core/incident.js';
import type { Store } from '../core/store.js';
import { appendAudit, verifyAuditChain } from '../record/audit-chain.js';
import type { InhibitionRule, InhibitionSource } from '../core/inhibition-rule.js';
import type { MaintenanceWindow } from '../core/maintenance-window.js';
import type { MutedAlert } from '../core/muted-alert.js';
import type { Silence } from '../core/silence.js';

/** What a contract run needs from an adapter: a fresh store, and a way to edit rows behind its back. */
export interface StoreUnderTest {
  readonly store: Store;
  /** Runs raw SQL on the same database, as someone tampering by hand would. */
  exec(statement: string): Promise<void>;
  /** Opens a second store on the same database, as a second process would. */
  reopen(): Promise<Store>;
  cleanup(): Promise<void>;
}

const system = { kind: 'system', id: 'vigil', name: 'vigil' } as const;

/** An incident of the `wallets` service, numbered `n` (also the fixture of other store tests). */
export function incident(n: number, overrides: Partial<Incident> = {}): Incident {
  return {
    id: `inc-${n}`,
    number: n,
    title: `Incident ${n}`,
    service: 'wallets',
    groupKey: 'g',
    status: 'triggered',
    severity: 'SEV3',
    assignee: null,
    createdAt: 1_000 * n,
    updatedAt: 1_000 * n,
    acknowledgedAt: null,
    resolvedAt: null,
    reopenedAt: null,
    lastAlertAt: 1_000 * n,
    alertCount: 1,
    ...overrides,
  };
}

export function alert(id: string, incidentId: string, overrides: Partial<Alert> = {}): Alert {
  return {
    id,
    source: 'generic',
    integrationId: 'int-1',
    service: 'wallets',
    dedupKey: `key-${id}`,
    fingerprint: `key-${id}`,
    groupKey: 'g',
    status: 'firing',
    severity: 'warning',
    summary: 'Hot wallet balance low',
    labels: { chain: 'ethereum' },
    annotations: {},
    links: [{ href: 'https://example.test/a', text: 'runbook' }],
    raw: { nested: { value: [1, 'two', null] } },
    incidentId,
    firstSeenAt: 5,
    lastSeenAt: 5,
    resolvedAt: null,
    count: 1,
    ...overrides,
  };
}

// Silences, maintenance windows and inhibition.

export function silence(id: string, overrides: Partial<Silence> = {}): Silence {
  return {
    id,
    matchers: [{ name: 'chain', operator: '=~', value: 'eth.*' }],
    startsAt: 1_000,
    endsAt: 5_000,
    comment: 'node upgrade',
    createdBy: system,
    createdAt: 900,
    updatedAt: 900,
    expiredBy: null,
    reminderSentAt: null,
    ...overrides,
  };
}

export function maintenanceWindow(id: string, overrides: Partial<MaintenanceWindow> = {}): MaintenanceWindow {
  return {
    id,
    name: 'Sunday upgrades',
    service: 'wallets',
    matchers: [{ name: 'env', operator: '!=', value: 'staging' }],
    startsAt: 1_700_000_000_000,
    durationMs: 7_200_000,
    recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=SU', timeZone: 'Europe/Berlin' },
    comment: '',
    createdBy: system,
    createdAt: 1,
    removedAt: null,
    removedBy: null,
    ...overrides,
  };
}

export function inhibitionRule(id: string, overrides: Partial<InhibitionRule> = {}): InhibitionRule {
  return {
    id,
    name: 'halted chain',
    sourceMatchers: [{ name: 'alertname', operator: '=', value: 'ChainHalted' }],
    targetMatchers: [{ name: 'alertname', operator: '=', value: 'WithdrawalStuck' }],
    equal: ['chain'],
    comment: 'c',
    createdBy: system,
    createdAt: 1,
    removedAt: null,
    removedBy: null,
    ...overrides,
  };
}

export function mutedAlert(id: string, overrides: Partial<MutedAlert> = {}): MutedAlert {
  return {
    id,
    source: 'alertmanager',
    integrationId: 'int-1',
    service: 'wallets',
    dedupKey: `key-${id}`,
    fingerprint: `fp-${id}`,
    groupKey: 'g',
    status: 'muted',
    severity: 'error',
    summary: 'Withdrawal stuck',
    labels: { alertname: 'WithdrawalStuck', chain: 'ethereum' },
    annotations: { runbook: 'r' },
    links: [{ href: 'https://example.test/w' }],
    raw: { a: [1, null] },
    reason: { kind: 'inhibition', ruleId: 'rule-1', inhibitorAlertId: 'a1' },
    firstSeenAt: 10,
    lastSeenAt: 10,
    endedAt: null,
    count: 1,
    ...overrides,
  };
}

/**
 * The contract every Store adapter passes. Kysely's DIALECTS loop is the model: one suite, run
 * once per adapter.
 */
export function storeContract(adapter: string, open: () => Promise<StoreUnderTest>): void {
  describe(`Store contract: ${adapter}`, () => {
    let t: StoreUnderTest;
    beforeEach(async () => {
      t = await open();
    });
    afterEach(async () => {
      await t.cleanup();
    });

    it('reads back exactly what a write committed', async () => {
      await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        await tx.insertAlert(alert('a1', 'inc-1'));
      });
      expect(await t.store.read.getIncident('inc-1')).toEqual(incident(1));
      expect(await t.store.read.getIncidentByNumber(1)).toEqual(incident(1));
      expect(await t.store.read.getAlert('a1')).toEqual(alert('a1', 'inc-1'));
      expect(await t.store.read.listAlertsOfIncident('inc-1')).toEqual([alert('a1', 'inc-1')]);
    });

    it('a unit that throws leaves nothing behind, while the units committed beside it stay', async () => {
      const results = await Promise.allSettled([
        t.store.write(async (tx) => tx.insertIncident(incident(1))),
        t.store.write(async (tx) => {
          await tx.insertIncident(incident(2));
          throw new Error('changed my mind');
        }),
        t.store.write(async (tx) => tx.insertIncident(incident(3))),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await t.store.read.getIncident('inc-2')).toBeUndefined();
      expect((await t.store.read.listIncidents({ limit: 10 })).map((i) => i.number)).toEqual([3, 1]);
    });

    it('a unit whose insert the database refuses fails alone, with the database\'s error, however its writes were sent', async () => {
      await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        await tx.insertAlert(alert('a1', 'inc-1', { dedupKey: 'same' }));
      });
      const results = await Promise.allSettled([
        t.store.write(async (tx) => tx.insertIncident(incident(2))),
        t.store.write(async (tx) => {
          await tx.insertIncident(incident(3));
          await tx.insertAlert(alert('a2', 'inc-3', { dedupKey: 'same' }));
          return 'returned before the refusal could be seen';
        }),
        t.store.write(async (tx) => tx.insertIncident(incident(4))),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const refused = (results[1] as PromiseRejectedResult).reason as { code?: unknown };
      expect(refused.code).not.toBe('STORE_UNAVAILABLE');
      expect(await t.store.read.getIncident('inc-3')).toBeUndefined();
      expect(await t.store.read.getAlert('a2')).toBeUndefined();
      expect((await t.store.read.listIncidents({ limit: 10 })).map((i) => i.number)).toEqual([4, 2, 1]);
      // Alone in its transaction too.
      await expect(t.store.write((tx) => tx.insertAlert(alert('a3', 'inc-1', { dedupKey: 'same' })))).rejects.not.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect(await t.store.read.getAlert('a3')).toBeUndefined();
    });

    it('a unit that fails while another of its writes is still on its way keeps neither', async () => {
      const results = await Promise.allSettled([
        t.store.write(async (tx) => tx.insertIncident(incident(1))),
        t.store.write(async (tx) => {
          await Promise.all([
            tx.insertMaintenanceWindow(maintenanceWindow('mw-1')),
            tx.insertMaintenanceWindow(maintenanceWindow('mw-3')),
            tx.insertMaintenanceWindow(maintenanceWindow('mw-4')),
            tx.insertIncident(incident(2)),
            Promise.reject(new Error('changed my mind')),
          ]);
        }),
        t.store.write(async (tx) => tx.insertIncident(incident(3))),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await t.store.read.listMaintenanceWindows({ includeRemoved: true })).toEqual([]);
      expect((await t.store.read.listIncidents({ limit: 10 })).map((i) => i.number)).toEqual([3, 1]);
      // Alone in its transaction too.
      await expect(
        t.store.write(async (tx) => {
          await Promise.all([tx.insertMaintenanceWindow(maintenanceWindow('mw-2')), Promise.reject(new Error('changed my mind'))]);
        }),
      ).rejects.toThrow('changed my mind');
      await t.store.write(async (tx) => tx.insertIncident(incident(4)));
      expect(await t.store.read.getMaintenanceWindow('mw-2')).toBeUndefined();
    });

    it('a read from outside a write never sees what the write has not committed', async () => {
      let outside: Promise<unknown> | undefined;
      const written = t.store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        outside = t.store.read.getIncident('inc-1');
        // Give the read every chance to run while the unit is open.
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('changed my mind');
      });
      await expect(written).rejects.toThrow('changed my mind');
      expect(await outside).toBeUndefined();
      expect(await t.store.read.getIncident('inc-1')).toBeUndefined();
    });

    it('a unit sees its own writes before they are committed', async () => {
      const seen = await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        return tx.getIncident('inc-1');
      });
      expect(seen?.number).toBe(1);
    });

    it('updates what can change of an incident, and given the incident as read, only what differs from it', async () => {
      await t.store.write((tx) => tx.insertIncident(incident(1)));
      // Without `before`: every changeable field; the number and creation time stay as opened.
      await t.store.write((tx) => tx.updateIncident({ ...incident(1), number: 99, createdAt: 5, title: 'renamed', status: 'acknowledged', acknowledgedAt: 2_000 }));
      expect(await t.store.read.getIncident('inc-1')).toEqual({ ...incident(1), title: 'renamed', status: 'acknowledged', acknowledgedAt: 2_000 });
      // With `before`: a field equal in both is not written, even where the stored row differs.
      const read = (await t.store.read.getIncident('inc-1'))!;
      await t.store.write((tx) => tx.updateIncident({ ...read, title: 'stale', alertCount: 7, updatedAt: 3_000 }, { ...read, title: 'stale' }));
      expect(await t.store.read.getIncident('inc-1')).toEqual({ ...read, alertCount: 7, updatedAt: 3_000 });
      // Nothing different: nothing written.
      await t.store.write((tx) => tx.updateIncident(read, read));
      expect((await t.store.read.getIncident('inc-1'))?.alertCount).toBe(7);
    });

    it('refuses a second firing alert with the same dedup key for the same integration', async () => {
      await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        await tx.insertAlert(alert('a1', 'inc-1', { dedupKey: 'same' }));
      });
      await expect(t.store.write((tx) => tx.insertAlert(alert('a2', 'inc-1', { dedupKey: 'same' })))).rejects.toThrow();
      // A resolved alert with the key does not block a new firing one.
      await t.store.write(async (tx) => {
        const a1 = await tx.findFiringAlert('int-1', 'same');
        await tx.updateAlert({ ...a1!, status: 'resolved', resolvedAt: 9 });
        await tx.insertAlert(alert('a3', 'inc-1', { dedupKey: 'same', firstSeenAt: 10 }));
      });
      const latest = await t.store.write((tx) => tx.findLatestAlert('int-1', 'same'));
      expect(latest?.id).toBe('a3');
    });

    it('finds the open incident of a group and counts its firing alerts', async () => {
      await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1, { status: 'resolved', resolvedAt: 2_000 }));
        await tx.insertIncident(incident(2, { status: 'acknowledged', acknowledgedAt: 2_500 }));
        await tx.insertAlert(alert('a1', 'inc-2'));
        await tx.insertAlert(alert('a2', 'inc-2', { status: 'resolved', resolvedAt: 6 }));
      });
      const found = await t.store.write(async (tx) => ({
        open: await tx.findOpenIncident('wallets', 'g'),
        none: await tx.findOpenIncident('wallets', 'other'),
        firing: await tx.countFiringAlerts('inc-2'),
        next: await tx.nextIncidentNumber(),
      }));
      expect(found).toEqual({ open: incident(2, { status: 'acknowledged', acknowledgedAt: 2_500 }), none: undefined, firing: 1, next: 3 });
    });

    it('indexes inhibition sources by rule and equal key: alerts in incidents first, oldest first, only while they fire, never the target itself', async () => {
      const entry = (sourceId: string, overrides: Partial<InhibitionSource> = {}): InhibitionSource => ({
        ruleId: 'r1',
        sourceId,
        kind: 'alert',
        integrationId: 'int-1',
        dedupKey: `key-${sourceId}`,
        equalKey: '["ethereum"]',
        since: 10,
        ...overrides,
      });
      await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        for (const id of ['s1', 's2', 's3']) await tx.insertAlert(alert(id, 'inc-1'));
        await tx.insertMutedAlert(mutedAlert('m1', { dedupKey: 'key-m1' }));
        await tx.replaceInhibitionSources('s1', [entry('s1', { since: 20 }), entry('s1', { ruleId: 'r2' })]);
        await tx.replaceInhibitionSources('s2', [entry('s2')]);
        await tx.replaceInhibitionSources('s3', [entry('s3', { since: 5, equalKey: '["bitcoin"]' })]);
        // Older than every alert, but muted: named only when no alert in an incident inhibits.
        await tx.replaceInhibitionSources('m1', [entry('m1', { kind: 'muted', since: 1 })]);
      });
      const find = (ruleId: string, key: string, dedupKey = 'other') => t.store.read.findInhibitionSource(ruleId, key, { integrationId: 'int-1', dedupKey });
      expect(await find('r1', '["ethereum"]')).toEqual(entry('s2'));
      expect((await find('r1', '["ethereum"]', 'key-s2'))?.sourceId).toBe('s1');
      expect((await find('r1', '["bitcoin"]'))?.sourceId).toBe('s3');
      expect(await find('r1', '["solana"]')).toBeUndefined();
      // Replacing a source's entries drops its old ones.
      await t.store.write((tx) => tx.replaceInhibitionSources('s2', []));
      expect((await find('r1', '["ethereum"]'))?.sourceId).toBe('s1');
      // An entry whose source no longer fires (a writer that does not keep the index) counts for nothing.
      await t.store.write(async (tx) => tx.updateAlert(alert('s1', 'inc-1', { status: 'resolved', resolvedAt: 30 })));
      expect(await find('r1', '["ethereum"]')).toEqual(entry('m1', { kind: 'muted', since: 1 }));
      await t.store.write((tx) => tx.deleteInhibitionSources({ ruleId: 'r1' }));
      expect(await find('r1', '["ethereum"]')).toBeUndefined();
      await t.store.write(async (tx) => tx.updateAlert(alert('s1', 'inc-1')));
      expect((await find('r2', '["ethereum"]'))?.sourceId).toBe('s1');
      await t.store.write((tx) => tx.deleteInhibitionSources('all'));
      expect(await find('r2', '["ethereum"]')).toBeUndefined();
    });

    it('knows whether an inhibition rule is in force and whether the inhibition index was built', async () => {
      expect(await t.store.read.inhibitionRulesInForce()).toBe(false);
      expect(await t.store.read.inhibitionIndexBuilt()).toBe(false);
      await t.store.write(async (tx) => {
        await tx.insertInhibitionRule(inhibitionRule('rule-1'));
        await tx.markInhibitionIndexBuilt(7);
        await tx.markInhibitionIndexBuilt(8);
      });
      expect(await t.store.read.inhibitionRulesInForce()).toBe(true);
      expect(await t.store.read.inhibitionIndexBuilt()).toBe(true);
      await t.store.write((tx) => tx.updateInhibitionRule({ ...inhibitionRule('rule-1'), removedAt: 9, removedBy: system }));
      expect(await t.store.read.inhibitionRulesInForce()).toBe(false);
    });

    it('lists incidents newest first with filters on status, severity, service and time', async () => {
      await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1, { severity: 'SEV1' }));
        await tx.insertIncident(incident(2, { service: 'nodes', status: 'resolved' }));
        await tx.insertIncident(incident(3, { status: 'acknowledged' }));
      });
      const numbers = async (filter: Parameters<Store['read']['listIncidents']>[0]) =>
        (await t.store.read.listIncidents(filter)).map((i) => i.number);
      expect(await numbers({ limit: 10 })).toEqual([3, 2, 1]);
      expect(await numbers({ limit: 10, statuses: ['triggered', 'acknowledged'] })).toEqual([3, 1]);
      expect(await numbers({ limit: 10, severities: ['SEV1'] })).toEqual([1]);
      expect(await numbers({ limit: 10, service: 'nodes' })).toEqual([2]);
      expect(await numbers({ limit: 10, since: 2_000, until: 3_000 })).toEqual([2]);
      expect(await numbers({ limit: 1, beforeNumber: 3 })).toEqual([2]);
      expect(await t.store.read.countOpenIncidentsBySeverity()).toEqual({ SEV1: 1, SEV2: 0, SEV3: 1, SEV4: 0, SEV5: 0 });
    });

    it('keeps the timeline in the order it was written, to the millisecond', async () => {
      await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        await tx.insertTimelineEntry({ id: '01B', incidentId: 'inc-1', at: 1_700_000_000_123, actor: system, kind: 'incident.note', message: 'second', body: { n: 2 } });
        await tx.insertTimelineEntry({ id: '01A', incidentId: 'inc-1', at: 1_700_000_000_122, actor: system, kind: 'incident.triggered', message: 'first', body: {} });
      });
      const timeline = await t.store.read.listTimeline('inc-1');
      expect(timeline.map((e) => [e.message, e.at])).toEqual([
        ['first', 1_700_000_000_122],
        ['second', 1_700_000_000_123],
      ]);
      expect(timeline[1]?.body).toEqual({ n: 2 });
    });

    it('chains concurrent audit appends without a fork, and the chain verifies', async () => {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          t.store.write((tx) => appendAudit(tx, { at: i, actor: system, action: 'test.append', subject: `n:${i}`, data: { i, text: 'ünïcode ✓' } })),
        ),
      );
      const result = await verifyAuditChain(t.store.read, 7);
      expect(result).toMatchObject({ ok: true, records: 50 });
    });

    it('detects a record changed by hand, naming the first record that does not verify', async () => {
      for (let i = 0; i < 5; i++) {
        await t.store.write((tx) => appendAudit(tx, { at: i, actor: system, action: 'test.append', subject: `n:${i}`, data: { i } }));
      }
      await t.exec(`update audit_records set data = '{"i":99}' where seq = 3`);
      expect(await verifyAuditChain(t.store.read)).toMatchObject({ ok: false, records: 2, failure: { seq: 3, reason: 'hash_mismatch' } });
    });

    it('detects a record deleted from the middle of the chain', async () => {
      for (let i = 0; i < 5; i++) {
        await t.store.write((tx) => appendAudit(tx, { at: i, actor: system, action: 'test.append', subject: `n:${i}`, data: { i } }));
      }
      await t.exec(`delete from audit_records where seq = 2`);
      expect(await verifyAuditChain(t.store.read)).toMatchObject({ ok: false, records: 1, failure: { seq: 2, reason: 'sequence_gap' } });
    });

    it('stores tokens and integrations by hash only', async () => {
      await t.store.write(async (tx) => {
        await tx.insertApiToken({ id: 't1', name: 'ops', role: 'responder', secretHash: 'h1', createdAt: 1, revokedAt: null });
        await tx.insertIntegration({ id: 'i1', kind: 'alertmanager', service: 'nodes', name: 'am', keyHash: 'k1', createdAt: 1, revokedAt: null });
      });
      expect(await t.store.read.findApiTokenByHash('h1')).toMatchObject({ id: 't1', role: 'responder' });
      expect(await t.store.read.findApiTokenByHash('nope')).toBeUndefined();
      expect(await t.store.read.getApiToken('t1')).toMatchObject({ id: 't1', name: 'ops' });
      expect(await t.store.read.getApiToken('t9')).toBeUndefined();
      expect(await t.store.read.countApiTokens()).toBe(1);
      expect(await t.store.read.findIntegrationByKeyHash('k1')).toMatchObject({ id: 'i1', kind: 'alertmanager' });
      expect(await t.store.read.listIntegrations()).toHaveLength(1);
    });

    it('opening the same database again applies no migration twice and keeps the data', async () => {
      await t.store.write((tx) => tx.insertIncident(incident(1)));
      // One after the other: two stores in one thread cannot wait on each other's lock. Opening
      // from two processes at once is tested per adapter with real processes.
      const second = await t.reopen();
      const third = await t.reopen();
      try {
        expect(await second.read.getIncident('inc-1')).toEqual(incident(1));
        expect(await third.read.countAlerts()).toBe(0);
      } finally {
        await second.close();
        await third.close();
      }
    });

    it('keeps impact scores and incident facts per incident; a fact with the same key replaces the old one and keeps its id', async () => {
      const score = { total: 60, severity: 'SEV2', scoredSeverity: 'SEV2', breakdown: [] } as const;
      await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        await tx.insertImpactScore('inc-1', score, 5);
        await tx.putImpactScore('inc-1', { ...score, total: 70 }, 6);
        const body = { kind: 'funds_movement', chain: 'ethereum', txHash: '0xAB', origin: '0x1', destination: '0x2', destinationType: 'mixer', value: { amount: 123456789012345678901234567890n, asset: 'ETH', decimals: 18 }, recovery: 'not_started' } as const;
        await tx.putIncidentFact({ id: 'f1', incidentId: 'inc-1', key: 'ethereum:0xab:0x1:0x2', body, actor: 'cli:me', createdAt: 10, updatedAt: 10 });
        const replaced = await tx.putIncidentFact({ id: 'f2', incidentId: 'inc-1', key: 'ethereum:0xab:0x1:0x2', body: { ...body, recovery: 'frozen' }, actor: 'cli:you', createdAt: 20, updatedAt: 20 });
        expect(replaced).toMatchObject({ id: 'f1', createdAt: 10, updatedAt: 20 });
      });
      expect(await t.store.read.getImpactScore('inc-1')).toEqual({ score: { ...score, total: 70 }, updatedAt: 6 });
      expect(await t.store.read.getImpactScore('inc-2')).toBeUndefined();
      const facts = await t.store.read.listIncidentFacts('inc-1');
      expect(facts).toHaveLength(1);
      expect(facts[0]).toMatchObject({ id: 'f1', actor: 'cli:you', body: { recovery: 'frozen', value: { amount: 123456789012345678901234567890n } } });
    });

    it('stores escalation policies, routes and escalations, and lists only active ones that are due, soonest first', async () => {
      const policy = { name: 'exchange', levels: [{ name: 'L1', targets: [{ kind: 'person', handle: 'alice' }], timeoutMinutes: 5 }], repeat: 1, onSeverityRise: [] } as const;
      await t.store.write(async (tx) => {
        for (const n of [1, 2, 3, 4]) await tx.insertIncident(incident(n));
        await tx.putEscalationPolicy({ id: 'p1', policy, createdAt: 1, updatedAt: 1 });
        await tx.putEscalationPolicy({ id: 'p1', policy: { ...policy, repeat: 2 }, createdAt: 1, updatedAt: 2 });
        await tx.putEscalationRoutes([{ match: { services: ['wallets'], severities: ['SEV1'] }, policy: 'exchange' }], 3);
        const escalation = { incidentId: 'inc-1', policyId: 'p1', policyName: 'exchange', level: 0, round: 0, status: 'active', nextAt: 300, startedAt: 0, updatedAt: 0, reason: 'opened' } as const;
        await tx.putEscalation(escalation);
        await tx.putEscalation({ ...escalation, incidentId: 'inc-2', nextAt: 100 });
        await tx.putEscalation({ ...escalation, incidentId: 'inc-3', nextAt: 50, status: 'stopped' });
        await tx.putEscalation({ ...escalation, incidentId: 'inc-4', nextAt: 900 });
        await tx.putEscalation({ ...escalation, incidentId: 'inc-1', nextAt: 200, level: 1 });
      });
      expect(await t.store.read.findEscalationPolicy('exchange')).toMatchObject({ id: 'p1', policy: { repeat: 2 }, updatedAt: 2 });
      expect(await t.store.read.findEscalationPolicy('p1')).toMatchObject({ id: 'p1' });
      expect(await t.store.read.listEscalationPolicies()).toHaveLength(1);
      expect(await t.store.read.getEscalationRoutes()).toEqual([{ match: { services: ['wallets'], severities: ['SEV1'] }, policy: 'exchange' }]);
      expect(await t.store.read.getEscalation('inc-1')).toMatchObject({ level: 1, nextAt: 200 });
      await t.store.write(async (tx) => {
        expect((await tx.listDueEscalations(250, 10)).map((e) => e.incidentId)).toEqual(['inc-2', 'inc-1']);
        expect((await tx.listDueEscalations(250, 1)).map((e) => e.incidentId)).toEqual(['inc-2']);
        await tx.deleteEscalationPolicy('p1');
      });
      expect(await t.store.read.listEscalationPolicies()).toEqual([]);
    });

    it('stores silences and lists them by state at a time', async () => {
      await t.store.write(async (tx) => {
        await tx.insertSilence(silence('s1'));
        await tx.insertSilence(silence('s2', { startsAt: 3_000, endsAt: 9_000, expiredBy: system }));
      });
      expect(await t.store.read.getSilence('s1')).toEqual(silence('s1'));
      const ids = async (state: 'pending' | 'active' | 'expired' | undefined, at: number) =>
        (await t.store.read.listSilences(state === undefined ? { at } : { state, at })).map((s) => s.id);
      expect(await ids('active', 2_000)).toEqual(['s1']);
      expect(await ids('pending', 2_000)).toEqual(['s2']);
      expect(await ids('active', 4_000)).toEqual(['s2', 's1']);
      expect(await ids('expired', 5_000)).toEqual(['s1']);
      expect(await ids(undefined, 5_000)).toEqual(['s2', 's1']);
      expect(await t.store.read.listSilences({ at: 0, limit: 1 })).toHaveLength(1);
      await t.store.write((tx) => tx.updateSilence(silence('s1', { endsAt: 2_500, updatedAt: 2_500 })));
      expect((await t.store.read.getSilence('s1'))?.endsAt).toBe(2_500);
    });

    it('finds the active silences due for a reminder, once', async () => {
      await t.store.write(async (tx) => {
        await tx.insertSilence(silence('ending', { endsAt: 5_000 }));
        await tx.insertSilence(silence('later', { endsAt: 50_000 }));
        await tx.insertSilence(silence('pending', { startsAt: 4_500, endsAt: 5_000 }));
        await tx.insertSilence(silence('reminded', { endsAt: 5_000, reminderSentAt: 3_000 }));
      });
      const due = await t.store.read.listSilencesDueForReminder({ now: 4_000, leadMs: 1_000 });
      expect(due.map((s) => s.id)).toEqual(['ending']);
      expect(await t.store.write((tx) => tx.listSilencesDueForReminder({ now: 4_000, leadMs: 1_000 }))).toEqual(due);
      expect(await t.store.read.listSilencesDueForReminder({ now: 5_000, leadMs: 1_000 })).toEqual([]);
    });

    it('stores maintenance windows, one-off and recurring, and lists the live ones of a service', async () => {
      const once = maintenanceWindow('w2', { service: 'nodes', recurrence: null, matchers: [], createdAt: 2 });
      await t.store.write(async (tx) => {
        await tx.insertMaintenanceWindow(maintenanceWindow('w1'));
        await tx.insertMaintenanceWindow(once);
      });
      expect(await t.store.read.getMaintenanceWindow('w1')).toEqual(maintenanceWindow('w1'));
      expect(await t.store.read.getMaintenanceWindow('w2')).toEqual(once);
      await t.store.write((tx) => tx.updateMaintenanceWindow(maintenanceWindow('w1', { removedAt: 5, removedBy: system })));
      expect((await t.store.read.listMaintenanceWindows({ includeRemoved: false })).map((w) => w.id)).toEqual(['w2']);
      expect((await t.store.read.listMaintenanceWindows({ includeRemoved: true })).map((w) => w.id)).toEqual(['w1', 'w2']);
      expect((await t.store.read.listMaintenanceWindows({ includeRemoved: true, service: 'wallets' })).map((w) => w.id)).toEqual(['w1']);
    });

    it('stores inhibition rules and lists the live ones', async () => {
      await t.store.write(async (tx) => {
        await tx.insertInhibitionRule(inhibitionRule('r1'));
        await tx.insertInhibitionRule(inhibitionRule('r2', { createdAt: 2, equal: [] }));
      });
      expect(await t.store.read.getInhibitionRule('r1')).toEqual(inhibitionRule('r1'));
      await t.store.write((tx) => tx.updateInhibitionRule(inhibitionRule('r1', { removedAt: 3, removedBy: system })));
      expect((await t.store.read.listInhibitionRules({ includeRemoved: false })).map((r) => r.id)).toEqual(['r2']);
      expect((await t.store.read.listInhibitionRules({ includeRemoved: true })).map((r) => r.id)).toEqual(['r1', 'r2']);
    });

    it('keeps one muted row per firing alert and lists muted alerts by what muted them', async () => {
      const bySilence = mutedAlert('m2', { dedupKey: 'k2', reason: { kind: 'silence', silenceId: 's1' }, lastSeenAt: 20 });
      expect(await t.store.write((tx) => tx.findMutedAlert('int-1', 'k1'))).toBeUndefined();
      await t.store.write(async (tx) => {
        await tx.insertMutedAlert(mutedAlert('m1', { dedupKey: 'k1' }));
        await tx.insertMutedAlert(bySilence);
      });
      await expect(t.store.write((tx) => tx.insertMutedAlert(mutedAlert('m3', { dedupKey: 'k1' })))).rejects.toThrow();
      expect(await t.store.read.getMutedAlert('m1')).toEqual(mutedAlert('m1', { dedupKey: 'k1' }));
      expect(await t.store.write((tx) => tx.findMutedAlert('int-1', 'k2'))).toEqual(bySilence);
      const ids = async (filter: Omit<Parameters<Store['read']['listMutedAlerts']>[0], 'limit'>) =>
        (await t.store.read.listMutedAlerts({ ...filter, limit: 10 })).map((m) => m.id);
      expect(await ids({})).toEqual(['m2', 'm1']);
      expect(await ids({ kind: 'silence', reasonId: 's1' })).toEqual(['m2']);
      expect(await ids({ kind: 'inhibition', reasonId: 'rule-1' })).toEqual(['m1']);
      await t.store.write((tx) => tx.updateMutedAlert(mutedAlert('m1', { dedupKey: 'k1', status: 'resolved', endedAt: 30, lastSeenAt: 30 })));
      expect(await t.store.write((tx) => tx.findMutedAlert('int-1', 'k1'))).toBeUndefined();
      expect(await ids({ status: 'muted' })).toEqual(['m2']);
      // Once it is no longer muted, the same key may be muted again.
      await t.store.write((tx) => tx.insertMutedAlert(mutedAlert('m3', { dedupKey: 'k1', lastSeenAt: 40 })));
      expect(await ids({ status: 'muted' })).toEqual(['m3', 'm2']);
    });

    it('lists the firing alerts of every incident', async () => {
      await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        await tx.insertAlert(alert('a1', 'inc-1', { firstSeenAt: 1 }));
        await tx.insertAlert(alert('a2', 'inc-1', { status: 'resolved', resolvedAt: 6 }));
        await tx.insertAlert(alert('a3', 'inc-1', { firstSeenAt: 7 }));
      });
      expect((await t.store.read.listFiringAlerts()).map((a) => a.id)).toEqual(['a1', 'a3']);
    });

    // Incident roles, updates and the status page.

    it('keeps role assignments with their history, and releases one without touching the others', async () => {
      const alice = { id: 'r1', incidentId: 'inc-1', role: 'incident_commander', person: 'alice', assignedAt: 10, assignedBy: system, releasedAt: null, releasedBy: null } as const;
      const bob = { ...alice, id: 'r2', role: 'technical_specialist', person: 'bob', assignedAt: 11 } as const;
      await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        await tx.insertRoleAssignment(alice);
        await tx.insertRoleAssignment(bob);
        await tx.updateRoleAssignment({ ...alice, releasedAt: 20, releasedBy: { kind: 'chat', id: 'slack:T1:U1', name: 'carol' } });
      });
      expect(await t.store.read.listRoleAssignments('inc-1')).toEqual([
        { ...alice, releasedAt: 20, releasedBy: { kind: 'chat', id: 'slack:T1:U1', name: 'carol' } },
        bob,
      ]);
      expect(await t.store.read.listRoleAssignments('inc-2')).toEqual([]);
    });

    it('refuses the same person holding the same role twice at once', async () => {
      const a = { id: 'r1', incidentId: 'inc-1', role: 'scribe', person: 'alice', assignedAt: 10, assignedBy: system, releasedAt: null, releasedBy: null } as const;
      await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        await tx.insertRoleAssignment(a);
      });
      await expect(t.store.write((tx) => tx.insertRoleAssignment({ ...a, id: 'r2' }))).rejects.toThrow();
      // Once released, the same person may take the role again.
      await t.store.write(async (tx) => {
        await tx.updateRoleAssignment({ ...a, releasedAt: 11, releasedBy: system });
        await tx.insertRoleAssignment({ ...a, id: 'r3', assignedAt: 12 });
      });
      expect((await t.store.read.listRoleAssignments('inc-1')).map((r) => r.id)).toEqual(['r1', 'r3']);
    });

    it('stores incident updates oldest first and one reminder per incident, replaced on put', async () => {
      await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        await tx.insertIncidentUpdate({ id: 'u2', incidentId: 'inc-1', audience: 'stakeholders', body: 'Withdrawals paused ✓', actor: system, at: 20 });
        await tx.insertIncidentUpdate({ id: 'u1', incidentId: 'inc-1', audience: 'internal', body: 'Looking at the signer', actor: system, at: 10 });
        await tx.putCommsReminder({ incidentId: 'inc-1', sinceAt: 1_000, period: 1, at: 30 });
        await tx.putCommsReminder({ incidentId: 'inc-1', sinceAt: 1_000, period: 2, at: 40 });
      });
      expect((await t.store.read.listIncidentUpdates('inc-1')).map((u) => [u.id, u.audience, u.body])).toEqual([
        ['u1', 'internal', 'Looking at the signer'],
        ['u2', 'stakeholders', 'Withdrawals paused ✓'],
      ]);
      expect(await t.store.read.getCommsReminder('inc-1')).toEqual({ incidentId: 'inc-1', sinceAt: 1_000, period: 2, at: 40 });
      expect(await t.store.read.getCommsReminder('inc-2')).toBeUndefined();
    });

    it('puts, lists and deletes status components, one name per service', async () => {
      const api = { id: 'c1', service: 'wallets', name: 'API', description: 'REST and WebSocket', status: 'operational', position: 1, createdAt: 1, updatedAt: 1 } as const;
      const deposits = { ...api, id: 'c2', name: 'Deposits', position: 0 } as const;
      const other = { ...api, id: 'c3', service: 'nodes' } as const;
      await t.store.write(async (tx) => {
        await tx.putStatusComponent(api);
        await tx.putStatusComponent(deposits);
        await tx.putStatusComponent(other);
        await tx.putStatusComponent({ ...api, status: 'major_outage', updatedAt: 5 });
      });
      expect(await t.store.read.listStatusComponents('wallets')).toEqual([deposits, { ...api, status: 'major_outage', updatedAt: 5 }]);
      expect(await t.store.read.listStatusComponents()).toHaveLength(3);
      expect(await t.store.read.getStatusComponent('c3')).toEqual(other);
      await expect(t.store.write((tx) => tx.putStatusComponent({ ...api, id: 'c4' }))).rejects.toThrow();
      await t.store.write((tx) => tx.deleteStatusComponent('c1'));
      expect(await t.store.read.getStatusComponent('c1')).toBeUndefined();
    });

    it('lists status posts per incident, and per service every post of the incidents posted about since a time', async () => {
      const post = (id: string, incidentId: string, at: number, service = 'wallets') =>
        ({ id, incidentId, service, title: 'Delayed withdrawals', state: 'investigating', message: 'We are looking into it', components: [{ componentId: 'c1', status: 'partial_outage' }], publishedBy: 'alice', actor: system, at }) as const;
      await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        await tx.insertIncident(incident(2));
        await tx.insertIncident(incident(3, { service: 'nodes' }));
        await tx.insertStatusPost({ ...post('p1', 'inc-1', 100), state: 'resolved' });
        await tx.insertStatusPost(post('p2', 'inc-2', 200));
        await tx.insertStatusPost(post('p3', 'inc-2', 300));
        await tx.insertStatusPost(post('p4', 'inc-3', 300, 'nodes'));
        // inc-4 was resolved long ago; inc-5 is still open with only an old post.
        await tx.insertIncident(incident(4));
        await tx.insertIncident(incident(5));
        await tx.insertStatusPost(post('p0', 'inc-4', 10));
        await tx.insertStatusPost({ ...post('p01', 'inc-4', 20), state: 'resolved' });
        await tx.insertStatusPost(post('p02', 'inc-5', 30));
      });
      expect(await t.store.read.listStatusPostsOfIncident('inc-2')).toEqual([post('p2', 'inc-2', 200), post('p3', 'inc-2', 300)]);
      expect((await t.store.read.listStatusPostsOfIncident('inc-1'))[0]?.state).toBe('resolved');
      expect((await t.store.read.listStatusPostsOfService('wallets', 0)).map((p) => p.id)).toEqual(['p0', 'p01', 'p02', 'p1', 'p2', 'p3']);
      // inc-2 had a post after 250, so its earlier post comes too; inc-1 and inc-4 did not; inc-5 is still open.
      expect((await t.store.read.listStatusPostsOfService('wallets', 250)).map((p) => p.id)).toEqual(['p02', 'p2', 'p3']);
    });

    it('keeps the person a token was issued to', async () => {
      await t.store.write(async (tx) => {
        await tx.insertApiToken({ id: 't1', name: 'alice laptop', role: 'responder', secretHash: 'h1', createdAt: 1, revokedAt: null, person: 'alice' });
        await tx.insertApiToken({ id: 't2', name: 'deploy bot', role: 'responder', secretHash: 'h2', createdAt: 1, revokedAt: null });
      });
      expect((await t.store.read.findApiTokenByHash('h1'))?.person).toBe('alice');
      expect(await t.store.read.findApiTokenByHash('h2')).not.toHaveProperty('person');
    });

    // Playbooks and approvals (issue 4, parts 7 and 8).

    it('stores playbooks by name, replacing one put again, and playbook runs once per playbook per incident', async () => {
      const playbook = { name: 'drain', title: 'Drain', description: 'd', match: [{ types: ['HotWalletDrain'] }], steps: [] };
      await t.store.write(async (tx) => {
        await tx.putPlaybook({ playbook, sourceText: 'name: drain', createdAt: 1, updatedAt: 1, updatedBy: system });
        await tx.putPlaybook({ playbook: { ...playbook, title: 'Drain v2' }, sourceText: 'name: drain # v2', createdAt: 1, updatedAt: 2, updatedBy: system });
      });
      expect(await t.store.read.listPlaybooks()).toEqual([{ playbook: { ...playbook, title: 'Drain v2' }, sourceText: 'name: drain # v2', createdAt: 1, updatedAt: 2, updatedBy: system }]);
      expect(await t.store.read.getPlaybook('nope')).toBeUndefined();

      const run = {
        id: 'run-1',
        incidentId: 'inc-1',
        playbook,
        source: 'api' as const,
        matched: 'type=hotwalletdrain',
        attachedBy: system,
        attachedAt: 5,
        steps: [{ stepId: 'a', status: 'pending' as const, by: null, at: null }],
        status: 'in_progress' as const,
        updatedAt: 5,
      };
      await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        await tx.insertPlaybookRun(run);
      });
      await expect(t.store.write((tx) => tx.insertPlaybookRun({ ...run, id: 'run-2' }))).rejects.toMatchObject({ code: 'CONFLICT' });
      const done = { ...run, steps: [{ stepId: 'a', status: 'completed' as const, by: system, at: 9, output: 'ok', evidence: { tx: '0x1' }, checks: { c: true } }], status: 'completed' as const, updatedAt: 9 };
      await t.store.write((tx) => tx.updatePlaybookRun(done));
      expect(await t.store.read.listPlaybookRuns('inc-1')).toEqual([done]);
      expect(await t.store.read.getPlaybookRun('run-1')).toEqual(done);
      expect(await t.store.read.getPlaybookRun('run-2')).toBeUndefined();
    });

    it('keeps one live key per approver, finds revoked keys by fingerprint, and stores policies', async () => {
      const key = { id: 'k1', handle: 'alice', publicKey: 'PEM-1', fingerprint: 'f1', createdAt: 1, revokedAt: null };
      await t.store.write((tx) => tx.insertApprover(key));
      await expect(t.store.write((tx) => tx.insertApprover({ ...key, id: 'k2', fingerprint: 'f2' }))).rejects.toMatchObject({ code: 'CONFLICT' });
      await t.store.write(async (tx) => {
        await tx.updateApprover({ ...key, revokedAt: 3 });
        await tx.insertApprover({ ...key, id: 'k2', fingerprint: 'f2', createdAt: 4 });
      });
      expect(await t.store.read.getApprover('alice')).toMatchObject({ id: 'k2' });
      expect(await t.store.read.findApproverKey('f1')).toEqual({ ...key, revokedAt: 3 });
      expect((await t.store.read.listApprovers({ includeRevoked: false })).map((a) => a.id)).toEqual(['k2']);
      expect((await t.store.read.listApprovers({ includeRevoked: true })).map((a) => a.id)).toEqual(['k1', 'k2']);

      const policy = { action: 'resume_withdrawals', m: 2, approvers: ['alice', 'bob', 'carol'], description: 'Resume', updatedAt: 1 };
      await t.store.write(async (tx) => {
        await tx.putApprovalPolicy(policy);
        await tx.putApprovalPolicy({ ...policy, m: 3, updatedAt: 2 });
      });
      expect(await t.store.read.listApprovalPolicies()).toEqual([{ ...policy, m: 3, updatedAt: 2 }]);
      expect(await t.store.read.getApprovalPolicy('unpause_contract')).toBeUndefined();
    });

    it('stores approval requests and one signature per approver per request', async () => {
      const request = {
        id: 'req-1',
        incidentId: 'inc-1',
        action: 'resume_withdrawals',
        parameters: { chain: 'bitcoin' },
        reason: 'fixed',
        requester: system,
        nonce: 'n1',
        m: 2,
        approvers: ['alice', 'bob'],
        createdAt: 10,
        expiresAt: 100,
        status: 'pending' as const,
        decidedAt: null,
        executedAt: null,
        executedBy: null,
        output: null,
      };
      await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        await tx.insertApprovalRequest(request);
        await tx.insertApprovalRequest({ ...request, id: 'req-2', incidentId: null, action: 'unpause_contract', createdAt: 11 });
      });
      const signature = { id: 's1', requestId: 'req-1', approver: 'alice', decision: 'approve' as const, signature: 'c2ln', keyFingerprint: 'f1', comment: null, at: 12 };
      await t.store.write((tx) => tx.insertApprovalSignature(signature));
      await expect(t.store.write((tx) => tx.insertApprovalSignature({ ...signature, id: 's2' }))).rejects.toMatchObject({ code: 'CONFLICT' });
      const executed = { ...request, status: 'executed' as const, decidedAt: 13, executedAt: 14, executedBy: system, output: 'done' };
      await t.store.write((tx) => tx.updateApprovalRequest(executed));

      expect(await t.store.read.getApprovalRequest('req-1')).toEqual(executed);
      expect((await t.store.read.listApprovalRequests({ limit: 10 })).map((r) => r.id)).toEqual(['req-2', 'req-1']);
      expect((await t.store.read.listApprovalRequests({ incidentId: 'inc-1', action: 'resume_withdrawals', statuses: ['approved', 'executed'], limit: 10 })).map((r) => r.id)).toEqual(['req-1']);
      expect(await t.store.read.listApprovalRequests({ statuses: ['pending'], action: 'resume_withdrawals', limit: 10 })).toEqual([]);
      expect(await t.store.read.listApprovalSignatures('req-1')).toEqual([signature]);
    });

    it('says whether anything could mute an alert of a service at a time, in one query', async () => {
      const inForce = (at: number, service = 'wallets') => t.store.read.mutingInForce({ at, service });
      expect(await inForce(2_000)).toBe(false);
      await t.store.write((tx) => tx.insertSilence(silence('s1')));
      expect(await inForce(2_000)).toBe(true);
      expect(await inForce(5_000)).toBe(false);
      await t.store.write((tx) => tx.insertMaintenanceWindow(maintenanceWindow('w1')));
      expect(await inForce(5_000)).toBe(true);
      expect(await inForce(5_000, 'nodes')).toBe(false);
      await t.store.write((tx) => tx.updateMaintenanceWindow({ ...maintenanceWindow('w1'), removedAt: 3_000 }));
      expect(await inForce(5_000)).toBe(false);
      await t.store.write((tx) => tx.insertInhibitionRule(inhibitionRule('r1')));
      expect(await inForce(5_000, 'nodes')).toBe(true);
      // A write transaction answers the same (it asks a wider question, to remember quiet spells).
      await t.store.write(async (tx) => {
        expect(await tx.mutingInForce({ at: 5_000, service: 'nodes' })).toBe(true);
        await tx.updateInhibitionRule(inhibitionRule('r1', { removedAt: 6_000, removedBy: system }));
        expect(await tx.mutingInForce({ at: 2_000, service: 'nodes' })).toBe(true);
        expect(await tx.mutingInForce({ at: 5_000, service: 'nodes' })).toBe(false);
        expect(await tx.mutingInForce({ at: 6_000, service: 'nodes' })).toBe(false);
      });
    });

    it('keeps each chain watcher\'s progress, replacing it on every put', async () => {
      expect(await t.store.read.getWatcherProgress('ethereum')).toBeUndefined();
      const first = { chain: 'ethereum', processed: 19_000_000, hashes: [{ number: 18_999_999, hash: '0xaa' }, { number: 19_000_000, hash: '0xbb' }] };
      await t.store.write((tx) => tx.putWatcherProgress(first, 1_000));
      await t.store.write((tx) => tx.putWatcherProgress({ chain: 'base', processed: 7, hashes: [{ number: 7, hash: '0x07' }] }, 1_000));
      expect(await t.store.read.getWatcherProgress('ethereum')).toEqual(first);
      const later = { chain: 'ethereum', processed: 19_000_002, hashes: [{ number: 19_000_001, hash: '0xcc' }, { number: 19_000_002, hash: '0xdd' }] };
      await t.store.write((tx) => tx.putWatcherProgress(later, 2_000));
      expect(await t.store.read.getWatcherProgress('ethereum')).toEqual(later);
      expect(await t.store.read.getWatcherProgress('base')).toEqual({ chain: 'base', processed: 7, hashes: [{ number: 7, hash: '0x07' }] });
    });

    it('answers ping while open', async () => {
      await expect(t.store.ping()).resolves.toBeUndefined();
    });

    // --- notifications: people, team channels, the outbox ---

    it('puts, replaces and lists people by handle', async () => {
      const alice = { handle: 'alice', name: 'Alice', methods: [{ id: 'tg', kind: 'telegram' as const, sealedConfig: 'v1.sealed' }], rules: [{ severities: ['SEV1' as const], methods: ['tg'], delayMinutes: 0 }], createdAt: 1, updatedAt: 1 };
      await t.store.write(async (tx) => {
        await tx.putPerson(alice);
        await tx.putPerson({ ...alice, handle: 'bob', name: 'Bob' });
        await tx.putPerson({ ...alice, name: 'Alice L.', updatedAt: 2, createdAt: 99 });
      });
      expect(await t.store.read.getPerson('alice')).toEqual({ ...alice, name: 'Alice L.', updatedAt: 2 });
      expect((await t.store.read.listPeople()).map((p) => p.handle)).toEqual(['alice', 'bob']);
      expect(await t.store.read.getPerson('carol')).toBeUndefined();
    });

    it('finds team channels by id or name, replaces and deletes them', async () => {
      const ops = { id: 'ch-1', name: '#ops', kind: 'slack' as const, sealedConfig: 'v1.x', services: ['wallets'], severities: ['SEV1' as const], createdAt: 1, updatedAt: 1 };
      await t.store.write(async (tx) => {
        await tx.putTeamChannel(ops);
        await tx.putTeamChannel({ ...ops, id: 'ch-2', name: '#all', services: [], severities: [] });
        await tx.putTeamChannel({ ...ops, sealedConfig: 'v1.y', updatedAt: 2 });
      });
      expect(await t.store.read.findTeamChannel('#ops')).toEqual({ ...ops, sealedConfig: 'v1.y', updatedAt: 2 });
      expect((await t.store.read.findTeamChannel('ch-2'))?.name).toBe('#all');
      expect((await t.store.read.listTeamChannels()).map((c) => c.name)).toEqual(['#all', '#ops']);
      expect(await t.store.write((tx) => tx.deleteTeamChannel('ch-1'))).toBe(true);
      expect(await t.store.write((tx) => tx.deleteTeamChannel('ch-1'))).toBe(false);
      expect(await t.store.read.findTeamChannel('#ops')).toBeUndefined();
    });

    it('keeps outbox messages, refuses a second one with the same idempotency key, and lists the due ones', async () => {
      const base = {
        incidentId: 'inc-1',
        recipient: { type: 'person' as const, handle: 'alice', methodId: 'tg' },
        kind: 'telegram' as const,
        reason: 'escalation level 1',
        payload: { delayMinutes: 0 },
        state: 'pending' as const,
        attempts: 0,
        leaseUntil: null,
        cancelIfAcknowledged: false,
        lastError: null,
        lastStatus: null,
        createdAt: 100,
        updatedAt: 100,
        deliveredAt: null,
      };
      await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        await tx.insertOutboxMessage({ ...base, id: 'm1', idempotencyKey: 'k1', nextAttemptAt: 100 });
        await tx.insertOutboxMessage({ ...base, id: 'm2', idempotencyKey: 'k2', nextAttemptAt: 500, cancelIfAcknowledged: true, createdAt: 101 });
        await tx.insertOutboxMessage({ ...base, id: 'm3', idempotencyKey: 'k3', nextAttemptAt: 50, state: 'delivering', attempts: 1, leaseUntil: 300, createdAt: 102 });
        await tx.insertOutboxMessage({ ...base, id: 'm4', idempotencyKey: 'k4', nextAttemptAt: 10, state: 'dead', lastError: 'HTTP 404', lastStatus: 404, createdAt: 103 });
      });
      await expect(t.store.write((tx) => tx.insertOutboxMessage({ ...base, id: 'm5', idempotencyKey: 'k1', nextAttemptAt: 1 }))).rejects.toThrow();
      expect(await t.store.read.getOutboxMessage('m2')).toEqual({ ...base, id: 'm2', idempotencyKey: 'k2', nextAttemptAt: 500, cancelIfAcknowledged: true, createdAt: 101 });
      expect((await t.store.read.findOutboxMessageByKey('k4'))?.id).toBe('m4');
      const due = (now: number) => t.store.write(async (tx) => (await tx.listDueOutboxMessages(now, 10)).map((m) => m.id));
      expect(await due(200)).toEqual(['m1']);
      // m3's lease ran out at 300: it is due again, ahead of m1 (older due time).
      expect(await due(300)).toEqual(['m3', 'm1']);
      expect(await due(1_000)).toEqual(['m3', 'm1', 'm2']);
      await t.store.write(async (tx) => tx.updateOutboxMessage({ ...(await tx.getOutboxMessage('m1'))!, state: 'delivered', deliveredAt: 200, attempts: 1 }));
      expect(await due(1_000)).toEqual(['m3', 'm2']);
      expect((await t.store.read.listOutboxMessages({ states: ['dead'], limit: 10 })).map((m) => m.id)).toEqual(['m4']);
      expect((await t.store.read.listOutboxMessages({ incidentId: 'inc-1', limit: 2 })).map((m) => m.id)).toEqual(['m4', 'm3']);
      expect(await t.store.read.listOutboxMessages({ incidentId: 'inc-2', limit: 10 })).toEqual([]);
    });
  });
}
