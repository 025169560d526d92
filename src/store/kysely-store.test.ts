import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { KyselyStore } from './kysely-store.js';
import { migrate } from './migrations/migrate.js';
import type { Database } from './schema.js';
import { sqliteWriteLock } from './write-lock.js';
import { incident, inhibitionRule, maintenanceWindow, mutedAlert, silence } from './store.contract.js';
import { appendAudit, verifyAuditChain } from '../record/audit-chain.js';
import { systemActor } from '../core/actor.js';
import type { Incident } from '../core/incident.js';
import type { StoreTx, WriteBatch } from '../core/store.js';
import { type MutedAlertStatus, mutedAlertStatuses } from '../core/muted-alert.js';

/** A sync the test finishes by hand, one call at a time. */
class ManualSync {
  readonly calls: { resolve: () => void; reject: (error: Error) => void }[] = [];
  readonly sync = (): Promise<void> => new Promise((resolve, reject) => this.calls.push({ resolve, reject }));
}

let store: KyselyStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** A store that keeps the statements matching `pattern` it runs, in order. */
async function openCountingStore(pattern: RegExp): Promise<{ s: KyselyStore; reads: string[] }> {
  const reads: string[] = [];
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }),
    log: (event) => {
      if (event.level === 'query' && pattern.test(event.query.sql)) reads.push(event.query.sql);
    },
  });
  await migrate(db, { lock: sqliteWriteLock, now: () => 1 });
  store = new KyselyStore({ db, lock: sqliteWriteLock, sync: () => Promise.resolve(), destroy: () => db.destroy() });
  return { s: store, reads };
}

/** The ops' answers from a transaction that remembers equal those from a fresh transaction at every step, each on a new store. */
async function remembersAsAsked(run: (s: KyselyStore, oneTransaction: boolean) => Promise<unknown[]>): Promise<void> {
  const remembered = await run(await openStore(() => Promise.resolve()), true);
  await store?.close();
  const asked = await run(await openStore(() => Promise.resolve()), false);
  await store?.close();
  store = undefined;
  expect(remembered).toEqual(asked);
}

/** What a `stepped` run has seen: the answers so far, and the rows written so far (by id). */
interface StepState {
  readonly answers: unknown[];
  readonly written: Set<string>;
}

/**
 * A `run` for `remembersAsAsked`: each op through `step`, all in one write transaction or each in
 * a transaction of its own; `step` pushes its answers and records what it wrote.
 */
function stepped<Op>(ops: readonly Op[], step: (tx: StoreTx, o: Op, state: StepState) => Promise<void>) {
  return async (s: KyselyStore, oneTransaction: boolean): Promise<unknown[]> => {
    const state: StepState = { answers: [], written: new Set() };
    if (oneTransaction) {
      await s.write(async (tx) => {
        for (const o of ops) await step(tx, o, state);
      });
    } else {
      for (const o of ops) await s.write((tx) => step(tx, o, state));
    }
    return state.answers;
  };
}

/** Whether the row `id` was written before in this run (then it is updated, else inserted); records it as written. */
function writtenBefore(state: StepState, id: string): boolean {
  const known = state.written.has(id);
  state.written.add(id);
  return known;
}

/**
 * One batch of units: `first` (if given) succeeds, `failing` runs and then throws, and `next`
 * answers. Returns `next`'s answer, which must show nothing the failed unit wrote or learned.
 */
async function afterFailedUnit<T>(
  s: KyselyStore,
  units: { readonly first?: (tx: StoreTx) => Promise<unknown>; readonly failing: (tx: StoreTx) => Promise<void>; readonly next: (tx: StoreTx) => Promise<T> },
): Promise<T> {
  const first = units.first === undefined ? undefined : s.write(units.first);
  const failed = s.write(async (tx) => {
    await units.failing(tx);
    throw new Error('the unit failed');
  });
  const next = s.write(units.next);
  await first;
  await expect(failed).rejects.toThrow('the unit failed');
  return next;
}

async function openStore(sync: () => Promise<void>): Promise<KyselyStore> {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  await migrate(db, { lock: sqliteWriteLock, now: () => 1 });
  store = new KyselyStore({ db, lock: sqliteWriteLock, sync, destroy: () => db.destroy() });
  return store;
}

