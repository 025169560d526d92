import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../core/alert.js';
import type { Incident } from '../core/incident.js';
import type { Store } from '../core/store.js';
import { appendAudit, verifyAuditChain } from '../record/audit-chain.js';

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

function incident(n: number, overrides: Partial<Incident> = {}): Incident {
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

function alert(id: string, incidentId: string, overrides: Partial<Alert> = {}): Alert {
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

    it('a unit sees its own writes before they are committed', async () => {
      const seen = await t.store.write(async (tx) => {
        await tx.insertIncident(incident(1));
        return tx.getIncident('inc-1');
      });
      expect(seen?.number).toBe(1);
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

    it('answers ping while open', async () => {
      await expect(t.store.ping()).resolves.toBeUndefined();
    });
  });
}
