import { createHash } from 'node:crypto';
import type { JsonObject } from '../core/alert.js';
import type { AuditRecord, AuditRecordInput } from '../core/audit-record.js';
import type { TimelineEntry } from '../core/timeline-entry.js';
import type { StoreReader, StoreTx } from '../core/store.js';
import { canonicalJson } from './canonical-json.js';

/** The previous hash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hash of one record: SHA-256 over the previous record's hash followed by the RFC 8785
 * canonical JSON of the record's content (everything but the two hashes). Canonical JSON makes
 * the hash independent of key order and of how a database gives the JSON back.
 */
export function auditHash(prevHash: string, record: Omit<AuditRecord, 'prevHash' | 'hash'>): string {
  const content = canonicalJson({
    seq: record.seq,
    at: record.at,
    actor: record.actor,
    action: record.action,
    subject: record.subject,
    data: record.data,
  });
  return createHash('sha256').update(prevHash).update(content).digest('hex');
}

/**
 * Appends a record to the chain inside a write unit. The head is read inside the same unit, so
 * concurrent writers (another process on the same SQLite file, another instance on PostgreSQL)
 * cannot fork the chain: the store serialises writes.
 */
export async function appendAudit(tx: StoreTx, input: AuditRecordInput): Promise<AuditRecord> {
  const last = await tx.auditHead();
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const content = { ...input, seq };
  const record: AuditRecord = { ...content, prevHash, hash: auditHash(prevHash, content) };
  await tx.insertAuditRecord(record);
  return record;
}

export type AuditFailureReason = 'sequence_gap' | 'broken_link' | 'hash_mismatch' | 'timeline_mismatch';

export type AuditVerification =
  | { readonly ok: true; readonly records: number; readonly timelineEntries: number; readonly head: string }
  | {
      readonly ok: false;
      readonly records: number;
      readonly failure: {
        readonly seq: number | null;
        readonly reason: AuditFailureReason;
        readonly message: string;
        /** The timeline entry that does not match the chain, for `timeline_mismatch`. */
        readonly timelineEntryId?: string;
      };
    };

/** What the chain says a timeline entry is: the entry's facts and the record that holds them. */
interface ChainedEntry {
  readonly seq: number;
  readonly content: string;
}

/**
 * Walks the whole chain from the first record and reports ok, or the first record that does not
 * verify and why. Then checks every timeline entry against the copy its audit record holds, so an
 * entry edited, inserted or deleted by hand is reported too. `records` counts the records that
 * verified before a failure of the chain itself.
 */
export async function verifyAuditChain(reader: StoreReader, pageSize = 1000): Promise<AuditVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  const chained = new Map<string, ChainedEntry>();
  for (;;) {
    const page = await reader.listAuditRecords(expectedSeq - 1, pageSize);
    for (const record of page) {
      const verified = expectedSeq - 1;
      if (record.seq !== expectedSeq) {
        return fail(verified, { seq: expectedSeq, reason: 'sequence_gap', message: `record ${expectedSeq} is missing; the next one is ${record.seq}` });
      }
      if (record.prevHash !== prevHash) {
        return fail(verified, { seq: record.seq, reason: 'broken_link', message: `record ${record.seq} does not point at the hash of record ${record.seq - 1}` });
      }
      if (auditHash(record.prevHash, record) !== record.hash) {
        return fail(verified, { seq: record.seq, reason: 'hash_mismatch', message: `record ${record.seq} was changed after it was written` });
      }
      const entry = timelineEntryInRecord(record);
      if (entry !== undefined) chained.set(entry.id, { seq: record.seq, content: entry.content });
      prevHash = record.hash;
      expectedSeq += 1;
    }
    if (page.length < pageSize) break;
  }
  const records = expectedSeq - 1;

  let afterId = '';
  let timelineEntries = 0;
  for (;;) {
    const page = await reader.listTimelineEntriesAfter(afterId, pageSize);
    for (const entry of page) {
      const expected = chained.get(entry.id);
      if (expected === undefined) {
        return fail(records, {
          seq: null,
          reason: 'timeline_mismatch',
          message: `timeline entry ${entry.id} has no audit record: it was added by hand`,
          timelineEntryId: entry.id,
        });
      }
      if (timelineContent(entry) !== expected.content) {
        return fail(records, {
          seq: expected.seq,
          reason: 'timeline_mismatch',
          message: `timeline entry ${entry.id} differs from what audit record ${expected.seq} says it was`,
          timelineEntryId: entry.id,
        });
      }
      chained.delete(entry.id);
      timelineEntries += 1;
    }
    if (page.length < pageSize) break;
    afterId = page.at(-1)!.id;
  }
  const [missingId, missing] = chained.entries().next().value ?? [];
  if (missingId !== undefined && missing !== undefined) {
    return fail(records, {
      seq: missing.seq,
      reason: 'timeline_mismatch',
      message: `timeline entry ${missingId} of audit record ${missing.seq} was deleted`,
      timelineEntryId: missingId,
    });
  }
  return { ok: true, records, timelineEntries, head: prevHash };
}

/** The canonical content of a timeline entry, as the recorder wrote it into its audit record. */
function timelineContent(entry: TimelineEntry): string {
  return canonicalJson({ at: entry.at, actor: entry.actor, body: entry.body, ...timelineFacts(entry) });
}

function timelineEntryInRecord(record: AuditRecord): { id: string; content: string } | undefined {
  const { timeline, ...body } = record.data;
  if (typeof timeline !== 'object' || timeline === null || Array.isArray(timeline) || typeof timeline.id !== 'string') return undefined;
  return { id: timeline.id, content: canonicalJson({ at: record.at, actor: record.actor, body, ...timeline }) };
}

function fail(records: number, failure: Extract<AuditVerification, { ok: false }>['failure']): AuditVerification {
  return { ok: false, records, failure };
}

/** What an audit record keeps of its timeline entry; the entry's body is the record's other data. */
export function timelineFacts(entry: TimelineEntry): JsonObject {
  return { id: entry.id, incidentId: entry.incidentId, kind: entry.kind, message: entry.message };
}