const settled = async (p: Promise<unknown>): Promise<'pending' | 'fulfilled' | 'rejected'> =>
  Promise.race([p.then(() => 'fulfilled' as const, () => 'rejected' as const), new Promise<'pending'>((r) => setTimeout(() => r('pending'), 20))]);

describe('KyselyStore with a sync after commit', () => {
  it('answers a batch only once its sync is done, and writes the next batch meanwhile', async () => {
    const manual = new ManualSync();
    const s = await openStore(manual.sync);
    const first = s.write((tx) => tx.insertIncident(incident(1)));
    expect(await settled(first)).toBe('pending');
    expect(manual.calls).toHaveLength(1);
    // Committed (visible to readers) but not yet answered.
    expect(await s.read.getIncident('inc-1')).toBeDefined();

    const second = s.write((tx) => tx.insertIncident(incident(2)));
    await expect.poll(() => manual.calls.length).toBe(2);
    expect(await s.read.getIncident('inc-2')).toBeDefined();
    expect(await settled(first)).toBe('pending');

    // The second batch's sync finishes first, but batches are answered in commit order.
    manual.calls[1]!.resolve();
    expect(await settled(second)).toBe('pending');
    manual.calls[0]!.resolve();
    expect(await settled(first)).toBe('fulfilled');
    expect(await settled(second)).toBe('fulfilled');
  });

  it('does not answer a later batch as kept when an earlier batch\'s sync fails after the later one\'s succeeded', async () => {
    const manual = new ManualSync();
    const s = await openStore(manual.sync);
    const first = s.write((tx) => tx.insertIncident(incident(1)));
    await expect.poll(() => manual.calls.length).toBe(1);
    const second = s.write((tx) => tx.insertIncident(incident(2)));
    await expect.poll(() => manual.calls.length).toBe(2);
    manual.calls[1]!.resolve();
    manual.calls[0]!.reject(new Error('EIO: i/o error, fdatasync'));
    await expect(first).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: false });
    await expect(second).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: false });
  });

  it('fails every unit of a batch whose sync fails, then takes no more writes', async () => {
    const manual = new ManualSync();
    const s = await openStore(manual.sync);
    const kept = s.write((tx) => tx.insertIncident(incident(1)));
    const thrown = s.write(async () => {
      throw new Error('changed my mind');
    });
    await expect.poll(() => manual.calls.length).toBe(1);
    // Queued while the sync runs: it must not be answered as kept either.
    const queued = s.write((tx) => tx.insertIncident(incident(2)));
    manual.calls[0]!.reject(new Error('EIO: i/o error, fdatasync'));
    await expect(kept).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: false, message: expect.stringContaining('EIO') });
    await expect(thrown).rejects.toThrow('changed my mind');
    // After a failed fsync a later one may succeed over lost pages: the store stops instead.
    await expect(queued).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: false });
    await expect(s.write((tx) => tx.insertIncident(incident(3)))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: false });
    await expect(s.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(manual.calls).toHaveLength(1);
  });

  it('does not sync a batch that committed nothing', async () => {
    const manual = new ManualSync();
    const s = await openStore(manual.sync);
    await expect(
      s.write(async () => {
        throw new Error('nothing to keep');
      }),
    ).rejects.toThrow('nothing to keep');
    expect(manual.calls).toHaveLength(0);
  });

  it('reports each batch once it is answered: its units, the failed ones, its commit and its sync', async () => {
    const manual = new ManualSync();
    const s = await openStore(manual.sync);
    const batches: WriteBatch[] = [];
    s.onWriteBatch((batch) => batches.push(batch));
    const units = [s.write((tx) => tx.insertIncident(incident(1))), s.write(() => Promise.reject(new Error('no'))), s.write((tx) => tx.insertIncident(incident(2)))];
    await expect.poll(() => manual.calls.length).toBe(1);
    expect(batches).toEqual([]);
    await new Promise((r) => setTimeout(r, 5));
    manual.calls[0]!.resolve();
    await Promise.allSettled(units);
    expect(batches).toEqual([{ units: 3, failed: 1, commitSeconds: expect.any(Number), syncSeconds: expect.any(Number) }]);
    expect(batches[0]!.syncSeconds).toBeGreaterThanOrEqual(0.004);
  });

  it('reports a batch whose sync failed as failed, and a listener that throws costs the writes nothing', async () => {
    const manual = new ManualSync();
    const s = await openStore(manual.sync);
    const batches: WriteBatch[] = [];
    s.onWriteBatch(() => {
      throw new Error('a broken listener');
    });
    s.onWriteBatch((batch) => batches.push(batch));
    const kept = s.write((tx) => tx.insertIncident(incident(1)));
    await expect.poll(() => manual.calls.length).toBe(1);
    manual.calls[0]!.resolve();
    await kept;
    const lost = s.write((tx) => tx.insertIncident(incident(2)));
    await expect.poll(() => manual.calls.length).toBe(2);
    manual.calls[1]!.reject(new Error('EIO'));
    await expect(lost).rejects.toThrow(/could not be synced/);
    expect(batches.map((b) => [b.units, b.failed, b.syncSeconds === undefined])).toEqual([
      [1, 0, false],
      [1, 1, true],
    ]);
    store = undefined;
  });

  it('closes only after the pending syncs have finished', async () => {
    const manual = new ManualSync();
    const s = await openStore(manual.sync);
    const write = s.write((tx) => tx.insertIncident(incident(1)));
    await expect.poll(() => manual.calls.length).toBe(1);
    const closing = s.close();
    expect(await settled(closing)).toBe('pending');
    manual.calls[0]!.resolve();
    await closing;
    await expect(write).resolves.toBeUndefined();
    store = undefined;
  });
});

