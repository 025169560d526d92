import type { Actor } from './actor.js';
import type { JsonObject } from './alert.js';

/**
 * One link of the tamper-evident audit chain.
 * `hash = SHA-256(prevHash || canonicalJSON(record without hash))`, see record/audit-chain.ts.
 */
export interface AuditRecord {
  /** Position in the chain, from 1, without gaps. */
  readonly seq: number;
  readonly at: number;
  readonly actor: Actor;
  /** What happened: `alert.ingested`, `incident.acknowledged`, `token.created`, ... */
  readonly action: string;
  /** What it happened to: `incident:<id>`, `alert:<id>`, `token:<id>`. */
  readonly subject: string;
  readonly data: JsonObject;
  /** Hash of the previous record; 64 zeros for the first. */
  readonly prevHash: string;
  readonly hash: string;
}

export type AuditRecordInput = Omit<AuditRecord, 'seq' | 'prevHash' | 'hash'>;
