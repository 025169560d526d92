import { createHash } from 'node:crypto';
import type { AuditRecord, AuditRecordInput } from '../core/audit-record.js';
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
  const last = await tx.lastAuditRecord();
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const content = { ...input, seq };
  const record: AuditRecord = { ...content, prevHash, hash: auditHash(prevHash, content) };
  await tx.insertAuditRecord(record);
  return record;
}

export type AuditFailureReason = 'sequence_gap' | 'broken_link' | 'hash_mismatch';

export type AuditVerification =
  | { readonly ok: true; readonly records: number; readonly head: string }
  | {
      readonly ok: false;
      readonly records: number;
      readonly failure: { readonly seq: number; readonly reason: AuditFailureReason; readonly message: string };
    };

/**
 * Walks the whole chain from the first record and reports ok, or the first record that does not
 * verify and why. `records` counts the records that verified before the failure.
 */
export async function verifyAuditChain(reader: StoreReader, pageSize = 1000): Promise<AuditVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
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
      prevHash = record.hash;
      expectedSeq += 1;
    }
    if (page.length < pageSize) return { ok: true, records: expectedSeq - 1, head: prevHash };
  }
}

function fail(records: number, failure: { seq: number; reason: AuditFailureReason; message: string }): AuditVerification {
  return { ok: false, records, failure };
}