describe('KyselyStore batches and the audit chain', () => {
  it('keeps the chain whole when a unit of a batch appends and then fails', async () => {
    const s = await openStore(() => Promise.resolve());
    const append = (action: string, fail: boolean) =>
      s.write(async (tx) => {
        await appendAudit(tx, { at: 1, actor: systemActor, action, subject: 'test', data: {} });
        if (fail) throw new Error(`${action} failed after appending`);
      });
    // Asked for in one turn of the event loop: one batch, each unit in its own savepoint.
    const results = await Promise.allSettled([append('first', false), append('second', true), append('third', false), append('fourth', true)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((await s.read.listAuditRecords(0, 10)).map((r) => [r.seq, r.action])).toEqual([
      [1, 'first'],
      [2, 'third'],
    ]);
    expect(await verifyAuditChain(s.read)).toMatchObject({ ok: true, records: 2 });
    // The next batch continues from the head the last one left.
    await append('fifth', false);
    expect(await verifyAuditChain(s.read)).toMatchObject({ ok: true, records: 3 });
  });
});

describe('KyselyTx remembers the open incident of a group and the last number within a transaction', () => {
  type Op =
    | { kind: 'open'; group: 'a' | 'b'; status: 'triggered' | 'acknowledged' | 'resolved' }
    | { kind: 'set'; pick: number; status: 'triggered' | 'acknowledged' | 'resolved'; alertCount: number }
    | { kind: 'find'; group: 'a' | 'b' };
  const status = fc.constantFrom('triggered' as const, 'acknowledged' as const, 'resolved' as const);
  const group = fc.constantFrom('a' as const, 'b' as const);
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('open' as const), group, status }),
    fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), status, alertCount: fc.integer({ min: 1, max: 9 }) }),
    fc.record({ kind: fc.constant('find' as const), group }),
  );

  /** Runs the ops; after each, what the transaction says for both groups and the next number. */
  async function run(s: KyselyStore, ops: readonly Op[], oneTransaction: boolean): Promise<unknown[]> {
    const seen: unknown[] = [];
    const incidents: Incident[] = [];
    const step = async (tx: StoreTx, o: Op) => {
      if (o.kind === 'open') {
        const number = await tx.nextIncidentNumber();
        const created = incident(number, { groupKey: o.group, status: o.status });
        await tx.insertIncident(created);
        incidents.push(created);
      } else if (o.kind === 'set' && incidents.length > 0) {
        const i = o.pick % incidents.length;
        const before = incidents[i]!;
        const after = { ...before, status: o.status, alertCount: o.alertCount };
        await tx.updateIncident(after, before);
        incidents[i] = after;
      }
    };
    const look = async (tx: StoreTx) => void seen.push([await tx.findOpenIncident('wallets', 'a'), await tx.findOpenIncident('wallets', 'b'), await tx.nextIncidentNumber()]);
    if (oneTransaction) {
      await s.write(async (tx) => {
        for (const o of ops) {
          await step(tx, o);
          await look(tx);
        }
      });
    } else {
      // Each write and each look in a transaction of its own: every answer from the database.
      for (const o of ops) {
        await s.write((tx) => step(tx, o));
        await s.write(look);
      }
    }
    return seen;
  }

  it('answers as the database does after every write', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), (ops) => remembersAsAsked((s, oneTransaction) => run(s, ops, oneTransaction))),
      { numRuns: 60 },
    );
  });

  it('forgets what a unit that failed wrote, for the next unit of the batch', async () => {
    const s = await openStore(() => Promise.resolve());
    await s.write((tx) => tx.insertIncident(incident(1, { status: 'resolved' })));
    const next = await afterFailedUnit(s, {
      failing: async (tx) => {
        expect(await tx.findOpenIncident('wallets', 'g')).toBeUndefined();
        await tx.insertIncident(incident(await tx.nextIncidentNumber()));
        expect((await tx.findOpenIncident('wallets', 'g'))?.number).toBe(2);
      },
      next: async (tx) => ({ open: await tx.findOpenIncident('wallets', 'g'), number: await tx.nextIncidentNumber() }),
    });
    expect(next).toEqual({ open: undefined, number: 2 });
  });
});

