import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVigil, type Vigil } from '../app.js';
import { defaultConfig } from '../config.js';
import { ManualClock } from '../core/clock.js';
import { sequentialIds } from '../core/ids.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { event } from '../../test/support/vigil.js';
import { GENESIS_HASH, auditHash, verifyAuditChain } from './audit-chain.js';
import { canonicalJson } from './canonical-json.js';

describe('the audit chain', () => {
  let store: KyselyStore;
  let vigil: Vigil;
  beforeEach(async () => {
    const clock = new ManualClock('2026-11-23T10:00:00.000Z');
    store = await openSqliteStore({ path: ':memory:' });
    vigil = await createVigil(defaultConfig, { clock, ids: sequentialIds(), store });
    const { id } = await vigil.createIntegration({ kind: 'generic', service: 'bridge', actor: { kind: 'cli', id: 'ops', name: 'ops' } });
    const integration = (await store.read.getIntegration(id))!;
    await vigil.ingest(integration, [event({ dedupKey: 'a' }), event({ dedupKey: 'b', severity: 'critical' })]);
    await vigil.store.write((tx) => vigil.actions.addNote(tx, { ref: 'INC-1', text: 'bridge paused', actor: { kind: 'token', id: 't', name: 'ana' } }));
  });
  afterEach(async () => vigil.close());

  it('hashes the previous hash followed by the canonical JSON of the record', () => {
    const record = { seq: 1, at: 5, actor: { kind: 'system', id: 'vigil', name: 'vigil' } as const, action: 'x', subject: 's', data: { b: 1, a: [true, null] } };
    const reordered = { ...record, data: { a: [true, null], b: 1 } };
    expect(auditHash(GENESIS_HASH, record)).toBe(auditHash(GENESIS_HASH, reordered));
    expect(auditHash(GENESIS_HASH, record)).not.toBe(auditHash('1'.repeat(64), record));
    expect(canonicalJson({ b: 'é', a: { d: 1.5, c: -0 } })).toBe('{"a":{"c":0,"d":1.5},"b":"é"}');
  });

  it('a chain written by the pipeline verifies, timeline included', async () => {
    expect(await verifyAuditChain(store.read)).toMatchObject({ ok: true, records: 5, timelineEntries: 4 });
  });

  it('detects a timeline entry edited by hand', async () => {
    await store.db.updateTable('timeline_entries').set({ message: 'nothing happened' }).where('kind', '=', 'incident.note').execute();
    expect(await verifyAuditChain(store.read)).toMatchObject({ ok: false, failure: { reason: 'timeline_mismatch', seq: 5 } });
  });

  it('detects a timeline entry whose actor or time was changed by hand', async () => {
    const [first] = await store.read.listTimelineEntriesAfter('', 1);
    await store.db.updateTable('timeline_entries').set({ at: first!.at + 1 }).where('id', '=', first!.id).execute();
    expect(await verifyAuditChain(store.read)).toMatchObject({ ok: false, failure: { reason: 'timeline_mismatch', timelineEntryId: first!.id } });
  });

  it('detects a timeline entry deleted or added by hand', async () => {
    const [first] = await store.read.listTimelineEntriesAfter('', 1);
    await store.db.deleteFrom('timeline_entries').where('id', '=', first!.id).execute();
    const deleted = await verifyAuditChain(store.read);
    expect(deleted).toMatchObject({ ok: false, failure: { reason: 'timeline_mismatch', timelineEntryId: first!.id } });
    await store.db.insertInto('timeline_entries').values({ ...toRow(first!), id: 'zz-forged' }).execute();
    await store.db.insertInto('timeline_entries').values(toRow(first!)).execute();
    expect(await verifyAuditChain(store.read)).toMatchObject({ ok: false, failure: { reason: 'timeline_mismatch', timelineEntryId: 'zz-forged', seq: null } });
  });

  it('detects an audit record whose hash was recomputed but whose successor still points at the old one', async () => {
    const [, second] = await store.read.listAuditRecords(0, 2);
    const forgedData = { ...second!.data, severity: 'info' };
    const forgedHash = auditHash(second!.prevHash, { ...second!, data: forgedData });
    await store.db.updateTable('audit_records').set({ data: JSON.stringify(forgedData), hash: forgedHash }).where('seq', '=', 2).execute();
    expect(await verifyAuditChain(store.read)).toMatchObject({ ok: false, records: 2, failure: { seq: 3, reason: 'broken_link' } });
  });
});

function toRow(entry: { id: string; incidentId: string; at: number; actor: object; kind: string; message: string; body: object }) {
  return { id: entry.id, incident_id: entry.incidentId, at: entry.at, actor: JSON.stringify(entry.actor), kind: entry.kind, message: entry.message, body: JSON.stringify(entry.body) };
}