describe('KyselyTx remembers the respond stage configuration within a transaction', () => {
  const playbook = { name: 'drain', title: 'Drain', description: 'd', match: [{ types: ['HotWalletDrain'] }], steps: [] };
  const stored = { playbook, sourceText: 'name: drain', createdAt: 1, updatedAt: 1, updatedBy: systemActor };
  const channel = { id: 'ch-1', name: '#ops', kind: 'slack' as const, sealedConfig: 'v1.x', services: ['wallets'], severities: ['SEV1' as const], createdAt: 1, updatedAt: 1 };
  const route = { match: { services: ['wallets'] }, policy: 'exchange' };

  it('reads each once per transaction, and sees its own writes', async () => {
    const { s, reads } = await openCountingStore(/^select .* from "(playbooks|team_channels|escalation_routing)"/);
    await s.write(async (tx) => {
      for (let i = 0; i < 3; i += 1) {
        expect(await tx.listPlaybooks()).toEqual([]);
        expect(await tx.listTeamChannels()).toEqual([]);
        expect(await tx.getEscalationRoutes()).toEqual([]);
      }
      expect(reads).toHaveLength(3);
      // Written through it: the next read sees the write.
      await tx.putPlaybook(stored);
      await tx.putTeamChannel(channel);
      await tx.putEscalationRoutes([route, route], 2);
      const playbooks = await tx.listPlaybooks();
      expect(playbooks).toEqual([stored]);
      expect(await tx.listTeamChannels()).toEqual([channel]);
      expect(await tx.getEscalationRoutes()).toEqual([route, route]);
      // A caller changing its list changes no one else's.
      playbooks.pop();
      expect(await tx.listPlaybooks()).toEqual([stored]);
      await tx.deleteTeamChannel('ch-1');
      expect(await tx.listTeamChannels()).toEqual([]);
    });
    // The next transaction reads afresh.
    const before = reads.length;
    expect(await s.write((tx) => tx.listPlaybooks())).toEqual([stored]);
    expect(reads).toHaveLength(before + 1);
  });

  it('forgets what a unit that failed wrote, for the next unit of the batch', async () => {
    const s = await openStore(() => Promise.resolve());
    const next = await afterFailedUnit(s, {
      failing: async (tx) => {
        expect(await tx.listPlaybooks()).toEqual([]);
        await tx.putPlaybook(stored);
        expect(await tx.listPlaybooks()).toEqual([stored]);
      },
      next: (tx) => tx.listPlaybooks(),
    });
    expect(next).toEqual([]);
  });
});

describe('KyselyTx remembers when nothing can mute a service\'s alerts within a transaction', () => {
  type Op =
    | { kind: 'silence'; id: number; startsAt: number; endsAt: number }
    | { kind: 'window'; id: number; service: 'a' | 'b'; removed: boolean }
    | { kind: 'rule'; id: number; removed: boolean }
    | { kind: 'ask'; at: number; service: 'a' | 'b' };
  const service = fc.constantFrom('a' as const, 'b' as const);
  const time = fc.integer({ min: 0, max: 10_000 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('ask' as const), at: time, service }), weight: 6 },
    fc.record({ kind: fc.constant('silence' as const), id: fc.nat(2), startsAt: time, endsAt: time }),
    fc.record({ kind: fc.constant('window' as const), id: fc.constant(0), service, removed: fc.boolean() }),
    fc.record({ kind: fc.constant('rule' as const), id: fc.constant(0), removed: fc.boolean() }),
  );

  /** Answers every `ask`; writes the rest (an insert the first time, an update after). */
  const step = async (tx: StoreTx, o: Op, state: StepState): Promise<void> => {
    if (o.kind === 'ask') {
      state.answers.push(await tx.mutingInForce({ at: o.at, service: o.service }));
      return;
    }
    const id = `${o.kind}-${o.id}`;
    const known = writtenBefore(state, id);
    switch (o.kind) {
      case 'silence': {
        const row = silence(id, { startsAt: o.startsAt, endsAt: o.endsAt });
        return known ? tx.updateSilence(row) : tx.insertSilence(row);
      }
      case 'window': {
        const row = maintenanceWindow(id, { service: o.service, removedAt: o.removed ? 1 : null });
        return known ? tx.updateMaintenanceWindow(row) : tx.insertMaintenanceWindow(row);
      }
      case 'rule': {
        const row = inhibitionRule(id, { removedAt: o.removed ? 1 : null });
        return known ? tx.updateInhibitionRule(row) : tx.insertInhibitionRule(row);
      }
    }
  };

  it('answers as the database does after every write', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), (ops) => remembersAsAsked(stepped(ops, step))),
      { numRuns: 200 },
    );
  });

  it('asks the database once per service while nothing can mute, and again after a write', async () => {
    const { s, reads } = await openCountingStore(/from silences/);
    await s.write(async (tx) => {
      for (const at of [1_000, 2_000, 3_000]) expect(await tx.mutingInForce({ at, service: 'a' })).toBe(false);
      expect(reads).toHaveLength(1);
      // Earlier than the time it knows about: asked again.
      expect(await tx.mutingInForce({ at: 500, service: 'a' })).toBe(false);
      expect(await tx.mutingInForce({ at: 3_000, service: 'b' })).toBe(false);
      expect(reads).toHaveLength(3);
      await tx.insertSilence(silence('s1', { startsAt: 3_500, endsAt: 9_000 }));
      expect(await tx.mutingInForce({ at: 4_000, service: 'a' })).toBe(true);
      // Once that silence has ended nothing can mute again: asked once more, then remembered.
      expect(await tx.mutingInForce({ at: 9_500, service: 'a' })).toBe(false);
      expect(await tx.mutingInForce({ at: 9_600, service: 'a' })).toBe(false);
      expect(reads).toHaveLength(5);
    });
  });

  it('forgets what a unit that failed remembered, for the next unit of the batch', async () => {
    const s = await openStore(() => Promise.resolve());
    const window = maintenanceWindow('w1', { service: 'a' });
    // One batch: the first unit opens a window; the second removes it, learns that nothing mutes, and fails.
    const next = await afterFailedUnit(s, {
      first: (tx) => tx.insertMaintenanceWindow(window),
      failing: async (tx) => {
        await tx.updateMaintenanceWindow({ ...window, removedAt: 1, removedBy: systemActor });
        expect(await tx.mutingInForce({ at: 5, service: 'a' })).toBe(false);
      },
      next: (tx) => tx.mutingInForce({ at: 5, service: 'a' }),
    });
    expect(next).toBe(true);
  });

  it('forgets it on every kind of write that can make something mute', async () => {
    const s = await openStore(() => Promise.resolve());
    const removed = { removedAt: 1, removedBy: systemActor };
    await s.write(async (tx) => {
      await tx.insertMaintenanceWindow(maintenanceWindow('w1', { service: 'a', ...removed }));
      await tx.insertInhibitionRule(inhibitionRule('r1', removed));
      await tx.insertSilence(silence('s1', { startsAt: 0, endsAt: 10 }));
      const quiet = async (at: number) => expect(await tx.mutingInForce({ at, service: 'a' })).toBe(false);
      await quiet(100);
      await tx.updateMaintenanceWindow(maintenanceWindow('w1', { service: 'a' }));
      expect(await tx.mutingInForce({ at: 200, service: 'a' })).toBe(true);
      await tx.updateMaintenanceWindow(maintenanceWindow('w1', { service: 'a', ...removed }));
      await quiet(300);
      await tx.updateInhibitionRule(inhibitionRule('r1'));
      expect(await tx.mutingInForce({ at: 400, service: 'a' })).toBe(true);
      await tx.updateInhibitionRule(inhibitionRule('r1', removed));
      await quiet(500);
      await tx.updateSilence(silence('s1', { startsAt: 0, endsAt: 10_000 }));
      expect(await tx.mutingInForce({ at: 600, service: 'a' })).toBe(true);
    });
  });
});

describe('KyselyTx remembers that no alert is muted within a transaction', () => {
  type Op = { kind: 'write'; id: number; status: MutedAlertStatus } | { kind: 'find'; key: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('write' as const), id: fc.nat(2), status: fc.constantFrom(...mutedAlertStatuses) }),
    fc.record({ kind: fc.constant('find' as const), key: fc.nat(2) }),
  );

  /** Answers every `find` with the id found (or null); writes the rest (an insert the first time, an update after). */
  const step = async (tx: StoreTx, o: Op, state: StepState): Promise<void> => {
    if (o.kind === 'find') {
      state.answers.push((await tx.findMutedAlert('int-1', `key-m${o.key}`))?.id ?? null);
      return;
    }
    const row = mutedAlert(`m${o.id}`, { status: o.status });
    await (writtenBefore(state, row.id) ? tx.updateMutedAlert(row) : tx.insertMutedAlert(row));
  };

  it('answers as the database does after every write', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), (ops) => remembersAsAsked(stepped(ops, step))),
      { numRuns: 200 },
    );
  });

  it('forgets what a unit that failed remembered, for the next unit of the batch', async () => {
    const s = await openStore(() => Promise.resolve());
    // One batch: the first unit mutes an alert; the second releases it, learns that none is muted, and fails.
    const next = await afterFailedUnit(s, {
      first: (tx) => tx.insertMutedAlert(mutedAlert('m1')),
      failing: async (tx) => {
        await tx.updateMutedAlert(mutedAlert('m1', { status: 'released' }));
        expect(await tx.findMutedAlert('int-1', 'key-m1')).toBeUndefined();
      },
      next: (tx) => tx.findMutedAlert('int-1', 'key-m1'),
    });
    expect(next?.id).toBe('m1');
  });

  it('asks once while nothing is muted, and looks each alert up once something is', async () => {
    const { s, reads } = await openCountingStore(/from "?muted_alerts"? where/);
    await s.write(async (tx) => {
      for (const key of ['a', 'b', 'c']) expect(await tx.findMutedAlert('int-1', key)).toBeUndefined();
      expect(reads).toHaveLength(1);
      await tx.insertMutedAlert(mutedAlert('m1'));
      expect((await tx.findMutedAlert('int-1', 'key-m1'))?.id).toBe('m1');
      expect(await tx.findMutedAlert('int-1', 'other')).toBeUndefined();
      expect(reads).toHaveLength(4);
      await tx.updateMutedAlert(mutedAlert('m1', { status: 'released' }));
      expect(await tx.findMutedAlert('int-1', 'key-m1')).toBeUndefined();
      expect(await tx.findMutedAlert('int-1', 'other')).toBeUndefined();
      expect(reads).toHaveLength(5);
    });
  });
});
